"""The live race's graphic data: from a RaceState (the feed) and from a race of the data."""

from __future__ import annotations

import pytest

from strapline.domain.graphics import (
    BindingError,
    FinishCardData,
    PositionsData,
    RaceClockData,
    Selection,
    bind,
)
from strapline.domain.live_graphics import gap_text, live_data, state_from_data
from strapline.domain.live_race import (
    Arm,
    Fall,
    Finish,
    Lap,
    Mark,
    RaceState,
    SkaterInfo,
    Start,
    Status,
    apply,
)
from strapline.domain.model import Competition, RaceStatus
from strapline.io.demo import load_demo

T0 = 1_800_000_000.0
SKATERS = (
    SkaterInfo(helmet=5, name="LEE Dong Hyun", nation="KOR"),
    SkaterInfo(helmet=2, name="TANAKA Ren", nation="JPN"),
    SkaterInfo(helmet=4, name="KOVÁČ Matej", nation="SVK"),
)


def _race() -> RaceState:
    s = apply(RaceState(), Arm(race="d", event="Men 1000 m", round="Final A", laps=9,
                               skaters=SKATERS), T0)  # fmt: skip
    s = apply(s, Start(), T0 + 3)
    for helmet, t in ((2, 12.31), (5, 12.58), (4, 12.84)):
        s = apply(s, Lap(helmet=helmet, time=t), T0 + 3 + t)
    return apply(s, Fall(helmet=4), T0 + 20)


def test_race_clock_carries_the_gun_on_the_renderers_clock() -> None:
    data = live_data("race-clock", _race(), T0 + 30.0, offset=0.25)
    assert isinstance(data, RaceClockData)
    assert data.clock_started_at == pytest.approx(T0 + 3.25)  # our gun plus the offset
    # running: the renderer draws the time; the data holds the last crossing's race time, so
    # the same race gives the same data whenever it is asked for
    assert data.clock_running and data.clock_ms == 12_840
    assert live_data("race-clock", _race(), T0 + 31.0, offset=0.25) == data
    assert (data.laps_to_go, data.leader_helmet, data.leader_name) == (8.0, 2, "TANAKA Ren")
    assert data.status is RaceStatus.LIVE and not data.stale
    assert live_data("race-clock", _race(), T0 + 30, stale=True).stale  # type: ignore[attr-defined]


def test_positions_give_gaps_falls_and_codes() -> None:
    s = apply(_race(), Mark(helmet=5, code="YC"), T0 + 25)
    data = live_data("positions", s, T0 + 30)
    assert isinstance(data, PositionsData)
    assert [(r.place, r.helmet, r.gap, r.code, r.fell) for r in data.rows] == [
        (1, 2, "", "", False),
        (2, 5, "", "YC", False),
        (3, 4, "+0.53", "", True),
    ]
    assert gap_text(62_400) == "+1:02.40" and gap_text(0) == ""


def test_finish_card_waits_for_the_winner_then_names_the_penalty() -> None:
    with pytest.raises(BindingError, match="no winner yet"):
        live_data("finish-card", _race(), T0 + 30)
    s = _race()
    for helmet, t in ((2, 82.80), (5, 82.89), (4, 87.40)):
        s = apply(s, Finish(helmet=helmet, time=t, record="WR" if helmet == 5 else ""), T0 + t)
    s = apply(s, Mark(helmet=2, code="PEN"), T0 + 95)
    s = apply(s, Status(status="official"), T0 + 99)
    data = live_data("finish-card", s, T0 + 100)
    assert isinstance(data, FinishCardData)
    assert (data.name, data.time, data.record) == ("LEE Dong Hyun", "1:22.890", "WR")
    assert data.note == "TANAKA Ren (JPN) penalised" and data.status is RaceStatus.OFFICIAL
    clock = live_data("race-clock", s, T0 + 500)
    assert isinstance(clock, RaceClockData)
    assert clock.clock_ms == 82_800 and not clock.clock_running  # held at the first at the line


def test_lap_chart_needs_lap_times() -> None:
    with pytest.raises(BindingError, match="lap times"):
        live_data("lap-chart", apply(RaceState(), Arm(race="x", laps=9, skaters=SKATERS), T0), T0)
    chart = live_data("lap-chart", _race(), T0 + 30)
    assert [s.laps_ms for s in chart.series] == [[12_310], [12_580], [12_840]]  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def dresden() -> Competition:
    return load_demo()


def test_from_the_data_before_and_after_the_race(dresden: Competition) -> None:
    final = Selection(race_id="m500-fa")
    state = state_from_data(dresden, final)
    assert state.laps == 4.5 and state.finishes
    clock = bind("race-clock", dresden, final)
    assert isinstance(clock, RaceClockData)
    assert not clock.clock_running and clock.clock_ms == min(f[1] for f in state.finishes)
    card = bind("finish-card", dresden, final)
    assert isinstance(card, FinishCardData)
    assert "ROUSSEL" in card.name and "NIKISHA" in card.note
    tower = bind("positions", dresden, final)
    assert isinstance(tower, PositionsData)
    assert tower.rows[-1].code == "PEN" and tower.rows[0].place == 1
