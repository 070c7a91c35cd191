"""The operator's desktop app: builds the services and the window and runs them on qasync."""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import qasync
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from strapline.domain.diagnostics import DataError
from strapline.domain.model import Competition
from strapline.domain.rundown import Show
from strapline.osc.feedback import FeedbackTarget
from strapline.render.collector import install_gui_thread_collector
from strapline.services.data import DataService
from strapline.services.live import LiveRaceService
from strapline.services.outputs import OutputsService
from strapline.services.playout import PlayoutService
from strapline.services.show import ShowService
from strapline.views.controller import AppController
from strapline.views.style import apply_operator_style, pin_interface_font

log = logging.getLogger(__name__)


@dataclass
class AppOptions:
    show_path: Path | None = None
    show: Show | None = None
    competition: Competition | None = None
    launch_renderer_port: int | None = None
    smoke_test: bool = False
    smoke_cue: str | None = None
    settings_file: Path | None = None
    recovery_dir: Path | None = None
    interactive: bool = True
    offer_recovery: bool = True
    screenshot: Path | None = None
    control_port: int | None = None  # Stream Deck / Companion control input (None: off)
    control_bind: str = "127.0.0.1"
    control_allow: list[str] | None = None  # None: any sender
    feedback: list[FeedbackTarget] = field(default_factory=list)
    feed: str | None = None  # timing feed spec (strapline.services.live.parse_feed_spec)
    demo_race: bool = False  # replay the shipped demo race into the feed, in real time


#: How long a thread may hold the GIL while another waits for it. The preview draws in a worker
#: thread running Python painter code; with Python's default (5 ms) a key press or a socket
#: send on the GUI thread can wait that long for the GIL. 0.5 ms bounds that wait.
SWITCH_INTERVAL_S = 0.0005


def qt_app(argv: list[str] | None = None) -> QApplication:
    """The app's QApplication (made once, with the operator style), in a process set up for a
    responsive GUI thread (see SWITCH_INTERVAL_S)."""
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        app = QApplication(argv or [sys.argv[0] if sys.argv else "strapline"])
        app.setApplicationName("Strapline")
        app.setOrganizationName("Strapline")
        icon = _icon_path()
        if icon is not None:
            app.setWindowIcon(QIcon(str(icon)))
        apply_operator_style(app)
    pin_interface_font(app)
    # cycles are collected on this thread only: a Qt object freed on a preview, thumbnail or
    # import thread would take the process down (strapline.render.collector)
    install_gui_thread_collector()
    return app


def _icon_path() -> Path | None:
    """The app icon: inside the bundle (strapline/data/icon) or in a source checkout."""
    package = Path(__file__).resolve().parent
    for candidate in (
        package / "data" / "icon" / "strapline.png",
        package.parents[1] / "packaging" / "icon" / "strapline.png",
    ):
        if candidate.is_file():
            return candidate
    return None


def build(opts: AppOptions) -> AppController:
    """Services, window and controller for one show (opened from a file, or given)."""
    shows = ShowService(opts.show or Show())
    data = DataService()
    if opts.competition is not None:
        data.set_competition(opts.competition)
    outputs = OutputsService()
    playout = PlayoutService(shows, data, outputs.playout)
    settings = (
        QSettings(str(opts.settings_file), QSettings.Format.IniFormat)
        if opts.settings_file
        else None
    )
    controller = AppController(
        shows,
        data,
        playout,
        outputs,
        settings=settings,
        recovery_dir=opts.recovery_dir,
        interactive=opts.interactive,
        defer_render=True,  # the window first; the renderer loads once it has painted
    )
    # what the start built stays for the whole session: later collections skip it, so a full
    # collection (tens of ms over the start's objects) never lands on a take
    controller.renderReady.connect(gc.freeze)
    if opts.show_path is not None:
        shows.open(opts.show_path)  # DataError reaches the caller before any window shows
        controller._add_recent(opts.show_path)
        controller.undo.setClean()
    return controller


async def _main(opts: AppOptions, started: float, report: Callable[[str], None]) -> int:
    controller = build(opts)
    window = controller.window
    # open the outputs' sockets as soon as the window has painted: the first take is fast
    controller.windowPainted.connect(controller.playout.playouts)
    window.show()
    report(f"window ready in {time.perf_counter() - started:.2f} s")
    if opts.offer_recovery and not opts.smoke_test:
        # from the Qt loop once the window is up: the question is a bar in the window
        QTimer.singleShot(0, controller.offer_recovery)
    from strapline.osc.control import ControlListener  # after the window: a faster start
    from strapline.services.control import RundownControl

    control = RundownControl(controller.playout)
    if opts.control_port is not None:
        allow = set(opts.control_allow) if opts.control_allow else None
        listener = ControlListener(
            control, host=opts.control_bind, port=opts.control_port, allow=allow
        )
        where = f"{opts.control_bind}:{opts.control_port}"
        try:
            await listener.start()
        except OSError as exc:
            report(f"control input on {where} is off: {exc}")
            controller.prompts.tell(
                "control",
                f"Stream Deck / Companion control input on UDP {where} is off: {exc}",
                "error",
            )
        else:
            control.listener = listener
            only = f" (only from {', '.join(sorted(allow))})" if allow else ""
            report(f"control input (Stream Deck / Companion) on UDP {where}{only}")
    feedback = await controller.start_feedback(opts.feedback)
    if feedback.sender.targets:
        report(f"feedback to {', '.join(t.label for t in feedback.sender.targets)}")
    if opts.launch_renderer_port is not None:
        # a smoke test or a screenshot needs no renderer window (it would cover the app)
        quiet = opts.smoke_test or opts.screenshot is not None
        controller.launch_renderer(opts.launch_renderer_port, window=not quiet)
    live, replaying = await _live_race(controller, opts, report)
    closed = asyncio.Event()
    qt_app().lastWindowClosed.connect(closed.set)
    code = 0
    try:
        if opts.smoke_test:
            code = await _smoke(controller, opts, report, clear=opts.screenshot is None)
        if opts.screenshot is not None:
            await asyncio.sleep(1.0)  # let docks settle and the first frames paint
            if not _grab(opts.screenshot):
                report(f"cannot write the screenshot {opts.screenshot}")
                code = 1
            else:
                report(f"screenshot written to {opts.screenshot}")
        if opts.smoke_test or opts.screenshot is not None:
            window.close()
        else:
            await closed.wait()
    finally:
        if control.listener is not None:
            await control.listener.close()
        if replaying is not None:
            replaying.cancel()
        await live.stop()
        await controller.shutdown()
    return code


