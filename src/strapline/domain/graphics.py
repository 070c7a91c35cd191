"""Graphics as data: one pydantic model per kind of graphic, and its default binding.

A graphic is a kind (lower third, podium, standings table, ...) plus a flat, documented data
record. The record carries display-ready strings (names already formatted, times as shown) and
the few structured bits a renderer needs (helmet numbers, nation codes, a tie flag, a status).
Strapline's own renderer paints these records; third-party renderers receive the same records
as JSON over OSC and can read their JSON Schema (`data_model(kind).model_json_schema()`).

`bind(kind, competition, selection)` builds the default record from the sports data: a result
row becomes a lower third, a final becomes a podium card, a standings list becomes a table.
When the data is not there yet (a podium for a final without results) it raises `BindingError`,
so a cue prepared ahead of time simply waits for the data.

Every record has a `status` (`RaceStatus`): renderers mark anything that is not OFFICIAL.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from strapline.domain.model import (
    Athlete,
    Competition,
    Event,
    Race,
    RaceStatus,
    ResultRow,
    ResultStatus,
    RoundKind,
    StartEntry,
    Team,
)
from strapline.domain.rows import row_view

if TYPE_CHECKING:
    from strapline.domain.names import NameForm

#: Length of a short track oval, in metres (ISU): 500 m is four and a half laps.
SHORT_TRACK_LAP_M = 111.12


class GraphicKind(StrEnum):
    LOWER_THIRD = "lower-third"
    PODIUM = "podium"
    STANDINGS = "standings"
    START_LIST = "start-list"
    RESULT_LIST = "result-list"
    RACE_BUG = "race-bug"
    QUOTE = "quote"
    # the live race (strapline.domain.live_graphics builds these from the timing feed)
    RACE_CLOCK = "race-clock"
    POSITIONS = "positions"
    LAP_CHART = "lap-chart"
    FINISH_CARD = "finish-card"
    MEDAL_TABLE = "medal-table"
    ADVANCEMENT = "advancement"
    SCHEDULE = "schedule"


class BindingError(ValueError):
    """The sports data does not (yet) hold what a graphic needs; the message says what."""


class GraphicData(BaseModel):
    """Base of every graphic's data: flat, strict about unknown fields, validated."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, validate_default=True)


Nation = Annotated[
    str,
    Field(
        pattern=r"^([A-Z]{3})?$",
        description="IOC-style nation code such as 'CAN'; empty when there is none",
    ),
]


def _status_field(default: RaceStatus) -> Any:
    return Field(
        default=default,
        description=(
            "How final the data is: START_LIST, LIVE, UNOFFICIAL or OFFICIAL. Renderers mark "
            "every graphic whose data is not OFFICIAL (results, standings) or show the state."
        ),
    )


# --------------------------------------------------------------------------------------------
# Data models, one per kind
# --------------------------------------------------------------------------------------------


class LowerThirdData(GraphicData):
    """A name caption for one skater or relay team."""

    family_name: str = Field(
        description="Family name as displayed, ISU style in capitals ('ROUSSEL', 'de LAAT'); "
        "for a relay team, the team's name ('Korea')"
    )
    given_name: str = Field(default="", description="Given name as displayed ('Felix')")
    nation: Nation = ""
    helmet: int | None = Field(default=None, ge=0, description="Helmet number worn in the race")
    info: str = Field(
        default="",
        description="Context line: event, round and place, e.g. 'Men 500 m · Final A · Gold'",
    )
    second_line: str = Field(
        default="",
        description="Optional extra line, e.g. the time with record and qualification marks",
    )
    team_members: list[str] = Field(
        default_factory=list, description="Relay only: member names as displayed, in order"
    )
    status: RaceStatus = _status_field(RaceStatus.OFFICIAL)


class PodiumEntry(GraphicData):
    place: int = Field(ge=1, description="Place, 1 to 3")
    tie: bool = Field(default=False, description="Place shared with another entry")
    name: str = Field(description="Display name ('Felix ROUSSEL') or the relay team's name")
    family_name: str = Field(default="", description="Family name as displayed; '' for a team")
    given_name: str = Field(default="", description="Given name as displayed; '' for a team")
    nation: Nation = ""
    helmet: int | None = Field(default=None, ge=0, description="Helmet number worn in the race")
    time: str = Field(default="", description="Time as displayed, e.g. '40.986'")
    record: str = Field(default="", description="Record mark beside the time: WR, OR, ...")
    code: str = Field(
        default="",
        description="Result code of a placed row that has no time ('NOTIME'); '' for none",
    )
    team_members: list[str] = Field(
        default_factory=list, description="Relay only: member names as displayed"
    )


class PodiumData(GraphicData):
    """The medallists of a final."""

    title: str = Field(description="Event, e.g. 'Men 500 m'", min_length=1)
    subtitle: str = Field(default="", description="Round, e.g. 'Final A'")
    entries: list[PodiumEntry] = Field(description="Places 1 to 3 in order; ties share a place")
    note: str = Field(
        default="",
        description="Footnote, e.g. 'NIKISHA (KAZ) penalised'; empty for none",
    )
    status: RaceStatus = _status_field(RaceStatus.UNOFFICIAL)


class StandingsRow(GraphicData):
    rank: int = Field(ge=1, description="Rank in the standings")
    tie: bool = Field(default=False, description="Rank shared with another competitor")
    name: str = Field(description="Display name or team name")
    nation: Nation = ""
    points: str = Field(description="Points as displayed, e.g. '480'")
    competitor_id: str = Field(default="", description="Competitor id, for highlighting")


