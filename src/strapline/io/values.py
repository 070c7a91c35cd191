"""Readers for the single values found in results files: times, places, codes, rounds, helmets.

Every function takes the text of one cell and either returns the value or raises ValueError with a
message fit for an operator ("'4x.2' is not a time"). The importers add the file and the place.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from strapline.domain.model import (
    Gender,
    QualificationMark,
    RaceStatus,
    RaceTime,
    RecordMark,
    ResultStatus,
    RoundKind,
)

_TIME = re.compile(
    r"^(?:(?:(?P<h>\d{1,2}):)?(?P<m>\d{1,3}):)?(?P<s>\d{1,4})(?:[.,](?P<f>\d{1,3}))?"
    r"\s*(?P<rec>WR|OR|JWR|TR|NR)?$",
    re.IGNORECASE,
)

_STATUS_ALIASES: dict[str, ResultStatus] = {
    "PEN": ResultStatus.PEN,
    "DQ": ResultStatus.DQ,
    "DSQ": ResultStatus.DQ,
    "DNS": ResultStatus.DNS,
    "DNF": ResultStatus.DNF,
    "YC": ResultStatus.YC,
    "WDR": ResultStatus.WDR,
    "WD": ResultStatus.WDR,
    "ABD": ResultStatus.ABD,
    "NOTIME": ResultStatus.NO_TIME,
    "NT": ResultStatus.NO_TIME,
}

_QUAL_ALIASES: dict[str, QualificationMark] = {m.value: m for m in QualificationMark}
# Spellings seen beside the model's codes: "ADVA" is "advanced to final A" (ADA).
_QUAL_ALIASES.update({"ADVA": QualificationMark.ADA})
_QUAL_UPPER: dict[str, QualificationMark] = {
    "ADV": QualificationMark.ADV,
    "ADA": QualificationMark.ADA,
    "ADB": QualificationMark.ADB,
    "ADVB": QualificationMark.ADVB,
    "ADVA": QualificationMark.ADA,
    "QC": QualificationMark.QC,
    "QD": QualificationMark.QD,
}

_GENDERS: dict[str, Gender] = {
    "m": Gender.MEN,
    "men": Gender.MEN,
    "man": Gender.MEN,
    "male": Gender.MEN,
    "mens": Gender.MEN,
    "w": Gender.WOMEN,
    "f": Gender.WOMEN,
    "l": Gender.WOMEN,
    "women": Gender.WOMEN,
    "woman": Gender.WOMEN,
    "womens": Gender.WOMEN,
    "ladies": Gender.WOMEN,
    "female": Gender.WOMEN,
    "x": Gender.MIXED,
    "mixed": Gender.MIXED,
    "mix": Gender.MIXED,
}

_RACE_STATUS: dict[str, RaceStatus] = {
    "startlist": RaceStatus.START_LIST,
    "start": RaceStatus.START_LIST,
    "live": RaceStatus.LIVE,
    "intermediate": RaceStatus.LIVE,
    "unofficial": RaceStatus.UNOFFICIAL,
    "provisional": RaceStatus.UNOFFICIAL,
    "partial": RaceStatus.LIVE,
    "official": RaceStatus.OFFICIAL,
    "final": RaceStatus.OFFICIAL,
}


def clean(text: object) -> str:
    """A cell as text without surrounding blanks (None is the empty string)."""
    if text is None:
        return ""
    t = str(text)
    return (t.replace("\xa0", " ") if "\xa0" in t else t).strip()


def parse_time(text: str) -> tuple[RaceTime, RecordMark | None]:
    """'41.234', '1:24.245', '1:02:03.400', '43.105WR', '41,234' -> (time, record mark)."""
    ms, shown, record = time_parts(text)
    return RaceTime(ms=ms, display=shown), record


def time_parts(text: str) -> tuple[int, str, RecordMark | None]:
    """(milliseconds, time as shown, record mark) of a time cell; ValueError if not a time."""
    t = clean(text)
    m = _TIME.match(t)
    if not m:
        raise ValueError(f"{t!r} is not a time (expected e.g. 41.234 or 1:24.245)")
    hours = int(m["h"] or 0)
    minutes = int(m["m"] or 0)
    seconds = int(m["s"])
    if (m["m"] is not None and seconds >= 60) or (m["h"] is not None and minutes >= 60):
        raise ValueError(f"{t!r} is not a time (seconds or minutes past 59)")
    frac = m["f"] or ""
    millis = int((frac + "000")[:3]) if frac else 0
    ms = ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis
    rec = m["rec"]
    shown = t[: m.start("rec")].strip() if rec else t
    shown = shown.replace(",", ".")
    return ms, shown, RecordMark(rec.upper()) if rec else None


def parse_status(text: str) -> ResultStatus | None:
    """A result code such as PEN, DQ, DNS, DNF, YC, WDR, ABD or 'notime'; None if not a code."""
    t = clean(text).upper()
    found = _STATUS_ALIASES.get(t)
    if found is not None or t.isalnum() or not t:
        return found
    return _STATUS_ALIASES.get(re.sub(r"[\s._-]", "", t))


def parse_place(text: str) -> tuple[int | None, bool, ResultStatus | None]:
    """'1', '2=', '=2', '2.', '3rd', 'T2', 'PEN' -> (place, tie, status)."""
    t = clean(text)
    if not t:
        return None, False, None
    if t.isdigit() and t.isascii() and t[0] != "0" and len(t) <= 5:
        return int(t), False, None
    status = parse_status(t)
    if status is not None:
        return None, False, status
    m = re.fullmatch(r"(=|T)?\s*(\d{1,5})\s*(=|T|\.|st|nd|rd|th)?", t, re.IGNORECASE)
    if not m:
        raise ValueError(f"{t!r} is not a place (expected a number such as 3 or 2=, or a code)")
    place = int(m[2])
    if place < 1:
        raise ValueError(f"{t!r} is not a place (places start at 1)")
    tie = bool(m[1]) or (m[3] is not None and m[3].upper() in ("=", "T"))
    return place, tie, None


_WHOLE = re.compile(r"(\d{1,9})(?:[.,]0+)?")


def parse_int(text: str, what: str) -> int:
    """A whole number, also written as '241.0' by spreadsheets."""
    t = clean(text).lstrip("#")
    if t.isdigit() and t.isascii() and len(t) <= 9:
        return int(t)
    m = _WHOLE.fullmatch(t)
    if not m:
        raise ValueError(f"{t!r} is not a {what} (expected a whole number)")
    return int(m[1])


def parse_points(text: str) -> float:
    t = clean(text).replace(",", ".")
    try:
        value = float(t)
    except ValueError:
        raise ValueError(f"{t!r} is not a number of points") from None
    if not value >= 0 or value == float("inf"):
        raise ValueError(f"{t!r} is not a number of points (must be 0 or more)")
    return value


def parse_qualification(text: str) -> QualificationMark | None:
    """Q, q, QA, QB, qA, qB, QC, QD, ADV, ADA, ADB, ADVB (case kept where it means something)."""
    t = re.sub(r"[\s.()]", "", clean(text))
    if not t:
        return None
    if t in _QUAL_ALIASES:
        return _QUAL_ALIASES[t]
    if t.upper() in _QUAL_UPPER:
        return _QUAL_UPPER[t.upper()]
    if len(t) == 2 and t[0] in "Qq" and t[1].upper() in "AB":
        return _QUAL_ALIASES[t[0] + t[1].upper()]
    raise ValueError(f"{t!r} is not a qualification mark (expected Q, q, QA, qB, ADV, ...)")


def parse_gender(text: str) -> Gender | None:
    key = re.sub(r"[^a-z]", "", clean(text).lower())
    return _GENDERS.get(key)


def parse_race_status(text: str) -> RaceStatus | None:
    key = re.sub(r"[^a-z]", "", clean(text).lower())
    return _RACE_STATUS.get(key)


def _compact(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^a-z0-9]", "", folded.lower())


# Round labels as results sites spell them, compacted (small letters and digits only).
_ROUND_STAGES: dict[str, RoundKind] = {
    "heats": RoundKind.HEATS,
    "heat": RoundKind.HEATS,
    "preliminaries": RoundKind.PRELIMINARIES,
    "preliminary": RoundKind.PRELIMINARIES,
    "prelims": RoundKind.PRELIMINARIES,
    "prelim": RoundKind.PRELIMINARIES,
    "prepreliminaries": RoundKind.PRE_PRELIMINARIES,
    "prepreliminary": RoundKind.PRE_PRELIMINARIES,
    "eighthfinals": RoundKind.EIGHTHFINAL,
    "eighthfinal": RoundKind.EIGHTHFINAL,
    "18finals": RoundKind.EIGHTHFINAL,
    "quarterfinals": RoundKind.QUARTERFINAL,
    "quarterfinal": RoundKind.QUARTERFINAL,
    "qf": RoundKind.QUARTERFINAL,
    "qfnl": RoundKind.QUARTERFINAL,
    "semifinals": RoundKind.SEMIFINAL,
    "semifinal": RoundKind.SEMIFINAL,
    "sf": RoundKind.SEMIFINAL,
    "sfnl": RoundKind.SEMIFINAL,
    "final": RoundKind.FINAL,
    "finals": RoundKind.FINAL,
    "finala": RoundKind.FINAL_A,
    "afinal": RoundKind.FINAL_A,
    "fa": RoundKind.FINAL_A,
    "finalb": RoundKind.FINAL_B,
    "bfinal": RoundKind.FINAL_B,
    "fb": RoundKind.FINAL_B,
    "finalc": RoundKind.FINAL_C,
    "cfinal": RoundKind.FINAL_C,
    "finald": RoundKind.FINAL_D,
    "dfinal": RoundKind.FINAL_D,
    "rankingfinals": RoundKind.RANKING_FINAL,
    "rankingfinal": RoundKind.RANKING_FINAL,
    "rankingraces": RoundKind.RANKING_FINAL,
    "rankingrace": RoundKind.RANKING_FINAL,
    "rankfinal": RoundKind.RANKING_FINAL,
    "rkfn": RoundKind.RANKING_FINAL,
    "rankingfinalsheats": RoundKind.RANKING_HEATS,
    "rankingfinalheats": RoundKind.RANKING_HEATS,
    "rankingracesheats": RoundKind.RANKING_HEATS,
    "rankingheats": RoundKind.RANKING_HEATS,
    "races": RoundKind.RACES,
    "race": RoundKind.RACES,
}
# After "Rep", "Rep." or "Repechage": the round the repechage belongs to.
_REPECHAGE_OF: dict[RoundKind, RoundKind] = {
    RoundKind.HEATS: RoundKind.REPECHAGE_HEATS,
    RoundKind.QUARTERFINAL: RoundKind.REPECHAGE_QUARTERFINAL,
    RoundKind.SEMIFINAL: RoundKind.REPECHAGE_SEMIFINAL,
    RoundKind.FINAL_A: RoundKind.REPECHAGE_FINAL_A,
    RoundKind.FINAL_B: RoundKind.REPECHAGE_FINAL_B,
}
# Long labels whose typos are read by closeness ("Quaterfinals", "Seminfinals", "Eightfinals").
_FUZZY_STAGES = [key for key in _ROUND_STAGES if len(key) >= 8]


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of two short words, or limit + 1 once it is known to exceed it."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def _stage(compact: str) -> RoundKind | None:
    found = _ROUND_STAGES.get(compact)
    if found is not None or len(compact) < 8:
        return found
    scored = sorted((_edit_distance(compact, key, 2), key) for key in _FUZZY_STAGES)
    best = [key for d, key in scored if d == scored[0][0] and d <= 2]
    kinds = {_ROUND_STAGES[key] for key in best}
    return kinds.pop() if len(kinds) == 1 else None


@functools.lru_cache(maxsize=1024)
def parse_round(label: str) -> RoundKind:
    """The kind of a round label: 'QuarterFinals', 'Rep.Quarterfinals', 'RepFinalA', 'Round1',
    'RankingRaces-Heats', 'Quaterfinals' (a typo)... RoundKind.OTHER when not understood (the
    label is then shown as written, and importers warn)."""
    c = _compact(label)
    if not c:
        return RoundKind.OTHER
    if re.fullmatch(r"(?:round|rnd|r)\d{1,2}", c):
        return RoundKind.ROUND
    c = c.rstrip("0123456789") or c  # "Heat 4", "Quarterfinal 3": the number is the race's
    if c in ("rep", "repechage", "repechages"):
        return RoundKind.REPECHAGE
    for prefix in ("repechage", "rep"):
        if c.startswith(prefix) and c != prefix:
            rest = _stage(c[len(prefix) :])
            if rest is None:
                return RoundKind.OTHER
            return _REPECHAGE_OF.get(rest, RoundKind.OTHER)
    return _stage(c) or RoundKind.OTHER


_ROUND_WORDS = re.compile(
    r"\b(?:(?:rep(?:echage)?\.?\s*)?(?:quarter|quater|semi|semin|eighth?)[\s-]*finals?"
    r"|(?:rep(?:echage)?\.?\s*)?final\s*[a-d]\b"
    r"|rep(?:echage)?\.?\s*heats?"
    r"|ranking[\s-]*(?:finals?|races?)(?:[\s-]*heats?)?"
    r"|pre-?\s*preliminar(?:y|ies)"
    r"|repechages?|rep\.?\s*\w*|finals?|[a-d]\s*final"
    r"|heats?|preliminar(?:y|ies)|prelims?|round\s*\d{1,2}|races?)\b",
    re.IGNORECASE,
)


def find_round(text: str) -> str | None:
    """The round label inside a longer title such as 'Men 500m Final A', if any."""
    m = _ROUND_WORDS.search(text)
    return m.group(0).strip() if m else None


# "500m", "1,500m", "1 500 m", "1.500 m", "1500M", "5000mRelay", "1000m(2)", "500 metres"
_DISTANCE = re.compile(
    r"(?<![\d.,])(\d{1,2}[,.\u00a0\u202f ]\d{3}|\d{3,5})\s*(?:metres?|meters?|m)"
    r"(?=$|[^a-z]|relay|mixed|men|women|ladies)",
    re.IGNORECASE,
)


def find_distance(text: str) -> int | None:
    """The distance in metres named in an event's text, in any of the spellings results sites
    use; None when it names none."""
    m = _DISTANCE.search(text)
    return int(re.sub(r"\D", "", m[1])) if m else None


def find_gender(text: str) -> Gender | None:
    for word in re.findall(r"[A-Za-z]+", text):
        w = word.lower()
        if w in ("men", "mens", "man", "male", "herren", "hommes"):
            return Gender.MEN
        if w in ("women", "womens", "ladies", "woman", "female", "damen", "dames"):
            return Gender.WOMEN
        if w in ("mixed", "mix"):
            return Gender.MIXED
    return None


_FOLD = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "þ": "th",
        "Þ": "TH",
        "ı": "i",
        "ħ": "h",
        "Ħ": "H",
    }
)


_NOT_WORD = re.compile(r"[\W_]+")
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def slug(text: str) -> str:
    """A stable identifier part: lower case, accents folded, words joined by '-'.

    Latin letters lose their accents ("KUCZYŃSKI Łukasz" -> "kuczynski-lukasz"); letters of other
    scripts (Hangul, Cyrillic) are kept as they are, so no name folds to nothing.
    """
    if text.isascii() and text.isalnum():
        return text.lower()  # one word of ASCII letters and digits: nothing to join or fold
    return _slug(text)


@functools.lru_cache(maxsize=65536)
def _slug(text: str) -> str:
    if text.isascii():
        return _NOT_WORD.sub("-", text.lower()).strip("-")
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    folded = unicodedata.normalize("NFC", _MARKS.sub("", decomposed))
    return _NOT_WORD.sub("-", folded.lower()).strip("-")


slug_cached = _slug
"""slug() without its shortcut for one plain word: same result, cached (for callers that take
that shortcut themselves)."""
