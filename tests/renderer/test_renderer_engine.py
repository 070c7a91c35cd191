"""The renderer's state machine without a window: layers, phases, dedupe, scheduling."""

from __future__ import annotations

import json
from typing import Any

import pytest

from strapline.osc import address as osc
from strapline.osc.codec import build_bundle, build_message, parse_packet
from strapline.renderer.engine import RendererEngine

LT = {"family_name": "ROUSSEL", "given_name": "Felix", "nation": "CAN"}
SENDER = ("127.0.0.1", 50000)


def standings(rows: int) -> dict[str, Any]:
    return {
        "title": "Crystal Globe",
        "page_size": 4,
        "rows": [{"rank": i, "name": f"N{i}", "points": str(100 - i)} for i in range(1, rows + 1)],
    }


class Clock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def engine(clock: Clock) -> RendererEngine:
    wall = lambda: 1_800_000_000.0 + clock.t  # noqa: E731
    return RendererEngine("r1", clock=clock, wall=wall, durations=lambda theme: (0.5, 0.4, 0.3))


def replies(engine: RendererEngine, command: osc.Command, sender: Any = SENDER) -> list[Any]:
    out = []
    for dgram in engine.handle_packet(osc.build(command), sender):
        (timed,) = parse_packet(dgram)
        out.append(osc.parse_reply(timed.message))
    return [r for r in out if not (isinstance(r, osc.StateReport) and r.seq == 0)]


def test_load_play_hold_out(engine: RendererEngine, clock: Clock) -> None:
    assert replies(engine, osc.Load(1, 1, 20, "lower-third", "ice", LT)) == [osc.Ack(1, "r1")]
    assert engine.frames(1) == []  # loaded, not on air
    assert replies(engine, osc.Play(2, 1, 20)) == [osc.Ack(2, "r1")]
    (frame,) = engine.frames(1)
    assert (frame.graphic, frame.playhead.phase, frame.playhead.t) == ("lower-third", "in", 0.0)
    clock.t += 0.25
    assert engine.frames(1)[0].playhead.t == pytest.approx(0.25)
    clock.t += 0.3
    assert engine.tick()
    assert engine.frames(1)[0].playhead.phase == "hold"
    state = engine.channel_state(1)
    assert state.layers[0].on_air and state.layers[0].data == LT
    assert replies(engine, osc.Stop(3, 1, 20)) == [osc.Ack(3, "r1")]
    assert engine.frames(1)[0].playhead.phase == "out"
    assert not engine.channel_state(1).layers[0].on_air
    clock.t += 0.5
    engine.tick()
    assert engine.frames(1) == []
    # still loaded: a second play brings it back
    assert replies(engine, osc.Play(4, 1, 20)) == [osc.Ack(4, "r1")]
    assert engine.frames(1)[0].playhead.phase == "in"


def test_retry_is_answered_without_playing_twice(engine: RendererEngine, clock: Clock) -> None:
    replies(engine, osc.Load(1, 1, 1, "lower-third", "", LT))
    assert replies(engine, osc.Play(2, 1, 1)) == [osc.Ack(2, "r1")]
    clock.t += 1.0
    engine.tick()
    assert engine.frames(1)[0].playhead.phase == "hold"
    assert replies(engine, osc.Play(2, 1, 1)) == [osc.Ack(2, "r1")]  # the retry
    assert engine.frames(1)[0].playhead.phase == "hold"  # not taken in again
    assert engine.counters.duplicates == 1
    # the same seq from another sender is another command
    assert replies(engine, osc.Play(2, 1, 1), ("127.0.0.1", 50001))[0] == osc.Nack(
        2, "r1", "layer 1: lower-third is on its last step (1 step(s))"
    )


