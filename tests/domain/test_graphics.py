"""Graphic data models and their default bindings from the sports data."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from strapline.domain.graphics import (
    BindingError,
    GraphicKind,
    LowerThirdData,
    Playhead,
    PodiumData,
    QuoteData,
    RaceBugData,
    ResultListData,
    Selection,
    StandingsData,
    StandingsRow,
    StartListData,
    bind,
    data_model,
    format_laps,
    laps_for_distance,
    ordinal,
    page_rows,
    schemas,
    steps,
)
from strapline.domain.model import (
    Athlete,
    Competition,
    Event,
    EventKind,
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


def _a(id_: str, family: str, given: str, nation: str, helmet: int | None = None) -> Athlete:
    return Athlete(id=id_, family_name=family, given_name=given, nation=nation, helmet=helmet)


ROUSSEL = _a("roussel", "ROUSSEL", "Felix", "CAN", 141)
PIERRE = _a("pierre", "PIERRE-GILLES", "Jordan", "CAN", 142)
KUCZ = _a("kucz", "KUCZYNSKI", "Lukasz", "POL", 177)
NIKISHA = _a("nikisha", "NIKISHA", "Denis", "KAZ", 159)
PARK = _a("park", "PARK", "Ji Won", "KOR")
JANG = _a("jang", "JANG", "Sungwoo", "KOR")


def _competition() -> Competition:
    """A small Dresden-like weekend: a semifinal start list, a final, a relay, standings."""
    semi = Race(
        id="m500-sf1",
        round=Round(kind=RoundKind.SEMIFINAL),
        number=1,
        start_list=[
            StartEntry(competitor=KUCZ, start_position=2, helmet=177),
            StartEntry(competitor=ROUSSEL, start_position=1, helmet=141),
        ],
    )
    final = Race(
        id="m500-fa",
        round=Round(kind=RoundKind.FINAL_A),
        status=RaceStatus.OFFICIAL,
        start_list=[
            StartEntry(competitor=c, start_position=i + 1)
            for i, c in enumerate((NIKISHA, ROUSSEL, PIERRE, KUCZ))
        ],
        results=[
            ResultRow(competitor=ROUSSEL, place=1, time=RaceTime.from_ms(40_986)),
            ResultRow(
                competitor=PIERRE, place=2, time=RaceTime.from_ms(41_050), record=RecordMark.TR
            ),
            ResultRow(competitor=KUCZ, place=3, time=RaceTime.from_ms(41_200)),
            ResultRow(competitor=NIKISHA, status=ResultStatus.PEN),
        ],
    )
    heat = Race(
        id="m500-h1",
        round=Round(kind=RoundKind.HEATS),
        number=1,
        status=RaceStatus.UNOFFICIAL,
        results=[
            ResultRow(
                competitor=KUCZ,
                place=1,
                time=RaceTime.from_ms(41_500),
                qualification=QualificationMark.Q,
            ),
            ResultRow(
                competitor=PARK,
                place=2,
                time=RaceTime.from_ms(41_600),
                warnings=[ResultStatus.YC],
            ),
        ],
    )
    korea = Team(id="kor", nation="KOR", name="Korea", helmet=301, members=[PARK, JANG])
    relay = Race(
        id="m5000-fa",
        round=Round(kind=RoundKind.FINAL_A),
        status=RaceStatus.UNOFFICIAL,
        results=[ResultRow(competitor=korea, place=1, time=RaceTime.from_ms(410_123))],
    )
    standings = Standings(
        id="globe-men",
        title="Crystal Globe · Men",
        status=RaceStatus.UNOFFICIAL,
        rows=[
            Standing(rank=i + 1, competitor=c, points=500 - 40 * i)
            for i, c in enumerate((PARK, ROUSSEL, JANG, KUCZ, PIERRE, NIKISHA) * 2)
        ],
    )
    return Competition(
        name="ISU World Cup",
        city="Dresden",
        events=[
            Event(id="m500", name="Men 500 m", distance_m=500, races=[semi, heat, final]),
            Event(id="m1000", name="Men 1000 m", distance_m=1000),
            Event(
                id="m5000r",
                name="Men 5000 m Relay",
                distance_m=5000,
                kind=EventKind.RELAY,
                races=[relay],
            ),
        ],
        standings=[standings],
    )


@pytest.fixture
def comp() -> Competition:
    return _competition()


def test_every_kind_has_a_model_with_a_json_schema() -> None:
    all_schemas = schemas()
    assert set(all_schemas) == {k.value for k in GraphicKind}
    for kind in GraphicKind:
        schema = data_model(kind).model_json_schema()
        assert "status" in schema["properties"], kind
        json.dumps(schema)
        # Every field, nested rows included, is documented for third-party renderers.
        for model in (schema, *schema.get("$defs", {}).values()):
            for name, prop in model.get("properties", {}).items():
                documented = prop.get("description") or "$ref" in prop
                assert documented, (kind, model.get("title"), name)


def test_unknown_kind_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match=r"unknown graphic 'scoreboard'.*podium"):
        data_model("scoreboard")


def test_models_reject_unknown_fields_and_bad_codes() -> None:
    with pytest.raises(ValidationError):
        LowerThirdData.model_validate({"family_name": "X", "colour": "red"})
    with pytest.raises(ValidationError):
        LowerThirdData(family_name="X", nation="Canada")


def test_lower_third_from_a_medal_final_row(comp: Competition) -> None:
    data = bind("lower-third", comp, Selection(race_id="m500-fa"))
    assert isinstance(data, LowerThirdData)
    assert (data.family_name, data.given_name, data.nation) == ("ROUSSEL", "Felix", "CAN")
    assert data.helmet == 141
    assert data.info == "Men 500 m · Final A · Gold"
    assert data.second_line == "40.986"
    assert data.status is RaceStatus.OFFICIAL


def test_lower_third_defaults_to_first_race_with_results(comp: Competition) -> None:
    data = bind(GraphicKind.LOWER_THIRD, comp)
    assert isinstance(data, LowerThirdData)
    assert data.family_name == "KUCZYNSKI"
    assert data.info == "Men 500 m · Heat 1 · 1st"
    assert data.second_line == "41.500 · Q"
    assert data.status is RaceStatus.UNOFFICIAL


def test_lower_third_by_competitor_and_row(comp: Competition) -> None:
    silver = bind("lower-third", comp, Selection(race_id="m500-fa", row=1))
    assert isinstance(silver, LowerThirdData)
    assert silver.info.endswith("Silver")
    assert silver.second_line == "41.050 · TR"
    pen = bind("lower-third", comp, Selection(event_id="m500", competitor_id="nikisha"))
    assert isinstance(pen, LowerThirdData)
    assert pen.info == "Men 500 m · Final A · Penalty"


def test_lower_third_from_a_start_entry(comp: Competition) -> None:
    data = bind("lower-third", comp, Selection(race_id="m500-sf1", row=0))
    assert isinstance(data, LowerThirdData)
    assert data.info == "Men 500 m · Semifinal 1"
    assert data.second_line == ""
    assert data.status is RaceStatus.START_LIST


def test_lower_third_relay_team_lists_members(comp: Competition) -> None:
    data = bind("lower-third", comp, Selection(event_id="m5000r"))
    assert isinstance(data, LowerThirdData)
    assert data.family_name == "Korea"
    assert data.helmet == 301
    assert len(data.team_members) == 2
    assert "PARK" in data.team_members[0]


def test_lower_third_row_out_of_range(comp: Competition) -> None:
    with pytest.raises(BindingError, match="has 4 rows; there is no row 10"):
        bind("lower-third", comp, Selection(race_id="m500-fa", row=9))


def test_podium_from_final_with_penalty_note(comp: Competition) -> None:
    data = bind("podium", comp, Selection(event_id="m500"))
    assert isinstance(data, PodiumData)
    assert (data.title, data.subtitle) == ("Men 500 m", "Final A")
    assert [e.place for e in data.entries] == [1, 2, 3]
    assert [e.family_name for e in data.entries] == ["ROUSSEL", "PIERRE-GILLES", "KUCZYNSKI"]
    assert data.entries[0].time == "40.986"
    assert data.entries[1].record == "TR"
    assert data.note == "NIKISHA (KAZ) penalised"
    assert data.status is RaceStatus.OFFICIAL


def test_podium_keeps_ties(comp: Competition) -> None:
    final = comp.events[0].races[2]
    final.results[2] = ResultRow(competitor=KUCZ, place=2, tie=True, time=RaceTime.from_ms(41_050))
    final.results[1] = ResultRow(
        competitor=PIERRE, place=2, tie=True, time=RaceTime.from_ms(41_050)
    )
    data = bind("podium", comp, Selection(event_id="m500"))
    assert isinstance(data, PodiumData)
    assert [(e.place, e.tie) for e in data.entries] == [(1, False), (2, True), (2, True)]


def test_podium_waits_for_results(comp: Competition) -> None:
    comp.events[0].races[2].results = []
    with pytest.raises(BindingError, match="no results with places 1 to 3 yet"):
        bind("podium", comp, Selection(event_id="m500"))
    with pytest.raises(BindingError, match="not a medal final"):
        bind("podium", comp, Selection(race_id="m500-h1"))
    with pytest.raises(BindingError, match="has no races yet"):
        bind("podium", comp, Selection(event_id="m1000"))


def test_podium_for_relay_names_team_and_members(comp: Competition) -> None:
    data = bind("podium", comp, Selection(event_id="m5000r"))
    assert isinstance(data, PodiumData)
    assert data.entries[0].name == "Korea"
    assert data.entries[0].family_name == ""
    assert len(data.entries[0].team_members) == 2
    assert data.status is RaceStatus.UNOFFICIAL


def test_standings_pages_and_highlight(comp: Competition) -> None:
    data = bind("standings", comp, Selection(competitor_id="roussel"))
    assert isinstance(data, StandingsData)
    assert data.title == "Crystal Globe · Men"
    assert data.subtitle == "ISU World Cup · Dresden"
    assert len(data.rows) == 12
    assert data.rows[0].points == "500"
    assert data.highlight == "roussel"
    assert steps("standings", data) == 2
    assert [r.rank for r in page_rows(data, 1)] == [9, 10, 11, 12]
    assert page_rows(data, 7) == page_rows(data, 1)
    assert steps("standings", data.model_dump()) == 2
    assert data.status is RaceStatus.UNOFFICIAL


def test_standings_errors(comp: Competition) -> None:
    with pytest.raises(BindingError, match="no standings 'nope'"):
        bind("standings", comp, Selection(standings_id="nope"))
    with pytest.raises(BindingError, match="is not in standings"):
        bind("standings", comp, Selection(competitor_id="nobody"))
    with pytest.raises(BindingError, match="no standings yet"):
        bind("standings", Competition(), Selection())


def test_steps_is_one_for_single_page_kinds() -> None:
    one_page = StandingsData(
        title="T", rows=[StandingsRow(rank=1, name="A", points="1")], page_size=8
    )
    assert steps("standings", one_page) == 1
    assert steps("quote", QuoteData(quote="Hi")) == 1


def test_start_list_in_start_order(comp: Competition) -> None:
    data = bind("start-list", comp)
    assert isinstance(data, StartListData)
    assert data.subtitle == "Semifinal 1"
    assert [r.start_position for r in data.rows] == [1, 2]
    assert [r.helmet for r in data.rows] == [141, 177]
    assert data.rows[0].name.startswith("ROUSSEL")
    assert data.status is RaceStatus.START_LIST


def test_result_list_rows(comp: Competition) -> None:
    data = bind("result-list", comp, Selection(race_id="m500-fa"))
    assert isinstance(data, ResultListData)
    assert [r.place for r in data.rows] == [1, 2, 3, None]
    assert data.rows[3].code == "PEN"
    assert data.rows[1].record == "TR"
    heat = bind("result-list", comp, Selection(race_id="m500-h1"))
    assert isinstance(heat, ResultListData)
    assert heat.rows[0].qualification == "Q"
    assert heat.rows[1].warnings == ["YC"]
    with pytest.raises(BindingError, match="no results yet"):
        bind("result-list", comp, Selection(race_id="m500-sf1"))


def test_race_bug_laps_from_distance(comp: Competition) -> None:
    data = bind("race-bug", comp, Selection(race_id="m500-fa", competitor_id="roussel"))
    assert isinstance(data, RaceBugData)
    assert (data.laps_to_go, data.total_laps) == (4.5, 4.5)
    assert data.leader_helmet == 141
    assert "ROUSSEL" in data.leader_name
    relay = bind("race-bug", comp, Selection(event_id="m5000r"))
    assert isinstance(relay, RaceBugData)
    assert relay.total_laps == 45
    assert relay.leader_name == ""


@pytest.mark.parametrize(
    ("distance", "laps"),
    [(500, 4.5), (1000, 9), (1500, 13.5), (2000, 18), (3000, 27), (5000, 45)],
)
def test_laps_for_distance(distance: int, laps: float) -> None:
    assert laps_for_distance(distance) == laps


def test_format_laps_and_ordinals() -> None:
    assert [format_laps(x) for x in (4.5, 9.0, 0.5, 13.5)] == ["4.5", "9", "0.5", "13.5"]
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
        "101st",
    ]


def test_quote_from_free_text(comp: Competition) -> None:
    data = bind("quote", comp, Selection(text=" It was my day. ", competitor_id="roussel"))
    assert isinstance(data, QuoteData)
    assert data.quote == "It was my day."
    assert "Felix" in data.name
    assert data.nation == "CAN"
    assert data.role  # the nation's name
    with pytest.raises(BindingError, match="needs the quote's text"):
        bind("quote", comp, Selection())


def test_unknown_ids_name_what_exists(comp: Competition) -> None:
    with pytest.raises(BindingError, match=r"no event 'w500' \(events: m500, m1000, m5000r\)"):
        bind("result-list", comp, Selection(event_id="w500"))
    with pytest.raises(BindingError, match="no race 'x' in any event"):
        bind("result-list", comp, Selection(race_id="x"))
    with pytest.raises(BindingError, match="no events yet"):
        bind("result-list", Competition(), Selection())


def test_bound_data_round_trips_through_json(comp: Competition) -> None:
    for kind, sel in [
        ("lower-third", Selection()),
        ("podium", Selection(event_id="m500")),
        ("standings", Selection()),
        ("start-list", Selection()),
        ("result-list", Selection()),
        ("race-bug", Selection()),
        ("quote", Selection(text="Hello")),
    ]:
        data = bind(kind, comp, sel)
        again = data_model(kind).model_validate_json(data.model_dump_json())
        assert again == data


def test_playhead_defaults_and_bounds() -> None:
    ph = Playhead()
    assert (ph.phase, ph.t, ph.step, ph.previous) == ("hold", 0.0, 0, None)
    with pytest.raises(ValidationError):
        Playhead(phase="sideways")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        Playhead(step=-1)


# ---- the Dresden demo weekend ------------------------------------------------------------


@pytest.fixture(scope="module")
def dresden() -> Competition:
    from strapline.io.demo import load_demo

    return load_demo()


def test_demo_men_500_podium(dresden: Competition) -> None:
    data = bind("podium", dresden, Selection(event_id="m500"))
    assert isinstance(data, PodiumData)
    assert [e.family_name for e in data.entries] == ["ROUSSEL", "PIERRE-GILLES", "KUCZYŃSKI"]
    assert [e.nation for e in data.entries] == ["CAN", "CAN", "POL"]
    assert "NIKISHA (KAZ) penalised" in data.note
    assert data.status is RaceStatus.OFFICIAL


def test_demo_men_1000_sunday_podium_and_laps(dresden: Competition) -> None:
    data = bind("podium", dresden, Selection(event_id="m1000-2"))
    assert isinstance(data, PodiumData)
    assert [e.family_name for e in data.entries] == ["PARK", "JANG", "GALIAKHMETOV"]
    bug = bind("race-bug", dresden, Selection(event_id="m1000-2"))
    assert isinstance(bug, RaceBugData)
    assert bug.total_laps == 9


def test_demo_relay_podium_names_the_members(dresden: Competition) -> None:
    data = bind("podium", dresden, Selection(event_id="m5000r"))
    assert isinstance(data, PodiumData)
    assert [e.nation for e in data.entries] == ["KOR", "JPN", "HUN"]
    members = " ".join(data.entries[0].team_members)
    assert "JANG Sungwoo" in members and "PARK Ji Won" in members
    lt = bind("lower-third", dresden, Selection(event_id="m5000r"))
    assert isinstance(lt, LowerThirdData)
    assert lt.info.endswith("Gold") and lt.team_members


def test_demo_every_kind_binds(dresden: Competition) -> None:
    for kind in GraphicKind:
        sel = Selection(text="What a race.") if kind is GraphicKind.QUOTE else Selection()
        if kind is GraphicKind.LAP_CHART:  # lap times come only from a timing feed
            with pytest.raises(BindingError, match="lap times from the timing feed"):
                bind(kind, dresden, sel)
            continue
        data = bind(kind, dresden, sel)
        assert isinstance(data, data_model(kind))
    standings = bind("standings", dresden)
    assert isinstance(standings, StandingsData)
    assert standings.rows[0].name.startswith("PARK")
    assert steps("standings", standings) >= 2
    start = bind("start-list", dresden)
    assert isinstance(start, StartListData)
    assert start.rows and all(r.start_position for r in start.rows)
    result = bind("result-list", dresden, Selection(race_id="m500-fa"))
    assert isinstance(result, ResultListData)
    assert result.medals and any(r.code == "PEN" for r in result.rows)


def test_lower_third_finds_the_competitor_in_any_event(comp: Competition) -> None:
    data = bind("lower-third", comp, Selection(competitor_id="jang"))
    assert isinstance(data, LowerThirdData)
    assert data.family_name == "Korea"  # Jang skated only the relay: the team's caption
    assert "JANG Sungwoo" in data.team_members
    with pytest.raises(BindingError, match="'nobody' is in no race"):
        bind("lower-third", comp, Selection(competitor_id="nobody"))


def test_the_quote_card_writes_the_name_as_every_other_graphic(comp: Competition) -> None:
    quote = bind("quote", comp, Selection(text="It was my day.", competitor_id="roussel"))
    lower = bind("lower-third", comp, Selection(competitor_id="roussel", event_id="m500"))
    result = bind("result-list", comp, Selection(race_id="m500-fa"))
    assert isinstance(quote, QuoteData) and isinstance(lower, LowerThirdData)
    assert isinstance(result, ResultListData)
    assert quote.name == "ROUSSEL Felix" == f"{lower.family_name} {lower.given_name}"
    assert result.rows[0].name == "ROUSSEL Felix"


def test_a_graphic_is_never_drawn_with_an_invented_title(comp: Competition) -> None:
    comp.events[0].name = "Event"  # what an importer names an event it found no title for
    for kind in ("podium", "result-list", "start-list", "lower-third", "race-bug"):
        with pytest.raises(BindingError, match="has no title in the data"):
            bind(kind, comp, Selection(event_id="m500"))
    comp.events[0].name = "Men 500 m"
    comp.events[0].races[2].round = Round(kind=RoundKind.OTHER)  # the data names no round
    data = bind("result-list", comp, Selection(race_id="m500-fa"))
    assert isinstance(data, ResultListData)
    assert (data.title, data.subtitle) == ("Men 500 m", "")  # no made-up 'Round 1'
    with pytest.raises(ValidationError):
        ResultListData(title="", rows=[])  # a record without a title is incomplete


def test_penalised_row_shows_only_its_word(comp: Competition) -> None:
    final = comp.events[0].races[2]
    final.results[0] = ResultRow(
        competitor=ROUSSEL, place=1, time=RaceTime.from_ms(43_105), record=RecordMark.WR,
        status=ResultStatus.PEN,
    )  # fmt: skip
    lower = bind("lower-third", comp, Selection(race_id="m500-fa", competitor_id="roussel"))
    assert isinstance(lower, LowerThirdData)
    assert lower.info == "Men 500 m · Final A · Penalty"
    assert lower.second_line == ""  # neither the time nor the record
    podium = bind("podium", comp, Selection(event_id="m500"))
    assert isinstance(podium, PodiumData)
    assert "ROUSSEL" not in [e.family_name for e in podium.entries]


def test_medal_table_ranks_by_gold_silver_bronze_and_shares_ranks() -> None:
    from strapline.domain.graphics import MedalTableData
    from strapline.domain.model import MedalCount

    comp = Competition(
        name="World Cup",
        medals=[
            MedalCount(nation="CAN", gold=2, silver=3, bronze=1),
            MedalCount(nation="KOR", gold=4, silver=3, bronze=2),
            MedalCount(nation="BEL", silver=1),
            MedalCount(nation="JPN", silver=1),
            MedalCount(nation="NED", gold=2, silver=3, bronze=0),
        ],
    )
    data = bind("medal-table", comp)
    assert isinstance(data, MedalTableData)
    assert [(r.nation, r.rank, r.tie) for r in data.rows] == [
        ("KOR", 1, False), ("CAN", 2, False), ("NED", 3, False), ("BEL", 4, True),
        ("JPN", 4, True),
    ]  # fmt: skip
    assert data.rows[0].total == 9 and data.rows[0].name == "Republic of Korea"
    with pytest.raises(BindingError, match="no medal table"):
        bind("medal-table", Competition())


def test_advancement_from_qualification_marks(dresden: Competition) -> None:
    from strapline.domain.graphics import AdvancementData

    data = bind("advancement", dresden, Selection(event_id="m500"))
    assert isinstance(data, AdvancementData)
    assert data.title == "Men 500 m" or data.title.endswith("500 m")
    assert {r.to for r in data.rows} == {"Final A", "Final B"}
    assert [r.to for r in data.rows] == sorted(r.to for r in data.rows)  # A before B
    assert any(r.mark == "ADA" and r.to == "Final A" for r in data.rows)
    quarter = bind("advancement", dresden, Selection(race_id="m500-qf1"))
    assert isinstance(quarter, AdvancementData)
    assert {r.to for r in quarter.rows} == {RoundKind.SEMIFINAL.display}  # Q and q go on
    assert {r.mark for r in quarter.rows} == {"Q", "q"}
    with pytest.raises(BindingError, match="qualification marks"):
        bind("advancement", dresden, Selection(event_id="m5000r"))


def test_schedule_starts_at_the_first_race_without_results(dresden: Competition) -> None:
    from strapline.domain.graphics import ScheduleData

    data = bind("schedule", dresden)
    assert isinstance(data, ScheduleData)
    assert data.rows[0].time == "15:24" and data.rows[0].state == ""  # women's 500 m final
    assert all(r.state == "Result" for r in data.rows[1:])
    assert [r.time for r in data.rows] == sorted(r.time for r in data.rows)
    assert steps("schedule", data) == 1
    with pytest.raises(BindingError, match="start time"):
        bind("schedule", Competition())
