"""The on-air renderer program: OSC in, frames out, on the Qt loop through qasync.

`RendererApp` wires the pieces: UDP (read straight from the Qt loop, udp.py) and TCP
(strapline.osc.server) feed the state machine (engine.py), a precise Qt timer ticks it at the
display rate, the compositor renders the layers with strapline.render on a render thread, and
`RendererWindow` only shows the finished frame; with NDI the same frame goes to an NDI sender
thread (ndi.py), which repeats the last frame on slots that drew nothing new. Frames are
rendered only while something moves or changed; a tick that comes more than half a period late,
a frame handed on after its slot is over, or a frame NDI had to drop counts as late (reported in
heartbeats, and by cause in `late_causes`).

Frame slots are aligned on the wall clock (slot k starts at k periods since the epoch), and a
frame shows the graphics as they are at its slot's start, not at the moment the timer fired:
renderers on machines that share a clock (NTP/PTP) tick on the same slots, and a timetagged take
lands on the same frame on all of them. Each frame is stamped (`FrameStamp`): its slot, when
the change it is the first to show arrived, and when it was handed to the window and to NDI;
`--frame-log` writes the stamps as JSON lines.

To keep frames on time: a packet that changes what is seen has the next slot's frame drawn at
once (`_ahead`), not at the next tick, and frames drawn before it are dropped (but the next
slot's, its fallback); a graphic is drawn once off air when loaded, before its take, and when
updated, before its out (`_prepare_new`); and while something moves, frames are drawn up to
`AHEAD` slots ahead, each as soon as the one before is done, and handed on at their slots'
ticks (`_pipeline`). Animation is a function of time, so a frame drawn ahead stays
right until a packet changes what is to be seen (`_seen`).
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import threading
import time
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Literal

from pydantic import BaseModel
from PySide6.QtCore import QRect, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from strapline.domain.graphics import Playhead, steps
from strapline.domain.theme import Theme
from strapline.osc.allow import AllowList
from strapline.osc.server import PacketServer, serve
from strapline.osc.transport import Peer, TcpGate
from strapline.render import keep_at_rest, render_graphic
from strapline.renderer.compositor import Compositor, ThemeCache
from strapline.renderer.engine import LayerFrame, RendererEngine
from strapline.renderer.ndi import NdiOptions, NdiOutput
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
    ndi: NdiOptions | None = None  # send the output as an NDI source too
    frame_log: Path | None = None  # write every frame's stamps there (JSON lines)


#: Frames whose stamps are kept in memory (`RendererApp.stamps`).
STAMPS_KEPT = 4096
#: Loaded graphics waiting to be drawn off air before their take, at most (the newest kept).
PREPARE_WAITING = 4

#: While something moves, frames are drawn up to this many slots ahead of the one on air and
#: handed on at their slots (each is a frame-sized image: 33 MB at 2160p). A frame that takes
#: longer than a period now and then (a shared machine, the NDI encoder on the same cores) is
#: absorbed by those drawn before it; a change drops them and is drawn at once.
AHEAD = 4


#: One layer of a frame in its stamp (see `FrameStamp.layers`).
StampLayer = tuple[int, str, str, float, str, int | None]


@dataclass
class FrameStamp:
    """When one frame was made and handed on (monotonic clock seconds, as `time.monotonic`)."""

    frame: int  # frames made by this renderer, from 1
    slot: int  # wall-clock frame slot: the frame shows the graphics at slot * period
    tick: float  # the slot's start on the monotonic clock: the moment the frame shows
    change: float | None = None  # arrival of the first packet whose change this frame shows
    started: float | None = None  # handed to the render thread
    drawn: float | None = None  # the render thread finished it
    rendered: float | None = None  # handed on (a frame drawn ahead waits for its slot)
    window: float | None = None  # handed to the window
    ndi: float | None = None  # handed to NDI
    #: what each layer shows: layer, graphic, phase, playhead t, the digest of its data
    #: (`engine.data_digest`) and the clock it shows (ms; None for a graphic without a clock)
    layers: list[StampLayer] = field(default_factory=list)


@dataclass
class _Drawn:
    """A frame drawn: the program and the window's picture, when drawing began
    (perf_counter), its stamp, and what it shows (`RendererApp._seen`)."""

    frames: tuple[QImage, QImage]
    start: float
    stamp: FrameStamp
    seen: list[tuple[object, ...]]


class FrameLog:
    """Frame stamps as JSON lines, one per frame and output, from any thread."""

    def __init__(self, path: Path) -> None:
        self._file: IO[str] | None = path.open("a", encoding="utf-8", buffering=1)
        self._lock = threading.Lock()

    def write(self, stamp: FrameStamp, output: str) -> None:
        line = json.dumps({"output": output, **asdict(stamp)}, separators=(",", ":"))
        with self._lock:
            if self._file is not None:
                self._file.write(line + "\n")

    def write_summary(self, summary: dict[str, object]) -> None:
        """The last line: {"output": "summary", ...} with the late frames and their causes."""
        with self._lock:
            if self._file is not None:
                self._file.write(json.dumps({"output": "summary", **summary}) + "\n")

    def close(self) -> None:
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None


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
        self.last_frame: QImage | None = None  # the picture the window shows
        self.last_program: QImage | None = None  # the frame with its alpha (NDI sends it)
        self.stamps: deque[FrameStamp] = deque(maxlen=STAMPS_KEPT)
        self._frames = 0
        self._change_at: float | None = None  # arrival of a change no frame shows yet
        self._ndi_dropped = 0
        #: What the newest frame made (or being made) shows (`_seen`) and its stamp; the same
        #: of the newest frame handed on.
        self._last_made: tuple[list[tuple[object, ...]], FrameStamp] | None = None
        self._last_shown: tuple[list[tuple[object, ...]], FrameStamp] | None = None
        self._ahead_scheduled = False
        #: Frames drawn ahead, done before their slots, in slot order (at most `AHEAD`).
        self._held: deque[_Drawn] = deque()
        #: The slot whose tick showed its fallback (`_drop_held`): the change's frame for it
        #: is still to come.
        self._fallback_slot: int | None = None
        self._late_slot = -1  # the newest slot counted late (a slot counts once)
        #: graphics drawn once off air (`_prepare_new`), by their data's identity and page
        self._prepared: dict[tuple[int, int], object] = {}
        self._to_prepare: list[tuple[str, BaseModel, Theme, int]] = []  # for a quiet tick
        self._preparing: Future[None] | None = None
        #: Late frames by cause: tick_late (the frame clock woke late), render_busy (the last
        #: frame still drawing at the next slot), render_slow (a frame handed on after its
        #: slot), ndi_dropped (NDI could not send a frame before the next one came).
        self.late_causes: dict[str, int] = {}
        self.frame_log = FrameLog(options.frame_log) if options.frame_log else None
        self.ndi: NdiOutput | None = None
        # frames are drawn on a render thread, so the network is answered while they render
        self._executor: ThreadPoolExecutor | None = (
            ThreadPoolExecutor(1, thread_name_prefix="strapline-render")
            if options.render_thread
            else None
        )
        self._rendering: Future[tuple[QImage, QImage]] | None = None

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
        if self.options.ndi is not None:
            self.ndi = NdiOutput(
                self.options.ndi, self.options.size, 1.0 / self.period, on_sent=self._ndi_sent
            )
            try:
                self.ndi.start()  # NdiUnavailable naming the problem
            except Exception:
                self.ndi = None
                await self.close()
                raise
        self._running = True
        # the first slot boundary of the wall-clock grid from now
        now, wall = self.engine.clock(), self.engine.wall()
        self._deadline = now + (math.floor(wall / self.period) + 1) * self.period - wall
        self._tick()

    @property
    def address(self) -> Peer:
        assert self.udp is not None
        return self.udp.address

    def _on_packet(self, data: bytes, peer: Peer) -> list[bytes]:
        arrived = self.engine.clock()
        before = self.engine.revision((None, None))
        replies = self.engine.handle_packet(data, peer)
        if self.engine.revision((None, None)) != before:
            if self._change_at is None:
                self._change_at = arrived
            self._prepare_new()
            if not self._ahead_scheduled and self._running:
                self._ahead_scheduled = True  # after every datagram waiting now is handled
                QTimer.singleShot(0, self._ahead)
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

    def _slot(self) -> tuple[int, float]:
        """The frame slot now (the grid boundary just passed) and its start (monotonic)."""
        now, wall = self.engine.clock(), self.engine.wall()
        slot = math.floor((wall + 0.002) / self.period)  # the timer may fire a ms early
        return slot, now - (wall - slot * self.period)

    def _prepare_new(self) -> None:
        """Note each newly loaded graphic, to be drawn once off air before its take, and each
        graphic newly on air by an update, to be drawn once off air before its out (see
        `_prepare_next`). At most the newest few wait (loads can come faster than they are
        drawn): nothing piles up."""
        if self._executor is None:
            return
        for layer in self.engine.channels.get(self.options.channel, {}).values():
            for content, step in ((layer.loaded, 0), (layer.on_air, layer.step)):
                if content is None or (id(content.model), step) in self._prepared:
                    continue
                self._prepared[id(content.model), step] = content.model  # ids stay unique
                while len(self._prepared) > 64:
                    del self._prepared[next(iter(self._prepared))]
                theme = self.themes.get(content.theme)  # fonts registered on this (GUI) thread
                self._to_prepare.append((content.graphic, content.model, theme, step))
                del self._to_prepare[:-PREPARE_WAITING]

    def _prepare_next(self) -> None:
        """On a tick with nothing to draw, draw the next graphic noted by `_prepare_new` off air
        on the render thread (`_prepare`): its text is measured, its flags and pictures
        loaded and a table's landed picture painted before the take or the out, so their
        first frames only compose what is ready. On the render thread itself, so that no other
        thread holds frame-sized buffers of its own."""
        if self._executor is None or not self._to_prepare or self._rendering is not None:
            return
        if self._preparing is not None and not self._preparing.done():
            return
        graphic, model, theme, step = self._to_prepare.pop(0)
        self._preparing = self._executor.submit(
            _prepare, graphic, model, theme, self.options.size, self.period, step
        )

    def _ahead(self, dropped: int | None = None) -> None:
        """Draw the next slot's frame now, when a packet changed what is seen, instead of
        waiting for that slot's tick to begin it: a take is ready when its slot begins. Like
        every frame drawn before its slot, it is handed on at the slot's tick, not before, so a
        change that comes in the meantime (the tower's update a few ms after the clock's) is
        drawn again into the same slot instead of waiting for the one after. Frames drawn ahead
        before the change are dropped; a frame being drawn is dropped when it is done
        (`_rendered`), which comes back here with the slot of that frame (`dropped`): when that
        slot has begun, it is that slot's frame that is drawn, handed on as soon as it is done,
        since none of it is on air yet."""
        self._ahead_scheduled = False
        if not self._running:
            return
        now, wall = self.engine.clock(), self.engine.wall()
        current = math.floor(wall / self.period)
        made = self._last_made
        if made is not None and self._still_right(*made):
            # e.g. a load: nothing new to see, what is drawn stays right, and no frame will
            # be the first to show this change
            self._dirty = False
            self._change_at = None
            return
        self._drop_held()
        if self._rendering is not None:
            return
        # the first slot none of whose frame with the change is on air: this one when a frame
        # with the change was dropped while being drawn for it (or for a slot already over),
        # or when only its fallback went out; else the next
        begun = dropped is not None and dropped <= current
        slot = current if begun or current == self._fallback_slot else current + 1
        at = now + slot * self.period - wall
        if self._made_slot is not None and self._made_slot >= slot and slot != self._fallback_slot:
            return  # the slot is on air already: the next tick draws the change
        due = self.engine.next_due()
        if due is not None and due <= at:  # a timetagged command is due first: the tick does it
            return
        self._make(slot, at, self.engine.frames(self.options.channel, at), hold=True)

    def _pipeline(self) -> None:
        """While something moves, draw the frames of the next slots (up to `AHEAD`) as soon
        as the render thread is free, each handed on at its slot's tick: a frame that takes
        longer than a period now and then is absorbed by the ones drawn before it."""
        if self._executor is None or self._rendering is not None or not self._running:
            return
        if self._made_slot is None or not self.engine.animating():
            return
        now, wall = self.engine.clock(), self.engine.wall()
        current = math.floor(wall / self.period)
        slot = max(self._made_slot + 1, current)  # never a slot already over
        if slot > current + AHEAD:
            return
        at = now + slot * self.period - wall
        due = self.engine.next_due()
        if due is not None and due <= at:  # a timetagged command: its tick draws that frame
            return
        self._make(slot, at, self.engine.frames(self.options.channel, at), hold=True)

    def _frame(self) -> None:
        now = self.engine.clock()
        slot, at = self._slot()
        previous, self._last_tick = self._last_tick, now
        changed = self.engine.tick(at)
        if self.ndi is not None and self.ndi.stats.dropped != self._ndi_dropped:
            self._late("ndi_dropped", self.ndi.stats.dropped - self._ndi_dropped)
            self._ndi_dropped = self.ndi.stats.dropped
        moving = changed or self._dirty or bool(self._held) or self.engine.animating()
        if moving and previous is not None and now - previous > 1.5 * self.period:
            # slots went by with nothing handed on while something moved (a still picture
            # that NDI repeats a little late shows nothing late)
            self._late("tick_late", max(1, round((now - previous) / self.period) - 1))
        while self._held and self._held[0].stamp.slot < slot:  # the clock woke too late for it
            self._keep_change(self._held.popleft().stamp)
        if self._held and self._held[0].stamp.slot == slot:
            # this slot's frame, drawn before its slot began. If a change came after it was
            # drawn, it is the slot's fallback (`_drop_held`): the slot shows its time, and the
            # change's frames are drawn from the next slot on
            held = self._held.popleft()
            stale = not self._still_right(held.seen, held.stamp)
            if stale:
                self._drop_held(fallback=False)
            self._show(held)
            if stale:  # the change's frame for this slot is handed on the moment it is done
                self._fallback_slot = slot
            self._pipeline()
            return
        if self._made_slot is not None and self._made_slot >= slot and not self._dirty:
            return  # drawn ahead (a take between ticks), or being drawn for this slot
        if not (changed or self._dirty or self.engine.animating()):
            if self.ndi is not None:
                self.ndi.repeat()
            self._prepare_next()
            return
        if self._rendering is not None:  # the frame being drawn is not this slot's: it is lost
            self._late("render_busy", slot=slot)
            if self.ndi is not None:
                self.ndi.repeat()
            return
        self._dirty = False
        self._make(slot, at, self.engine.frames(self.options.channel, at))

    def _make(self, slot: int, at: float, layers: list[LayerFrame], hold: bool = False) -> None:
        """Render a snapshot of the layers for a slot (on the render thread), then show it, or
        with `hold` keep it for its slot's tick if it is done before."""
        self._dirty = False  # the snapshot has every change so far; a later one sets it again
        seen = self._seen(layers)
        self._frames += 1
        stamp = FrameStamp(self._frames, slot, at, self._change_at, layers=_summary(layers))
        self._last_made = (seen, stamp)
        self._change_at = None
        stamp.started = self.engine.clock()
        start = time.perf_counter()
        if self._executor is None:
            self._show(_Drawn(self.compositor.compose_outputs(layers), start, stamp, seen))
            return
        future = self._executor.submit(self.compositor.compose_outputs, layers)
        self._rendering = future
        loop = asyncio.get_running_loop()
        clock = self.engine.clock

        def done(f: Future[tuple[QImage, QImage]]) -> None:  # on the render thread
            stamp.drawn = clock()
            loop.call_soon_threadsafe(self._rendered, f, start, stamp, seen, hold)

        future.add_done_callback(done)

    def _rendered(
        self,
        future: Future[tuple[QImage, QImage]],
        start: float,
        stamp: FrameStamp,
        seen: list[tuple[object, ...]],
        hold: bool = False,
    ) -> None:
        self._rendering = None
        try:
            frames = future.result()
        except Exception:  # compose_layers catches per layer; this is a bug, logged
            log.exception("frame failed")
            return
        if not self._running:
            return
        drawn = _Drawn(frames, start, stamp, seen)
        early = self._slot()[0] < stamp.slot  # done before its slot began
        if not self._still_right(seen, stamp):
            # a packet changed what is to be seen since it was begun (two updates that came
            # a few ms apart are one change): a frame with the change now (for this frame's
            # slot when it has begun, else the next), rather than this one and the change a
            # slot later
            self._keep_change(stamp)
            self._drop_held()
            self._ahead(dropped=stamp.slot)
            self._pipeline()
            return
        if hold and early:  # its slot's tick shows it (in place of a fallback for that slot)
            while self._held and self._held[-1].stamp.slot >= stamp.slot:
                _take_over(stamp, self._held.pop().stamp)
            self._held.append(drawn)
        else:
            self._show(drawn)
        self._pipeline()

    @property
    def _made_slot(self) -> int | None:
        """The slot of the newest frame made or being made (after frames are dropped, of the
        one on air)."""
        return None if self._last_made is None else self._last_made[1].slot

    def _still_right(self, seen: list[tuple[object, ...]], stamp: FrameStamp) -> bool:
        """Whether a frame drawn ahead still shows what is to be seen at its slot."""
        return self._seen(self.engine.frames(self.options.channel, stamp.tick)) == seen

    def _drop_held(self, fallback: bool = True) -> None:
        """After a change, forget the frames drawn ahead before it (as is the one being drawn,
        if any, unless it has the change): frames are drawn again from the slot after the one
        on air. With `fallback`, the next slot's frame is kept as that slot's fallback: its
        time is right, only the change is missing; the change's own frame for that slot takes
        its place when it is done before the slot begins, and is handed on the moment it is
        done otherwise. A change that comes too close to a slot's start for its frame to be
        drawn in time so costs no late frame. Without (the change is found at a slot's tick,
        whose own fallback goes out), every frame held is dropped: a fallback may only stand
        in for the change's frame of its own slot, never follow it on air."""
        following = math.floor(self.engine.wall() / self.period) + (1 if fallback else 0)
        while self._held and self._held[-1].stamp.slot > following:
            self._keep_change(self._held.pop().stamp)
        made = self._last_made
        if made is None or self._rendering is None or not self._still_right(*made):
            self._last_made = self._last_shown  # else the frame being drawn has the change

    def _keep_change(self, stamp: FrameStamp) -> None:
        """A frame that never went to air hands the arrival of the change it was the first to
        show on to the next frame made (its stamp says when the change came)."""
        self._change_at = _earlier(self._change_at, stamp.change)

    def _seen(self, layers: list[LayerFrame]) -> list[tuple[object, ...]]:
        """What a frame of these layers shows, apart from time. A phase that has run its course
        counts as the rest it ends in (an in at its end is the still; the tick that ends it
        changes nothing on screen), a finished out as nothing; a running clock by the data it
        runs from."""
        out: list[tuple[object, ...]] = []
        for f in layers:
            d_in, d_out, d_update = self.themes.durations(f.theme)
            phase, t = f.playhead.phase, f.playhead.t
            if phase == "out" and t >= d_out:
                continue
            if (phase == "in" and t >= d_in) or (phase == "update" and t >= d_update):
                phase = "hold"
            source = f.source if f.source is not None else f.model
            out.append((f.layer, f.graphic, f.theme, id(source), phase, f.playhead.step))
        return out

    def _show(self, drawn: _Drawn) -> None:
        program, shown = drawn.frames
        stamp = drawn.stamp
        covered, self._fallback_slot = self._fallback_slot == stamp.slot, None
        while self._held and self._held[0].stamp.slot <= stamp.slot:  # a fallback, too late
            _take_over(stamp, self._held.popleft().stamp)
        self.last_frame, self.last_program = shown, program
        if self._last_shown is None or stamp.slot >= self._last_shown[1].slot:
            self._last_shown = (drawn.seen, stamp)
        stamp.rendered = self.engine.clock()
        if self.ndi is not None:
            self.ndi.submit(program, stamp)
        if self.window is not None:
            self.window.show_frame(shown)
            stamp.window = self.engine.clock()
            if self.frame_log is not None:
                self.frame_log.write(stamp, "window")
        elif self.ndi is None and self.frame_log is not None:
            self.frame_log.write(stamp, "headless")  # handed on to no output
        self.stamps.append(stamp)
        took = time.perf_counter() - drawn.start
        self.frame_times_ms.append(took * 1000.0)
        if len(self.frame_times_ms) > 10_000:
            del self.frame_times_ms[:5_000]
        # a frame handed on after its slot was over lost that slot, unless its fallback went
        # out at the slot's tick (the first frame warms up)
        over = math.floor(self.engine.wall() / self.period) > stamp.slot
        if over and not covered and self.compositor.stats.frames > 1:
            self._late("render_slow", slot=stamp.slot)

    def _late(self, cause: str, frames: int = 1, *, slot: int | None = None) -> None:
        """Count late frames (in heartbeats) and why (`late_causes`, the frame log's end); a
        slot counts once, however many reasons it has."""
        if slot is not None:
            if slot <= self._late_slot:
                return
            self._late_slot = slot
        self.engine.late_frames += frames
        self.late_causes[cause] = self.late_causes.get(cause, 0) + frames

    def _ndi_sent(self, stamp: object, handed: float) -> None:
        """On the NDI thread: a new frame was handed to NDI."""
        if isinstance(stamp, FrameStamp):
            stamp.ndi = handed
            if self.frame_log is not None:
                self.frame_log.write(stamp, "ndi")

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
        ndi_stats = None
        if self.ndi is not None:
            ndi_stats = self.ndi.stats
            await asyncio.get_running_loop().run_in_executor(None, self.ndi.close)
            self.ndi = None
        if self.frame_log is not None:
            self.frame_log.write_summary(
                {
                    "late_frames": self.engine.late_frames,
                    "late_causes": self.late_causes,
                    "frames": self._frames,
                    "ndi_sent": 0 if ndi_stats is None else ndi_stats.sent,
                    "ndi_dropped": 0 if ndi_stats is None else ndi_stats.dropped,
                }
            )
            self.frame_log.close()
            self.frame_log = None
        # last: closing the last window may stop the Qt loop
        if self.window is not None:
            self.window.close()
            self.window.deleteLater()
            self.window = None


