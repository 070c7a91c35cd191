"""A renderer with few file descriptors keeps answering whatever number of TCP connections
come and go: 1,500 connections in waves larger than its descriptor limit (a renderer process
run with RLIMIT_NOFILE 160), while a controller connected before keeps its answers.
"""

from __future__ import annotations

import asyncio
import os
import resource
import socket
import struct
import subprocess
import sys
import time

import pytest
from reliability_helpers import free_udp_port, report, scaled

from strapline.osc import address as osc
from strapline.osc.client import TargetConfig, TargetLink

LIMIT = 160
HOLD_S = 2.5
LT = {"family_name": "KUCZYŃSKI", "given_name": "Łukasz", "nation": "POL"}


def _low_limit() -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (LIMIT, LIMIT))


async def _asks(link: TargetLink) -> bool:
    return (await link.request(osc.GetState(link.next_seq(), 1))).ok


@pytest.mark.asyncio
async def test_descriptors_never_run_out_for_the_renderer() -> None:
    port = free_udp_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "strapline", "renderer", "--headless", "--port", str(port)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        preexec_fn=_low_limit,
    )
    udp = TargetLink(TargetConfig("127.0.0.1", port), timeout=0.5)
    tcp = TargetLink(TargetConfig("127.0.0.1", port, tcp=True), timeout=2.0)
    await udp.start(heartbeats=False)
    try:
        start = time.monotonic()
        while not await _asks(udp):
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
            assert time.monotonic() - start < 60, "the renderer did not start"
        await tcp.start(heartbeats=False)
        assert await _asks(tcp)  # the controller that was there first
        total = scaled(1500, 6000)
        wave = 2 * LIMIT  # each wave asks for more descriptors than the renderer has
        made = refused_at_once = 0
        slowest = 0.0
        while made < total:
            held: list[socket.socket] = []
            for _ in range(min(wave, total - made)):
                s = socket.socket()
                # closed with a reset: no TIME_WAIT left to crowd the ports of later tests
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                s.setblocking(False)
                try:
                    s.connect(("127.0.0.1", port))
                except BlockingIOError:
                    pass
                except OSError:
                    refused_at_once += 1
                held.append(s)
                made += 1
            await asyncio.sleep(HOLD_S)
            # while the wave is held: the renderer answers over UDP and the old TCP client,
            # and takes graphics on air (a frame to draw, fonts to open)
            t = time.monotonic()
            assert await _asks(udp), f"no UDP answer with {made} connections made"
            assert await _asks(tcp), f"the first TCP client lost its answers at {made}"
            layer = made % 7
            load = osc.Load(udp.next_seq(), 1, layer, "lower-third", "", LT)
            assert (await udp.request(load)).ok
            assert (await udp.request(osc.Play(udp.next_seq(), 1, layer))).ok
            slowest = max(slowest, time.monotonic() - t)
            await asyncio.sleep(0.3)
            for s in held:
                s.close()
            await asyncio.sleep(0.05)
        # afterwards a new controller connects and is served
        fresh = TargetLink(TargetConfig("127.0.0.1", port, tcp=True), timeout=3.0)
        await fresh.start(heartbeats=False)
        ok = await _asks(fresh)
        await fresh.close()
        assert proc.poll() is None, "the renderer died"
        report("TCP connections made and closed against RLIMIT_NOFILE 160", made)
        report("slowest answer while a wave was held, s", f"{slowest:.3f}")
        assert ok, "a new TCP controller was not served after the waves"
        proc.terminate()
        assert proc.wait(10) == 0, "the renderer did not stop cleanly on SIGTERM"
    finally:
        await udp.close()
        await tcp.close()
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        if proc.stderr is not None:
            proc.stderr.close()
