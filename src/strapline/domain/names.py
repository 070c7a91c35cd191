"""People's names: reading them as sources spell them, and writing them the way graphics show them.

Results sources follow the ISU convention, family name in capitals and given name after
("ROUSSEL Felix"), but not always: some write the given name first ("Sean McANUFF"), some fold
or keep diacritics, some write Korean names with or without spaces ("KIM Gun Woo", "JANG
Sungwoo"), and Hangul or Han names carry no capitals at all. `parse_name` turns any of these into
a family and a given name and keeps the original spelling; `format_name` writes the display forms
an operator picks for a graphic.

How a name is read (documented for operators in docs/names-and-nations.md):

- "Family, Given": a single comma splits the name, family first.
- A word is *in capitals* when it has at least two cased letters and capitals outnumber small
  letters ("ROUSSEL", "PIERRE-GILLES", "McANUFF", "KUCZYŃSKI", "ЯКОВЛЕВА").
- The run of words in capitals is the family name, together with the all-lowercase particles just
  before it ("de LAAT Itzhak", "Freek van der WART"); the other words are the given name.
- Every word in capitals ("FELIX ROUSSEL", "KIM GUN WOO"): the ISU order, family first; leading
  particles belong to the family ("VAN DER WART FREEK").
- No word in capitals ("Felix Roussel"): given name first, family name last, particles before it
  joining the family ("Itzhak de Laat").
- Hangul and Han script (no capitals): family first. A single Hangul word of three or more
  syllables is split after its family syllable ("박지원" -> 박 + 지원; two-syllable family names
  such as 남궁 are recognised).
- One word: the family name. Nothing at all: empty names, never an exception.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:
    from strapline.domain.model import Athlete

__all__ = [
    "NameForm",
    "PersonName",
    "athlete_name",
    "format_name",
    "name_is_doubtful",
    "parse_name",
    "parse_name_parts",
    "split_run_together",
]


class NameForm(StrEnum):
    """How a graphic writes a person's name."""

    FAMILY_GIVEN = "family-given"  # ROUSSEL Felix
    GIVEN_FAMILY = "given-family"  # Felix Roussel
    INITIAL_FAMILY = "initial-family"  # F. ROUSSEL
    CAPS = "caps"  # FELIX ROUSSEL


class PersonName(BaseModel):
    """A parsed name: family and given name as the source spelt them, and the raw text."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    family: str
    given: str
    original: str

    def format(self, form: NameForm) -> str:
        return format_name(self.family, self.given, form)


# Particles written in lower case inside a family name whatever the source did ("de LAAT",
# "Itzhak de Laat", "van der WART"). Particles that are usually capitalised (Le, La, Di, Mac...)
# are not in this set: they keep the case the source gave them.
_LOWER_PARTICLES = frozenset(
    {
        "van",
        "von",
        "de",
        "der",
        "den",
        "des",
        "du",
        "da",
        "das",
        "do",
        "dos",
        "del",
        "della",
        "ten",
        "ter",
        "te",
        "zu",
        "zum",
        "zur",
        "'t",
        "van't",
        "af",
        "av",
    }
)
# Words that join the family name when a source writes everything in capitals.
_CAPS_PARTICLES = _LOWER_PARTICLES | {"la", "le", "di", "dei", "degli", "el", "al", "bin", "ibn"}

# Korean two-syllable family names that are distinctive enough to split a run-together name on.
_HANGUL_TWO_SYLLABLE_FAMILIES = frozenset({"남궁", "황보", "제갈", "독고", "사공", "동방"})

# A capitalised prefix followed by capitals: McANUFF, MacDONALD, DeCLEMENTE, LeBLANC.
# Only these prefixes: "TomRIETZKE" is a given and a family name, never a prefixed "To".
_PREFIXED_CAPS = re.compile(r"^(Mc|Mac|De|Di|Da|Du|Le|La)(\w{2,})$")
_SEPARATORS = re.compile(r"([-'’‐])")


def _cased_counts(word: str) -> tuple[int, int]:
    return sum(map(str.isupper, word)), sum(map(str.islower, word))


def _is_caps(word: str) -> bool:
    """Two capitals or more, and more capitals than small letters."""
    if word.isupper():  # a capital at least, and no small letter
        if word[0].isupper() and word[1:2].isupper():
            return True  # "ROUSSEL", "KUCZYŃSKI"
        return sum(map(str.isupper, word)) >= 2
    if word[1:].islower():
        return False  # a capital at most: "Felix", "de"
    upper = sum(map(str.isupper, word))
    return upper >= 2 and sum(map(str.islower, word)) < upper


def _is_lower(word: str) -> bool:
    return not any(map(str.isupper, word)) and any(map(str.islower, word))


def _has_cased(text: str) -> bool:
    return any(ch.isupper() or ch.islower() for ch in text)


def _is_hangul_syllable(ch: str) -> bool:
    return "\uac00" <= ch <= "\ud7a3"


_CJK_PREFIXES = ("HANGUL", "CJK", "HIRAGANA", "KATAKANA")
# No character of those scripts lies below the first Hangul Jamo.
_FIRST_CJK = "\u1100"


def _is_cjk(text: str) -> bool:
    """Letters present, all Hangul, Han or kana: names read family first, written unspaced."""
    if text.isascii() or max(text) < _FIRST_CJK:
        return False  # every letter (if any) is of another script
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all(
        unicodedata.name(ch, "").startswith(_CJK_PREFIXES) for ch in letters
    )


def _is_particle(word: str) -> bool:
    """A lowercase family-name particle: de, van, der, 't, ..."""
    return word.lower() in _CAPS_PARTICLES and _is_lower(word)


