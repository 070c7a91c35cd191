"""Recordings of timing feeds: what arrived, when, byte for byte; and their replay.

A recording is a JSON-lines file. The first line describes it:

    {"strapline_feed_recording": 1, "transport": "udp", "protocol": "jsonl", "demo": false,
     "note": "...", "recorded": "2026-12-07T21:00:00Z"}

then one line per datagram (UDP) or per chunk as it arrived (TCP):

    {"t": 12.345, "data": "{\"type\":\"lap\",\"helmet\":5,\"time\":12.58}"}

`t` is seconds since the recording began; `data` is the bytes as text (UTF-8; bytes that are
not UTF-8 are kept as escapes and come back unchanged). Replay sends every entry at its time
(divided by the speed) to a feed's address.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from strapline.domain.live_race import RaceState
from strapline.feeds.base import LineDecoder, LineError

FORMAT_KEY = "strapline_feed_recording"
DEMO_RACE = "race-men-1000m-final.feed"


class RecordingError(ValueError):
    """A recording that cannot be read: the message names the file and line."""


@dataclass(frozen=True)
class Entry:
    t: float
    data: bytes


@dataclass(frozen=True)
class Recording:
    header: dict[str, Any]
    entries: list[Entry]

    @property
    def transport(self) -> str:
        return str(self.header.get("transport", "udp"))

    @property
    def duration(self) -> float:
        return self.entries[-1].t if self.entries else 0.0


def to_text(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def to_bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def read_recording(path: Path) -> Recording:
    """Read a recording; RecordingError naming the file and line for anything wrong."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RecordingError(f"{path}: cannot be read ({exc})") from None
    lines = text.splitlines()
    if not lines:
        raise RecordingError(f"{path}: empty, not a feed recording")
    header = _json(path, 1, lines[0])
    if not isinstance(header, dict) or header.get(FORMAT_KEY) != 1:
        raise RecordingError(f"{path}, line 1: not a Strapline feed recording (no {FORMAT_KEY})")
    entries: list[Entry] = []
    last = 0.0
    for number, line in enumerate(lines[1:], 2):
        if not line.strip():
            continue
        item = _json(path, number, line)
        if not isinstance(item, dict) or not isinstance(item.get("data"), str):
            raise RecordingError(f"{path}, line {number}: an entry needs a 'data' string")
        t = item.get("t")
        if isinstance(t, bool) or not isinstance(t, int | float) or t < 0:
            raise RecordingError(f"{path}, line {number}: 't' must be seconds >= 0, not {t!r}")
        if t < last:
            raise RecordingError(f"{path}, line {number}: 't' {t} goes back in time (was {last})")
        last = float(t)
        entries.append(Entry(float(t), to_bytes(item["data"])))
    return Recording(header, entries)


def _json(path: Path, number: int, line: str) -> Any:
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        raise RecordingError(f"{path}, line {number}, column {exc.colno}: {exc.msg}") from None


