"""The show's outputs on the wire: one OscPlayout per output, renderer health, reported state,
and the bundled renderer launched as a local process.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import logging
import socket
import subprocess
import sys
import time
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING

from strapline.domain.playout import ChannelState, Playout
from strapline.domain.rundown import OutputConfig
from strapline.services.eager import start_now

if TYPE_CHECKING:  # imported when the first output is made: the app's window comes up sooner
    from strapline.osc.client import OscPlayout, TargetHealth
    from strapline.osc.client import TargetConfig as OscTarget

log = logging.getLogger(__name__)

CLOSE_WAIT_S = 1.0  # how long quitting waits for a renderer still being connected to
HISTORY = 240  # round-trip samples kept per target (a minute at four samples a second)


@dataclass(frozen=True)
class TargetStatus:
    output: str
    target: str
    online: bool | None
    rtt_ms: float | None
    renderer_id: str
    late_frames: int


def _targets(output: OutputConfig) -> tuple[OscTarget, ...]:
    from strapline.osc.client import TargetConfig as OscTarget

    return tuple(
        OscTarget(
            host=t.host,
            port=t.port,
            name=t.name,
            tcp=t.transport == "tcp",
            flat=t.flat_fields,
        )
        for t in output.targets
    )


class OutputsService:
    """Creates, starts and closes the OscPlayout of each output; samples their health."""

    def __init__(
        self,
        timeout: float = 1.0,
        heartbeat: float | None = None,
        offline_after: float | None = None,
    ) -> None:
        """`heartbeat` and `offline_after` None keep the OSC client's defaults (a dead renderer
        shows offline within 0.75 s of its last answer)."""
        self._timeout = timeout
        self._heartbeat = heartbeat
        self._offline_after = offline_after
        # per output: (targets, channel, sync lead ms), the playout made for them
        self._playouts: dict[str, tuple[tuple[OscTarget, ...], int, int, OscPlayout]] = {}
        self._starting: set[asyncio.Task[None]] = set()
        self._closing: set[asyncio.Task[None]] = set()
        self.history: dict[str, deque[tuple[float, float | None]]] = {}
        self._t0 = time.monotonic()

    def playout(self, output: OutputConfig) -> Playout:
        """The output's OscPlayout (a new one when its targets, channel or sync lead changed)."""
        targets = _targets(output)
        found = self._playouts.get(output.id)
        if found is not None and found[:3] == (targets, output.channel, output.sync_lead_ms):
            return found[3]
        if found is not None:
            self._close_later(found[3])
        from strapline.osc.client import HEARTBEAT_S, OFFLINE_AFTER_S, OscPlayout

        pl = OscPlayout(
            targets,
            output.channel,
            timeout=self._timeout,
            heartbeat=self._heartbeat or HEARTBEAT_S,
            offline_after=self._offline_after or OFFLINE_AFTER_S,
            start=start_now,  # every target's datagram leaves in the caller's step
            sync_lead_s=output.sync_lead_ms / 1000,
        )
        self._playouts[output.id] = (targets, output.channel, output.sync_lead_ms, pl)
        task = asyncio.get_running_loop().create_task(pl.start())
        self._starting.add(task)
        task.add_done_callback(self._starting.discard)
        return pl

    async def ready(self, timeout: float | None = None) -> None:
        """Wait until every playout created so far has opened its sockets (at most `timeout`
        seconds: a TCP renderer that cannot be reached keeps its playout connecting)."""
        if self._starting:
            await asyncio.wait(set(self._starting), timeout=timeout)

    def _close_later(self, pl: OscPlayout) -> None:
        """Close a playout that was replaced (its targets changed) or whose output went; `close`
        waits for these, so no socket outlives the app."""
        with contextlib.suppress(RuntimeError):
            task = asyncio.get_running_loop().create_task(self._close_after_start(pl))
            self._closing.add(task)
            task.add_done_callback(self._closing.discard)

    async def _close_after_start(self, pl: OscPlayout) -> None:
        await self.ready(CLOSE_WAIT_S)  # one still opening its sockets closes once they are
        await pl.close()

    def retain(self, outputs: list[OutputConfig]) -> None:
        """Close the playouts of outputs that no longer exist."""
        keep = {o.id for o in outputs}
        for oid in [k for k in self._playouts if k not in keep]:
            self._close_later(self._playouts.pop(oid)[3])

    async def close(self) -> None:
        """Close every playout; the app's quit never waits long for an unreachable renderer
        (a TCP target still connecting is given up after CLOSE_WAIT_S)."""
        await self.ready(CLOSE_WAIT_S)
        for task in list(self._starting):
            task.cancel()
        if self._closing:
            await asyncio.wait(set(self._closing), timeout=CLOSE_WAIT_S)
        for *_, pl in self._playouts.values():
            await pl.close()
        self._playouts.clear()

    def statuses(self) -> list[TargetStatus]:
        out: list[TargetStatus] = []
        for oid, (*_, pl) in self._playouts.items():
            for h in pl.health():
                out.append(_status(oid, h))
        return out

    def sample(self) -> list[TargetStatus]:
        """Record one round-trip sample per target (None when offline) and return the statuses."""
        now = time.monotonic() - self._t0
        statuses = self.statuses()
        for s in statuses:
            key = f"{s.output}/{s.target}"
            hist = self.history.setdefault(key, deque(maxlen=HISTORY))
            hist.append((now, s.rtt_ms if s.online else None))
        return statuses

    def reported(self, output_id: str) -> list[tuple[str, ChannelState | None]]:
        """What each renderer of the output last reported as its state."""
        found = self._playouts.get(output_id)
        if found is None:
            return []
        pl = found[3]
        return [(h.target, pl.reported_state(h.target)) for h in pl.health()]

    def confirmed(self, output_id: str) -> tuple[bool, ChannelState | None]:
        """Whether any renderer of the output is online, and the state the first online one
        last reported (None before it reported any). An offline renderer's last report is
        not taken: it may have died with the graphic on screen or off it."""
        found = self._playouts.get(output_id)
        if found is None:
            return False, None
        pl = found[3]
        online = [h.target for h in pl.health() if h.online]
        state = next((s for s in (pl.reported_state(t) for t in online) if s is not None), None)
        return bool(online), state

    async def request_states(self) -> None:
        for *_, pl in list(self._playouts.values()):
            with contextlib.suppress(Exception):
                await pl.request_state()


