"""The renderer full screen on a real X display (Xvfb): a take over OSC shows on screen.

Set STRAPLINE_SCREENSHOT_DIR to keep the screenshot for a look."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from strapline.cli import main

pytestmark = pytest.mark.xvfb

GRAB = """
import sys
from PySide6.QtGui import QGuiApplication
app = QGuiApplication([])
ok = app.primaryScreen().grabWindow(0).save(sys.argv[1])
sys.exit(0 if ok else 1)
"""


def test_fullscreen_renderer_shows_a_take(tmp_path: Path, xvfb_display: str) -> None:
    env = {
        **os.environ,
        "DISPLAY": xvfb_display,
        "QT_QPA_PLATFORM": "xcb",
        "XDG_RUNTIME_DIR": str(tmp_path),
        "HOME": str(tmp_path),
    }
    renderer = subprocess.Popen(
        [sys.executable, "-m", "strapline", "renderer", "--fullscreen", "--port", "0",
         "--background", "green", "--id", "xvfb"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert renderer.stdout is not None
        ready = renderer.stdout.readline()
        assert "listening on" in ready, renderer.stderr.read() if renderer.stderr else ""
        port = ready.rsplit(":", 1)[1].strip()
        to = ["send", "--to", f"127.0.0.1:{port}", "--layer", "20", "--wait-ack", "--timeout", "5"]
        data = '{"family_name": "ROUSSEL", "given_name": "Felix", "nation": "CAN"}'
        assert main([*to, "load", "lower-third", "--data", data]) == 0
        assert main([*to, "play"]) == 0
        shot = tmp_path / "renderer.png"
        grabbed = None
        for _ in range(20):  # until the in-animation has landed and the screen shows it
            done = subprocess.run(
                [sys.executable, "-c", GRAB, str(shot)], env=env, timeout=60, capture_output=True
            )
            assert done.returncode == 0, done.stderr
            grabbed = QImage(str(shot))
            green = sum(
                1
                for x in range(0, 1920, 40)
                for y in range(0, 1080, 40)
                if grabbed.pixelColor(x, y).name() == "#00b140"
            )
            total = (1920 // 40) * (1080 // 40)
            if total * 0.5 < green < total:
                break
        assert grabbed is not None and (grabbed.width(), grabbed.height()) == (1920, 1080)
        assert total * 0.5 < green < total, "expected the green background with a graphic on it"
        keep = os.environ.get("STRAPLINE_SCREENSHOT_DIR")
        if keep:
            Path(keep).mkdir(parents=True, exist_ok=True)
            shutil.copy(shot, Path(keep) / "renderer.png")
    finally:
        renderer.send_signal(signal.SIGTERM)
        code = renderer.wait(20)
        for stream in (renderer.stdout, renderer.stderr):
            if stream is not None:
                stream.close()
    assert code == 0
