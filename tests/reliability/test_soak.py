"""A soak of 10,000 takes: memory must not creep.

The app's services (demo show, OSC playout) take cues one after another on a renderer process
(`strapline renderer --headless`, which renders every frame of every animation), cycling
through graphics of every kind the demo show has. Resident memory of both sides is measured
after a warm-up (caches, fonts, first renders) and at the end: each must grow by less than 10 %.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

import pytest
from reliability_helpers import (
    App,
    RendererProcess,
    free_udp_port,
    report,
    rss_bytes,
    scaled,
    until,
)

from strapline.domain.model import Competition

GROWTH_LIMIT = 0.10
MB = 1024 * 1024


@pytest.mark.asyncio
async def test_ten_thousand_takes_keep_memory_flat(
    renderer_process: Callable[[int], RendererProcess], demo_competition: Competition
) -> None:
    takes = scaled(10_000, 100_000)
    warmup = min(1000, takes // 10)
    port = free_udp_port()
    renderer = renderer_process(port)
    app = App(demo_competition, port)
    try:
        for output in app.shows.show.outputs:
            app.outputs.playout(output)
        await app.outputs.ready()
        await until(lambda: app.online() == [True], 30.0, 0.05)
        cues = [
            cue.id
            for cue in app.shows.show.rundown.cues()
            if cue.duration_s is None and app.playout.resolve(cue).data is not None
        ]
        assert len(cues) >= 4, "the demo show should have several playable cues"

        failed = 0
        reasons: dict[str, int] = {}
        base_app = base_renderer = 0
        start = time.monotonic()
        for i in range(takes):
            if i == warmup:
                gc.collect()
                base_app, base_renderer = rss_bytes(), rss_bytes(renderer.pid)
                start = time.monotonic()
            cue = cues[i % len(cues)]
            if cue in app.playout.on_air_cues():  # alone on its layer: take it out first
                out = await app.playout.out(cue)
                assert out.ok, out.message
            result = await app.playout.take(cue)
            if not result.ok:
                failed += 1
                reasons[result.message] = reasons.get(result.message, 0) + 1
            if i % 500 == 0:
                assert renderer.proc is not None and renderer.proc.poll() is None, renderer.stderr()
        elapsed = time.monotonic() - start
        gc.collect()
        end_app, end_renderer = rss_bytes(), rss_bytes(renderer.pid)
        grow_app = (end_app - base_app) / base_app
        grow_renderer = (end_renderer - base_renderer) / base_renderer
        report("soak takes", f"{takes} ({failed} not acknowledged)")
        report("soak take rate, takes/s", f"{(takes - warmup) / elapsed:.0f}")
        report(
            "controller RSS after warm-up -> end, MB",
            f"{base_app / MB:.1f} -> {end_app / MB:.1f} ({grow_app:+.1%})",
        )
        report(
            "renderer RSS after warm-up -> end, MB",
            f"{base_renderer / MB:.1f} -> {end_renderer / MB:.1f} ({grow_renderer:+.1%})",
        )
        assert failed == 0, f"{failed} takes were not acknowledged on loopback: {reasons}"
        assert grow_app < GROWTH_LIMIT, f"the controller grew {grow_app:.1%}"
        assert grow_renderer < GROWTH_LIMIT, f"the renderer grew {grow_renderer:.1%}"
    finally:
        await app.close()