def _add_live_cues(controller: AppController) -> None:
    """A 'Live race' group at the top of the rundown (undoable, one step per cue)."""
    from strapline.services.live import live_race_cues

    group = live_race_cues()
    shows = controller.shows
    controller.push(shows.add_group(group.name, 0))
    group_id = shows.show.rundown.groups[0].id
    for cue in group.cues:
        controller.push(shows.add_cue(cue, group_id))
    controller.window.set_status("Live race cues added: race clock, positions, lap chart, finish")


def _bind_selected_live(controller: AppController) -> None:
    from strapline.domain.rundown import CueBinding
    from strapline.services.show import EditError

    cue_id = controller.playout.selected
    if cue_id is None:
        controller.window.set_status("Select a cue to bind it to the live race", True)
        return
    try:
        controller.push(controller.shows.update_cue(cue_id, binding=CueBinding(live=True)))
    except EditError as exc:
        controller.window.set_status(str(exc), True)
        return
    controller.window.set_status("The cue follows the live race")


async def _live_race(
    controller: AppController, opts: AppOptions, report: Callable[[str], None]
) -> tuple[LiveRaceService, asyncio.Task[int] | None]:
    """The live race: its service, its panel, the timing feed of --feed (manual timing when
    none is given) and, for the demo, the demo race replayed into it."""
    from strapline.services.live import FeedSpec, parse_feed_spec
    from strapline.views.live_race_panel import install_live_race

    live = LiveRaceService()
    controller.playout.attach_live(live)
    live.message.connect(lambda level, text: controller.window.set_status(text, level == "error"))
    panel = install_live_race(controller.window, live)
    panel.addCuesRequested.connect(lambda: _add_live_cues(controller))
    panel.bindSelectedRequested.connect(lambda: _bind_selected_live(controller))
    spec = FeedSpec("manual")
    if opts.feed:
        try:
            spec = parse_feed_spec(opts.feed)
        except ValueError as exc:
            report(str(exc))
    elif opts.demo_race:
        spec = FeedSpec("jsonl", "127.0.0.1", 0)
    try:
        await live.start(spec)
    except OSError as exc:
        report(f"timing feed {spec.label} is off: {exc}")
        await live.start(FeedSpec("manual"))
    else:
        report(f"timing feed: {live.spec.label if live.spec else spec.label}")
    replaying: asyncio.Task[int] | None = None
    if opts.demo_race and live.spec is not None and live.spec.protocol == "jsonl":
        from strapline.feeds.recording import demo_race_path, read_recording, replay

        recording = read_recording(demo_race_path())
        replaying = asyncio.get_running_loop().create_task(
            replay(recording, live.spec.host, live.spec.port, tcp=live.spec.tcp)
        )
        report("the demo race (invented) runs live into the timing feed")
    return live, replaying


def _grab(path: Path) -> bool:
    """The whole primary screen (QScreen.grabWindow(0)) to a PNG file."""
    screen = QGuiApplication.primaryScreen()
    if screen is None:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    return screen.grabWindow(0).save(str(path))


async def _smoke(
    controller: AppController, opts: AppOptions, report: Callable[[str], None], clear: bool
) -> int:
    """Wait for the renderer, take one cue, check it is acknowledged on air, clear, quit."""
    assert controller.outputs is not None
    show = controller.shows.show
    cue_id = opts.smoke_cue or next(
        (c.id for c in show.rundown.cues() if controller.playout.state_of(c.id) == "ready"), None
    )
    if cue_id is None:
        report("smoke test: no cue ready to take")
        return 1
    controller.playout.playouts()
    await controller.outputs.ready()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        statuses = controller.outputs.sample()
        if statuses and all(s.online for s in statuses):
            break
        await asyncio.sleep(0.1)
    else:
        report("smoke test: renderer did not come online within 15 s")
        return 1
    controller.playout.select(cue_id)
    result = await controller.playout.take(cue_id)
    report(f"smoke test: take -> {result.message}")
    if not result.ok or controller.playout.state_of(cue_id) != "on-air":
        return 1
    await asyncio.sleep(0.5)
    if clear:
        await controller.playout.clear()
    return 0


def run_app(opts: AppOptions, report: Callable[[str], None] | None = None) -> int:
    """Run the app until its window closes; returns the process exit code."""
    started = time.perf_counter()
    say = report or (lambda text: print(f"strapline: {text}", file=sys.stderr))
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = qt_app()
    # the app ends when _main has shut everything down, not when the last window closes
    app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        with loop:
            code: int = loop.run_until_complete(_main(opts, started, say))
            return code
    except DataError as exc:
        say(str(exc))
        return 1
    except Exception as exc:  # the operator gets one line; the log keeps the details
        log.debug("the app stopped on an error", exc_info=True)
        say(f"stopped on an error: {exc}")
        return 1