class StandingsData(GraphicData):
    """A ranking table shown a page at a time: take step k shows page k."""

    title: str = Field(description="e.g. 'Crystal Globe · Men'", min_length=1)
    subtitle: str = Field(default="", description="e.g. 'Overall ranking after Dresden'")
    rows: list[StandingsRow] = Field(description="All rows, in rank order")
    page_size: int = Field(default=8, ge=1, le=20, description="Rows per page (take step)")
    highlight: str = Field(
        default="", description="Competitor id of the row to highlight; '' for none"
    )
    status: RaceStatus = _status_field(RaceStatus.OFFICIAL)


class StartListRow(GraphicData):
    start_position: int | None = Field(default=None, ge=1, description="Start position (lane)")
    helmet: int | None = Field(default=None, ge=0, description="Helmet number worn in the race")
    name: str = Field(description="Display name or team name")
    nation: Nation = ""
    team_members: list[str] = Field(default_factory=list, description="Relay only: members")


class StartListData(GraphicData):
    """The line-up of one race."""

    title: str = Field(description="Event, e.g. 'Men 1000 m'", min_length=1)
    subtitle: str = Field(default="", description="Race, e.g. 'Semifinals 2'")
    rows: list[StartListRow] = Field(description="Competitors in start-position order")
    status: RaceStatus = _status_field(RaceStatus.START_LIST)


class ResultListRow(GraphicData):
    place: int | None = Field(default=None, ge=1, description="Place; None when a code stands")
    tie: bool = Field(default=False, description="Place shared with another competitor")
    helmet: int | None = Field(default=None, ge=0, description="Helmet number worn in the race")
    name: str = Field(description="Display name or team name")
    nation: Nation = ""
    time: str = Field(default="", description="Time as displayed, e.g. '1:24.245'")
    record: str = Field(default="", description="Record mark: WR, OR, JWR, TR, NR or ''")
    qualification: str = Field(default="", description="Qualification mark: Q, q, QA, ADV, ...")
    code: str = Field(
        default="",
        description="Result code standing instead of a place or time: PEN, DQ, DNF, DNS, ...",
    )
    warnings: list[str] = Field(default_factory=list, description="Warnings such as 'YC'")
    team_members: list[str] = Field(default_factory=list, description="Relay only: members")
    competitor_id: str = Field(default="", description="Competitor id")


class ResultListData(GraphicData):
    """The result of one race."""

    title: str = Field(description="Event, e.g. 'Men 500 m'", min_length=1)
    subtitle: str = Field(default="", description="Race, e.g. 'Final A'")
    rows: list[ResultListRow] = Field(description="Rows in result order")
    medals: bool = Field(
        default=False,
        description="The race is the medal final: places 1 to 3 are shown in medal colours",
    )
    status: RaceStatus = _status_field(RaceStatus.UNOFFICIAL)


class RaceBugData(GraphicData):
    """A small corner bug during a race: event, round, laps to go, optional leader."""

    event: str = Field(description="Event, e.g. 'Men 1000 m'", min_length=1)
    round: str = Field(default="", description="Race, e.g. 'Final A'")
    laps_to_go: float | None = Field(
        default=None, ge=0, description="Laps still to skate (halves allowed: 4.5)"
    )
    total_laps: float | None = Field(default=None, ge=0, description="Laps of the race")
    leader_helmet: int | None = Field(default=None, ge=0, description="Leader's helmet number")
    leader_name: str = Field(default="", description="Leader's display name; '' for none")
    leader_nation: Nation = ""
    status: RaceStatus = _status_field(RaceStatus.LIVE)


class QuoteData(GraphicData):
    """A quote card: words and who said them."""

    quote: str = Field(min_length=1, description="The quoted words, without quotation marks")
    name: str = Field(default="", description="Who said it, as displayed")
    role: str = Field(default="", description="Role or nation line, e.g. 'Canada · 500 m gold'")
    nation: Nation = ""
    status: RaceStatus = _status_field(RaceStatus.OFFICIAL)


class RaceClockData(GraphicData):
    """The running race: clock, laps to go and leader. The renderer draws the running time
    itself, every frame, from `clock_started_at`; the data is sent once per change, not per tick."""

    event: str = Field(description="Event, e.g. 'Men 1000 m'")
    round: str = Field(default="", description="Race, e.g. 'Final A'")
    clock_ms: int | None = Field(
        default=None,
        ge=0,
        description="Time to show, ms: the held finish time, or the running time when the data "
        "was made (a still); None shows no clock",
    )
    clock_started_at: float | None = Field(
        default=None,
        description="The gun, Unix seconds on the renderer's clock: while clock_running, the "
        "renderer shows its own now minus this on every frame",
    )
    clock_running: bool = Field(default=False, description="The clock counts (race running)")
    laps_to_go: float | None = Field(default=None, ge=0, description="Laps still to skate")
    total_laps: float | None = Field(default=None, ge=0, description="Laps of the race")
    leader_helmet: int | None = Field(default=None, ge=0, description="Leader's helmet number")
    leader_name: str = Field(default="", description="Leader's display name; '' for none")
    leader_nation: Nation = ""
    stale: bool = Field(
        default=False, description="The timing feed went silent: laps and leader may be old"
    )
    status: RaceStatus = _status_field(RaceStatus.LIVE)


class PositionRow(GraphicData):
    place: int | None = Field(default=None, ge=1, description="Current place; None when out")
    helmet: int | None = Field(default=None, ge=0, description="Helmet number")
    name: str = Field(description="Display name")
    nation: Nation = ""
    gap: str = Field(default="", description="Behind the leader as shown, e.g. '+0.31'")
    code: str = Field(default="", description="A mark instead of the gap: PEN, DNF, ADV...")
    fell: bool = Field(default=False, description="Fell in this race")


