"""The live race in the services: feeds by spec, health told to the operator, and cues bound
to "the live race" that follow the feed, update on air by themselves and carry each output's
clock offset once per start."""

from __future__ import annotations

import asyncio

import pytest
from service_fakes import RecordingPlayout, make_competition

from strapline.domain.live_race import Arm, Lap, SkaterInfo, Start
from strapline.domain.rundown import Cue, CueBinding, Show
from strapline.services.bindings import resolve
from strapline.services.data import DataService
from strapline.services.live import FeedSpec, LiveRaceService, parse_feed_spec
from strapline.services.playout import PlayoutService
from strapline.services.show import ShowService


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


class HealthyPlayout(RecordingPlayout):
    """A recording playout whose renderer's clock runs `offset` seconds ahead of ours."""

    def __init__(self) -> None:
        super().__init__()
        self.offset = 0.5

    def health(self) -> list[object]:
        from strapline.osc.client import TargetHealth

        return [TargetHealth("r", True, clock_offset_s=self.offset)]


def test_feed_specs() -> None:
    assert parse_feed_spec("manual") == FeedSpec("manual")
    assert parse_feed_spec("jsonl:5555") == FeedSpec("jsonl", "127.0.0.1", 5555, False)
    assert parse_feed_spec("finishlynx:tcp:0.0.0.0:5556") == FeedSpec(
        "finishlynx", "0.0.0.0", 5556, True
    )
    for bad, what in [("lynx:5555", "protocol must be"), ("jsonl", "give PROTOCOL"),
                      ("jsonl:x", "is not a number"), ("jsonl:99999", "out of range")]:  # fmt: skip
        with pytest.raises(ValueError, match=what):
            parse_feed_spec(bad)


CLOCK = Cue(id="clock", graphic="race-clock", binding=CueBinding(live=True), layer=5,
            auto_update=True)  # fmt: skip
BUG = Cue(id="bug", graphic="race-bug", binding=CueBinding(live=True), layer=6)


def _setup(clock: FakeClock) -> tuple[PlayoutService, HealthyPlayout, LiveRaceService]:
    shows = ShowService(Show(theme="broadcast"))
    shows.add_cue(CLOCK)
    shows.add_cue(BUG)
    data = DataService()
    data.set_competition(make_competition(with_results=False))
    pl = HealthyPlayout()
    svc = PlayoutService(shows, data, lambda out: pl)
    live = LiveRaceService(clock=clock)
    svc.attach_live(live)
    return svc, pl, live


def test_live_cues_wait_for_a_race_then_follow_the_feed() -> None:
    clock = FakeClock()
    svc, _, live = _setup(clock)
    waiting = svc.resolve(CLOCK)
    assert waiting.waiting and "no race armed" in waiting.problem
    skaters = (SkaterInfo(helmet=121, name="ROUSSEL Felix", nation="CAN"),)
    live.race.receive(Arm(race="m500-fa", event="Men 500 m", distance_m=500, skaters=skaters))
    clock_data = svc.resolve(CLOCK).data
    assert clock_data is not None and clock_data["laps_to_go"] == 4.5
    bug = svc.resolve(BUG).data  # a graphic of the data, for the race the feed named
    assert bug is not None and bug["event"] == "Men 500 m" and bug["round"] == "Final A"
    live.race.receive(Arm(race="w1000-h1", event="Women 1000 m", laps=9))
    moved = svc.resolve(BUG)
    assert moved.waiting and "no race 'w1000-h1'" in moved.problem
    # without any live race service the cue simply waits
    assert resolve(CLOCK, None).waiting


@pytest.mark.asyncio
async def test_on_air_clock_updates_by_itself_with_the_start_sent_once() -> None:
    clock = FakeClock()
    svc, pl, live = _setup(clock)
    live.race.receive(Arm(race="m500-fa", event="Men 500 m", distance_m=500,
                          skaters=(SkaterInfo(helmet=121),)))  # fmt: skip
    assert (await svc.take("clock")).ok
    clock.now += 10
    live.race.receive(Start())
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    updates = [c[1][1] for c in pl.calls if c[0] == "update"]
    assert updates and updates[-1]["clock_running"]
    # the gun on the renderer's clock: ours plus its offset
    assert updates[-1]["clock_started_at"] == pytest.approx(clock.now + 0.5)
    sent = len(updates)
    pl.offset = 0.505  # a new heartbeat estimate within a frame: nothing is sent again
    clock.now += 1
    live.race.receive(Lap(helmet=121, time=6.02))
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    updates = [c[1][1] for c in pl.calls if c[0] == "update"]
    assert len(updates) == sent + 1 and updates[-1]["laps_to_go"] == 4.0
    assert updates[-1]["clock_started_at"] == pytest.approx(clock.now - 1 + 0.5)


@pytest.mark.asyncio
async def test_a_network_feed_goes_stale_and_tells_the_operator() -> None:
    clock = FakeClock()
    live = LiveRaceService(clock=clock)
    said: list[tuple[str, str]] = []
    live.message.connect(lambda level, text: said.append((level, text)))
    await live.start(FeedSpec("jsonl", "127.0.0.1", 0))
    try:
        assert live.spec is not None and live.spec.port != 0
        loop = asyncio.get_running_loop()
        transport, _ = await loop.create_datagram_endpoint(
            asyncio.DatagramProtocol, remote_addr=(live.spec.host, live.spec.port)
        )
        transport.sendto(b'{"type":"arm","race":"r","laps":9}\n{"type":"start"}')
        transport.sendto(b"not json")
        for _ in range(200):
            if live.state.started_at is not None and live.race.error_count:
                break
            await asyncio.sleep(0.005)
        transport.close()
        clock.now += 1.6
        view = live.view()
        assert view is not None and view.stale
    finally:
        await live.stop()
    levels = [text for level, text in said if level == "error"]
    assert any("not JSON" in t for t in levels)
    assert any("silent" in t for t in levels)
