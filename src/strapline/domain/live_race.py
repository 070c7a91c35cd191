"""The live race: timing messages in, race state out, as pure functions (no Qt, no sockets).

A timing feed (the Strapline JSON-lines feed, a FinishLynx scoreboard stream, the operator's
keys) is turned into `TimingMessage`s; `apply(state, message, received)` returns the next
`RaceState`. The same messages applied in the same order with the same reception times give
the same state, so a recorded feed replays exactly and every case is a plain test.

Time. Passings and finishes carry **race time** (seconds since the gun), as timing systems
give them. The gun itself is placed on the controller's wall clock (Unix seconds): at the
reception of the start message, less the `elapsed` it may carry (a start sent late), or from a
scoreboard's running time (reception less the time shown). `elapsed_ms(state, now)` is then the
running time at any moment, and the clock holds at the winner's finish time.

Laps. A race of `laps` laps (9 for 1000 m, 4.5 for 500 m on the 111.12 m oval) has
`ceil(laps)` line crossings: when the laps are not whole, the first crossing ends a part lap
(the half lap of a 500 m). Laps to go follow the leader's crossings: 4.5 before the first
crossing of a 500 m, then 4, 3, 2, 1, finish.

Order. The current order is by crossings made (more first), then by the time of the last one
(earlier first): exactly the passing order of the last lap each skater completed. A fallen
skater keeps skating (short track) and simply drops back; a skater marked DNF, DQ or DNS goes
to the bottom. A penalty (PEN) at the line takes the skater out of the places once it comes.

Restarts. A start while the race runs is a repeat of the same start (a feed may send a message
twice) and changes nothing; a recall (`status` recalled) or a new `arm` puts the race back to
armed, drops its passings and counts a restart, and the next start starts it again.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from strapline.domain.graphics import laps_for_distance

#: A feed silent for longer than this (seconds) while a race is armed or running is stale.
STALE_AFTER_S = 1.5


class Phase(StrEnum):
    """Where the race is."""

    IDLE = "idle"  # no race yet
    ARMED = "armed"  # on the line, waiting for the gun
    RUNNING = "running"
    FINISHED = "finished"  # the winner crossed the line: the clock holds
    OFFICIAL = "official"  # results confirmed
    ABANDONED = "abandoned"


# --------------------------------------------------------------------------------------------
# Messages
# --------------------------------------------------------------------------------------------


class _Message(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Seconds = Annotated[float, Field(ge=0, le=86_400, allow_inf_nan=False)]


class SkaterInfo(_Message):
    """A skater on the start line."""

    helmet: int = Field(ge=0, le=9999, description="Helmet number")
    name: str = Field(default="", description="Name as displayed, e.g. 'PARK Ji Won'")
    nation: str = Field(default="", pattern=r"^([A-Z]{3})?$", description="IOC code or ''")
    id: str = Field(default="", description="Competitor id in the loaded data, if known")


class Arm(_Message):
    """A race is on the line (the timer is armed). A new race id moves the state to it."""

    type: Literal["arm"] = "arm"
    race: str = Field(default="", description="Race id as in the loaded data, or a free label")
    event: str = Field(default="", description="Event, e.g. 'Men 1000 m'")
    round: str = Field(default="", description="Race, e.g. 'Final A'")
    laps: float | None = Field(default=None, gt=0, le=200, description="Laps (halves allowed)")
    distance_m: int | None = Field(default=None, gt=0, le=100_000, description="Distance")
    skaters: tuple[SkaterInfo, ...] = ()


class Start(_Message):
    """The gun. `elapsed`: race time already run when the message was sent (a late start)."""

    type: Literal["start"] = "start"
    elapsed: Seconds = 0.0


class Lap(_Message):
    """A skater crossed the line. `crossing`: the how-many-th crossing (1-based); without it,
    one more than that skater's last."""

    type: Literal["lap"] = "lap"
    helmet: int = Field(ge=0, le=9999)
    time: Seconds = Field(description="Race time of the crossing, seconds")
    crossing: int | None = Field(default=None, ge=1, le=1000)


class Leader(_Message):
    """The leader crossed the line, helmet unknown (manual timing, a lap counter). `crossing`
    or `laps_to_go` say which crossing; with neither, the next one."""

    type: Literal["leader"] = "leader"
    time: Seconds | None = None
    crossing: int | None = Field(default=None, ge=1, le=1000)
    laps_to_go: float | None = Field(default=None, ge=0, le=200)


