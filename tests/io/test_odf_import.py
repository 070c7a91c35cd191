"""IOC ODF XML messages: DT_RESULT (results and start lists), relays, DT_PARTIC, DT_RANKING,
DT_MEDALS, the RSC decoder, and the safety of the XML reader."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from strapline.domain.diagnostics import DataError
from strapline.domain.model import (
    Athlete,
    EventKind,
    Gender,
    QualificationMark,
    RaceStatus,
    RecordMark,
    ResultStatus,
    RoundKind,
    Team,
)
from strapline.io import load_file, load_files
from strapline.io.odf import decode_rsc

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize(
    ("code", "gender", "distance", "relay", "kind", "unit"),
    [
        ("STKMSINGLES500M-----------FNL-000100--", Gender.MEN, 500, False, RoundKind.FINAL_A, 1),
        ("STKMSINGLES500M-----------FNL-000200--", Gender.MEN, 500, False, RoundKind.FINAL_B, 2),
        (
            "STKWSINGLES1000M----------QFNL000300--",
            Gender.WOMEN,
            1000,
            False,
            RoundKind.QUARTERFINAL,
            3,
        ),
        (
            "STKWSINGLES1500M----------SFNL000200--",
            Gender.WOMEN,
            1500,
            False,
            RoundKind.SEMIFINAL,
            2,
        ),
        ("STKMSINGLES500M-----------HEAT000800--", Gender.MEN, 500, False, RoundKind.HEATS, 8),
        ("STKXRELAY2000M------------FNL-000100--", Gender.MIXED, 2000, True, RoundKind.FINAL_A, 1),
        ("STKM500M----------FNL-000100--", Gender.MEN, 500, False, RoundKind.FINAL_A, 1),
        ("STKMRELAY5000M------------REP-000100--", Gender.MEN, 5000, True, RoundKind.REPECHAGE, 1),
    ],
)
def test_decode_rsc(
    code: str, gender: Gender, distance: int, relay: bool, kind: RoundKind, unit: int
) -> None:
    rsc = decode_rsc(code)
    assert (rsc.discipline, rsc.gender, rsc.distance_m, rsc.relay) == (
        "STK",
        gender,
        distance,
        relay,
    )
    assert (rsc.round, rsc.unit) == (kind, unit)


def test_decode_rsc_rejects_garbage() -> None:
    with pytest.raises(ValueError, match="Results System Code"):
        decode_rsc("not a code")


def test_dt_result() -> None:
    result = load_file(DATA / "odf_result_w500_sf2.xml")
    comp = result.competition
    assert comp.id == "stwc2024dre" and comp.venue == "Joynext Arena"
    (event,) = comp.events
    assert (event.name, event.gender, event.distance_m) == ("Women's 500 m", Gender.WOMEN, 500)
    (race,) = event.races
    assert race.status is RaceStatus.UNOFFICIAL
    assert race.round.kind is RoundKind.SEMIFINAL and race.number == 2
    assert race.laps == 4.5
    assert race.scheduled == dt.datetime.fromisoformat("2024-02-04T14:05:00+01:00")
    rows = race.results
    assert [r.place for r in rows] == [1, 2, 2, None, None]
    assert [r.tie for r in rows] == [False, True, True, False, False]
    assert rows[0].record is RecordMark.WR
    assert rows[0].qualification is QualificationMark.QA
    assert rows[2].qualification is QualificationMark.qA
    assert rows[3].status is ResultStatus.PEN and rows[4].status is ResultStatus.DNS
    first = rows[0].competitor
    assert isinstance(first, Athlete)
    assert (first.id, first.family_name, first.given_name, first.nation, first.helmet) == (
        "1001",
        "VELZEBOER",
        "Xandra",
        "NED",
        246,
    )
    assert first.gender is Gender.WOMEN
    assert [e.start_position for e in race.start_list] == [1, 2, 3, 4, 5]
    assert result.warnings == []


def test_dt_result_start_list() -> None:
    race = load_file(DATA / "odf_startlist_w500_sf2.xml").competition.events[0].races[0]
    assert race.status is RaceStatus.START_LIST
    assert race.results == []
    assert [e.helmet for e in race.start_list] == [229, 246, 233, 251, 240]


def test_relay_teams_with_athletes() -> None:
    event = load_file(DATA / "odf_relay_m5000_final.xml").competition.events[0]
    assert event.kind is EventKind.RELAY and event.name == "Men's 5000 m Relay"
    race = event.races[0]
    assert race.round.kind is RoundKind.FINAL_A and race.status is RaceStatus.OFFICIAL
    korea = race.results[0].competitor
    assert isinstance(korea, Team)
    assert (korea.id, korea.name, korea.nation, korea.helmet) == (
        "KOR01",
        "Republic of Korea",
        "KOR",
        301,
    )
    assert [m.family_name for m in korea.members] == ["JANG", "PARK", "KIM", "KIM"]
    assert korea.members[1].given_name == "Ji Won"
    assert race.results[0].time is not None and race.results[0].time.display == "6:41.234"
    hungary = race.results[2].competitor
    assert isinstance(hungary, Team) and hungary.name == "HUN"
    assert race.results[2].status is ResultStatus.PEN


def test_participants_name_bare_competitors() -> None:
    result = load_files([DATA / "odf_ranking_m500.xml", DATA / "odf_partic.xml"])
    assert {p.id for p in result.participants} == {"1001", "3001", "3002"}
    (table,) = result.competition.standings
    assert table.title == "Men's 500 m final ranking"
    assert [(r.rank, r.points) for r in table.rows] == [(1, 1000.0), (2, 800.0)]
    felix = table.rows[0].competitor
    assert isinstance(felix, Athlete)
    assert (felix.family_name, felix.given_name) == ("Roussel", "Felix")
    assert felix.original_name == "ROUSSEL Felix"  # Participant@PrintName
    # 3003 is in no participants file: it keeps its code as a name
    assert table.rows[1].competitor.id == "3003"
    assert any("3002 has no rank" in w.message for w in result.warnings)


def test_participants_alone() -> None:
    result = load_file(DATA / "odf_partic.xml")
    assert result.competition.events == []
    velzeboer = next(p for p in result.participants if p.id == "1001")
    assert (velzeboer.nation, velzeboer.helmet, velzeboer.gender) == ("NED", 246, Gender.WOMEN)


def test_medals() -> None:
    medals = load_file(DATA / "odf_medals.xml").competition.medals
    assert [(m.nation, m.gold, m.silver, m.bronze, m.rank) for m in medals] == [
        ("KOR", 3, 2, 0, 1),
        ("CAN", 1, 2, 1, 2),
        ("NED", 1, 0, 2, 3),
    ]


def odf(tmp_path: Path, body: str, doc: str = "DT_RESULT", status: str = "OFFICIAL") -> Path:
    path = tmp_path / "m.xml"
    path.write_text(
        f'<?xml version="1.0"?>\n<OdfBody DocumentType="{doc}" ResultStatus="{status}" '
        f'DocumentCode="STKMSINGLES500M-----------FNL-000100--">\n<Competition>\n{body}\n'
        "</Competition>\n</OdfBody>\n",
        encoding="utf-8",
    )
    return path


ROW = '<Result Rank="{rank}" Result="{res}"><Competitor Code="{c}" Organisation="CAN"/></Result>'


def test_bad_rank_is_kept_naming_the_element(tmp_path: Path) -> None:
    body = ROW.format(rank="1", res="40.1", c="A") + "\n" + ROW.format(rank="x", res="41", c="B")
    result = load_file(odf(tmp_path, body))
    (warning,) = [w for w in result.warnings if "@Rank" in w.message]
    assert warning.location == "line 5, /OdfBody/Competition[1]/Result[2]"
    assert "kept as written" in warning.message
    row = result.competition.events[0].races[0].results[1]
    assert row.place is None and row.as_written == {"place": "x"}


def test_unknown_irm_is_kept_with_a_warning(tmp_path: Path) -> None:
    body = '<Result IRM="ZZZ"><Competitor Code="A"/></Result>'
    result = load_file(odf(tmp_path, body))
    assert any("@IRM: 'ZZZ' is not a known result code" in w.message for w in result.warnings)


def test_unknown_status_and_document_type(tmp_path: Path) -> None:
    body = ROW.format(rank="1", res="40.1", c="A")
    with pytest.raises(DataError, match="ResultStatus 'MAYBE'"):
        load_file(odf(tmp_path, body, status="MAYBE"))
    with pytest.raises(DataError, match="DocumentType 'DT_SCHEDULE' is not read"):
        load_file(odf(tmp_path, body, doc="DT_SCHEDULE"))


def test_unknown_organisation_is_a_warning(tmp_path: Path) -> None:
    body = '<Result Rank="1" Result="40.1"><Competitor Code="A" Organisation="ZZZ"/></Result>'
    result = load_file(odf(tmp_path, body))
    assert any("unknown nation code 'ZZZ'" in w.message for w in result.warnings)


def test_not_odf(tmp_path: Path) -> None:
    path = tmp_path / "x.xml"
    path.write_text("<html><body/></html>", encoding="utf-8")
    with pytest.raises(DataError, match="not an ODF message"):
        load_file(path)


def test_malformed_xml_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "x.xml"
    path.write_text("<OdfBody>\n  <Competition>\n  </Competitor>\n</OdfBody>", encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_file(path)
    assert err.value.location.startswith("line 3, column")
    assert "not well-formed" in str(err.value)


@pytest.mark.parametrize("encoding", ["x-unknown", "utf-32"])
def test_unknown_xml_encoding(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "x.xml"
    path.write_text(f'<?xml version="1.0" encoding="{encoding}"?>\n<OdfBody/>', "ascii")
    with pytest.raises(DataError) as err:
        load_file(path)
    assert err.value.location == "line 1"
    assert "encoding" in err.value.diagnostic.message


def test_entity_expansion_is_refused(tmp_path: Path) -> None:
    laughs = (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n'
        "<OdfBody><Competition>&lol2;</Competition></OdfBody>"
    )
    path = tmp_path / "x.xml"
    path.write_text(laughs, encoding="utf-8")
    with pytest.raises(DataError, match="entity declarations are not allowed"):
        load_file(path)


def test_external_entity_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("secret", encoding="utf-8")
    xxe = (
        f'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file://{secret}">]>\n'
        "<OdfBody><Competition>&e;</Competition></OdfBody>"
    )
    path = tmp_path / "x.xml"
    path.write_text(xxe, encoding="utf-8")
    with pytest.raises(DataError, match="not allowed"):
        load_file(path)


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.xml"
    path.write_text("<a>" * 200 + "</a>" * 200, encoding="utf-8")
    with pytest.raises(DataError, match="nested deeper"):
        load_file(path)
