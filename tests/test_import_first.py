"""Any module imports cleanly as the first line of a fresh interpreter (a user's script, a
plugin, `python -c`), whatever order pydantic and PySide6 are first touched in."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "strapline"


def _both() -> list[str]:
    """The modules that import pydantic and PySide6 themselves."""
    out = []
    for path in sorted(SRC.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if "from pydantic" in text and "from PySide6" in text:
            parts = path.relative_to(SRC.parent).with_suffix("").parts
            out.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return out


@pytest.mark.parametrize("module", _both())
def test_imports_first(module: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", f"import {module}"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=SRC.parents[1],
    )
    assert done.returncode == 0, f"import {module}: {done.stderr.strip().splitlines()[-1:]}"
