"""Plain asyncio transports for OSC packets: UDP datagrams, and TCP with OSC 1.1 SLIP framing.

Both hand each received packet to a callback `on_packet(data, peer)` and send whole packets.
A callback that raises is logged and the transport keeps going: one bad packet never stops a
receiver. Nothing here blocks: sends are non-blocking writes on the running loop.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any, cast

log = logging.getLogger(__name__)

Peer = tuple[str, int]
OnPacket = Callable[[bytes, Peer], None]

#: Largest SLIP frame accepted over TCP; a longer frame is dropped whole.
MAX_TCP_FRAME = 2 * 1024 * 1024

_END = 0xC0
_ESC = 0xDB
_ESC_END = 0xDC
_ESC_ESC = 0xDD


def slip_encode(packet: bytes) -> bytes:
    """One packet as a SLIP frame, with an END byte on both sides (OSC 1.1 over TCP)."""
    body = packet.replace(b"\xdb", b"\xdb\xdd").replace(b"\xc0", b"\xdb\xdc")
    return b"\xc0" + body + b"\xc0"


class SlipDecoder:
    """Splits a TCP byte stream into packets; malformed or oversized frames are dropped."""

    def __init__(self, max_frame: int = MAX_TCP_FRAME) -> None:
        self.max_frame = max_frame
        self._buf = bytearray()
        self._overflow = False
        self.dropped = 0

    def feed(self, data: bytes) -> list[bytes]:
        packets: list[bytes] = []
        start = 0
        while True:
            end = data.find(b"\xc0", start)
            chunk = data[start:] if end < 0 else data[start:end]
            if not self._overflow:
                if len(self._buf) + len(chunk) > self.max_frame:
                    self._overflow = True
                    self._buf.clear()
                else:
                    self._buf += chunk
            if end < 0:
                return packets
            frame = bytes(self._buf)
            self._buf.clear()
            if self._overflow:
                self._overflow = False
                self.dropped += 1
            elif frame:
                decoded = self._unescape(frame)
                if decoded is None:
                    self.dropped += 1
                else:
                    packets.append(decoded)
            start = end + 1

    @staticmethod
    def _unescape(frame: bytes) -> bytes | None:
        if b"\xdb" not in frame:
            return frame
        out = bytearray()
        i = 0
        n = len(frame)
        while i < n:
            b = frame[i]
            if b == _ESC:
                if i + 1 >= n:
                    return None
                nxt = frame[i + 1]
                if nxt == _ESC_END:
                    out.append(_END)
                elif nxt == _ESC_ESC:
                    out.append(_ESC)
                else:
                    return None
                i += 2
            else:
                out.append(b)
                i += 1
        return bytes(out)


class LengthPrefixDecoder:
    """OSC 1.0 stream framing (each packet after its int32 big-endian size), as liblo sends by
    default over TCP; sizes that are not a positive multiple of 4 or too large are refused."""

    def __init__(self, max_frame: int = MAX_TCP_FRAME) -> None:
        self.max_frame = max_frame
        self._buf = bytearray()
        self.dropped = 0
        self.broken = False  # a bad size: the stream cannot be resynchronised

    def feed(self, data: bytes) -> list[bytes]:
        if self.broken:
            return []
        self._buf += data
        packets: list[bytes] = []
        while len(self._buf) >= 4:
            size = int.from_bytes(self._buf[:4], "big", signed=True)
            if size <= 0 or size % 4 or size > self.max_frame:
                self.broken = True
                self.dropped += 1
                self._buf.clear()
                return packets
            if len(self._buf) < 4 + size:
                break
            packets.append(bytes(self._buf[4 : 4 + size]))
            del self._buf[: 4 + size]
        return packets


def _deliver(on_packet: OnPacket, data: bytes, peer: Peer) -> None:
    try:
        on_packet(data, peer)
    except Exception:  # a receiver must survive any packet; the bug is logged
        log.exception("packet handler failed on %d bytes from %s", len(data), peer)


class UdpEndpoint(asyncio.DatagramProtocol):
    """A UDP socket: a server (bound, answers peers) or a client (connected to one peer)."""

    def __init__(self, on_packet: OnPacket) -> None:
        self.on_packet = on_packet
        self.transport: asyncio.DatagramTransport | None = None
        self.send_errors = 0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # asyncio's selector loop gives a Transport subclass here, not a DatagramTransport
        self.transport = cast(asyncio.DatagramTransport, transport)

    def datagram_received(self, data: bytes, addr: Any) -> None:
        _deliver(self.on_packet, data, (str(addr[0]), int(addr[1])))

    def error_received(self, exc: Exception) -> None:
        # e.g. ICMP port unreachable when the renderer is not running: health handles it
        log.debug("UDP error: %s", exc)

    def send(self, data: bytes, peer: Peer | None = None) -> bool:
        if self.transport is None or self.transport.is_closing():
            return False
        try:
            if peer is None:
                self.transport.sendto(data)
            else:
                self.transport.sendto(data, peer)
        except OSError as exc:
            self.send_errors += 1
            log.warning("UDP send of %d bytes failed: %s", len(data), exc)
            return False
        return True

    @property
    def local_address(self) -> Peer:
        assert self.transport is not None
        host, port = self.transport.get_extra_info("sockname")[:2]
        return str(host), int(port)

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()


async def open_udp(
    on_packet: OnPacket, *, local: Peer | None = None, remote: Peer | None = None
) -> UdpEndpoint:
    """A UDP endpoint bound to `local` (a server) or connected to `remote` (a client)."""
    loop = asyncio.get_running_loop()
    _, protocol = await loop.create_datagram_endpoint(
        lambda: UdpEndpoint(on_packet), local_addr=local, remote_addr=remote
    )
    return protocol


class TcpConnection(asyncio.Protocol):
    """One TCP connection carrying OSC packets, either direction.

    Strapline sends SLIP frames (OSC 1.1). A receiving side also reads OSC 1.0 size-prefixed
    streams (what liblo sends by default): the first byte tells, 0xC0 meaning SLIP, and
    answers go back in the framing the peer used."""

    def __init__(
        self,
        on_packet: OnPacket,
        on_lost: Callable[[TcpConnection], None] | None = None,
        gate: TcpGate | None = None,
    ):
        self.on_packet = on_packet
        self.on_lost = on_lost
        self.gate = gate
        self.decoder: SlipDecoder | LengthPrefixDecoder | None = None
        self.transport: asyncio.Transport | None = None
        self.peer: Peer = ("", 0)
        self.loop = asyncio.get_running_loop()
        self.closed = self.loop.create_future()
        self.last_heard = self.loop.time()
        self.admitted = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        peer = transport.get_extra_info("peername")
        self.peer = (str(peer[0]), int(peer[1])) if peer else ("", 0)
        if self.gate is not None and not self.gate.admit(self):
            transport.abort()  # its descriptor is freed at once, nothing is read from it

    def data_received(self, data: bytes) -> None:
        self.last_heard = self.loop.time()
        if self.decoder is None:
            if not data:
                return
            self.decoder = SlipDecoder() if data[0] == _END else LengthPrefixDecoder()
        for packet in self.decoder.feed(data):
            _deliver(self.on_packet, packet, self.peer)
        if isinstance(self.decoder, LengthPrefixDecoder) and self.decoder.broken:
            log.info("TCP stream from %s has a bad packet size: closing it", self.peer)
            self.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None
        if self.gate is not None:
            self.gate.release(self)
        if not self.closed.done():
            self.closed.set_result(None)
        if self.on_lost is not None:
            self.on_lost(self)

    def send(self, data: bytes, peer: Peer | None = None) -> bool:
        if self.transport is None or self.transport.is_closing():
            return False
        if isinstance(self.decoder, LengthPrefixDecoder):
            self.transport.write(len(data).to_bytes(4, "big") + data)
        else:
            self.transport.write(slip_encode(data))
        return True

    @property
    def connected(self) -> bool:
        return self.transport is not None and not self.transport.is_closing()

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()


async def open_tcp(
    on_packet: OnPacket,
    host: str,
    port: int,
    on_lost: Callable[[TcpConnection], None] | None = None,
) -> TcpConnection:
    """Connect to a TCP OSC peer; OSError if it cannot be reached."""
    loop = asyncio.get_running_loop()
    _, protocol = await loop.create_connection(
        lambda: TcpConnection(on_packet, on_lost), host, port
    )
    return protocol


class TcpGate:
    """Which connections a TCP server keeps: senders on its allow-list, at most `max_total`
    connections and `max_per_host` from one address, none silent for longer than `idle_s`.
    A connection refused here is closed as soon as it is accepted, before anything is read.
    """

    def __init__(
        self,
        allow: Callable[[str], bool] | None = None,
        *,
        max_total: int = 256,
        max_per_host: int = 32,
        idle_s: float = 30.0,
    ) -> None:
        self.allow = allow
        self.max_total = max_total
        self.max_per_host = max_per_host
        self.idle_s = idle_s
        self.open: set[TcpConnection] = set()
        self.per_host: dict[str, int] = {}
        self.refused = 0
        self.idle_closed = 0
        self._sweeper: asyncio.TimerHandle | None = None

    def admit(self, conn: TcpConnection) -> bool:
        host = conn.peer[0]
        if (
            (self.allow is not None and not self.allow(host))
            or len(self.open) >= self.max_total
            or self.per_host.get(host, 0) >= self.max_per_host
        ):
            self.refused += 1
            return False
        conn.admitted = True
        self.open.add(conn)
        self.per_host[host] = self.per_host.get(host, 0) + 1
        if self._sweeper is None:
            self._sweeper = conn.loop.call_later(self.idle_s / 4, self._sweep, conn.loop)
        return True

    def release(self, conn: TcpConnection) -> None:
        if not conn.admitted:
            return
        conn.admitted = False
        self.open.discard(conn)
        host = conn.peer[0]
        left = self.per_host.get(host, 1) - 1
        if left > 0:
            self.per_host[host] = left
        else:
            self.per_host.pop(host, None)

    def _sweep(self, loop: asyncio.AbstractEventLoop) -> None:
        self._sweeper = None
        now = loop.time()
        for conn in list(self.open):
            if now - conn.last_heard > self.idle_s:
                self.idle_closed += 1
                log.info("TCP connection from %s idle for %.0f s: closed", conn.peer, self.idle_s)
                if conn.transport is not None:
                    conn.transport.abort()
                self.release(conn)
        if self.open:
            self._sweeper = loop.call_later(self.idle_s / 4, self._sweep, loop)

    def close(self) -> None:
        if self._sweeper is not None:
            self._sweeper.cancel()
            self._sweeper = None


#: Connections accepted per wake-up of a TCP server, at most: a burst of connects never takes
#: more than this many descriptors before the refused ones are closed again.
ACCEPT_BATCH = 16


async def serve_tcp(
    handler: Callable[[TcpConnection, bytes], None],
    host: str,
    port: int,
    gate: TcpGate | None = None,
) -> asyncio.Server:
    """A TCP server: `handler(connection, packet)` for each packet; answer with connection.send.
    With a gate, only the connections it admits are kept. When descriptors run out, asyncio
    stops accepting for a second and tries again; connections already open are still served."""
    loop = asyncio.get_running_loop()

    def factory() -> TcpConnection:
        conn: TcpConnection

        def on_packet(data: bytes, peer: Peer) -> None:
            handler(conn, data)

        conn = TcpConnection(on_packet, gate=gate)
        return conn

    return await loop.create_server(factory, host, port, backlog=ACCEPT_BATCH)
