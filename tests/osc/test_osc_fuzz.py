"""Over 100,000 malformed, truncated, mistyped, oversized and invalid packets: the renderer's
state machine and the control listener count them, answer what can be answered, and still
answer a ping (or a button press) afterwards. Most are fed to the handlers directly; a share
goes through real UDP and TCP sockets."""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections.abc import Iterator

import pytest

from strapline.osc import address as osc
from strapline.osc.client import TargetConfig, TargetLink
from strapline.osc.codec import build_bundle, build_message, parse_packet
from strapline.osc.control import ControlListener
from strapline.osc.server import serve
from strapline.osc.transport import open_tcp, open_udp, slip_encode
from strapline.renderer.engine import RendererEngine

LT = {"family_name": "ROUSSEL", "given_name": "Felix", "nation": "CAN", "info": "Men 500 m"}
PACKETS = 100_000
SENDER = ("127.0.0.1", 40000)


def valid_packets() -> list[bytes]:
    big = {"family_name": "X" * 70_000}
    return [
        osc.build(osc.Load(1, 1, 10, "lower-third", "", LT)),
        osc.build(osc.Load(2, 1, 11, "standings", "", {"title": "T", "rows": []})),
        osc.build(osc.Play(3, 1, 10, 0)),
        osc.build(osc.Update(4, 1, 10, {**LT, "info": "Gold"})),
        osc.build(osc.Stop(5, 1, 10, False)),
        osc.build(osc.ClearLayer(6, 1, 10)),
        osc.build(osc.ClearChannel(7, 1)),
        osc.build(osc.GetState(8, 1)),
        osc.build(osc.SetState(9, 1, {"channel": 1, "layers": []})),
        osc.build(osc.Ping(10, 1.0)),
        osc.build(osc.Update(11, 1, 10, big)),  # oversized data
        build_message(
            "/strapline/v1/channel/1/layer/10/load",
            [("i", 12), ("s", "lower-third"), ("s", ""), ("s", '{"family_name": 5}')],
        ),  # fails the schema
        build_message(
            "/strapline/v1/channel/1/layer/10/load",
            [("i", 13), ("s", "podium"), ("s", ""), ("s", "{not json")],
        ),
        build_message("/strapline/v1/channel/1/layer/10/play", [("s", "x"), ("f", 1.0)]),
        build_bundle([osc.build(osc.Play(14, 1, 10)), osc.build(osc.Panic(15))], time.time() + 2),
        build_message("/strapline/v1/control/take", [("i", 1)]),
        build_message("/strapline/v1/control/cue", [("s", "lt-1")]),
        build_message("/strapline/v1/control/next", []),
    ]


def mutations(seed: int, count: int) -> Iterator[bytes]:
    rnd = random.Random(seed)
    seeds = valid_packets()
    for _ in range(count):
        base = bytearray(rnd.choice(seeds))
        kind = rnd.randrange(8)
        if kind == 0:  # random bytes
            yield rnd.randbytes(rnd.randrange(0, 96))
        elif kind == 1:  # truncation
            yield bytes(base[: rnd.randrange(0, len(base))])
        elif kind == 2:  # flipped bytes
            for _ in range(rnd.randrange(1, 6)):
                base[rnd.randrange(len(base))] = rnd.randrange(256)
            yield bytes(base)
        elif kind == 3:  # a type tag changed to another (or an unknown) type
            comma = base.find(b",")
            if comma > 0 and comma + 1 < len(base):
                base[comma + 1 + rnd.randrange(max(1, base.find(b"\x00", comma) - comma - 1))] = (
                    ord(rnd.choice("ifdsbhTFNr[]Sc\x00"))
                )
            yield bytes(base)
        elif kind == 4:  # garbage inserted
            at = rnd.randrange(len(base) + 1)
            yield bytes(base[:at] + rnd.randbytes(rnd.randrange(1, 12)) + base[at:])
        elif kind == 5:  # wrong length fields (blob sizes, bundle element sizes)
            at = rnd.randrange(0, max(1, len(base) - 4)) & ~3
            base[at : at + 4] = rnd.choice(
                [b"\x7f\xff\xff\xff", b"\xff\xff\xff\xff", b"\x00\x00\x00\x03"]
            )
            yield bytes(base)
        elif kind == 6:  # nested or empty bundles
            inner = bytes(base)
            for _ in range(rnd.randrange(1, 7)):
                inner = build_bundle([inner], rnd.choice([None, time.time() + rnd.random() * 10]))
            yield inner
        else:  # a valid packet: the receiver keeps doing real work in between
            yield bytes(base)


def pong_of(replies: list[bytes]) -> osc.Pong:
    for dgram in replies:
        reply = osc.parse_reply(parse_packet(dgram)[0].message)
        if isinstance(reply, osc.Pong):
            return reply
    raise AssertionError("no pong")


