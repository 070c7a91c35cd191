"""Control input from Stream Deck / Bitfocus Companion, and feedback to them. No Qt.

The listener takes rundown commands on UDP (loopback by default):

    /strapline/v1/control/next       [i 1 | f 1.0 | T | none]   select the next cue
    /strapline/v1/control/previous   ...                        select the previous cue
    /strapline/v1/control/take       ...                        take the selected cue to air
    /strapline/v1/control/out        ...                        take the on-air cue out
    /strapline/v1/control/update     ...                        send fresh data to the on-air cue
    /strapline/v1/control/clear      ...                        clear the output
    /strapline/v1/control/panic      ...                        cut everything now
    /strapline/v1/control/cue        s ID | i N                 select a cue by id, or the Nth

A button press arrives as no argument or 1; a release (0, 0.0 or F) is ignored, so a button
that sends on press and on release acts once. Commands run one after another, in arrival order,
through the application's `ControlHandler`. Anything else is counted, logged and dropped: the
listener never raises and never stalls the loop.

Feedback (`send_feedback`) goes to every configured target, either on Strapline's addresses
(/strapline/v1/feedback/current s, /next s, /on_air i) or as Companion custom variables
(/custom-variable/<prefix>_current/value s, ...), see docs/companion.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from strapline.osc.address import PREFIX
from strapline.osc.codec import Message, OscDecodeError, TypedArg, build_message, parse_packet
from strapline.osc.ratelog import LogLimiter
from strapline.osc.transport import Peer, UdpEndpoint, open_udp

log = logging.getLogger(__name__)

CONTROL_PREFIX = f"{PREFIX}/control/"
FEEDBACK_PREFIX = f"{PREFIX}/feedback/"
DEFAULT_CONTROL_PORT = 9300
#: Commands waiting to run; presses beyond this are dropped (and counted), never queued forever.
QUEUE_LIMIT = 32
BUTTONS = ("next", "previous", "take", "out", "update", "clear", "panic")
MAX_CUE_ID = 200


class ControlHandler(Protocol):
    """What the application does for each control command (the services implement it)."""

    async def next(self) -> None: ...

    async def previous(self) -> None: ...

    async def take(self) -> None: ...

    async def out(self) -> None: ...

    async def cue(self, ref: str | int) -> None:
        """Select a cue: by its id (str) or by its 1-based position in the rundown (int)."""
        ...

    async def update(self) -> None: ...

    async def clear(self) -> None: ...

    async def panic(self) -> None: ...


@dataclass(frozen=True)
class FeedbackTarget:
    """Where feedback goes: Strapline's own addresses, or Companion custom variables."""

    host: str = "127.0.0.1"
    port: int = 12321
    style: Literal["strapline", "companion"] = "companion"
    variable_prefix: str = "strapline"


@dataclass
class ControlCounters:
    packets: int = 0
    commands: int = 0
    releases: int = 0
    malformed: int = 0
    refused: int = 0
    dropped: int = 0  # queue full
    disallowed: int = 0
    failed: int = 0  # the handler raised


Action = tuple[str, str | int | None]


def parse_control(msg: Message) -> Action | None:
    """The action a message asks for; None for a release. ValueError saying what is wrong."""
    if not msg.address.startswith(CONTROL_PREFIX):
        raise ValueError(f"unknown address {msg.address} (control is {CONTROL_PREFIX}...)")
    name = msg.address[len(CONTROL_PREFIX) :]
    if name == "cue":
        if msg.types == "s":
            ref = msg.args[0]
            assert isinstance(ref, str)
            if not ref or len(ref) > MAX_CUE_ID:
                raise ValueError(f"{msg.address}: cue id must be 1-{MAX_CUE_ID} characters")
            return ("cue", ref)
        if msg.types in ("i", "h"):
            index = msg.args[0]
            assert isinstance(index, int)
            if index == 0:
                return None
            if index < 0:
                raise ValueError(f"{msg.address}: cue number {index} is negative")
            return ("cue", index)
        raise ValueError(f"{msg.address}: expects a cue id (s) or number (i), got ,{msg.types}")
    if name not in BUTTONS:
        raise ValueError(f"unknown control {msg.address}; known: {', '.join(BUTTONS)}, cue")
    if msg.types == "":
        return (name, None)
    if len(msg.types) == 1 and msg.types in "ifdhTF":
        value = msg.args[0]
        if value == 0:  # 0, 0.0, False: a button release
            return None
        if value == 1:  # 1, 1.0, True: a press
            return (name, None)
    raise ValueError(f"{msg.address}: a press is no argument or 1, a release 0; got ,{msg.types}")


