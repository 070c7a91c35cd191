"""Timing feeds: the JSON-lines and FinishLynx readers (bad input included), UDP and TCP
transport, manual timing and feed health. Clocks are injected; ports are bound to 0."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from strapline.domain.live_race import (
    Arm,
    Phase,
    Start,
    elapsed_ms,
    laps_to_go,
    standings,
)
from strapline.feeds.base import FeedError, LineError, LiveRace
from strapline.feeds.jsonl import JsonLinesDecoder
from strapline.feeds.lynx import LynxScoreboardDecoder, parse_time
from strapline.feeds.manual import ManualTiming
from strapline.feeds.net import NetworkFeed, split_lines

REPO = Path(__file__).resolve().parents[2]


class FakeClock:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


GOOD = [
    b'{"type":"arm","race":"m1000-fa","event":"Men 1000 m","laps":9,'
    b'"skaters":[{"helmet":5,"name":"LEE Dong Hyun","nation":"KOR"},{"helmet":2}]}',
    b'{"type":"start"}',
    b'{"type":"lap","helmet":5,"time":12.58}',
    b'{"type":"lap","helmet":2,"time":12.31}',
]
BAD = [
    (b'{"type":"lap","helmet":5,"time":', "not JSON"),
    (b'{"type":"lapp","helmet":5,"time":3}', "unknown message type 'lapp'"),
    (b'{"helmet":5,"time":3}', "no 'type' field"),
    (b'{"type":"lap","helmet":"five","time":3}', "lap message: helmet"),
    (b'{"type":"lap","helmet":5,"time":-1}', "lap message: time"),
    (b'{"type":"lap","helmet":5,"time":3,"speed":50}', "lap message: speed"),
    (b'{"type":"mark","helmet":5,"code":"XX"}', "mark message: code"),
    (b"\xff\xfe{}", "not UTF-8 at byte 0"),
    (b"[1, 2]", "a message is a JSON object"),
]


def test_jsonl_bad_lines_name_what_and_leave_the_state_alone() -> None:
    clock = FakeClock()
    race = LiveRace(clock=clock)
    feed = _LineFeed(race, JsonLinesDecoder())
    for line in GOOD:
        feed.line(line)
    before = race.state
    for number, (line, what) in enumerate(BAD, 1):
        assert feed.line(line, f"test line {number}") == 0
        assert race.state == before  # unchanged...
        assert what in race.errors[-1].message, race.errors[-1]
        assert race.errors[-1].where == f"test line {number}"
    assert race.error_count == len(BAD)
    # ...and nothing lost: the next good line goes through
    feed.line(b'{"type":"lap","helmet":5,"time":21.56}')
    assert [p.crossing for p in race.state.passings if p.helmet == 5] == [1, 2]
    assert str(race.errors[0]).startswith("test line 1: not JSON")


class _LineFeed(ManualTiming):
    """A feed that takes lines from the test (the transport-free part of every feed)."""

    def __init__(self, race: LiveRace, decoder: JsonLinesDecoder | LynxScoreboardDecoder) -> None:
        super().__init__(race)
        race.stale_after = 1.5
        self.decoder = decoder

    def line(self, data: bytes, where: str = "test") -> int:
        return self.deliver_line(self.decoder, data, where)


LYNX_RACE = [
    b"SLX|I",
    b"SLX|LH|UNOFFICIAL|Men 500 m Final A|12|1|1|4",
    b"SLX|L||1|117|NIKISHA Denis|KAZ|||||",
    b"SLX|L||2|161|ROUSSEL Felix|CAN|||||",
    b"SLX|LE",
    b"SLX|T|A|0.0",
    b"SLX|T|A|0.0",
    b"SLX|T|R|1.2",
    b"SLX|T|R|2.3",
    b"SLX|RH|UNOFFICIAL|Men 500 m Final A|12|1|1|2",
    b"SLX|R|1|1|117|NIKISHA Denis|KAZ|||5.91|5.91|4",
    b"SLX|R|2|2|161|ROUSSEL Felix|CAN||0.11|6.02|6.02|4",
    b"SLX|RE",
    b"SLX|T|S|41.48",
    b"SLX|RH|OFFICIAL|Men 500 m Final A|12|1|1|2",
    b"SLX|R|1|2|161|ROUSSEL Felix|CAN|41.52||41.52|8.72|0",
    b"SLX|R|PEN|1|117|NIKISHA Denis|KAZ|41.48||41.48|8.77|0",
    b"SLX|RE",
]


def test_lynx_scoreboard_stream_drives_the_race() -> None:
    clock = FakeClock()
    race = LiveRace(clock=clock)
    feed = _LineFeed(race, LynxScoreboardDecoder())
    t0 = clock.now
    for i, line in enumerate(LYNX_RACE):
        clock.now = t0 + {7: 11.3, 8: 12.38}.get(i, i * 0.01 if i < 7 else 20.0 + i)
        feed.line(line + b"\r\n")
        if i == 6:
            assert race.state.phase is Phase.ARMED and race.state.race == "12-1-1"
            assert [s.name for s in race.state.skaters] == ["NIKISHA Denis", "ROUSSEL Felix"]
        if i == 8:
            assert race.state.phase is Phase.RUNNING
            assert race.state.started_at == pytest.approx(t0 + 10.08)
        if i == 12:
            assert [p.helmet for p in race.state.passings] == [117, 161]
    assert race.error_count == 0, list(race.errors)
    state = race.state
    assert state.phase is Phase.OFFICIAL
    assert elapsed_ms(state, clock.now + 100) == 41_480
    assert [(r.place, r.skater.helmet) for r in standings(state)] == [(1, 161), (None, 117)]


@pytest.mark.parametrize(
    ("line", "what"),
    [
        (b"LYNX 12.3", "no 'SLX|'"),
        (b"SLX|T|X|1.0", "unknown timer state 'X'"),
        (b"SLX|T|R|1:2x", "running time '1:2x' is not a time"),
        (b"SLX|T|R", "a time record has 4 fields, this one 3"),
        (b"SLX|Q", "unknown record type 'Q'"),
        (b"SLX|R|1|1|117|NIKISHA|KAZ|||5.91|5.91", "a result line has 12 fields, this one 11"),
        (b"SLX|R|1|x|abc|NIKISHA|KAZ|||5.91|5.91|4", "neither the id 'abc' nor the lane 'x'"),
        (b"SLX|R|1|1|117|NIKISHA|KAZ|||5.91|5.91|four", "laps to go 'four'"),
        (b"SLX|R|1|1|117|NIKISHA|KAZ|||5.91|5.91|4", "before its header"),
        (b"SLX|RE", "without its header"),
        (b"SLX|LH|x|y", "a header has 8 fields"),
    ],
)
def test_lynx_bad_records_are_refused(line: bytes, what: str) -> None:
    race = LiveRace(clock=FakeClock())
    feed = _LineFeed(race, LynxScoreboardDecoder())
    feed.line(b"SLX|T|R|1.0")
    before = race.state
    feed.line(line, "lynx line 2")
    assert race.state == before
    assert race.error_count == 1 and what in race.errors[0].message, race.errors[0]
    assert race.errors[0].where == "lynx line 2"


def test_parse_time_forms() -> None:
    assert parse_time("41.48") == pytest.approx(41.48)
    assert parse_time(" 1:24.245 ") == pytest.approx(84.245)
    assert parse_time("1:02:03.4") == pytest.approx(3723.4)
    assert parse_time("") is None
    with pytest.raises(LineError, match="not a time"):
        parse_time("1.2.3")


def test_split_lines_keeps_the_unfinished_rest() -> None:
    assert split_lines(b"a\r\nb\nc\rd") == ([b"a", b"b", b"c"], b"d")
    assert split_lines(b"a\r") == ([b"a"], b"")


def test_manual_timing_runs_the_clock_and_counts_laps() -> None:
    clock = FakeClock()
    race = LiveRace(clock=clock)
    keys = ManualTiming(race)
    keys.arm("m500-fa", event="Men 500 m", distance_m=500)
    assert laps_to_go(race.state) == 4.5
    clock.now += 5
    keys.start_race()
    t0 = clock.now
    clock.now += 6.0
    keys.leader_lap()
    assert laps_to_go(race.state) == 4.0
    clock.now += 9.0
    keys.leader_lap()
    assert laps_to_go(race.state) == 3.0 and elapsed_ms(race.state, clock.now) == 15_000
    keys.recall()
    assert race.state.phase is Phase.ARMED and laps_to_go(race.state) == 4.5
    keys.start_race()
    t0 = clock.now
    clock.now += 41.234
    keys.finish()
    assert race.state.phase is Phase.FINISHED
    clock.now += 30
    assert elapsed_ms(race.state, clock.now) == 41_234 and laps_to_go(race.state) == 0
    assert race.state.started_at == t0
    # the operator is the feed: never stale, however long nothing comes
    clock.now += 3600
    assert race.check_health() is False


def test_health_goes_stale_after_silence_and_back() -> None:
    clock = FakeClock()
    race = LiveRace(clock=clock, stale_after=1.5)
    changes: list[bool] = []
    race.health_listeners.append(changes.append)
    race.receive(Arm(race="r", laps=9))
    race.receive(Start())
    clock.now += 1.4
    assert race.check_health() is False
    clock.now += 0.2
    assert race.check_health() is True
    race.receive(Arm(race="r", laps=9))  # anything heard: fresh again
    assert changes == [True, False]
    assert race.state.restarts == 1


async def _wait_for(predicate: object, timeout: float = 2.0) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not predicate():  # type: ignore[operator]
        if loop.time() > end:
            raise AssertionError("timed out waiting")
        await asyncio.sleep(0.005)


@pytest.mark.asyncio
async def test_udp_feed_reads_datagrams_with_several_lines() -> None:
    race = LiveRace()
    feed = NetworkFeed(race, JsonLinesDecoder(), "127.0.0.1", 0)
    await feed.start()
    try:
        loop = asyncio.get_running_loop()
        transport, _ = await loop.create_datagram_endpoint(
            asyncio.DatagramProtocol, remote_addr=feed.address
        )
        transport.sendto(b"\n".join(GOOD[:2]) + b"\n")
        transport.sendto(GOOD[2] + b"\n" + BAD[0][0] + b"\n" + GOOD[3])
        await _wait_for(lambda: len(race.state.passings) == 2 and race.error_count == 1)
        transport.close()
    finally:
        await feed.close()
    assert race.state.race == "m1000-fa"
    error = race.errors[0]
    assert error.where.startswith("udp 127.0.0.1:") and error.where.endswith("datagram 2, line 2")


@pytest.mark.asyncio
async def test_tcp_feed_joins_lines_split_across_packets() -> None:
    race = LiveRace()
    errors: list[FeedError] = []
    race.error_listeners.append(errors.append)
    feed = NetworkFeed(race, JsonLinesDecoder(), "127.0.0.1", 0, tcp=True)
    await feed.start()
    try:
        _reader, writer = await asyncio.open_connection(*feed.address)
        data = b"\r\n".join(GOOD) + b"\r\n" + b"x" * 70_000 + b"\n" + GOOD[3] + b"\n"
        for i in range(0, len(data), 7_001):
            writer.write(data[i : i + 7_001])
            await writer.drain()
        writer.write(b'{"type":"lap","helmet":5,"time":21.56}')  # no line end: closes the line
        writer.close()
        await writer.wait_closed()
        await _wait_for(lambda: len(race.state.passings) == 3)
    finally:
        await feed.close()
    assert [e.message for e in errors] == ["line longer than 65536 bytes"]
    assert errors[0].where.startswith("tcp 127.0.0.1:") and errors[0].where.endswith("line 5")
    assert race.state.phase is Phase.RUNNING


def test_the_demo_race_decodes_without_an_error() -> None:
    """Every line of the shipped demo race is a good message; it holds each kind the demo
    promises (a fall, a penalty at the line, the finish and the official status)."""
    import json
    from collections import Counter

    decoder = JsonLinesDecoder()
    text = (REPO / "src/strapline/data/demo/feeds/race-men-1000m-final.feed").read_text("utf-8")
    header, *entries = text.splitlines()
    assert json.loads(header)["demo"] is True
    kinds: Counter[str] = Counter()
    for raw in entries:
        for message in decoder.decode(json.loads(raw)["data"].encode()):
            kinds[message.type] += 1
    assert kinds["arm"] == 1 and kinds["start"] == 1 and kinds["fall"] == 1
    assert kinds["lap"] == 5 * 8 and kinds["finish"] == 5 and kinds["mark"] == 1
    assert kinds["status"] == 1 and kinds["heartbeat"] > 100


@pytest.mark.asyncio
@pytest.mark.parametrize("tcp", [False, True])
async def test_finishlynx_stream_over_the_network(tcp: bool) -> None:
    """The FinishLynx stream as the shipped script sends it (CR LF records), over UDP (several
    records a datagram) and TCP (cut anywhere)."""
    race = LiveRace()
    feed = NetworkFeed(race, LynxScoreboardDecoder(), "127.0.0.1", 0, tcp=tcp)
    await feed.start()
    data = b"".join(line + b"\r\n" for line in LYNX_RACE)
    try:
        if tcp:
            _reader, writer = await asyncio.open_connection(*feed.address)
            for i in range(0, len(data), 17):
                writer.write(data[i : i + 17])
                await writer.drain()
            writer.close()
            await writer.wait_closed()
        else:
            loop = asyncio.get_running_loop()
            transport, _ = await loop.create_datagram_endpoint(
                asyncio.DatagramProtocol, remote_addr=feed.address
            )
            for i in range(0, len(LYNX_RACE), 4):
                transport.sendto(b"".join(line + b"\r\n" for line in LYNX_RACE[i : i + 4]))
                await asyncio.sleep(0.01)
            transport.close()
        await _wait_for(lambda: race.state.phase is Phase.OFFICIAL)
    finally:
        await feed.close()
    assert race.error_count == 0, list(race.errors)
    assert [(r.place, r.skater.helmet) for r in standings(race.state)] == [(1, 161), (None, 117)]