def test_invalid_data_is_nacked_and_changes_nothing(engine: RendererEngine) -> None:
    replies(engine, osc.Load(1, 1, 1, "lower-third", "", LT))
    (nack,) = replies(engine, osc.Load(2, 1, 1, "lower-third", "", {"given_name": "x"}))
    assert isinstance(nack, osc.Nack)
    assert "family_name" in nack.reason
    (nack,) = replies(engine, osc.Load(3, 1, 1, "hologram", "", {}))
    assert isinstance(nack, osc.Nack) and "unknown graphic 'hologram'" in nack.reason
    (nack,) = replies(engine, osc.Update(4, 1, 1, {"family_name": 5}))
    assert isinstance(nack, osc.Nack) and "family_name" in nack.reason
    assert engine.channel_state(1).layers[0].data == LT
    (nack,) = replies(engine, osc.Play(5, 1, 2))
    assert isinstance(nack, osc.Nack) and "nothing loaded" in nack.reason


def test_steps_of_a_paged_table(engine: RendererEngine, clock: Clock) -> None:
    replies(engine, osc.Load(1, 1, 5, "standings", "", standings(10)))  # 3 pages
    replies(engine, osc.Play(2, 1, 5))
    clock.t += 1
    engine.tick()
    replies(engine, osc.Play(3, 1, 5))
    (f,) = engine.frames(1)
    assert (f.playhead.phase, f.playhead.step) == ("update", 1)
    assert replies(engine, osc.Play(4, 1, 5, 2)) == [osc.Ack(4, "r1")]
    (nack,) = replies(engine, osc.Play(5, 1, 5))
    assert isinstance(nack, osc.Nack) and "last step" in nack.reason
    (nack,) = replies(engine, osc.Play(6, 1, 5, 3))
    assert isinstance(nack, osc.Nack) and "out of range" in nack.reason
    assert engine.channel_state(1).layers[0].step == 2


def test_update_on_air_keeps_previous(engine: RendererEngine, clock: Clock) -> None:
    replies(engine, osc.Load(1, 1, 1, "lower-third", "", LT))
    replies(engine, osc.Play(2, 1, 1))
    clock.t += 1
    engine.tick()
    new = {**LT, "info": "Gold"}
    assert replies(engine, osc.Update(3, 1, 1, new)) == [osc.Ack(3, "r1")]
    (f,) = engine.frames(1)
    assert f.playhead.phase == "update" and f.playhead.previous == LT
    assert engine.channel_state(1).layers[0].data == new


def test_take_replaces_with_out_and_in(engine: RendererEngine, clock: Clock) -> None:
    replies(engine, osc.Load(1, 1, 1, "lower-third", "", LT))
    replies(engine, osc.Play(2, 1, 1))
    clock.t += 1
    engine.tick()
    replies(engine, osc.Load(3, 1, 1, "lower-third", "", {**LT, "family_name": "KIM"}))
    replies(engine, osc.Play(4, 1, 1))
    phases = [(f.playhead.phase, f.model.family_name) for f in engine.frames(1)]  # type: ignore[attr-defined]
    assert phases == [("out", "ROUSSEL"), ("in", "KIM")]
    clock.t += 1
    engine.tick()
    assert [f.playhead.phase for f in engine.frames(1)] == ["hold"]


def test_clear_panic_and_immediate_stop(engine: RendererEngine) -> None:
    for layer in (1, 2):
        replies(engine, osc.Load(layer * 10, 1, layer, "lower-third", "", LT))
        replies(engine, osc.Play(layer * 10 + 1, 1, layer))
    replies(engine, osc.Load(30, 2, 1, "lower-third", "", LT))
    replies(engine, osc.Stop(40, 1, 1, True))
    assert [f.layer for f in engine.frames(1)] == [2]
    replies(engine, osc.ClearLayer(41, 1, 1))
    assert [ls.layer for ls in engine.channel_state(1).layers] == [2]
    replies(engine, osc.ClearChannel(42, 1))
    assert engine.channel_state(1).layers == []
    assert engine.channel_state(2).layers
    replies(engine, osc.Panic(43))
    assert engine.channel_state(2).layers == []


