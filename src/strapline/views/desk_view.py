"""The main window as the controllers see it: the operator-view protocols of views/operator.py
answered by the window's panels (prompt bars, status bar, Outputs panel, file dialogs)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from strapline.domain.rundown import OutputConfig
from strapline.io.showfile import SUFFIX
from strapline.services.data import DataState
from strapline.services.outputs import TargetStatus
from strapline.views.main_window import MainWindow
from strapline.views.operator import Choice, Level

SHOW_FILTER = f"Strapline shows (*{SUFFIX});;All files (*)"


class DeskView:
    """PlayoutView, DocumentView, DataView and OutputsView over one MainWindow."""

    def __init__(self, window: MainWindow, interactive: bool = True) -> None:
        self.window = window
        self.interactive = interactive  # False: no file dialog is ever opened (tests, smoke)

    # PromptView
    def ask(
        self, key: str, text: str, choices: Sequence[Choice], level: Level = "question"
    ) -> object:
        return self.window.prompts.ask(key, text, choices, level)

    def tell(self, key: str, text: str, level: Level = "info") -> object:
        return self.window.prompts.tell(key, text, level)

    def dismiss(self, key: str) -> None:
        self.window.prompts.dismiss(key)

    def asked(self) -> list[str]:
        return self.window.prompts.asked()

    def set_status(self, text: str, error: bool = False) -> None:
        self.window.set_status(text, error)

    # PlayoutView
    def set_tally(self, text: str, on_air: bool) -> None:
        self.window.set_tally(text, on_air)

    # DocumentView
    def set_title(self, title: str) -> None:
        self.window.setWindowTitle(title)

    def choose_save_path(self) -> Path | None:
        if not self.interactive:
            return None
        name, _ = QFileDialog.getSaveFileName(self.window, "Save show", "", SHOW_FILTER)
        if not name:
            return None
        return Path(name if name.endswith(SUFFIX) else name + SUFFIX)

    def close_window(self) -> None:
        self.window.close()

    # DataView
    def show_sources(self, paths: list[str], built_in: str, demo: bool) -> None:
        self.window.data.set_sources(paths, built_in=built_in, demo=demo)

    def show_data_state(self, state: DataState) -> None:
        self.window.data.set_state(state)

    # OutputsView
    def show_statuses(self, statuses: Sequence[TargetStatus]) -> None:
        self.window.outputs.set_statuses(statuses)

    def show_history(self, history: dict[str, Iterable[tuple[float, float | None]]]) -> None:
        self.window.outputs.set_history(history)

    def show_outputs_error(self, text: str) -> None:
        self.window.outputs.show_error(text)

    def show_outputs(self, outputs: list[OutputConfig]) -> None:
        self.window.outputs.set_outputs(outputs)
