"""The app's start: the window comes up before the renderer is loaded, then everything draws."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot
from service_fakes import RecordingPlayout, make_competition

from strapline.domain.rundown import Cue, CueBinding, Show
from strapline.render import available_themes
from strapline.services.data import DataService
from strapline.services.playout import PlayoutService
from strapline.services.show import ShowService
from strapline.views.controller import AppController

LOWER = Cue(
    id="lt", name="Roussel", graphic="lower-third", binding=CueBinding(event_id="m500", row=0)
)


def make(tmp_path: Path, defer: bool) -> AppController:
    shows = ShowService(Show(theme="ice"))
    shows.add_cue(LOWER)
    data = DataService()
    data.set_competition(make_competition())
    rec = RecordingPlayout()
    playout = PlayoutService(shows, data, lambda _out: rec)
    return AppController(
        shows,
        data,
        playout,
        settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat),
        recovery_dir=tmp_path / "recovery",
        interactive=False,
        defer_render=defer,
    )


def test_deferred_renderer_loads_after_the_first_paint(
    tmp_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctl = make(tmp_path, defer=True)
    qtbot.addWidget(ctl.window)
    thumbs: list[tuple[str, Any, str]] = []
    set_thumbnail = ctl.window.graphics.set_thumbnail

    def spy(kind: str, image: QImage | None, note: str = "") -> None:
        thumbs.append((kind, image, note))
        set_thumbnail(kind, image, note)

    monkeypatch.setattr(ctl.window.graphics, "set_thumbnail", spy)
    assert not ctl.render_loaded
    assert "Preparing" in ctl.window.preview.monitor.message
    before = ctl.window.graphics.theme_combo.count()  # the show's theme only, so far
    with qtbot.waitSignals([ctl.windowPainted, ctl.renderReady], timeout=20_000):
        ctl.window.show()  # its first paint starts the loading
    assert ctl.render_loaded
    assert before == 2  # "(show theme)" and the show's theme
    assert ctl.window.graphics.theme_combo.count() == 1 + len(available_themes())  # all now
    ctl.window.rundown.select_cue("lt")
    qtbot.waitUntil(lambda: ctl.window.preview.monitor.image is not None, timeout=10_000)
    assert ctl.window.preview.monitor.message == ""
    # every kind gets a thumbnail or a reason, drawn off the GUI thread
    qtbot.waitUntil(lambda: {k for k, _, _ in thumbs} >= {"lower-third", "podium"}, timeout=10_000)
    drawn = {k: img for k, img, note in thumbs if img is not None}
    assert drawn["lower-third"].width() == 384
    ctl.window.close()


def test_export_before_the_renderer_is_loaded_loads_it(tmp_path: Path, qtbot: QtBot) -> None:
    ctl = make(tmp_path, defer=True)
    qtbot.addWidget(ctl.window)
    ctl.window.rundown.select_cue("lt")
    assert not ctl.render_loaded
    out = tmp_path / "still.png"
    ctl.export_preview(out)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert ctl.render_loaded
    qtbot.waitUntil(lambda: ctl.window.preview.monitor.image is not None, timeout=10_000)
    ctl.window.close()


def test_without_deferring_the_preview_draws_at_once(tmp_path: Path, qtbot: QtBot) -> None:
    ctl = make(tmp_path, defer=False)
    qtbot.addWidget(ctl.window)
    assert ctl.render_loaded
    ctl.window.rundown.select_cue("lt")
    qtbot.waitUntil(lambda: ctl.window.preview.monitor.image is not None, timeout=10_000)
    ctl.window.close()


def test_a_renderer_that_cannot_load_is_reported_and_playout_goes_on(
    tmp_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    import strapline.views.controllers.render_host as render_host

    def broken() -> Any:
        raise ImportError("libGL.so.1: cannot open shared object file")

    monkeypatch.setattr(render_host, "_render", broken)
    ctl = make(tmp_path, defer=True)
    qtbot.addWidget(ctl.window)
    ctl.window.show()
    qtbot.waitUntil(lambda: "cannot start" in ctl.window.preview.monitor.message, timeout=10_000)
    assert "libGL.so.1" in ctl.window.preview.monitor.message
    assert "libGL.so.1" in ctl.window.status.text()
    assert not ctl.render_loaded
    ctl.window.rundown.select_cue("lt")  # the rundown still works
    assert ctl.playout.selected == "lt"
    ctl.window.close()
