"""The shipped Dresden demo data: it loads, and the weekend's facts hold."""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET

import pytest

from strapline.domain.model import (
    Athlete,
    Competition,
    DataFile,
    RaceStatus,
    ResultStatus,
    RoundKind,
    Team,
)
from strapline.domain.names import NameForm, athlete_name, parse_name
from strapline.domain.nations import is_known_nation
from strapline.io.demo import demo_files, demo_path, load_demo


@pytest.fixture(scope="module")
def comp() -> Competition:
    return load_demo()


def _final(comp: Competition, event_id: str):  # type: ignore[no-untyped-def]
    event = comp.event(event_id)
    assert event is not None
    return next(r for r in event.races if r.round.kind is RoundKind.FINAL_A)


def _names(rows) -> list[str]:  # type: ignore[no-untyped-def]
    return [athlete_name(r.competitor, NameForm.FAMILY_GIVEN) for r in rows]


def test_demo_files_are_shipped() -> None:
    names = {p.name for p in demo_files()}
    assert names >= {
        "dresden-2023-24.json",
        "dresden-men-500m-final-a.csv",
        "dresden-men-500m-final-a.odf.xml",
        "LYNX.EVT",
    }
    assert demo_path("LYNX.EVT").is_file()
    with pytest.raises(FileNotFoundError, match=r"LYNX\.EVT"):
        demo_path("nope.csv")


def test_competition_is_marked_demo(comp: Competition) -> None:
    assert comp.demo is True
    assert "demo" not in comp.name.lower(), "the marker is the demo field, not a name on air"
    assert (comp.city, comp.venue, comp.nation, comp.season) == (
        "Dresden",
        "Joynext Arena",
        "GER",
        "2023/24",
    )
    assert comp.start_date is not None and comp.start_date.isoformat() == "2024-02-02"
    assert comp.end_date is not None and comp.end_date.isoformat() == "2024-02-04"


def test_json_round_trips(comp: Competition) -> None:
    again = DataFile.model_validate_json(DataFile(competition=comp).model_dump_json())
    assert again.competition == comp


def test_men_500_final_a(comp: Competition) -> None:
    race = _final(comp, "m500")
    assert race.status is RaceStatus.OFFICIAL
    placed = sorted((r for r in race.results if r.place), key=lambda r: r.place or 0)
    assert _names(placed[:3]) == ["ROUSSEL Felix", "PIERRE-GILLES Jordan", "KUCZYŃSKI Łukasz"]
    assert [r.competitor.nation for r in placed[:3]] == ["CAN", "CAN", "POL"]
    nikisha = next(r for r in race.results if r.competitor.id == "ISU-DEMO-M004")
    assert _names([nikisha]) == ["NIKISHA Denis"]
    assert (nikisha.status, nikisha.place, nikisha.competitor.nation) == (
        ResultStatus.PEN,
        None,
        "KAZ",
    )
    times = [r.time.ms for r in placed if r.time]
    assert times == sorted(times)


def test_men_500_semifinals_carry_qualification_marks(comp: Competition) -> None:
    event = comp.event("m500")
    assert event is not None
    marks = {
        r.qualification.value
        for race in event.races
        if not race.round.kind.is_final
        for r in race.results
        if r.qualification
    }
    assert marks >= {"QA", "QB", "Q", "q", "ADA"}


def test_men_1000_sunday_final(comp: Competition) -> None:
    race = _final(comp, "m1000-2")
    placed = sorted((r for r in race.results if r.place), key=lambda r: r.place or 0)
    assert _names(placed[:3]) == ["PARK Ji Won", "JANG Sungwoo", "GALIAKHMETOV Adil"]
    crashed = {r.competitor.family_name for r in race.results if r.place is None or r.place > 3}
    assert crashed == {"KOS", "DANDJINOU"}


def test_men_relay_final(comp: Competition) -> None:
    race = _final(comp, "m5000r")
    placed = sorted(race.results, key=lambda r: r.place or 99)
    teams = [r.competitor for r in placed]
    assert all(isinstance(t, Team) for t in teams)
    assert [t.nation for t in teams[:3]] == ["KOR", "JPN", "HUN"]
    assert len(teams) == 4
    kor = teams[0]
    assert isinstance(kor, Team)
    assert [athlete_name(m, NameForm.FAMILY_GIVEN) for m in kor.members] == [
        "JANG Sungwoo",
        "PARK Ji Won",
        "KIM Gun Woo",
        "KIM Tae Sung",
    ]
    for t in teams:
        assert isinstance(t, Team)
        assert t.helmet is not None and 300 <= t.helmet < 400
        assert 1 <= len(t.members) <= 4
        assert all(m.nation == t.nation for m in t.members)


def test_women_500_start_list(comp: Competition) -> None:
    race = _final(comp, "w500")
    assert race.status is RaceStatus.START_LIST
    assert not race.results
    assert [e.start_position for e in race.start_list] == [1, 2, 3, 4, 5]


