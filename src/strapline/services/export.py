"""Planning a rundown export: which cues can be rendered now, with what data, theme and size.

The services never touch Qt, so rendering and writing the PNG files happens in the views
(views/export.py), in a worker thread. Cues still waiting for data are skipped and listed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from strapline.services.playout import PlayoutService


@dataclass(frozen=True)
class Still:
    title: str
    kind: str
    data: dict[str, Any]
    theme: str
    size: tuple[int, int]
    file_name: str


@dataclass
class ExportReport:
    written: list[Path] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # title, why
    cancelled: bool = False

    @property
    def summary(self) -> str:
        text = f"{len(self.written)} PNG written"
        if self.skipped:
            text += f", {len(self.skipped)} skipped"
        if self.cancelled:
            text += " (cancelled)"
        return text


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower()[:60] or "graphic"


def plan_rundown(playout: PlayoutService, default_theme: str) -> tuple[list[Still], ExportReport]:
    """Every cue of the rundown that can be rendered now, numbered in running order."""
    report = ExportReport()
    stills: list[Still] = []
    show = playout.shows.show
    for number, cue in enumerate(show.rundown.cues(), start=1):
        res = playout.resolve(cue)
        if res.data is None:
            report.skipped.append((cue.title, res.problem))
            continue
        out = show.output(cue.output)
        stills.append(
            Still(
                title=cue.title,
                kind=cue.graphic,
                data=res.data,
                theme=cue.theme or show.theme or default_theme,
                size=out.size if out else (1920, 1080),
                file_name=f"{number:03d}-{slug(cue.title)}.png",
            )
        )
    return stills, report