def test_state_get_and_resync(engine: RendererEngine) -> None:
    state = {
        "channel": 1,
        "layers": [
            {"layer": 5, "graphic": "standings", "data": standings(10), "on_air": True, "step": 1},
            {"layer": 7, "graphic": "lower-third", "data": LT},
        ],
    }
    got = replies(engine, osc.SetState(1, 1, state))
    assert isinstance(got[0], osc.StateReport) and got[1] == osc.Ack(1, "r1")
    frames = engine.frames(1)
    assert [(f.layer, f.playhead.phase, f.playhead.step) for f in frames] == [(5, "hold", 1)]
    (report, ack) = replies(engine, osc.GetState(2, 1))
    assert isinstance(report, osc.StateReport) and ack == osc.Ack(2, "r1")
    assert report.state["layers"][0]["step"] == 1
    assert report.state["layers"][1] == {
        **state["layers"][1],
        "theme": "",
        "on_air": False,
        "step": 0,
    }
    bad = {"channel": 1, "layers": [{"layer": 1, "graphic": "podium", "data": {}}]}
    (nack,) = replies(engine, osc.SetState(3, 1, bad))
    assert isinstance(nack, osc.Nack) and "layer 1" in nack.reason
    assert [ls.layer for ls in engine.channel_state(1).layers] == [5, 7]  # untouched
    (nack,) = replies(engine, osc.SetState(4, 2, state))
    assert isinstance(nack, osc.Nack) and "channel 1, sent to channel 2" in nack.reason


def test_first_contact_gets_full_state_and_ping_gets_pong(engine: RendererEngine) -> None:
    out = engine.handle_packet(osc.build(osc.Ping(1, 9.5)), SENDER)
    parsed = [osc.parse_reply(parse_packet(d)[0].message) for d in out]
    assert isinstance(parsed[0], osc.StateReport) and parsed[0].seq == 0
    pong = parsed[1]
    assert isinstance(pong, osc.Pong)
    assert (pong.seq, pong.sent, pong.renderer, pong.late_frames) == (1, 9.5, "r1", 0)
    assert len(engine.handle_packet(osc.build(osc.Ping(2, 0.0)), SENDER)) == 1


def test_timetagged_bundle_runs_on_time(engine: RendererEngine, clock: Clock) -> None:
    wall_now = 1_800_000_000.0 + clock.t
    bundle = build_bundle(
        [
            osc.build(osc.Load(1, 1, 1, "lower-third", "", LT)),
            osc.build(osc.Play(2, 1, 1)),
            osc.build(osc.Load(3, 1, 2, "lower-third", "", LT)),
            osc.build(osc.Play(4, 1, 2)),
        ],
        at=wall_now + 0.06,
    )
    acks = [
        osc.parse_reply(parse_packet(d)[0].message) for d in engine.handle_packet(bundle, SENDER)
    ]
    assert [a.seq for a in acks if isinstance(a, osc.Ack)] == [1, 2, 3, 4]
    engine.tick()
    assert engine.frames(1) == []
    clock.t += 0.061
    engine.tick()
    frames = engine.frames(1)
    assert [(f.layer, f.playhead.phase) for f in frames] == [(1, "in"), (2, "in")]
    # both started at the bundle's time, not when the frame happened to run
    assert frames[0].playhead.t == frames[1].playhead.t == pytest.approx(0.001, abs=1e-6)
    far = build_bundle([osc.build(osc.Panic(9))], at=wall_now + 60)
    (nack,) = [
        osc.parse_reply(parse_packet(d)[0].message) for d in engine.handle_packet(far, SENDER)
    ]
    assert isinstance(nack, osc.Nack) and "clocks" in nack.reason


def test_allow_list_drops_other_hosts(clock: Clock) -> None:
    engine = RendererEngine("r1", allow={"10.0.0.5"}, clock=clock)
    assert engine.handle_packet(osc.build(osc.Ping(1, 0.0)), SENDER) == []
    assert engine.counters.disallowed == 1
    assert engine.handle_packet(osc.build(osc.Ping(1, 0.0)), ("10.0.0.5", 9))


def test_garbage_is_counted_not_answered(engine: RendererEngine) -> None:
    assert engine.handle_packet(b"\x00\x01garbage", SENDER) == []
    assert engine.counters.malformed == 1
    (nack,) = replies(engine, osc.Load(1, 1, 1, "", "", {}))
    assert isinstance(nack, osc.Nack) and "empty" in nack.reason


