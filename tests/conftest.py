"""Test setup: offscreen Qt, and the qasync event loop for async tests."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

# One QApplication for the whole session, made before any test runs: render/ makes a bare
# QGuiApplication when it finds none (right for `strapline export`), and a widget test after
# that would abort the process ("Must construct a QApplication before a QWidget").
_APP = QApplication.instance() or QApplication([])
# the desk's own font, named before any test registers a theme's fonts (as the app does)
from strapline.views.style import pin_interface_font  # noqa: E402

pin_interface_font(_APP)

# As in the app and the renderer: cycles are collected on this (the GUI) thread only, so no Qt
# object is ever destroyed on a render or worker thread (strapline.render.collector).
from strapline.render.collector import install_gui_thread_collector  # noqa: E402

_COLLECTOR = install_gui_thread_collector()


@pytest.fixture(autouse=True)
def _collect_between_tests() -> Iterator[None]:
    """Garbage from a test that ran no event loop is collected here, on the GUI thread."""
    yield
    _COLLECTOR.collect_due()


def pytest_asyncio_loop_factories(config: pytest.Config, item: pytest.Item) -> dict[str, Any]:
    """Async tests run on qasync's QEventLoop, as the app does."""
    import qasync

    return {"qasync": lambda: qasync.QEventLoop(QApplication.instance() or QApplication([]))}


@pytest.fixture
def xvfb_display() -> Iterator[str]:
    """A fresh Xvfb display (":N") for a test that needs a real window; skipped without Xvfb."""
    exe = shutil.which("Xvfb")
    if exe is None:
        pytest.skip("Xvfb is not installed (apt-get install xvfb)")
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        [exe, "-displayfd", str(write_fd), "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    try:
        with os.fdopen(read_fd) as pipe:
            number = pipe.readline().strip()
        if not number:
            pytest.skip("Xvfb did not start")
        yield f":{number}"
    finally:
        proc.terminate()
        proc.wait(10)
