"""Preview and program monitors.

Preview shows the exact render of strapline.render at the output's aspect, with a title-safe
overlay and a timeline to scrub or play the in / hold / out animation. Program shows, per output,
what the renderers report as on air (falling back to the acknowledged tally when a renderer
sends no state), never what the app merely assumes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from PySide6.QtCore import QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from strapline.domain.graphics import Playhead
from strapline.views.elided import ElidedLabel
from strapline.views.style import CUED, NOT_IN_RUNDOWN, ON_AIR

HOLD_S = 2.0
# Called on the GUI thread with the playhead and pixel size: snapshots what to draw and returns
# the job that draws it (run in a worker thread), or None when there is nothing to draw.
# Raises ValueError with the reason when the graphic cannot be drawn.
RenderJob = Callable[[], QImage]
RenderFn = Callable[[Playhead | None, tuple[int, int]], RenderJob | None]


class MonitorWidget(QWidget):
    """Paints one frame scaled to fit at a fixed aspect, over a checkerboard or black."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.aspect = (16, 9)
        self.image: QImage | None = None
        self.safe: tuple[float, float] | None = None  # (action, graphics) fractions
        self.border = QColor("#333a44")
        self.message = ""
        self.setMinimumSize(QSize(192, 108))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def frame_rect(self) -> QRectF:
        w, h = self.width() - 4, self.height() - 4
        aw, ah = self.aspect
        scale = min(w / aw, h / ah)
        fw, fh = aw * scale, ah * scale
        return QRectF((self.width() - fw) / 2, (self.height() - fh) / 2, fw, fh)

    def frame_size(self) -> tuple[int, int]:
        r = self.frame_rect()
        ratio = self.devicePixelRatioF()
        return max(16, int(r.width() * ratio)), max(16, int(r.height() * ratio))

    def set_image(self, image: QImage | None, message: str = "") -> None:
        self.image = image
        self.message = message
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#0d1014"))
        r = self.frame_rect()
        tile = 16
        p.save()
        p.setClipRect(r)
        dark, light = QColor("#1a1e24"), QColor("#22272e")
        y = r.top()
        row = 0
        while y < r.bottom():
            x = r.left()
            col = row % 2
            while x < r.right():
                p.fillRect(QRectF(x, y, tile, tile), dark if col % 2 == 0 else light)
                x += tile
                col += 1
            y += tile
            row += 1
        p.restore()
        if self.image is not None:
            p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            p.drawImage(r, self.image)
        if self.safe is not None:
            for frac, colour in ((self.safe[0], "#5fa8ff"), (self.safe[1], "#ffd34d")):
                pen = QPen(QColor(colour))
                pen.setStyle(Qt.PenStyle.DashLine)
                p.setPen(pen)
                p.drawRect(
                    r.adjusted(
                        r.width() * frac, r.height() * frac, -r.width() * frac, -r.height() * frac
                    )
                )
        p.setPen(QPen(self.border, 2))
        p.drawRect(r)
        if self.message:
            p.setPen(QColor("#9aa4b1"))
            p.drawText(r, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.message)
        p.end()


