"""A test OSC receiver: records every command datagram with its arrival time, answers acks and
pings like a renderer would, and can fall silent to play a renderer that drops out."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

from strapline.osc import address as osc
from strapline.osc.codec import parse_packet


@dataclass
class Received:
    at: float  # time.perf_counter() on arrival
    command: Any


class OscReceiver(asyncio.DatagramProtocol):
    def __init__(self) -> None:
        self.received: list[Received] = []
        self.silent = False
        self.transport: asyncio.DatagramTransport | None = None
        self.port = 0
        self.arrived = asyncio.Event()
        self.started = time.time()

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        transport, _ = await loop.create_datagram_endpoint(
            lambda: self, local_addr=("127.0.0.1", 0)
        )
        self.transport = transport  # type: ignore[assignment]
        self.port = transport.get_extra_info("sockname")[1]

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()

    def commands(self, kind: type[Any] | None = None) -> list[Any]:
        return [r.command for r in self.received if kind is None or isinstance(r.command, kind)]

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:  # type: ignore[override]
        at = time.perf_counter()
        if self.silent or self.transport is None:
            return
        for timed in parse_packet(data):
            command = osc.parse_command(timed.message)
            if isinstance(command, osc.Ping):
                reply = osc.Pong(command.seq, command.sent, "test-rx", time.time(), self.started, 0)
                self.transport.sendto(osc.build_reply(reply), addr)
                continue
            self.received.append(Received(at, command))
            self.arrived.set()
            self.transport.sendto(osc.build_reply(osc.Ack(command.seq, "test-rx")), addr)

    async def wait_for(self, kind: type[Any], count: int = 1, timeout: float = 3.0) -> list[Any]:
        deadline = time.monotonic() + timeout
        while len(self.commands(kind)) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"no {kind.__name__} arrived; got {self.commands()}")
            await asyncio.sleep(0.01)
        return self.commands(kind)
