"""The audit: a corpus of hard names and statuses through every graphic of both themes, counting
what a broadcaster would refuse. Every count must be 0; the counts are printed in every run.

- tofu: a character drawn as a missing-glyph box or from a font the theme does not ship;
- blank glyphs: a character drawn as nothing (an empty glyph, as NanumSquare has for Han);
- overflow: text outside the graphics-safe area, at every output size;
- elided names: a name or relay member line cut with "…" on 1080p result lists, podiums,
  advancement and lower thirds;
- contrast failures: declared text/background pairs under 4.5:1 (3:1 for large bold text);
- status contradictions: a graphic showing more or less of a row than the row rule allows.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from rowcheck import CODES, contradictions

from strapline.domain.graphics import BindingError, GraphicKind, Playhead, Selection, bind, steps
from strapline.domain.model import (
    Athlete,
    Competition,
    Event,
    EventKind,
    MedalCount,
    QualificationMark,
    Race,
    RaceStatus,
    RaceTime,
    RecordMark,
    ResultRow,
    ResultStatus,
    Round,
    RoundKind,
    Standing,
    Standings,
    StartEntry,
    Team,
)
from strapline.render import TextBox, load_theme, render_graphic
from strapline.render.context import PaintContext
from strapline.render.contrast import check
from strapline.render.coverage import glyph_problems

SIZES = [(1920, 1080), (1280, 720), (3840, 2160), (1080, 1350), (1080, 1920)]

# real names of the sport's kind: particles, hyphens, diacritics, every script of the field
HARD = [
    ("PIERRE-GILLES", "Jordan", "CAN"), ("van 't WOUT", "Melle", "NED"),
    ("van 't WOUT", "Jens", "NED"), ("SANTOS-GRISWOLD", "Kristen", "USA"),
    ("KUCZYŃSKI", "Łukasz", "POL"), ("NGUYỄN", "Thị Ánh Tuyết", "VIE"),
    ("ЖАҚСЫБЕКОВА", "Әйгерім", "KAZ"), ("林", "孝埈", "CHN"), ("宮田", "将吾", "JPN"),
    ("박", "지원", "KOR"), ("ELISTRATOV", "Semen", "AIN"), ("NOGRÁDI", "Bence", "HUN"),
    ("LIU", "Shaolin Sándor", "HUN"), ("AZHGALIYEV", "Abzal", "KAZ"),
    ("DANDJINOU", "William", "CAN"), ("de LAAT", "Itzhak", "NED"),
    ("SCHULTING", "Suzanne", "NED"), ("ŠKODOVÁ", "Kateřina", "CZE"),
    ("GALIAKHMETOV", "Adil", "KAZ"), ("DESMET", "Hanne", "BEL"),
]  # fmt: skip


def _athletes() -> list[Athlete]:
    return [
        Athlete(id=f"a{i}", family_name=f, given_name=g, nation=n, helmet=100 + i)
        for i, (f, g, n) in enumerate(HARD)
    ]


def _row(a: Athlete, place: int | None, ms: int | None = None, **kw: object) -> ResultRow:
    time = RaceTime.from_ms(ms) if ms is not None else None
    return ResultRow(competitor=a, place=place, time=time, **kw)  # type: ignore[arg-type]


def corpus() -> Competition:
    a = _athletes()
    final = Race(
        id="m1500-fa", round=Round(kind=RoundKind.FINAL_A), status=RaceStatus.UNOFFICIAL,
        scheduled=dt.datetime(2026, 2, 8, 15, 31, tzinfo=dt.UTC),
        results=[
            _row(a[10], 1, 130_105, record=RecordMark.WR, status=ResultStatus.PEN),
            _row(a[7], 1, 130_986, record=RecordMark.OR),
            _row(a[8], 2, 131_034, tie=True),
            _row(a[9], 2, 131_034, tie=True, record=RecordMark.NR),
            _row(a[2], 4, 131_500, warnings=(ResultStatus.YC,)),
            _row(a[3], 5, None, status=ResultStatus.NO_TIME, qualification=QualificationMark.ADV),
            _row(a[5], None, None, status=ResultStatus.DNF),
            _row(a[6], None, None, status=ResultStatus.DQ),
        ],
    )  # fmt: skip
    quarter = Race(
        id="m1500-qf1", round=Round(kind=RoundKind.QUARTERFINAL), number=1,
        status=RaceStatus.OFFICIAL,
        results=[
            _row(x, i + 1, 133_000 + 97 * i,
                 qualification=QualificationMark.Q if i < 2 else None)
            for i, x in enumerate(a[:7])
        ],
    )  # fmt: skip
    semi = Race(
        id="m1500-sf1", round=Round(kind=RoundKind.SEMIFINAL), number=1,
        scheduled=dt.datetime(2026, 2, 8, 14, 10, tzinfo=dt.UTC),
        start_list=[StartEntry(competitor=x, start_position=i + 1) for i, x in enumerate(a[11:18])],
    )  # fmt: skip
    teams = [
        Team(id="ned", nation="NED", name="Netherlands", helmet=301,
             members=[a[1], a[2], a[15], a[16]]),
        Team(id="hun", nation="HUN", name="Hungary", helmet=302,
             members=[a[11], a[12], a[4], a[17]]),
        Team(id="kaz", nation="KAZ", name="Kazakhstan", helmet=303,
             members=[a[6], a[13], a[18], a[10]]),
    ]  # fmt: skip
    relay = Race(
        id="m5000-fa", round=Round(kind=RoundKind.FINAL_A), status=RaceStatus.OFFICIAL,
        start_list=[StartEntry(competitor=t, start_position=i + 1) for i, t in enumerate(teams)],
        results=[_row(t, i + 1, 410_000 + 900 * i) for i, t in enumerate(teams)],
    )  # fmt: skip
    standings = Standings(
        id="globe", title="Crystal Globe · Men", status=RaceStatus.UNOFFICIAL,
        rows=[
            Standing(rank=i + 1, competitor=x, points=1000 - 21 * i)
            for i, x in enumerate((a * 2)[:40])
        ],
    )  # fmt: skip
    return Competition(
        name="ISU World Cup Short Track", city="Dresden",
        events=[
            Event(id="m1500", name="Men's 1500 m", distance_m=1500,
                  races=[quarter, semi, final]),
            Event(id="m5000", name="Men's 5000 m Relay", kind=EventKind.RELAY, races=[relay]),
        ],
        standings=[standings],
        medals=[
            MedalCount(nation=n, gold=g, silver=sv, bronze=b)
            for n, g, sv, b in [("CHN", 2, 0, 1), ("KOR", 1, 2, 0), ("JPN", 0, 1, 1),
                                ("NED", 0, 0, 1), ("VIE", 0, 0, 1), ("KAZ", 0, 0, 0)]
        ],
    )  # fmt: skip


def _graphics(comp: Competition) -> list[tuple[str, object, int]]:
    """(kind, data, step) for every graphic of the corpus."""
    out: list[tuple[str, object, int]] = []
    for race_id in ("m1500-qf1", "m1500-fa", "m5000-fa"):
        out.append(("result-list", bind("result-list", comp, Selection(race_id=race_id)), 0))
        for row in range(len(comp.races()[0][1].results)):
            try:
                data = bind("lower-third", comp, Selection(race_id=race_id, row=row))
            except BindingError:
                continue
            out.append(("lower-third", data, 0))
    for event_id in ("m1500", "m5000"):
        out.append(("podium", bind("podium", comp, Selection(event_id=event_id)), 0))
    for race_id in ("m1500-sf1", "m5000-fa"):
        out.append(("start-list", bind("start-list", comp, Selection(race_id=race_id)), 0))
    for kind, sel in (("medal-table", Selection()), ("schedule", Selection()),
                      ("advancement", Selection(race_id="m1500-qf1"))):  # fmt: skip
        data = bind(kind, comp, sel)
        out += [(kind, data, s) for s in range(steps(kind, data))]
    table = bind("standings", comp)
    out += [("standings", table, s) for s in range(steps(GraphicKind.STANDINGS, table))]
    out.append(
        ("race-bug", bind("race-bug", comp, Selection(race_id="m1500-fa", competitor_id="a7")), 0)
    )
    for who in ("a7", "a1"):
        data = bind("quote", comp, Selection(text="It was my day, and the ice was fast.",
                                             competitor_id=who))  # fmt: skip
        out.append(("quote", data, 0))
    return out


NAME_KINDS = {"result-list", "podium", "advancement", "lower-third"}
ELIDED: list[str] = []


def audit() -> Counter[str]:
    comp = corpus()
    graphics = _graphics(comp)
    kinds = ("tofu", "blank glyphs", "overflow", "elided names", "contrast failures")
    counts: Counter[str] = Counter(dict.fromkeys((*kinds, "status contradictions"), 0))
    names = {f for f, _, _ in HARD} | {"Netherlands", "Hungary", "Kazakhstan"}
    for theme_name in ("ice", "night"):
        theme = load_theme(theme_name)
        counts["contrast failures"] += sum(not r.ok for r in check(theme))
        counts["status contradictions"] += sum(len(contradictions(c, theme)) for c in CODES)
        drawn: set[str] = set()
        for kind, data, step in graphics:
            for size in SIZES:
                boxes: list[TextBox] = []
                render_graphic(kind, data, theme, size, Playhead(step=step), text_boxes=boxes)  # type: ignore[arg-type]
                safe = PaintContext(theme, *size).safe.adjusted(-1, -1, 1, 1)
                counts["overflow"] += sum(not safe.contains(b.rect) for b in boxes)
                drawn.update(b.text for b in boxes)
                if kind in NAME_KINDS and size == (1920, 1080):
                    cut = [b.text for b in boxes if b.elided and any(n in b.text for n in names)]
                    counts["elided names"] += len(cut)
                    ELIDED.extend(f"{theme_name} {kind}: {t}" for t in cut)
        for text in drawn:
            for problem in glyph_problems(theme, text.replace("…", "")):
                counts["blank glyphs" if problem.problem == "blank" else "tofu"] += 1
    return counts


def test_audit_counts_are_all_zero(capsys: pytest.CaptureFixture[str]) -> None:
    counts = audit()
    with capsys.disabled():
        print("\naudit (hard names and statuses, both themes, 5 sizes):")
        for what, n in counts.items():
            print(f"  {what}: {n}")
        for line in ELIDED:
            print(f"    elided: {line}")
    assert dict(counts) == dict.fromkeys(counts, 0)
