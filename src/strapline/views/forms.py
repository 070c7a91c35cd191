"""Qt Designer forms from ui/, loaded at run time with QUiLoader (no generated code to keep in
step). Views look widgets up by objectName through `child`, which fails loudly when a form and
its view disagree.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QFile, QIODevice
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import QWidget

_PACKAGE_DIR = Path(__file__).resolve().parents[1]
W = TypeVar("W", bound=QWidget)


class FormError(RuntimeError):
    """A form is missing or does not hold the widget a view expects."""


def ui_dirs() -> list[Path]:
    dirs = [Path(p) for p in os.environ.get("STRAPLINE_UI_PATH", "").split(os.pathsep) if p]
    return [
        *dirs,
        _PACKAGE_DIR.parents[1] / "ui",  # source checkout
        _PACKAGE_DIR / "data" / "ui",
        Path(sys.prefix) / "share" / "strapline" / "ui",
    ]


def ui_path(name: str) -> Path:
    for folder in ui_dirs():
        candidate = folder / name
        if candidate.is_file():
            return candidate
    raise FormError(f"form {name} not found in {', '.join(str(d) for d in ui_dirs())}")


def load_form(name: str, parent: QWidget | None = None) -> QWidget:
    path = ui_path(name)
    file = QFile(str(path))
    if not file.open(QIODevice.OpenModeFlag.ReadOnly):
        raise FormError(f"cannot read form {path}: {file.errorString()}")
    try:
        loader = QUiLoader()
        widget = loader.load(file, parent)
    finally:
        file.close()
    if widget is None:
        raise FormError(f"form {path}: {loader.errorString()}")
    return widget


def child(form: QWidget, kind: type[W], name: str) -> W:
    found = form.findChild(kind, name)
    if found is None:
        raise FormError(f"form {form.objectName()!r} has no {kind.__name__} named {name!r}")
    return found