def _prepare(
    graphic: str,
    model: BaseModel,
    theme: Theme,
    size: tuple[int, int],
    period: float,
    step: int = 0,
) -> None:
    """A graphic drawn off air on page `step` (0 when loaded; the page on air when shown by a
    take or an update): the first frames of its in and of its out (a table's landed picture,
    which the out is composed from: for data that came by an update it was never painted),
    its still, for a table with a next page the first frame of that page turn (the next
    page's picture), and its picture at rest as an update's cross-fade keeps it."""
    # (the still itself is painted by keep_at_rest, below)
    playheads = [
        Playhead(phase="in", t=period, step=step),
        Playhead(phase="out", t=period, step=step),
    ]
    if steps(graphic, model) > step + 1:
        previous = model.model_dump(mode="json")
        playheads.append(
            Playhead(phase="update", t=period, step=step + 1, previous=previous, previous_step=step)
        )
    try:
        for playhead in playheads:
            render_graphic(graphic, model, theme, size, playhead)
        keep_at_rest(graphic, model, theme, size, step)  # what an update would fade from
    except Exception:  # the take itself will say what is wrong, once
        log.debug("preparing %s failed", graphic, exc_info=True)


def _take_over(stamp: FrameStamp, replaced: FrameStamp) -> None:
    """A frame goes to air in place of one drawn for the same slot or an earlier one, which
    never will: the change that one was the first to show, this one is."""
    stamp.change = _earlier(stamp.change, replaced.change)


def _earlier(a: float | None, b: float | None) -> float | None:
    """The earlier of two change arrivals, either of which may be none."""
    return b if a is None else a if b is None else min(a, b)


def _summary(layers: list[LayerFrame]) -> list[StampLayer]:
    return [
        (
            f.layer,
            f.graphic,
            f.playhead.phase,
            round(f.playhead.t, 6),
            f.digest,
            getattr(f.model, "clock_ms", None),
        )
        for f in layers
    ]
