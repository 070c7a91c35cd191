"""The rundown panel: transport buttons, the cue tree, and the selected cue's inspector.

It holds no playout logic: buttons and edits become signals; setters show state.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QItemSelection, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from strapline.domain.rundown import Cue, OutputConfig
from strapline.views.forms import child, load_form
from strapline.views.rundown_model import RundownModel
from strapline.views.tally_delegate import TallyDelegate

TRANSPORT = ("cue", "take", "next", "out", "update", "clear", "panic")
PANIC_HOLD_MS = 400
PANIC_DOUBLE_MS = 600


class DeliberatePress(QObject):
    """Runs `fire` when `button` is held for PANIC_HOLD_MS or pressed twice in PANIC_DOUBLE_MS.
    `clock` (milliseconds) is injected in tests."""

    def __init__(
        self,
        button: QPushButton,
        fire: Callable[[], object],
        clock: Callable[[], float] | None = None,
    ) -> None:
        super().__init__(button)
        self.button = button
        self.fire = fire
        self._clock = clock or (lambda: time.monotonic() * 1000)
        self._last_press: float | None = None
        self.hold = QTimer(self)
        self.hold.setSingleShot(True)
        self.hold.setInterval(PANIC_HOLD_MS)
        self.hold.timeout.connect(self._held)
        button.pressed.connect(self._pressed)
        button.released.connect(self.hold.stop)
        button.setToolTip(
            f"Everything off air now, on every output: hold {PANIC_HOLD_MS} ms or press twice "
            "(the key acts at once)"
        )

    def _pressed(self) -> None:
        now = self._clock()
        if self._last_press is not None and now - self._last_press <= PANIC_DOUBLE_MS:
            self._last_press = None
            self.hold.stop()
            self.fire()
            return
        self._last_press = now
        self.hold.start()

    def _held(self) -> None:
        self._last_press = None
        self.fire()


class RundownPanel(QWidget):
    cueRequested = Signal()
    takeRequested = Signal()
    nextRequested = Signal()
    outRequested = Signal()
    updateRequested = Signal()
    clearRequested = Signal()
    panicRequested = Signal()
    cueSelected = Signal(str)  # cue id, "" for none
    addGroupRequested = Signal()
    renameGroupRequested = Signal(str, str)
    duplicateRequested = Signal(list)  # cue ids
    lockRequested = Signal(str, bool)
    deleteRequested = Signal(list)
    cueEdited = Signal(str, dict)  # cue id, changed fields

    def __init__(self, model: RundownModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rundownPanel")
        self.model = model
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)

        self.transport = load_form("transport.ui", self)
        self.buttons: dict[str, QPushButton] = {
            name: child(self.transport, QPushButton, f"{name}Button") for name in TRANSPORT
        }
        for name, button in self.buttons.items():
            if name != "panic":
                button.clicked.connect(getattr(self, f"{name}Requested").emit)
        # PANIC by mouse needs a deliberate press: held for PANIC_HOLD_MS, or pressed twice
        # within PANIC_DOUBLE_MS (a stray click does nothing); its key stays instant
        self._panic_guard = DeliberatePress(self.buttons["panic"], self.panicRequested.emit)
        layout.addWidget(self.transport)

        tools = QHBoxLayout()
        self.tool_buttons: dict[str, QToolButton] = {}
        for key, text, tip in (
            ("group", "+ Group", "Add a group at the end of the rundown"),
            ("duplicate", "Duplicate", "Duplicate the selected cues"),
            ("lock", "Lock", "Lock or unlock the selected cue against edits"),
            ("delete", "Delete", "Delete the selected cues"),
        ):
            tool = QToolButton(self)
            tool.setText(text)
            tool.setToolTip(tip)
            tool.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            tools.addWidget(tool)
            self.tool_buttons[key] = tool
        tools.addStretch(1)
        layout.addLayout(tools)
        self.tool_buttons["group"].clicked.connect(self.addGroupRequested.emit)
        self.tool_buttons["duplicate"].clicked.connect(self._on_duplicate)
        self.tool_buttons["lock"].clicked.connect(self._on_lock)
        self.tool_buttons["delete"].clicked.connect(self._on_delete)

        self.tree = QTreeView(self)
        self.tree.setObjectName("rundownTree")
        self.tree.setModel(model)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.tree.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.tree.setDropIndicatorShown(True)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tally_delegate = TallyDelegate(self.tree)
        self.tree.setItemDelegateForColumn(0, self.tally_delegate)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 136), (1, 30), (3, 84), (4, 130), (5, 96), (6, 44), (7, 70)):
            self.tree.setColumnWidth(col, width)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("rundownSplitter")
        self.splitter.setChildrenCollapsible(True)
        self.splitter.addWidget(self.tree)
        layout.addWidget(self.splitter, 1)
        self.tree.selectionModel().selectionChanged.connect(self._on_selection_changed)
        model.modelReset.connect(self._after_reset)
        model.cuesEdited.connect(self._after_edit)

        self.inspector = load_form("cue_inspector.ui", self)
        self._name = child(self.inspector, QLineEdit, "nameEdit")
        self._graphic = child(self.inspector, QComboBox, "graphicCombo")
        self._theme = child(self.inspector, QComboBox, "themeCombo")
        self._output = child(self.inspector, QComboBox, "outputCombo")
        self._layer = child(self.inspector, QSpinBox, "layerSpin")
        self._duration = child(self.inspector, QDoubleSpinBox, "durationSpin")
        self._auto_next = child(self.inspector, QCheckBox, "autoNextCheck")
        self._auto_update = child(self.inspector, QCheckBox, "autoUpdateCheck")
        self._notes = child(self.inspector, QLineEdit, "notesEdit")
        self.inspector.setMaximumHeight(self.inspector.sizeHint().height())
        self.splitter.addWidget(self.inspector)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.tree.expandAll()
        self._span_groups()
        self._loading = False
        self._current: str = ""
        self._name.editingFinished.connect(lambda: self._edited("name", self._name.text()))
        self._notes.editingFinished.connect(lambda: self._edited("notes", self._notes.text()))
        self._graphic.activated.connect(
            lambda _i: self._edited("graphic", self._graphic.currentText())
        )
        self._theme.activated.connect(lambda _i: self._edited("theme", self._theme.currentData()))
        self._output.activated.connect(
            lambda _i: self._edited("output", self._output.currentData())
        )
        self._layer.editingFinished.connect(lambda: self._edited("layer", self._layer.value()))
        self._duration.editingFinished.connect(
            lambda: self._edited("duration_s", self._duration.value() or None)
        )
        self._auto_next.clicked.connect(lambda on: self._edited("auto_next", bool(on)))
        self._auto_update.clicked.connect(lambda on: self._edited("auto_update", bool(on)))
        self.inspector.setEnabled(False)

    # ---- setters ------------------------------------------------------------------------------
    def set_choices(
        self, graphics: list[str], themes: list[str], outputs: list[OutputConfig]
    ) -> None:
        self._loading = True
        self._graphic.clear()
        self._graphic.addItems(graphics)
        self._theme.clear()
        self._theme.addItem("(show theme)", "")
        for name in themes:
            self._theme.addItem(name, name)
        self._output.clear()
        for out in outputs:
            self._output.addItem(out.name or out.id, out.id)
        self._loading = False
        self.show_cue(self.model.shows.show.rundown.cue(self._current) if self._current else None)

    def show_cue(self, cue: Cue | None) -> None:
        self._loading = True
        self.inspector.setEnabled(cue is not None and not cue.locked)
        if cue is not None:
            self._name.setText(cue.name)
            self._graphic.setCurrentText(cue.graphic)
            self._theme.setCurrentIndex(max(0, self._theme.findData(cue.theme)))
            self._output.setCurrentIndex(max(0, self._output.findData(cue.output)))
            self._layer.setValue(cue.layer)
            self._duration.setValue(cue.duration_s or 0.0)
            self._auto_next.setChecked(cue.auto_next)
            self._auto_update.setChecked(cue.auto_update)
            self._notes.setText(cue.notes)
            self.tool_buttons["lock"].setText("Unlock" if cue.locked else "Lock")
        self._loading = False

    def select_cue(self, cue_id: str | None) -> None:
        index = self.model.index_of(cue_id) if cue_id else QModelIndex()
        if index.isValid():
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)
        else:  # no cue: nothing current either (a current row would be selected again)
            self.tree.selectionModel().clearCurrentIndex()
            self.tree.clearSelection()
            if self._current:  # nothing was selected (only current): say it all the same
                self._on_selection_changed(QItemSelection(), QItemSelection())

    def selected_ids(self) -> list[str]:
        ids = []
        for index in self.tree.selectionModel().selectedRows(0):
            cue = self.model.cue_at(index)
            if cue is not None:
                ids.append(cue.id)
        return ids

    def current_id(self) -> str:
        return self._current

    # ---- handlers -----------------------------------------------------------------------------
    def _edited(self, field: str, value: Any) -> None:
        if self._loading or not self._current:
            return
        cue = self.model.shows.show.rundown.cue(self._current)
        if cue is None or getattr(cue, field) == value:
            return
        self.cueEdited.emit(self._current, {field: value})

    def _on_selection_changed(self, _new: QItemSelection, _old: QItemSelection) -> None:
        index = self.tree.currentIndex()
        cue = self.model.cue_at(index)
        self._current = cue.id if cue else ""
        self.show_cue(cue)
        self.cueSelected.emit(self._current)

    def _span_groups(self) -> None:
        for row in range(self.model.rowCount()):
            self.tree.setFirstColumnSpanned(row, QModelIndex(), True)

    def _after_reset(self) -> None:
        self._span_groups()
        self.tree.expandAll()
        if self._current:
            index = self.model.index_of(self._current)
            if index.isValid():
                self.tree.setCurrentIndex(index)
            else:
                self._current = ""
                self.cueSelected.emit("")
        self.show_cue(self.model.shows.show.rundown.cue(self._current) if self._current else None)

    def _after_edit(self, cue_ids: list[str]) -> None:
        """An edit changed some cues' content (no row moved): the inspector follows its cue."""
        if self._current in cue_ids:
            self.show_cue(self.model.shows.show.rundown.cue(self._current))

    def _on_duplicate(self) -> None:
        ids = self.selected_ids() or ([self._current] if self._current else [])
        if ids:
            self.duplicateRequested.emit(ids)

    def _on_lock(self) -> None:
        cue = self.model.shows.show.rundown.cue(self._current) if self._current else None
        if cue is not None:
            self.lockRequested.emit(cue.id, not cue.locked)

    def _on_delete(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.deleteRequested.emit(ids)