def _clean(raw: str) -> str:
    if raw.isprintable():
        # No control or format character, and no blank but the plain space: only spacing to tidy.
        return " ".join(raw.split())
    # Control and format characters (zero-width spaces, BOMs, bidi marks) never belong in a name.
    kept = "".join(
        " " if ch.isspace() else ch
        for ch in raw
        if ch.isspace() or unicodedata.category(ch) not in ("Cc", "Cf")
    )
    return " ".join(kept.split())


def _split_hangul(word: str) -> tuple[str, str]:
    """A run-together Hangul name of three or more syllables: family syllable(s), given name."""
    if len(word) >= 3 and all(_is_hangul_syllable(ch) for ch in word):
        cut = 2 if word[:2] in _HANGUL_TWO_SYLLABLE_FAMILIES else 1
        return word[:cut], word[cut:]
    return word, ""


# --- names written without spaces ------------------------------------------------------------
#
# Results sites often lose the spaces of a name: "ROUSSELFelix", "deLAATItzhak", "PARKJiWon",
# "ColeWilliamIsaacKRUEGER". Such a word is read from the case of its letters, written as a
# string of classes (U a capital, l a small letter, s a hyphen or apostrophe), so the patterns
# below are plain regular expressions over that string.

# Capitalised prefixes that begin a family name in capitals: McANUFF, MacDONALD, DeCLEMENTE.
_NAME_PREFIXES = ("Mac", "Mc", "De", "Di", "Da", "Du", "Le", "La")
# Prefixes a mixed-case word is not split after: MacKenzie, LeBron, O'Brien.
_KEEP_JOINED = frozenset(("Mc", "Mac", "De", "Le", "La", "O"))
_NAME_SEPARATORS = "-'’‐"
# particles (small letters), FAMILY in capitals, Given (capitalised words, run together or not)
_FAMILY_FIRST = re.compile(r"(?P<particles>[ls]*?)(?P<family>U[Us]*U)(?P<given>Ul+(?:s?Ul+)*)")
# Given (capitalised words), FAMILY in capitals
_GIVEN_FIRST = re.compile(r"(?P<given>Ul+(?:s?Ul+)*)(?P<family>U[Us]*U)")
_CAPITALISED = re.compile(r"Ul+(?:sUl+)*")
# "van't" run together is read as "van 't", the spelling of the ISU lists.
_PARTICLE_WORDS = sorted(_CAPS_PARTICLES - {"van't"}, key=len, reverse=True)


def _letter_classes(word: str) -> str | None:
    """U, l or s for each character; None when the word holds anything else (digits, dots)."""
    out = []
    for ch in word:
        if ch.isupper():
            out.append("U")
        elif ch.islower():
            out.append("l")
        elif ch in _NAME_SEPARATORS:
            out.append("s")
        else:
            return None
    return "".join(out)


def _particle_words(text: str) -> list[str] | None:
    """'vander' -> ['van', 'der'], "van't" -> ['van', "'t"]; None if not made of particles."""
    if not text:
        return []
    for particle in _PARTICLE_WORDS:
        if text.startswith(particle):
            rest = _particle_words(text[len(particle) :])
            if rest is not None:
                return [particle, *rest]
    return None