def test_stop_during_in_turns_round_without_a_jump(engine: RendererEngine, clock: Clock) -> None:
    replies(engine, osc.Load(1, 1, 1, "lower-third", "", LT))
    replies(engine, osc.Play(2, 1, 1))
    clock.t += 0.1  # 0.1 s into a 0.5 s in
    replies(engine, osc.Stop(3, 1, 1))
    (f,) = engine.frames(1)
    # in at 0.1/0.5 has presence 1 - 0.8**3; out at 0.8 * 0.4 = 0.32 s has 1 - 0.8**3 too
    assert f.playhead.phase == "out" and f.playhead.t == pytest.approx(0.32)
    clock.t += 0.02
    replies(engine, osc.Play(4, 1, 1))  # back in, from where it is
    (f,) = engine.frames(1)
    assert f.playhead.phase == "in" and f.playhead.t == pytest.approx((1 - 0.34 / 0.4) * 0.5)


def test_an_out_that_arrives_before_its_take_is_not_undone(engine: RendererEngine) -> None:
    replies(engine, osc.Load(11, 1, 20, "lower-third", "", LT))
    # the take (seq 12) was lost on the way; the operator's out (seq 13) arrives first
    assert replies(engine, osc.Stop(13, 1, 20)) == [osc.Ack(13, "r1")]
    (nack,) = replies(engine, osc.Play(12, 1, 20))  # the take's retry, late
    assert isinstance(nack, osc.Nack) and "after seq 13" in nack.reason
    assert engine.frames(1) == [] and not engine.channel_state(1).layers[0].on_air
    assert engine.counters.superseded == 1
    # other layers, and other senders, are not held back by it
    assert replies(engine, osc.Load(5, 1, 21, "lower-third", "", LT)) == [osc.Ack(5, "r1")]
    other = ("127.0.0.1", 50001)
    replies(engine, osc.Play(2, 1, 20), other)
    assert engine.channel_state(1).layers[0].on_air
    # a late clear of the channel does not undo newer commands on its layers either
    (nack,) = replies(engine, osc.ClearChannel(4, 1))
    assert isinstance(nack, osc.Nack) and engine.channel_state(1).layers[0].on_air
    # far behind the newest seq is a new count (a restarted controller), not a late packet
    assert replies(engine, osc.Stop(13 + 2**30, 1, 20)) == [osc.Ack(13 + 2**30, "r1")]
    assert replies(engine, osc.Play(15, 1, 20)) == [osc.Ack(15, "r1")]


def test_a_retry_is_never_acked_for_a_layer_that_changed_since(engine: RendererEngine) -> None:
    replies(engine, osc.Load(1, 1, 20, "lower-third", "", LT))
    assert replies(engine, osc.Play(2, 1, 20)) == [osc.Ack(2, "r1")]  # this ack is lost
    # meanwhile the layer is emptied (another controller's resync, a clear...)
    other = ("127.0.0.1", 50001)
    replies(engine, osc.SetState(7, 1, {"channel": 1, "layers": []}), other)
    (nack,) = replies(engine, osc.Play(2, 1, 20))  # the retry of the take
    assert isinstance(nack, osc.Nack) and "changed after seq 2" in nack.reason
    assert engine.channel_state(1).layers == []
    # a retry while nothing changed still gets its ack, and a state request is never stale
    replies(engine, osc.Load(3, 1, 20, "lower-third", "", LT))
    replies(engine, osc.Play(4, 1, 20))
    assert replies(engine, osc.Play(4, 1, 20)) == [osc.Ack(4, "r1")]
    assert replies(engine, osc.Stop(10, 1, 20, True), other) == [osc.Ack(10, "r1")]
    report, ack = replies(engine, osc.GetState(6, 1))
    assert isinstance(report, osc.StateReport) and not report.state["layers"][0]["on_air"]
    report, ack = replies(engine, osc.GetState(6, 1))  # the same seq again: answered afresh
    assert isinstance(report, osc.StateReport) and ack == osc.Ack(6, "r1")
    # a panic from anyone changes every layer
    replies(engine, osc.Play(8, 1, 20))
    replies(engine, osc.Panic(11), other)
    (nack,) = replies(engine, osc.Play(8, 1, 20))
    assert isinstance(nack, osc.Nack) and "changed" in nack.reason


