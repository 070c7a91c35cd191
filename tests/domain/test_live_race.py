"""The live race's state model over recorded feeds (tests/domain/data/*.feed, the demo race)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from strapline.domain.live_race import (
    MESSAGE_ADAPTER,
    Arm,
    Clock,
    Fall,
    Finish,
    Heartbeat,
    Lap,
    Mark,
    Phase,
    RaceState,
    SkaterInfo,
    Start,
    Status,
    TimingMessage,
    apply,
    crossing_order,
    elapsed_ms,
    is_stale,
    lap_times,
    laps_to_go,
    leader,
    split_times,
    standings,
)

DATA = Path(__file__).parent / "data"
DEMO = Path(__file__).parents[2] / "src" / "strapline" / "data" / "demo" / "feeds"
T0 = 1_800_000_000.0  # reception times are this plus the recording's offsets


def recording(path: Path) -> list[tuple[float, TimingMessage]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0])["strapline_feed_recording"] == 1
    out = []
    for line in lines[1:]:
        entry = json.loads(line)
        out.append((T0 + entry["t"], MESSAGE_ADAPTER.validate_json(entry["data"])))
    return out


def replay(messages: list[tuple[float, TimingMessage]], until: float | None = None) -> RaceState:
    state = RaceState()
    for at, message in messages:
        if until is not None and at > T0 + until:
            break
        state = apply(state, message, at)
    return state


def test_half_lap_500m_counts_laps_to_go_from_four_and_a_half() -> None:
    feed = recording(DATA / "m500-half-lap.feed")
    armed = replay(feed, until=0.0)
    assert armed.phase is Phase.ARMED
    assert armed.laps == 4.5 and armed.crossings == 5 and armed.first_part == 0.5
    assert laps_to_go(armed) == 4.5
    assert elapsed_ms(armed, T0 + 1.0) is None  # no gun yet
    started = replay(feed, until=2.0)
    assert started.phase is Phase.RUNNING and started.started_at == T0 + 2.0
    assert laps_to_go(started) == 4.5
    assert elapsed_ms(started, T0 + 7.5) == 5500
    # the first crossing ends the half lap: 4 laps to go, NIKISHA leads
    first = replay(feed, until=8.3)
    assert laps_to_go(first) == 4.0
    assert [p.helmet for p in crossing_order(first, 1)] == [117, 161, 182, 144]
    lead = leader(first)
    assert lead is not None and lead.name == "NIKISHA Denis"
    after_two = replay(feed, until=17.5)
    assert laps_to_go(after_two) == 3.0
    # the duplicated datagram of ROUSSEL's second crossing was taken once
    assert [p.crossing for p in after_two.passings if p.helmet == 161] == [1, 2]
    assert lap_times(after_two, 161) == [6020, 9180]
    # the finish: the clock holds at the winner's time whatever the wall clock says
    done = replay(feed, until=45.0)
    assert done.phase is Phase.FINISHED
    assert laps_to_go(done) == 0.0
    assert elapsed_ms(done, T0 + 44.0) == 41_480
    assert elapsed_ms(done, T0 + 400.0) == 41_480
    assert [s.skater.helmet for s in standings(done)] == [117, 161, 182, 144]
    assert lap_times(done, 117) == [5910, 9110, 8880, 8810, 8770]
    assert split_times(done, 144) == [6210, 15400, 24300, 33020, 41830]
    # the penalty at the line: NIKISHA out of the places, ROUSSEL wins
    final = replay(feed)
    assert final.phase is Phase.OFFICIAL
    rows = standings(final)
    assert [(r.place, r.skater.helmet) for r in rows] == [(1, 161), (2, 182), (3, 144), (None, 117)]
    assert rows[3].codes == ("PEN",) and rows[3].finish_ms == 41_480
    assert rows[1].gap_ms == 80 and rows[2].gap_ms == 310
    assert elapsed_ms(final, T0 + 500.0) == 41_480  # the clock still shows the fastest time


def test_demo_race_has_a_fall_and_a_penalty_at_the_line() -> None:
    feed = recording(DEMO / "race-men-1000m-final.feed")
    start = next(at for at, m in feed if isinstance(m, Start))
    mid = replay(feed, until=start - T0 + 60.0)
    assert mid.phase is Phase.RUNNING and mid.laps == 9
    fallen = [r for r in standings(mid) if r.fell]
    assert [r.skater.helmet for r in fallen] == [4]
    assert standings(mid)[-1].skater.helmet == 4  # the fall put him last
    assert laps_to_go(mid) == 3.0
    final = replay(feed)
    assert final.phase is Phase.OFFICIAL
    rows = standings(final)
    assert [(r.place, r.skater.name) for r in rows] == [
        (1, "LEE Dong Hyun"),
        (2, "HALVORSEN Eirik"),
        (3, "BRENNAN Luke"),
        (4, "KOVÁČ Matej"),
        (None, "TANAKA Ren"),
    ]
    assert rows[-1].codes == ("PEN",)
    assert elapsed_ms(final, start + 3600) == 82_890
    assert len(lap_times(final, 4)) == 9 and lap_times(final, 4)[5] == 11_950


def test_restart_drops_the_false_start_and_counts_it() -> None:
    feed = recording(DATA / "w1500-restart.feed")
    first = replay(feed, until=1.0)
    assert first.phase is Phase.RUNNING and first.started_at == T0 + 1.0
    assert first.ignored and "repeat" in first.ignored[-1]  # the second start changed nothing
    recalled = replay(feed, until=3.6)
    assert recalled.phase is Phase.ARMED and recalled.restarts == 1
    assert recalled.passings == () and elapsed_ms(recalled, T0 + 3.6) is None
    assert "lap of helmet 3 while the race is armed" in recalled.ignored[-1]
    assert laps_to_go(recalled) == 13.5
    again = replay(feed)
    assert again.started_at == T0 + 20.0 and again.restarts == 1
    assert elapsed_ms(again, T0 + 30.0) == 10_000
    assert laps_to_go(again) == 12.0  # first crossing a half lap, then one whole lap
    assert [r.skater.helmet for r in standings(again)] == [3, 7]
    assert standings(again)[1].gap_ms == 100


def test_feed_that_drops_out_goes_stale_and_keeps_what_it_knew() -> None:
    feed = recording(DATA / "m1000-dropout.feed")
    live = replay(feed, until=12.5)
    assert not is_stale(live, T0 + 12.6)
    silent = replay(feed, until=40.0)
    assert is_stale(silent, T0 + 40.0)
    assert not is_stale(silent, T0 + 22.3 + 1.4)
    assert is_stale(silent, T0 + 22.3 + 1.6)
    assert laps_to_go(silent) == 7.0  # what it knew: two crossings
    back = replay(feed)
    assert not is_stale(back, T0 + 48.5)
    assert laps_to_go(back) == 4.0
    assert [r.skater.helmet for r in standings(back)] == [34, 21]
    # lap times stop at the first missing crossing; splits keep every one received
    assert lap_times(back, 34) == [12_400, 8_800]
    assert split_times(back, 34) == [12_400, 21_200, 47_000]
    # a race that is not armed or running never goes stale
    assert not is_stale(RaceState(), T0)


def test_messages_that_do_not_fit_change_nothing_but_health() -> None:
    armed = apply(RaceState(), Arm(race="r", laps=9), T0)
    state = apply(armed, Lap(helmet=3, time=10.0), T0 + 1)
    assert state.passings == () and state.last_heard == T0 + 1
    running = apply(armed, Start(), T0 + 2)
    over = apply(running, Lap(helmet=3, time=10.0, crossing=10), T0 + 3)
    assert over.passings == () and "crossing 10 of a race of 9" in over.ignored[-1]
    finished = apply(running, Finish(helmet=3, time=80.0), T0 + 82)
    assert apply(finished, Start(), T0 + 90).started_at == running.started_at


def test_late_start_and_scoreboard_clock_place_the_gun() -> None:
    armed = apply(RaceState(), Arm(race="r", distance_m=1500), T0)
    assert armed.laps == 13.5
    late = apply(armed, Start(elapsed=0.25), T0 + 10)
    assert late.started_at == T0 + 9.75
    # a scoreboard's running time: the earliest gun it implies wins
    by_clock = apply(armed, Clock(time=1.2), T0 + 11.3)
    assert by_clock.phase is Phase.RUNNING and by_clock.started_at == pytest.approx(T0 + 10.1)
    later = apply(by_clock, Clock(time=2.3), T0 + 12.38)
    assert later.started_at == pytest.approx(T0 + 10.08)
    stopped = apply(later, Clock(time=84.245, running=False), T0 + 95)
    assert stopped.phase is Phase.FINISHED and elapsed_ms(stopped, T0 + 99) == 84_245


def test_marks_falls_and_new_race() -> None:
    skaters = (SkaterInfo(helmet=1, name="A"), SkaterInfo(helmet=2, name="B"))
    s = apply(RaceState(), Arm(race="h1", laps=4.5, skaters=skaters), T0)
    s = apply(s, Start(), T0)
    s = apply(s, Fall(helmet=2, time=3.0), T0 + 3)
    s = apply(s, Fall(helmet=2, time=3.0), T0 + 3)  # repeated
    assert s.falls == ((2, 3000),)
    s = apply(s, Mark(helmet=2, code="ADV"), T0 + 5)
    s = apply(s, Mark(helmet=1, code="DNF"), T0 + 5)
    assert [(r.place, r.skater.helmet) for r in standings(s)] == [(1, 2), (None, 1)]
    s = apply(s, Mark(helmet=1, code="DNF", clear=True), T0 + 6)
    assert [r.place for r in standings(s)] == [1, 2]
    s = apply(s, Heartbeat(), T0 + 7)
    assert s.last_heard == T0 + 7
    # the feed moves to the next race: everything of the last one goes
    nxt = apply(s, Arm(race="h2", laps=4.5), T0 + 60)
    assert nxt.race == "h2" and nxt.skaters == () and nxt.marks == () and nxt.restarts == 0
    assert apply(s, Status(status="abandoned"), T0 + 8).phase is Phase.ABANDONED


def test_bad_messages_are_refused_with_the_field_named() -> None:
    with pytest.raises(ValidationError, match="helmet"):
        MESSAGE_ADAPTER.validate_json('{"type":"lap","helmet":-1,"time":3}')
    with pytest.raises(ValidationError, match="type"):
        MESSAGE_ADAPTER.validate_json('{"type":"lapp","helmet":1,"time":3}')
    with pytest.raises(ValidationError):
        MESSAGE_ADAPTER.validate_json('{"type":"lap","helmet":1,"time":"NaN"}')


def test_leader_crossings_without_helmets_count_laps_to_go() -> None:
    from strapline.domain.live_race import Leader

    s = apply(RaceState(), Arm(race="m500", distance_m=500), T0)
    s = apply(s, Start(), T0)
    assert laps_to_go(apply(s, Leader(), T0 + 6)) == 4.0  # the half lap
    by_count = apply(s, Leader(laps_to_go=2), T0 + 24)
    assert laps_to_go(by_count) == 2.0 and by_count.leader_count == 3
    twice = apply(apply(by_count, Leader(time=33.0), T0 + 33), Leader(crossing=9), T0 + 34)
    assert twice.leader_count == 5 and laps_to_go(twice) == 0.0  # capped at the race's crossings
    assert apply(RaceState(), Leader(), T0).leader_count == 0  # no race running


def test_finish_without_the_last_crossing_holds_the_clock_when_said() -> None:
    s = apply(RaceState(), Arm(race="r", laps=9), T0)
    s = apply(apply(s, Start(), T0), Lap(helmet=1, time=12.0), T0 + 12)
    done = apply(s, Status(status="finished"), T0 + 80.5)
    assert done.phase is Phase.FINISHED and elapsed_ms(done, T0 + 200) == 80_500


def test_finishers_without_places_go_by_time_before_those_still_racing() -> None:
    s = apply(RaceState(), Arm(race="r", laps=1, skaters=(SkaterInfo(helmet=1),
                                                           SkaterInfo(helmet=2),
                                                           SkaterInfo(helmet=3))), T0)  # fmt: skip
    s = apply(s, Start(), T0)
    s = apply(s, Finish(helmet=2, time=9.5), T0 + 9.5)
    s = apply(s, Finish(helmet=1, time=9.1, place=1), T0 + 9.6)
    assert [r.skater.helmet for r in standings(s)] == [1, 2, 3]