class Finish(_Message):
    """A skater's finish (the last crossing) with the time the timing system gives."""

    type: Literal["finish"] = "finish"
    helmet: int = Field(ge=0, le=9999)
    time: Seconds
    place: int | None = Field(default=None, ge=1, le=1000)
    record: str = Field(default="", pattern=r"^(|WR|OR|JWR|TR|NR)$")


class Fall(_Message):
    """A skater fell (the race goes on)."""

    type: Literal["fall"] = "fall"
    helmet: int = Field(ge=0, le=9999)
    time: Seconds | None = None


Code = Literal["PEN", "DQ", "DNF", "DNS", "YC", "ADV", "ADA", "ADB", "ADVB"]


class Mark(_Message):
    """A referee's or timing system's mark on a skater: PEN, DQ, DNF, DNS, YC, or an
    advancement (ADV, ADA, ADB, ADVB). `clear` removes the mark again."""

    type: Literal["mark"] = "mark"
    helmet: int = Field(ge=0, le=9999)
    code: Code
    clear: bool = False


class Status(_Message):
    """A change of the race's status: recalled (restart), finished, official, abandoned."""

    type: Literal["status"] = "status"
    status: Literal["recalled", "finished", "official", "abandoned"]


class Clock(_Message):
    """A running time as a scoreboard shows it (seconds); places the gun if no start came."""

    type: Literal["clock"] = "clock"
    time: Seconds
    running: bool = True


class Heartbeat(_Message):
    """Nothing new: the feed is alive."""

    type: Literal["heartbeat"] = "heartbeat"


TimingMessage = Annotated[
    Arm | Start | Lap | Leader | Finish | Fall | Mark | Status | Clock | Heartbeat,
    Field(discriminator="type"),
]
MESSAGE_ADAPTER: TypeAdapter[TimingMessage] = TypeAdapter(TimingMessage)


# --------------------------------------------------------------------------------------------
# State
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Passing:
    helmet: int
    crossing: int  # 1-based
    time_ms: int  # race time


@dataclass(frozen=True)
class RaceState:
    """One race as the feed has told it so far. Immutable: `apply` returns a new one."""

    race: str = ""
    event: str = ""
    round: str = ""
    laps: float | None = None
    skaters: tuple[SkaterInfo, ...] = ()
    phase: Phase = Phase.IDLE
    started_at: float | None = None  # the gun, controller wall clock (Unix seconds)
    finish_ms: int | None = None  # the winner's time: the clock holds here
    passings: tuple[Passing, ...] = ()
    finishes: tuple[tuple[int, int, int | None, str], ...] = ()  # helmet, ms, place, record
    falls: tuple[tuple[int, int | None], ...] = ()  # helmet, race time ms (None: unknown)
    marks: tuple[tuple[int, str], ...] = ()  # helmet, code
    leader_count: int = 0  # crossings of the leader told without a helmet (Leader messages)
    restarts: int = 0
    last_heard: float | None = None  # reception of the last message of any kind
    messages: int = 0
    ignored: tuple[str, ...] = field(default=())  # why messages changed nothing (last 20)

    # ---- derived ------------------------------------------------------------------------

    @property
    def crossings(self) -> int | None:
        """Line crossings of the race: ceil(laps)."""
        return None if self.laps is None else max(1, math.ceil(self.laps - 1e-9))

    @property
    def first_part(self) -> float:
        """Length of the first crossing's lap: 0.5 for 4.5 laps, 1 for whole laps."""
        if self.laps is None:
            return 1.0
        frac = self.laps - math.floor(self.laps)
        return frac if frac > 1e-9 else 1.0

    def skater(self, helmet: int) -> SkaterInfo:
        for s in self.skaters:
            if s.helmet == helmet:
                return s
        return SkaterInfo(helmet=helmet)

    def codes(self, helmet: int) -> tuple[str, ...]:
        return tuple(code for h, code in self.marks if h == helmet)

    def fell(self, helmet: int) -> bool:
        return any(h == helmet for h, _ in self.falls)

    def finish_of(self, helmet: int) -> tuple[int, int | None, str] | None:
        for h, ms, place, record in self.finishes:
            if h == helmet:
                return ms, place, record
        return None


def initial() -> RaceState:
    return RaceState()


# --------------------------------------------------------------------------------------------
# apply: message -> next state
# --------------------------------------------------------------------------------------------

_OUT_CODES = ("DNF", "DQ", "DNS")
_IGNORED_KEEP = 20


