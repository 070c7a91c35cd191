"""Results-site exports as they really look: context columns, names without spaces, every
spelling of a distance and a round, odd cells kept with a warning, broken rows refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from strapline.domain.diagnostics import DataError
from strapline.domain.model import EventKind, Gender, QualificationMark, RaceStatus, RoundKind
from strapline.io import load_file

HEADER = (
    "season,competition,event,gender,round,race,Place,Start Pos.,Warn.,#,Name,ISU ID,"
    "ISU Member,Results,Qual.,Points"
)
DRESDEN = "ISU World Cup Short Track Speed Skating 2019/20 - Dresden (GER)"
# The example of the issue: names without spaces, a title in columns, a comma in a distance.
ISSUE_ROWS = [
    f'2019-2020,{DRESDEN},"1,500m",w,Rep.Quarterfinals,2,1,3,,57,deBOERSanne,9001,NED,2:21.337,Q,',
    f'2019-2020,{DRESDEN},"1,500m",w,Rep.Quarterfinals,2,PEN,1,YC,12,KIMGilli,9002,KOR,PEN,,',
    f"2019-2020,{DRESDEN},5000m Relay,m,FinalA,1,1,2,,,UNITEDSTATES,,USA,6:51.020,,",
]


def write(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_issue_example(tmp_path: Path) -> None:
    result = load_file(write(tmp_path, "export.csv", [HEADER, *ISSUE_ROWS]))
    comp = result.competition
    assert (comp.name, comp.city, comp.nation, comp.season) == (
        "ISU World Cup Short Track Speed Skating 2019/20",
        "Dresden",
        "GER",
        "2019-2020",
    )
    women, relay = comp.events
    assert (women.id, women.name, women.gender, women.distance_m, women.kind) == (
        "women-1500-m",
        "Women's 1500 m",
        Gender.WOMEN,
        1500,
        EventKind.INDIVIDUAL,
    )
    (rep,) = women.races
    assert rep.round.kind is RoundKind.REPECHAGE_QUARTERFINAL
    assert (rep.id, rep.label, rep.number) == (
        "women-1500-m-repechage-quarterfinal-2",
        "Repechage Quarterfinal 2",
        2,
    )
    boer, kim = rep.results
    assert (boer.competitor.family_name, boer.competitor.given_name) == ("de BOER", "Sanne")  # type: ignore[union-attr]
    assert boer.competitor.id == "9001" and boer.qualification is QualificationMark.Q
    assert (kim.competitor.family_name, kim.competitor.given_name) == ("KIM", "Gilli")  # type: ignore[union-attr]
    assert relay.name == "Men's 5000 m Relay" and relay.kind is EventKind.RELAY
    (final,) = relay.races
    assert final.label == "Final A"
    team = final.results[0].competitor
    assert team.kind == "team" and team.name == "United States of America"
    assert result.warnings == []


@pytest.mark.parametrize(
    ("event", "gender", "name", "distance", "kind"),
    [
        ("500m", "m", "Men's 500 m", 500, EventKind.INDIVIDUAL),
        ("1,500m", "w", "Women's 1500 m", 1500, EventKind.INDIVIDUAL),
        ("1 500 m", "L", "Women's 1500 m", 1500, EventKind.INDIVIDUAL),
        ("1500M", "M", "Men's 1500 m", 1500, EventKind.INDIVIDUAL),
        ("1,000m", "Ladies", "Women's 1000 m", 1000, EventKind.INDIVIDUAL),
        ("1000m(2)", "Men", "Men's 1000 m (2)", 1000, EventKind.INDIVIDUAL),
        ("1000m (1)", "F", "Women's 1000 m (1)", 1000, EventKind.INDIVIDUAL),
        ("5000mRelay", "m", "Men's 5000 m Relay", 5000, EventKind.RELAY),
        ("3000m Relay", "Women", "Women's 3000 m Relay", 3000, EventKind.RELAY),
        ("2000m Mixed Relay", "x", "Mixed 2000 m Relay", 2000, EventKind.RELAY),
        ("2000 m Mixed Relay", "Mixed", "Mixed 2000 m Relay", 2000, EventKind.RELAY),
    ],
)
def test_every_distance_and_gender_spelling(
    tmp_path: Path, event: str, gender: str, name: str, distance: int, kind: EventKind
) -> None:
    row = f'2023-2024,{DRESDEN},"{event}",{gender},Heats,1,1,1,,5,ROUSSELFelix,1,CAN,41.000,Q,'
    result = load_file(write(tmp_path, "x.csv", [HEADER, row]))
    (ev,) = result.competition.events
    assert (ev.name, ev.distance_m, ev.kind) == (name, distance, kind)
    assert not [w for w in result.warnings if "event" in w.message]


ROUNDS = [
    ("Heats", RoundKind.HEATS, "Heat 3"),
    ("Preliminaries", RoundKind.PRELIMINARIES, "Preliminary 3"),
    ("Pre-Preliminaries", RoundKind.PRE_PRELIMINARIES, "Pre-Preliminary 3"),
    ("Quarterfinals", RoundKind.QUARTERFINAL, "Quarterfinal 3"),
    ("QuarterFinals", RoundKind.QUARTERFINAL, "Quarterfinal 3"),
    ("Quaterfinals", RoundKind.QUARTERFINAL, "Quarterfinal 3"),
    ("Semifinals", RoundKind.SEMIFINAL, "Semifinal 3"),
    ("SemiFinals", RoundKind.SEMIFINAL, "Semifinal 3"),
    ("Seminfinals", RoundKind.SEMIFINAL, "Semifinal 3"),
    ("Final", RoundKind.FINAL, "Final"),
    ("FinalA", RoundKind.FINAL_A, "Final A"),
    ("FinalB", RoundKind.FINAL_B, "Final B"),
    ("RankingFinals", RoundKind.RANKING_FINAL, "Ranking Final 3"),
    ("RankingFinalsHeats", RoundKind.RANKING_HEATS, "Ranking Heat 3"),
    ("RankingRaces-Heats", RoundKind.RANKING_HEATS, "Ranking Heat 3"),
    ("Eighthfinals", RoundKind.EIGHTHFINAL, "Eighthfinal 3"),
    ("Round1", RoundKind.ROUND, "Round 1 Race 3"),
    ("Races", RoundKind.RACES, "Race 3"),
    ("Rep.Heats", RoundKind.REPECHAGE_HEATS, "Repechage Heat 3"),
    ("RepQuarterfinals", RoundKind.REPECHAGE_QUARTERFINAL, "Repechage Quarterfinal 3"),
    ("RepSemifinals", RoundKind.REPECHAGE_SEMIFINAL, "Repechage Semifinal 3"),
    ("RepFinalA", RoundKind.REPECHAGE_FINAL_A, "Repechage Final A"),
    ("RepFinalB", RoundKind.REPECHAGE_FINAL_B, "Repechage Final B"),
]


@pytest.mark.parametrize(("label", "kind", "shown"), ROUNDS)
def test_every_round_spelling(tmp_path: Path, label: str, kind: RoundKind, shown: str) -> None:
    row = f"2023-2024,{DRESDEN},500m,m,{label},3,1,1,,5,ROUSSELFelix,1,CAN,41.000,,"
    result = load_file(write(tmp_path, "x.csv", [HEADER, row]))
    race = result.competition.events[0].races[0]
    assert (race.round.kind, race.round.label, race.label) == (kind, label, shown)
    assert result.warnings == []


def test_rounds_of_one_event_never_share_an_id(tmp_path: Path) -> None:
    rows = [
        f"2023-2024,{DRESDEN},500m,m,{label},3,1,1,,5,ROUSSELFelix,1,CAN,41.000,,"
        for label, _, _ in ROUNDS
        if label not in ("QuarterFinals", "Quaterfinals", "SemiFinals", "Seminfinals")
        and label != "RankingRaces-Heats"
    ]
    (event,) = load_file(write(tmp_path, "x.csv", [HEADER, *rows])).competition.events
    ids = [r.id for r in event.races]
    assert len(ids) == len(rows) == len(set(ids))


def test_a_round_not_understood_is_shown_as_written_and_warned(tmp_path: Path) -> None:
    row = f"2023-2024,{DRESDEN},500m,m,Consolation Races,2,1,1,,5,ROUSSELFelix,1,CAN,41.000,,"
    result = load_file(write(tmp_path, "x.csv", [HEADER, row]))
    race = result.competition.events[0].races[0]
    assert race.round.kind is RoundKind.OTHER
    assert race.label == "Consolation Races 2" and "Round" not in race.label
    (warning,) = result.warnings
    assert warning.location == "line 2"
    assert warning.message == "round 'Consolation Races' not understood; shown as written"


def test_unknown_mark_and_place_keep_their_row(tmp_path: Path) -> None:
    rows = [
        f"2023-2024,{DRESDEN},500m,m,FinalA,1,1,2,,5,ROUSSELFelix,1,CAN,41.000,QAB,",
        f"2023-2024,{DRESDEN},500m,m,FinalA,1,NP,3,,7,KOSDaan,2,NED,41.500,,",
    ]
    path = write(tmp_path, "x.csv", [HEADER, *rows])
    result = load_file(path)
    first, second = result.competition.events[0].races[0].results
    assert first.qualification is None and first.as_written == {"qualification": "QAB"}
    assert second.place is None and second.as_written == {"place": "NP"}
    assert second.time is not None and second.time.ms == 41_500
    assert [(w.source, w.location) for w in result.warnings] == [
        (str(path), "line 2, column 'Qual.'"),
        (str(path), "line 3, column 'Place'"),
    ]
    assert all("kept as written" in w.message for w in result.warnings)


def test_unterminated_quote_is_refused_naming_its_line(tmp_path: Path) -> None:
    lines = [
        "Place,Name,ISU Member,Results",
        "1,ROUSSEL Felix,CAN,40.5",
        '2,"PIERRE-GILLES Jordan,CAN,40.6',
        "3,KUCZYNSKI Lukasz,POL,40.7",
    ]
    with pytest.raises(DataError) as err:
        load_file(write(tmp_path, "Men 500m Final A.csv", lines))
    assert err.value.location == "line 3"
    assert "never closed" in err.value.diagnostic.message
    # the issue's own row, where the quote swallows the rest of the line only
    lines = ["Place,Name,ISU Member,Results", '1,"ROUSSEL Felix,CAN,40.5']
    with pytest.raises(DataError, match="line 2"):
        load_file(write(tmp_path, "Men 500m Final A.csv", lines))


def test_warnings_that_catch_what_goes_wrong_on_air(tmp_path: Path) -> None:
    rows = [
        f"2023-2024,{DRESDEN},500m,m,FinalA,1,1,2,,5,JEAN-FrANCOISMONETTE,1,CAN,41.000,,",
        f"2023-2024,{DRESDEN},500m,m,FinalA,1,2,3,,7,KOSDaan,2,,41.500,,",
        f"2023-2024,{DRESDEN},500m,m,FinalA,1,3,4,,,NETHERLANDS,,NED,41.600,,",
        f"2023-2024,{DRESDEN},500m,m,FinalA,1,4,1,,9,PARKJIWON,4,KOR,41.700,,",
    ]
    result = load_file(write(tmp_path, "x.csv", [HEADER, *rows]))
    found = {(w.location, w.message) for w in result.warnings}
    assert (
        "line 2, column 'Name'",
        "name 'JEAN-FrANCOISMONETTE' kept as written: its family and given names cannot be told "
        "apart (written without spaces)",
    ) in found
    assert ("line 3, column 'ISU Member'", "row has no nation") in found
    assert (
        "line 4, column 'Name'",
        "'NETHERLANDS' looks like a relay team, in the individual event \"Men's 500 m\"",
    ) in found
    assert (
        "line 5, column 'Name'",
        "name 'PARKJIWON' kept as written: it has no given name",
    ) in found
    athlete = result.competition.events[0].races[0].results[0].competitor
    assert athlete.kind == "athlete" and athlete.family_name == "JEAN-FrANCOISMONETTE"


def test_event_without_gender_or_distance_is_warned_and_titled_as_written(
    tmp_path: Path,
) -> None:
    rows = [
        "event,Place,Name,ISU Member,Results",
        "Team Pursuit,1,ROUSSEL Felix,CAN,2:50.000",
    ]
    result = load_file(write(tmp_path, "results.csv", rows))
    (event,) = result.competition.events
    assert event.name == "Team Pursuit"
    assert [w.message for w in result.warnings] == [
        "event 'Team Pursuit' has no gender (give a gender column or --gender)",
        "event 'Team Pursuit' has no distance (give an event column or --distance)",
    ]


def test_relay_recognised_from_team_rows(tmp_path: Path) -> None:
    rows = [
        "Place,#,Name,ISU Member,Results",
        "1,301,KOREA,KOR,6:51.020",
        "2,302,GREATBRITAIN,GBR,6:52.100",
        "3,303,CHINA,CHN,6:53.300",
    ]
    result = load_file(write(tmp_path, "Men 5000m Final A.csv", rows))
    (event,) = result.competition.events
    assert event.kind is EventKind.RELAY and event.name == "Men's 5000 m Relay"
    names = [r.competitor.name for r in event.races[0].results]  # type: ignore[union-attr]
    assert names == ["Republic of Korea", "Great Britain", "People's Republic of China"]


def test_status_column_per_race(tmp_path: Path) -> None:
    header = "event,gender,round,race,status,Place,Name,ISU Member,Results"
    rows = [
        "500m,w,Heats,1,Official,1,ROUSSELFelix,CAN,41.0",
        "500m,w,Heats,2,Unofficial,1,KOSDaan,NED,42.0",
        "500m,w,Heats,2,Unofficial,PEN,NIKISHADenis,KAZ,PEN",
    ]
    races = load_file(write(tmp_path, "x.csv", [header, *rows])).competition.events[0].races
    assert [r.status for r in races] == [RaceStatus.OFFICIAL, RaceStatus.UNOFFICIAL]
    assert races[1].results[1].status is not None and races[1].results[1].status.value == "PEN"


def test_empty_cells_past_the_header_are_not_a_broken_row(tmp_path: Path) -> None:
    lines = [
        "Men 500m Final A",
        "Place,Name,ISU Member,Results,,",  # a spreadsheet's empty columns after the table
        "1,ROUSSEL Felix,CAN,40.5",
        "2,KOS Daan,NED,40.6,,,",
    ]
    race = load_file(write(tmp_path, "x.csv", lines)).competition.events[0].races[0]
    assert [r.place for r in race.results] == [1, 2]
    with pytest.raises(DataError, match="line 3: 5 cells where the header has 6"):
        load_file(write(tmp_path, "y.csv", [*lines[:2], "1,ROUSSEL, Felix,CAN,40.5"]))