def _given_words(text: str) -> str:
    """Capitalised words run together, separated at inner capitals: 'JiWon' -> 'Ji Won'.

    Not after Mc, Mac, De, Le, La or O (MacKenzie, LeBron, O'Brien stay one word), and never
    across a hyphen or an apostrophe (Jean-Francois).
    """
    pieces: list[str] = []
    current = ""
    for ch in text:
        if ch.isupper() and current and current[-1] not in _NAME_SEPARATORS:
            pieces.append(current)
            current = ch
        else:
            current += ch
    pieces.append(current)
    words: list[str] = []
    for piece in pieces:
        if words and (words[-1] in _KEEP_JOINED or words[-1][-1:] in _NAME_SEPARATORS):
            words[-1] += piece
        else:
            words.append(piece)
    return " ".join(words)


def _prefix_as_capitals(word: str, classes: str) -> str:
    """Classes with a Mc/Mac/De... prefix before two capitals counted as capitals."""
    for prefix in _NAME_PREFIXES:
        start = word.find(prefix)
        while start != -1:
            end = start + len(prefix)
            # Mc and Mac anywhere; De, La... only at the start (after a given name, "AnaDa" may
            # end a given name: see split_run_together)
            before_ok = start == 0 or (prefix in ("Mc", "Mac") and classes[start - 1] in "ls")
            if before_ok and classes[end : end + 2] == "UU":
                classes = classes[:start] + "U" * len(prefix) + classes[end:]
            start = word.find(prefix, end)
    return classes


def split_run_together(word: str) -> tuple[str, str] | None:
    """(family, given) of a name written without spaces, or None when it cannot be told apart.

    "ROUSSELFelix" -> ("ROUSSEL", "Felix"); "deLAATItzhak" -> ("de LAAT", "Itzhak");
    "PARKJiWon" -> ("PARK", "Ji Won"); "ColeWilliamIsaacKRUEGER" -> ("KRUEGER", "Cole William
    Isaac"); "SeanMcANUFF" -> ("McANUFF", "Sean"). A word in one case only ("SZAŁAJKO",
    "UNITEDSTATES") or one capitalised word ("Roussel") is a family name alone. Letters are never
    changed: the family and given names hold the word's letters in their order, with spaces.
    """
    classes = _letter_classes(word)
    if classes is None:
        return None
    if "l" not in classes or "U" not in classes or _CAPITALISED.fullmatch(classes):
        return word, ""
    classes = _prefix_as_capitals(word, classes)
    if "l" not in classes:
        return word, ""  # McANUFF, DeCLEMENTE
    m = _FAMILY_FIRST.fullmatch(classes)
    if m is not None:
        particles = _particle_words(word[: m.end("particles")])
        if particles is None:
            return None
        family = " ".join([*particles, word[m.start("family") : m.end("family")]])
        return family, _given_words(word[m.start("given") :])
    m = _GIVEN_FIRST.fullmatch(classes)
    if m is not None:
        given = word[: m.end("given")]
        if given in _NAME_PREFIXES:
            return word, ""  # DeCLEMENTE: a prefix, not a given name
        if given.endswith(_NAME_PREFIXES[2:]) and re.split(r"(?=[A-Z])", given)[-1] in (
            _NAME_PREFIXES
        ):
            return None  # "ClaytonDeCLEMENTE" or "Ana DaSILVA"? Not told apart with confidence
        return word[m.start("family") :], _given_words(given)
    return None


def name_is_doubtful(raw: str) -> bool:
    """Whether a name was kept as written because its parts could not be told apart.

    A name written without spaces in mixed case that fits none of the patterns of
    `split_run_together` ("JEAN-FrANCOISMONETTE"): it is read as a family name alone, as written,
    and importers warn about it.
    """
    text = _clean(raw) if isinstance(raw, str) else ""
    if not text or " " in text or "," in text or _is_cjk(text):
        return False
    return split_run_together(text) is None and _has_cased(text)


def parse_name(raw: str) -> PersonName:
    """Read a name as a source spelt it. Never raises: odd input gives a best reading."""
    family, given, original = parse_name_parts(raw)
    return PersonName(family=family, given=given, original=original)