def _ignore(state: RaceState, why: str) -> RaceState:
    return replace(state, ignored=(*state.ignored, why)[-_IGNORED_KEEP:])


def apply(state: RaceState, message: TimingMessage, received: float) -> RaceState:
    """The state after `message`, received at `received` (controller wall clock, seconds).

    Never raises for a well-formed message: one that does not fit the state (a lap before the
    gun, a second start) changes nothing but the feed's health and is noted in `ignored`.
    """
    state = replace(state, last_heard=received, messages=state.messages + 1)
    match message:
        case Arm():
            return _arm(state, message)
        case Start():
            if state.phase is Phase.RUNNING:
                return _ignore(state, "start while the race runs (a repeat): ignored")
            if state.phase in (Phase.FINISHED, Phase.OFFICIAL):
                return _ignore(state, "start after the finish: arm the next race first")
            return replace(
                state,
                phase=Phase.RUNNING,
                started_at=received - message.elapsed,
                finish_ms=None,
                leader_count=0,
                passings=(),
                finishes=(),
                falls=(),
            )
        case Clock():
            return _clock(state, message, received)
        case Lap():
            return _lap(state, message.helmet, round(message.time * 1000), message.crossing)
        case Leader():
            return _leader(state, message)
        case Finish():
            return _finish(state, message)
        case Fall():
            if state.fell(message.helmet):
                return state
            ms = None if message.time is None else round(message.time * 1000)
            return replace(state, falls=(*state.falls, (message.helmet, ms)))
        case Mark():
            entry = (message.helmet, message.code)
            if message.clear:
                return replace(state, marks=tuple(m for m in state.marks if m != entry))
            if entry in state.marks:
                return state
            return replace(state, marks=(*state.marks, entry))
        case Status():
            return _status(state, message, received)
        case Heartbeat():
            return state
    return state  # pragma: no cover - the union is exhaustive


def _arm(state: RaceState, message: Arm) -> RaceState:
    laps = message.laps
    if laps is None and message.distance_m is not None:
        laps = laps_for_distance(message.distance_m)
    same_race = bool(message.race) and message.race == state.race
    restarts = state.restarts + 1 if same_race and state.phase is Phase.RUNNING else 0
    if same_race and state.phase is Phase.ARMED:
        restarts = state.restarts
    return RaceState(
        race=message.race,
        event=message.event or (state.event if same_race else ""),
        round=message.round or (state.round if same_race else ""),
        laps=laps if laps is not None else (state.laps if same_race else None),
        skaters=message.skaters or (state.skaters if same_race else ()),
        phase=Phase.ARMED,
        restarts=restarts,
        last_heard=state.last_heard,
        messages=state.messages,
        marks=state.marks if same_race else (),
    )


def _clock(state: RaceState, message: Clock, received: float) -> RaceState:
    ms = round(message.time * 1000)
    if state.phase in (Phase.IDLE, Phase.ARMED) and message.running and ms > 0:
        return replace(
            state, phase=Phase.RUNNING, started_at=received - message.time, finish_ms=None
        )
    if state.phase is Phase.RUNNING and not message.running and ms > 0:
        return replace(state, phase=Phase.FINISHED, finish_ms=ms)
    if state.phase is Phase.RUNNING and state.started_at is not None:
        # a scoreboard's time arrives late, never early: the earliest gun it implies is best
        return replace(state, started_at=min(state.started_at, received - message.time))
    return state


def _lap(state: RaceState, helmet: int, ms: int, crossing: int | None) -> RaceState:
    if state.phase not in (Phase.RUNNING, Phase.FINISHED):
        return _ignore(state, f"lap of helmet {helmet} while the race is {state.phase.value}")
    mine = [p for p in state.passings if p.helmet == helmet]
    if crossing is None:
        if any(p.time_ms == ms for p in mine):
            return state  # the same passing again
        crossing = len(mine) + 1
    if any(p.crossing == crossing for p in mine):
        return state  # already known: a repeated message
    total = state.crossings
    if total is not None and crossing > total:
        return _ignore(state, f"helmet {helmet} crossing {crossing} of a race of {total} crossings")
    passing = Passing(helmet, crossing, ms)
    passings = tuple(sorted((*state.passings, passing), key=lambda p: (p.crossing, p.time_ms)))
    return replace(state, passings=passings)


