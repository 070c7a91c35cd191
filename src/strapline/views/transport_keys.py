"""Transport hotkeys that act whatever window of the app is open.

The main window's playout actions are application shortcuts, so they act from any window of
the app, but Qt holds every shortcut back while a modal dialog (a file dialog) is open. This
application-wide event filter takes over then: a key press in the modal window that is one of
the show's transport hotkeys runs the action and is eaten. Typing in a text field is left alone
(Space is a space in a file name), and so is a key editor (Preferences records keys there).

It also gives Escape in a text field of the main window its meaning for an operator: back to
the rundown, so that Space takes again.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QKeySequenceEdit,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from strapline.domain.rundown import Action, HotkeyMap

TEXT_INPUTS = (QLineEdit, QTextEdit, QPlainTextEdit, QAbstractSpinBox)


def key_text(event: QKeyEvent) -> str:
    """The key press in Qt's portable text form ("F2", "Shift+F12", "Space")."""
    return QKeySequence(event.keyCombination()).toString(QKeySequence.SequenceFormat.PortableText)


def _types_text(widget: QWidget | None, event: QKeyEvent) -> bool:
    """Whether the press types into a text field (a printable key without Ctrl/Alt/Meta)."""
    if widget is None:
        return False
    editable = isinstance(widget, TEXT_INPUTS) or (
        isinstance(widget, QComboBox) and widget.isEditable()
    )
    mods = event.modifiers() & (
        Qt.KeyboardModifier.ControlModifier
        | Qt.KeyboardModifier.AltModifier
        | Qt.KeyboardModifier.MetaModifier
    )
    return editable and bool(event.text().strip() or event.key() == Qt.Key.Key_Space) and not mods


class TransportKeys(QObject):
    """Installed on the QApplication; `run(action)` is the main window's playout request."""

    def __init__(
        self,
        main: QWidget,
        hotkeys: Callable[[], HotkeyMap],
        run: Callable[[str], object],
        home: Callable[[], object],
    ) -> None:
        super().__init__(main)
        self._main = main
        self._hotkeys = hotkeys
        self._run = run
        self._home = home

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(watched, QWidget):
            return False
        assert isinstance(event, QKeyEvent)
        focus = QApplication.focusWidget()
        if watched is not (focus or watched):
            return False  # the same press travelling up to the parents: seen once already
        modal = QApplication.activeModalWidget()
        if modal is None:
            if (
                event.key() == Qt.Key.Key_Escape
                and watched.window() is self._main
                and isinstance(watched, TEXT_INPUTS)
            ):
                self._home()
                return True
            return False  # the actions' own shortcuts act
        if watched.window() is not modal or isinstance(watched, QKeySequenceEdit):
            return False
        if _types_text(watched, event):
            return False
        action = self._hotkeys().action_for(key_text(event))
        if action is None:
            return False
        self._run(Action(action).value)
        return True