class PositionsData(GraphicData):
    """A tower of the skaters by current place, with helmet, nation and gap to the leader."""

    title: str = Field(description="Event, e.g. 'Men 1000 m'")
    subtitle: str = Field(default="", description="Race, e.g. 'Final A'")
    laps_to_go: float | None = Field(default=None, ge=0, description="Laps still to skate")
    rows: list[PositionRow] = Field(description="Skaters in current order", max_length=12)
    stale: bool = Field(default=False, description="The timing feed went silent")
    status: RaceStatus = _status_field(RaceStatus.LIVE)


class LapSeries(GraphicData):
    helmet: int | None = Field(default=None, ge=0, description="Helmet number")
    name: str = Field(description="Display name")
    nation: Nation = ""
    laps_ms: list[int] = Field(
        default_factory=list, description="Lap times in ms, crossing by crossing", max_length=60
    )


class LapChartData(GraphicData):
    """Lap times per skater across the race, drawn as lines by the renderer."""

    title: str = Field(description="Event, e.g. 'Men 1000 m'")
    subtitle: str = Field(default="", description="Race, e.g. 'Final A · lap times'")
    crossings: int = Field(default=0, ge=0, le=60, description="Crossings of the race (9)")
    first_part: float = Field(
        default=1.0, gt=0, le=1, description="Length of the first lap: 0.5 for a 500 m"
    )
    series: list[LapSeries] = Field(description="One line per skater", max_length=12)
    stale: bool = Field(default=False, description="The timing feed went silent")
    status: RaceStatus = _status_field(RaceStatus.LIVE)


class FinishCardData(GraphicData):
    """The winner at the line: name, nation, helmet, time and any record."""

    title: str = Field(description="Event, e.g. 'Men 1000 m'")
    subtitle: str = Field(default="", description="Race, e.g. 'Final A'")
    name: str = Field(description="Winner's display name")
    nation: Nation = ""
    helmet: int | None = Field(default=None, ge=0, description="Helmet number")
    time: str = Field(description="Winning time as shown, e.g. '1:22.890'")
    record: str = Field(default="", description="Record mark: WR, OR, JWR, TR, NR or ''")
    note: str = Field(default="", description="e.g. 'TANAKA (JPN) penalised'; '' for none")
    status: RaceStatus = _status_field(RaceStatus.UNOFFICIAL)


class MedalTableRow(GraphicData):
    rank: int = Field(ge=1, description="Rank in the medal table")
    tie: bool = Field(default=False, description="Rank shared with another nation")
    nation: Nation = ""
    name: str = Field(description="The nation's name as displayed, e.g. 'Korea'")
    gold: int = Field(default=0, ge=0, description="Gold medals")
    silver: int = Field(default=0, ge=0, description="Silver medals")
    bronze: int = Field(default=0, ge=0, description="Bronze medals")

    @property
    def total(self) -> int:
        return self.gold + self.silver + self.bronze


class MedalTableData(GraphicData):
    """Nations by gold, then silver, then bronze medals, with totals; a page per take step."""

    title: str = Field(default="Medal table", min_length=1, description="e.g. 'Medal table'")
    subtitle: str = Field(default="", description="e.g. 'ISU World Cup · Dresden'")
    rows: list[MedalTableRow] = Field(description="All nations, in rank order")
    page_size: int = Field(default=8, ge=1, le=20, description="Rows per page (take step)")
    status: RaceStatus = _status_field(RaceStatus.OFFICIAL)


class AdvancementRow(GraphicData):
    race: str = Field(description="The race the competitor skated, e.g. 'Semifinal 1'")
    name: str = Field(description="Display name or team name")
    nation: Nation = ""
    mark: str = Field(description="Qualification mark: Q, q, QA, QB, ADV, ADA, ...")
    to: str = Field(description="Where the competitor goes: 'Final A', 'Semifinals', ...")


class AdvancementData(GraphicData):
    """Who goes from a round to which race, from the qualification marks of its results."""

    title: str = Field(description="Event, e.g. 'Men 500 m'", min_length=1)
    subtitle: str = Field(default="", description="The round they come from, e.g. 'Semifinals'")
    rows: list[AdvancementRow] = Field(description="Qualified competitors, best race first")
    page_size: int = Field(default=8, ge=1, le=20, description="Rows per page (take step)")
    status: RaceStatus = _status_field(RaceStatus.UNOFFICIAL)


class ScheduleRow(GraphicData):
    time: str = Field(default="", description="Start time as displayed, e.g. '15:24'")
    event: str = Field(description="Event, e.g. 'Women 500 m'")
    race: str = Field(default="", description="Race, e.g. 'Final A'")
    state: str = Field(
        default="", description="'Live', 'Result' (results in) or '' for a race to come"
    )


class ScheduleData(GraphicData):
    """The next races, in start order."""

    title: str = Field(default="Schedule", min_length=1, description="e.g. 'Next races'")
    subtitle: str = Field(default="", description="e.g. 'ISU World Cup · Dresden'")
    rows: list[ScheduleRow] = Field(description="Races in start order")
    page_size: int = Field(default=8, ge=1, le=20, description="Rows per page (take step)")
    status: RaceStatus = _status_field(RaceStatus.OFFICIAL)


PagedData = StandingsData | MedalTableData | AdvancementData | ScheduleData


