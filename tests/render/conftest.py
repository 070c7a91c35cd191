"""Fixtures for render tests: a Qt GUI application, the shipped themes, the golden helper."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

sys.path.insert(0, str(Path(__file__).resolve().parent))

from golden import assert_matches_golden

from strapline.domain.theme import Theme
from strapline.render import load_theme

THEMES = ["ice", "night"]


@pytest.fixture(scope="session", autouse=True)
def _gui() -> object:
    """A QApplication (not a bare QGuiApplication) so widget tests in the same run still work."""
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([])


@pytest.fixture(params=THEMES)
def theme(request: pytest.FixtureRequest) -> Theme:
    return load_theme(str(request.param))


@pytest.fixture
def golden() -> Callable[..., None]:
    """`golden(image, name, tolerance=12, max_pixels=16)`: see tests/render/golden.py."""

    def check(image: QImage, name: str, **kwargs: int) -> None:
        assert_matches_golden(image, name, **kwargs)  # type: ignore[arg-type]

    return check
