"""Rendering planned stills to PNG files, safe to run in a worker thread (cancellable)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from strapline.domain.theme import Theme
from strapline.render import encode_png, render_graphic
from strapline.services.export import ExportReport, Still

Progress = Callable[[int, int, str], object]  # done, total, current file name


def export_stills(
    stills: list[Still],
    themes: dict[str, Theme],
    folder: Path,
    report: ExportReport | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> ExportReport:
    """Render and write each still to `folder` (created if missing), stopping between two
    files when `cancel` is set. Themes are loaded beforehand on the GUI thread (fonts)."""
    report = report or ExportReport()
    folder.mkdir(parents=True, exist_ok=True)
    total = len(stills)
    for done, still in enumerate(stills):
        if cancel is not None and cancel.is_set():
            report.cancelled = True
            break
        if progress is not None:
            progress(done, total, still.file_name)
        try:
            image = render_graphic(still.kind, still.data, themes[still.theme], still.size)
            path = folder / still.file_name
            encode_png(image, path)
        except (ValueError, OSError, KeyError) as exc:
            report.skipped.append((still.title, str(exc)))
            continue
        report.written.append(path)
    if progress is not None and not report.cancelled:
        progress(total, total, "")
    return report