_MODELS: dict[GraphicKind, type[GraphicData]] = {
    GraphicKind.LOWER_THIRD: LowerThirdData,
    GraphicKind.PODIUM: PodiumData,
    GraphicKind.STANDINGS: StandingsData,
    GraphicKind.START_LIST: StartListData,
    GraphicKind.RESULT_LIST: ResultListData,
    GraphicKind.RACE_BUG: RaceBugData,
    GraphicKind.QUOTE: QuoteData,
    GraphicKind.RACE_CLOCK: RaceClockData,
    GraphicKind.POSITIONS: PositionsData,
    GraphicKind.LAP_CHART: LapChartData,
    GraphicKind.FINISH_CARD: FinishCardData,
    GraphicKind.MEDAL_TABLE: MedalTableData,
    GraphicKind.ADVANCEMENT: AdvancementData,
    GraphicKind.SCHEDULE: ScheduleData,
}


def graphic_kind(kind: str) -> GraphicKind:
    """The GraphicKind for a name such as 'podium'; ValueError naming the known kinds."""
    try:
        return GraphicKind(kind)
    except ValueError:
        known = ", ".join(k.value for k in GraphicKind)
        raise ValueError(f"unknown graphic {kind!r}; known graphics: {known}") from None


def data_model(kind: str) -> type[BaseModel]:
    """The pydantic model of a kind's data."""
    return _MODELS[graphic_kind(kind)]


def schemas() -> dict[str, dict[str, Any]]:
    """JSON Schema of every kind's data, by kind name."""
    return {k.value: m.model_json_schema() for k, m in _MODELS.items()}


def steps(kind: str, data: BaseModel | dict[str, Any]) -> int:
    """How many take steps the graphic has: pages for a paged table (standings, medal table,
    advancement, schedule), 1 otherwise."""
    model = _MODELS[graphic_kind(kind)]
    if "page_size" not in model.model_fields:
        return 1
    record = data if isinstance(data, model) else model.model_validate(data)
    rows: list[Any] = getattr(record, "rows")  # noqa: B009 - every paged model has rows
    size: int = getattr(record, "page_size")  # noqa: B009
    return max(1, math.ceil(len(rows) / size))


def page_rows(data: PagedData, step: int) -> list[Any]:
    """The rows of page `step` (0-based, clamped to the pages there are) of a paged table."""
    pages = max(1, math.ceil(len(data.rows) / data.page_size))
    page = min(max(step, 0), pages - 1)
    return list(data.rows[page * data.page_size : (page + 1) * data.page_size])


class Playhead(BaseModel):
    """Where a graphic is in its life on air; a still at a playhead is a frame on air."""

    model_config = ConfigDict(extra="forbid")

    phase: Literal["in", "hold", "update", "out"] = "hold"
    t: float = Field(default=0.0, ge=0.0, description="Seconds since this phase began")
    step: int = Field(default=0, ge=0, description="Take step (page), 0-based")
    previous: dict[str, Any] | None = Field(
        default=None, description="Data before an update, for the update transition"
    )
    previous_step: int | None = Field(
        default=None,
        ge=0,
        description="Page before a page turn (an update to another step); default: the one "
        "before `step`",
    )


# --------------------------------------------------------------------------------------------
# Binding from the sports data
# --------------------------------------------------------------------------------------------


class Selection(BaseModel):
    """What a graphic is about; every field optional, defaults pick the obvious thing."""

    model_config = ConfigDict(extra="forbid")

    event_id: str | None = Field(default=None, description="Event; default: the first one")
    race_id: str | None = Field(
        default=None, description="Race; default depends on the graphic (e.g. the final)"
    )
    row: int | None = Field(
        default=None,
        ge=0,
        description="0-based row of the race's results (or start list before results)",
    )
    competitor_id: str | None = Field(
        default=None, description="Competitor (athlete or team) id: picks the row or highlight"
    )
    standings_id: str | None = Field(default=None, description="Standings; default: the first")
    text: str | None = Field(default=None, description="Free text: the words of a quote card")
    live: bool = Field(
        default=False,
        description="The race the timing feed runs (a cue's binding to the live race): the "
        "services resolve it to a race_id; bind() itself goes by the other fields",
    )


def laps_for_distance(distance_m: float, lap_m: float = SHORT_TRACK_LAP_M) -> float:
    """Laps of a race over `distance_m`, to the nearest half lap (500 m -> 4.5 on 111.12 m)."""
    if distance_m < 0 or lap_m <= 0:
        raise ValueError("distance must be >= 0 and lap length > 0")
    return round(distance_m / lap_m * 2) / 2


def format_laps(laps: float) -> str:
    """'4.5', '9', '13.5': halves kept, whole laps without a decimal."""
    return f"{laps:g}" if laps != int(laps) else str(int(laps))


_MEDALS = {1: "Gold", 2: "Silver", 3: "Bronze"}
_NOTE_WORDS = {
    ResultStatus.PEN: "penalised",
    ResultStatus.DQ: "disqualified",
    ResultStatus.YC: "yellow card",
}


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _is_medal_final(race: Race) -> bool:
    return race.round.kind in (RoundKind.FINAL_A, RoundKind.FINAL)


def _form(name_form: NameForm | None, default: str) -> NameForm:
    from strapline.domain.names import NameForm

    return name_form if name_form is not None else NameForm(default)


def _display(comp: Athlete | Team, form: NameForm) -> str:
    from strapline.domain.names import athlete_name

    return athlete_name(comp, form) if isinstance(comp, Athlete) else comp.name


def _family_given(a: Athlete) -> tuple[str, str]:
    """Family name as displayed (capitals, prefixes kept lower) and the given name."""
    from strapline.domain.names import NameForm, format_name

    family = format_name(a.family_name, "", NameForm.FAMILY_GIVEN).strip() or a.family_name
    return family, a.given_name


