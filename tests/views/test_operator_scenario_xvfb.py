"""An operator's scenario in a real window under Xvfb, driven by xdotool: the app with a show
bound to a data file, the bundled renderer (headless, its own process) and a Companion
stand-in listening for feedback.

Take; PANIC with Preferences open and with a modal file dialog open (the renderer's state
empty within 1 s each time), and a take from the control port with the file dialog open; a
bound file edited while on air (the prompt bar); PANIC with the bar open; Escape from a text
field then Space takes; export the rundown; kill the renderer (offline said to the buttons);
quit with Ctrl+Q (the app ends, exit code 0); the feedback receives the on-air cue throughout.

Screenshots of each step go to STRAPLINE_SCREENSHOT_DIR when it is set (for a look)."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from strapline.domain.rundown import Cue, CueBinding, DataSource, OutputConfig, Show, TargetConfig
from strapline.io.demo import demo_path
from strapline.osc.codec import parse_packet
from strapline.services.show import ShowService

pytestmark = pytest.mark.xvfb

XDOTOOL = shutil.which("xdotool")
# the demo's final as a meet manager writes it: a lower third of the winner, the result list
WINNER = Cue(
    id="lt",
    name="Winner",
    graphic="lower-third",
    binding=CueBinding(event_id="men-500-m", race_id="men-500-m-final-a-1", row=0),
)
RESULTS = Cue(
    id="res",
    name="Results",
    graphic="result-list",
    binding=CueBinding(event_id="men-500-m", race_id="men-500-m-final-a-1"),
    layer=30,
)


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


class Feedback:
    """A Companion stand-in: the last value of every feedback address it received."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port: int = self.sock.getsockname()[1]
        self.values: dict[str, object] = {}
        self._stop = False
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop:
            try:
                data, _ = self.sock.recvfrom(65536)
            except OSError:
                continue
            for item in parse_packet(data):
                if item.message.args:
                    self.values[item.message.address] = item.message.args[0]

    def get(self, name: str) -> object:
        return self.values.get(f"/custom-variable/strapline_{name}/value")

    def close(self) -> None:
        self._stop = True
        self._thread.join(2)
        self.sock.close()


