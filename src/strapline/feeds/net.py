"""Timing feeds over the network: lines over UDP (datagrams) or TCP (a stream), decoded into
the live race. Several timing systems may connect over TCP at once; each connection keeps its
own partial line."""

from __future__ import annotations

import asyncio
import contextlib
import re
from typing import Any

from strapline.feeds.base import MAX_LINE, Feed, FeedError, LineDecoder, LiveRace

_BREAK = re.compile(rb"[\r\n]+")


def split_lines(buffer: bytes) -> tuple[list[bytes], bytes]:
    """Complete lines (CR, LF or CRLF ended) and the unfinished rest."""
    parts = _BREAK.split(buffer)
    return parts[:-1], parts[-1]


class NetworkFeed(Feed):
    """Listen on HOST:PORT (UDP, or TCP with tcp=True) and feed what arrives into `race`."""

    def __init__(
        self,
        race: LiveRace,
        decoder: LineDecoder,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        tcp: bool = False,
    ) -> None:
        super().__init__(race)
        self.decoder = decoder
        self.host = host
        self.port = port
        self.tcp = tcp
        self.name = f"{decoder.name} over {'tcp' if tcp else 'udp'}"
        self._transport: asyncio.DatagramTransport | None = None
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.Task[None]] = set()
        self.datagrams = 0
        self.lines = 0

    @property
    def address(self) -> tuple[str, int]:
        """Where the feed listens (the real port when bound to port 0)."""
        if self._transport is not None:
            sock: Any = self._transport.get_extra_info("sockname")
            return sock[0], sock[1]
        if self._server is not None and self._server.sockets:
            name = self._server.sockets[0].getsockname()
            return name[0], name[1]
        return self.host, self.port

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        if self.tcp:
            self._server = await asyncio.start_server(
                self._serve, self.host, self.port, limit=MAX_LINE * 2
            )
        else:
            self._transport, _ = await loop.create_datagram_endpoint(
                lambda: _Datagrams(self), local_addr=(self.host, self.port)
            )

    async def close(self) -> None:
        if self._transport is not None:
            self._transport.close()
            self._transport = None
        if self._server is not None:
            self._server.close()
            for task in list(self._connections):
                task.cancel()
            for task in list(self._connections):
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            await self._server.wait_closed()
            self._server = None

    def datagram(self, data: bytes, peer: tuple[str, int]) -> None:
        self.datagrams += 1
        where = f"udp {peer[0]}:{peer[1]}, datagram {self.datagrams}"
        lines, rest = split_lines(data)
        if rest:
            lines.append(rest)  # a datagram is whole: its last line needs no line end
        for number, line in enumerate(lines, 1):
            self.lines += 1
            if len(line) > MAX_LINE:
                self.race.fail(
                    FeedError(f"{where}, line {number}", f"line longer than {MAX_LINE} bytes")
                )
                continue
            self.deliver_line(self.decoder, line, f"{where}, line {number}")

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        peer = writer.get_extra_info("peername") or ("?", 0)
        where = f"tcp {peer[0]}:{peer[1]}"
        buffer = b""
        number = 0
        skipping = False  # inside a line that was too long: drop up to its end
        try:
            while True:
                chunk = await reader.read(65_536)
                if not chunk:
                    break
                buffer += chunk
                lines, buffer = split_lines(buffer)
                for line in lines:
                    number += 1
                    self.lines += 1
                    if skipping:
                        skipping = False
                        continue
                    if len(line) > MAX_LINE:
                        self.race.fail(
                            FeedError(
                                f"{where}, line {number}", f"line longer than {MAX_LINE} bytes"
                            )
                        )
                        continue
                    self.deliver_line(self.decoder, line, f"{where}, line {number}")
                if len(buffer) > MAX_LINE:
                    self.race.fail(
                        FeedError(
                            f"{where}, line {number + 1}", f"line longer than {MAX_LINE} bytes"
                        )
                    )
                    buffer = b""
                    skipping = True
            if buffer and not skipping:
                number += 1
                self.deliver_line(self.decoder, buffer, f"{where}, line {number}")
        except (ConnectionError, OSError) as exc:
            self.race.fail(FeedError(where, f"connection lost: {exc}"))
        finally:
            self._connections.discard(task)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()


class _Datagrams(asyncio.DatagramProtocol):
    def __init__(self, feed: NetworkFeed) -> None:
        self.feed = feed

    def datagram_received(self, data: bytes, addr: tuple[str | Any, int]) -> None:
        self.feed.datagram(data, (str(addr[0]), int(addr[1])))

    def error_received(self, exc: Exception) -> None:
        self.feed.race.fail(FeedError(f"udp {self.feed.host}:{self.feed.port}", str(exc)))
