"""OSC 1.0 packets: building with python-osc, strict parsing of untrusted bytes.

Outgoing messages are built with python-osc's `OscMessageBuilder`. Incoming packets are parsed
here, strictly, because they come from the network: only the argument types every peer reads
(i f d s b h T F) are accepted, lengths are checked before every read, bundles nest at most a few
levels, and every failure is one `OscDecodeError` naming what is wrong and where. A parse never
raises anything else, never logs, and costs time proportional to the packet's length.
"""

from __future__ import annotations

import struct
import time
from collections.abc import Sequence
from dataclasses import dataclass

from pythonosc.osc_message_builder import OscMessageBuilder

#: The argument type tags of the address space: what liblo and python-osc both read.
ALLOWED_TYPES = frozenset("ifdsbhTF")

#: OSC timetag meaning "immediately" (63 zero bits, then a one).
IMMEDIATELY = 1

_NTP_DELTA = 2_208_988_800  # seconds from 1900-01-01 (NTP epoch) to 1970-01-01
_BUNDLE_TAG = b"#bundle\x00"
_MAX_DEPTH = 4

Arg = int | float | str | bytes | bool
TypedArg = tuple[str, Arg]


class OscDecodeError(ValueError):
    """Bytes that are not a well-formed OSC packet of the address space's types."""


@dataclass(frozen=True, slots=True)
class Message:
    """One parsed OSC message: its address, type tags (without the comma) and arguments."""

    address: str
    types: str
    args: tuple[Arg, ...]


@dataclass(frozen=True, slots=True)
class Timed:
    """A message and when it is due: `at` is Unix time in seconds, None for immediately."""

    at: float | None
    message: Message


# --- building ---------------------------------------------------------------------------------


def build_message(address: str, args: Sequence[TypedArg] = ()) -> bytes:
    """The datagram of one message; each argument given with its OSC type tag."""
    builder = OscMessageBuilder(address=address)
    for tag, value in args:
        if tag not in ALLOWED_TYPES:
            raise ValueError(f"OSC type {tag!r} is outside the address space (ifdsbhTF)")
        builder.add_arg(value, tag)
    dgram: bytes = builder.build().dgram
    return dgram


def unix_to_timetag(seconds: float) -> int:
    """A 64-bit NTP timetag for a Unix time in seconds."""
    return int((seconds + _NTP_DELTA) * 4294967296.0) & 0xFFFF_FFFF_FFFF_FFFF


def timetag_to_unix(tag: int) -> float | None:
    """Unix seconds for a timetag; None for the special value "immediately"."""
    if tag == IMMEDIATELY:
        return None
    return tag / 4294967296.0 - _NTP_DELTA


def build_bundle(contents: Sequence[bytes], at: float | None = None) -> bytes:
    """A bundle of already built messages (or bundles), due at Unix time `at` (None: now)."""
    tag = IMMEDIATELY if at is None else unix_to_timetag(at)
    parts = [_BUNDLE_TAG, struct.pack(">Q", tag)]
    for element in contents:
        parts.append(struct.pack(">i", len(element)))
        parts.append(element)
    return b"".join(parts)


# --- parsing ----------------------------------------------------------------------------------


def _string(data: bytes, start: int, end: int, what: str) -> tuple[str, int]:
    nul = data.find(b"\x00", start, end)
    if nul < 0:
        raise OscDecodeError(f"{what} at byte {start} has no terminating NUL")
    try:
        text = data[start:nul].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise OscDecodeError(f"{what} at byte {start} is not UTF-8: {exc.reason}") from None
    nxt = (nul + 4) & ~3
    if nxt > end:
        raise OscDecodeError(f"{what} at byte {start} is not padded to 4 bytes")
    return text, nxt


