"""The sports data model: competitions, events, rounds, races, competitors, results, standings.

Plain pydantic v2, no Qt. Every model forbids unknown fields and validates on assignment, so a
value that reaches a graphic has been checked once, at the door. The model is general (a race with
rounds, competitors, times, statuses and standings); nothing in it is short-track-only, though the
enumerations carry the codes short track uses.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

FORMAT_NAME: Literal["strapline"] = "strapline"
FORMAT_VERSION: Literal[1] = 1


class StraplineModel(BaseModel):
    """Base of every domain model: strict about unknown fields, validated on assignment."""

    model_config = ConfigDict(
        validate_assignment=True,
        validate_default=True,
        extra="forbid",
        use_enum_values=False,
    )


class Gender(StrEnum):
    MEN = "M"
    WOMEN = "W"
    MIXED = "X"


class EventKind(StrEnum):
    INDIVIDUAL = "individual"
    RELAY = "relay"


class RoundKind(StrEnum):
    """Normalised round kinds; the label as the source spelt it is kept beside it (Round.label).

    Every round a results site names has its own kind, so two rounds of one event never share
    an id: the repechage heats are not the heats, the ranking-final heats are not the main heats.
    """

    PRE_PRELIMINARIES = "pre_preliminaries"
    PRELIMINARIES = "preliminaries"
    HEATS = "heats"
    REPECHAGE_HEATS = "repechage_heats"
    EIGHTHFINAL = "eighthfinal"
    REPECHAGE = "repechage"
    QUARTERFINAL = "quarterfinal"
    REPECHAGE_QUARTERFINAL = "repechage_quarterfinal"
    SEMIFINAL = "semifinal"
    REPECHAGE_SEMIFINAL = "repechage_semifinal"
    REPECHAGE_FINAL_A = "repechage_final_a"
    REPECHAGE_FINAL_B = "repechage_final_b"
    RANKING_HEATS = "ranking_heats"
    FINAL_A = "final_a"
    FINAL_B = "final_b"
    FINAL_C = "final_c"
    FINAL_D = "final_d"
    RANKING_FINAL = "ranking_final"
    FINAL = "final"
    ROUND = "round"  # "Round 1", "Round 2": the label carries the number
    RACES = "races"
    OTHER = "other"  # a label not understood: shown as written

    @property
    def is_final(self) -> bool:
        return self in (
            RoundKind.FINAL_A,
            RoundKind.FINAL_B,
            RoundKind.FINAL_C,
            RoundKind.FINAL_D,
            RoundKind.FINAL,
            RoundKind.RANKING_FINAL,
        )

    @property
    def single_race(self) -> bool:
        """A round of one race, named without a number ("Final A", "Repechage Final B")."""
        return self in _SINGLE_RACE

    @property
    def display(self) -> str:
        """The round as a whole: "Quarterfinals", "Repechage Heats", "Final A"."""
        return _ROUND_DISPLAY[self]

    @property
    def stage(self) -> int:
        """How far into an event the round comes: pre-preliminaries first, Final A and Final
        last. Races are listed in this order, and a skater's last stage ranks them in an event
        (a Final B finalist ahead of every semifinalist who went no further)."""
        return _STAGE.get(self, 0)

    @property
    def race_word(self) -> str:
        """What one race of the round is called, before its number: "Quarterfinal", "Heat"."""
        return _RACE_WORD.get(self, _ROUND_DISPLAY[self])


_STAGE: dict[RoundKind, int] = {
    kind: i
    for i, kind in enumerate(
        [
            RoundKind.ROUND,
            RoundKind.RACES,
            RoundKind.PRE_PRELIMINARIES,
            RoundKind.PRELIMINARIES,
            RoundKind.HEATS,
            RoundKind.REPECHAGE_HEATS,
            RoundKind.EIGHTHFINAL,
            RoundKind.REPECHAGE,
            RoundKind.QUARTERFINAL,
            RoundKind.REPECHAGE_QUARTERFINAL,
            RoundKind.SEMIFINAL,
            RoundKind.REPECHAGE_SEMIFINAL,
            RoundKind.REPECHAGE_FINAL_B,
            RoundKind.REPECHAGE_FINAL_A,
            RoundKind.RANKING_HEATS,
            RoundKind.RANKING_FINAL,
            RoundKind.FINAL_D,
            RoundKind.FINAL_C,
            RoundKind.FINAL_B,
            RoundKind.FINAL_A,
            RoundKind.FINAL,
        ],
        start=1,
    )
}

_SINGLE_RACE = frozenset(
    {
        RoundKind.FINAL_A,
        RoundKind.FINAL_B,
        RoundKind.FINAL_C,
        RoundKind.FINAL_D,
        RoundKind.FINAL,
        RoundKind.REPECHAGE_FINAL_A,
        RoundKind.REPECHAGE_FINAL_B,
    }
)

_ROUND_DISPLAY: dict[RoundKind, str] = {
    RoundKind.PRE_PRELIMINARIES: "Pre-Preliminaries",
    RoundKind.PRELIMINARIES: "Preliminaries",
    RoundKind.HEATS: "Heats",
    RoundKind.REPECHAGE_HEATS: "Repechage Heats",
    RoundKind.EIGHTHFINAL: "Eighthfinals",
    RoundKind.REPECHAGE: "Repechage",
    RoundKind.QUARTERFINAL: "Quarterfinals",
    RoundKind.REPECHAGE_QUARTERFINAL: "Repechage Quarterfinals",
    RoundKind.SEMIFINAL: "Semifinals",
    RoundKind.REPECHAGE_SEMIFINAL: "Repechage Semifinals",
    RoundKind.REPECHAGE_FINAL_A: "Repechage Final A",
    RoundKind.REPECHAGE_FINAL_B: "Repechage Final B",
    RoundKind.RANKING_HEATS: "Ranking Heats",
    RoundKind.FINAL_A: "Final A",
    RoundKind.FINAL_B: "Final B",
    RoundKind.FINAL_C: "Final C",
    RoundKind.FINAL_D: "Final D",
    RoundKind.RANKING_FINAL: "Ranking Finals",
    RoundKind.FINAL: "Final",
    RoundKind.ROUND: "Round",
    RoundKind.RACES: "Races",
    RoundKind.OTHER: "Races",
}

# One race of a round, singular: "Quarterfinal 1", never "Quarterfinals 1".
_RACE_WORD: dict[RoundKind, str] = {
    RoundKind.PRE_PRELIMINARIES: "Pre-Preliminary",
    RoundKind.PRELIMINARIES: "Preliminary",
    RoundKind.HEATS: "Heat",
    RoundKind.REPECHAGE_HEATS: "Repechage Heat",
    RoundKind.EIGHTHFINAL: "Eighthfinal",
    RoundKind.QUARTERFINAL: "Quarterfinal",
    RoundKind.REPECHAGE_QUARTERFINAL: "Repechage Quarterfinal",
    RoundKind.SEMIFINAL: "Semifinal",
    RoundKind.REPECHAGE_SEMIFINAL: "Repechage Semifinal",
    RoundKind.RANKING_HEATS: "Ranking Heat",
    RoundKind.RANKING_FINAL: "Ranking Final",
    RoundKind.RACES: "Race",
    RoundKind.OTHER: "Race",
}


class RaceStatus(StrEnum):
    """How far a race's data has come: only OFFICIAL results are final."""

    START_LIST = "START_LIST"
    LIVE = "LIVE"
    UNOFFICIAL = "UNOFFICIAL"
    OFFICIAL = "OFFICIAL"

    @property
    def is_official(self) -> bool:
        return self is RaceStatus.OFFICIAL


