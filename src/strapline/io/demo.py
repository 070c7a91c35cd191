"""The demo data shipped with Strapline: the Dresden 2023/24 ISU World Cup short track weekend.

Names, nations and the podiums follow the public record of that weekend; times, helmet numbers,
points, ids ("ISU-DEMO-...") and the full start lists are invented, and the competition is marked
`demo: true` (the app and `strapline check` say so; the name stays clean for air). The same Men
500 m Final A also comes as an ISU-style CSV, an ODF DT_RESULT XML and, with the Women 500 m
Final A, a FinishLynx LYNX.EVT start list, so every importer has a real-looking file to read.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from strapline.domain.diagnostics import DataError
from strapline.domain.model import Competition, DataFile

__all__ = ["DEMO_JSON", "demo_dir", "demo_files", "demo_path", "load_demo"]

DEMO_JSON = "dresden-2023-24.json"


def demo_dir() -> Path:
    """The folder holding the demo files (inside the installed package)."""
    folder = resources.files("strapline").joinpath("data", "demo")
    if not isinstance(folder, Path):  # pragma: no cover - only in zipped installs
        raise FileNotFoundError("the demo data is not available as files in this installation")
    return folder


def demo_files() -> list[Path]:
    """Every demo data file, sorted by name."""
    return sorted(p for p in demo_dir().iterdir() if p.is_file() and not p.name.startswith("."))


def demo_path(name: str) -> Path:
    """The path of one demo file by its file name, e.g. "dresden-men-500m-final-a.csv".

    Raises FileNotFoundError naming the files there are when `name` is not one of them.
    """
    for path in demo_files():
        if path.name == name:
            return path
    known = ", ".join(p.name for p in demo_files())
    raise FileNotFoundError(f"no demo file named {name!r}; the demo files are: {known}")


def load_demo() -> Competition:
    """The Dresden weekend as one competition (all events, the standings and the medal table)."""
    path = demo_path(DEMO_JSON)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(str(path), "", f"cannot read the demo data: {exc}") from exc
    try:
        return DataFile.model_validate_json(text).competition
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise DataError(str(path), where, f"invalid demo data: {first['msg']}") from exc
