"""CSV and XLSX results tables: encodings, delimiters, headers, mapping, codes and checks."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from openpyxl import Workbook

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
from strapline.io import ImportContext, load_file

DATA = Path(__file__).parent / "data"

ISU_HEADER = "Place,Start Pos.,Warn.,#,Name,ISU Member,Results,Qual.,Points"
ISU_ROWS = [
    "1,2,,241.0,ROUSSEL Felix,CAN,40.912,QA,100",
    "2,3,YC,245,PIERRE-GILLES Jordan,CAN,40.955,QB,80",
    "3,1,,140,KUCZYŃSKI Łukasz,POL,41.020,,70",
    "PEN,4,,128,NIKISHA Denis,KAZ,PEN,,",
]


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def isu_csv(delim: str = ",") -> str:
    return "\n".join(line.replace(",", delim) for line in [ISU_HEADER, *ISU_ROWS]) + "\n"


def test_isu_fixture_file() -> None:
    """An ISU semifinal in Windows-1252 with semicolons, decimal commas, a tie and a footer."""
    result = load_file(DATA / "men-1000m-semifinal-2.csv")
    (event,) = result.competition.events
    assert (event.name, event.gender, event.distance_m) == ("Men's 1000 m", Gender.MEN, 1000)
    (race,) = event.races
    assert race.round.kind is RoundKind.SEMIFINAL
    assert race.number == 2
    assert race.status is RaceStatus.OFFICIAL  # "Official Results" above the table
    rows = race.results
    assert [r.place for r in rows] == [1, 2, 2, 4, None]
    assert [r.tie for r in rows] == [False, True, True, False, False]
    assert rows[0].competitor.helmet == 241
    assert rows[0].time is not None and rows[0].time.ms == 84_245
    assert rows[0].time.display == "1:24.245"
    assert rows[1].warnings == (ResultStatus.YC,)
    assert rows[2].record is RecordMark.WR
    third = rows[2].competitor
    assert isinstance(third, Athlete)
    assert (third.family_name, third.given_name) == ("ŽELEZNÝ", "Šimon")
    assert rows[3].qualification is QualificationMark.qB
    assert rows[4].status is ResultStatus.PEN and rows[4].place is None
    assert result.warnings == []


@pytest.mark.parametrize("delim", [",", ";", "\t"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1"])
def test_delimiters_and_encodings(tmp_path: Path, delim: str, encoding: str) -> None:
    text = isu_csv(delim)
    if encoding in ("cp1252", "latin-1"):
        text = text.replace("KUCZYŃSKI Łukasz", "KOTRCHOVÁ Štěpán" if False else "MÜLLER Jörg")
    path = write(tmp_path, "Men 500m Final A.csv", text, encoding)
    race = load_file(path).competition.events[0].races[0]
    names = [r.competitor.family_name for r in race.results if isinstance(r.competitor, Athlete)]
    assert names[0] == "ROUSSEL"
    assert names[2] in ("KUCZYŃSKI", "MÜLLER")
    assert len(race.results) == 4


def test_cp1252_letters_are_not_read_as_latin1(tmp_path: Path) -> None:
    text = ISU_HEADER + "\n1,1,,1,ŽELEZNÝ Šimon,CZE,41.0,,\n"
    path = write(tmp_path, "x.csv", text, "cp1252")
    row = load_file(path).competition.events[0].races[0].results[0]
    assert row.competitor.family_name == "ŽELEZNÝ"


def test_excel_sep_line(tmp_path: Path) -> None:
    text = "sep=;\n" + isu_csv(";").replace("40.912", "40,912")
    race = load_file(write(tmp_path, "x.csv", text)).competition.events[0].races[0]
    assert race.results[0].time is not None and race.results[0].time.ms == 40_912
    bad = "sep=;\n" + ISU_HEADER.replace(",", ";") + "\n1;1;;1;A Bob;CAN;xx;;\n"
    result = load_file(write(tmp_path, "Men 500m Final A.csv", bad))
    assert [w.location for w in result.warnings] == ["line 3, column 'Results'"]


def test_utf16_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(codecs.BOM_UTF16_LE + isu_csv("\t").encode("utf-16-le"))
    assert len(load_file(path).competition.events[0].races[0].results) == 4


def test_file_name_gives_event_round_and_race(tmp_path: Path) -> None:
    path = write(tmp_path, "Women 1500m QuarterFinals 3.csv", isu_csv())
    event = load_file(path).competition.events[0]
    assert (event.id, event.name, event.gender) == ("women-1500-m", "Women's 1500 m", Gender.WOMEN)
    race = event.races[0]
    assert race.round.kind is RoundKind.QUARTERFINAL
    assert race.round.label == "QuarterFinals"
    assert race.number == 3
    assert race.id == "women-1500-m-quarterfinal-3"
    assert race.status is RaceStatus.UNOFFICIAL  # results, and nothing says they are official


def test_context_overrides_everything(tmp_path: Path) -> None:
    path = write(tmp_path, "Men 500m Final A.csv", isu_csv())
    ctx = ImportContext(
        competition="World Cup Dresden",
        event="Men 1000 m (2)",
        gender=Gender.MEN,
        distance_m=1000,
        round="Final B",
        race=1,
        status=RaceStatus.OFFICIAL,
    )
    comp = load_file(path, context=ctx).competition
    assert comp.name == "World Cup Dresden" and comp.id == "world-cup-dresden"
    event = comp.events[0]
    assert event.name == "Men 1000 m (2)" and event.distance_m == 1000
    race = event.races[0]
    assert race.round.kind is RoundKind.FINAL_B
    assert race.status is RaceStatus.OFFICIAL


def test_header_variants(tmp_path: Path) -> None:
    text = (
        "Rank;Lane;Bib;Last Name;First Name;NOC;Time;Q;Pts;ISU ID\n"
        "1;1;5;de LAAT;Itzhak;NED;41.1;Q;;ID1\n"
        "2;2;7;Park;Ji Won;KOR;41.2;q;;ID2\n"
    )
    race = load_file(write(tmp_path, "t.csv", text)).competition.events[0].races[0]
    first = race.results[0].competitor
    assert isinstance(first, Athlete)
    assert (first.id, first.family_name, first.given_name, first.nation) == (
        "ID1",
        "de LAAT",
        "Itzhak",
        "NED",
    )
    assert race.results[1].qualification is QualificationMark.q
    assert race.results[0].start_position == 1


def test_start_list_without_results(tmp_path: Path) -> None:
    text = "Start Pos.,#,Name,Nat\n1,108,ROUSSEL Felix,CAN\n2,113,PIERRE-GILLES Jordan,CAN\n"
    race = load_file(write(tmp_path, "Men 500m Final A.csv", text)).competition.events[0].races[0]
    assert race.status is RaceStatus.START_LIST
    assert race.results == []
    assert [e.helmet for e in race.start_list] == [108, 113]


def test_explicit_mapping_overrides_and_adds(tmp_path: Path) -> None:
    text = "Rang,Startnummer,Läufer,Land,Zeit\n1,5,ROUSSEL Felix,CAN,40.9\n2,6,KOS Daan,NED,41.0\n"
    mapping = {"Rang": "place", "Startnummer": "helmet", "Läufer": "name", "Land": "nation"}
    mapping["Zeit"] = "time"
    race = load_file(write(tmp_path, "x.csv", text), mapping).competition.events[0].races[0]
    assert [r.place for r in race.results] == [1, 2]
    assert race.results[1].competitor.helmet == 6
    assert race.results[0].time is not None


def test_mapping_can_ignore_a_column(tmp_path: Path) -> None:
    text = "Place,Name,Nat,Time\n1,ROUSSEL Felix,CAN,garbage\n"
    path = write(tmp_path, "x.csv", text)
    assert any("'garbage' is not a time" in w.message for w in load_file(path).warnings)
    result = load_file(path, {"Time": "ignore"})
    race = result.competition.events[0].races[0]
    assert race.results[0].time is None and race.results[0].as_written == {}
    assert not any("garbage" in w.message for w in result.warnings)


def test_mapping_errors_name_the_problem(tmp_path: Path) -> None:
    path = write(tmp_path, "x.csv", isu_csv())
    with pytest.raises(DataError, match="unknown field 'pace'"):
        load_file(path, {"Place": "pace"})
    with pytest.raises(DataError, match="'Rang' is not in the header"):
        load_file(path, {"Rang": "place"})


def test_bad_cell_is_kept_as_written_with_a_warning(tmp_path: Path) -> None:
    rows = [ISU_HEADER, ISU_ROWS[0], "2,3,,245,PIERRE-GILLES Jordan,CAN,4x.2,,"]
    path = write(tmp_path, "Men 500m Final A.csv", "\n".join(rows))
    result = load_file(path)
    (warning,) = result.warnings
    assert warning.source == str(path)
    assert warning.location == "line 3, column 'Results'"
    assert "'4x.2' is not a time" in warning.message and "kept as written" in warning.message
    row = result.competition.events[0].races[0].results[1]
    assert (row.place, row.time, row.as_written) == (2, None, {"time": "4x.2"})


def test_no_header_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "x.csv", "a,b,c\n1,2,3\n")
    with pytest.raises(DataError, match="no header row found"):
        load_file(path)


def test_header_without_rows_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no rows"):
        load_file(write(tmp_path, "x.csv", ISU_HEADER + "\n"))


def test_row_without_name_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "x.csv", ISU_HEADER + "\n1,2,,241,,CAN,40.9,,\n")
    with pytest.raises(DataError, match="line 2: row has no name"):
        load_file(path)


def test_doubtful_rows_give_warnings(tmp_path: Path) -> None:
    rows = [
        ISU_HEADER,
        "1,1,,241,ROUSSEL Felix,CAN,41.500,,",
        "2,2,,241,KOS Daan,XYZ,41.100,,",  # same helmet, unknown nation, faster than 1st
        "4,3,,250,ROUSSEL Felix,CAN,42.000,,",  # gap (no 3rd), same skater twice
    ]
    result = load_file(write(tmp_path, "x.csv", "\n".join(rows)))
    messages = [f"{w.location}: {w.message}" for w in result.warnings]
    assert any("unknown nation code 'XYZ'" in m and m.startswith("line 3") for m in messages)
    assert any("helmet 241 is used twice" in m for m in messages)
    assert any("faster than 41.500" in m and m.startswith("line 3") for m in messages)
    assert any("place 3 is missing" in m and m.startswith("line 4") for m in messages)
    assert any("listed twice" in m and m.startswith("line 4") for m in messages)
    assert len(result.competition.events[0].races[0].results) == 3


def test_equal_place_numbers_are_ties(tmp_path: Path) -> None:
    rows = [
        ISU_HEADER,
        "1,1,,1,A Bob,CAN,41.0,,",
        "1,2,,2,B Carl,USA,41.0,,",
        "3,3,,3,C D,NED,42,,",
    ]
    race = load_file(write(tmp_path, "x.csv", "\n".join(rows))).competition.events[0].races[0]
    assert [r.tie for r in race.results] == [True, True, False]


def test_status_codes_in_place_or_time(tmp_path: Path) -> None:
    rows = [
        ISU_HEADER,
        "1,1,,1,A Bob,CAN,41.0,,",
        "DNF,2,,2,B Carl,USA,,,",
        ",3,,3,C Dan,NED,notime,ADV,",
        "DNS,4,,4,E Fay,ITA,DNS,,",
        "WDR,5,YC,5,F Gus,JPN,,,",
    ]
    race = load_file(write(tmp_path, "x.csv", "\n".join(rows))).competition.events[0].races[0]
    assert [r.status for r in race.results] == [
        None,
        ResultStatus.DNF,
        ResultStatus.NO_TIME,
        ResultStatus.DNS,
        ResultStatus.WDR,
    ]
    assert race.results[2].qualification is QualificationMark.ADV
    assert race.results[4].warnings == (ResultStatus.YC,)


def test_relay_rows_with_members(tmp_path: Path) -> None:
    rows = [
        "Place,#,Team,Nat,Time",
        "1,301,Korea,KOR,6:41.234",
        ",,JANG Sungwoo,,",
        ",,PARK Ji Won,,",
        "2,302,Japan,JPN,6:42.000",
    ]
    path = write(tmp_path, "Men 5000m Relay Final A.csv", "\n".join(rows))
    event = load_file(path).competition.events[0]
    assert event.kind is EventKind.RELAY
    first = event.races[0].results[0].competitor
    assert isinstance(first, Team)
    assert (first.name, first.nation, first.helmet) == ("Korea", "KOR", 301)
    assert [m.family_name for m in first.members] == ["JANG", "PARK"]
    assert all(m.nation == "KOR" for m in first.members)


def test_heat_column_splits_the_table_into_races(tmp_path: Path) -> None:
    rows = [
        "Heat,Place,#,Name,Nat,Time,Qual.",
        "1,1,5,A Bob,CAN,41.0,Q",
        "1,2,6,B Carl,USA,41.5,Q",
        "2,1,7,KOS Daan,NED,40.9,Q",
        "2,2,5,D Eve,ITA,41.2,q",  # helmet 5 again, in another race: no warning
    ]
    path = write(tmp_path, "Men 500m Heats.csv", "\n".join(rows))
    result = load_file(path)
    races = result.competition.events[0].races
    assert [(r.id, len(r.results)) for r in races] == [
        ("men-500-m-heats-1", 2),
        ("men-500-m-heats-2", 2),
    ]
    assert races[1].results[0].competitor.family_name == "KOS"
    assert result.warnings == []


STANDINGS = [
    "ISU World Cup Short Track 2023/24",
    "Overall Standings Men (Crystal Globe)",
    "Rank,Name,Nat,500m,1000m,1500m,Points",
    "1,PARK Ji Won,KOR,200,1000,800,2000",
    "2=,JANG Sungwoo,KOR,,900,400,1300",
    "2=,ROUSSEL Felix,CAN,1000,300,,1300",
    ",NIKISHA Denis,KAZ,,,,",
]


def test_standings_table(tmp_path: Path) -> None:
    result = load_file(write(tmp_path, "wc.csv", "\n".join(STANDINGS)))
    comp = result.competition
    assert comp.events == []
    (table,) = comp.standings
    assert table.title == "Overall Standings Men (Crystal Globe)"
    assert table.id == "overall-standings-men-crystal-globe"
    assert [(r.rank, r.tie, r.points) for r in table.rows] == [
        (1, False, 2000.0),
        (2, True, 1300.0),
        (2, True, 1300.0),
    ]
    assert table.rows[0].breakdown == {"500m": 200.0, "1000m": 1000.0, "1500m": 800.0}
    assert table.rows[1].breakdown == {"1000m": 900.0, "1500m": 400.0}
    assert [w.location for w in result.warnings] == ["line 7"]  # no rank: left out


def test_standings_only_when_asked_or_titled(tmp_path: Path) -> None:
    plain = write(tmp_path, "x.csv", "\n".join(STANDINGS[2:6]))
    assert load_file(plain).competition.standings == []
    forced = load_file(plain, context=ImportContext(standings=True)).competition
    assert len(forced.standings[0].rows) == 3
    bad = write(tmp_path, "y.csv", "\n".join([*STANDINGS[:4], "2,KOS Daan,NED,x,,,10"]))
    with pytest.raises(DataError, match="line 5, column '500m'"):
        load_file(bad)


def test_team_column_beside_names_is_not_a_relay(tmp_path: Path) -> None:
    text = "Place,Name,Team,Nat,Time\n1,ROUSSEL Felix,Montreal SC,CAN,41.0\n"
    event = load_file(write(tmp_path, "x.csv", text)).competition.events[0]
    assert event.kind is EventKind.INDIVIDUAL
    assert isinstance(event.races[0].results[0].competitor, Athlete)


def test_nothing_half_loaded_on_error(tmp_path: Path) -> None:
    """A broken last row (its cells do not line up with the header) fails the whole file."""
    rows = [ISU_HEADER, *ISU_ROWS, "5,5,,9,Z Zed,CAN"]
    with pytest.raises(DataError, match="line 6"):
        load_file(write(tmp_path, "x.csv", "\n".join(rows)))


def test_repeated_header_and_notes_are_skipped(tmp_path: Path) -> None:
    rows = [ISU_HEADER, ISU_ROWS[0], ISU_HEADER, ISU_ROWS[1], "", "Printed 2024-02-04"]
    race = load_file(write(tmp_path, "x.csv", "\n".join(rows))).competition.events[0].races[0]
    assert len(race.results) == 2


def make_xlsx(path: Path, rows: list[list[object]], title: str = "Men 500m Final A") -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_xlsx_same_columns_as_csv(tmp_path: Path) -> None:
    header = ISU_HEADER.split(",")
    rows: list[list[object]] = [
        ["ISU World Cup"],
        header,
        [1, 2, None, 241.0, "ROUSSEL Felix", "CAN", "40.912", "QA", 100],
        [2, 3, "YC", 245, "PIERRE-GILLES Jordan", "CAN", 40.955, None, 80.5],
        ["PEN", 1, None, 128, "NIKISHA Denis", "KAZ", "PEN", None, None],
    ]
    path = make_xlsx(tmp_path / "results.xlsx", rows)
    event = load_file(path).competition.events[0]
    assert event.name == "Men's 500 m"
    race = event.races[0]
    assert race.round.kind is RoundKind.FINAL_A
    assert race.results[0].competitor.helmet == 241
    assert race.results[1].time is not None and race.results[1].time.ms == 40_955
    assert race.results[1].points == 80.5
    assert race.results[2].status is ResultStatus.PEN


def test_xlsx_warning_names_the_cell(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ISU_HEADER.split(","),
        [1, 2, None, 241, "A Bob", "CAN", "4x", None],
    ]
    path = make_xlsx(tmp_path / "Men 500m Final A.xlsx", rows, title="Sheet1")
    (warning,) = load_file(path).warnings
    assert warning.location == "sheet 'Sheet1', cell G2 (Results)"


def test_xlsx_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"PK\x03\x04not really a zip")
    with pytest.raises(DataError, match="not a readable Excel workbook"):
        load_file(path)


def test_xlsx_fixture_with_titles_and_records() -> None:
    race = load_file(DATA / "women-500m-final-a.xlsx").competition.events[0].races[0]
    assert race.status is RaceStatus.OFFICIAL and race.round.kind is RoundKind.FINAL_A
    assert [r.place for r in race.results] == [1, 2, 3, None]
    assert race.results[1].warnings == (ResultStatus.YC,)
    assert race.results[2].record is RecordMark.WR
    assert race.results[0].competitor.helmet == 246


def test_xlsx_time_cells() -> None:
    import datetime as dt

    from strapline.io.xlsx import cell_text

    assert cell_text(dt.time(0, 1, 24, 245_000)) == "1:24.245"
    assert cell_text(dt.timedelta(seconds=41.234)) == "41.234"
    assert cell_text(241.0) == "241"
    assert cell_text(41.2) == "41.2"
    assert cell_text(None) == ""


def test_rows_with_a_misspelt_key_are_refused_under_the_tests_checks() -> None:
    """tests/io/conftest.py turns the check for unknown keys on: a key that is not a field
    would fail every import test, not be dropped without a word."""
    from strapline.io import table

    assert table._UNKNOWN_KEYS == "forbid"
    athlete = {"kind": "athlete", "id": "x", "family_name": "X"}
    with pytest.raises(DataError, match="plac"):
        table._validated(table._RESULTS, [{"competitor": athlete, "plac": 1}], "f.csv", ["line 2"])