def _nation(code: str | None) -> str:
    if not code:
        return ""
    from strapline.domain.nations import normalise_nation

    try:
        return normalise_nation(code)
    except ValueError:
        return ""


def _members(comp: Athlete | Team, form: NameForm) -> list[str]:
    return [_display(m, form) for m in comp.members] if isinstance(comp, Team) else []


def _event(competition: Competition, sel: Selection) -> Event:
    if sel.event_id is not None:
        event = competition.event(sel.event_id)
        if event is None:
            known = ", ".join(e.id for e in competition.events) or "none"
            raise BindingError(f"no event {sel.event_id!r} (events: {known})")
        return event
    if sel.race_id is not None:
        for event, race in competition.races():
            if race.id == sel.race_id:
                return event
        raise BindingError(f"no race {sel.race_id!r} in any event")
    if not competition.events:
        raise BindingError("the data holds no events yet")
    return competition.events[0]


def _race(event: Event, sel: Selection, prefer: Callable[[Race], bool], what: str) -> Race:
    if sel.race_id is not None:
        race = event.race(sel.race_id)
        if race is None:
            known = ", ".join(r.id for r in event.races) or "none"
            raise BindingError(f"no race {sel.race_id!r} in {event.name} (races: {known})")
        return race
    if not event.races:
        raise BindingError(f"{event.name} has no races yet")
    for race in event.races:
        if prefer(race):
            return race
    raise BindingError(f"{event.name} has no race with {what} yet")


# the name an importer gives an event it found no title for ('Event', 'Event (2)')
_PLACEHOLDER_EVENT = re.compile(r"^\s*event(\s*\(\d+\))?\s*$", re.IGNORECASE)


def _race_title(event: Event, race: Race) -> tuple[str, str]:
    """The event's name and the race's label as the domain words them.

    A graphic is never drawn with an invented title: an event whose name the data does not
    give raises BindingError (the cue waits in the rundown), and a round the data does not
    name gives no subtitle rather than a made-up 'Round 1'."""
    if _PLACEHOLDER_EVENT.match(event.name):
        raise BindingError(
            f"event {event.id!r} has no title in the data: a graphic waits for one rather than "
            "show an invented title"
        )
    if race.round.kind is RoundKind.OTHER and not race.round.label.strip():
        return event.name, ""
    return event.name, race.label


def _time_text(row: ResultRow) -> str:
    return row.time.display if row.time is not None else ""


def _pick_row(rows: list[Any], sel: Selection, where: str) -> Any:  # a ResultRow or a StartEntry
    if sel.competitor_id is not None:
        for row in rows:
            comp = row.competitor
            ids = {comp.id} | ({m.id for m in comp.members} if isinstance(comp, Team) else set())
            if sel.competitor_id in ids:
                return row
        raise BindingError(f"competitor {sel.competitor_id!r} is not in {where}")
    index = sel.row if sel.row is not None else 0
    if index >= len(rows):
        raise BindingError(f"{where} has {len(rows)} rows; there is no row {index + 1}")
    return rows[index]


def _view(row: ResultRow, race: Race) -> Any:  # a RowView: what the row may show
    return row_view(
        place=row.place,
        tie=row.tie,
        code=row.status.value if row.status is not None else "",
        time=_time_text(row),
        record=row.record.value if row.record is not None else "",
        qualification=row.qualification.value if row.qualification is not None else "",
        medal_final=_is_medal_final(race),
    )


def _place_text(row: ResultRow, race: Race) -> str:
    """The place for a sentence ('Gold', '=2nd'), or the status written out ('Penalty')."""
    view = _view(row, race)
    if not view.ranked:
        return str(view.phrase)
    assert row.place is not None
    if view.medal:
        return _MEDALS[row.place]
    words = [("=" if row.tie else "") + ordinal(row.place)]
    if view.phrase:
        words.append(view.phrase)
    return " · ".join(words)


def _result_line(row: ResultRow, race: Race) -> str:
    view = _view(row, race)
    # a placed row without a time ('No time') says so where the time would be
    time = view.time or (view.word if view.ranked else "")
    return " · ".join(p for p in (time, view.record, view.qualification) if p)


def _has(rows: list[ResultRow] | list[StartEntry], competitor_id: str | None) -> bool:
    if not rows:
        return False
    if competitor_id is None:
        return True
    for row in rows:
        comp = row.competitor
        if comp.id == competitor_id:
            return True
        if isinstance(comp, Team) and any(m.id == competitor_id for m in comp.members):
            return True
    return False


def _event_of(c: Competition, sel: Selection) -> Event:
    """The selected event; without one, the first event the selected competitor skated in."""
    if sel.event_id is not None or sel.race_id is not None:
        return _event(c, sel)
    for event in c.events:
        if any(_has(r.results, sel.competitor_id) or _has(r.start_list, sel.competitor_id)
               for r in event.races):  # fmt: skip
            return event
    raise BindingError(f"competitor {sel.competitor_id!r} is in no race of the data")


def _lower_third_race(event: Event, sel: Selection) -> Race:
    """The selected race; else the first with results (holding the competitor, if chosen),
    else the first with a start list holding them."""
    if sel.race_id is not None:
        return _race(event, sel, lambda r: True, "a race")
    who = sel.competitor_id
    for race in event.races:
        if _has(race.results, who):
            return race
    return _race(event, sel, lambda r: _has(r.start_list, who), "this competitor or a start list")


