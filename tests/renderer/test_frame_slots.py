"""Which frame each slot gets, on a clock the test moves and a render thread it runs by hand:
frames are handed on at their slots' ticks, a change that comes before a slot's frame is on
air is drawn into that slot, and a change that comes too close to a slot's start for its frame
to be drawn in time leaves the slot its fallback (no late frame), its own frame following the
moment it is done."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest

from strapline.osc import address as osc
from strapline.osc.codec import build_bundle
from strapline.renderer.app import AHEAD, FrameStamp, RendererApp, RendererOptions
from strapline.renderer.engine import data_digest

LT = {"family_name": "ROUSSEL", "given_name": "Felix", "nation": "CAN"}
PERIOD = 0.02
SLOT0 = 50_000  # the slot that begins at t = 0 (wall 1000.0 s)


class HandRun:
    """A render thread the test runs: each job waits until `finish`."""

    def __init__(self) -> None:
        self.jobs: list[tuple[Future[Any], Callable[..., Any], tuple[Any, ...]]] = []

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        future: Future[Any] = Future()
        self.jobs.append((future, fn, args))
        return future

    def shutdown(self) -> None:
        pass


class Bench:
    def __init__(self, frame_log: Path | None = None) -> None:
        self.t = 0.0
        self.app = RendererApp(
            RendererOptions(port=0, mode="headless", size=(320, 180), fps=50, frame_log=frame_log)
        )
        self.app.engine.clock = lambda: self.t
        self.app.engine.wall = lambda: 1000.0 + self.t
        self.render = HandRun()
        self.app._executor = self.render  # type: ignore[assignment]
        self.app.period = PERIOD
        self.app._running = True
        self.seq = 0

    def at(self, slot: int, ms: float) -> None:
        """Move the clock to `ms` into a slot (SLOT0 + slot)."""
        self.t = slot * PERIOD + ms / 1000

    def packet(self, command: Callable[[int], osc.Command]) -> float:
        """A packet read now; then what the renderer does at once (`_ahead`, as its loop
        would run it). The moment it was read."""
        self.seq += 1
        self.app._ahead_scheduled = True  # run here, not from the Qt loop
        self.app._on_packet(osc.build(command(self.seq)), ("127.0.0.1", 9))
        self.app._ahead()
        return self.t

    async def finish(self, n: int = 1) -> None:
        """The render thread finishes its oldest `n` frames."""
        for _ in range(n):
            future, fn, args = self.render.jobs.pop(0)
            future.set_result(fn(*args))
            await asyncio.sleep(0)  # the loop hands the frame back (`_rendered`)
            await asyncio.sleep(0)

    async def drain(self) -> None:
        """The render thread finishes everything, including the frames that drawing ahead
        adds meanwhile."""
        while self.render.jobs:
            await self.finish()

    def tick(self) -> None:
        self.app._frame()

    def shown(self) -> list[FrameStamp]:
        return [s for s in self.app.stamps if s.rendered is not None]


def digest(data: dict[str, Any]) -> str:
    from strapline.domain.graphics import data_model

    return data_digest(data_model("lower-third").model_validate(data))


async def take_lower_third(b: Bench) -> None:
    """At rest: a lower third in, its in over, the frames drawn ahead done."""
    b.at(0, 5)
    b.packet(lambda s: osc.Load(s, 1, 20, "lower-third", "", LT))
    b.packet(lambda s: osc.Play(s, 1, 20))
    for slot in range(1, 40):
        await b.drain()
        b.at(slot, 0.5)
        b.tick()
    await b.drain()
    assert not b.app.engine.animating()


@pytest.mark.asyncio
async def test_a_change_is_handed_on_at_its_slot_with_a_change_that_came_before_it() -> None:
    b = Bench()
    await take_lower_third(b)
    b.at(40, 0.5)
    b.tick()
    before = len(b.shown())
    b.at(40, 3)
    first = b.packet(lambda s: osc.Update(s, 1, 20, {**LT, "given_name": "A"}))
    await b.drain()  # drawn for slot 41 (and those after it), 3 ms into slot 40
    assert len(b.shown()) == before  # held for its slot, not handed on before it
    b.at(40, 9)
    b.packet(lambda s: osc.Update(s, 1, 20, {**LT, "given_name": "B"}))
    await b.drain()  # drawn again for slot 41, in place of the first
    assert len(b.shown()) == before
    b.at(41, 0.5)
    b.tick()
    (frame,) = b.shown()[before:]
    assert frame.slot == SLOT0 + 41
    assert frame.rendered == b.t  # at its slot's tick
    assert frame.layers[0][4] == digest({**LT, "given_name": "B"})
    assert frame.change == first  # the first change it shows came then
    assert b.app.engine.late_frames == 0, b.app.late_causes


@pytest.mark.asyncio
async def test_a_change_too_late_for_its_slot_leaves_the_fallback_then_follows() -> None:
    b = Bench()
    b.at(0, 5)
    b.packet(lambda s: osc.Load(s, 1, 20, "lower-third", "", LT))
    b.packet(lambda s: osc.Play(s, 1, 20))
    await b.finish(AHEAD)  # the in, drawn ahead for slots 1 to 3 (the load drew slot 1 first)
    b.at(1, 0.5)
    b.tick()  # slot 1 on air; the render thread is drawing slot 4
    assert [s.slot for s in b.shown()] == [SLOT0 + 1]
    assert len(b.render.jobs) == 1
    b.at(2, -1.5)  # 1.5 ms before slot 2: its frame cannot be drawn again in time
    read = b.packet(lambda s: osc.Update(s, 1, 20, {**LT, "given_name": "B"}))
    b.at(2, 0.5)
    b.tick()
    fallback = b.shown()[-1]
    assert fallback.slot == SLOT0 + 2  # the slot got its frame: the in, at its time
    assert fallback.layers[0][4] == digest(LT)
    assert b.app.engine.late_frames == 0
    await b.finish()  # slot 4's frame, drawn before the change: dropped
    b.at(2, 4)
    await b.finish()  # the change's frame for slot 2, handed on as soon as it is done
    change = b.shown()[-1]
    assert (change.slot, change.rendered) == (SLOT0 + 2, b.t)
    assert change.layers[0][4] == digest({**LT, "given_name": "B"})
    assert change.change == read
    assert b.app.engine.late_frames == 0
    await b.finish()  # slot 3, drawn ahead with the change
    b.at(3, 0.5)
    b.tick()
    assert [s.slot for s in b.shown()] == [SLOT0 + k for k in (1, 2, 2, 3)]
    assert b.shown()[-1].layers[0][4] == digest({**LT, "given_name": "B"})


@pytest.mark.asyncio
async def test_the_frame_log_says_what_each_layer_showed(tmp_path: Path) -> None:
    b = Bench(tmp_path / "f.jsonl")
    await take_lower_third(b)
    await b.app.close()
    lines = [json.loads(line) for line in (tmp_path / "f.jsonl").read_text().splitlines()]
    frames = [line for line in lines if line["output"] == "headless"]  # no window, no NDI
    assert frames and lines[-1]["output"] == "summary"
    layer, graphic, phase, _, data, clock_ms = frames[-1]["layers"][0]
    assert (layer, graphic, phase, data, clock_ms) == (20, "lower-third", "in", digest(LT), None)


@pytest.mark.asyncio
async def test_a_fallback_never_goes_to_air_after_the_frame_that_took_its_place() -> None:
    """A change's frame done a moment before its slot (within the tick's tolerance) goes on
    air at once; the slot's fallback must not follow it at the tick (one frame of the old
    picture after the new)."""
    b = Bench()
    b.at(0, 5)
    b.packet(lambda s: osc.Load(s, 1, 20, "lower-third", "", LT))
    b.packet(lambda s: osc.Play(s, 1, 20))
    await b.finish(AHEAD)  # slots 1 to 3; slot 4 is being drawn
    b.at(1, 0.5)
    b.tick()
    b.at(2, -1.2)
    b.packet(lambda s: osc.Update(s, 1, 20, {**LT, "given_name": "B"}))
    await b.finish()  # slot 4, drawn before the change: dropped
    b.at(2, -0.5)
    await b.finish()  # the change's frame for slot 2
    b.at(2, 0.5)
    b.tick()
    assert [s.slot for s in b.shown()] == [SLOT0 + 1, SLOT0 + 2]
    assert b.shown()[-1].layers[0][4] == digest({**LT, "given_name": "B"})
    assert b.app.last_frame is not None and b.app._last_shown is not None
    assert b.app._last_shown[1] is b.shown()[-1]


OLD, NEW = digest(LT), digest({**LT, "given_name": "B"})


async def moving(b: Bench) -> None:
    """A take in progress: slot 1 on air, slots 2..5 drawn ahead and held, thread idle."""
    b.at(0, 5)
    b.packet(lambda s: osc.Load(s, 1, 20, "lower-third", "", LT))
    b.packet(lambda s: osc.Play(s, 1, 20))
    await b.drain()
    b.at(1, 0.5)
    b.tick()
    await b.drain()
    assert [d.stamp.slot - SLOT0 for d in b.app._held] == [2, 3, 4, 5]
    assert b.app._rendering is None


def on_air(b: Bench) -> list[tuple[int, str]]:
    return [(s.slot - SLOT0, s.layers[0][4]) for s in b.shown()]


@pytest.mark.asyncio
async def test_timetagged_change_old_picture_after_new() -> None:
    """A timetagged update due at slot 2 makes held 2 stale at its tick: it goes out as the
    slot's fallback, the change's frame for 2 follows; held 3 was drawn before the change too
    and must not go out at tick 3 (old picture after new) when the frame for 3 is late."""
    b = Bench()
    await moving(b)
    b.at(1, 5)
    b.seq += 1
    bundle = build_bundle(
        [osc.build(osc.Update(b.seq, 1, 20, {**LT, "given_name": "B"}))],
        at=1000.0 + (2 * 0.02) - 0.001,  # due 1 ms before slot 2 begins
    )
    b.app._on_packet(bundle, ("127.0.0.1", 9))
    b.at(2, 0.5)
    b.tick()  # runs the update; held 2 stale -> fallback; held 3 kept
    b.at(2, 12)
    await b.finish()  # the change's frame for slot 2
    b.at(3, 0.5)
    b.tick()  # the frame for 3 with the change is still being drawn
    b.at(3, 6)
    await b.drain()
    assert (3, OLD) not in on_air(b), on_air(b)  # was [.., (2,NEW), (3,OLD), (3,NEW), (3,NEW)]


@pytest.mark.asyncio
async def test_packet_read_just_before_the_tick_old_picture_after_new() -> None:
    """The same with a plain packet read while the slot's timer is already due, so the tick
    runs before the queued `_ahead` (Qt serves the expired frame timer first)."""
    b = Bench()
    await moving(b)
    b.at(2, 0.1)
    b.seq += 1
    b.app._on_packet(osc.build(osc.Update(b.seq, 1, 20, {**LT, "given_name": "B"})), ("h", 9))
    b.at(2, 0.5)
    b.tick()
    b.app._ahead()  # the singleShot(0) queued by the packet
    b.at(2, 12)
    await b.finish()
    b.at(3, 0.5)
    b.tick()
    b.at(3, 6)
    await b.drain()
    assert (3, OLD) not in on_air(b), on_air(b)


@pytest.mark.asyncio
async def test_change_frame_drawn_twice_for_its_slot() -> None:
    """The tick that sends out slot 2's fallback must not forget that the change's frame for
    slot 2 is being drawn: once it is done, slot 3 is drawn next, not slot 2 a third time."""
    b = Bench()
    await moving(b)
    b.at(2, -3)
    b.packet(lambda s: osc.Update(s, 1, 20, {**LT, "given_name": "B"}))  # draws 2 (hold)
    b.at(2, 0.5)
    b.tick()  # held 2 stale: fallback
    b.at(2, 3)
    await b.finish()  # the change's frame for 2, handed on
    assert [j[2][0] for j in b.render.jobs]  # something drawn next
    b.at(2, 6)
    await b.finish()
    assert [s for s, _ in on_air(b)].count(2) <= 2, on_air(b)


@pytest.mark.asyncio
async def test_a_table_updated_on_air_is_drawn_off_air_before_its_out() -> None:
    """A table's out is composed from its landed picture. After an update, the data on air
    was only ever drawn as a cross-fade: its landed picture is painted on a quiet tick, so
    the out's first frame does not pay for it (50-60 ms at 2160p)."""
    from strapline.render import table

    def standings(points: int) -> dict[str, Any]:
        rows = [
            {"rank": k, "name": f"SKATER {k}", "nation": "NED", "points": str(points - k)}
            for k in range(1, 9)
        ]
        return {"title": "Crystal Globe", "rows": rows}

    table.clear_landed_layers()
    b = Bench()
    b.at(0, 5)
    b.packet(lambda s: osc.Load(s, 1, 30, "standings", "", standings(500)))
    b.packet(lambda s: osc.Play(s, 1, 30))
    b.at(0, 6)
    b.packet(lambda s: osc.Update(s, 1, 30, standings(900)))
    for slot in range(1, 60):
        await b.drain()
        b.at(slot, 0.5)
        b.tick()
        await b.drain()
    assert not b.app.engine.animating()  # the quiet ticks since drew the data on air off air
    assert any('"points":"899"' in str(key) for key in table._LANDED)