def _leader(state: RaceState, message: Leader) -> RaceState:
    if state.phase is not Phase.RUNNING:
        return _ignore(state, f"leader's crossing while the race is {state.phase.value}")
    crossing = message.crossing
    if crossing is None and message.laps_to_go is not None and state.laps is not None:
        done = state.laps - message.laps_to_go
        crossing = 0 if done <= 0 else math.floor(done - state.first_part + 1e-9) + 1
    if crossing is None:
        crossing = max(state.leader_count, leader_crossings(state)) + 1
    total = state.crossings
    if total is not None:
        crossing = min(crossing, total)
    return replace(state, leader_count=max(state.leader_count, crossing))


def _finish(state: RaceState, message: Finish) -> RaceState:
    if state.phase not in (Phase.RUNNING, Phase.FINISHED, Phase.OFFICIAL):
        return _ignore(state, f"finish of helmet {message.helmet} while the race is "
                       f"{state.phase.value}")  # fmt: skip
    ms = round(message.time * 1000)
    total = state.crossings
    if total is not None and state.phase is not Phase.OFFICIAL:
        state = _lap(state, message.helmet, ms, total)
    finishes = tuple(f for f in state.finishes if f[0] != message.helmet)
    finishes = tuple(
        sorted((*finishes, (message.helmet, ms, message.place, message.record)),
               key=lambda f: (f[2] if f[2] is not None else 10_000, f[1]))
    )  # fmt: skip
    phase = Phase.FINISHED if state.phase is Phase.RUNNING else state.phase
    finish_ms = state.finish_ms if state.finish_ms is not None else ms
    return replace(state, finishes=finishes, phase=phase, finish_ms=min(finish_ms, ms))


def _status(state: RaceState, message: Status, received: float) -> RaceState:
    match message.status:
        case "recalled":
            if state.phase is not Phase.RUNNING:
                return _ignore(state, f"recall while the race is {state.phase.value}")
            return replace(
                state,
                phase=Phase.ARMED,
                started_at=None,
                finish_ms=None,
                leader_count=0,
                passings=(),
                finishes=(),
                falls=(),
                restarts=state.restarts + 1,
            )
        case "finished":
            if state.phase is not Phase.RUNNING:
                return _ignore(state, f"finish while the race is {state.phase.value}")
            # the clock holds at the leader's last crossing, else at the moment it was said
            held = _leader_time(state)
            if held is None:
                held = elapsed_ms(state, received)
            return replace(state, phase=Phase.FINISHED, finish_ms=held)
        case "official":
            if state.phase not in (Phase.RUNNING, Phase.FINISHED):
                return _ignore(state, f"official while the race is {state.phase.value}")
            return replace(
                state, phase=Phase.OFFICIAL, finish_ms=state.finish_ms or _leader_time(state)
            )
        case "abandoned":
            return replace(state, phase=Phase.ABANDONED, finish_ms=None)
    return state  # pragma: no cover


def _leader_time(state: RaceState) -> int | None:
    total = state.crossings
    last = [p.time_ms for p in state.passings if p.crossing == total]
    return min(last) if last else None


def apply_all(state: RaceState, messages: list[tuple[float, TimingMessage]]) -> RaceState:
    """Apply (received, message) pairs in order."""
    for received, message in messages:
        state = apply(state, message, received)
    return state


# --------------------------------------------------------------------------------------------
# Questions about a state
# --------------------------------------------------------------------------------------------


def elapsed_ms(state: RaceState, now: float) -> int | None:
    """The running time to show at `now` (controller wall clock): counting while the race
    runs, held at the winner's time once finished; None before the gun."""
    if state.finish_ms is not None:
        return state.finish_ms
    if state.started_at is None:
        return None
    if state.phase in (Phase.RUNNING, Phase.FINISHED, Phase.OFFICIAL):
        return max(0, math.floor((now - state.started_at) * 1000 + 1e-3))
    return None


def is_stale(state: RaceState, now: float, after: float = STALE_AFTER_S) -> bool:
    """Whether the feed has been silent too long for a race that needs it (armed, running)."""
    if state.phase not in (Phase.ARMED, Phase.RUNNING):
        return False
    return state.last_heard is None or now - state.last_heard > after


def laps_done(state: RaceState, crossings: int) -> float:
    """Laps skated after `crossings` crossings (the first crossing may end a part lap)."""
    if crossings <= 0:
        return 0.0
    return state.first_part + (crossings - 1)


def leader_crossings(state: RaceState) -> int:
    """Crossings made by the leader (from passings, or told without a helmet)."""
    return max(state.leader_count, max((p.crossing for p in state.passings), default=0))