def parse_name_parts(raw: str) -> tuple[str, str, str]:
    """(family, given, original) of a name: the reading of `parse_name`, as plain strings.

    For importers reading thousands of rows, whose models validate the strings afterwards.
    """
    original = raw if isinstance(raw, str) else str(raw)
    if "," not in original and original.isprintable():
        # Tidy text (single spaces, nothing to clean): small particles, if any, then a word in
        # capitals, then one that is not. The rules below would take the particles and that
        # word as the family name ("ROUSSEL Felix", "KUCZYŃSKI Łukasz", "ЯКОВЛЕВА Алина", "de
        # LAAT Itzhak", "van der VELDE Jan"): most names look like this, so take them at once.
        words = original.split(" ")
        n = len(words)
        if n >= 2 and all(words):
            k = 0  # the word in capitals, after the particles
            while k < n - 1 and _is_particle(words[k]):
                k += 1
            if k < n - 1 and _is_caps(words[k]) and not _is_caps(words[k + 1]):
                given = " ".join(words[k + 1 :])
                return " ".join(words[: k + 1]), _spaced_given(given), original
    text = _clean(original)
    if not text:
        return "", "", original

    if "," in text and text.count(",") == 1:
        family_part, given_part = (p.strip() for p in text.split(","))
        if family_part:
            return family_part, _spaced_given(given_part), original
        text = given_part
        if not text:
            return "", "", original
    family, given = _read_words(text)
    return family, given, original


def _spaced_given(given: str) -> str:
    """A given name whose words ran together separated at their inner capitals ("JiWon" ->
    "Ji Won"), as in names written without spaces; other words as they are."""
    if not given or given[1:].islower() or given.isupper():
        return given  # the usual case: no word with an inner capital
    parts = given.split(" ")
    if all(not w[1:] or w[1:].islower() for w in parts):
        return given  # "Ji Won", "Gun Woo": capitals begin the words only
    words = []
    for word in parts:
        classes = _letter_classes(word)
        if classes is not None and _RUN_OF_CAPITALISED.fullmatch(classes):
            word = _given_words(word)
        words.append(word)
    return " ".join(words)


_RUN_OF_CAPITALISED = re.compile(r"Ul+(?:s?Ul+)+")


def _read_words(text: str) -> tuple[str, str]:
    """(family, given) of cleaned text without a lone comma, by the rules of the module."""
    family, given = _read_word_rules(text)
    return family, _spaced_given(given) if given else given


def _read_word_rules(text: str) -> tuple[str, str]:
    words = text.split(" ")

    if len(words) == 1:
        if _is_cjk(text):
            return _split_hangul(text)
        return split_run_together(text) or (text, "")

    if _is_cjk(text):
        # Hangul, Han and kana: family name first.
        return words[0], " ".join(words[1:])

    caps = [_is_caps(w) for w in words]
    if all(caps):
        return _family_first_by_particles(words)
    if not any(caps):
        return _given_first(words)

    # The family name is a run of words in capitals: the one at the start if there is one,
    # else the one that ends the name, else the first.
    if caps[0] or _leading_particles_then_caps(words, caps):
        i = 0
        while i < len(words) and not caps[i]:
            i += 1  # lowercase particles before the capitals
        while i < len(words) and caps[i]:
            i += 1
        family_words, given_words = words[:i], words[i:]
    else:
        end = len(words)
        if caps[-1]:
            first = end - 1
            while first > 0 and caps[first - 1]:
                first -= 1
        else:
            first = caps.index(True)
            end = first
            while end < len(words) and caps[end]:
                end += 1
        while first > 0 and _is_particle(words[first - 1]):
            first -= 1  # particles before the capitals belong to the family name
        family_words = words[first:end]
        given_words = words[:first] + words[end:]
    return " ".join(family_words), " ".join(given_words)


def _leading_particles_then_caps(words: list[str], caps: list[bool]) -> bool:
    i = 0
    while i < len(words) and _is_particle(words[i]):
        i += 1
    return 0 < i < len(words) and caps[i]


def _family_first_by_particles(words: list[str]) -> tuple[str, str]:
    i = 0
    while i < len(words) - 1 and words[i].lower() in _CAPS_PARTICLES:
        i += 1
    if i == len(words) - 1:
        i = 0  # particles only ("VAN DER"): read the first word as the family name
    return " ".join(words[: i + 1]), " ".join(words[i + 1 :])


