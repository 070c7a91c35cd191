"""Feedback to Stream Deck / Bitfocus Companion and other OSC receivers. No Qt.

On every change Strapline tells each feedback target (`--feedback HOST:PORT`) what the desk
shows, in two forms at once, so one target serves Companion and any other OSC receiver:

* Companion custom variables, through Companion's OSC API (`/custom-variable/<name>/value`,
  a string): `strapline_selected`, `strapline_next`, per output `strapline_<output>_on_air`,
  `strapline_<output>_cued` and `strapline_<output>_online` ("1" or "0"), per cue number N of
  the rundown `strapline_cue_N_name` and `strapline_cue_N_tally`, and `strapline_on_air` ("1"
  when anything is on air). Companion ignores the second form.
* Strapline's own addresses under /strapline/v1/feedback/ (see docs/companion.md): the same
  values with their natural types (online and on_air as integers 0/1).

Only what changed since the last send goes out (a take sends a handful of datagrams); `resend`
sends everything again (a Companion that restarted, every few seconds).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from strapline.osc.address import PREFIX
from strapline.osc.codec import TypedArg, build_message
from strapline.osc.transport import UdpEndpoint, open_udp

FEEDBACK_PREFIX = f"{PREFIX}/feedback"
VARIABLE_PREFIX = "strapline"
#: Tally words a cue can have (as the rundown's state column says them).
TALLIES = ("on-air", "pending", "cued", "ready", "waiting", "invalid")


@dataclass(frozen=True)
class FeedbackTarget:
    host: str
    port: int

    @property
    def label(self) -> str:
        return f"{self.host}:{self.port}"


def parse_target(text: str) -> FeedbackTarget:
    """`HOST:PORT` (an IPv6 host in brackets: `[::1]:12321`); ValueError saying what is wrong."""
    host, sep, port = text.strip().rpartition(":")
    host = host.strip("[]")
    if not sep or not host:
        raise ValueError(f"{text!r}: write a feedback target as HOST:PORT, e.g. 127.0.0.1:12321")
    if not port.isdigit() or not 1 <= int(port) <= 65535:
        raise ValueError(f"{text!r}: the port must be 1-65535")
    return FeedbackTarget(host, int(port))


@dataclass(frozen=True)
class OutputFeedback:
    id: str
    on_air: str = ""  # the on-air cue's title ("" when none), over every layer
    on_air_id: str = ""
    cued: str = ""
    cued_id: str = ""
    online: bool = False


@dataclass(frozen=True)
class CueFeedback:
    number: int  # 1-based, as /strapline/v1/control/cue N counts
    id: str
    name: str
    tally: str  # one of TALLIES


@dataclass(frozen=True)
class Feedback:
    """What the desk shows, for the buttons."""

    selected: str = ""
    selected_id: str = ""
    next: str = ""
    next_id: str = ""
    outputs: tuple[OutputFeedback, ...] = ()
    cues: tuple[CueFeedback, ...] = field(default_factory=tuple)

    @property
    def on_air(self) -> bool:
        return any(o.on_air_id for o in self.outputs)


def _name(text: str) -> str:
    """An output id as it can stand in an OSC address and a Companion variable name."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", text) or "_"


def companion_values(fb: Feedback, prefix: str = VARIABLE_PREFIX) -> dict[str, str]:
    """Custom variable name -> value (Companion's custom variables are strings)."""
    values = {
        f"{prefix}_selected": fb.selected,
        f"{prefix}_next": fb.next,
        f"{prefix}_on_air": "1" if fb.on_air else "0",
    }
    for out in fb.outputs:
        o = _name(out.id)
        values[f"{prefix}_{o}_on_air"] = out.on_air
        values[f"{prefix}_{o}_cued"] = out.cued
        values[f"{prefix}_{o}_online"] = "1" if out.online else "0"
    for cue in fb.cues:
        values[f"{prefix}_cue_{cue.number}_name"] = cue.name
        values[f"{prefix}_cue_{cue.number}_tally"] = cue.tally
    return values


def strapline_values(fb: Feedback) -> dict[str, TypedArg]:
    """Address -> typed argument, on Strapline's own feedback addresses."""
    p = FEEDBACK_PREFIX
    values: dict[str, TypedArg] = {
        f"{p}/selected": ("s", fb.selected),
        f"{p}/selected_id": ("s", fb.selected_id),
        f"{p}/next": ("s", fb.next),
        f"{p}/next_id": ("s", fb.next_id),
        f"{p}/on_air": ("i", int(fb.on_air)),
    }
    for out in fb.outputs:
        o = f"{p}/output/{_name(out.id)}"
        values[f"{o}/on_air"] = ("s", out.on_air)
        values[f"{o}/on_air_id"] = ("s", out.on_air_id)
        values[f"{o}/cued"] = ("s", out.cued)
        values[f"{o}/cued_id"] = ("s", out.cued_id)
        values[f"{o}/online"] = ("i", int(out.online))
    for cue in fb.cues:
        values[f"{p}/cue/{cue.number}/name"] = ("s", cue.name)
        values[f"{p}/cue/{cue.number}/id"] = ("s", cue.id)
        values[f"{p}/cue/{cue.number}/tally"] = ("s", cue.tally)
    return values


def feedback_messages(fb: Feedback, prefix: str = VARIABLE_PREFIX) -> dict[str, TypedArg]:
    """Every message of both forms: OSC address -> its one typed argument."""
    messages: dict[str, TypedArg] = {
        f"/custom-variable/{name}/value": ("s", value)
        for name, value in companion_values(fb, prefix).items()
    }
    messages.update(strapline_values(fb))
    return messages


class FeedbackSender:
    """Sends feedback to its targets over UDP, only what changed since the last send."""

    def __init__(self, targets: Sequence[FeedbackTarget], prefix: str = VARIABLE_PREFIX) -> None:
        self.targets = list(targets)
        self.prefix = prefix
        self.sent = 0  # datagrams, all targets together
        self._last: dict[str, TypedArg] = {}
        self._endpoint: UdpEndpoint | None = None

    async def start(self) -> None:
        self._endpoint = await open_udp(lambda _data, _peer: None, local=("0.0.0.0", 0))

    def close(self) -> None:
        if self._endpoint is not None:
            self._endpoint.close()
            self._endpoint = None

    def set_targets(self, targets: Sequence[FeedbackTarget]) -> None:
        """New targets get everything at the next publish."""
        self.targets = list(targets)
        self._last.clear()

    def publish(self, fb: Feedback) -> int:
        """Send what changed; returns the number of messages sent to each target."""
        messages = feedback_messages(fb, self.prefix)
        changed = {a: v for a, v in messages.items() if self._last.get(a) != v}
        self._last = messages
        self._send(changed)
        return len(changed)

    def resend(self) -> None:
        """Everything again (a receiver that restarted has lost it all)."""
        self._send(self._last)

    def _send(self, messages: dict[str, TypedArg]) -> None:
        if self._endpoint is None or not messages:
            return
        datagrams = [build_message(address, [arg]) for address, arg in messages.items()]
        for target in self.targets:
            for datagram in datagrams:
                self._endpoint.send(datagram, (target.host, target.port))
                self.sent += 1
