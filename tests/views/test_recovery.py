"""Recovery is offered only after an unclean exit, and each show has its own recovery file."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot
from service_fakes import RecordingPlayout, make_competition

from strapline.domain.rundown import Cue, Show
from strapline.services.data import DataService
from strapline.services.playout import PlayoutService
from strapline.services.show import ShowService
from strapline.views.controller import AppController


def _ctl(tmp_path: Path, name: str) -> AppController:
    shows = ShowService(Show(name=name))
    data = DataService()
    data.set_competition(make_competition())
    rec = RecordingPlayout()
    playout = PlayoutService(shows, data, lambda _o: rec)
    settings = QSettings(str(tmp_path / f"{name}.ini"), QSettings.Format.IniFormat)
    return AppController(
        shows, data, playout, None, settings=settings, recovery_dir=tmp_path / "recovery"
    )


def _edit(ctl: AppController, title: str) -> None:
    ctl.push(ctl.shows.add_cue(Cue(name=title, graphic="quote", data={"quote": title})))
    assert ctl.autosave()


@pytest.mark.asyncio
async def test_untitled_shows_each_have_a_recovery_file(tmp_path: Path, qtbot: QtBot) -> None:
    one, two = _ctl(tmp_path, "one"), _ctl(tmp_path, "two")
    qtbot.addWidget(one.window)
    qtbot.addWidget(two.window)
    _edit(one, "first")
    _edit(two, "second")
    assert one.recovery_file() != two.recovery_file()
    assert one.recovery_file().exists() and two.recovery_file().exists()
    await one.shutdown()
    await two.shutdown()


@pytest.mark.asyncio
async def test_save_as_leaves_nothing_to_recover(tmp_path: Path, qtbot: QtBot) -> None:
    ctl = _ctl(tmp_path, "sunday")
    qtbot.addWidget(ctl.window)
    _edit(ctl, "first")
    untitled = ctl.recovery_file()
    assert untitled.exists()
    assert ctl.save(path=tmp_path / "sunday.strapline")  # Save As: a new name
    assert not untitled.exists()
    assert ctl.pending_recoveries() == []
    await ctl.shutdown()


@pytest.mark.asyncio
async def test_a_clean_exit_leaves_nothing_to_recover(tmp_path: Path, qtbot: QtBot) -> None:
    ctl = _ctl(tmp_path, "sunday")
    qtbot.addWidget(ctl.window)
    ctl.window.show()
    _edit(ctl, "first")
    assert not ctl.window.close()
    ctl.prompts.bars["unsaved"].answer(1)  # Discard
    assert ctl.pending_recoveries() == []
    later = _ctl(tmp_path, "later")
    qtbot.addWidget(later.window)
    later.offer_recovery()
    assert "recovery" not in later.prompts.bars  # nothing crashed: nothing offered
    await ctl.shutdown()
    await later.shutdown()
