"""Test setup: offscreen Qt, and the qasync event loop for async tests."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

# One QApplication for the whole session, made before any test runs: render/ makes a bare
# QGuiApplication when it finds none (right for `strapline export`), and a widget test after
# that would abort the process ("Must construct a QApplication before a QWidget").
_APP = QApplication.instance() or QApplication([])


def pytest_asyncio_loop_factories(config: pytest.Config, item: pytest.Item) -> dict[str, Any]:
    """Async tests run on qasync's QEventLoop, as the app does."""
    import qasync

    return {"qasync": lambda: qasync.QEventLoop(QApplication.instance() or QApplication([]))}
