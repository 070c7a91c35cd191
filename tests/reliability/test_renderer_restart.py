"""The renderer is killed in the middle of a show and started again.

The app side is the real thing without its window: the demo show, the data, outputs and playout
services with the OSC playout and its default timings. The renderer is `strapline renderer
--headless` in its own process, killed with SIGKILL (no goodbye). Required: the app shows the
renderer offline within 1 s of the kill, and once the renderer answers again, what was on air
is back on air within 1 s, without the operator taking anything.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import pytest
from reliability_helpers import (
    App,
    RendererProcess,
    free_udp_port,
    report,
    scaled,
    until,
    wait_online,
)

from strapline.domain.model import Competition
from strapline.domain.playout import ChannelState
from strapline.osc import address as osc
from strapline.osc.client import TargetConfig, TargetLink

OFFLINE_WITHIN_S = 1.0
RESTORED_WITHIN_S = 1.0


async def _state(probe: TargetLink, channel: int = 1) -> ChannelState | None:
    """What the renderer says is on the channel, or None when it does not answer."""
    outcome = await probe.request(osc.GetState(probe.next_seq(), channel))
    return probe.states.get(channel) if outcome.ok else None


def _on_air(state: ChannelState | None) -> dict[int, tuple[str, str]]:
    if state is None:
        return {}
    return {
        ls.layer: (ls.graphic, str(sorted(ls.data.items()))) for ls in state.layers if ls.on_air
    }


@pytest.mark.asyncio
async def test_renderer_killed_and_restarted(
    renderer_process: Callable[[int], RendererProcess], demo_competition: Competition
) -> None:
    port = free_udp_port()
    renderer = renderer_process(port)
    app = App(demo_competition, port)
    probe = TargetLink(TargetConfig("127.0.0.1", port), retry_interval=0.02, timeout=0.06)
    await probe.start(heartbeats=False)
    try:
        for output in app.shows.show.outputs:
            app.outputs.playout(output)
        await app.outputs.ready()
        await wait_online(app, renderer)

        for name in ("Results · Men's 500 m Final A", "Podium · Men's 500 m"):
            result = await app.playout.take(app.cue_id(name))
            assert result.ok, result.message
        wanted = _on_air(await _state(probe))
        assert len(wanted) == 2, wanted

        offline_s: list[float] = []
        restored_s: list[float] = []
        for _ in range(scaled(2, 20)):
            renderer.kill()
            killed = time.monotonic()
            await until(lambda: app.online() == [False], 5.0)
            offline_s.append(time.monotonic() - killed)
            # The operator sees it offline; nothing is taken while it is away.
            renderer = renderer_process(port)
            while await _state(probe) is None:  # the renderer answers again
                assert renderer.proc is not None and renderer.proc.poll() is None, renderer.stderr()
                await asyncio.sleep(0.01)
            back = time.monotonic()
            while _on_air(await _state(probe)) != wanted:
                assert time.monotonic() - back < 5.0, "what was on air never came back"
                await asyncio.sleep(0.01)
            restored_s.append(time.monotonic() - back)
            await until(lambda: app.online() == [True], 2.0)
        report("renderer offline after kill, s (max)", f"{max(offline_s):.3f}")
        report("on air restored after renderer returns, s (max)", f"{max(restored_s):.3f}")
        assert max(restored_s) <= RESTORED_WITHIN_S, f"restored after {restored_s} s"
        # The tally never left on air: the operator did nothing, the app put it back.
        assert sorted(app.playout.on_air_cues()) == sorted(
            app.cue_id(n) for n in ("Results · Men's 500 m Final A", "Podium · Men's 500 m")
        )
        assert max(offline_s) <= OFFLINE_WITHIN_S, f"offline shown after {offline_s} s"
    finally:
        await probe.close()
        await app.close()
