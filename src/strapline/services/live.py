"""The live race in the app: one timing feed (network or the operator's keys) into one
LiveRace, and what the race's graphics need from it, per output.

`LiveRaceService` starts and stops the feed, watches its health (stale after 1.5 s of silence
while a race is armed or running; the operator is told), and gives `view(offset)`: the state,
the moment and the clock offset with which a cue bound to "the live race" is resolved
(strapline.services.bindings). The offset (renderer clock minus ours, from the heartbeats) is
taken once per race start and output and kept unless it moves by more than a frame, so the
start time goes to the renderers once, not with every heartbeat's estimate.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from strapline.domain.live_race import Phase, RaceState
from strapline.domain.rundown import Cue, CueBinding, CueGroup
from strapline.feeds.base import Feed, FeedError, LiveRace
from strapline.feeds.jsonl import JsonLinesDecoder
from strapline.feeds.lynx import LynxScoreboardDecoder
from strapline.feeds.manual import ManualTiming
from strapline.feeds.net import NetworkFeed
from strapline.services.signals import Signal

log = logging.getLogger(__name__)

Protocol = Literal["jsonl", "finishlynx", "manual"]
#: The offset sent with a start is kept while later estimates stay within this (a frame).
OFFSET_HOLD_S = 0.02


@dataclass(frozen=True)
class FeedSpec:
    """Which feed: a protocol, and where it listens (not for manual timing)."""

    protocol: Protocol = "jsonl"
    host: str = "127.0.0.1"
    port: int = 5555
    tcp: bool = False

    @property
    def label(self) -> str:
        if self.protocol == "manual":
            return "manual timing"
        return f"{self.protocol} {'tcp' if self.tcp else 'udp'} {self.host}:{self.port}"


def parse_feed_spec(text: str) -> FeedSpec:
    """'manual', 'jsonl:5555', 'finishlynx:tcp:0.0.0.0:5556', 'jsonl:udp:127.0.0.1:5555';
    ValueError naming what is wrong."""
    parts = text.strip().split(":")
    protocol = parts[0]
    if protocol == "manual" and len(parts) == 1:
        return FeedSpec("manual")
    if protocol not in ("jsonl", "finishlynx"):
        raise ValueError(f"feed {text!r}: protocol must be jsonl, finishlynx or manual")
    rest = parts[1:]
    tcp = False
    if rest and rest[0] in ("udp", "tcp"):
        tcp = rest.pop(0) == "tcp"
    if not rest or len(rest) > 2:
        raise ValueError(f"feed {text!r}: give PROTOCOL[:udp|tcp][:HOST]:PORT, e.g. jsonl:5555")
    host = rest[0] if len(rest) == 2 else "127.0.0.1"
    try:
        port = int(rest[-1])
    except ValueError:
        raise ValueError(f"feed {text!r}: port {rest[-1]!r} is not a number") from None
    if not 0 <= port <= 65535:
        raise ValueError(f"feed {text!r}: port {port} is out of range (0-65535)")
    return FeedSpec(protocol, host, port, tcp)  # type: ignore[arg-type]


@dataclass(frozen=True)
class LiveView:
    """What a live-bound cue is resolved with."""

    state: RaceState
    now: float
    offset: float
    stale: bool


class LiveRaceService:
    """The app's timing feed and live race (plain asyncio, no Qt)."""

    def __init__(self, *, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock
        self.race = LiveRace(clock=clock)
        self.feed: Feed | None = None
        self.spec: FeedSpec | None = None
        self.changed: Signal[[]] = Signal()  # the race or its health changed
        self.message: Signal[[str, str]] = Signal()  # level, text
        self._offsets: dict[str, tuple[float | None, float]] = {}
        self._watch: asyncio.Task[None] | None = None
        self.race.listeners.append(lambda state: self.changed.emit())
        self.race.health_listeners.append(self._on_health)
        self.race.error_listeners.append(self._on_error)
        self._errors_told = 0

    @property
    def state(self) -> RaceState:
        return self.race.state

    @property
    def manual(self) -> ManualTiming | None:
        return self.feed if isinstance(self.feed, ManualTiming) else None

    async def start(self, spec: FeedSpec) -> None:
        """Use this feed (closing the one before); OSError when its port cannot be used."""
        await self.stop()
        if spec.protocol == "manual":
            feed: Feed = ManualTiming(self.race)
        else:
            decoder = JsonLinesDecoder() if spec.protocol == "jsonl" else LynxScoreboardDecoder()
            self.race.stale_after = 1.5
            feed = NetworkFeed(self.race, decoder, spec.host, spec.port, tcp=spec.tcp)
        await feed.start()
        self.feed, self.spec = feed, spec
        if isinstance(feed, NetworkFeed):
            host, port = feed.address
            self.spec = FeedSpec(spec.protocol, host, port, spec.tcp)
        self._watch = asyncio.get_running_loop().create_task(self.race.watch_health())
        self.message.emit("info", f"timing feed: {self.spec.label}")
        self.changed.emit()

    async def stop(self) -> None:
        if self._watch is not None:
            self._watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watch
            self._watch = None
        if self.feed is not None:
            await self.feed.close()
            self.feed = None

    def _on_health(self, stale: bool) -> None:
        if stale:
            self.message.emit("error", "timing feed silent: the race graphics are marked stale")
        else:
            self.message.emit("info", "timing feed back")
        self.changed.emit()

    def _on_error(self, error: FeedError) -> None:
        self._errors_told += 1
        if self._errors_told <= 5:
            self.message.emit("error", f"timing feed: {error}")

    # ---- what cues are resolved with ------------------------------------------------------------

    def offset_for(self, output: str, estimates: Iterable[float | None]) -> float:
        """The clock offset for an output's renderers (the mean of their estimates), held per
        race start unless it moves by more than a frame."""
        known = [e for e in estimates if e is not None]
        estimate = sum(known) / len(known) if known else 0.0
        started = self.state.started_at
        held = self._offsets.get(output)
        if held is not None and held[0] == started and abs(held[1] - estimate) <= OFFSET_HOLD_S:
            return held[1]
        self._offsets[output] = (started, estimate)
        return estimate

    def view(self, offset: float = 0.0) -> LiveView | None:
        """None while no race has been armed."""
        if self.state.phase is Phase.IDLE:
            return None
        now = self.clock()
        return LiveView(self.state, now, offset, self.race.check_health(now))


def live_race_cues() -> CueGroup:
    """A rundown group bound to the live race: the clock, the positions tower and the lap
    chart update on air by themselves; the finish card waits for the winner."""
    live = CueBinding(live=True)
    return CueGroup(
        name="Live race",
        cues=[
            Cue(name="Race clock", graphic="race-clock", binding=live, layer=5, auto_update=True),
            Cue(name="Positions", graphic="positions", binding=live, layer=6, auto_update=True),
            Cue(name="Lap chart", graphic="lap-chart", binding=live, layer=7, auto_update=True),
            Cue(name="Finish", graphic="finish-card", binding=live, layer=31),
        ],
    )
