"""The window at 1920x1080: long names never widen it, and the rundown shows many rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from service_fakes import RecordingPlayout

from strapline.io.demo import load_demo
from strapline.services.data import DataService
from strapline.services.demo import demo_show
from strapline.services.playout import PlayoutService
from strapline.services.show import ShowService
from strapline.views.controller import AppController


def _demo(tmp_path: Path) -> AppController:
    comp = load_demo()
    shows = ShowService(demo_show(comp))
    data = DataService()
    data.set_competition(comp)
    rec = RecordingPlayout()
    playout = PlayoutService(shows, data, lambda _o: rec)
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    return AppController(
        shows, data, playout, None, settings=settings, recovery_dir=tmp_path, interactive=False
    )


def _settle() -> None:
    for _ in range(10):
        QApplication.processEvents()


@pytest.mark.asyncio
async def test_a_long_file_name_never_widens_the_window(tmp_path: Path, qtbot: QtBot) -> None:
    ctl = _demo(tmp_path)
    qtbot.addWidget(ctl.window)
    ctl.window.setGeometry(0, 0, 1920, 1080)
    ctl.window.show()
    _settle()
    data_width = ctl.window.docks["data"].width()
    long = "ISU World Cup Short Track Speed Skating Dresden 2023-24 " * 6
    ctl.window.data.set_sources([f"/srv/results/{long}.csv"], built_in=long, demo=True)
    ctl.window.set_status(f"re-imported {long}")
    ctl.window.prompts.tell("long", long)
    _settle()
    assert ctl.window.width() == 1920
    assert ctl.window.minimumSizeHint().width() <= 1920
    assert ctl.window.docks["data"].width() == data_width  # panels did not move
    assert ctl.window.data.files_label.toolTip()  # the whole name is one hover away
    await ctl.shutdown()


@pytest.mark.asyncio
async def test_the_rundown_shows_many_rows_at_1920x1080(tmp_path: Path, qtbot: QtBot) -> None:
    ctl = _demo(tmp_path)
    qtbot.addWidget(ctl.window)
    ctl.window.setGeometry(0, 0, 1920, 1080)
    ctl.window.show()
    _settle()
    tree = ctl.window.rundown.tree
    row = tree.rowHeight(ctl.model.index(0, 0))
    rows = tree.viewport().height() // row
    # 29 rows with Qt's default font; 20-22 once the themes' fonts are registered (as in the
    # app, and in the full suite: taller rows); 13 with the old layout, about seven with the
    # saved layout the issue saw
    assert rows >= 18, f"{rows} rundown rows visible"
    await ctl.shutdown()


def test_a_theme_font_never_takes_over_the_desk() -> None:
    """The night theme registers Noto Sans for its graphics; the desk's widgets keep the font
    they had (unpinned, fontconfig answers their "Sans Serif" with it and rows grow)."""
    from PySide6.QtGui import QFontInfo
    from PySide6.QtWidgets import QApplication

    from strapline.render.themes import load_theme

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = QFontInfo(app.font()).family()
    for name in ("night", "ice"):
        load_theme(name)
    assert QFontInfo(app.font()).family() == before == app.property("straplineInterfaceFont")
