"""A soak of 10,000 takes: memory must not creep.

The app's services (demo show, OSC playout) take cues one after another on a renderer process
(`strapline renderer --headless`, which renders every frame of every animation), cycling
through graphics of every kind the demo show has. Resident memory of both sides is measured
throughout, after a warm-up (caches, fonts, first renders). Resident memory swings by tens of
MB from one moment to the next (image buffers come and go), so single readings prove nothing:
the median of the readings over the first fifth of the run after warm-up is compared with the
median over the last fifth, and each side must grow by less than 10 %.
"""

from __future__ import annotations

import gc
import statistics
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
    wait_online,
)

from strapline.domain.model import Competition

GROWTH_LIMIT = 0.10
SAMPLE_EVERY = 50
MB = 1024 * 1024


@pytest.mark.asyncio
async def test_ten_thousand_takes_keep_memory_flat(
    renderer_process: Callable[[int], RendererProcess], demo_competition: Competition
) -> None:
    # The renderer's caches (fonts, text layouts, flags) fill over the first few thousand
    # takes (its RSS climbs, then settles); the soak's 10,000 takes are counted after that.
    warmup = scaled(3000, 5000)
    takes = warmup + scaled(10_000, 100_000)
    port = free_udp_port()
    renderer = renderer_process(port)
    app = App(demo_competition, port)
    try:
        for output in app.shows.show.outputs:
            app.outputs.playout(output)
        await app.outputs.ready()
        await wait_online(app, renderer)
        cues = [
            cue.id
            for cue in app.shows.show.rundown.cues()
            if cue.duration_s is None and app.playout.resolve(cue).data is not None
        ]
        assert len(cues) >= 4, "the demo show should have several playable cues"

        failed = 0
        reasons: dict[str, int] = {}
        samples: list[tuple[int, int]] = []  # (controller, renderer) RSS after warm-up
        start = time.monotonic()
        for i in range(takes):
            if i == warmup:
                gc.collect()
                start = time.monotonic()
            if i >= warmup and i % SAMPLE_EVERY == 0:
                samples.append((rss_bytes(), rss_bytes(renderer.pid)))
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
        samples.append((rss_bytes(), rss_bytes(renderer.pid)))
        fifth = max(1, len(samples) // 5)
        base_app = statistics.median(a for a, _ in samples[:fifth])
        end_app = statistics.median(a for a, _ in samples[-fifth:])
        base_renderer = statistics.median(r for _, r in samples[:fifth])
        end_renderer = statistics.median(r for _, r in samples[-fifth:])
        grow_app = (end_app - base_app) / base_app
        grow_renderer = (end_renderer - base_renderer) / base_renderer
        low, high = min(r for _, r in samples), max(r for _, r in samples)
        report("soak takes", f"{warmup} warm-up + {takes - warmup} measured ({failed} not acked)")
        report("soak take rate, takes/s", f"{(takes - warmup) / elapsed:.0f}")
        report(
            "controller RSS, median first -> last fifth, MB",
            f"{base_app / MB:.1f} -> {end_app / MB:.1f} ({grow_app:+.1%})",
        )
        report(
            "renderer RSS, median first -> last fifth, MB",
            f"{base_renderer / MB:.1f} -> {end_renderer / MB:.1f} ({grow_renderer:+.1%}; "
            f"readings {low / MB:.0f}-{high / MB:.0f})",
        )
        assert failed == 0, f"{failed} takes were not acknowledged on loopback: {reasons}"
        assert grow_app < GROWTH_LIMIT, f"the controller grew {grow_app:.1%}"
        assert grow_renderer < GROWTH_LIMIT, f"the renderer grew {grow_renderer:.1%}"
    finally:
        await app.close()
