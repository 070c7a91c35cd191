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


def test_an_allow_entry_that_cannot_be_parsed_is_one_message(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["renderer", "--headless", "--allow", "10.0.0.0/33"]) == 1
    assert main(["renderer", "--headless", "--allow", "localhost", "two words"]) == 1
    err = capsys.readouterr().err
    assert "--allow: '10.0.0.0/33' is not an IP address, a range" in err
    assert "'two words'" in err and "Traceback" not in err


@pytest.mark.parametrize("allow", [["localhost"], ["127.0.0.0/8"], ["10.0.0.0/8"]])
def test_allow_by_name_and_range(allow: list[str]) -> None:
    import asyncio

    from strapline.osc import address as osc
    from strapline.osc.client import TargetConfig, TargetLink

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "strapline",
            "renderer",
            "--headless",
            "--port",
            str(port),
            "--allow",
            *allow,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""},
    )
    try:
        assert proc.stdout is not None and "listening" in proc.stdout.readline()

        async def ask() -> bool:
            link = TargetLink(TargetConfig("127.0.0.1", port), timeout=0.5)
            await link.start(heartbeats=False)
            try:
                return (await link.request(osc.GetState(link.next_seq(), 1))).ok
            finally:
                await link.close()

        answered = asyncio.run(ask())
        assert answered == (allow != ["10.0.0.0/8"])
    finally:
        proc.terminate()
        proc.wait(10)
        for f in (proc.stdout, proc.stderr):
            if f is not None:
                f.close()