def _given_first(words: list[str]) -> tuple[str, str]:
    first = len(words) - 1
    # Only a particle written small joins the family name ("Itzhak de LAAT"): a capitalised
    # word there is a given name that happens to look like one ("Ji Do KIM").
    while first > 1 and words[first - 1] in _LOWER_PARTICLES:
        first -= 1
    return " ".join(words[first:]), " ".join(words[:first])


# --- display ---------------------------------------------------------------------------------


def _title_piece(piece: str) -> str:
    m = _PREFIXED_CAPS.match(piece)
    if m and _is_caps(m.group(2)) and not _has_lower(m.group(2)):
        return m.group(1) + m.group(2)[:1].upper() + m.group(2)[1:].lower()
    upper, lower = _cased_counts(piece)
    if upper and lower:
        return piece  # already in mixed case: keep the source's spelling (McAnuff, DeWitt)
    if len(piece) >= 4 and piece.startswith("MC") and piece[2].isalpha():
        # In capitals, MC begins a name only as the prefix: MCDONALD is McDonald, never
        # Mcdonald. (MAC is left alone: Macdonald and MacDonald are both spellings.)
        return "Mc" + piece[2].upper() + piece[3:].lower()
    return piece[:1].upper() + piece[1:].lower()


def _has_lower(text: str) -> bool:
    return any(ch.islower() for ch in text)


def _title_word(word: str, particles: bool = True) -> str:
    """Proper case for one word: Roussel, Pierre-Gilles, McAnuff, O'Brien, Kuczyński.

    With `particles`, de/van/der... are written small, as inside a family name.
    """
    if particles and word.lower() in _LOWER_PARTICLES:
        return word.lower()
    parts = _SEPARATORS.split(word)
    return "".join(p if _SEPARATORS.fullmatch(p) else _title_piece(p) for p in parts)


def _upper_word(word: str) -> str:
    """The family-name style of ISU lists: capitals, but de/van stay small and Mc stays Mc."""
    if word.lower() in _LOWER_PARTICLES:
        return word.lower()
    parts = _SEPARATORS.split(word)
    out = []
    for p in parts:
        m = _PREFIXED_CAPS.match(p)
        if m and _is_caps(m.group(2)) and not _has_lower(m.group(2)):
            out.append(m.group(1) + m.group(2))
        else:
            out.append(p.upper())
    return "".join(out)


def _family_upper(family: str) -> str:
    words = family.split()
    if len(words) == 1:
        # A lone particle-like word is a family name in its own right ("DE", "Van").
        return words[0].upper() if words[0].lower() in _LOWER_PARTICLES else _upper_word(words[0])
    return " ".join(_upper_word(w) for w in words)


def _family_title(family: str) -> str:
    words = family.split()
    return " ".join(_title_word(w, particles=len(words) > 1) for w in words)


def _given_title(given: str) -> str:
    # Particles are written small inside family names only: "Ji Do", never "Ji do".
    return " ".join(_title_word(w, particles=False) for w in given.split())


def _initials(given: str) -> str:
    out = []
    for word in given.split():
        pieces = [p for p in re.split(r"[-‐]", word) if p]
        letters = [next((ch for ch in p if ch.isalpha()), p[:1]) for p in pieces]
        out.append("-".join(f"{ch.upper()}." for ch in letters if ch))
    return "".join(out)


def format_name(family: str, given: str, form: NameForm) -> str:
    """Write a name in one of the display forms. Empty parts are left out, never shown as gaps."""
    family = _clean(family)
    given = _clean(given)
    if not family and not given:
        return ""
    if not given and name_is_doubtful(family):
        # A name kept as written because it could not be split: no form changes its letters
        # but CAPS, which writes every name in capitals.
        return family.upper() if form == NameForm.CAPS else family
    if _is_cjk(family + given):
        # Hangul, Han and kana names read family first in every form, without a space between.
        return f"{family}{given}"
    form = NameForm(form)
    if form is NameForm.FAMILY_GIVEN:
        return " ".join(
            p for p in (_family_upper(family) if family else "", _given_title(given)) if p
        )
    if form is NameForm.GIVEN_FAMILY:
        return " ".join(
            p for p in (_given_title(given), _family_title(family) if family else "") if p
        )
    if form is NameForm.INITIAL_FAMILY:
        return " ".join(p for p in (_initials(given), _family_upper(family) if family else "") if p)
    return " ".join(p for p in (given.upper(), family.upper()) if p)


def athlete_name(a: Athlete, form: NameForm) -> str:
    """An athlete's name in a display form."""
    return format_name(a.family_name, a.given_name, form)