def _wait(what: str, ok: Callable[[], bool], timeout: float) -> float:
    """Poll until `ok`; the seconds it took. Fails naming `what`."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if ok():
            return time.monotonic() - start
        time.sleep(0.02)
    raise AssertionError(f"{what}: not within {timeout} s")


def _renderer_layers(port: int) -> list[str]:
    """What the renderer says it has on air (graphic per on-air layer), asked over OSC."""
    from strapline.osc import address as osc
    from strapline.osc.client import TargetConfig as OscTarget
    from strapline.osc.client import TargetLink

    async def ask() -> list[str]:
        link = TargetLink(OscTarget("127.0.0.1", port), timeout=0.5, retry_interval=0.1)
        await link.start(heartbeats=False)
        try:
            await link.request(osc.GetState(link.next_seq(), 1))
            state = link.states.get(1)
            return [layer.graphic for layer in state.layers if layer.on_air] if state else []
        finally:
            await link.close()

    return asyncio.run(ask())


@pytest.fixture
def scenario(tmp_path: Path, xvfb_display: str) -> Iterator[dict[str, object]]:
    if XDOTOOL is None:
        pytest.skip("xdotool is not installed")
    data = tmp_path / "Men 500m Final A.csv"
    shutil.copy(demo_path("dresden-men-500m-final-a.csv"), data)
    rport, cport = _free_port(), _free_port()
    show = ShowService(
        Show(
            name="Scenario",
            data=[DataSource(path=str(data))],
            outputs=[OutputConfig(targets=[TargetConfig(host="127.0.0.1", port=rport)])],
        )
    )
    show.add_cue(WINNER)
    show.add_cue(RESULTS)
    show.save(tmp_path / "scenario.strapline")
    env = {
        **os.environ,
        "DISPLAY": xvfb_display,
        "QT_QPA_PLATFORM": "xcb",
        "XDG_RUNTIME_DIR": str(tmp_path),
        "HOME": str(tmp_path),
    }
    renderer = subprocess.Popen(
        [sys.executable, "-m", "strapline", "renderer", "--port", str(rport), "--headless"],
        env={**env, "QT_QPA_PLATFORM": "offscreen"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    feedback = Feedback()
    log = (tmp_path / "app.log").open("w")
    app = subprocess.Popen(
        [
            sys.executable, "-m", "strapline", "app", str(tmp_path / "scenario.strapline"),
            "--control-port", str(cport), "--feedback", f"127.0.0.1:{feedback.port}",
            "--settings", str(tmp_path / "settings.ini"), "--no-recovery",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    shots = Path(os.environ.get("STRAPLINE_SCREENSHOT_DIR") or tmp_path / "shots")
    shots.mkdir(parents=True, exist_ok=True)
    try:
        yield {
            "env": env,
            "app": app,
            "renderer": renderer,
            "feedback": feedback,
            "rport": rport,
            "cport": cport,
            "data": data,
            "tmp": tmp_path,
            "shots": shots,
        }
    finally:
        if app.poll() is None:
            app.send_signal(signal.SIGTERM)
            try:
                app.wait(10)
            except subprocess.TimeoutExpired:
                app.kill()
                app.wait(5)
        if renderer.poll() is None:
            renderer.kill()
            renderer.wait(5)
        feedback.close()
        log.close()


def test_an_operator_scenario_in_a_real_window(scenario: dict[str, object]) -> None:
    env = scenario["env"]
    assert isinstance(env, dict)
    fb = scenario["feedback"]
    assert isinstance(fb, Feedback)
    rport, cport = scenario["rport"], scenario["cport"]
    assert isinstance(rport, int) and isinstance(cport, int)
    tmp, shots, data = scenario["tmp"], scenario["shots"], scenario["data"]
    assert isinstance(tmp, Path) and isinstance(shots, Path) and isinstance(data, Path)
    app = scenario["app"]
    renderer = scenario["renderer"]
    assert isinstance(app, subprocess.Popen) and isinstance(renderer, subprocess.Popen)
    timings: dict[str, float] = {}

    def xdo(*args: str) -> str:
        assert XDOTOOL is not None
        done = subprocess.run([XDOTOOL, *args], env=env, capture_output=True, text=True, timeout=20)
        return done.stdout.strip()

    def window(name: str) -> str:
        found = xdo("search", "--sync", "--onlyvisible", "--name", name).split()
        assert found, f"no window named {name!r}"
        return found[-1]

    def focus(name: str) -> str:
        wid = window(name)
        xdo("windowfocus", "--sync", wid)
        return wid

    def key(*keys: str) -> None:
        xdo("key", "--delay", "40", *keys)

    def shot(name: str) -> None:
        code = (
            "import sys\nfrom PySide6.QtGui import QGuiApplication\n"
            "app = QGuiApplication(sys.argv)\n"
            f"app.primaryScreen().grabWindow(0).save({str(shots / name)!r})\n"
        )
        subprocess.run([sys.executable, "-c", code], env=env, timeout=30, check=True)

    def control(address: str, *args: int) -> None:
        from strapline.osc.codec import build_message

        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.sendto(build_message(address, [("i", a) for a in args]), ("127.0.0.1", cport))

    def panic_clears(step: str) -> None:
        assert _renderer_layers(rport), f"{step}: nothing on air to clear"
        start = time.monotonic()
        key("shift+F12")
        _wait(f"{step}: the renderer's state empty", lambda: not _renderer_layers(rport), 1.0)
        timings[step] = time.monotonic() - start

    def take(step: str) -> None:
        focus("Strapline$")
        key("F2")
        _wait(f"{step}: on air", lambda: bool(_renderer_layers(rport)), 3.0)

    # the app is up, the renderer online, as the buttons are told
    _wait("renderer online (feedback)", lambda: fb.get("program_online") == "1", 60)
    main = window("Strapline$")
    geometry = xdo("getwindowgeometry", main)
    assert "1920x" in geometry or "x1080" in geometry or "Geometry" in geometry

    # 1. take the first cue (selected from the control port, taken with F2)
    control("/strapline/v1/control/cue", 1)
    _wait("cue 1 selected", lambda: bool(fb.get("selected")), 5)
    take("take")
    _wait("feedback: on-air cue", lambda: fb.get("program_on_air") == fb.get("selected"), 3)
    shot("01-on-air.png")

    # 2. Preferences open (a real size) and PANIC acts
    key("ctrl+comma")
    prefs = window("^Preferences$")
    geometry = xdo("getwindowgeometry", prefs)
    size = geometry.split("Geometry:")[-1].strip()
    width, height = (int(v) for v in size.split("x"))
    assert width >= 400 and height >= 300, geometry
    shot("02-preferences.png")
    xdo("windowfocus", "--sync", prefs)
    panic_clears("PANIC with Preferences open")
    key("Escape")  # closes Preferences
    _wait(
        "Preferences closed",
        lambda: not xdo("search", "--onlyvisible", "--name", "^Preferences$"),
        5,
    )

    # 3. a modal file dialog (Import data) open, and PANIC acts
    take("take again")
    key("ctrl+i")
    dialog = window("^Import data$")
    xdo("windowfocus", "--sync", dialog)
    shot("03-file-dialog.png")
    panic_clears("PANIC with a file dialog open")
    control("/strapline/v1/control/take")  # the control port acts with the dialog open, too
    _wait("a take from the control port", lambda: bool(_renderer_layers(rport)), 2.0)
    assert fb.get("program_online") == "1"  # heartbeats went on
    xdo("windowfocus", "--sync", dialog)
    key("Escape")

    # 4. a bound file changes while on air: the question is a bar; PANIC acts meanwhile
    text = data.read_text(encoding="utf-8")
    assert "40.714" in text
    data.write_text(text.replace("40.714", "40.701", 1), encoding="utf-8")  # a corrected time
    _wait("cue 1 tally pending (amber)", lambda: fb.get("cue_1_tally") == "pending", 10)
    time.sleep(0.3)  # let the bar paint for the screenshot
    shot("04-update-bar.png")
    focus("Strapline$")
    panic_clears("PANIC with the update bar open")

    # 5. Escape from a text field, then Space takes
    focus("Strapline$")
    key("ctrl+f")
    xdo("type", "--delay", "30", "kaz")
    key("Escape", "space")
    _wait("Space took after Escape", lambda: bool(_renderer_layers(rport)), 3)
    _wait("feedback: on air again", lambda: bool(fb.get("program_on_air")), 3)
    shot("05-escape-space.png")

    # 6. export the rundown to a folder (a progress panel, then a bar)
    out = tmp / "stills"
    out.mkdir()
    focus("Strapline$")
    key("ctrl+shift+e")
    export = window("^Export rundown to folder$")
    xdo("windowfocus", "--sync", export)
    key("ctrl+a")
    xdo("type", "--delay", "10", str(out))
    key("Return")
    _wait("stills written", lambda: len(list(out.glob("*.png"))) >= 1, 30)
    time.sleep(0.5)
    shot("06-export.png")

    # 7. kill the renderer: offline, said to the buttons
    focus("Strapline$")
    renderer.kill()
    killed = time.monotonic()
    _wait("feedback: renderer offline", lambda: fb.get("program_online") == "0", 3)
    timings["renderer offline (feedback)"] = time.monotonic() - killed
    time.sleep(0.5)
    shot("07-renderer-dead.png")

    assert app.poll() is None, "the app stopped"
    print("scenario timings:", {k: f"{v:.2f} s" for k, v in timings.items()})
    assert timings["renderer offline (feedback)"] < 1.5

    # 8. quit (Ctrl+Q): after the export and the dead renderer, the app ends cleanly
    focus("Strapline$")
    key("ctrl+q")
    quit_s = _wait("the app quit", lambda: app.poll() is not None, 15)
    print(f"quit in {quit_s:.2f} s")
    assert app.returncode == 0
