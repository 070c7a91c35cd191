"""Shared pieces of the reliability suite: run length, renderer processes, the app's services.

Short mode (the default, what CI runs) keeps the whole suite to a few minutes; set
STRAPLINE_RELIABILITY=long for the long runs (about ten times the work). Figures each test
measures are printed as "RELIABILITY name: value" lines (shown with `pytest -s`).
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from strapline.domain.model import Competition
from strapline.domain.rundown import Show
from strapline.services.data import DataService
from strapline.services.demo import demo_show
from strapline.services.outputs import OutputsService
from strapline.services.playout import PlayoutService
from strapline.services.show import ShowService

LONG = os.environ.get("STRAPLINE_RELIABILITY", "").strip().lower() == "long"


def scaled(short: int, long: int) -> int:
    """How much of something to do in this mode."""
    return long if LONG else short


def report(name: str, value: object) -> None:
    print(f"RELIABILITY {name}: {value}")


def free_udp_port() -> int:
    """A port free for UDP and TCP on loopback right now (the renderer listens on both)."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
            u.bind(("127.0.0.1", 0))
            port = int(u.getsockname()[1])
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as t:
                try:
                    t.bind(("127.0.0.1", port))
                except OSError:
                    continue
            return port
    raise RuntimeError("no free port on loopback")


def rss_bytes(pid: int | None = None) -> int:
    """Resident set size of a process (this one by default), from /proc."""
    status = Path(f"/proc/{pid or 'self'}/status").read_text(encoding="ascii")
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS in /proc status")


class RendererProcess:
    """`strapline renderer --headless` in a child process, on a fixed port."""

    def __init__(self, port: int, renderer_id: str = "reliability") -> None:
        self.port = port
        self.renderer_id = renderer_id
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "strapline",
                "renderer",
                "--headless",
                "--port",
                str(self.port),
                "--id",
                self.renderer_id,
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
        )

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def stderr(self) -> str:
        if self.proc is None or self.proc.poll() is None or self.proc.stderr is None:
            return ""
        return self.proc.stderr.read().decode("utf-8", "replace")


class App:
    """The app without its window: show, data, outputs and playout services, wired as app.py."""

    def __init__(self, competition: Competition, port: int, show: Show | None = None) -> None:
        self.shows = ShowService(show or demo_show(competition, port=port))
        self.data = DataService()
        self.data.set_competition(competition)
        self.outputs = OutputsService()
        self.playout = PlayoutService(self.shows, self.data, self.outputs.playout)

    def cue_id(self, name_part: str) -> str:
        for group in self.shows.show.rundown.groups:
            for cue in group.cues:
                if name_part in cue.name:
                    return cue.id
        raise LookupError(name_part)

    def online(self) -> list[bool | None]:
        return [s.online for s in self.outputs.statuses()]

    async def close(self) -> None:
        await self.outputs.close()


async def until(predicate: Callable[[], bool], timeout: float, step: float = 0.005) -> float:
    """Wait until `predicate()` holds; the seconds it took. AssertionError after `timeout`."""
    start = time.monotonic()
    while not predicate():
        if time.monotonic() - start > timeout:
            raise AssertionError(f"condition not met within {timeout} s")
        await asyncio.sleep(step)
    return time.monotonic() - start


async def wait_online(app: App, renderer: RendererProcess, timeout: float = 60.0) -> float:
    """Wait until the app sees the renderer online; fail at once, with its stderr, if it died."""
    start = time.monotonic()
    while app.online() != [True]:
        if renderer.proc is not None and renderer.proc.poll() is not None:
            raise AssertionError(
                f"the renderer exited with {renderer.proc.returncode}: {renderer.stderr()[-2000:]}"
            )
        if time.monotonic() - start > timeout:
            raise AssertionError(f"the renderer was not online within {timeout} s")
        await asyncio.sleep(0.05)
    return time.monotonic() - start
