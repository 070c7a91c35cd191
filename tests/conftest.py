"""Test setup: offscreen Qt, and the qasync event loop for async tests."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from typing import Any

import pytest


def pytest_asyncio_loop_factories(config: pytest.Config, item: pytest.Item) -> dict[str, Any]:
    """Async tests run on qasync's QEventLoop, as the app does."""
    import qasync
    from PySide6.QtWidgets import QApplication

    return {"qasync": lambda: qasync.QEventLoop(QApplication.instance() or QApplication([]))}
