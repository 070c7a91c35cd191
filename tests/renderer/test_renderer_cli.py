"""`strapline renderer`: bad options and a taken port are one clear message, exit 1."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest

from strapline.cli import main


def run_renderer(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "strapline", "renderer", "--headless", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""},
    )


def test_port_in_use_is_one_message() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as taken:
        taken.bind(("127.0.0.1", 0))
        port = taken.getsockname()[1]
        done = run_renderer("--port", str(port))
    assert done.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr
    assert "Traceback" not in done.stderr


def test_unknown_theme_is_one_message() -> None:
    done = run_renderer("--theme", "no-such-theme", "--port", "0")
    assert done.returncode == 1
    assert "no-such-theme" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--size", "1920"], "is not WIDTHxHEIGHT"),
        (["--size", "99999x10"], "out of range"),
        (["--port", "70000"], "out of range"),
        (["--background", "pink"], "invalid choice"),
    ],
)
def test_bad_options(args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["renderer", *args])
    assert info.value.code == 2
    assert message in capsys.readouterr().err


def test_bad_channel_and_fps(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["renderer", "--headless", "--channel", "0"]) == 1
    assert main(["renderer", "--headless", "--fps", "0.5"]) == 1
    err = capsys.readouterr().err
    assert "--channel must be 1-999" in err and "--fps must be 1-240" in err


def test_no_display_is_one_message() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "strapline", "renderer", "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": ""},
    )
    assert done.returncode == 1
    assert "no display" in done.stderr and "--headless" in done.stderr
