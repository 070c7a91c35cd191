"""The on-air renderer program: OSC in, frames out, on the Qt loop through qasync.

`RendererApp` wires the pieces: UDP (read straight from the Qt loop, udp.py) and TCP
(strapline.osc.server) feed the state machine (engine.py), a precise Qt timer ticks it at the
display rate, the compositor renders the layers with strapline.render on a render thread, and
`RendererWindow` only shows the finished frame. Frames are
rendered only while something moves or changed; a tick that comes more than half a period late,
or a frame that takes longer than a period to render, counts as late (reported in heartbeats).
"""

from __future__ import annotations

import asyncio
import logging
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Literal

from PySide6.QtCore import QRect, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from strapline.osc.allow import AllowList
from strapline.osc.server import PacketServer, serve
from strapline.osc.transport import Peer, TcpGate
from strapline.renderer.compositor import Compositor, ThemeCache
from strapline.renderer.engine import RendererEngine
from strapline.renderer.udp import QtUdpServer

log = logging.getLogger(__name__)

Mode = Literal["window", "fullscreen", "headless"]

#: A TCP connection that sends nothing for this long is closed (a controller's heartbeats
#: come ten times a second; a client that only sends now and then reconnects by itself).
TCP_IDLE_S = 30.0


def tcp_caps() -> tuple[int, int]:
    """TCP connections kept at most, in total and from one address: at most 256 and 32, and
    never more than half the descriptors this process may open (less a margin for the
    window, the render thread and the UDP socket), so no number of connections can use up
    the descriptors the renderer needs to stay on air."""
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if soft == resource.RLIM_INFINITY:
            soft = 1 << 20
        elif hard == resource.RLIM_INFINITY or soft < hard:
            # more descriptors where the system allows them
            want = 4096 if hard == resource.RLIM_INFINITY else min(hard, 4096)
            if want > soft:
                resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
                soft = want
    except (ImportError, ValueError, OSError):
        soft = 1024
    total = max(4, min(256, soft // 2 - 48))
    return total, max(2, min(32, total // 2))


@dataclass
class RendererOptions:
    port: int = 9100
    bind: str = "127.0.0.1"
    mode: Mode = "window"
    screen: int = 0
    key_fill: bool = False
    background: str = "transparent"
    size: tuple[int, int] = (1920, 1080)
    allow: AllowList | None = None
    renderer_id: str = "strapline-renderer"
    channel: int = 1
    tcp: bool = True
    fps: float | None = None  # None: the screen's refresh rate
    theme: str = "ice"  # used when a load names no theme
    render_thread: bool = True


class RendererWindow(QWidget):
    """Shows the latest frame, scaled to fit; all the work happens elsewhere."""

    closed = Signal()

    def __init__(self, title: str) -> None:
        super().__init__()
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._image: QImage | None = None

    def show_frame(self, image: QImage) -> None:
        self._image = image
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), Qt.GlobalColor.black)
        image = self._image
        if image is not None and not image.isNull():
            w, h = self.width(), self.height()
            scale = min(w / image.width(), h / image.height())
            tw, th = int(image.width() * scale), int(image.height() * scale)
            target = QRect((w - tw) // 2, (h - th) // 2, tw, th)
            # 1:1 on air (full screen at the frame size); a scaled monitor window stays cheap
            painter.drawImage(target, image)
        painter.end()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closed.emit()
        super().closeEvent(event)


class RendererApp:
    """One renderer: server, engine, compositor, frame clock and (unless headless) a window."""

    def __init__(self, options: RendererOptions) -> None:
        self.options = options
        self.themes = ThemeCache(options.theme)
        self.themes.check(options.theme)  # ValueError naming the themes when it is unknown
        self.engine = RendererEngine(
            options.renderer_id,
            allow=options.allow,
            durations=self.themes.durations,
            check_theme=self.themes.check,
            default_theme=options.theme,
        )
        self.engine.on_change = self._mark_dirty
        self.compositor = Compositor(
            self.engine,
            self.themes,
            options.size,
            channel=options.channel,
            background=options.background,
            key_and_fill=options.key_fill,
        )
        self.window: RendererWindow | None = None
        self.server: PacketServer | None = None  # TCP
        self.gate: TcpGate | None = None
        self.udp: QtUdpServer | None = None
        # one-shot, re-armed after every tick for the next frame's deadline: socket events are
        # served between frames even when frames take longer than a period
        self.timer = QTimer()
        self.timer.setSingleShot(True)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self._tick)
        self._deadline = 0.0
        self._running = False
        self.period = 1.0 / 50.0
        self.frame_times_ms: list[float] = []
        self.done: asyncio.Future[None] | None = None
        self._dirty = True
        self._last_tick: float | None = None
        self.last_frame: QImage | None = None
        # frames are drawn on a render thread, so the network is answered while they render
        self._executor: ThreadPoolExecutor | None = (
            ThreadPoolExecutor(1, thread_name_prefix="strapline-render")
            if options.render_thread
            else None
        )
        self._rendering: Future[QImage] | None = None

    def _mark_dirty(self) -> None:
        self._dirty = True

    async def start(self) -> None:
        """Bind the port (OSError if taken), open the window, start the frame clock."""
        self.done = asyncio.get_running_loop().create_future()
        self.udp = QtUdpServer(self._on_packet, self.options.bind, self.options.port)
        if self.options.tcp:
            allow = self.options.allow
            total, per_host = tcp_caps()
            self.gate = TcpGate(
                None if allow is None else allow.allows,
                max_total=total,
                max_per_host=per_host,
                idle_s=TCP_IDLE_S,
            )
            try:
                self.server = await serve(
                    self._on_packet,
                    self.options.bind,
                    self.udp.address[1],
                    udp=False,
                    gate=self.gate,
                )
            except OSError:
                self.udp.close()
                self.udp = None
                raise
        fps = self.options.fps
        if self.options.mode != "headless":
            self.window = RendererWindow(f"Strapline renderer {self.options.renderer_id}")
            self.window.closed.connect(self._on_closed)
            screens = QGuiApplication.screens()
            screen = screens[min(self.options.screen, len(screens) - 1)] if screens else None
            if self.options.mode == "fullscreen" and screen is not None:
                self.window.setGeometry(screen.geometry())
                self.window.showFullScreen()
            else:
                w, h = self.options.size
                width = w * (2 if self.options.key_fill else 1)
                self.window.resize(min(width, 1280), min(h, 1280 * h // width))
                self.window.show()
            if fps is None and screen is not None and screen.refreshRate() > 1:
                fps = screen.refreshRate()
        self.period = 1.0 / (fps or 50.0)
        self._running = True
        self._deadline = self.engine.clock()
        self._tick()

    @property
    def address(self) -> Peer:
        assert self.udp is not None
        return self.udp.address

    def _on_packet(self, data: bytes, peer: Peer) -> list[bytes]:
        replies = self.engine.handle_packet(data, peer)
        return replies

    def _on_closed(self) -> None:
        if self.done is not None and not self.done.done():
            self.done.set_result(None)

    def _tick(self) -> None:
        try:
            self._frame()
        finally:
            if self._running:
                now = self.engine.clock()
                self._deadline += self.period
                if self._deadline < now:  # fell behind: the next frame is the next slot
                    self._deadline = now + self.period - (now - self._deadline) % self.period
                self.timer.start(max(1, round((self._deadline - now) * 1000)))

    def _frame(self) -> None:
        now = self.engine.clock()
        previous, self._last_tick = self._last_tick, now
        changed = self.engine.tick(now)
        if not (changed or self._dirty or self.engine.animating()):
            return
        if self._rendering is not None:  # the last frame is still being drawn: this slot is lost
            self.engine.late_frames += 1
            self._dirty = True
            return
        if previous is not None and now - previous > 1.5 * self.period and not self._dirty:
            self.engine.late_frames += max(1, round((now - previous) / self.period) - 1)
        self._dirty = False
        layers = self.engine.frames(self.options.channel, now)  # a snapshot for the render
        start = time.perf_counter()
        if self._executor is None:
            self._show(self.compositor.compose_layers(layers), start)
            return
        future = self._executor.submit(self.compositor.compose_layers, layers)
        self._rendering = future
        loop = asyncio.get_running_loop()
        future.add_done_callback(lambda f: loop.call_soon_threadsafe(self._rendered, f, start))

    def _rendered(self, future: Future[QImage], start: float) -> None:
        self._rendering = None
        try:
            frame = future.result()
        except Exception:  # compose_layers catches per layer; this is a bug, logged
            log.exception("frame failed")
            return
        self._show(frame, start)

    def _show(self, frame: QImage, start: float) -> None:
        self.last_frame = frame
        if self.window is not None:
            self.window.show_frame(frame)
        took = time.perf_counter() - start
        self.frame_times_ms.append(took * 1000.0)
        if len(self.frame_times_ms) > 10_000:
            del self.frame_times_ms[:5_000]
        if took > self.period and self.compositor.stats.frames > 1:  # the first one warms up
            self.engine.late_frames += 1

    async def close(self) -> None:
        self._running = False
        self.timer.stop()
        if self._executor is not None:
            await asyncio.get_running_loop().run_in_executor(None, self._executor.shutdown)
            self._executor = None
        if self.udp is not None:
            self.udp.close()
            self.udp = None
        if self.server is not None:
            await self.server.close()
        if self.window is not None:
            self.window.close()
            self.window.deleteLater()
            self.window = None