def _bind_lower_third(c: Competition, sel: Selection, nf: NameForm | None) -> LowerThirdData:
    from strapline.domain.names import NameForm

    event = _event(c, sel) if sel.competitor_id is None else _event_of(c, sel)
    race = _lower_third_race(event, sel)
    title, label = _race_title(event, race)
    form = _form(nf, NameForm.FAMILY_GIVEN.value)
    entry: ResultRow | StartEntry
    if race.results:
        entry = _pick_row(race.results, sel, f"the results of {title} {label}")
    elif race.start_list:
        entry = _pick_row(race.start_list, sel, f"the start list of {title} {label}")
    else:
        raise BindingError(f"{title} {label} has neither a start list nor results yet")
    comp = entry.competitor
    if isinstance(comp, Athlete):
        family, given = _family_given(comp)
    else:
        family, given = comp.name, ""
    info = [title, label]
    second = ""
    if isinstance(entry, ResultRow):
        info.append(_place_text(entry, race))
        second = _result_line(entry, race)
    helmet = entry.helmet if entry.helmet is not None else comp.helmet
    return LowerThirdData(
        family_name=family,
        given_name=given,
        nation=_nation(comp.nation),
        helmet=helmet,
        info=" · ".join(p for p in info if p),
        second_line=second,
        team_members=_members(comp, form),
        status=race.status,
    )


def _bind_podium(c: Competition, sel: Selection, nf: NameForm | None) -> PodiumData:
    from strapline.domain.names import NameForm

    event = _event(c, sel)
    race = _race(event, sel, _is_medal_final, "a final A")
    title, label = _race_title(event, race)
    if not _is_medal_final(race):
        raise BindingError(f"{title} {label} is not a medal final: a podium needs Final A or Final")
    # the podium holds exactly the rows the row rule gives a medal
    medallists = sorted(
        (r for r in race.results if _view(r, race).medal), key=lambda r: r.place or 0
    )
    if not medallists:
        raise BindingError(f"{title} {label} has no results with places 1 to 3 yet")
    form = _form(nf, NameForm.FAMILY_GIVEN.value)
    entries: list[PodiumEntry] = []
    for row in medallists:
        comp = row.competitor
        family, given = _family_given(comp) if isinstance(comp, Athlete) else ("", "")
        name = _display(comp, form)
        view = _view(row, race)
        entries.append(
            PodiumEntry(
                place=row.place or 1,
                tie=row.tie,
                name=name,
                family_name=family,
                given_name=given,
                nation=_nation(comp.nation),
                helmet=row.helmet,
                time=view.time,
                record=view.record,
                code=row.status.value if row.status is not None else "",
                team_members=_members(comp, form),
            )
        )
    notes = []
    for row in race.results:
        flagged = [s for s in (row.status, *row.warnings) if s in _NOTE_WORDS]
        if not flagged:
            continue
        comp = row.competitor
        who = _family_given(comp)[0] if isinstance(comp, Athlete) else comp.name
        nation = _nation(comp.nation)
        who = f"{who} ({nation})" if nation and isinstance(comp, Athlete) else who
        notes.append(f"{who} {_NOTE_WORDS[flagged[0]]}")
    return PodiumData(
        title=title, subtitle=label, entries=entries, note="; ".join(notes), status=race.status
    )


def _points_text(points: float) -> str:
    return f"{points:g}" if points != int(points) else f"{int(points)}"


def _bind_standings(c: Competition, sel: Selection, nf: NameForm | None) -> StandingsData:
    from strapline.domain.names import NameForm

    if not c.standings:
        raise BindingError("the data holds no standings yet")
    if sel.standings_id is not None:
        table = next((s for s in c.standings if s.id == sel.standings_id), None)
        if table is None:
            known = ", ".join(s.id for s in c.standings)
            raise BindingError(f"no standings {sel.standings_id!r} (standings: {known})")
    else:
        table = c.standings[0]
    if not table.rows:
        raise BindingError(f"standings {table.title!r} have no rows yet")
    form = _form(nf, NameForm.FAMILY_GIVEN.value)
    rows = [
        StandingsRow(
            rank=s.rank,
            tie=s.tie,
            name=_display(s.competitor, form),
            nation=_nation(s.competitor.nation),
            points=_points_text(s.points),
            competitor_id=s.competitor.id,
        )
        for s in table.rows
    ]
    highlight = sel.competitor_id or ""
    if highlight and not any(r.competitor_id == highlight for r in rows):
        raise BindingError(f"competitor {highlight!r} is not in standings {table.title!r}")
    city = c.city if c.city and c.city.lower() not in c.name.lower() else ""
    subtitle = " · ".join(p for p in (c.name, city) if p)
    return StandingsData(
        title=table.title, subtitle=subtitle, rows=rows, highlight=highlight, status=table.status
    )


def _bind_start_list(c: Competition, sel: Selection, nf: NameForm | None) -> StartListData:
    from strapline.domain.names import NameForm

    event = _event(c, sel)
    race = _race(event, sel, lambda r: bool(r.start_list), "a start list")
    title, label = _race_title(event, race)
    if not race.start_list:
        raise BindingError(f"{title} {label} has no start list yet")
    form = _form(nf, NameForm.FAMILY_GIVEN.value)
    entries = sorted(
        race.start_list,
        key=lambda e: e.start_position if e.start_position is not None else 1_000,
    )
    rows = [
        StartListRow(
            start_position=e.start_position,
            helmet=e.helmet if e.helmet is not None else e.competitor.helmet,
            name=_display(e.competitor, form),
            nation=_nation(e.competitor.nation),
            team_members=_members(e.competitor, form),
        )
        for e in entries
    ]
    return StartListData(title=title, subtitle=label, rows=rows, status=race.status)


