"""A packet server: UDP and TCP (SLIP) on one port, answers going back where requests came from.

The handler takes one packet and its sender and returns the packets to send back; it is called
on the event loop and must not block. The renderer passes its state machine's `handle_packet`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass

from strapline.osc.transport import Peer, TcpConnection, UdpEndpoint, open_udp, serve_tcp

log = logging.getLogger(__name__)

Handler = Callable[[bytes, Peer], list[bytes]]


@dataclass
class PacketServer:
    udp: UdpEndpoint
    tcp: asyncio.Server | None

    @property
    def address(self) -> Peer:
        return self.udp.local_address

    async def close(self) -> None:
        self.udp.close()
        if self.tcp is not None:
            self.tcp.close()
            await self.tcp.wait_closed()


async def serve(
    handler: Handler, host: str = "127.0.0.1", port: int = 0, tcp: bool = True
) -> PacketServer:
    """Listen on UDP host:port (port 0: any free one) and, with tcp, on TCP at the same port."""
    endpoint: UdpEndpoint

    def on_udp(data: bytes, peer: Peer) -> None:
        for reply in handler(data, peer):
            endpoint.send(reply, peer)

    endpoint = await open_udp(on_udp, local=(host, port))
    server = None
    if tcp:

        def on_tcp(conn: TcpConnection, data: bytes) -> None:
            # a TCP sender is known by its host (port 0): a controller that reconnects to
            # retry gets its earlier answer back, not the command done twice
            for reply in handler(data, (conn.peer[0], 0)):
                conn.send(reply)

        try:
            server = await serve_tcp(on_tcp, host, endpoint.local_address[1])
        except OSError:
            endpoint.close()
            raise
    return PacketServer(endpoint, server)