class PreviewPanel(QWidget):
    """Renders in a worker thread so the GUI thread (and so the hotkeys) never waits for a
    frame; a newer request supersedes one not yet started, stale frames are dropped."""

    exportPngRequested = Signal()
    _frameReady = Signal(int, object, str)  # generation, QImage or None, error text

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("previewPanel")
        self._render: RenderFn = lambda _head, _size: None
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="preview")
        self._generation = 0
        self._busy = False
        self._queued: tuple[int, RenderJob] | None = None
        self._frameReady.connect(self._on_frame)
        self.durations = (0.5, 0.35)  # in, out (seconds), from the theme
        self.safe_area = (0.035, 0.05)
        self.output_size = (1920, 1080)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        # what the preview shows: the rundown cue that Take sends, or a graphic prepared from
        # the data that is not in the rundown (Take sends nothing then)
        self.source_label = ElidedLabel("", self)
        self.source_label.setObjectName("previewSource")
        self.source_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.in_rundown = False
        layout.addWidget(self.source_label)
        self.monitor = MonitorWidget(self)
        self.monitor.setObjectName("previewMonitor")
        self.monitor.border = NOT_IN_RUNDOWN
        layout.addWidget(self.monitor, 1)
        bar = QHBoxLayout()
        self.play_button = QPushButton("▶ Play", self)
        self.play_button.setCheckable(True)
        self.play_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setRange(0, 1000)
        self.slider.setValue(self._hold_position())
        self.slider.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.phase_label = QLabel("hold", self)
        self.phase_label.setMinimumWidth(90)
        self.safe_check = QCheckBox("Title safe", self)
        self.safe_check.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.export_button = QPushButton("Export PNG…", self)
        self.export_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        for w in (
            self.play_button,
            self.slider,
            self.phase_label,
            self.safe_check,
            self.export_button,
        ):
            bar.addWidget(w, 1 if w is self.slider else 0)
        layout.addLayout(bar)
        self.timer = QTimer(self)
        self.timer.setInterval(40)
        self.timer.timeout.connect(self._tick)
        self.play_button.toggled.connect(self.set_playing)
        self.slider.valueChanged.connect(lambda _v: self.refresh())
        self.safe_check.toggled.connect(self._on_safe)
        self.export_button.clicked.connect(self.exportPngRequested.emit)

    # ---- timeline -------------------------------------------------------------------------------
    def _total(self) -> float:
        return self.durations[0] + HOLD_S + self.durations[1]

    def _hold_position(self) -> int:
        return int(1000 * (self.durations[0] + HOLD_S / 2) / self._total())

    def playhead(self) -> Playhead | None:
        t = self.slider.value() / 1000 * self._total()
        t_in, t_out = self.durations
        if t < t_in:
            return Playhead(phase="in", t=t)
        if t < t_in + HOLD_S:
            return None  # fully in: the still
        return Playhead(phase="out", t=min(t - t_in - HOLD_S, t_out))

    def _tick(self) -> None:
        step = int(1000 * 0.04 / self._total())
        self.slider.setValue((self.slider.value() + step) % 1001)

    def set_playing(self, on: bool) -> None:
        self.play_button.setChecked(on)
        self.play_button.setText("❚❚ Pause" if on else "▶ Play")
        if on:
            self.timer.start()
        else:
            self.timer.stop()

    def _on_safe(self, on: bool) -> None:
        self.monitor.safe = self.safe_area if on else None
        self.monitor.update()

    # ---- setters --------------------------------------------------------------------------------
    def set_renderer(self, render: RenderFn) -> None:
        self._render = render
        self.refresh()

    def set_timing(self, t_in: float, t_out: float, safe_area: tuple[float, float]) -> None:
        self.durations = (t_in, t_out)
        self.safe_area = safe_area
        if self.monitor.safe is not None:
            self.monitor.safe = safe_area

    def set_source(self, text: str, in_rundown: bool) -> None:
        """Say what the preview shows: a rundown cue (Take sends it: green frame) or a graphic
        prepared from the data, not in the rundown (amber frame and caption)."""
        self.in_rundown = in_rundown
        self.source_label.setText(text)
        self.source_label.setToolTip(text)
        self.source_label.setStyleSheet(
            f"background: {CUED.name()}; color: white; font-weight: 700; padding: 2px 6px;"
            if in_rundown
            else f"background: {NOT_IN_RUNDOWN.name()}; color: black; font-weight: 700;"
            " padding: 2px 6px;"
        )
        self.monitor.border = CUED if in_rundown else NOT_IN_RUNDOWN
        self.monitor.update()

    def set_output_size(self, size: tuple[int, int]) -> None:
        self.output_size = size
        self.monitor.aspect = size
        self.refresh()

    def set_safe_area_visible(self, on: bool) -> None:
        self.safe_check.setChecked(on)

    def refresh(self) -> None:
        head = self.playhead()
        self.phase_label.setText(f"{head.phase} {head.t:.2f} s" if head else "hold")
        w, h = self.monitor.frame_size()
        ow, oh = self.output_size
        scale = min(1.0, w / ow, h / oh)
        size = (max(16, round(ow * scale)), max(16, round(oh * scale)))
        self._generation += 1
        try:
            job = self._render(head, size)
        except ValueError as exc:
            self.monitor.set_image(None, str(exc))
            return
        if job is None:
            self.monitor.set_image(None, "Nothing to preview")
            return
        self._queued = (self._generation, job)
        self._start_next()

    def _start_next(self) -> None:
        if self._busy or self._queued is None:
            return
        generation, job = self._queued
        self._queued = None
        try:
            self._pool.submit(self._run, generation, job)
        except RuntimeError:  # shut down: the window is closing
            return
        self._busy = True

    def _run(self, generation: int, job: RenderJob) -> None:
        try:
            image: QImage | None = job()
            error = ""
        except Exception as exc:  # a frame that cannot be drawn says why, in the monitor
            image, error = None, str(exc)
        self._frameReady.emit(generation, image, error)

    def _on_frame(self, generation: int, image: QImage | None, error: str) -> None:
        self._busy = False
        if generation == self._generation:
            self.monitor.set_image(image, error)
        self._start_next()

    def render_now(self) -> QImage | None:
        """The current frame, drawn on the calling thread (tests, export)."""
        head = self.playhead()
        job = self._render(head, self.output_size)
        return job() if job is not None else None

    def shutdown(self) -> None:
        self.set_playing(False)
        self._pool.shutdown(wait=True, cancel_futures=True)


