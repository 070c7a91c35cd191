"""A channel whose state does not fit one datagram comes back whole after a renderer restart.

Two standings tables of about 40 KB each are on air (their state, about 80 KB, is over the
65,507-byte UDP limit); the renderer process is killed and started again. Required, over UDP
and over TCP: both tables on air again, with all their rows, within 1 s of the renderer
answering again, without a new take.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any

import pytest
from reliability_helpers import RendererProcess, free_udp_port, report, until

from strapline.osc import address as osc
from strapline.osc.client import OscPlayout, TargetConfig, TargetLink

RESTORED_WITHIN_S = 1.0


def standings(tag: str, target_bytes: int = 40_000) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    data: dict[str, Any] = {"title": f"Overall standings {tag}", "page_size": 10, "rows": rows}
    i = 0
    while len(json.dumps(data, ensure_ascii=False)) < target_bytes:
        i += 1
        rows.append(
            {
                "rank": i,
                "name": f"KUCZYŃSKI-WIŚNIEWSKI Łukasz {tag}{i}",
                "nation": "POL",
                "points": str(10_000 - i),
                "competitor_id": f"pol-{tag}-{i:04d}",
            }
        )
    return data


async def _shown(probe: TargetLink) -> dict[int, dict[str, Any]] | None:
    ask = osc.GetState(probe.next_seq(), 1)
    outcome = await probe.request(ask)
    if not outcome.ok or probe.state_seqs.get(1) != ask.seq:
        return None
    return {ls.layer: ls.data for ls in probe.states[1].layers if ls.on_air}


@pytest.mark.asyncio
@pytest.mark.parametrize("tcp", [False, True], ids=["udp", "tcp"])
async def test_a_big_channel_is_restored_after_a_restart(
    renderer_process: Callable[[int], RendererProcess], tcp: bool
) -> None:
    port = free_udp_port()
    renderer = renderer_process(port)
    tables = {40: standings("A"), 41: standings("B")}
    size = len(json.dumps({"layers": list(tables.values())}, ensure_ascii=False).encode())
    assert size > osc.MAX_UDP_PAYLOAD
    playout = OscPlayout([TargetConfig("127.0.0.1", port, tcp=tcp)], 1)
    probe = TargetLink(TargetConfig("127.0.0.1", port), retry_interval=0.02, timeout=1.0)
    await probe.start(heartbeats=False)
    await playout.start()
    try:
        await until(lambda: playout.health()[0].online is True, 60.0, 0.05)
        for layer, data in tables.items():
            assert (await playout.load(layer, "standings", data, ""))[0].ok
            assert (await playout.play(layer))[0].ok
        assert await _shown(probe) == tables
        renderer.kill()
        if renderer.proc is not None and renderer.proc.stderr is not None:
            renderer.proc.stderr.close()
        await until(lambda: playout.health()[0].online is False, 5.0, 0.01)
        renderer.start()  # the same port, empty
        probe.timeout = 0.1  # ask every 0.1 s at most: when it first answers is measured
        while (shown := await _shown(probe)) is None:
            assert renderer.proc is not None and renderer.proc.poll() is None, renderer.stderr()
        up = time.monotonic()
        probe.timeout = 1.0
        while shown != tables:
            assert time.monotonic() - up < 10.0, f"not restored: {sorted(shown or {})}"
            await asyncio.sleep(0.01)
            shown = await _shown(probe)
        took = time.monotonic() - up
        report(
            f"2 x 40 KB standings ({size} bytes of state) restored after a restart over "
            f"{'TCP' if tcp else 'UDP'}, s",
            f"{took:.3f}",
        )
        assert took < RESTORED_WITHIN_S
        assert playout.stats.resync_failures == []
    finally:
        await playout.close()
        await probe.close()