def test_standings_and_medals(comp: Competition) -> None:
    table = comp.standings[0]
    assert 18 <= len(table.rows) <= 24
    assert athlete_name(table.rows[0].competitor, NameForm.FAMILY_GIVEN) == "PARK Ji Won"  # type: ignore[arg-type]
    points = [s.points for s in table.rows]
    assert points == sorted(points, reverse=True)
    assert [s.rank for s in table.rows] == list(range(1, len(table.rows) + 1))
    for s in table.rows:
        assert sum(s.breakdown.values()) == s.points
    assert comp.medals[0].nation == "KOR"
    golds = sum(m.gold for m in comp.medals)
    assert golds == sum(m.silver for m in comp.medals) == sum(m.bronze for m in comp.medals)


def _athletes(comp: Competition) -> list[Athlete]:
    out: list[Athlete] = []
    for _, race in comp.races():
        comps = [r.competitor for r in race.results] + [e.competitor for e in race.start_list]
        for c in comps:
            out.extend(c.members if isinstance(c, Team) else [c])
    out.extend(
        s.competitor for t in comp.standings for s in t.rows if isinstance(s.competitor, Athlete)
    )
    return out


def test_every_nation_is_known_and_every_id_is_stable(comp: Competition) -> None:
    codes = {a.nation for a in _athletes(comp)} | {m.nation for m in comp.medals}
    codes |= {r.competitor.nation for _, race in comp.races() for r in race.results}
    assert all(c and is_known_nation(c) for c in codes), codes
    by_id: dict[str, tuple[str, str]] = {}
    for a in _athletes(comp):
        assert a.id.startswith("ISU-DEMO-")
        key = (a.family_name, a.given_name)
        assert by_id.setdefault(a.id, key) == key, f"{a.id} names two people"
        parsed = parse_name(a.original_name)
        assert (parsed.family, parsed.given) == key


def test_csv_matches_the_json(comp: Competition) -> None:
    text = demo_path("dresden-men-500m-final-a.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    assert list(rows[0]) == [
        "Place", "Start Pos.", "Warn.", "#", "Name", "ISU Member", "Results", "Qual.", "Points",
    ]  # fmt: skip
    race = _final(comp, "m500")
    assert len(rows) == len(race.results)
    by_name = {r.competitor.original_name: r for r in race.results}
    for row in rows:
        r = by_name[row["Name"]]
        assert row["Place"] == (str(r.place) if r.place else "")
        assert row["Results"] == (r.time.display if r.time else r.status)
        assert row["#"] == str(r.competitor.helmet)


def test_odf_matches_the_json(comp: Competition) -> None:
    root = ET.parse(demo_path("dresden-men-500m-final-a.odf.xml")).getroot()
    assert root.get("DocumentType") == "DT_RESULT"
    assert root.get("ResultStatus") == "OFFICIAL"
    results = root.findall("./Competition/Result")
    race = _final(comp, "m500")
    assert len(results) == len(race.results)
    by_id = {r.competitor.id: r for r in race.results}
    for el in results:
        competitor = el.find("Competitor")
        desc = el.find("./Competitor/Composition/Athlete/Description")
        assert competitor is not None and desc is not None
        r = by_id[competitor.get("Code", "")]
        assert isinstance(r.competitor, Athlete)
        assert desc.get("FamilyName") == r.competitor.family_name
        assert desc.get("GivenName") == r.competitor.given_name
        assert competitor.get("Organisation") == r.competitor.nation
        assert competitor.get("Bib") == str(r.competitor.helmet)
        assert el.get("StartOrder") == str(r.start_position)
        assert el.get("Rank") == (str(r.place) if r.place else None)
        assert el.get("IRM") == (r.status.value if r.status else None)


def test_lynx_evt_start_lists(comp: Competition) -> None:
    raw = demo_path("LYNX.EVT").read_bytes()
    lines = raw.decode("ascii").splitlines()
    assert raw.endswith(b"\r\n")
    heats: dict[str, list[list[str]]] = {}
    current = ""
    for line in lines:
        cells = line.split(",")
        if cells[0]:
            current = cells[3]
            heats[current] = []
        else:
            assert len(cells) == 8
            heats[current].append(cells)
    assert set(heats) == {"Men 500m Final A", "Women 500m Final A"}
    men = {c[7]: c for c in heats["Men 500m Final A"]}
    race = _final(comp, "m500")
    for e in race.start_list:
        cells = men[e.competitor.id]
        assert (cells[1], cells[2], cells[5]) == (
            str(e.helmet),
            str(e.start_position),
            e.competitor.nation,
        )
    assert men["ISU-DEMO-M003"][3:5] == ["KUCZYNSKI", "Lukasz"]  # folded, as such files are
