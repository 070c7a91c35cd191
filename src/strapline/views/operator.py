"""What the controllers ask of the operator's window: the operator-view protocols.

The controllers (views/controllers/) hold the desk's behaviour and speak to the window only
through these protocols, so each is tested with a fake view and no window at all (as ndv tests
its controller against a mock view). A question to the operator is a request answered later:
`ask` shows it and returns at once; the chosen `Choice` runs when the operator answers. Nothing
here imports Qt when the app runs (an image is a QImage to the type checker only).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from strapline.domain.rundown import OutputConfig
from strapline.services.data import DataState
from strapline.services.outputs import TargetStatus

if TYPE_CHECKING:
    from PySide6.QtGui import QImage

Level = Literal["question", "info", "error"]


@dataclass(frozen=True)
class Choice:
    """One answer: its button text ('&' marks the Alt+letter key) and what it does."""

    text: str
    run: Callable[[], object] | None = None


class PromptView(Protocol):
    def ask(
        self, key: str, text: str, choices: Sequence[Choice], level: Level = "question"
    ) -> object:
        """Show a question (replacing one with the same key); returns at once."""
        ...

    def tell(self, key: str, text: str, level: Level = "info") -> object:
        """A message to acknowledge."""
        ...

    def dismiss(self, key: str) -> None: ...

    def asked(self) -> list[str]:
        """The keys of the questions waiting for an answer."""
        ...

    def set_status(self, text: str, error: bool = False) -> None: ...


def say_error(view: PromptView, title: str, text: str) -> None:
    """Say what went wrong: the status bar, and a bar to acknowledge (never a dialog)."""
    view.set_status(text, error=True)
    view.tell("error", f"{title}: {text}", "error")


class PlayoutView(PromptView, Protocol):
    def set_tally(self, text: str, on_air: bool) -> None: ...


class DocumentView(PromptView, Protocol):
    def set_title(self, title: str) -> None: ...

    def choose_save_path(self) -> Path | None:
        """Where to save an untitled show (a file dialog); None when the operator cancels."""
        ...

    def close_window(self) -> None: ...


class DataView(PromptView, Protocol):
    def show_sources(self, paths: list[str], built_in: str, demo: bool) -> None:
        """The data files, and the name of data given with no file (the demo's)."""
        ...

    def show_data_state(self, state: DataState) -> None: ...


class OutputsView(PromptView, Protocol):
    def show_statuses(self, statuses: Sequence[TargetStatus]) -> None: ...

    def show_history(self, history: dict[str, Iterable[tuple[float, float | None]]]) -> None: ...

    def show_outputs_error(self, text: str) -> None: ...

    def show_outputs(self, outputs: list[OutputConfig]) -> None:
        """The outputs and targets as configured (transport, flat fields, sync lead)."""
        ...


class RenderView(PromptView, Protocol):
    def show_themes(self, names: list[str], show_theme: str, outputs: list[OutputConfig]) -> None:
        """The themes to choose from (the rundown's and the graphic's choices)."""
        ...

    def show_graphic(
        self,
        kind: str,
        theme: str,
        values: dict[str, Any],
        typed: set[str],
        problem: str,
        target: str,
    ) -> None:
        """The graphic being prepared: its form, what is wrong with it, what it edits."""
        ...

    def show_preview_source(self, text: str, in_rundown: bool) -> None:
        """What the preview shows: a rundown cue Take sends, or a graphic not in the rundown."""
        ...

    def set_preview_timing(
        self, t_in: float, t_out: float, safe_area: tuple[float, float]
    ) -> None: ...

    def refresh_preview(self) -> None:
        """Draw the preview again: the view asks the host's `render_preview` for the frame."""
        ...

    def show_thumbnail(self, kind: str, image: QImage | None, note: str) -> None: ...

    def show_program(
        self,
        output_id: str,
        caption: str,
        on_air: bool,
        image: QImage | None,
        message: str,
        on_air_since: float | None,
    ) -> None:
        """An output's program monitor, and since when it has had a graphic on air."""
        ...

    def choose_png_path(self) -> Path | None:
        """Where to export a PNG (a file dialog); None when the operator cancels."""
        ...

    def choose_export_folder(self) -> Path | None: ...

    def progress_running(self) -> bool:
        """Whether a long job (an export) already shows its progress."""
        ...

    def start_progress(self, text: str, on_cancel: Callable[[], object]) -> None:
        """Show progress with a Cancel button that calls `on_cancel` (until finished)."""
        ...

    def report_progress(self, done: int, total: int, text: str) -> None: ...

    def finish_progress(self) -> None: ...
