"""Who may connect over TCP, how many, for how long: the allow-list at accept, caps, idle."""

from __future__ import annotations

import asyncio

import pytest

from strapline.osc import address as osc
from strapline.osc.allow import AllowList
from strapline.osc.client import TargetConfig, TargetLink
from strapline.osc.server import serve
from strapline.osc.transport import TcpGate
from strapline.renderer.engine import RendererEngine


def test_addresses_ranges_and_host_names() -> None:
    allow = AllowList.parse(["localhost", "10.1.0.0/16", "192.168.7.9", "::1"])
    assert allow.allows("127.0.0.1") and allow.allows("::1") and allow.allows("10.1.200.3")
    assert allow.allows("::ffff:10.1.0.1")  # an IPv4 sender seen on a dual-stack socket
    assert not allow.allows("10.2.0.1") and not allow.allows("192.168.7.10")
    assert not allow.allows("localhost")  # senders are addresses; names are looked up once
    assert AllowList.parse(["127.0.0.0/8"]).allows("127.0.0.53")
    named = AllowList.parse(["desk-1"], resolve=lambda name: ["10.9.8.7"])
    assert named.allows("10.9.8.7") and not named.allows("10.9.8.6")


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("10.0.0.0/33", "is not an IP address, a range"),
        ("300.1.2.3/8", "is not an IP address, a range"),
        ("desk 1", "is not an IP address, a range"),
        ("", "an empty entry"),
        ("no-such-host.invalid", "does not resolve"),
    ],
)
def test_what_cannot_be_parsed_is_an_error(entry: str, message: str) -> None:
    def resolve(name: str) -> list[str]:
        raise OSError("Name or service not known")

    with pytest.raises(ValueError, match=message):
        AllowList.parse([entry], resolve=resolve)


async def _connect_and_ask(port: int) -> bool:
    link = TargetLink(TargetConfig("127.0.0.1", port, tcp=True), timeout=0.3)
    await link.start(heartbeats=False)
    try:
        return (await link.request(osc.GetState(link.next_seq(), 1))).ok
    finally:
        await link.close()


@pytest.mark.asyncio
async def test_the_allow_list_applies_at_accept_and_caps_hold() -> None:
    engine = RendererEngine("r1")
    outsiders = TcpGate(AllowList.parse(["10.0.0.0/8"]).allows)
    server = await serve(engine.handle_packet, "127.0.0.1", 0, udp=False, gate=outsiders)
    assert not await _connect_and_ask(server.address[1])
    assert outsiders.refused >= 1 and engine.counters.packets == 0  # nothing was read
    await server.close()

    gate = TcpGate(AllowList.parse(["127.0.0.0/8"]).allows, max_total=8, max_per_host=3)
    server = await serve(engine.handle_packet, "127.0.0.1", 0, udp=False, gate=gate)
    port = server.address[1]
    held = [await asyncio.open_connection("127.0.0.1", port) for _ in range(6)]
    await asyncio.sleep(0.1)
    assert len(gate.open) == 3 and gate.refused == 3
    for _, w in held:
        w.close()
    await asyncio.sleep(0.1)
    assert gate.open == set() and gate.per_host == {}
    assert await _connect_and_ask(port)
    await server.close()


@pytest.mark.asyncio
async def test_an_idle_connection_is_closed() -> None:
    engine = RendererEngine("r1")
    gate = TcpGate(idle_s=0.2)
    server = await serve(engine.handle_packet, "127.0.0.1", 0, udp=False, gate=gate)
    reader, writer = await asyncio.open_connection(*server.address)
    assert await asyncio.wait_for(reader.read(), 2.0) == b""  # closed by the renderer
    assert gate.idle_closed == 1 and gate.open == set()
    writer.close()
    await server.close()
