"""The renderer program on the qasync loop: OSC in, frames out, heartbeats with late frames."""

from __future__ import annotations

import asyncio
import itertools

import numpy as np
import pytest
import qasync

from strapline.domain.playout import ChannelState, LayerState
from strapline.osc.client import OscPlayout, TargetConfig
from strapline.render import rgba_array
from strapline.renderer.app import RendererApp, RendererOptions

LT = {"family_name": "ROUSSEL", "given_name": "Felix", "nation": "CAN"}
FAST = {"retry_interval": 0.05, "timeout": 1.0, "heartbeat": 0.05, "offline_after": 0.5}


async def until(predicate: object, timeout: float = 3.0) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not predicate():  # type: ignore[operator]
        assert loop.time() < end, "condition not met in time"
        await asyncio.sleep(0.02)


@pytest.mark.asyncio
@pytest.mark.parametrize("mode", ["headless", "window"])
async def test_take_renders_frames_on_the_qt_loop(mode: str) -> None:
    assert isinstance(asyncio.get_running_loop(), qasync.QEventLoop)
    app = RendererApp(RendererOptions(port=0, mode=mode, size=(640, 360), fps=50, renderer_id="t"))  # type: ignore[arg-type]
    await app.start()
    try:
        async with OscPlayout([TargetConfig(*app.address)], **FAST) as playout:
            (o,) = await playout.load(20, "lower-third", LT, "")
            assert o.ok, o.reason
            (o,) = await playout.play(20)
            assert o.ok
            await until(
                lambda: app.engine.frames(1) and app.engine.frames(1)[0].playhead.phase == "hold"
            )
            await asyncio.sleep(0.05)
            assert app.last_frame is not None
            pixels = rgba_array(app.last_frame)
            assert pixels.shape == (360, 640, 4)
            assert np.count_nonzero(pixels[..., 3]) > 1000  # the lower third is drawn
            assert len(app.frame_times_ms) >= 5  # the in-animation was played frame by frame
            await until(lambda: playout.health()[0].online is True)
            assert playout.health()[0].renderer_id == "t"
            (o,) = await playout.load(21, "lower-third", LT, "no-such-theme")
            assert o.kind.value == "nack" and "no-such-theme" in o.reason
            (o,) = await playout.stop(20, immediate=True)
            assert o.ok
            await asyncio.sleep(0.1)
            assert np.count_nonzero(rgba_array(app.last_frame)[..., 3]) == 0
    finally:
        await app.close()


@pytest.mark.asyncio
async def test_key_fill_and_background() -> None:
    app = RendererApp(
        RendererOptions(port=0, mode="headless", size=(320, 180), key_fill=True, background="black")
    )
    await app.start()
    try:
        async with OscPlayout([TargetConfig(*app.address)], **FAST) as playout:
            layer = LayerState(layer=1, graphic="lower-third", data=LT, on_air=True)
            (o,) = await playout.resync(ChannelState(channel=1, layers=[layer]))
            assert o.ok, o.reason
            await until(lambda: app.engine.frames(1) != [])
            await asyncio.sleep(0.1)
        assert app.last_frame is not None
        px = rgba_array(app.last_frame)
        assert px.shape == (180, 640, 4)
        assert (px[..., 3] == 255).all()  # fill on black and key are both opaque
        key = px[:, 320:, :3]
        assert key.max() == 255 and key.min() == 0  # white where the graphic is, black elsewhere
    finally:
        await app.close()


def test_unknown_default_theme_is_refused() -> None:
    with pytest.raises(ValueError, match="themes:"):
        RendererApp(RendererOptions(theme="no-such-theme", mode="headless"))


