"""A packet server: UDP and TCP (SLIP) on one port, answers going back where requests came from.

The handler takes one packet and its sender and returns the packets to send back; it is called
on the event loop and must not block. The renderer passes its state machine's `handle_packet`.
"""

from __future__ import annotations

import asyncio
import errno
import logging
from collections.abc import Callable
from dataclasses import dataclass

from strapline.osc.transport import (
    Peer,
    TcpConnection,
    TcpGate,
    UdpEndpoint,
    open_udp,
    serve_tcp,
)

log = logging.getLogger(__name__)

Handler = Callable[[bytes, Peer], list[bytes]]


@dataclass
class PacketServer:
    udp: UdpEndpoint | None
    tcp: asyncio.Server | None
    gate: TcpGate | None = None

    @property
    def address(self) -> Peer:
        if self.udp is not None:
            return self.udp.local_address
        assert self.tcp is not None and self.tcp.sockets
        host, port = self.tcp.sockets[0].getsockname()[:2]
        return str(host), int(port)

    async def close(self) -> None:
        if self.udp is not None:
            self.udp.close()
        if self.gate is not None:
            self.gate.close()
            for conn in list(self.gate.open):
                conn.close()
        if self.tcp is not None:
            self.tcp.close()
            await self.tcp.wait_closed()


async def serve(
    handler: Handler,
    host: str = "127.0.0.1",
    port: int = 0,
    tcp: bool = True,
    udp: bool = True,
    gate: TcpGate | None = None,
) -> PacketServer:
    """Listen on UDP host:port (port 0: any free one) and, with tcp, on TCP at the same port
    (or TCP alone, with udp=False, for a program that reads its UDP socket itself). A gate
    decides which TCP connections are kept (allow-list, caps, idle timeout)."""
    if not (udp or tcp):
        raise ValueError("serve needs UDP, TCP or both")
    # port 0 picks a free UDP port; the same number may be taken for TCP: then try another
    tries = 20 if port == 0 and udp and tcp else 1
    for attempt in range(tries):
        try:
            return await _serve(handler, host, port, tcp, udp, gate)
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE or attempt == tries - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


async def _serve(
    handler: Handler, host: str, port: int, tcp: bool, udp: bool, gate: TcpGate | None
) -> PacketServer:
    endpoint: UdpEndpoint | None = None

    def on_udp(data: bytes, peer: Peer) -> None:
        assert endpoint is not None
        for reply in handler(data, peer):
            endpoint.send(reply, peer)

    if udp:
        endpoint = await open_udp(on_udp, local=(host, port))
        port = endpoint.local_address[1]
    server = None
    if tcp:

        def on_tcp(conn: TcpConnection, data: bytes) -> None:
            # a TCP sender is known by its host (port 0): a controller that reconnects to
            # retry gets its earlier answer back, not the command done twice
            for reply in handler(data, (conn.peer[0], 0)):
                conn.send(reply)

        try:
            server = await serve_tcp(on_tcp, host, port, gate)
        except OSError:
            if endpoint is not None:
                endpoint.close()
            raise
    return PacketServer(endpoint, server, gate)