def _bind_result_list(c: Competition, sel: Selection, nf: NameForm | None) -> ResultListData:
    from strapline.domain.names import NameForm

    event = _event(c, sel)
    race = _race(event, sel, lambda r: bool(r.results), "results")
    title, label = _race_title(event, race)
    if not race.results:
        raise BindingError(f"{title} {label} has no results yet")
    form = _form(nf, NameForm.FAMILY_GIVEN.value)
    rows = [
        ResultListRow(
            place=r.place,
            tie=r.tie,
            helmet=r.helmet,
            name=_display(r.competitor, form),
            nation=_nation(r.competitor.nation),
            time=_time_text(r),
            record=r.record.value if r.record is not None else "",
            qualification=r.qualification.value if r.qualification is not None else "",
            code=r.status.value if r.status is not None else "",
            warnings=[w.value for w in r.warnings],
            team_members=_members(r.competitor, form),
            competitor_id=r.competitor.id,
        )
        for r in race.results
    ]
    return ResultListData(
        title=title, subtitle=label, rows=rows, medals=_is_medal_final(race), status=race.status
    )


def race_laps(event: Event, race: Race) -> float | None:
    """Laps of a race: the race's own figure, else from the event's distance."""
    if race.laps is not None:
        return race.laps
    if event.distance_m is not None:
        return laps_for_distance(event.distance_m)
    return None


def _bind_race_bug(c: Competition, sel: Selection, nf: NameForm | None) -> RaceBugData:
    from strapline.domain.names import NameForm

    event = _event(c, sel)
    race = _race(event, sel, lambda r: True, "a race")
    title, label = _race_title(event, race)
    laps = race_laps(event, race)
    leader_name, leader_nation, leader_helmet = "", "", None
    if sel.competitor_id is not None:
        rows: list[Any] = [*race.results, *race.start_list]
        entry = _pick_row(rows, sel, f"{title} {label}")
        comp = entry.competitor
        leader_name = _display(comp, _form(nf, NameForm.INITIAL_FAMILY.value))
        leader_nation = _nation(comp.nation)
        leader_helmet = entry.helmet if entry.helmet is not None else comp.helmet
    return RaceBugData(
        event=title,
        round=label,
        laps_to_go=laps,
        total_laps=laps,
        leader_helmet=leader_helmet,
        leader_name=leader_name,
        leader_nation=leader_nation,
        status=RaceStatus.LIVE if race.status is RaceStatus.START_LIST else race.status,
    )


def _find_competitor(c: Competition, competitor_id: str) -> Athlete | Team | None:
    for _, race in c.races():
        entries: list[StartEntry | ResultRow] = [*race.start_list, *race.results]
        for entry in entries:
            comp = entry.competitor
            if comp.id == competitor_id:
                return comp
            if isinstance(comp, Team):
                for m in comp.members:
                    if m.id == competitor_id:
                        return m
    for table in c.standings:
        for s in table.rows:
            if s.competitor.id == competitor_id:
                return s.competitor
    return None


def _bind_quote(c: Competition, sel: Selection, nf: NameForm | None) -> QuoteData:
    from strapline.domain.names import NameForm
    from strapline.domain.nations import nation_name

    text = (sel.text or "").strip()
    if not text:
        raise BindingError("a quote card needs the quote's text")
    if sel.competitor_id is None:
        return QuoteData(quote=text)
    comp = _find_competitor(c, sel.competitor_id)
    if comp is None:
        raise BindingError(f"no competitor {sel.competitor_id!r} in the data")
    nation = _nation(comp.nation)
    return QuoteData(
        quote=text,
        name=_display(comp, _form(nf, NameForm.FAMILY_GIVEN.value)),
        role=(nation_name(nation) or nation) if nation else "",
        nation=nation,
    )


def _bind_live(kind: GraphicKind) -> Callable[[Competition, Selection, Any], GraphicData]:
    def binder(c: Competition, sel: Selection, nf: NameForm | None) -> GraphicData:
        from strapline.domain.live_graphics import bind_from_data

        return bind_from_data(kind, c, sel, nf)

    return binder


def _competition_line(c: Competition) -> str:
    city = c.city if c.city and c.city.lower() not in c.name.lower() else ""
    return " · ".join(p for p in (c.name, city) if p)


def _bind_medal_table(c: Competition, sel: Selection, nf: NameForm | None) -> MedalTableData:
    from strapline.domain.nations import nation_name

    if not c.medals:
        raise BindingError("the data holds no medal table yet")
    # nations by gold, then silver, then bronze; equal counts share a rank
    order = sorted(c.medals, key=lambda m: (-m.gold, -m.silver, -m.bronze, m.nation))
    rows: list[MedalTableRow] = []
    for i, m in enumerate(order):
        key = (m.gold, m.silver, m.bronze)
        prev = order[i - 1] if i else None
        same = prev is not None and (prev.gold, prev.silver, prev.bronze) == key
        rank = rows[-1].rank if same else i + 1
        if same:
            rows[-1] = rows[-1].model_copy(update={"tie": True})
        code = _nation(m.nation)
        rows.append(
            MedalTableRow(
                rank=rank,
                tie=same,
                nation=code,
                name=nation_name(m.nation) or m.nation,
                gold=m.gold,
                silver=m.silver,
                bronze=m.bronze,
            )
        )
    return MedalTableData(subtitle=_competition_line(c), rows=rows)


