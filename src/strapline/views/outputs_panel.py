"""The outputs panel: each renderer target online or offline, its round trip plotted live, and
a button that launches the bundled renderer on this machine."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
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

from strapline.domain.rundown import OutputConfig, TargetConfig
from strapline.services.outputs import TargetStatus
from strapline.views.style import OFFLINE, ONLINE

PALETTE = ["#5fa8ff", "#ffd34d", "#7be495", "#ff8a8f", "#c59bff", "#66e0e0"]


class OutputsPanel(QWidget):
    launchRendererRequested = Signal(int)  # port
    targetAdded = Signal(str, int, str, bool)  # host, port, transport, flat fields (1st output)
    targetRemoved = Signal(str)  # target label
    targetChanged = Signal(str, str, bool)  # target label, transport, flat fields
    syncLeadChanged = Signal(str, int)  # output id, milliseconds

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
        for col, width in ((0, 70), (2, 76), (3, 70), (4, 80)):
            self.table.setColumnWidth(col, width)
        self.table.setMaximumHeight(90)
        layout.addWidget(self.table)

        # pyqtgraph takes a while to import: the plot is made with the first samples, after
        # the window is up, so it never delays the start
        self.plot: Any = None
        self._plot_slot = QVBoxLayout()
        self.curves: dict[str, Any] = {}
        layout.addLayout(self._plot_slot, 1)

        bar = QHBoxLayout()
        local = QHBoxLayout()
        self.target_edit = QLineEdit(self)
        self.target_edit.setPlaceholderText("host:port")
        self.target_edit.setMinimumWidth(140)
        self.transport_combo = QComboBox(self)
        self.transport_combo.setObjectName("transportCombo")
        self.transport_combo.addItem("UDP", "udp")
        self.transport_combo.addItem("TCP", "tcp")
        self.transport_combo.setToolTip("How the renderer is reached: UDP, or TCP across networks")
        self.flat_check = QCheckBox("flat fields", self)
        self.flat_check.setToolTip(
            "Each data field on its own address, for renderers that bind one address to one "
            "parameter (no acknowledgements: shown as 'no replies')"
        )
        add = QPushButton("Add target", self)
        remove = QPushButton("Remove", self)
        self.apply_button = QPushButton("Apply to selected", self)
        self.apply_button.setToolTip("Set the selected target's transport and flat fields")
        self.lead_spin = QSpinBox(self)
        self.lead_spin.setObjectName("syncLeadSpin")
        self.lead_spin.setRange(0, 2000)
        self.lead_spin.setSuffix(" ms")
        self.lead_spin.setToolTip(
            "Sync lead of the selected target's output (the first output when none is "
            "selected): plays are timed this far ahead so every renderer starts the same frame"
        )
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
        for w in (self.target_edit, self.transport_combo, self.flat_check, add, remove):
            bar.addWidget(w)
        bar.addStretch(1)
        options = QHBoxLayout()
        options.addWidget(self.apply_button)
        options.addStretch(1)
        options.addWidget(QLabel("Sync lead", self))
        options.addWidget(self.lead_spin)
        local.addWidget(QLabel("Local renderer on port", self))
        local.addWidget(self.port_spin)
        local.addWidget(QLabel("NDI", self))
        local.addWidget(self.ndi_edit)
        local.addWidget(self.launch_button)
        local.addStretch(1)
        layout.addLayout(bar)
        layout.addLayout(options)
        layout.addLayout(local)
        layout.addWidget(self.error)
        add.clicked.connect(self._on_add)
        remove.clicked.connect(self._on_remove)
        self.apply_button.clicked.connect(self._on_apply)
        self.lead_spin.editingFinished.connect(self._on_lead)
        self.table.itemSelectionChanged.connect(self._on_row)
        self._outputs: list[OutputConfig] = []
        self.launch_button.clicked.connect(
            lambda: self.launchRendererRequested.emit(self.port_spin.value())
        )

    def set_outputs(self, outputs: list[OutputConfig]) -> None:
        """The show's outputs and targets as configured (the table shows their health)."""
        self._outputs = outputs
        self._on_row()

    def _selected(self) -> tuple[OutputConfig, TargetConfig | None] | None:
        row = self.table.currentRow()
        item = self.table.item(row, 1) if row >= 0 else None
        label = item.text() if item is not None else ""
        for out in self._outputs:
            for t in out.targets:
                if label in (t.label, f"{t.host}:{t.port}", f"{t.host}:{t.port}/tcp"):
                    return out, t
        return (self._outputs[0], None) if self._outputs else None

    def _on_row(self) -> None:
        found = self._selected()
        if found is None:
            return
        out, target = found
        self.lead_spin.setValue(out.sync_lead_ms)
        if target is not None:
            self.transport_combo.setCurrentIndex(
                max(0, self.transport_combo.findData(target.transport))
            )
            self.flat_check.setChecked(target.flat_fields)

    def _on_apply(self) -> None:
        found = self._selected()
        if found is None or found[1] is None:
            self.show_error("Select a target in the table first")
            return
        self.targetChanged.emit(
            found[1].label, self.transport_combo.currentData(), self.flat_check.isChecked()
        )

    def _on_lead(self) -> None:
        found = self._selected()
        if found is not None and found[0].sync_lead_ms != self.lead_spin.value():
            self.syncLeadChanged.emit(found[0].id, self.lead_spin.value())

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
        self.targetAdded.emit(
            host, int(port), self.transport_combo.currentData(), self.flat_check.isChecked()
        )

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
