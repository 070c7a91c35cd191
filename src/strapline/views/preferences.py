"""Preferences: hotkeys (remappable, conflicts shown and refused), preview defaults and the
Stream Deck / Companion feedback targets. The form is ui/preferences.ui."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QKeySequenceEdit,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from strapline.domain.rundown import Action, HotkeyMap
from strapline.services.feedback import FeedbackTarget, parse_target
from strapline.views.forms import child, load_form


class PreferencesDialog(QDialog):
    def __init__(
        self,
        hotkeys: HotkeyMap,
        safe_area: bool,
        parent: QWidget | None = None,
        feedback: Sequence[FeedbackTarget] = (),
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.form = load_form("preferences.ui", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form)
        self.table = child(self.form, QTableWidget, "hotkeyTable")
        self.conflict = child(self.form, QLabel, "conflictLabel")
        self.safe_check = child(self.form, QCheckBox, "safeAreaCheck")
        self.ok = child(self.form, QPushButton, "okButton")
        self.feedback_edit = child(self.form, QLineEdit, "feedbackEdit")
        self.feedback_edit.setText(", ".join(t.label for t in feedback))
        self.feedback_edit.textChanged.connect(lambda _t: self._check())
        child(self.form, QPushButton, "cancelButton").clicked.connect(self.reject)
        child(self.form, QPushButton, "defaultsButton").clicked.connect(
            lambda: self._fill(HotkeyMap())
        )
        self.ok.clicked.connect(self.accept)
        self.safe_check.setChecked(safe_area)
        self.edits: dict[Action, list[QKeySequenceEdit]] = {}
        self.table.setRowCount(len(Action))
        for row, action in enumerate(Action):
            item = QTableWidgetItem(action.value.capitalize())
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.table.setItem(row, 0, item)
            edits = []
            for col in (1, 2):
                edit = QKeySequenceEdit(self.table)
                edit.setMaximumSequenceLength(1)
                edit.keySequenceChanged.connect(lambda _k: self._check())
                self.table.setCellWidget(row, col, edit)
                edits.append(edit)
            self.edits[action] = edits
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(1, 150)
        self._fill(hotkeys)

    def _fill(self, hotkeys: HotkeyMap) -> None:
        for action, edits in self.edits.items():
            keys = hotkeys.keys.get(action, [])
            for i, edit in enumerate(edits):
                edit.setKeySequence(QKeySequence(keys[i] if i < len(keys) else ""))
        self._check()

    def hotkeys(self) -> HotkeyMap:
        keys: dict[Action, list[str]] = {}
        for action, edits in self.edits.items():
            keys[action] = [
                e.keySequence().toString(QKeySequence.SequenceFormat.PortableText)
                for e in edits
                if not e.keySequence().isEmpty()
            ]
        return HotkeyMap(keys=keys)

    def feedback(self) -> list[FeedbackTarget]:
        """The feedback targets typed (ValueError naming a bad one)."""
        return [parse_target(t) for t in self.feedback_edit.text().split(",") if t.strip()]

    def _check(self) -> bool:
        try:
            clashes = self.hotkeys().conflicts()
            self.feedback()
        except ValueError as exc:
            self.conflict.setText(str(exc))
            self.conflict.setStyleSheet("color: #ff8a8f; font-weight: 600;")
            self.ok.setEnabled(False)
            return False
        if clashes:
            text = "; ".join(
                f"{key} is bound to {' and '.join(a.value for a in acts)}"
                for key, acts in clashes.items()
            )
            self.conflict.setText(f"Conflict: {text}")
            self.conflict.setStyleSheet("color: #ff8a8f; font-weight: 600;")
        else:
            self.conflict.setText("")
        self.ok.setEnabled(not clashes)
        return not clashes

    def safe_area(self) -> bool:
        return self.safe_check.isChecked()