class RecordMark(StrEnum):
    WR = "WR"
    OR = "OR"
    JWR = "JWR"
    TR = "TR"
    NR = "NR"


class ResultStatus(StrEnum):
    """A result code standing instead of (or beside) a place and a time."""

    PEN = "PEN"
    DQ = "DQ"
    DNS = "DNS"
    DNF = "DNF"
    YC = "YC"
    WDR = "WDR"
    ABD = "ABD"
    NO_TIME = "NOTIME"


class QualificationMark(StrEnum):
    Q = "Q"
    q = "q"
    QA = "QA"
    QB = "QB"
    qA = "qA"
    qB = "qB"
    QC = "QC"
    QD = "QD"
    ADV = "ADV"
    ADA = "ADA"
    ADB = "ADB"
    ADVB = "ADVB"


class RaceTime(StraplineModel):
    """A race time: the exact value in milliseconds and the form the source displayed."""

    ms: Annotated[int, Field(ge=0, description="Exact time in milliseconds")]
    display: Annotated[str, Field(min_length=1, description="The time as shown, e.g. 1:24.245")]

    @classmethod
    def from_ms(cls, ms: int, decimals: int = 3) -> RaceTime:
        return cls(ms=ms, display=format_time(ms, decimals))

    def __lt__(self, other: RaceTime) -> bool:
        return self.ms < other.ms


