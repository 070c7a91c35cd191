"""Strapline's OSC address space, version 1 (documented in docs/osc.md).

Controller to renderer (every control message starts with a sequence number, int32):

    /strapline/v1/channel/C/layer/L/load    ,isss  seq graphic theme data-json
    /strapline/v1/channel/C/layer/L/play    ,ii    seq step (-1: take in, or the next step)
    /strapline/v1/channel/C/layer/L/update  ,is    seq data-json
    /strapline/v1/channel/C/layer/L/stop    ,iT|iF seq immediate
    /strapline/v1/channel/C/layer/L/clear   ,i     seq
    /strapline/v1/channel/C/clear           ,i     seq
    /strapline/v1/channel/C/state/get       ,i     seq
    /strapline/v1/channel/C/state/set       ,is    seq channel-state-json (resync)
    /strapline/v1/panic                     ,i     seq
    /strapline/v1/ping                      ,id    seq sent (sender's clock, seconds)

Renderer to controller (to the address the request came from):

    /strapline/v1/ack                       ,is    seq renderer-id
    /strapline/v1/nack                      ,iss   seq renderer-id reason
    /strapline/v1/channel/C/state           ,iss   seq renderer-id channel-state-json
    /strapline/v1/pong                      ,idsddi seq sent renderer-id clock started late-frames

This module builds those datagrams and turns parsed messages back into typed commands and
replies; it knows nothing of sockets.
"""

from __future__ import annotations

import json
import re
import struct
from dataclasses import dataclass
from typing import Any

from strapline.osc.codec import Message, build_message

VERSION = 1
PREFIX = f"/strapline/v{VERSION}"

