"""The live race panel: what the timing feed says, for the operator, and the manual keys.

Shows the race, its phase, the running clock, laps to go, the feed and its health (a silent
feed turns the health line red), the standings with gaps, marks and falls, and a pyqtgraph
lap chart (lap times per skater, crossing by crossing). Buttons for manual timing (start,
leader's lap, finish, recall) emit signals; `LiveRaceWiring` connects them to the service. The
panel holds no timing logic: everything it shows comes from `set_state`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from strapline.domain.graphics import format_laps
from strapline.domain.live_graphics import gap_text
from strapline.domain.live_race import (
    Phase,
    RaceState,
    elapsed_ms,
    lap_times,
    laps_to_go,
    standings,
)
from strapline.domain.model import format_time
from strapline.services.live import LiveRaceService
from strapline.views.style import OFFLINE, ONLINE

#: Line colours of the lap chart (the on-air lap chart's palette, for the same skater order).
PALETTE = ["#00A8E1", "#F2A900", "#E0262E", "#35C46A", "#B069E8", "#FF7F50", "#7FD3E8",
           "#D4AF37", "#9AA5B1", "#F06292", "#4DB6AC", "#C5E1A5"]  # fmt: skip


class LiveRacePanel(QWidget):
    startRequested = Signal()
    leaderLapRequested = Signal()
    finishRequested = Signal()
    recallRequested = Signal()
    addCuesRequested = Signal()  # add a 'Live race' cue group to the rundown
    bindSelectedRequested = Signal()  # bind the selected cue to the live race

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("liveRacePanel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        grid = QGridLayout()
        self.race_label = QLabel("No race", self)
        self.race_label.setObjectName("liveRaceName")
        self.phase_label = QLabel("", self)
        self.clock_label = QLabel("–", self)
        self.clock_label.setObjectName("liveRaceClock")
        self.clock_label.setStyleSheet("font-size: 22px; font-weight: 700;")
        self.laps_label = QLabel("", self)
        self.laps_label.setStyleSheet("font-size: 16px; font-weight: 600;")
        self.feed_label = QLabel("No timing feed", self)
        self.feed_label.setObjectName("liveFeedHealth")
        grid.addWidget(self.race_label, 0, 0, 1, 2)
        grid.addWidget(self.phase_label, 0, 2)
        grid.addWidget(self.clock_label, 1, 0)
        grid.addWidget(self.laps_label, 1, 1)
        grid.addWidget(self.feed_label, 1, 2)
        layout.addLayout(grid)

        keys = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for name, text, signal in (
            ("start", "Start", self.startRequested),
            ("lap", "Leader lap", self.leaderLapRequested),
            ("finish", "Finish", self.finishRequested),
            ("recall", "Recall", self.recallRequested),
        ):
            button = QPushButton(text, self)
            button.setObjectName(f"manual_{name}")
            button.clicked.connect(signal.emit)
            keys.addWidget(button)
            self.buttons[name] = button
        layout.addLayout(keys)
        self.set_manual(False)
        cues = QHBoxLayout()
        add = QPushButton("Add live race cues", self)
        add.setObjectName("addLiveCues")
        add.setToolTip("A rundown group bound to the live race: race clock, positions and lap "
                       "chart (updating on air by themselves) and the finish card")  # fmt: skip
        add.clicked.connect(self.addCuesRequested.emit)
        bind = QPushButton("Bind selected cue to the live race", self)
        bind.setObjectName("bindLive")
        bind.setToolTip("The selected cue shows whatever race the timing feed runs")
        bind.clicked.connect(self.bindSelectedRequested.emit)
        cues.addWidget(add)
        cues.addWidget(bind)
        layout.addLayout(cues)

        self.table = QTableWidget(0, 5, self)
        self.table.setObjectName("liveStandings")
        self.table.setHorizontalHeaderLabels(["Place", "Helmet", "Skater", "Gap", "Mark"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)

        # pyqtgraph is imported with the first lap times, never at start-up
        self.plot: Any = None
        self.curves: dict[int, Any] = {}
        self._plot_slot = QVBoxLayout()
        layout.addLayout(self._plot_slot, 1)
        self._state: RaceState | None = None

    # ---- setters ------------------------------------------------------------------------------
    def set_manual(self, manual: bool) -> None:
        """Manual keys are shown only for manual timing."""
        for button in self.buttons.values():
            button.setVisible(manual)

    def set_feed(self, label: str, stale: bool, errors: int) -> None:
        text = label + ("  ·  SILENT: race graphics stale" if stale else "  ·  live")
        if errors:
            text += f"  ·  {errors} bad line{'s' if errors != 1 else ''}"
        self.feed_label.setText(text)
        colour = (OFFLINE if stale else ONLINE).name()
        self.feed_label.setStyleSheet(f"color: {colour}; font-weight: 600;")

    def set_clock(self, now: float) -> None:
        state = self._state
        ms = None if state is None else elapsed_ms(state, now)
        if ms is None:
            self.clock_label.setText("–")
        else:
            running = state is not None and state.phase is Phase.RUNNING
            self.clock_label.setText(format_time(ms, 1 if running else 3))

    def set_state(self, state: RaceState, now: float) -> None:
        self._state = state
        title = " · ".join(p for p in (state.event, state.round) if p) or state.race or "No race"
        self.race_label.setText(title)
        phase = state.phase.value.upper()
        if state.restarts:
            phase += f" (restart {state.restarts})"
        self.phase_label.setText(phase)
        laps = laps_to_go(state)
        self.laps_label.setText(
            "" if laps is None else ("FINISH" if laps <= 0 else f"{format_laps(laps)} to go")
        )
        self.set_clock(now)
        rows = standings(state)
        self.table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            marks = list(row.codes) + (["fell"] if row.fell else [])
            gap = gap_text(row.gap_ms)
            if row.finish_ms is not None:
                gap = format_time(row.finish_ms, 3) + (f" {row.record}" if row.record else "")
            cells = [
                "" if row.place is None else str(row.place),
                str(row.skater.helmet),
                " ".join(p for p in (row.skater.name, row.skater.nation) if p),
                gap,
                ", ".join(marks),
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column in (0, 1, 3):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(i, column, item)
        self._plot(state)

    def _plot(self, state: RaceState) -> None:
        series = [(r.skater.helmet, r.skater.name, lap_times(state, r.skater.helmet))
                  for r in standings(state)]  # fmt: skip
        if self.plot is None:
            if not any(times for _, _, times in series):
                return
            import pyqtgraph as pg

            self.plot = pg.PlotWidget(self)
            self.plot.setObjectName("lapChart")
            self.plot.setBackground("#101820")
            self.plot.showGrid(x=True, y=True, alpha=0.25)
            self.plot.setLabel("left", "lap time", units="s")
            self.plot.setLabel("bottom", "crossing")
            self.plot.addLegend(offset=(-10, 10))
            self.plot.setMinimumHeight(160)
            self._plot_slot.addWidget(self.plot)
        import pyqtgraph as pg

        seen = set()
        for n, (helmet, name, times) in enumerate(series):
            seen.add(helmet)
            xs = list(range(1, len(times) + 1))
            ys = [t / 1000 for t in times]
            curve = self.curves.get(helmet)
            if curve is None:
                colour = PALETTE[n % len(PALETTE)]
                curve = self.plot.plot(
                    xs, ys, pen=pg.mkPen(colour, width=2), symbol="o", symbolSize=5,
                    symbolBrush=colour, name=f"{helmet} {name}".strip(),
                )  # fmt: skip
                self.curves[helmet] = curve
            else:
                curve.setData(xs, ys)
        for helmet in [h for h in self.curves if h not in seen]:
            self.plot.removeItem(self.curves.pop(helmet))


class LiveRaceWiring(QObject):
    """Connects a LiveRaceService to a LiveRacePanel (and the panel's keys to manual timing);
    the clock on the panel ticks at 10 Hz while a race runs."""

    def __init__(self, service: LiveRaceService, panel: LiveRacePanel) -> None:
        super().__init__(panel)
        self.service = service
        self.panel = panel
        self.timer = QTimer(self)
        self.timer.setInterval(100)
        self.timer.timeout.connect(self._tick)
        service.changed.connect(self.refresh)
        panel.startRequested.connect(lambda: self._manual("start_race"))
        panel.leaderLapRequested.connect(lambda: self._manual("leader_lap"))
        panel.finishRequested.connect(lambda: self._manual("finish"))
        panel.recallRequested.connect(lambda: self._manual("recall"))
        self.refresh()

    def _manual(self, key: str) -> None:
        manual = self.service.manual
        if manual is not None:
            getattr(manual, key)()

    def refresh(self) -> None:
        service = self.service
        now = service.clock()
        self.panel.set_manual(service.manual is not None)
        label = service.spec.label if service.spec is not None else "No timing feed"
        stale = service.race.check_health(now) if service.feed is not None else False
        self.panel.set_feed(label, stale, service.race.error_count)
        self.panel.set_state(service.state, now)
        if service.state.phase is Phase.RUNNING:
            if not self.timer.isActive():
                self.timer.start()
        else:
            self.timer.stop()

    def _tick(self) -> None:
        self.panel.set_clock(self.service.clock())


def install_live_race(window: QMainWindow, service: LiveRaceService) -> LiveRacePanel:
    """Add the live race panel to the main window as a dock (with an entry in the View menu)."""
    panel = LiveRacePanel(window)
    dock = QDockWidget("Live race", window)
    dock.setObjectName("liveRaceDock")
    dock.setWidget(panel)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    beside = window.findChild(QDockWidget, "graphicsDock")
    if isinstance(beside, QDockWidget) and beside is not dock:
        window.tabifyDockWidget(beside, dock)  # the full height of the column, one tab away
        QTimer.singleShot(0, dock.raise_)  # once the window has laid its docks out
    for menu in window.menuBar().findChildren(QMenu):
        if menu.title().replace("&", "") == "View":
            if menu.actions():
                menu.insertAction(menu.actions()[0], dock.toggleViewAction())
            else:
                menu.addAction(dock.toggleViewAction())
            break
    LiveRaceWiring(service, panel)
    return panel