class ControlListener:
    """Listens for control commands and runs them, in order, on a `ControlHandler`."""

    def __init__(
        self,
        handler: ControlHandler,
        *,
        host: str = "127.0.0.1",
        port: int = DEFAULT_CONTROL_PORT,
        feedback: Sequence[FeedbackTarget] = (),
        allow: set[str] | None = None,
    ) -> None:
        self.handler = handler
        self.host = host
        self.port = port
        self.feedback_targets = list(feedback)
        self.allow = allow
        self.counters = ControlCounters()
        self._log_limit = LogLimiter()
        self._queue: asyncio.Queue[Action] | None = None
        self._worker: asyncio.Task[None] | None = None
        self._endpoint: UdpEndpoint | None = None
        self._feedback: UdpEndpoint | None = None

    async def start(self) -> None:
        """Bind the port (OSError if it is taken) and start running commands."""
        self._queue = asyncio.Queue(QUEUE_LIMIT)
        self._worker = asyncio.create_task(self._run())
        self._endpoint = await open_udp(self.handle_packet, local=(self.host, self.port))
        self._feedback = await open_udp(lambda data, peer: None, local=("0.0.0.0", 0))

    @property
    def address(self) -> Peer:
        assert self._endpoint is not None
        return self._endpoint.local_address

    async def close(self) -> None:
        if self._endpoint is not None:
            self._endpoint.close()
        if self._feedback is not None:
            self._feedback.close()
        if self._worker is not None:
            self._worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._worker

    async def __aenter__(self) -> ControlListener:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def handle_packet(self, data: bytes, peer: Peer) -> None:
        """Take one packet; never raises. Valid presses are queued for the handler."""
        self.counters.packets += 1
        if self.allow is not None and peer[0] not in self.allow:
            self.counters.disallowed += 1
            return
        try:
            timed = parse_packet(data)
        except OscDecodeError as exc:
            self.counters.malformed += 1
            if self._log_limit.allow():
                log.info("control: malformed packet from %s: %s", peer, exc)
            return
        for item in timed:
            try:
                action = parse_control(item.message)
            except ValueError as exc:
                self.counters.refused += 1
                if self._log_limit.allow():
                    log.info("control: %s (from %s)", exc, peer[0])
                continue
            if action is None:
                self.counters.releases += 1
                continue
            if self._queue is None:
                self.counters.dropped += 1
                continue
            try:
                self._queue.put_nowait(action)
            except asyncio.QueueFull:
                self.counters.dropped += 1
                if self._log_limit.allow():
                    log.warning(
                        "control: %s dropped, %d commands already waiting", action[0], QUEUE_LIMIT
                    )

    async def _run(self) -> None:
        assert self._queue is not None
        while True:
            name, ref = await self._queue.get()
            try:
                if name == "cue":
                    assert ref is not None
                    await self.handler.cue(ref)
                else:
                    await getattr(self.handler, name)()
                self.counters.commands += 1
            except asyncio.CancelledError:
                raise
            except Exception:
                self.counters.failed += 1
                log.exception("control: %s failed", name)

    async def drain(self) -> None:
        """Wait until every queued command has run (for tests and orderly shutdown)."""
        while self._queue is not None and not self._queue.empty():
            await asyncio.sleep(0.005)
        await asyncio.sleep(0)

    # --- feedback ----------------------------------------------------------------------------

    def send_feedback(self, current: str, next: str, on_air: bool) -> None:
        """Tell every feedback target the current cue, the next cue and whether it is on air."""
        if self._feedback is None:
            return
        for target in self.feedback_targets:
            for address, args in feedback_messages(target, current, next, on_air):
                self._feedback.send(build_message(address, args), (target.host, target.port))


def feedback_messages(
    target: FeedbackTarget, current: str, next: str, on_air: bool
) -> list[tuple[str, list[TypedArg]]]:
    """The messages one feedback target gets, in its style."""
    if target.style == "strapline":
        return [
            (f"{FEEDBACK_PREFIX}current", [("s", current)]),
            (f"{FEEDBACK_PREFIX}next", [("s", next)]),
            (f"{FEEDBACK_PREFIX}on_air", [("i", int(on_air))]),
        ]
    p = target.variable_prefix
    return [
        (f"/custom-variable/{p}_current/value", [("s", current)]),
        (f"/custom-variable/{p}_next/value", [("s", next)]),
        (f"/custom-variable/{p}_on_air/value", [("s", "1" if on_air else "0")]),
    ]
