"""Questions and progress inside the main window, never in a modal dialog.

A prompt is a bar with a message and buttons, shown above the panels: the show goes on while
it waits (hotkeys, PANIC, the control port and the renderers' heartbeats all keep running),
and the operator answers when there is a moment. Each bar has a key (asking again with the
same key replaces it, so one file change makes one question, not ten). Its buttons have
Alt+letter keys (the underlined letter). A progress panel with Cancel reports long work
(an export) the same way.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from strapline.views.operator import Choice, Level

__all__ = ["Choice", "Level", "ProgressPanel", "PromptArea", "PromptBar"]

LEVEL_STYLE: dict[Level, str] = {
    "question": "QFrame#promptBar { background: #4a3a08; border: 1px solid #F2A900; }",
    "info": "QFrame#promptBar { background: #14324f; border: 1px solid #5fa8ff; }",
    "error": "QFrame#promptBar { background: #5a1215; border: 1px solid #E0262E; }",
}
LEVEL_WORD: dict[Level, str] = {"question": "?", "info": "i", "error": "!"}


class PromptBar(QFrame):
    """One question in the window: a word for its level, the text, a button per answer."""

    answered = Signal(str, int)  # key, index of the choice

    def __init__(
        self, key: str, text: str, choices: Sequence[Choice], level: Level, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.setObjectName("promptBar")
        self.key = key
        self.level = level
        self.choices = list(choices)
        self.setStyleSheet(LEVEL_STYLE[level])
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        badge = QLabel(LEVEL_WORD[level], self)
        badge.setObjectName("promptBadge")
        badge.setFixedWidth(22)
        badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        badge.setStyleSheet("font-weight: 800; border: 1px solid #e6e9ee; border-radius: 10px;")
        self.label = QLabel(text, self)
        self.label.setObjectName("promptText")
        self.label.setWordWrap(True)
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        row.addWidget(badge)
        row.addWidget(self.label, 1)
        self.buttons: list[QPushButton] = []
        for index, choice in enumerate(self.choices):
            button = QPushButton(choice.text, self)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Space stays with the rundown
            button.clicked.connect(lambda _c=False, i=index: self.answer(i))
            row.addWidget(button)
            self.buttons.append(button)

    @property
    def text(self) -> str:
        return self.label.text()

    def answer(self, index: int) -> None:
        """Answer as if the operator pressed the button at `index`."""
        self.answered.emit(self.key, index)


class ProgressPanel(QFrame):
    """Long work under way: what it is doing, how far, and a Cancel button."""

    cancelRequested = Signal()
    changed = Signal()  # shown or hidden

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("progressPanel")
        self.setStyleSheet(
            "QFrame#progressPanel { background: #1b2f45; border: 1px solid #5fa8ff; }"
        )
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        self.label = QLabel("", self)
        self.bar = QProgressBar(self)
        self.bar.setMaximumWidth(320)
        self.cancel_button = QPushButton("&Cancel", self)
        self.cancel_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.cancel_button.clicked.connect(self.cancelRequested.emit)
        row.addWidget(self.label, 1)
        row.addWidget(self.bar)
        row.addWidget(self.cancel_button)
        self.hide()

    def start(self, text: str) -> None:
        self.label.setText(text)
        self.bar.setRange(0, 0)  # busy until the first report
        self.cancel_button.setEnabled(True)
        self.show()
        self.changed.emit()

    def report(self, done: int, total: int, text: str) -> None:
        self.bar.setRange(0, max(1, total))
        self.bar.setValue(done)
        self.label.setText(text)

    def finish(self) -> None:
        self.hide()
        self.changed.emit()


class PromptArea(QWidget):
    """The bars and the progress panel, stacked above the panels of the main window."""

    shownChanged = Signal(bool)  # whether anything is to be seen

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("promptArea")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)
        self.progress = ProgressPanel(self)
        self._layout.addWidget(self.progress)
        self.progress.changed.connect(self._sync)
        self.bars: dict[str, PromptBar] = {}
        self._sync()

    def ask(
        self, key: str, text: str, choices: Sequence[Choice], level: Level = "question"
    ) -> PromptBar:
        """Show a question (replacing any with the same key); it stays until answered."""
        self.dismiss(key)
        bar = PromptBar(key, text, choices, level, self)
        bar.answered.connect(self._on_answered)
        self.bars[key] = bar
        self._layout.addWidget(bar)
        self._sync()
        return bar

    def tell(self, key: str, text: str, level: Level = "info") -> PromptBar:
        """A message to acknowledge (one OK button)."""
        return self.ask(key, text, [Choice("&OK")], level)

    def dismiss(self, key: str) -> None:
        bar = self.bars.pop(key, None)
        if bar is not None:
            bar.hide()
            bar.deleteLater()
        self._sync()

    def _on_answered(self, key: str, index: int) -> None:
        bar = self.bars.get(key)
        if bar is None:
            return
        self.dismiss(key)
        run = bar.choices[index].run
        if run is not None:
            run()

    def asked(self) -> list[str]:
        return list(self.bars)

    def has_content(self) -> bool:
        return bool(self.bars) or not self.progress.isHidden()

    def _sync(self) -> None:
        self.shownChanged.emit(self.has_content())
