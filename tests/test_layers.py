"""The dependency rule, as far as import-linter cannot express it.

import-linter (run by CI through `lint-imports`) holds the layer order and keeps Qt out of
domain/, io/, osc/ and services/. It cannot forbid a submodule of an outside package, so this
test keeps render/ to QtGui (and QtCore/QtSvg): no widgets there, ever.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "strapline"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


def test_render_never_imports_widgets() -> None:
    bad = {
        f"{path.relative_to(SRC)}: {name}"
        for path in (SRC / "render").rglob("*.py")
        for name in _imports(path)
        if name.startswith(("PySide6.QtWidgets", "pyqtgraph", "strapline.views"))
    }
    assert not bad, f"render/ must use QtGui only: {sorted(bad)}"


def test_domain_is_plain_python() -> None:
    bad = {
        f"{path.relative_to(SRC)}: {name}"
        for path in (SRC / "domain").rglob("*.py")
        for name in _imports(path)
        if name.startswith(("PySide6", "pyqtgraph", "qasync", "pythonosc"))
    }
    assert not bad, f"domain/ must not import Qt or OSC: {sorted(bad)}"
