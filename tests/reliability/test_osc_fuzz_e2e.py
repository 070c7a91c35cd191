"""100,000 bad OSC packets to the renderer process and 100,000 to the app's control port.

The packets come from the OSC suite's generator (tests/osc/test_osc_fuzz.py: mutated valid
datagrams, random bytes, truncations, wrong types and lengths, nested bundles, with valid
commands mixed in). Here they go through real UDP sockets to the whole programs: the renderer
as `strapline renderer --headless` in its own process, and the control listener wired to the
app's playout service as the app wires it (so valid take/next/cue commands in the mix really
play on that renderer). Every thousand packets the renderer must answer a state request within
2 s; at the end both still work: the renderer takes a graphic and the control port moves the
selection.
"""

from __future__ import annotations

import asyncio
import importlib.util
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

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
from strapline.osc import address as osc
from strapline.osc.client import TargetConfig, TargetLink
from strapline.osc.codec import build_message
from strapline.osc.control import ControlListener
from strapline.services.control import RundownControl

GENERATOR = Path(__file__).resolve().parents[1] / "osc" / "test_osc_fuzz.py"
BATCH = 1000


def _generator() -> ModuleType:
    """The OSC suite's packet generator, loaded under its own name (not collected again)."""
    spec = importlib.util.spec_from_file_location("osc_fuzz_generator", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _packets(seed: int, count: int) -> Iterator[bytes]:
    mutations: Callable[[int, int], Iterator[bytes]] = _generator().mutations
    return mutations(seed, count)


def _send(sock: socket.socket, packet: bytes, where: tuple[str, int]) -> bool:
    try:
        sock.sendto(packet, where)
    except OSError:  # larger than a UDP datagram can be: cannot be sent at all
        return False
    return True


async def _answers(probe: TargetLink) -> bool:
    outcome = await probe.request(osc.GetState(probe.next_seq(), 1))
    return outcome.ok


@pytest.mark.asyncio
async def test_bad_packets_to_renderer_process_and_control_port(
    renderer_process: Callable[[int], RendererProcess], demo_competition: Competition
) -> None:
    if not GENERATOR.is_file():
        pytest.skip("the OSC fuzz generator (tests/osc/test_osc_fuzz.py) is not in this tree")
    count = scaled(100_000, 1_000_000)
    port = free_udp_port()
    renderer = renderer_process(port)
    app = App(demo_competition, port)
    control = RundownControl(app.playout)
    listener = ControlListener(control, host="127.0.0.1", port=0)
    probe = TargetLink(TargetConfig("127.0.0.1", port), retry_interval=0.1, timeout=2.0)
    await probe.start(heartbeats=False)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        await listener.start()
        control.listener = listener
        for output in app.shows.show.outputs:
            app.outputs.playout(output)
        await app.outputs.ready()
        await wait_online(app, renderer)
        to_renderer = ("127.0.0.1", port)
        to_control = listener.address

        start = time.monotonic()
        slowest = 0.0
        sent = 0
        for i, packet in enumerate(_packets(11, 2 * count)):
            sent += _send(sock, packet, to_renderer)
            if sent >= count:
                break
            if i % BATCH == BATCH - 1:
                t0 = time.monotonic()
                assert await _answers(probe), f"the renderer stopped answering after {i} packets"
                slowest = max(slowest, time.monotonic() - t0)
                assert renderer.proc is not None and renderer.proc.poll() is None, renderer.stderr()
        renderer_s = time.monotonic() - start
        report("bad packets to the renderer process", f"{sent} sent in {renderer_s:.1f} s")
        report("renderer answer after a batch of 1000, s (max)", f"{slowest:.3f}")

        start = time.monotonic()
        sent_to_control = [0]

        def blast() -> None:
            """Send from a thread, in small bursts, so the loop the listener runs on is free."""
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as out:
                for i, packet in enumerate(_packets(12, 2 * count)):
                    sent_to_control[0] += _send(out, packet, to_control)
                    if sent_to_control[0] >= count:
                        return
                    if i % 8 == 7:
                        time.sleep(0.0005)

        sender = threading.Thread(target=blast, daemon=True)
        sender.start()
        while sender.is_alive():
            await asyncio.sleep(0.01)
        sent = sent_to_control[0]
        await listener.drain()
        report(
            "bad packets to the control port",
            f"{sent} sent in {time.monotonic() - start:.1f} s; {listener.counters}",
        )
        assert listener.counters.packets > sent // 2, "most packets never reached the listener"

        # Both still work.
        assert await _answers(probe)
        assert await _answers(probe)  # after the last batch too
        assert renderer.proc is not None and renderer.proc.poll() is None
        result = await app.playout.take(app.cue_id("Results · Men's 500 m Final A"))
        assert result.ok, result.message
        first = next(iter(app.shows.show.rundown.cues())).id
        app.playout.select(first)
        sock.sendto(build_message("/strapline/v1/control/next", []), to_control)
        await until(lambda: app.playout.selected != first, 2.0)
    finally:
        sock.close()
        await listener.close()
        await probe.close()
        await app.close()