def laps_to_go(state: RaceState) -> float | None:
    """Laps still to skate by the leader: 4.5 before the first crossing of a 500 m."""
    if state.laps is None:
        return None
    if state.phase in (Phase.FINISHED, Phase.OFFICIAL):
        return 0.0
    return max(0.0, state.laps - laps_done(state, leader_crossings(state)))


def crossing_order(state: RaceState, crossing: int) -> list[Passing]:
    """The passing order at one crossing, earliest first."""
    return sorted((p for p in state.passings if p.crossing == crossing), key=lambda p: p.time_ms)


@dataclass(frozen=True)
class Standing:
    """One skater's place in the race as it stands."""

    place: int | None  # None when out of the places (DNF, DQ, DNS, PEN at the line)
    skater: SkaterInfo
    crossings: int
    last_ms: int | None  # race time of the last crossing
    gap_ms: int | None  # behind the leader at the last crossing both made
    finish_ms: int | None
    fell: bool
    codes: tuple[str, ...]
    record: str = ""


def standings(state: RaceState) -> list[Standing]:
    """Every skater in the current order (see the module doc); skaters out of the race last.

    Skaters the feed named at the arm come first in their start order before the gun; a
    helmet seen only in passings is added as it appears."""
    helmets = [s.helmet for s in state.skaters]
    for p in state.passings:
        if p.helmet not in helmets:
            helmets.append(p.helmet)
    last: dict[int, Passing] = {}
    for p in state.passings:
        if p.helmet not in last or p.crossing > last[p.helmet].crossing:
            last[p.helmet] = p
    by_crossing = {(p.helmet, p.crossing): p.time_ms for p in state.passings}

    def out(h: int) -> bool:
        codes = state.codes(h)
        return any(c in _OUT_CODES for c in codes) or (
            "PEN" in codes and state.phase in (Phase.FINISHED, Phase.OFFICIAL)
        )

    # gaps are to the first skater in the places at each crossing
    leader_at: dict[int, int] = {}
    for p in state.passings:
        if not out(p.helmet) and (p.crossing not in leader_at or p.time_ms < leader_at[p.crossing]):
            leader_at[p.crossing] = p.time_ms

    def key(h: int) -> tuple[int, int, int, int, int]:
        f = state.finish_of(h)
        if f is not None:  # finishers by their place when the feed gives it, else by time
            return (int(out(h)), 0, f[1] if f[1] is not None else 10_000, f[0], helmets.index(h))
        lp = last.get(h)
        crossings = lp.crossing if lp else 0
        return (int(out(h)), 1, -crossings, lp.time_ms if lp else 0, helmets.index(h))

    ordered = sorted(helmets, key=key)
    rows: list[Standing] = []
    place = 0
    for h in ordered:
        lp = last.get(h)
        gap = None
        if lp is not None and not out(h):
            leader_ms = leader_at.get(lp.crossing)
            gap = None if leader_ms is None else by_crossing[(h, lp.crossing)] - leader_ms
        f = state.finish_of(h)
        in_places = not out(h)
        if in_places:
            place += 1
        rows.append(
            Standing(
                place=place if in_places else None,
                skater=state.skater(h),
                crossings=lp.crossing if lp else 0,
                last_ms=lp.time_ms if lp else None,
                gap_ms=gap,
                finish_ms=f[0] if f else None,
                fell=state.fell(h),
                codes=state.codes(h),
                record=f[2] if f else "",
            )
        )
    return rows


def leader(state: RaceState) -> SkaterInfo | None:
    """The skater in front (None before the first crossing or when nobody is in the places)."""
    if not state.passings:
        return None
    rows = standings(state)
    return rows[0].skater if rows and rows[0].place == 1 else None


def lap_times(state: RaceState, helmet: int) -> list[int]:
    """A skater's lap times in ms, crossing by crossing (the first may be a part lap)."""
    mine = sorted((p for p in state.passings if p.helmet == helmet), key=lambda p: p.crossing)
    times: list[int] = []
    before = 0
    expected = 1
    for p in mine:
        if p.crossing != expected:  # a crossing the feed missed: the times after it are unknown
            break
        times.append(p.time_ms - before)
        before = p.time_ms
        expected += 1
    return times


def split_times(state: RaceState, helmet: int) -> list[int]:
    """A skater's race times at each crossing (splits), ms."""
    return [p.time_ms for p in sorted(
        (p for p in state.passings if p.helmet == helmet), key=lambda p: p.crossing)]  # fmt: skip