def parse_message(data: bytes, start: int = 0, end: int | None = None) -> Message:
    """Parse one message from data[start:end]; OscDecodeError if it is malformed."""
    if end is None:
        end = len(data)
    if end - start < 4 or (end - start) % 4:
        raise OscDecodeError(f"message of {end - start} bytes: not a multiple of 4")
    if data[start : start + 1] != b"/":
        raise OscDecodeError("address does not start with '/'")
    address, pos = _string(data, start, end, "address")
    if pos == end:  # no type tag string: an old-style message without arguments
        return Message(address, "", ())
    tags, pos = _string(data, pos, end, "type tag string")
    if not tags.startswith(","):
        raise OscDecodeError(f"type tag string {tags!r} does not start with ','")
    types = tags[1:]
    args: list[Arg] = []
    for tag in types:
        if tag == "i":
            if pos + 4 > end:
                raise OscDecodeError(f"int32 argument truncated at byte {pos}")
            args.append(struct.unpack_from(">i", data, pos)[0])
            pos += 4
        elif tag == "f":
            if pos + 4 > end:
                raise OscDecodeError(f"float32 argument truncated at byte {pos}")
            args.append(struct.unpack_from(">f", data, pos)[0])
            pos += 4
        elif tag == "d":
            if pos + 8 > end:
                raise OscDecodeError(f"float64 argument truncated at byte {pos}")
            args.append(struct.unpack_from(">d", data, pos)[0])
            pos += 8
        elif tag == "h":
            if pos + 8 > end:
                raise OscDecodeError(f"int64 argument truncated at byte {pos}")
            args.append(struct.unpack_from(">q", data, pos)[0])
            pos += 8
        elif tag == "s":
            text, pos = _string(data, pos, end, "string argument")
            args.append(text)
        elif tag == "b":
            if pos + 4 > end:
                raise OscDecodeError(f"blob size truncated at byte {pos}")
            size = struct.unpack_from(">i", data, pos)[0]
            if size < 0 or pos + 4 + size > end:
                raise OscDecodeError(f"blob at byte {pos} claims {size} bytes")
            args.append(bytes(data[pos + 4 : pos + 4 + size]))
            pos = (pos + 4 + size + 3) & ~3
        elif tag == "T":
            args.append(True)
        elif tag == "F":
            args.append(False)
        else:
            raise OscDecodeError(f"argument type {tag!r} is not accepted (only ifdsbhTF)")
    if pos != end:
        raise OscDecodeError(f"{end - pos} bytes left over after the arguments")
    return Message(address, types, tuple(args))


def _parse(
    data: bytes, start: int, end: int, at: float | None, depth: int, out: list[Timed]
) -> None:
    if data[start : start + 8] == _BUNDLE_TAG:
        if depth >= _MAX_DEPTH:
            raise OscDecodeError(f"bundles nested deeper than {_MAX_DEPTH} levels")
        if end - start < 16:
            raise OscDecodeError("bundle shorter than its header")
        when = timetag_to_unix(struct.unpack_from(">Q", data, start + 8)[0])
        pos = start + 16
        while pos < end:
            if pos + 4 > end:
                raise OscDecodeError(f"bundle element size truncated at byte {pos}")
            size = struct.unpack_from(">i", data, pos)[0]
            pos += 4
            if size <= 0 or size % 4 or pos + size > end:
                raise OscDecodeError(f"bundle element at byte {pos - 4} claims {size} bytes")
            _parse(data, pos, pos + size, when, depth + 1, out)
            pos += size
        return
    out.append(Timed(at, parse_message(data, start, end)))


def parse_packet(data: bytes) -> list[Timed]:
    """Every message of a packet (a message or nested bundles), each with its due time.

    Bundle timetags apply to their contents; a nested bundle's own timetag wins for its
    contents. Raises OscDecodeError, and only that, for anything malformed.
    """
    if not data:
        raise OscDecodeError("empty packet")
    out: list[Timed] = []
    _parse(data, 0, len(data), None, 0, out)
    return out


def now_unix() -> float:
    """The wall clock in Unix seconds, as timetags count it."""
    return time.time()
