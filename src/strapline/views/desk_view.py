"""The main window as the controllers see it: the operator-view protocols of views/operator.py
answered by the window's panels (prompt bars, status bar, Outputs panel, file dialogs)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog

from strapline.domain.graphics import GraphicKind
from strapline.domain.rundown import OutputConfig
from strapline.io.showfile import SUFFIX
from strapline.services.data import DataState
from strapline.services.outputs import TargetStatus
from strapline.views.main_window import MainWindow
from strapline.views.operator import Choice, Level

SHOW_FILTER = f"Strapline shows (*{SUFFIX});;All files (*)"


class DeskView:
    """PlayoutView, DocumentView, DataView, OutputsView and RenderView over one MainWindow."""

    def __init__(self, window: MainWindow, interactive: bool = True) -> None:
        self.window = window
        self.interactive = interactive  # False: no file dialog is ever opened (tests, smoke)
        self._on_cancel: Callable[[], object] | None = None

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

    # RenderView
    def show_themes(self, names: list[str], show_theme: str, outputs: list[OutputConfig]) -> None:
        self.window.rundown.set_choices([k.value for k in GraphicKind], names, outputs)
        self.window.graphics.set_themes(names, show_theme)

    def show_graphic(
        self,
        kind: str,
        theme: str,
        values: dict[str, Any],
        typed: set[str],
        problem: str,
        target: str,
    ) -> None:
        self.window.graphics.set_graphic(kind, theme, values, typed, problem, target)

    def show_preview_source(self, text: str, in_rundown: bool) -> None:
        self.window.preview.set_source(text, in_rundown)

    def set_preview_timing(self, t_in: float, t_out: float, safe_area: tuple[float, float]) -> None:
        self.window.preview.set_timing(t_in, t_out, safe_area)

    def refresh_preview(self) -> None:
        self.window.preview.refresh()

    def show_thumbnail(self, kind: str, image: QImage | None, note: str) -> None:
        self.window.graphics.set_thumbnail(kind, image, note)

    def show_program(
        self,
        output_id: str,
        caption: str,
        on_air: bool,
        image: QImage | None,
        message: str,
        on_air_since: float | None,
    ) -> None:
        self.window.program.set_on_air_since(output_id, on_air_since)
        self.window.program.set_program(output_id, caption, on_air, image, message)

    def choose_png_path(self) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self.window, "Export PNG", "", "PNG (*.png)")
        if not name:
            return None
        return Path(name if name.lower().endswith(".png") else name + ".png")

    def choose_export_folder(self) -> Path | None:
        name = QFileDialog.getExistingDirectory(self.window, "Export rundown to folder")
        return Path(name) if name else None

    def progress_running(self) -> bool:
        prompts = self.window.prompts
        return prompts.progress.isVisibleTo(prompts)

    def start_progress(self, text: str, on_cancel: Callable[[], object]) -> None:
        panel = self.window.prompts.progress
        self._on_cancel = on_cancel
        panel.cancelRequested.connect(on_cancel)
        panel.start(text)

    def report_progress(self, done: int, total: int, text: str) -> None:
        self.window.prompts.progress.report(done, total, text)

    def finish_progress(self) -> None:
        panel = self.window.prompts.progress
        panel.finish()
        if self._on_cancel is not None:
            panel.cancelRequested.disconnect(self._on_cancel)
            self._on_cancel = None
