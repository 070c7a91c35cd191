"""The app in a real window under Xvfb: the demo opens, takes a cue on the bundled renderer
(headless), and saves a screenshot of the screen (QScreen.grabWindow(0)).

Set STRAPLINE_SCREENSHOT_DIR to keep the screenshot for a look."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

pytestmark = pytest.mark.xvfb


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
        udp.bind(("127.0.0.1", 0))
        port: int = udp.getsockname()[1]
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
        try:
            tcp.bind(("127.0.0.1", port))
        except OSError:
            return _free_port()
    return port


def test_demo_window_takes_a_cue_and_screenshots(tmp_path: Path, xvfb_display: str) -> None:
    shot = tmp_path / "demo.png"
    env = {
        **os.environ,
        "DISPLAY": xvfb_display,
        "QT_QPA_PLATFORM": "xcb",
        "XDG_RUNTIME_DIR": str(tmp_path),
        "HOME": str(tmp_path),
    }
    cmd = [
        sys.executable, "-m", "strapline", "demo", "--smoke-test",
        "--port", str(_free_port()),
        "--settings", str(tmp_path / "settings.ini"),
        "--control-port", "0",
        "--screenshot", str(shot),
    ]  # fmt: skip
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "take -> on air" in done.stderr
    image = QImage(str(shot))
    assert (image.width(), image.height()) == (1920, 1080)
    colours = {image.pixel(x, y) for x in range(0, 1920, 40) for y in range(0, 1080, 40)}
    assert len(colours) > 20, "the screenshot is nearly blank"
    keep = os.environ.get("STRAPLINE_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / "demo.png")