class ProgramPanel(QWidget):
    """One monitor per output showing what its renderers report as on air, with how long the
    output has had a graphic on air."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("programPanel")
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(4, 4, 4, 4)
        self.monitors: dict[str, tuple[QLabel, MonitorWidget]] = {}
        self.timers: dict[str, QLabel] = {}
        self._since: dict[str, float] = {}
        self.clock: Callable[[], float] = time.monotonic  # injected in tests

    def set_on_air_since(self, output_id: str, since: float | None) -> None:
        """When the output's graphic went on air (the clock's seconds), None when clear."""
        if since is None:
            self._since.pop(output_id, None)
        else:
            self._since[output_id] = since
        self.tick()

    def tick(self) -> None:
        now = self.clock()
        for oid, label in self.timers.items():
            since = self._since.get(oid)
            if since is None:
                label.setText("")
                continue
            seconds = max(0, int(now - since))
            label.setText(f"on air {seconds // 60:02d}:{seconds % 60:02d}")

    def set_outputs(self, outputs: list[tuple[str, str, tuple[int, int]]]) -> None:
        """(id, name, size) per output."""
        for label, _monitor in self.monitors.values():
            box = label.parentWidget()
            if box is not None:
                box.deleteLater()
        self.monitors.clear()
        self.timers.clear()
        for oid, name, size in outputs:
            box = QWidget(self)
            col = QVBoxLayout(box)
            col.setContentsMargins(0, 0, 0, 0)
            label = ElidedLabel(name, box)
            label.setObjectName("monitorCaption")
            timer = QLabel("", box)
            timer.setObjectName("onAirTimer")
            timer.setStyleSheet("font-weight: 700; font-family: monospace; padding: 0 4px;")
            monitor = MonitorWidget(box)
            monitor.aspect = size
            monitor.setObjectName(f"program_{oid}")
            head = QHBoxLayout()
            head.addWidget(label, 1)
            head.addWidget(timer)
            col.addLayout(head)
            col.addWidget(monitor, 1)
            self._layout.addWidget(box, 1)
            self.monitors[oid] = (label, monitor)
            self.timers[oid] = timer

    def set_program(
        self, output_id: str, caption: str, on_air: bool, image: QImage | None, message: str = ""
    ) -> None:
        found = self.monitors.get(output_id)
        if found is None:
            return
        label, monitor = found
        label.setText(caption)
        label.setStyleSheet(f"background: {ON_AIR.name()}; color: white;" if on_air else "")
        monitor.border = ON_AIR if on_air else QColor("#333a44")
        monitor.set_image(image, message)
