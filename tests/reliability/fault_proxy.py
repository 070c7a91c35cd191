"""A network that misbehaves on purpose: UDP and TCP proxies on loopback between the app and a
renderer, that lose, duplicate, reorder and black out traffic at random (seeded).

`UdpFaultProxy` treats each datagram on its own: lost with probability `loss`, sent twice with
`duplicate`, held back 20-150 ms with `reorder` (so later ones overtake it). `blackout(s)` loses
everything for a while; `blackout_replies_after_play(s)` loses the renderer's answers for `s`
seconds starting when the next take (a /play) passes on its way in: the take reaches the
renderer, its answers and heartbeats do not come back.

`TcpFaultProxy` cannot lose bytes of a stream; it stalls (holds everything, then delivers it),
or cuts every connection.
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass
from typing import Any

Peer = tuple[str, int]


@dataclass
class FaultCounters:
    passed: int = 0
    lost: int = 0
    duplicated: int = 0
    reordered: int = 0
    blacked_out: int = 0


class _Side(asyncio.DatagramProtocol):
    def __init__(self, on_datagram: Any) -> None:
        self.on_datagram = on_datagram

    def datagram_received(self, data: bytes, addr: Peer) -> None:
        self.on_datagram(data, addr)


class UdpFaultProxy:
    def __init__(self, upstream: Peer, seed: int) -> None:
        self.upstream = upstream
        self.rng = random.Random(seed)
        self.loss = 0.0
        self.duplicate = 0.0
        self.reorder = 0.0
        self.counters = FaultCounters()
        self._client: Peer | None = None
        self._front: asyncio.DatagramTransport | None = None
        self._back: asyncio.DatagramTransport | None = None
        self._dark_until = 0.0  # everything lost until then (loop time)
        self._replies_dark_until = 0.0
        self._arm_after_play = 0.0

    async def start(self) -> int:
        loop = asyncio.get_running_loop()
        self._front, _ = await loop.create_datagram_endpoint(
            lambda: _Side(self._from_app), local_addr=("127.0.0.1", 0)
        )
        self._back, _ = await loop.create_datagram_endpoint(
            lambda: _Side(self._from_renderer), remote_addr=self.upstream
        )
        return int(self._front.get_extra_info("sockname")[1])

    def close(self) -> None:
        for t in (self._front, self._back):
            if t is not None:
                t.close()

    def blackout(self, seconds: float) -> None:
        self._dark_until = asyncio.get_running_loop().time() + seconds

    def blackout_replies_after_play(self, seconds: float) -> None:
        self._arm_after_play = seconds

    def _now(self) -> float:
        return asyncio.get_running_loop().time()

    def _from_app(self, data: bytes, addr: Peer) -> None:
        self._client = addr
        if self._arm_after_play and b"/play" in data:
            self._replies_dark_until = self._now() + self._arm_after_play
            self._arm_after_play = 0.0
        self._forward(data, lambda d: self._back.sendto(d) if self._back else None)

    def _from_renderer(self, data: bytes, addr: Peer) -> None:
        client = self._client
        if client is None:
            return
        if self._now() < self._replies_dark_until:
            self.counters.blacked_out += 1
            return
        self._forward(data, lambda d: self._front.sendto(d, client) if self._front else None)

    def _forward(self, data: bytes, send: Any) -> None:
        if self._now() < self._dark_until:
            self.counters.blacked_out += 1
            return
        if self.rng.random() < self.loss:
            self.counters.lost += 1
            return
        copies = 1
        if self.rng.random() < self.duplicate:
            copies = 2
            self.counters.duplicated += 1
        for _ in range(copies):
            if self.rng.random() < self.reorder:
                self.counters.reordered += 1
                asyncio.get_running_loop().call_later(self.rng.uniform(0.02, 0.15), send, data)
            else:
                send(data)
        self.counters.passed += 1


class TcpFaultProxy:
    """Every connection to `port` is relayed to the renderer; `stall(s)` holds all bytes both
    ways for s seconds (then delivers them, as TCP would after a blip), `cut()` resets every
    connection."""

    def __init__(self, upstream: Peer) -> None:
        self.upstream = upstream
        self._server: asyncio.Server | None = None
        self._pairs: list[tuple[asyncio.StreamWriter, asyncio.StreamWriter]] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self._resume = asyncio.Event()
        self._resume.set()
        self._stall_after_play = 0.0
        self.connections = 0

    async def start(self) -> int:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        return int(self._server.sockets[0].getsockname()[1])

    async def close(self) -> None:
        self.cut()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        for task in list(self._tasks):
            task.cancel()

    def stall(self, seconds: float) -> None:
        self._resume.clear()
        asyncio.get_running_loop().call_later(seconds, self._resume.set)

    def stall_after_play(self, seconds: float) -> None:
        """Hold the renderer's answers for `seconds` from when the next take passes in."""
        self._stall_after_play = seconds

    def cut(self) -> None:
        for a, b in self._pairs:
            for w in (a, b):
                w.transport.abort()
        self._pairs.clear()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            writer.transport.abort()
            return
        self._pairs.append((writer, up_writer))
        for task in (
            asyncio.ensure_future(self._pump(reader, up_writer, inbound=True)),
            asyncio.ensure_future(self._pump(up_reader, writer, inbound=False)),
        ):
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _pump(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, inbound: bool
    ) -> None:
        try:
            while True:
                data = await reader.read(65536)
                if not data:
                    break
                if inbound and self._stall_after_play and b"/play" in data:
                    writer.write(data)  # the take goes through; what comes back is held
                    self.stall(self._stall_after_play)
                    self._stall_after_play = 0.0
                    continue
                await self._resume.wait()
                writer.write(data)
        except (OSError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.transport.abort()