def test_a_scheduled_take_retried_after_it_ran_is_still_acked(
    engine: RendererEngine, clock: Clock
) -> None:
    wall_now = 1_800_000_000.0 + clock.t
    replies(engine, osc.Load(1, 1, 1, "lower-third", "", LT))
    play = build_bundle([osc.build(osc.Play(2, 1, 1))], at=wall_now + 0.06)
    engine.handle_packet(play, SENDER)
    clock.t += 0.1
    engine.tick()
    assert engine.channel_state(1).layers[0].on_air
    (again,) = engine.handle_packet(play, SENDER)
    assert osc.parse_reply(parse_packet(again)[0].message) == osc.Ack(2, "r1")


def sent(engine: RendererEngine, address: str, *args: tuple[str, Any]) -> list[Any]:
    """Answers to a message built by hand: JSON arguments are written with \\u escapes, as a
    sender's JSON library may write them (a lone surrogate then survives the trip)."""
    typed = [("s", json.dumps(v)) if t == "json" else (t, v) for t, v in args]
    out = engine.handle_packet(build_message(address, typed), SENDER)
    return [osc.parse_reply(parse_packet(d)[0].message) for d in out]


def test_text_that_is_not_unicode_is_refused_naming_the_field(engine: RendererEngine) -> None:
    bad = {**LT, "given_name": "A\ud800"}
    load = osc.layer_address(1, 1, "load")
    nack = sent(engine, load, ("i", 1), ("s", "lower-third"), ("s", ""), ("json", bad))[-1]
    assert (
        isinstance(nack, osc.Nack) and "data.given_name: text is not valid Unicode" in nack.reason
    )
    replies(engine, osc.Load(2, 1, 1, "lower-third", "", LT))
    update = osc.layer_address(1, 1, "update")
    (nack,) = sent(engine, update, ("i", 3), ("json", {**LT, "info": "\udc80x"}))
    assert isinstance(nack, osc.Nack) and "data.info" in nack.reason
    state = {"channel": 1, "layers": [{"layer": 1, "graphic": "lower-third", "data": bad}]}
    (nack,) = sent(engine, osc.channel_address(1, "state/set"), ("i", 4), ("json", state))
    assert isinstance(nack, osc.Nack) and "state.layers[0].data.given_name" in nack.reason
    # nothing of it reached the state: it is still reported, and to a new sender too
    report, ack = replies(engine, osc.GetState(5, 1))
    assert isinstance(report, osc.StateReport) and report.state["layers"][0]["data"] == LT
    assert ack == osc.Ack(5, "r1")
    first = engine.handle_packet(osc.build(osc.Ping(1, 0.0)), ("127.0.0.1", 50002))
    assert len(first) == 2  # the state for a new sender, then the pong


def test_a_state_too_big_for_a_datagram_travels_in_parts(engine: RendererEngine) -> None:
    rows = [
        {"rank": i, "name": f"KUCZYŃSKI Łukasz 박지원 {i}", "points": str(i)} for i in range(1, 900)
    ]
    big = {"title": "Crystal Globe", "page_size": 10, "rows": rows}
    state = {"channel": 1, "layers": [{"layer": 5, "graphic": "standings", "data": big}]}
    parts = osc.state_set_commands(9, 1, state)
    assert len(parts) > 1 and all(len(osc.build(p)) <= osc.MAX_UDP_PAYLOAD for p in parts)
    # parts arrive in any order; nothing is answered until the last one
    for part in reversed(parts[1:]):
        assert engine.handle_packet(osc.build(part), SENDER)[1:] == []
    out = engine.handle_packet(osc.build(parts[0]), SENDER)
    assert all(len(d) <= osc.MAX_UDP_PAYLOAD for d in out)
    replies_ = [osc.parse_reply(parse_packet(d)[0].message) for d in out]
    assert replies_[-1] == osc.Ack(9, "r1")
    assert {type(r) for r in replies_[:-1]} <= {osc.StatePart, osc.StateReport}
    assert engine.channel_state(1).layers[0].data == big
    # the report comes back in parts that join to the same state
    got = [
        osc.parse_reply(parse_packet(d)[0].message)
        for d in engine.handle_packet(osc.build(osc.GetState(10, 1)), SENDER)
    ]
    pieces = [r for r in got if isinstance(r, osc.StatePart)]
    assert len(pieces) == pieces[0].count > 1
    joined = json.loads("".join(p.text for p in sorted(pieces, key=lambda p: p.index)))
    assert joined["layers"][0]["data"] == big
    # a part that cannot belong to a state is refused
    (nack,) = sent(
        engine, osc.channel_address(1, "state/set/part"), ("i", 11), ("i", 3), ("i", 2), ("s", "x")
    )
    assert isinstance(nack, osc.Nack) and "part 3 of 2" in nack.reason