@pytest.mark.asyncio
async def test_the_page_on_air_is_kept_at_rest_for_an_update() -> None:
    """An update cross-fades from the picture at rest of the page on air: the renderer paints
    it off air on a quiet tick (for a table, page by page as the pages turn), so the update's
    first frames paint only the new data (at 2160p a 40-row picture is a paint and a 20-odd
    MB copy)."""
    from strapline.render import core

    rows = [
        {"rank": k, "name": f"SKATER {k}", "nation": "KOR", "points": str(700 - k)}
        for k in range(1, 13)
    ]
    data = {"title": "Crystal Globe", "rows": rows, "page_size": 6}
    core.clear_hold_layers()
    b = Bench()
    b.at(0, 5)
    b.packet(lambda s: osc.Load(s, 1, 30, "standings", "", data))
    b.packet(lambda s: osc.Play(s, 1, 30))
    b.at(0, 6)
    b.packet(lambda s: osc.Play(s, 1, 30))  # the second page
    for slot in range(1, 60):
        await b.drain()
        b.at(slot, 0.5)
        b.tick()
        await b.drain()
    kept = [key for key in core._HOLDS if key[0] == "standings" and '"points":"699"' in key[1]]
    assert {key[-1] for key in kept} == {0, 1}  # the page loaded, and the page on air