class RecordingWriter:
    """Appends entries to a recording, flushed at once (a crash loses nothing written)."""

    def __init__(
        self,
        out: IO[str],
        transport: str,
        *,
        clock: Callable[[], float] = time.monotonic,
        note: str = "",
    ) -> None:
        self.out = out
        self.clock = clock
        self.start = clock()
        self.count = 0
        header = {
            FORMAT_KEY: 1,
            "transport": transport,
            "demo": False,
            "note": note,
            "recorded": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        out.write(json.dumps(header, ensure_ascii=False) + "\n")
        out.flush()

    def write(self, data: bytes) -> None:
        text = to_text(data)
        entry = {"t": round(self.clock() - self.start, 4), "data": text}
        # bytes that are not UTF-8 travel as \udcXX escapes, which only ASCII JSON can hold
        plain = text.isascii() or text == data.decode("utf-8", "replace")
        self.out.write(json.dumps(entry, ensure_ascii=not plain) + "\n")
        self.out.flush()
        self.count += 1


class Recorder:
    """Listens like a feed would and writes everything that arrives to a RecordingWriter."""

    def __init__(self, writer: RecordingWriter, host: str, port: int, *, tcp: bool) -> None:
        self.writer = writer
        self.host, self.port, self.tcp = host, port, tcp
        self._transport: asyncio.DatagramTransport | None = None
        self._server: asyncio.Server | None = None

    async def start(self) -> tuple[str, int]:
        loop = asyncio.get_running_loop()
        if self.tcp:
            self._server = await asyncio.start_server(self._serve, self.host, self.port)
            name = self._server.sockets[0].getsockname()
        else:
            recorder = self

            class _Protocol(asyncio.DatagramProtocol):
                def datagram_received(self, data: bytes, addr: Any) -> None:
                    recorder.writer.write(data)

            self._transport, _ = await loop.create_datagram_endpoint(
                _Protocol, local_addr=(self.host, self.port)
            )
            name = self._transport.get_extra_info("sockname")
        return str(name[0]), int(name[1])

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while chunk := await reader.read(65_536):
                self.writer.write(chunk)
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()

    async def close(self) -> None:
        if self._transport is not None:
            self._transport.close()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()


async def replay(
    recording: Recording,
    host: str,
    port: int,
    *,
    tcp: bool = False,
    speed: float = 1.0,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    on_sent: Callable[[Entry], None] | None = None,
) -> int:
    """Send every entry at its time / speed; returns the number sent. OSError when the
    address cannot be reached (TCP) or used."""
    if speed <= 0:
        raise ValueError("speed must be greater than 0")
    loop = asyncio.get_running_loop()
    writer: asyncio.StreamWriter | None = None
    transport: asyncio.DatagramTransport | None = None
    if tcp:
        _, writer = await asyncio.open_connection(host, port)
    else:
        transport, _ = await loop.create_datagram_endpoint(
            asyncio.DatagramProtocol, remote_addr=(host, port)
        )
    # a datagram is a whole line; on a stream it needs its line end
    terminate = tcp and recording.transport != "tcp"
    sent = 0
    start = clock()
    try:
        for entry in recording.entries:
            wait = start + entry.t / speed - clock()
            if wait > 0:
                await sleep(wait)
            data = entry.data
            if writer is not None:
                if terminate and not data.endswith((b"\n", b"\r")):
                    data += b"\n"
                writer.write(data)
                await writer.drain()
            elif transport is not None:
                transport.sendto(data)
            sent += 1
            if on_sent is not None:
                on_sent(entry)
    finally:
        if writer is not None:
            writer.close()
            with contextlib.suppress(ConnectionError, OSError):
                await writer.wait_closed()
        if transport is not None:
            transport.close()
    return sent


def demo_race_path() -> Path:
    """The shipped demo race (an invented men's 1000 m final)."""
    from importlib import resources

    path = resources.files("strapline").joinpath("data", "demo", "feeds", DEMO_RACE)
    if not isinstance(path, Path):  # pragma: no cover - only in zipped installs
        raise FileNotFoundError("the demo race is not available as a file in this installation")
    return path


def decoder_for(recording: Recording) -> LineDecoder:
    """The decoder of a recording's protocol: the header's 'protocol' ('finishlynx' or
    'jsonl'); without one (`strapline feed record` cannot know what it hears), 'finishlynx'
    when the first data starts with the shipped script's 'SLX|', else 'jsonl'."""
    from strapline.feeds.jsonl import JsonLinesDecoder
    from strapline.feeds.lynx import LynxScoreboardDecoder

    protocol = recording.header.get("protocol")
    if protocol is None:
        first = next((e.data.lstrip() for e in recording.entries if e.data.strip()), b"")
        protocol = "finishlynx" if first.startswith(b"SLX|") else "jsonl"
    if protocol == "finishlynx":
        return LynxScoreboardDecoder()
    if protocol == "jsonl":
        return JsonLinesDecoder()
    raise RecordingError(f"unknown protocol {protocol!r} in the recording (jsonl, finishlynx)")


def race_at(recording: Recording, at: float | None = None) -> tuple[RaceState, list[str]]:
    """The race as the recording tells it `at` seconds in (default: its end), with reception
    times taken from the recording (0 = its start); and the errors its bad lines made."""
    from strapline.domain.live_race import apply
    from strapline.feeds.net import split_lines

    decoder = decoder_for(recording)
    state = RaceState()
    errors: list[str] = []
    buffer = b""
    stream = recording.transport == "tcp"
    for number, entry in enumerate(recording.entries, 2):
        if at is not None and entry.t > at:
            break
        lines, buffer = split_lines(buffer + entry.data) if stream else split_lines(entry.data)
        if not stream and buffer:
            lines, buffer = [*lines, buffer], b""
        for line in lines:
            if not line.strip():
                continue
            try:
                messages = decoder.decode(line)
            except LineError as exc:
                errors.append(f"line {number} of the recording: {exc}")
                continue
            for message in messages:
                state = apply(state, message, entry.t)
    return state, errors
