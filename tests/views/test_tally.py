"""The tally strip: amber when new data waits, and the colour shows on the selected row too."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot
from service_fakes import RecordingPlayout, make_competition

from strapline.domain.rundown import Cue, CueBinding, Show
from strapline.services.data import DataService
from strapline.services.playout import PlayoutService
from strapline.services.show import ShowService
from strapline.views.controller import AppController
from strapline.views.rundown_model import STATE_ROLE
from strapline.views.style import ON_AIR, PENDING

LOWER = Cue(
    id="lt", name="Roussel", graphic="lower-third", binding=CueBinding(event_id="m500", row=0)
)


def _close(a: QColor, b: QColor) -> bool:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue()) < 30


def _state_pixel(ctl: AppController, cue_id: str) -> QColor:
    tree = ctl.window.rundown.tree
    rect = tree.visualRect(ctl.model.index_of(cue_id))
    image = tree.viewport().grab().toImage()
    return image.pixelColor(rect.left() + 3, rect.center().y())


@pytest.mark.asyncio
async def test_new_data_turns_the_selected_on_air_row_amber(tmp_path: Path, qtbot: QtBot) -> None:
    shows = ShowService(Show())
    shows.add_cue(LOWER)
    data = DataService()
    data.set_competition(make_competition())
    rec = RecordingPlayout()
    playout = PlayoutService(shows, data, lambda _o: rec)
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    ctl = AppController(
        shows, data, playout, None, settings=settings, recovery_dir=tmp_path, interactive=False
    )
    qtbot.addWidget(ctl.window)
    ctl.window.resize(1600, 900)
    ctl.window.show()
    ctl.window.rundown.select_cue("lt")  # the on-air row is the selected row
    assert (await ctl.playout.take("lt")).ok
    assert _close(_state_pixel(ctl, "lt"), ON_AIR), _state_pixel(ctl, "lt").name()

    data.set_competition(make_competition(roussel_time=40_100))  # new time in the result
    index = ctl.model.index_of("lt")
    assert ctl.model.data(index, STATE_ROLE) == "pending"
    assert ctl.model.data(index) == "NEW DATA"
    assert _close(_state_pixel(ctl, "lt"), PENDING), _state_pixel(ctl, "lt").name()
    await ctl.shutdown()