def format_time(ms: int, decimals: int = 3) -> str:
    """Format milliseconds the way results pages do: 41.234, 1:24.245, 1:02:03.400."""
    if ms < 0:
        raise ValueError("a time cannot be negative")
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    frac = f"{millis:03d}"[: max(0, min(3, decimals))]
    tail = f".{frac}" if frac else ""
    if hours:
        return f"{hours}:{minutes:02d}:{seconds:02d}{tail}"
    if minutes:
        return f"{minutes}:{seconds:02d}{tail}"
    return f"{seconds}{tail}"


IocCode = Annotated[str, Field(pattern=r"^[A-Z]{3}$", description="IOC-style nation code")]


class Athlete(StraplineModel):
    """One person. Matched on `id`, never on the spelling of the name."""

    kind: Literal["athlete"] = "athlete"
    id: Annotated[str, Field(min_length=1)]
    family_name: Annotated[str, Field(min_length=1)]
    given_name: str = ""
    original_name: str = Field(default="", description="The name exactly as the source spelt it")
    nation: IocCode | None = None
    helmet: Annotated[int, Field(ge=0)] | None = None
    gender: Gender | None = None

    @model_validator(mode="after")
    def _keep_original(self) -> Athlete:
        if not self.original_name:
            object.__setattr__(
                self, "original_name", f"{self.family_name.upper()} {self.given_name}".strip()
            )
        return self


class Team(StraplineModel):
    """A relay team: skaters of one nation under one helmet number."""

    kind: Literal["team"] = "team"
    id: Annotated[str, Field(min_length=1)]
    nation: IocCode | None = None
    name: Annotated[str, Field(min_length=1)]
    members: list[Athlete] = Field(default_factory=list)
    helmet: Annotated[int, Field(ge=0)] | None = None


Competitor = Annotated[Athlete | Team, Field(discriminator="kind")]


class StartEntry(StraplineModel):
    competitor: Competitor
    start_position: Annotated[int, Field(ge=1)] | None = None
    helmet: Annotated[int, Field(ge=0)] | None = None


class ResultRow(StraplineModel):
    """One line of a result list."""

    competitor: Competitor
    place: Annotated[int, Field(ge=1)] | None = None
    tie: bool = Field(default=False, description="Place shared with another competitor")
    start_position: Annotated[int, Field(ge=1)] | None = None
    time: RaceTime | None = None
    record: RecordMark | None = None
    status: ResultStatus | None = None
    warnings: tuple[ResultStatus, ...] = Field(
        default=(), description="Warnings beside a place, such as a yellow card"
    )
    qualification: QualificationMark | None = None
    points: Annotated[float, Field(ge=0)] | None = None
    as_written: dict[str, str] = Field(
        default_factory=dict,
        description="Cells kept as the file wrote them because they were not understood, by "
        "field (e.g. {'place': 'NP', 'qualification': 'QAB'}): shown as written, never dropped",
    )

    @property
    def helmet(self) -> int | None:
        return self.competitor.helmet