def test_renderer_state_machine_survives_100k_bad_packets() -> None:
    engine = RendererEngine("fuzz")
    start = time.perf_counter()
    for i, packet in enumerate(mutations(1, PACKETS)):
        engine.handle_packet(packet, ("127.0.0.1", 40000 + i % 97))
        if i % 1000 == 0:
            engine.tick()
    elapsed = time.perf_counter() - start
    c = engine.counters
    assert c.packets == PACKETS
    assert c.malformed > 20_000 and c.refused > 10_000
    pong = pong_of(engine.handle_packet(osc.build(osc.Ping(99, 2.0)), SENDER))
    assert (pong.seq, pong.renderer) == (99, "fuzz")
    # and it still does its job
    engine.handle_packet(osc.build(osc.Panic(1_000_000)), ("127.0.0.1", 1))
    engine.handle_packet(
        osc.build(osc.Load(1_000_001, 1, 5, "lower-third", "", LT)), ("127.0.0.1", 1)
    )
    engine.handle_packet(osc.build(osc.Play(1_000_002, 1, 5)), ("127.0.0.1", 1))
    assert engine.channel_state(1).layers[0].on_air
    assert elapsed < 60, f"{PACKETS} packets took {elapsed:.1f} s"


class Presses:
    def __init__(self) -> None:
        self.count = 0

    async def next(self) -> None:
        self.count += 1

    previous = take = out = update = clear = panic = next

    async def cue(self, ref: str | int) -> None:
        self.count += 1


@pytest.mark.asyncio
async def test_control_listener_survives_100k_bad_packets() -> None:
    handler = Presses()
    listener = ControlListener(handler, port=0)
    async with listener:
        for i, packet in enumerate(mutations(2, PACKETS)):
            listener.handle_packet(packet, ("127.0.0.1", 50000))
            if i % 500 == 0:
                await asyncio.sleep(0)  # let queued presses run, as the loop would
        c = listener.counters
        assert c.packets == PACKETS and c.malformed > 20_000 and c.refused > 1_000
        await listener.drain()
        before = handler.count
        sender = await open_udp(lambda d, p: None, remote=listener.address)
        sender.send(build_message("/strapline/v1/control/take", [("i", 1)]))
        loop = asyncio.get_running_loop()
        end = loop.time() + 2
        while handler.count == before and loop.time() < end:
            await asyncio.sleep(0.01)
        sender.close()
        assert handler.count == before + 1


@pytest.mark.asyncio
async def test_bad_packets_through_real_sockets() -> None:
    engine = RendererEngine("fuzz-net")
    server = await serve(engine.handle_packet, "127.0.0.1", 0)
    host, port = server.address
    udp = await open_udp(lambda d, p: None, remote=(host, port))
    tcp = await open_tcp(lambda d, p: None, host, port)
    sent = 0
    for i, packet in enumerate(mutations(3, 3000)):
        if not packet:
            continue
        if i % 3 == 0:
            tcp.transport.write(slip_encode(packet))  # type: ignore[union-attr]
        else:
            udp.send(packet)
        sent += 1
        if i % 20 == 0:
            await asyncio.sleep(0.002)  # loopback UDP drops what a full socket buffer cannot hold
    tcp.transport.write(b"\xdb\x01\xc0" + b"\x00" * 10 + b"\xc0")  # a bad SLIP escape  # type: ignore[union-attr]
    link = TargetLink(TargetConfig(host, port), timeout=2.0)
    await link.start(heartbeats=False)
    outcome = await link.request(osc.GetState(link.next_seq(), 1))
    assert outcome.ok
    await link.close()
    udp.close()
    tcp.close()
    await server.close()
    # UDP may lose some on a busy machine; most arrive, and every one that did was handled
    assert engine.counters.packets > sent // 4
    assert engine.counters.malformed > 100


def test_oversized_and_invalid_data_are_nacked_with_reasons() -> None:
    engine = RendererEngine("fuzz")
    replies = engine.handle_packet(valid_packets()[10], SENDER)
    reasons = [osc.parse_reply(parse_packet(r)[0].message) for r in replies]
    nack = reasons[-1]
    assert isinstance(nack, osc.Nack) and "over the 65536 byte limit" in nack.reason
    nack = osc.parse_reply(
        parse_packet(engine.handle_packet(valid_packets()[11], SENDER)[-1])[0].message
    )
    assert isinstance(nack, osc.Nack) and "family_name" in nack.reason
    nack = osc.parse_reply(
        parse_packet(engine.handle_packet(valid_packets()[12], SENDER)[-1])[0].message
    )
    assert isinstance(nack, osc.Nack) and "not valid JSON" in nack.reason
    assert json.loads(json.dumps(engine.channel_state(1).model_dump())) == {
        "channel": 1,
        "layers": [],
    }


@pytest.mark.asyncio
async def test_controller_link_survives_bad_replies() -> None:
    engine = RendererEngine("fuzz-reply")
    server = await serve(engine.handle_packet, "127.0.0.1", 0)
    link = TargetLink(TargetConfig(*server.address), timeout=2.0)
    await link.start(heartbeats=False)
    replies = [
        osc.build_reply(osc.Ack(5, "r")),
        osc.build_reply(osc.Nack(6, "r", "why")),
        osc.build_reply(osc.StateReport(0, "r", 1, {"channel": 1, "layers": []})),
        osc.build_reply(osc.Pong(1, 1.0, "r", 2.0, 3.0, 4)),
    ]
    rnd = random.Random(4)
    for _ in range(20_000):
        packet = bytearray(rnd.choice(replies))
        for _ in range(rnd.randrange(1, 4)):
            packet[rnd.randrange(len(packet))] = rnd.randrange(256)
        link._on_packet(bytes(packet[: rnd.randrange(1, len(packet) + 1)]), server.address)
    assert link.bad_replies > 5_000
    outcome = await link.request(osc.GetState(link.next_seq(), 1))
    assert outcome.ok
    await link.close()
    await server.close()
