"""The feed interface and the live race it feeds: state, errors, health."""

from __future__ import annotations

import asyncio
import logging
import time
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from strapline.domain.live_race import STALE_AFTER_S, RaceState, TimingMessage, apply, is_stale

log = logging.getLogger(__name__)

#: Longest line a feed may send (bytes); a longer one is refused and skipped.
MAX_LINE = 65_536
#: Errors kept for the operator to read.
ERRORS_KEPT = 100


@dataclass(frozen=True)
class FeedError:
    """A piece of feed input that could not be read: where it came from and what is wrong."""

    where: str  # e.g. "udp 127.0.0.1:50211, datagram 12, line 1"
    message: str
    text: str = ""  # the start of the offending input, for the log

    def __str__(self) -> str:
        shown = f" ({self.text[:60]!r})" if self.text else ""
        return f"{self.where}: {self.message}{shown}"


class LineError(ValueError):
    """A line a decoder cannot read; the message says what is wrong (the caller says where)."""


class LineDecoder(Protocol):
    """Turns one line of a feed into timing messages (none for a line that says nothing new);
    raises LineError for a line it cannot read, changing nothing of its own state then."""

    name: str

    def decode(self, line: bytes) -> list[TimingMessage]: ...


class LiveRace:
    """The live race: the state the feed built, the errors it made, and its health.

    `receive` applies a message; `fail` records an error (the state stays as it was);
    `check_health(now)` marks the race stale when the feed has been silent too long for a race
    that needs it, and tells the listeners when that changes. The clock is injected.
    """

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.time,
        stale_after: float | None = STALE_AFTER_S,
    ) -> None:
        self.clock = clock
        self.stale_after = stale_after  # None: never stale (manual timing)
        self.state = RaceState()
        self.errors: deque[FeedError] = deque(maxlen=ERRORS_KEPT)
        self.error_count = 0
        self.stale = False
        #: Called with the new state after every message that changed it.
        self.listeners: list[Callable[[RaceState], None]] = []
        #: Called with True/False when the race goes stale or fresh again.
        self.health_listeners: list[Callable[[bool], None]] = []
        #: Called with every error.
        self.error_listeners: list[Callable[[FeedError], None]] = []

    def receive(self, message: TimingMessage, received: float | None = None) -> RaceState:
        before = self.state
        self.state = apply(before, message, self.clock() if received is None else received)
        changed = _visible(before) != _visible(self.state)
        if changed:
            for listener in list(self.listeners):
                listener(self.state)
        self.check_health(self.state.last_heard)
        return self.state

    def fail(self, error: FeedError) -> None:
        self.errors.append(error)
        self.error_count += 1
        if self.error_count <= 10 or self.error_count % 100 == 0:
            log.warning("timing feed: %s", error)
        for listener in list(self.error_listeners):
            listener(error)

    def check_health(self, now: float | None = None) -> bool:
        """Whether the race is stale now; listeners hear of a change."""
        now = self.clock() if now is None else now
        stale = self.stale_after is not None and is_stale(self.state, now, self.stale_after)
        if stale != self.stale:
            self.stale = stale
            for listener in list(self.health_listeners):
                listener(stale)
        return stale

    async def watch_health(self, period: float = 0.1) -> None:
        """Check health every `period` seconds until cancelled."""
        while True:
            self.check_health()
            await asyncio.sleep(period)


def _visible(state: RaceState) -> tuple[object, ...]:
    """What of a state a listener cares about (not the health counters)."""
    return (
        state.race, state.phase, state.started_at, state.finish_ms, state.passings,
        state.finishes, state.falls, state.marks, state.leader_count, state.skaters,
        state.laps, state.restarts,
    )  # fmt: skip


class Feed(ABC):
    """A source of timing messages for a LiveRace."""

    name: str = "feed"

    def __init__(self, race: LiveRace) -> None:
        self.race = race

    @abstractmethod
    async def start(self) -> None:
        """Begin delivering (bind sockets...); OSError when that cannot be done."""

    @abstractmethod
    async def close(self) -> None:
        """Stop delivering and free what start took."""

    def deliver_line(self, decoder: LineDecoder, line: bytes, where: str) -> int:
        """Decode one line and apply its messages; a bad line becomes a FeedError and changes
        nothing. Returns the number of messages applied."""
        if not line.strip():
            return 0
        received = self.race.clock()
        try:
            messages = decoder.decode(line)
        except LineError as exc:
            self.race.fail(FeedError(where, str(exc), line[:200].decode("utf-8", "replace")))
            return 0
        for message in messages:
            self.race.receive(message, received)
        return len(messages)