class Round(StraplineModel):
    kind: RoundKind
    label: str = Field(default="", description="The round as the source named it")

    @property
    def display(self) -> str:
        """The round's name on air: its kind's name, "Round 2", or a label not understood as
        written."""
        if self.kind is RoundKind.ROUND:
            number = re.search(r"\d+", self.label)
            return f"Round {int(number[0])}" if number else "Round"
        if self.kind is RoundKind.OTHER and self.label.strip():
            return self.label.strip()
        return self.kind.display


class Race(StraplineModel):
    id: Annotated[str, Field(min_length=1)]
    round: Round
    number: Annotated[int, Field(ge=1)] = 1
    laps: Annotated[float, Field(ge=0)] | None = None
    status: RaceStatus = RaceStatus.START_LIST
    scheduled: dt.datetime | None = None
    start_list: list[StartEntry] = Field(default_factory=list)
    results: list[ResultRow] = Field(default_factory=list)

    @property
    def label(self) -> str:
        """The race on air: "Quarterfinal 2", "Final A", "Round 1 Race 3", "Heat 4"; a round
        label not understood keeps its spelling ("Consolation 2")."""
        kind = self.round.kind
        if kind.single_race:
            return self.round.display
        if kind is RoundKind.ROUND:
            return f"{self.round.display} Race {self.number}"
        if kind is RoundKind.OTHER and self.round.label.strip():
            return f"{self.round.label.strip()} {self.number}"
        return f"{kind.race_word} {self.number}"


class Event(StraplineModel):
    """A medal event, e.g. "Men 500 m"; a distance skated twice is two events."""

    id: Annotated[str, Field(min_length=1)]
    name: Annotated[str, Field(min_length=1)]
    gender: Gender | None = None
    distance_m: Annotated[int, Field(ge=0)] | None = None
    kind: EventKind = EventKind.INDIVIDUAL
    races: list[Race] = Field(default_factory=list)

    def race(self, race_id: str) -> Race | None:
        return next((r for r in self.races if r.id == race_id), None)


class Standing(StraplineModel):
    rank: Annotated[int, Field(ge=1)]
    tie: bool = False
    competitor: Competitor
    points: Annotated[float, Field(ge=0)]
    breakdown: dict[str, float] = Field(
        default_factory=dict, description="Points by event name, e.g. {'500 m': 180}"
    )


class Standings(StraplineModel):
    id: Annotated[str, Field(min_length=1)]
    title: Annotated[str, Field(min_length=1)]
    status: RaceStatus = RaceStatus.OFFICIAL
    rows: list[Standing] = Field(default_factory=list)
    computed_with: str = Field(
        default="",
        description="The points table these standings were computed with from results; empty "
        "for a table read from a file",
    )


class MedalCount(StraplineModel):
    rank: Annotated[int, Field(ge=1)] | None = None
    nation: IocCode
    gold: Annotated[int, Field(ge=0)] = 0
    silver: Annotated[int, Field(ge=0)] = 0
    bronze: Annotated[int, Field(ge=0)] = 0

    @property
    def total(self) -> int:
        return self.gold + self.silver + self.bronze


class Competition(StraplineModel):
    id: Annotated[str, Field(min_length=1)] = "competition"
    name: str = ""
    venue: str = ""
    city: str = ""
    nation: IocCode | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    season: str = ""
    demo: bool = Field(default=False, description="Invented data, for demonstration only")
    events: list[Event] = Field(default_factory=list)
    standings: list[Standings] = Field(default_factory=list)
    medals: list[MedalCount] = Field(default_factory=list)

    def event(self, event_id: str) -> Event | None:
        return next((e for e in self.events if e.id == event_id), None)

    def races(self) -> list[tuple[Event, Race]]:
        return [(e, r) for e in self.events for r in e.races]


class DataFile(StraplineModel):
    """Strapline's own JSON data format: one competition, with a format marker and version."""

    format: Literal["strapline"] = FORMAT_NAME
    version: Literal[1] = FORMAT_VERSION
    competition: Competition
