"""OscPlayout and its links against the renderer's state machine over real sockets."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from strapline.domain.playout import ChannelState, LayerState, OutcomeKind
from strapline.osc import address as osc_address
from strapline.osc.client import OscPlayout, TargetConfig, TargetHealth, TargetLink, flatten
from strapline.osc.codec import parse_packet
from strapline.osc.server import PacketServer, serve
from strapline.osc.transport import Peer, open_udp
from strapline.renderer.engine import RendererEngine

LT = {"family_name": "ROUSSEL", "given_name": "Felix", "nation": "CAN"}
STANDINGS = {
    "title": "Crystal Globe",
    "page_size": 2,
    "rows": [{"rank": i, "name": f"N{i}", "points": str(100 - i)} for i in range(1, 6)],
}
FAST = {"retry_interval": 0.05, "timeout": 0.5, "heartbeat": 0.05, "offline_after": 0.3}


async def start_renderer(
    engine: RendererEngine, port: int = 0, drop_first: int = 0
) -> tuple[PacketServer, list[int]]:
    dropped = [0]

    def handler(data: bytes, peer: Peer) -> list[bytes]:
        if dropped[0] < drop_first and b"/play" in data:
            dropped[0] += 1
            return []
        return engine.handle_packet(data, peer)

    return await serve(handler, "127.0.0.1", port), dropped


async def wait_for(predicate: Any, timeout: float = 2.0) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not predicate():
        if loop.time() > end:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.01)


@pytest.mark.asyncio
async def test_async_tests_run_on_qasync() -> None:
    import qasync

    assert isinstance(asyncio.get_running_loop(), qasync.QEventLoop)


@pytest.mark.asyncio
@pytest.mark.parametrize("tcp", [False, True], ids=["udp", "tcp"])
async def test_take_over_udp_and_tcp(tcp: bool) -> None:
    engine = RendererEngine("r1")
    server, _ = await start_renderer(engine)
    host, port = server.address
    async with OscPlayout([TargetConfig(host, port, tcp=tcp)], **FAST) as playout:
        (o,) = await playout.load(20, "lower-third", LT, "ice")
        assert o.kind is OutcomeKind.ACK and o.rtt_ms is not None and o.attempts == 1
        (o,) = await playout.play(20)
        assert o.ok
        assert engine.channel_state(1).layers[0].on_air
        (o,) = await playout.update(20, {"family_name": 7})
        assert o.kind is OutcomeKind.NACK and "family_name" in o.reason
        (o,) = await playout.stop(20, immediate=True)
        assert o.ok and not engine.channel_state(1).layers[0].on_air
        (o,) = await playout.request_state()
        assert o.ok
        state = playout.reported_state(f"{host}:{port}{'/tcp' if tcp else ''}")
        assert state is not None and state.layers[0].graphic == "lower-third"
        (o,) = await playout.clear()
        assert o.ok and engine.channel_state(1).layers == []
        (o,) = await playout.panic()
        assert o.ok
    await server.close()


@pytest.mark.asyncio
async def test_lost_packets_are_retried_and_played_once() -> None:
    engine = RendererEngine("r1")
    server, dropped = await start_renderer(engine, drop_first=2)
    async with OscPlayout([TargetConfig(*server.address)], **FAST) as playout:
        await playout.load(1, "lower-third", LT, "")
        (o,) = await playout.play(1)
        assert o.ok and o.attempts == 3 and dropped[0] == 2
        assert engine.counters.duplicates == 0
        # a late retry of an answered seq is answered, not replayed
        assert [f.playhead.phase for f in engine.frames(1)] == ["in"]
    await server.close()


@pytest.mark.asyncio
async def test_timeout_and_health() -> None:
    engine = RendererEngine("r-health")
    server, _ = await start_renderer(engine)
    host, port = server.address
    events: list[TargetHealth] = []
    playout = OscPlayout([TargetConfig(host, port, name="main")], **FAST)
    playout.listeners.append(events.append)
    await playout.start()
    await wait_for(lambda: playout.health()[0].online is True)
    h = playout.health()[0]
    assert h.renderer_id == "r-health" and h.rtt_ms is not None and h.rtt_ms < 100
    await server.close()
    await wait_for(lambda: playout.health()[0].online is False)
    assert [e.online for e in events] == [True, False]
    (o,) = await playout.play(1)
    assert o.kind is OutcomeKind.OFFLINE and o.attempts > 1 and "main" in o.reason
    await playout.close()


@pytest.mark.asyncio
async def test_restarted_renderer_gets_the_state_back() -> None:
    engine = RendererEngine("r1")
    server, _ = await start_renderer(engine)
    host, port = server.address
    playout = OscPlayout([TargetConfig(host, port)], **FAST)
    await playout.start()
    await playout.load(10, "lower-third", LT, "")
    await playout.play(10)
    await playout.load(10, "lower-third", {**LT, "family_name": "KIM"}, "")  # next, not yet on air
    await server.close()
    await wait_for(lambda: playout.health()[0].online is False)
    fresh = RendererEngine("r1")  # the renderer came back, empty
    server2, _ = await start_renderer(fresh, port=port)
    await wait_for(lambda: playout.stats.resyncs == 1)
    (layer,) = fresh.channel_state(1).layers
    assert layer.on_air and layer.data["family_name"] == "ROUSSEL"
    assert [f.playhead.phase for f in fresh.frames(1)] == ["hold"]  # no new take
    # the loaded next graphic came back too: the next play takes KIM in
    (o,) = await playout.play(10)
    assert o.ok and fresh.channel_state(1).layers[0].data["family_name"] == "KIM"
    assert playout.stats.resync_failures == []
    await playout.close()
    await server2.close()


@pytest.mark.asyncio
async def test_explicit_resync_and_several_targets() -> None:
    engines = [RendererEngine("a"), RendererEngine("b")]
    servers = [(await start_renderer(e))[0] for e in engines]
    targets = [TargetConfig(*s.address) for s in servers]
    async with OscPlayout(targets, **FAST) as playout:
        state = ChannelState(
            channel=1,
            layers=[LayerState(layer=3, graphic="lower-third", data=LT, on_air=True)],
        )
        outcomes = await playout.resync(state)
        assert [o.ok for o in outcomes] == [True, True]
        assert all(e.channel_state(1).layers[0].on_air for e in engines)
        assert playout.desired_state() == state
        await playout.load(4, "lower-third", LT, "")
        await playout.load(5, "lower-third", LT, "")
        outcomes = await playout.play_together([(4, None), (5, None)])
        assert [o.ok for o in outcomes] == [True] * 4
        assert all(e.counters.scheduled == 2 for e in engines)  # due a few frames ahead
        assert all(len(e.frames(1)) == 1 for e in engines)
        await asyncio.sleep(0.1)
        for e in engines:
            e.tick()
            frames = e.frames(1)
            assert [f.layer for f in frames] == [3, 4, 5]
            assert frames[1].playhead.t == frames[2].playhead.t  # the same frame
    for s in servers:
        await s.close()


@pytest.mark.asyncio
async def test_flat_fields_target() -> None:
    got: list[tuple[str, tuple[Any, ...]]] = []

    def on_packet(data: bytes, peer: Peer) -> None:
        for t in parse_packet(data):
            got.append((t.message.address, t.message.args))

    sink = await open_udp(on_packet, local=("127.0.0.1", 0))
    target = TargetConfig(*sink.local_address, flat=True, flat_prefix="/gfx/{layer}")
    async with OscPlayout([target], **FAST) as playout:
        data = {"title": "Men 500 m", "rows": [{"name": "KIM"}]}
        (o,) = await playout.load(2, "start-list", data, "ice")
        assert o.ok and "do not acknowledge" in o.reason
        await playout.play(2)
        await playout.stop(2)
        await wait_for(lambda: len(got) >= 9)
    sink.close()
    assert (
        got
        == [
            ("/gfx/2/graphic", ("start-list",)),
            ("/gfx/2/theme", ("ice",)),
            ("/gfx/2/data/title", ("Men 500 m",)),
            ("/gfx/2/data/rows/count", (1,)),
            ("/gfx/2/data/rows/0/name", ("KIM",)),
            ("/gfx/2/in", (1,)),
            ("/gfx/2/in", (0,)),
            ("/gfx/2/out", (1,)),
            ("/gfx/2/out", (0,)),
        ][: len(got)]
        or got
    )


def test_flatten_types() -> None:
    assert flatten({"a": True, "b": 2**40, "c": 1.5, "d": None, "e/f": "x"}, "/p") == [
        ("/p/a", [("i", 1)]),
        ("/p/b", [("h", 2**40)]),
        ("/p/c", [("f", 1.5)]),
        ("/p/d", [("s", "")]),
        ("/p/e_f", [("s", "x")]),
    ]


@pytest.mark.asyncio
async def test_offline_within_one_second_of_silence_with_default_timing() -> None:
    engine = RendererEngine("r-silent")
    answering = [True]

    def handler(data: bytes, peer: Peer) -> list[bytes]:
        return engine.handle_packet(data, peer) if answering[0] else []

    server = await serve(handler, "127.0.0.1", 0)
    went_offline: list[float] = []
    async with OscPlayout([TargetConfig(*server.address)]) as playout:
        playout.listeners.append(
            lambda h: (
                went_offline.append(asyncio.get_running_loop().time())
                if h.online is False
                else None
            )
        )
        await wait_for(lambda: playout.health()[0].online is True)
        loop = asyncio.get_running_loop()
        await asyncio.sleep(0.3)
        silent_from = loop.time()
        answering[0] = False  # the renderer hangs: no more answers
        await wait_for(lambda: went_offline != [], timeout=3)
        assert went_offline[0] - silent_from <= 1.0
    await server.close()


@pytest.mark.asyncio
async def test_tcp_retry_over_a_new_connection_is_not_done_twice() -> None:
    engine = RendererEngine("r1")
    server = await serve(engine.handle_packet, "127.0.0.1", 0)
    host, port = server.address
    first = TargetLink(TargetConfig(host, port, tcp=True))
    await first.start(heartbeats=False)
    await first.request(osc_address.Load(first.next_seq(), 1, 5, "standings", "", STANDINGS))
    await first.request(osc_address.Play(first.next_seq(), 1, 5))
    play = osc_address.Play(first.next_seq(), 1, 5)  # next page
    assert (await first.request(play)).ok
    await first.close()
    second = TargetLink(TargetConfig(host, port, tcp=True))  # reconnects, resends the same seq
    await second.start(heartbeats=False)
    assert (await second.request(play)).ok
    await second.close()
    await server.close()
    assert engine.channel_state(1).layers[0].step == 1  # one page on, not two
    assert engine.counters.duplicates == 1


@pytest.mark.asyncio
async def test_refused_commands_never_come_back_through_a_resync() -> None:
    engine = RendererEngine("r1")
    server, _ = await start_renderer(engine)
    async with OscPlayout([TargetConfig(*server.address)], **FAST) as playout:
        await playout.load(1, "lower-third", LT, "")
        (o,) = await playout.load(2, "lower-third", {"family_name": 5}, "")  # refused
        assert o.kind is OutcomeKind.NACK
        (o,) = await playout.play(2)  # nothing loaded there: refused
        assert o.kind is OutcomeKind.NACK
        (o,) = await playout.play(1)
        assert o.ok
        (o,) = await playout.play(1)  # past the last step: refused
        assert o.kind is OutcomeKind.NACK
        wanted = playout.desired_state()
        assert [(ls.layer, ls.on_air, ls.step) for ls in wanted.layers] == [(1, True, 0)]
        assert [o.ok for o in await playout.resync()] == [True]
    await server.close()


class Blackout:
    """A renderer whose answers (or the requests too) are lost while `on` is set."""

    def __init__(self, engine: RendererEngine) -> None:
        self.engine = engine
        self.replies_lost = False
        self.requests_lost = False
        self.play_replies_lost = False

    def __call__(self, data: bytes, peer: Peer) -> list[bytes]:
        if self.requests_lost:
            return []
        replies = self.engine.handle_packet(data, peer)
        if self.replies_lost or (self.play_replies_lost and b"/play" in data):
            return []
        return replies


OUTAGE = {"retry_interval": 0.05, "timeout": 1.0, "heartbeat": 0.05, "offline_after": 0.3}


@pytest.mark.asyncio
async def test_a_blip_during_a_take_never_confirms_what_is_not_on_air() -> None:
    engine = RendererEngine("r1")
    relay = Blackout(engine)
    server = await serve(relay, "127.0.0.1", 0)
    async with OscPlayout([TargetConfig(*server.address)], **OUTAGE) as playout:
        await wait_for(lambda: playout.health()[0].online is True)
        await playout.load(20, "lower-third", LT, "")
        assert (await playout.play(20))[0].ok
        kim = {**LT, "family_name": "KIM"}
        await playout.load(20, "lower-third", kim, "")
        relay.replies_lost = True  # the take reaches the renderer; its answers do not come back
        relay.play_replies_lost = True
        take = asyncio.ensure_future(playout.play(20))
        await wait_for(lambda: playout.health()[0].online is False)
        relay.replies_lost = False  # back online, while the take still waits for its answer
        await wait_for(lambda: playout.health()[0].online is True)
        await asyncio.sleep(0.15)
        relay.play_replies_lost = False
        (o,) = await take
        shown = engine.channel_state(1).layers[0]
        assert o.ok and shown.on_air and shown.data["family_name"] == "KIM"
        # the renderer's state was adopted, not overwritten with the controller's belief
        assert playout.stats.resyncs == 0
        assert playout.desired_state().layers[0].data["family_name"] == "KIM"
    await server.close()


@pytest.mark.asyncio
async def test_an_out_the_renderer_missed_is_sent_again_when_it_answers() -> None:
    engine = RendererEngine("r1")
    relay = Blackout(engine)
    server = await serve(relay, "127.0.0.1", 0)
    states: list[ChannelState] = []
    async with OscPlayout([TargetConfig(*server.address)], **OUTAGE) as playout:
        playout.reconciled.append(states.append)
        await wait_for(lambda: playout.health()[0].online is True)
        await playout.load(20, "lower-third", LT, "")
        assert (await playout.play(20))[0].ok
        relay.requests_lost = True
        (o,) = await playout.stop(20, immediate=True)
        assert o.kind is OutcomeKind.OFFLINE and engine.channel_state(1).layers[0].on_air
        relay.requests_lost = False
        await wait_for(lambda: playout.stats.reconciles == 1)
        assert playout.stats.removals_resent == 1
        assert not engine.channel_state(1).layers[0].on_air
        assert [ls.on_air for ls in states[-1].layers] == [False]
    await server.close()


@pytest.mark.asyncio
async def test_a_ping_is_answered_by_its_pong_and_an_out_sent_during_a_take_wins() -> None:
    engine = RendererEngine("r1")
    relay = Blackout(engine)
    server = await serve(relay, "127.0.0.1", 0)
    async with OscPlayout([TargetConfig(*server.address)], **OUTAGE) as playout:
        link = playout.links[0]
        assert (await link.request(osc_address.Ping(link.next_seq(), 1.0))).ok
        await playout.load(20, "lower-third", LT, "")
        relay.play_replies_lost = True  # the take is done, its answer is slow to come back
        take = asyncio.ensure_future(playout.play(20))
        await asyncio.sleep(0.02)
        (out,) = await playout.stop(20)  # the operator's Out, sent while the take waits
        relay.play_replies_lost = False
        (o,) = await take
        assert out.ok and not engine.channel_state(1).layers[0].on_air
        assert o.kind is OutcomeKind.NACK  # the take's late answer confirms nothing
        assert not playout.desired_state().layers[0].on_air
    await server.close()


@pytest.mark.asyncio
async def test_flat_fields_are_validated_and_removed_fields_cleared() -> None:
    got: list[tuple[str, tuple[Any, ...]]] = []
    sink = await open_udp(
        lambda data, peer: got.extend(
            (t.message.address, t.message.args) for t in parse_packet(data)
        ),
        local=("127.0.0.1", 0),
    )
    target = TargetConfig(*sink.local_address, flat=True, flat_prefix="/gfx/{layer}")
    async with OscPlayout([target], **FAST) as playout:
        (o,) = await playout.load(2, "lower-third", {"family_name": 5}, "")
        assert o.kind is OutcomeKind.NACK and "family_name" in o.reason
        (o,) = await playout.update(2, LT)
        assert o.kind is OutcomeKind.NACK and "nothing loaded" in o.reason
        await asyncio.sleep(0.05)
        assert got == []  # nothing of it was sent
        assert (await playout.load(2, "lower-third", {**LT, "info": "Gold"}, ""))[0].ok
        assert (await playout.update(2, LT))[0].ok
        await wait_for(lambda: ("/gfx/2/data/info", ("",)) in got)
        assert got.count(("/gfx/2/data/info", ("Gold",))) == 1
    sink.close()


@pytest.mark.asyncio
async def test_a_load_too_large_for_a_datagram_is_refused_before_sending() -> None:
    engine = RendererEngine("r1")
    server, _ = await start_renderer(engine)
    big = {**LT, "info": "x" * (osc_address.MAX_UDP_PAYLOAD - 60)}
    async with OscPlayout([TargetConfig(*server.address)], **FAST) as playout:
        (o,) = await playout.load(1, "lower-third", big, "")
        assert o.kind is OutcomeKind.NACK and "use TCP" in o.reason and o.attempts == 0
    async with OscPlayout([TargetConfig(*server.address, tcp=True)], **FAST) as playout:
        (o,) = await playout.load(1, "lower-third", big, "")
        assert o.ok
    await server.close()
