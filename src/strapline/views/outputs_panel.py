"""The outputs panel: each renderer target online or offline, its round trip plotted live, and
a button that launches the bundled renderer on this machine."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from strapline.services.outputs import TargetStatus
from strapline.views.style import OFFLINE, ONLINE

PALETTE = ["#5fa8ff", "#ffd34d", "#7be495", "#ff8a8f", "#c59bff", "#66e0e0"]


class OutputsPanel(QWidget):
    launchRendererRequested = Signal(int)  # port
    targetAdded = Signal(str, int)  # host, port (on the first output)
    targetRemoved = Signal(str)  # target label

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outputsPanel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.table = QTableWidget(0, 5, self)
        self.table.setObjectName("targetTable")
        self.table.setHorizontalHeaderLabels(["Output", "Target", "Status", "RTT", "Renderer"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setMaximumHeight(90)
        layout.addWidget(self.table)

        # pyqtgraph takes a while to import: the plot is made with the first samples, after
        # the window is up, so it never delays the start
        self.plot: Any = None
        self._plot_slot = QVBoxLayout()
        self.curves: dict[str, Any] = {}
        layout.addLayout(self._plot_slot, 1)

        bar = QHBoxLayout()
        self.target_edit = QLineEdit(self)
        self.target_edit.setPlaceholderText("host:port")
        self.target_edit.setMaximumWidth(170)
        add = QPushButton("Add target", self)
        remove = QPushButton("Remove", self)
        self.port_spin = QSpinBox(self)
        self.port_spin.setRange(1024, 65535)
        self.port_spin.setValue(9100)
        self.ndi_edit = QLineEdit(self)  # the local renderer also sends NDI under this name
        self.ndi_edit.setObjectName("ndiNameEdit")
        self.ndi_edit.setPlaceholderText("NDI name (optional)")
        self.ndi_edit.setToolTip(
            "Send the local renderer's output as an NDI source of this name too (with alpha); "
            "leave empty for no NDI. Needs strapline[ndi]."
        )
        self.ndi_edit.setMaximumWidth(150)
        self.launch_button = QPushButton("Launch local renderer", self)
        self.launch_button.setObjectName("launchRendererButton")
        self.error = QLabel(self)
        self.error.setObjectName("outputsError")
        self.error.setWordWrap(True)
        for w in (self.target_edit, add, remove):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(QLabel("port", self))
        bar.addWidget(self.port_spin)
        bar.addWidget(QLabel("NDI", self))
        bar.addWidget(self.ndi_edit)
        bar.addWidget(self.launch_button)
        layout.addLayout(bar)
        layout.addWidget(self.error)
        add.clicked.connect(self._on_add)
        remove.clicked.connect(self._on_remove)
        self.launch_button.clicked.connect(
            lambda: self.launchRendererRequested.emit(self.port_spin.value())
        )

    def show_error(self, text: str) -> None:
        """A problem with the targets or the local renderer, in red below the table."""
        self.error.setText(text)
        self.error.setToolTip(text)
        self.error.setStyleSheet("color: #ff8a8f; font-weight: 600;" if text else "")

    def _on_add(self) -> None:
        text = self.target_edit.text().strip()
        host, _, port = text.rpartition(":")
        if not host or not port.isdigit() or not 1 <= int(port) <= 65535:
            self.show_error(f"{text!r}: write a target as host:port, e.g. 127.0.0.1:9100")
            return
        self.show_error("")
        self.targetAdded.emit(host, int(port))

    def _on_remove(self) -> None:
        row = self.table.currentRow()
        item = self.table.item(row, 1) if row >= 0 else None
        if item is not None:
            self.targetRemoved.emit(item.text())

    def set_statuses(self, statuses: Sequence[TargetStatus]) -> None:
        self.table.setRowCount(len(statuses))
        for row, s in enumerate(statuses):
            if s.online is None:
                status, colour = "no replies", QColor("#5B6B7F")
            elif s.online:
                status, colour = "ONLINE", ONLINE
            else:
                status, colour = "OFFLINE", OFFLINE
            rtt = f"{s.rtt_ms:.2f} ms" if s.online and s.rtt_ms is not None else ""
            values = [s.output, s.target, status, rtt, s.renderer_id]
            for col, text in enumerate(values):
                item = QTableWidgetItem(text)
                if col == 2:
                    item.setBackground(QBrush(colour))
                    item.setForeground(QBrush(QColor("white")))
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, col, item)

    def _ensure_plot(self) -> Any:
        if self.plot is None:
            import pyqtgraph as pg

            pg.setConfigOptions(antialias=True, background="#15191f", foreground="#9aa4b1")
            plot = pg.PlotWidget(self)
            plot.setObjectName("rttPlot")
            plot.setLabel("left", "round trip", units="ms")
            plot.setLabel("bottom", "time", units="s")
            plot.showGrid(x=True, y=True, alpha=0.2)
            plot.setMinimumHeight(70)
            plot.addLegend(offset=(6, 6))
            self._plot_slot.addWidget(plot)
            self.plot = plot
        return self.plot

    def set_history(self, history: dict[str, Iterable[tuple[float, float | None]]]) -> None:
        if not history:
            return
        import pyqtgraph as pg

        plot = self._ensure_plot()
        for n, (key, samples) in enumerate(history.items()):
            xs, ys = [], []
            for t, v in samples:
                xs.append(t)
                ys.append(float("nan") if v is None else v)
            curve = self.curves.get(key)
            if curve is None:
                pen = pg.mkPen(PALETTE[n % len(PALETTE)], width=2)
                curve = plot.plot([], [], pen=pen, name=key, connect="finite")
                self.curves[key] = curve
            curve.setData(xs, ys, connect="finite")