def test_side_by_side_matches_render_key_fill() -> None:
    from PySide6.QtGui import QColor, QImage, QPainter

    from strapline.render import ensure_gui, key_fill
    from strapline.renderer.compositor import Compositor, ThemeCache
    from strapline.renderer.engine import RendererEngine

    ensure_gui()
    compositor = Compositor(RendererEngine("t"), ThemeCache(), (64, 36), key_and_fill=True)
    img = QImage(64, 36, QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(0)
    p = QPainter(img)
    p.fillRect(5, 5, 30, 20, QColor(20, 40, 200, 130))
    p.fillRect(40, 5, 10, 10, QColor(255, 255, 255, 255))
    p.end()
    out = compositor._side_by_side(img)
    fill, key = key_fill(img)
    assert out.copy(0, 0, 64, 36) == fill.convertToFormat(out.format())
    assert out.copy(64, 0, 64, 36) == key.convertToFormat(out.format())


@pytest.mark.asyncio
async def test_renderer_socket_survives_bad_packets() -> None:
    import random
    import socket

    from strapline.osc import address as osc

    app = RendererApp(RendererOptions(port=0, mode="headless", size=(320, 180)))
    await app.start()
    rnd = random.Random(5)
    good = osc.build(osc.Load(1, 1, 1, "lower-third", "", LT))
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            for i in range(3000):
                packet = bytearray(good)
                packet[rnd.randrange(len(packet))] = rnd.randrange(256)
                s.sendto(bytes(packet[: rnd.randrange(1, len(packet) + 1)]), app.address)
                if i % 50 == 0:
                    await asyncio.sleep(0.002)
        async with OscPlayout([TargetConfig(*app.address)], **FAST) as playout:
            await until(lambda: playout.health()[0].online is True)
            (o,) = await playout.load(1, "lower-third", LT, "")
            assert o.ok
        assert app.engine.counters.packets > 1000
    finally:
        await app.close()


@pytest.mark.asyncio
async def test_frames_drawn_ahead_never_go_to_air_after_a_change() -> None:
    """While the lower third flies in, frames are drawn several slots ahead; an update that
    arrives drops them: no frame handed on for a slot after the update was read shows the in
    any more, and the frames are still drawn ahead, one slot after another, around it."""
    app = RendererApp(RendererOptions(port=0, mode="headless", size=(640, 360), fps=50))
    await app.start()
    try:
        async with OscPlayout([TargetConfig(*app.address)], **FAST) as playout:
            (o,) = await playout.load(20, "lower-third", LT, "")
            assert o.ok, o.reason
            (o,) = await playout.play(20)
            assert o.ok
            await until(lambda: len(app._held) >= 2)  # drawn ahead while it flies in
            (o,) = await playout.update(20, {**LT, "given_name": "Félix"})
            assert o.ok
            read = app.engine.clock()  # the ack came after the renderer read the update
            await until(lambda: app.engine.frames(1)[0].playhead.phase == "hold")
            await asyncio.sleep(0.1)
    finally:
        await app.close()
    later = [s for s in app.stamps if s.tick > read + app.period]
    assert later and all(s.layers[0][2] != "in" for s in later)
    handed = [s for s in app.stamps if s.rendered is not None and s.layers]
    slots = [s.slot for s in handed]
    assert slots == sorted(slots)  # handed on in slot order
    # each slot once, but for a slot whose fallback went out at its tick (a change came too
    # late for the slot's frame): the change's frame follows it (test_frame_slots)
    again = [b for a, b in itertools.pairwise(handed) if a.slot == b.slot]
    assert all(b.change is not None for b in again)
    assert max(slots.count(k) for k in slots) <= 2
    assert any(s.drawn is not None and s.drawn < s.tick for s in app.stamps)  # drawn ahead
    # the update reached air on a frame that says when it came, though frames were dropped
    assert any(s.change is not None and read - 0.05 <= s.change <= read for s in app.stamps)


@pytest.mark.asyncio
async def test_a_take_after_a_load_is_stamped_with_its_own_arrival() -> None:
    """A load shows nothing new: the first frame of the take that follows says when the take
    came, not when the load did (take-to-frame is measured from it)."""
    app = RendererApp(RendererOptions(port=0, mode="headless", size=(640, 360), fps=50))
    await app.start()
    try:
        async with OscPlayout([TargetConfig(*app.address)], **FAST) as playout:
            (o,) = await playout.load(20, "lower-third", LT, "")
            assert o.ok, o.reason
            await asyncio.sleep(0.1)
            before_take = app.engine.clock()
            (o,) = await playout.play(20)
            assert o.ok
            await until(lambda: any(s.layers for s in app.stamps))
    finally:
        await app.close()
    first = next(s for s in app.stamps if s.layers)
    assert first.change is not None and first.change >= before_take