def _status(output: str, h: TargetHealth) -> TargetStatus:
    return TargetStatus(output, h.target, h.online, h.rtt_ms, h.renderer_id, h.late_frames)


def port_in_use(port: int, host: str = "127.0.0.1") -> str:
    """Why a renderer could not listen on `port` here (UDP and TCP), or "" when it can."""
    for kind, name in ((socket.SOCK_DGRAM, "UDP"), (socket.SOCK_STREAM, "TCP")):
        with socket.socket(socket.AF_INET, kind) as sock:
            try:
                sock.bind((host, port))
            except OSError as exc:
                return f"{name} port {port} is in use ({exc.strerror or exc})"
    return ""


class RendererLauncher:
    """Starts the bundled renderer (`strapline renderer --port N --window`) as a child process."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None
        self.port: int | None = None
        self._reported_exit = False

    def exited(self) -> int | None:
        """The exit code of a renderer we started that has stopped (once; None otherwise)."""
        if self.process is None or self._reported_exit:
            return None
        code = self.process.poll()
        if code is None:
            return None
        self._reported_exit = True
        return code

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def launch(
        self, port: int, window: bool = True, extra: list[str] | None = None, ndi: str = ""
    ) -> int:
        """Start it unless one we started is still running; returns the process id. With `ndi`
        it also sends its output as an NDI source of that name (docs/ndi.md)."""
        if self.process is not None and self.process.poll() is None:
            return self.process.pid
        if ndi and importlib.util.find_spec("cyndilib") is None:
            raise OSError(
                "NDI output needs the NDI support, which is not installed here: "
                "pip install 'strapline[ndi]' (or leave the NDI name empty)"
            )
        busy = port_in_use(port)
        if busy:
            raise OSError(
                f"{busy}: the local renderer cannot listen there (if a renderer already runs "
                "on it, add it as a target instead)"
            )
        cmd = [sys.executable, "-m", "strapline", "renderer", "--port", str(port)]
        cmd.append("--window" if window else "--headless")
        if ndi:
            cmd += ["--ndi", ndi]
        cmd += extra or []
        self.process = subprocess.Popen(cmd, stdin=subprocess.DEVNULL)
        self.port = port
        self._reported_exit = False
        return self.process.pid

    def stop(self, timeout: float = 3.0) -> None:
        proc = self.process
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout)
