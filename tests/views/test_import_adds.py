"""Importing a file adds to the show's data (the demo's too); undo restores it exactly."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot
from service_fakes import RecordingPlayout

from strapline.io.demo import demo_path, load_demo
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


def _states(ctl: AppController) -> dict[str, str]:
    return {c.id: ctl.playout.state_of(c.id) for c in ctl.shows.show.rundown.cues()}


@pytest.mark.asyncio
async def test_import_into_the_demo_adds_and_undo_restores_exactly(
    tmp_path: Path, qtbot: QtBot
) -> None:
    ctl = _demo(tmp_path)
    qtbot.addWidget(ctl.window)
    before = ctl.data.competition
    assert before is not None
    states = _states(ctl)
    assert "ready" in states.values()
    extra = tmp_path / "Ladies 1000m Heats.csv"  # a file the demo does not hold
    extra.write_text(
        "Place;Helmet;Name;Nation;Time\n1;101;SCHULZE Anna;GER;1:31.204\n"
        "2;102;VAN DER BERG Lotte;NED;1:31,650\n",
        encoding="utf-8",
    )
    ctl.import_files([str(extra)])
    after = ctl.data.competition
    assert after is not None and ctl.data.state.error is None, ctl.data.state.error
    assert {e.id for e in before.events} <= {e.id for e in after.events}  # nothing thrown away
    assert len(after.races()) > len(before.races())
    assert _states(ctl) == states  # the demo's cues are as ready as before
    assert "Demo data" in ctl.window.data.files_label.text()
    assert extra.name in ctl.window.data.files_label.text()

    ctl.undo.undo()
    restored = ctl.data.competition
    assert restored is not None
    assert restored.model_dump() == before.model_dump()
    assert _states(ctl) == states
    await ctl.shutdown()


@pytest.mark.asyncio
async def test_replace_only_when_asked_and_undo_brings_the_demo_back(
    tmp_path: Path, qtbot: QtBot
) -> None:
    ctl = _demo(tmp_path)
    qtbot.addWidget(ctl.window)
    before = ctl.data.competition
    assert before is not None
    final = demo_path("dresden-men-500m-final-a.csv")
    ctl.import_files([str(final)], replace=True)
    only = ctl.data.competition
    assert only is not None and len(only.races()) < len(before.races())
    assert "Demo data" not in ctl.window.data.files_label.text()
    ctl.undo.undo()
    restored = ctl.data.competition
    assert restored is not None and restored.model_dump() == before.model_dump()
    ctl.undo.redo()
    again = ctl.data.competition
    assert again is not None and len(again.races()) == len(only.races())
    await ctl.shutdown()
