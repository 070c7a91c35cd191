"""Planning a rundown export: which cues can be rendered now, with what data, theme and size.

The services never touch Qt, so rendering and writing the PNG files happens in the views
(views/export.py), in a worker thread. Cues still waiting for data are skipped and listed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from strapline.io import values
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


def file_slug(text: str, fallback: str = "graphic") -> str:
    """A still's file-name part, the one rule for every export: ASCII, lower case, words joined
    by '-', apostrophes dropped and distances kept together ("Men's 500 m" -> "mens-500m",
    "Final A" -> "final-a"), at most 60 characters; `fallback` when nothing is left."""
    joined = re.sub(r"(\d)\s+(m|km)\b", r"\1\2", text.replace("'", "").replace("\u2019", ""))
    folded = values.slug(joined)  # the ids' folding: "Łukasz" -> "lukasz"
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:60].strip("-") or fallback


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
                file_name=f"{number:03d}-{file_slug(cue.title)}.png",
            )
        )
    return stills, report