# where a qualification mark sends a competitor: a named final, else the next round
_MARK_TO: dict[str, RoundKind | None] = {
    "QA": RoundKind.FINAL_A, "qA": RoundKind.FINAL_A, "ADA": RoundKind.FINAL_A,
    "QB": RoundKind.FINAL_B, "qB": RoundKind.FINAL_B, "ADB": RoundKind.FINAL_B,
    "ADVB": RoundKind.FINAL_B, "QC": RoundKind.FINAL_C, "QD": RoundKind.FINAL_D,
    "Q": None, "q": None, "ADV": None,
}  # fmt: skip
_ROUND_ORDER = [
    RoundKind.PRELIMINARIES, RoundKind.HEATS, RoundKind.REPECHAGE, RoundKind.QUARTERFINAL,
    RoundKind.SEMIFINAL, RoundKind.FINAL_A,
]  # fmt: skip


def _next_round(event: Event, kind: RoundKind) -> RoundKind:
    """The round after `kind`: the next one the event holds, else the usual next one."""
    later = _ROUND_ORDER[_ROUND_ORDER.index(kind) + 1 :] if kind in _ROUND_ORDER else []
    held = {r.round.kind for r in event.races}
    for k in later:
        if k in held:
            return k
    return later[0] if later else RoundKind.FINAL_A


def _bind_advancement(c: Competition, sel: Selection, nf: NameForm | None) -> AdvancementData:
    from strapline.domain.names import NameForm

    event = _event(c, sel)
    marked = [r for r in event.races if any(x.qualification is not None for x in r.results)]
    if sel.race_id is not None:
        picked = _race(event, sel, lambda r: True, "a race")
        kind = picked.round.kind
    elif marked:
        kind = marked[-1].round.kind  # the latest round with marks
    else:
        raise BindingError(f"{event.name} has no results with qualification marks yet")
    title, _ = _race_title(event, marked[-1] if marked else event.races[0])
    form = _form(nf, NameForm.FAMILY_GIVEN.value)
    rows: list[AdvancementRow] = []
    status = RaceStatus.OFFICIAL
    for race in (r for r in event.races if r.round.kind is kind):
        if race.status is not RaceStatus.OFFICIAL:
            status = RaceStatus.UNOFFICIAL
        for row in race.results:
            view = _view(row, race)
            if not view.qualification:
                continue
            to = _MARK_TO.get(view.qualification)
            dest = to if to is not None else _next_round(event, kind)
            rows.append(
                AdvancementRow(
                    race=race.label,
                    name=_display(row.competitor, form),
                    nation=_nation(row.competitor.nation),
                    mark=view.qualification,
                    to=dest.display,
                )
            )
    if not rows:
        raise BindingError(f"{title}: no one has a qualification mark in this round yet")
    # the next round, then Final A, B, C, D; races in their order within each
    finals = [RoundKind.FINAL_A, RoundKind.FINAL_B, RoundKind.FINAL_C, RoundKind.FINAL_D]
    rank = {k.display: i + 1 for i, k in enumerate(finals)}
    rows.sort(key=lambda r: rank.get(r.to, 0))
    return AdvancementData(title=title, subtitle=kind.display, rows=rows, status=status)


def _bind_schedule(c: Competition, sel: Selection, nf: NameForm | None) -> ScheduleData:
    timed = sorted(
        ((e, r) for e, r in c.races() if r.scheduled is not None),
        key=lambda er: er[1].scheduled,  # type: ignore[arg-type,return-value]
    )
    if not timed:
        raise BindingError("the data holds no race with a start time yet")
    # from the first race without results (or the one selected), else the whole day
    start = 0
    if sel.race_id is not None:
        ids = [r.id for _, r in timed]
        if sel.race_id not in ids:
            raise BindingError(f"no race {sel.race_id!r} with a start time")
        start = ids.index(sel.race_id)
    else:
        waiting = [i for i, (_, r) in enumerate(timed) if not r.results]
        start = waiting[0] if waiting else 0
    rows = []
    for event, race in timed[start:]:
        title, label = _race_title(event, race)
        state = "Live" if race.status is RaceStatus.LIVE else "Result" if race.results else ""
        when = race.scheduled.strftime("%H:%M") if race.scheduled is not None else ""
        rows.append(ScheduleRow(time=when, event=title, race=label, state=state))
    return ScheduleData(title="Next races", subtitle=_competition_line(c), rows=rows)


_BINDERS: dict[GraphicKind, Callable[[Competition, Selection, Any], GraphicData]] = {
    GraphicKind.LOWER_THIRD: _bind_lower_third,
    GraphicKind.PODIUM: _bind_podium,
    GraphicKind.STANDINGS: _bind_standings,
    GraphicKind.START_LIST: _bind_start_list,
    GraphicKind.RESULT_LIST: _bind_result_list,
    GraphicKind.RACE_BUG: _bind_race_bug,
    GraphicKind.QUOTE: _bind_quote,
    GraphicKind.MEDAL_TABLE: _bind_medal_table,
    GraphicKind.ADVANCEMENT: _bind_advancement,
    GraphicKind.SCHEDULE: _bind_schedule,
    **{k: _bind_live(k) for k in (GraphicKind.RACE_CLOCK, GraphicKind.POSITIONS,
                                  GraphicKind.LAP_CHART, GraphicKind.FINISH_CARD)},
}  # fmt: skip


def bind(
    kind: str,
    competition: Competition,
    selection: Selection | None = None,
    *,
    name_form: NameForm | None = None,
) -> BaseModel:
    """The default data of a graphic from the sports data; BindingError when it is not there.

    Defaults when the selection leaves a choice open: the first event; for a lower third and a
    result list the first race with results (a lower third falls back to the start list), for
    a podium the event's Final A (or Final), for a start list the first race with one; the
    first row; the first standings table. `name_form` overrides how names are written.
    """
    return _BINDERS[graphic_kind(kind)](competition, selection or Selection(), name_form)