def test_what_the_contract_says_is_wrong_is_nacked_not_dropped(engine: RendererEngine) -> None:
    for seq in (0, -5):
        (nack,) = replies(engine, osc.Panic(seq))
        assert isinstance(nack, osc.Nack) and "is not 1 to 2^31-1" in nack.reason
    play = osc.layer_address(1, 1, "play")
    # a readable seq, then a type the address space does not have ('c', a char)
    packet = build_message(play, [("i", 7)]).replace(b",i\x00\x00", b",ic\x00") + b"\x00\x00\x00A"
    (nack,) = [
        osc.parse_reply(parse_packet(d)[0].message) for d in engine.handle_packet(packet, SENDER)
    ][-1:]
    assert isinstance(nack, osc.Nack) and nack.seq == 7 and "'c'" in nack.reason
    (nack,) = sent(engine, play, ("h", 8), ("i", 0))
    assert isinstance(nack, osc.Nack) and nack.seq == 8 and "int32" in nack.reason
    assert engine.counters.malformed == 1 and engine.counters.refused == 3


def test_a_load_without_a_theme_reports_the_theme_it_got(clock: Clock) -> None:
    engine = RendererEngine("r1", clock=clock, default_theme="night")
    replies(engine, osc.Load(1, 1, 1, "lower-third", "", LT))
    assert engine.channel_state(1).layers[0].theme == "night"


def test_a_running_clock_is_drawn_from_its_start_time_on_every_frame(
    engine: RendererEngine, clock: Clock
) -> None:
    """The race clock's start time is sent once; each frame's clock_ms is the renderer's own
    wall clock at that frame minus it, and it holds once the data says the clock stopped."""
    from strapline.domain.graphics import RaceClockData

    started = 1_800_000_000.0 + 100.0 - 47.0  # the gun, 47 s before now on this renderer
    data = {"event": "Men 1000 m", "clock_ms": 0, "clock_running": True,
            "clock_started_at": started, "laps_to_go": 9, "total_laps": 9}  # fmt: skip
    assert replies(engine, osc.Load(1, 1, 5, "race-clock", "ice", data)) == [osc.Ack(1, "r1")]
    assert replies(engine, osc.Play(2, 1, 5)) == [osc.Ack(2, "r1")]
    engine.tick()
    seen = []
    for _ in range(5):
        (frame,) = engine.frames(1)
        assert isinstance(frame.model, RaceClockData)
        seen.append(frame.model.clock_ms)
        clock.t += 0.02  # frames 20 ms apart
    assert seen == [47_000, 47_020, 47_040, 47_060, 47_080]
    clock.t += 1.0
    engine.tick()
    assert engine.frames(1)[0].playhead.phase == "hold"
    assert engine.animating()  # holding, but the clock runs: every frame is drawn
    stopped = dict(data, clock_running=False, clock_ms=82_890)
    assert replies(engine, osc.Update(3, 1, 5, stopped)) == [osc.Ack(3, "r1")]
    clock.t += 1.0
    engine.tick()
    (frame,) = engine.frames(1)
    assert frame.model.clock_ms == 82_890  # type: ignore[attr-defined]
    assert not engine.animating()
