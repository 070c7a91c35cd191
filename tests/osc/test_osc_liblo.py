"""Interop with an independent OSC implementation: liblo's oscdump and oscsend.

Our datagrams must decode in oscdump to exactly the arguments we meant; oscsend's messages
(UDP, and TCP with liblo's size-prefixed framing) must work on the renderer's state machine and
on the control listener. Skipped, with the reason, only where liblo-tools is not installed."""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator

import pytest

from strapline.osc import address as osc
from strapline.osc.codec import build_bundle
from strapline.osc.control import ControlListener
from strapline.osc.server import serve
from strapline.osc.transport import open_tcp
from strapline.renderer.engine import RendererEngine

pytestmark = pytest.mark.skipif(
    shutil.which("oscdump") is None or shutil.which("oscsend") is None,
    reason="liblo-tools (oscdump, oscsend) is not installed: apt-get install liblo-tools",
)


def free_port(kind: int = socket.SOCK_DGRAM) -> int:
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Dump:
    """oscdump on a port; `read(n)` waits for the first n messages it printed."""

    def __init__(self, url: str) -> None:
        self.proc = subprocess.Popen(
            ["oscdump", "-L", url], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        self.out: list[str] = []
        self._reader = threading.Thread(target=self._read_lines, daemon=True)
        self._reader.start()

    def _read_lines(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            # drop the timetag column: "<timetag> <address> <types> <values>"
            self.out.append(line.rstrip("\n").split(" ", 1)[1])

    def read(self, count: int, timeout: float = 5.0) -> list[str]:
        end = time.monotonic() + timeout
        while len(self.out) < count and time.monotonic() < end:
            time.sleep(0.01)
        return list(self.out)

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(5)
        self._reader.join(5)
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()


@pytest.fixture
def udp_dump() -> Iterator[tuple[Dump, int]]:
    port = free_port()
    dump = Dump(str(port))
    yield dump, port
    dump.close()


def test_our_messages_decode_in_oscdump(udp_dump: tuple[Dump, int]) -> None:
    dump, port = udp_dump
    probe = osc.build(osc.Panic(1))
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        end = time.monotonic() + 5
        while not dump.read(1, timeout=0.1) and time.monotonic() < end:
            s.sendto(probe, ("127.0.0.1", port))
        assert dump.out, "oscdump printed nothing"
        dump.out.clear()
        packets = [
            osc.build(osc.Load(7, 1, 20, "lower-third", "ice", {"family_name": "KIM Gil-li"})),
            osc.build(osc.Play(8, 1, 20)),
            osc.build(osc.Update(9, 2, 5, {"a": 1.5})),
            osc.build(osc.Stop(10, 1, 20, True)),
            osc.build(osc.Stop(11, 1, 20, False)),
            osc.build(osc.ClearLayer(12, 1, 20)),
            osc.build(osc.ClearChannel(13, 1)),
            osc.build(osc.GetState(14, 1)),
            osc.build(osc.Ping(15, 2.5)),
            osc.build_reply(osc.Ack(16, "r1")),
            osc.build_reply(osc.Nack(17, "r1", "nothing loaded")),
            osc.build_reply(osc.Pong(18, 2.5, "r1", 3.25, 4.5, 6)),
            build_bundle([osc.build(osc.Play(19, 1, 30, 2)), osc.build(osc.Panic(20))]),
        ]
        for p in packets:
            s.sendto(p, ("127.0.0.1", port))
            time.sleep(0.002)
    assert dump.read(14) == [
        "/strapline/v1/channel/1/layer/20/load isss 7 "
        '"lower-third" "ice" "{"family_name":"KIM Gil-li"}"',
        "/strapline/v1/channel/1/layer/20/play ii 8 -1",
        '/strapline/v1/channel/2/layer/5/update is 9 "{"a":1.5}"',
        "/strapline/v1/channel/1/layer/20/stop iT 10 #T",
        "/strapline/v1/channel/1/layer/20/stop iF 11 #F",
        "/strapline/v1/channel/1/layer/20/clear i 12",
        "/strapline/v1/channel/1/clear i 13",
        "/strapline/v1/channel/1/state/get i 14",
        "/strapline/v1/ping id 15 2.500000",
        '/strapline/v1/ack is 16 "r1"',
        '/strapline/v1/nack iss 17 "r1" "nothing loaded"',
        '/strapline/v1/pong idsddi 18 2.500000 "r1" 3.250000 4.500000 6',
        "/strapline/v1/channel/1/layer/30/play ii 19 2",
        "/strapline/v1/panic i 20",
    ]


@pytest.mark.asyncio
async def test_our_tcp_slip_decodes_in_oscdump() -> None:
    port = free_port(socket.SOCK_STREAM)
    dump = Dump(f"osc.tcp://:{port}")
    try:
        conn = None
        for _ in range(100):
            try:
                conn = await open_tcp(lambda d, p: None, "127.0.0.1", port)
                break
            except OSError:
                await asyncio.sleep(0.05)
        assert conn is not None
        conn.send(osc.build(osc.Play(4, 1, 2, 1)))
        conn.send(osc.build(osc.Load(5, 1, 2, "quote", "", {"text": "ÅØ\u00e9 한국"})))
        await asyncio.to_thread(dump.read, 2)
        conn.close()
    finally:
        dump.close()
    assert dump.out == [
        "/strapline/v1/channel/1/layer/2/play ii 4 1",
        '/strapline/v1/channel/1/layer/2/load isss 5 "quote" "" "{"text":"ÅØé 한국"}"',
    ]


def oscsend(url_or_host: list[str], address: str, types: str, *values: str) -> None:
    subprocess.run(["oscsend", *url_or_host, address, types, *values], check=True, timeout=10)


@pytest.mark.asyncio
@pytest.mark.parametrize("transport", ["udp", "tcp"])
async def test_oscsend_drives_the_renderer_state_machine(transport: str) -> None:
    engine = RendererEngine("liblo")
    server = await serve(engine.handle_packet, "127.0.0.1", 0)
    port = server.address[1]
    target = ["127.0.0.1", str(port)] if transport == "udp" else [f"osc.tcp://127.0.0.1:{port}"]
    prefix = "/strapline/v1/channel/1/layer/20"
    try:
        await asyncio.to_thread(
            oscsend,
            target,
            f"{prefix}/load",
            "isss",
            "1",
            "lower-third",
            "",
            '{"family_name": "ROUSSEL", "given_name": "Félix", "nation": "CAN"}',
        )
        await asyncio.to_thread(oscsend, target, f"{prefix}/play", "ii", "2", "-1")
        await asyncio.to_thread(oscsend, target, "/strapline/v1/ping", "id", "3", "1.5")
        loop = asyncio.get_running_loop()
        end = loop.time() + 5
        while engine.counters.packets < 3 and loop.time() < end:
            await asyncio.sleep(0.02)
    finally:
        await server.close()
    (layer,) = engine.channel_state(1).layers
    assert layer.on_air and layer.data["given_name"] == "Félix"
    assert engine.counters.refused == engine.counters.malformed == 0


class Presses:
    def __init__(self) -> None:
        self.calls: list[object] = []

    async def take(self) -> None:
        self.calls.append("take")

    async def cue(self, ref: str | int) -> None:
        self.calls.append(ref)

    async def next(self) -> None:
        self.calls.append("next")

    previous = out = update = clear = panic = next


@pytest.mark.asyncio
async def test_oscsend_presses_reach_the_control_handler() -> None:
    handler = Presses()
    async with ControlListener(handler, port=0) as listener:
        host, port = listener.address
        target = [host, str(port)]
        await asyncio.to_thread(oscsend, target, "/strapline/v1/control/take", "i", "1")
        await asyncio.to_thread(oscsend, target, "/strapline/v1/control/take", "i", "0")
        await asyncio.to_thread(oscsend, target, "/strapline/v1/control/cue", "s", "lt-9")
        await asyncio.to_thread(oscsend, target, "/strapline/v1/control/cue", "i", "4")
        await asyncio.to_thread(oscsend, target, "/strapline/v1/control/take", "f", "1.0")
        loop = asyncio.get_running_loop()
        end = loop.time() + 5
        while len(handler.calls) < 4 and loop.time() < end:
            await asyncio.sleep(0.02)
    assert handler.calls == ["take", "lt-9", 4, "take"]
    assert listener.counters.releases == 1
