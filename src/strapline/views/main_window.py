"""The main window: dockable panels, menus, playout actions with hotkeys, status bar.

It holds no behaviour: the AppController (views/controller.py) connects its signals to the
services. Layout and window geometry are kept with QSettings.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, Qt, QTime, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QMenu,
    QSizePolicy,
    QToolBar,
    QWidget,
)

from strapline.domain.rundown import Action, HotkeyMap
from strapline.views.data_panel import MARK_CHOICES, DataPanel
from strapline.views.elided import ElidedLabel
from strapline.views.graphics_panel import GraphicsPanel
from strapline.views.monitors import PreviewPanel, ProgramPanel
from strapline.views.outputs_panel import OutputsPanel
from strapline.views.prompts import PromptArea
from strapline.views.rundown_model import RundownModel
from strapline.views.rundown_panel import RundownPanel

ACTION_TEXT: dict[Action, str] = {
    Action.CUE: "Cue",
    Action.TAKE: "Take",
    Action.NEXT: "Next",
    Action.OUT: "Out",
    Action.UPDATE: "Update",
    Action.CLEAR: "Clear all",
    Action.PANIC: "PANIC",
}
LAYOUT_VERSION = 2  # 2: Outputs moved under Graphics (a saved version-1 layout is not restored)


class MainWindow(QMainWindow):
    closeRequested = Signal(QCloseEvent)
    playoutRequested = Signal(str)  # Action value

    def __init__(self, model: RundownModel, undo: QUndoStack, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle("Strapline")
        self.resize(1600, 960)
        self.setDockNestingEnabled(True)
        self.undo = undo

        self.rundown = RundownPanel(model, self)
        self.data = DataPanel(self)
        self.graphics = GraphicsPanel(self)
        self.preview = PreviewPanel(self)
        self.program = ProgramPanel(self)
        self.outputs = OutputsPanel(self)
        self.setCentralWidget(self.rundown)
        self.docks: dict[str, QDockWidget] = {}
        self._dock("preview", "Preview", self.preview, Qt.DockWidgetArea.TopDockWidgetArea)
        self._dock("program", "Program", self.program, Qt.DockWidgetArea.TopDockWidgetArea)
        self._dock("data", "Data", self.data, Qt.DockWidgetArea.LeftDockWidgetArea)
        self._dock("graphics", "Graphics", self.graphics, Qt.DockWidgetArea.RightDockWidgetArea)
        # Outputs under Graphics on the right: the rundown in the middle keeps the full height
        # below the monitors (more rows at 1920x1080)
        self._dock("outputs", "Outputs", self.outputs, Qt.DockWidgetArea.RightDockWidgetArea)
        self.splitDockWidget(
            self.docks["preview"], self.docks["program"], Qt.Orientation.Horizontal
        )
        self.splitDockWidget(self.docks["graphics"], self.docks["outputs"], Qt.Orientation.Vertical)
        self.resizeDocks(
            [self.docks["data"], self.docks["graphics"]], [430, 430], Qt.Orientation.Horizontal
        )
        self.resizeDocks(
            [self.docks["preview"], self.docks["program"]], [900, 700], Qt.Orientation.Horizontal
        )
        self.resizeDocks([self.docks["preview"]], [300], Qt.Orientation.Vertical)
        self.resizeDocks(
            [self.docks["graphics"], self.docks["outputs"]], [560, 200], Qt.Orientation.Vertical
        )
        # questions and progress: bars above the panels, never a modal dialog
        self.prompts = PromptArea(self)
        self.prompt_bar = QToolBar("Prompts", self)
        self.prompt_bar.setObjectName("promptToolBar")
        self.prompt_bar.setMovable(False)
        self.prompt_bar.setFloatable(False)
        self.prompt_bar.toggleViewAction().setVisible(False)
        self.prompt_bar.addWidget(self.prompts)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.prompt_bar)
        self.prompt_bar.hide()
        self.prompts.shownChanged.connect(self.prompt_bar.setVisible)
        self._default_state = self.saveState(LAYOUT_VERSION)

        self._hotkeys = HotkeyMap()
        self.status = ElidedLabel("Ready", self)
        self.tally_label = ElidedLabel("", self)
        self.tally_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.tally_label.setMinimumWidth(260)
        self.statusBar().addWidget(self.status, 1)
        self.statusBar().addPermanentWidget(self.tally_label)
        self.clock_label = QLabel("", self)
        self.clock_label.setObjectName("timeOfDay")
        self.clock_label.setStyleSheet("font-weight: 700; font-family: monospace;")
        self.statusBar().addPermanentWidget(self.clock_label)
        self.clock = QTimer(self)  # the time of day, and each output's time on air
        self.clock.setInterval(500)
        self.clock.timeout.connect(self._tick_clock)
        self.clock.start()
        self._tick_clock()

        self.actions_: dict[str, QAction] = {}
        self._menus()
        for name in ("cue", "take", "next", "out", "update", "clear", "panic"):
            getattr(self.rundown, f"{name}Requested").connect(
                lambda n=name: self.playoutRequested.emit(n)
            )

    def _dock(self, key: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> None:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"{key}Dock")
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        self.addDockWidget(area, dock)
        self.docks[key] = dock

    def _add(self, menu: QMenu, key: str, text: str, shortcut: str | None = None) -> QAction:
        action = QAction(text, self)
        action.setObjectName(f"action_{key}")
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        menu.addAction(action)
        self.actions_[key] = action
        return action

    def _menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("&File")
        self._add(file, "new", "&New show", "Ctrl+N")
        self._add(file, "open", "&Open show…", "Ctrl+O")
        self.recent_menu = file.addMenu("Open &recent")
        self._add(file, "save", "&Save", "Ctrl+S")
        self._add(file, "save_as", "Save &as…", "Ctrl+Shift+S")
        file.addSeparator()
        self._add(file, "import", "&Import data (add to the show's data)…", "Ctrl+I")
        self._add(file, "import_replace", "&Replace the show's data with…", "Ctrl+Shift+I")
        self._add(file, "export_png", "Export preview to &PNG…", "Ctrl+E")
        self._add(file, "export_rundown", "Export rundown to &folder…", "Ctrl+Shift+E")
        file.addSeparator()
        self._add(file, "quit", "&Quit", "Ctrl+Q")

        edit = bar.addMenu("&Edit")
        undo = self.undo.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo.createRedoAction(self, "&Redo")
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        edit.addAction(undo)
        edit.addAction(redo)
        self.actions_["undo"], self.actions_["redo"] = undo, redo
        edit.addSeparator()
        for text, status in MARK_CHOICES:  # on the race picked in the Data panel
            self._add(edit, f"mark_race_{status.lower() or 'file'}", text)
        edit.addSeparator()
        self._add(edit, "preferences", "&Preferences…", "Ctrl+,")

        play = bar.addMenu("&Playout")
        for action in Action:
            qa = self._add(play, action.value, ACTION_TEXT[action])
            qa.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
            qa.triggered.connect(lambda _c=False, a=action.value: self.playoutRequested.emit(a))
        play.addSeparator()
        self._add(play, "launch_renderer", "Launch local renderer")

        view = bar.addMenu("&View")
        for dock in self.docks.values():
            view.addAction(dock.toggleViewAction())
        view.addSeparator()
        self._add(view, "reset_layout", "Reset layout").triggered.connect(self.reset_layout)
        self._add(view, "filter_data", "&Filter the data", "Ctrl+F").triggered.connect(
            self._focus_filter
        )

        help_menu = bar.addMenu("&Help")
        self.keys_menu = help_menu.addMenu("&Keys")
        self._add(help_menu, "about_keys", "Keys and how they act…").triggered.connect(
            lambda: self.prompts.tell("keys", self.keys_text())
        )

    def _focus_filter(self) -> None:
        self.docks["data"].show()
        self.data.filter_edit.setFocus()
        self.data.filter_edit.selectAll()

    def keys_text(self) -> str:
        """Every key of the desk, as the Help menu lists it."""
        parts = [
            f"{ACTION_TEXT[a]}: {', '.join(self._hotkeys.keys.get(a, [])) or '(none)'}"
            for a in Action
        ]
        return (
            " · ".join(parts)
            + " · Esc in a text field: back to the rundown (Space takes again) · Ctrl+F: filter"
            " the data · PANIC button: hold or press twice (its key acts at once) · transport"
            " keys act whatever window is open · remap in Edit → Preferences"
        )

    # ---- setters ------------------------------------------------------------------------------
    def set_hotkeys(self, hotkeys: HotkeyMap) -> None:
        self._hotkeys = hotkeys
        self.keys_menu.clear()
        for action in Action:
            names = ", ".join(hotkeys.keys.get(action, [])) or "(none)"
            self.keys_menu.addAction(f"{ACTION_TEXT[action]}\t{names}").setEnabled(False)
        for action in Action:
            keys = [QKeySequence(k) for k in hotkeys.keys.get(action, [])]
            self.actions_[action.value].setShortcuts(keys)
            text = ", ".join(hotkeys.keys.get(action, []))
            button = self.rundown.buttons.get(action.value)
            if button is not None:
                button.setToolTip(f"{button.toolTip().split(' [')[0]} [{text}]")

    def _tick_clock(self) -> None:
        self.clock_label.setText(QTime.currentTime().toString("HH:mm:ss"))
        self.program.tick()

    def set_status(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #ff8a8f; font-weight: 600;" if error else "")

    def set_tally(self, text: str, on_air: bool) -> None:
        self.tally_label.setText(text)
        self.tally_label.setStyleSheet(
            "background: #E0262E; color: white; font-weight: 700;" if on_air else ""
        )

    def reset_layout(self) -> None:
        for dock in self.docks.values():
            dock.setFloating(False)
            dock.show()
        self.restoreState(self._default_state, LAYOUT_VERSION)
        self.prompt_bar.setVisible(self.prompts.has_content())

    def save_layout(self, settings: QSettings) -> None:
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState(LAYOUT_VERSION))

    def restore_layout(self, settings: QSettings) -> None:
        geometry = settings.value("window/geometry")
        state = settings.value("window/state")
        screen = self.screen()
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
            if screen is not None:  # a layout saved on a larger screen: fit this one
                self.setGeometry(self.geometry().intersected(screen.availableGeometry()))
        elif screen is not None:
            self.setGeometry(screen.availableGeometry())
        if isinstance(state, QByteArray):
            self.restoreState(state, LAYOUT_VERSION)
        self.prompt_bar.setVisible(self.prompts.has_content())

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closeRequested.emit(event)