#: Largest data JSON accepted in one load or update (UTF-8 bytes): fits one UDP datagram.
MAX_DATA_BYTES = 64 * 1024
#: Largest channel state accepted in one resync or report (UTF-8 bytes of its JSON).
MAX_STATE_BYTES = 1024 * 1024
#: Largest UDP payload over IPv4; a packet must fit it whole.
MAX_UDP_PAYLOAD = 65_507
#: A state whose JSON is longer than this goes in parts (`state/part`, `state/set/part`), each
#: carrying at most this many bytes of the JSON text, cut between characters.
STATE_PART_BYTES = 48 * 1024
#: Parts of one state, at most (MAX_STATE_BYTES / STATE_PART_BYTES, rounded up).
MAX_STATE_PARTS = -(-MAX_STATE_BYTES // STATE_PART_BYTES)
#: Channels and layers are small positive numbers.
MAX_CHANNEL = 999
MAX_LAYER = 9999
#: Step -1 in play: take the graphic in, or go to its next step when it is on air.
NEXT_STEP = -1
#: Ends the reason of a nack for a retry whose layer changed after the command was done (its
#: ack would be stale): the controller asks for the state instead of believing either answer.
STALE = "ask for the state"

_LAYER_RE = re.compile(
    r"^/strapline/v1/channel/(\d{1,3})/layer/(\d{1,4})/(load|play|update|stop|clear)$"
)
_CHANNEL_RE = re.compile(
    r"^/strapline/v1/channel/(\d{1,3})/(clear|state/get|state/set/part|state/set|state/part|state)$"
)


class ProtocolError(ValueError):
    """A well-formed OSC message that is not a valid message of the address space.

    `seq` is the sequence number when it could be read, so the sender can be answered.
    """

    def __init__(self, message: str, seq: int | None = None) -> None:
        super().__init__(message)
        self.seq = seq


# --- commands (controller to renderer) ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Load:
    seq: int
    channel: int
    layer: int
    graphic: str
    theme: str
    data: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Play:
    seq: int
    channel: int
    layer: int
    step: int = NEXT_STEP


@dataclass(frozen=True, slots=True)
class Update:
    seq: int
    channel: int
    layer: int
    data: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Stop:
    seq: int
    channel: int
    layer: int
    immediate: bool = False


@dataclass(frozen=True, slots=True)
class ClearLayer:
    seq: int
    channel: int
    layer: int


@dataclass(frozen=True, slots=True)
class ClearChannel:
    seq: int
    channel: int


@dataclass(frozen=True, slots=True)
class GetState:
    seq: int
    channel: int


@dataclass(frozen=True, slots=True)
class SetState:
    seq: int
    channel: int
    state: dict[str, Any]


@dataclass(frozen=True, slots=True)
class SetStatePart:
    """One part of a state too large for one datagram: parts of the same seq, joined in index
    order, are the state's JSON text; the whole is one SetState with that seq."""

    seq: int
    channel: int
    index: int
    count: int
    text: str


@dataclass(frozen=True, slots=True)
class Panic:
    seq: int


@dataclass(frozen=True, slots=True)
class Ping:
    seq: int
    sent: float


Command = (
    Load
    | Play
    | Update
    | Stop
    | ClearLayer
    | ClearChannel
    | GetState
    | SetState
    | SetStatePart
    | Panic
    | Ping
)


# --- replies (renderer to controller) ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Ack:
    seq: int
    renderer: str


@dataclass(frozen=True, slots=True)
class Nack:
    seq: int
    renderer: str
    reason: str


@dataclass(frozen=True, slots=True)
class StateReport:
    seq: int
    renderer: str
    channel: int
    state: dict[str, Any]


@dataclass(frozen=True, slots=True)
class StatePart:
    """One part of a state report too large for one datagram (see SetStatePart)."""

    seq: int
    renderer: str
    channel: int
    index: int
    count: int
    text: str


@dataclass(frozen=True, slots=True)
class Pong:
    seq: int
    sent: float
    renderer: str
    clock: float
    started: float
    late_frames: int


Reply = Ack | Nack | StateReport | StatePart | Pong


# --- building -----------------------------------------------------------------------------------


def _json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def layer_address(channel: int, layer: int, verb: str) -> str:
    return f"{PREFIX}/channel/{channel}/layer/{layer}/{verb}"


def channel_address(channel: int, verb: str) -> str:
    return f"{PREFIX}/channel/{channel}/{verb}"


def build(command: Command) -> bytes:
    """The datagram of one command."""
    match command:
        case Load(seq, ch, layer, graphic, theme, data):
            return build_message(
                layer_address(ch, layer, "load"),
                [("i", seq), ("s", graphic), ("s", theme), ("s", _json(data))],
            )
        case Play(seq, ch, layer, step):
            return build_message(layer_address(ch, layer, "play"), [("i", seq), ("i", step)])
        case Update(seq, ch, layer, data):
            return build_message(
                layer_address(ch, layer, "update"), [("i", seq), ("s", _json(data))]
            )
        case Stop(seq, ch, layer, immediate):
            flag = "T" if immediate else "F"
            return build_message(layer_address(ch, layer, "stop"), [("i", seq), (flag, immediate)])
        case ClearLayer(seq, ch, layer):
            return build_message(layer_address(ch, layer, "clear"), [("i", seq)])
        case ClearChannel(seq, ch):
            return build_message(channel_address(ch, "clear"), [("i", seq)])
        case GetState(seq, ch):
            return build_message(channel_address(ch, "state/get"), [("i", seq)])
        case SetState(seq, ch, state):
            return build_message(
                channel_address(ch, "state/set"), [("i", seq), ("s", _json(state))]
            )
        case SetStatePart(seq, ch, index, count, text):
            return build_message(
                channel_address(ch, "state/set/part"),
                [("i", seq), ("i", index), ("i", count), ("s", text)],
            )
        case Panic(seq):
            return build_message(f"{PREFIX}/panic", [("i", seq)])
        case Ping(seq, sent):
            return build_message(f"{PREFIX}/ping", [("i", seq), ("d", sent)])
    raise TypeError(f"not a command: {command!r}")  # pragma: no cover


def build_reply(reply: Reply) -> bytes:
    """The datagram of one reply."""
    match reply:
        case Ack(seq, renderer):
            return build_message(f"{PREFIX}/ack", [("i", seq), ("s", renderer)])
        case Nack(seq, renderer, reason):
            return build_message(f"{PREFIX}/nack", [("i", seq), ("s", renderer), ("s", reason)])
        case StateReport(seq, renderer, ch, state):
            return build_message(
                channel_address(ch, "state"), [("i", seq), ("s", renderer), ("s", _json(state))]
            )
        case StatePart(seq, renderer, ch, index, count, text):
            return build_message(
                channel_address(ch, "state/part"),
                [("i", seq), ("s", renderer), ("i", index), ("i", count), ("s", text)],
            )
        case Pong(seq, sent, renderer, clock, started, late):
            return build_message(
                f"{PREFIX}/pong",
                [
                    ("i", seq),
                    ("d", sent),
                    ("s", renderer),
                    ("d", clock),
                    ("d", started),
                    ("i", min(late, 2**31 - 1)),
                ],
            )
    raise TypeError(f"not a reply: {reply!r}")  # pragma: no cover


def split_text(text: str, part_bytes: int = STATE_PART_BYTES) -> list[str]:
    """A JSON text cut into pieces of at most `part_bytes` UTF-8 bytes, between characters."""
    data = text.encode("utf-8")
    parts: list[str] = []
    start = 0
    while start < len(data):
        end = min(start + part_bytes, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # inside a character
            end -= 1
        parts.append(data[start:end].decode("utf-8"))
        start = end
    return parts or [""]


def state_set_commands(seq: int, channel: int, state: dict[str, Any]) -> list[Command]:
    """A resync as one SetState, or as SetStateParts (same seq) when it is too large for one
    datagram."""
    text = _json(state)
    if len(text.encode("utf-8")) <= STATE_PART_BYTES:
        return [SetState(seq, channel, state)]
    pieces = split_text(text)
    return [SetStatePart(seq, channel, i, len(pieces), p) for i, p in enumerate(pieces)]


def state_replies(seq: int, renderer: str, channel: int, state: dict[str, Any]) -> list[bytes]:
    """A state report as one datagram, or as parts when it is too large for one."""
    text = _json(state)
    if len(text.encode("utf-8")) <= STATE_PART_BYTES:
        return [build_reply(StateReport(seq, renderer, channel, state))]
    pieces = split_text(text)
    return [
        build_reply(StatePart(seq, renderer, channel, i, len(pieces), p))
        for i, p in enumerate(pieces)
    ]


def parse_state_text(text: str, address: str, seq: int | None) -> dict[str, Any]:
    """A channel state's JSON text (joined from parts), checked as a resync's would be."""
    return _data(text, MAX_STATE_BYTES, "state", address, seq)


def _part_numbers(msg: Message, seq: int | None, index_at: int) -> tuple[int, int]:
    index, count = msg.args[index_at], msg.args[index_at + 1]
    assert isinstance(index, int) and isinstance(count, int)
    if not 1 <= count <= MAX_STATE_PARTS or not 0 <= index < count:
        raise ProtocolError(
            f"{msg.address}: part {index} of {count} (a state has 1-{MAX_STATE_PARTS} parts)",
            seq,
        )
    return index, count


# --- parsing ------------------------------------------------------------------------------------


def _seq_of(msg: Message) -> int | None:
    if msg.types[:1] == "i":
        value = msg.args[0]
        assert isinstance(value, int)
        return value
    return None


def _expect(msg: Message, types: str, seq: int | None) -> None:
    if msg.types != types:
        raise ProtocolError(
            f"{msg.address}: arguments typed ',{msg.types}', expected ',{types}'", seq
        )


def _data(text: Any, limit: int, what: str, address: str, seq: int | None) -> dict[str, Any]:
    assert isinstance(text, str)
    size = len(text.encode("utf-8"))
    if size > limit:
        raise ProtocolError(f"{address}: {what} is {size} bytes, over the {limit} byte limit", seq)
    try:
        value = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise ProtocolError(f"{address}: {what} is not valid JSON: {exc}", seq) from None
    if not isinstance(value, dict):
        raise ProtocolError(f"{address}: {what} must be a JSON object", seq)
    problem = text_problem(value, what)
    if problem is not None:
        raise ProtocolError(f"{address}: {problem}", seq)
    return value


def text_problem(value: Any, where: str = "data") -> str | None:
    """Where a JSON value holds text that is not valid Unicode (a lone UTF-16 surrogate, which
    JSON's \\ud800 escapes can carry but UTF-8 cannot), and what is wrong; None when all is
    well. Such text would be acked, then break every state report: it is refused at the edge."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            n = exc.start + 1
            return f"{where}: text is not valid Unicode (character {n} is a lone surrogate)"
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            path = f"{where}.{key}"
            problem = text_problem(key, f"{where} (a key)") or text_problem(item, path)
            if problem is not None:
                return problem
    elif isinstance(value, list):
        for i, item in enumerate(value):
            problem = text_problem(item, f"{where}[{i}]")
            if problem is not None:
                return problem
    return None


def _layer_numbers(channel: str, layer: str | None, address: str, seq: int | None) -> None:
    if not 1 <= int(channel) <= MAX_CHANNEL:
        raise ProtocolError(f"{address}: channel must be 1-{MAX_CHANNEL}", seq)
    if layer is not None and not 0 <= int(layer) <= MAX_LAYER:
        raise ProtocolError(f"{address}: layer must be 0-{MAX_LAYER}", seq)


def parse_command(msg: Message) -> Command:
    """The command a message carries; ProtocolError naming the address and what is wrong."""
    address = msg.address
    seq = _seq_of(msg)
    if seq is not None and seq < 1:
        raise ProtocolError(f"{address}: sequence number {seq} is not 1 to 2^31-1", seq)
    if seq is None and msg.types[:1] == "h" and msg.args:
        value = msg.args[0]
        assert isinstance(value, int)
        raise ProtocolError(
            f"{address}: the sequence number is an int64 ('h'); send it as int32 ('i')",
            value if -(2**31) <= value < 2**31 else None,
        )
    m = _LAYER_RE.match(address)
    if m:
        ch, layer, verb = int(m[1]), int(m[2]), m[3]
        _layer_numbers(m[1], m[2], address, seq)
        if verb == "load":
            _expect(msg, "isss", seq)
            graphic, theme = msg.args[1], msg.args[2]
            assert isinstance(graphic, str) and isinstance(theme, str)
            if not graphic:
                raise ProtocolError(f"{address}: graphic id is empty", seq)
            data = _data(msg.args[3], MAX_DATA_BYTES, "data", address, seq)
            return Load(_int(seq), ch, layer, graphic, theme, data)
        if verb == "play":
            if msg.types == "i":
                return Play(_int(seq), ch, layer, NEXT_STEP)
            _expect(msg, "ii", seq)
            step = msg.args[1]
            assert isinstance(step, int)
            if step < NEXT_STEP:
                raise ProtocolError(f"{address}: step {step} is negative", seq)
            return Play(_int(seq), ch, layer, step)
        if verb == "update":
            _expect(msg, "is", seq)
            return Update(
                _int(seq), ch, layer, _data(msg.args[1], MAX_DATA_BYTES, "data", address, seq)
            )
        if verb == "stop":
            if msg.types == "i":
                return Stop(_int(seq), ch, layer, False)
            if msg.types not in ("iT", "iF"):
                _expect(msg, "iT", seq)
            return Stop(_int(seq), ch, layer, msg.types == "iT")
        _expect(msg, "i", seq)
        return ClearLayer(_int(seq), ch, layer)
    m = _CHANNEL_RE.match(address)
    if m and m[2] != "state":
        ch, verb = int(m[1]), m[2]
        _layer_numbers(m[1], None, address, seq)
        if verb == "clear":
            _expect(msg, "i", seq)
            return ClearChannel(_int(seq), ch)
        if verb == "state/get":
            _expect(msg, "i", seq)
            return GetState(_int(seq), ch)
        if verb == "state/set/part":
            _expect(msg, "iiis", seq)
            index, count = _part_numbers(msg, seq, 1)
            text = msg.args[3]
            assert isinstance(text, str)
            if len(text.encode("utf-8")) > STATE_PART_BYTES:
                raise ProtocolError(f"{address}: a part is over {STATE_PART_BYTES} bytes", seq)
            return SetStatePart(_int(seq), ch, index, count, text)
        if verb == "state/part":
            raise ProtocolError(f"{address} is a reply, not a command", seq)
        _expect(msg, "is", seq)
        return SetState(_int(seq), ch, _data(msg.args[1], MAX_STATE_BYTES, "state", address, seq))
    if address == f"{PREFIX}/panic":
        _expect(msg, "i", seq)
        return Panic(_int(seq))
    if address == f"{PREFIX}/ping":
        if msg.types == "i":
            return Ping(_int(seq), 0.0)
        _expect(msg, "id", seq)
        sent = msg.args[1]
        assert isinstance(sent, float)
        return Ping(_int(seq), sent)
    if address.startswith(PREFIX + "/"):
        raise ProtocolError(f"unknown address {address}", seq)
    raise ProtocolError(f"address {address} is outside {PREFIX}/", seq)


def _int(seq: int | None) -> int:
    assert seq is not None  # _expect checked the leading 'i'
    return seq


def salvage_seq(data: bytes) -> tuple[str, int] | None:
    """The address and sequence number of a single message that could not be parsed whole
    (a forbidden argument type, a seq sent as int64 'h', a bad argument after the seq), so
    the sender can be told; None when not even those can be read."""
    if not data.startswith(b"/") or len(data) < 8:
        return None
    nul = data.find(b"\x00")
    if nul < 0:
        return None
    address = data[:nul].decode("utf-8", "replace")
    pos = (nul + 4) & ~3
    end = data.find(b"\x00", pos)
    if end < 0 or data[pos : pos + 1] != b",":
        return None
    tags = data[pos + 1 : end]
    arg = (end + 4) & ~3
    if tags[:1] == b"i" and arg + 4 <= len(data):
        return address, struct.unpack_from(">i", data, arg)[0]
    if tags[:1] == b"h" and arg + 8 <= len(data):
        value = struct.unpack_from(">q", data, arg)[0]
        if -(2**31) <= value < 2**31:
            return address, value
    return None


def parse_reply(msg: Message) -> Reply:
    """The reply a message carries (controller side); ProtocolError if it is none."""
    address, types, args = msg.address, msg.types, msg.args
    if address == f"{PREFIX}/ack" and types == "is":
        return Ack(_arg_int(args[0]), str(args[1]))
    if address == f"{PREFIX}/nack" and types == "iss":
        return Nack(_arg_int(args[0]), str(args[1]), str(args[2]))
    if address == f"{PREFIX}/pong" and types == "idsddi":
        return Pong(
            _arg_int(args[0]),
            float(args[1]),
            str(args[2]),
            float(args[3]),
            float(args[4]),
            _arg_int(args[5]),
        )
    m = _CHANNEL_RE.match(address)
    if m and m[2] == "state" and types == "iss":
        state = _data(args[2], MAX_STATE_BYTES, "state", address, _arg_int(args[0]))
        return StateReport(_arg_int(args[0]), str(args[1]), int(m[1]), state)
    if m and m[2] == "state/part" and types == "isiis":
        index, count = _part_numbers(msg, None, 2)
        return StatePart(_arg_int(args[0]), str(args[1]), int(m[1]), index, count, str(args[4]))
    raise ProtocolError(f"not a reply: {address} ,{types}")


def _arg_int(value: Any) -> int:
    assert isinstance(value, int)
    return value
