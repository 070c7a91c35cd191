"""The live race's graphics: race-clock, positions, lap-chart and finish-card data from a
RaceState, and the same four from a race of the loaded data (so a still can be exported and a
cue prepared before the feed says anything). One place decides what each graphic shows.

Clocks: a RaceState places the gun on the controller's wall clock. A renderer draws the running
time from `clock_started_at` on its own clock, so the builder adds the clock offset the
heartbeats estimate (renderer minus controller, `TargetHealth.clock_offset_s`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from strapline.domain.graphics import (
    BindingError,
    FinishCardData,
    GraphicData,
    GraphicKind,
    LapChartData,
    LapSeries,
    PositionRow,
    PositionsData,
    RaceClockData,
    Selection,
    _event,
    _race,
    race_laps,
)
from strapline.domain.live_race import (
    Phase,
    RaceState,
    SkaterInfo,
    Standing,
    elapsed_ms,
    lap_times,
    laps_to_go,
    leader,
    standings,
)
from strapline.domain.model import Athlete, Competition, RaceStatus, format_time

if TYPE_CHECKING:
    from strapline.domain.names import NameForm

LIVE_KINDS = (
    GraphicKind.RACE_CLOCK,
    GraphicKind.POSITIONS,
    GraphicKind.LAP_CHART,
    GraphicKind.FINISH_CARD,
)
POSITIONS_MAX = 12


def status_of(state: RaceState) -> RaceStatus:
    if state.phase is Phase.OFFICIAL:
        return RaceStatus.OFFICIAL
    if state.phase is Phase.FINISHED:
        return RaceStatus.UNOFFICIAL
    return RaceStatus.LIVE


def last_event_ms(state: RaceState) -> int:
    """Race time of the latest passing or finish (0 right after the gun)."""
    times = [p.time_ms for p in state.passings] + [f[1] for f in state.finishes]
    return max(times, default=0)


def gap_text(ms: int | None) -> str:
    """'+0.31', '+1:02.31'; '' for the leader or no gap."""
    if not ms or ms <= 0:
        return ""
    return "+" + format_time(ms, 2)


def race_clock(
    state: RaceState, now: float, *, offset: float = 0.0, stale: bool = False
) -> RaceClockData:
    """The race clock at `now` (controller wall clock); `offset` = renderer clock minus ours."""
    running = state.phase is Phase.RUNNING and state.finish_ms is None
    lead = leader(state)
    total = state.laps
    # while it runs the renderer draws the time; the data holds the race time of the last
    # thing the feed said, so it changes only when the race does (no update per tick)
    shown = last_event_ms(state) if running else elapsed_ms(state, now)
    return RaceClockData(
        event=state.event or state.race,
        round=state.round,
        clock_ms=shown,
        clock_started_at=None if state.started_at is None else state.started_at + offset,
        clock_running=running and state.started_at is not None,
        laps_to_go=laps_to_go(state),
        total_laps=total,
        leader_helmet=lead.helmet if lead else None,
        leader_name=lead.name if lead else "",
        leader_nation=lead.nation if lead else "",
        stale=stale,
        status=status_of(state),
    )


def _row(s: Standing) -> PositionRow:
    code = s.codes[0] if s.codes else ""
    return PositionRow(
        place=s.place,
        helmet=s.skater.helmet,
        name=s.skater.name or f"#{s.skater.helmet}",
        nation=s.skater.nation,
        gap="" if code else gap_text(s.gap_ms),
        code=code,
        fell=s.fell,
    )


def positions(state: RaceState, *, stale: bool = False) -> PositionsData:
    rows = [_row(s) for s in standings(state)][:POSITIONS_MAX]
    if not rows:
        raise BindingError("the race has no skaters yet (the feed named none)")
    return PositionsData(
        title=state.event or state.race,
        subtitle=state.round,
        laps_to_go=laps_to_go(state),
        rows=rows,
        stale=stale,
        status=status_of(state),
    )


def lap_chart(state: RaceState, *, stale: bool = False) -> LapChartData:
    series = [
        LapSeries(
            helmet=s.skater.helmet,
            name=s.skater.name or f"#{s.skater.helmet}",
            nation=s.skater.nation,
            laps_ms=lap_times(state, s.skater.helmet),
        )
        for s in standings(state)
    ][:POSITIONS_MAX]
    if not any(s.laps_ms for s in series):
        raise BindingError("the lap chart needs lap times from the timing feed: none yet")
    subtitle = " · ".join(p for p in (state.round, "Lap times") if p)
    return LapChartData(
        title=state.event or state.race,
        subtitle=subtitle,
        crossings=state.crossings or max(len(s.laps_ms) for s in series),
        first_part=state.first_part,
        series=series,
        stale=stale,
        status=status_of(state),
    )


def finish_card(state: RaceState) -> FinishCardData:
    rows = standings(state)
    winner = next((r for r in rows if r.place == 1 and r.finish_ms is not None), None)
    if winner is None:
        raise BindingError("no winner yet: the finish card waits for the first finish")
    notes = [
        f"{r.skater.name or '#' + str(r.skater.helmet)}"
        + (f" ({r.skater.nation})" if r.skater.nation else "")
        + " penalised"
        for r in rows
        if "PEN" in r.codes
    ]
    assert winner.finish_ms is not None
    return FinishCardData(
        title=state.event or state.race,
        subtitle=state.round,
        name=winner.skater.name or f"#{winner.skater.helmet}",
        nation=winner.skater.nation,
        helmet=winner.skater.helmet,
        time=format_time(winner.finish_ms, 3),
        record=winner.record,
        note="; ".join(notes),
        status=status_of(state),
    )


def live_data(
    kind: str | GraphicKind,
    state: RaceState,
    now: float,
    *,
    offset: float = 0.0,
    stale: bool = False,
) -> GraphicData:
    """The data of one live graphic; BindingError when the race does not hold it yet."""
    k = GraphicKind(kind)
    if k is GraphicKind.RACE_CLOCK:
        return race_clock(state, now, offset=offset, stale=stale)
    if k is GraphicKind.POSITIONS:
        return positions(state, stale=stale)
    if k is GraphicKind.LAP_CHART:
        return lap_chart(state, stale=stale)
    if k is GraphicKind.FINISH_CARD:
        return finish_card(state)
    raise ValueError(f"{k.value} is not a graphic of the live race")


# --------------------------------------------------------------------------------------------
# From the loaded data: a race before (start list) or after (results) it is skated
# --------------------------------------------------------------------------------------------


def state_from_data(
    c: Competition, sel: Selection, nf: NameForm | None = None, *, results: bool = False
) -> RaceState:
    """A RaceState for a race of the data: its skaters, laps and, once there are results,
    the official times, places, records and codes (no passings: the data has no laps).
    Without a race in the selection: the event's first race (with `results`, the first that
    has results)."""
    from strapline.domain.names import NameForm, athlete_name

    event = _event(c, sel)
    if results:
        race = _race(event, sel, lambda r: bool(r.results), "results")
    else:
        race = _race(event, sel, lambda r: True, "a race")
    form = nf if nf is not None else NameForm.FAMILY_GIVEN

    def info(comp: object, helmet: int | None, fallback: int) -> SkaterInfo:
        name = athlete_name(comp, form) if isinstance(comp, Athlete) else getattr(comp, "name", "")
        nation = getattr(comp, "nation", None) or ""
        return SkaterInfo(helmet=helmet if helmet is not None else fallback, name=name,
                          nation=nation, id=getattr(comp, "id", ""))  # fmt: skip

    skaters: list[SkaterInfo] = []
    finishes: list[tuple[int, int, int | None, str]] = []
    marks: list[tuple[int, str]] = []
    if race.results:
        for i, row in enumerate(race.results):
            s = info(row.competitor, row.helmet, 9000 + i)
            skaters.append(s)
            if row.time is not None:
                record = row.record.value if row.record is not None else ""
                finishes.append((s.helmet, row.time.ms, row.place, record))
            for code in (row.status, *row.warnings):
                if code is not None and code.value in ("PEN", "DQ", "DNF", "DNS", "YC"):
                    marks.append((s.helmet, code.value))
    else:
        for i, entry in enumerate(race.start_list):
            helmet = entry.helmet if entry.helmet is not None else entry.competitor.helmet
            skaters.append(info(entry.competitor, helmet, 9000 + i))
    done = bool(finishes)
    phase = Phase.OFFICIAL if race.status is RaceStatus.OFFICIAL and done else (
        Phase.FINISHED if done else Phase.ARMED
    )  # fmt: skip
    winner = min((f[1] for f in finishes if f[2] == 1), default=None)
    return RaceState(
        race=race.id,
        event=event.name,
        round=race.label,
        laps=race_laps(event, race),
        skaters=tuple(skaters),
        phase=phase,
        finish_ms=winner if winner is not None else (min((f[1] for f in finishes), default=None)),
        finishes=tuple(finishes),
        marks=tuple(marks),
    )


def bind_from_data(
    kind: GraphicKind, c: Competition, sel: Selection, nf: NameForm | None = None
) -> GraphicData:
    """A live graphic from a race of the data: the clock at rest (0 before the race, the
    winner's time after it), the start list or result order, the finish card from results."""
    state = state_from_data(c, sel, nf, results=kind is GraphicKind.FINISH_CARD)
    if kind is GraphicKind.LAP_CHART:
        raise BindingError(
            f"{state.event} {state.round}: a lap chart needs lap times from the timing feed "
            "(the data has none)"
        )
    data = live_data(kind, state, 0.0)
    if isinstance(data, RaceClockData) and data.clock_ms is None:
        data = data.model_copy(update={"clock_ms": 0})
    return data
