"""Operator comforts: a deliberate PANIC button, the data filter, the keys in Help, time on
air, and the countdown of a cue with out-after. Clocks are injected, never waited on."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot
from service_fakes import RecordingPlayout, make_competition

from strapline.domain.rundown import Cue, CueBinding, Show
from strapline.services.data import DataService
from strapline.services.playout import PlayoutService
from strapline.services.show import ShowService
from strapline.views.controller import AppController
from strapline.views.rundown_panel import PANIC_DOUBLE_MS, DeliberatePress

TIMED = Cue(
    id="lt",
    name="Roussel",
    graphic="lower-third",
    binding=CueBinding(event_id="m500", row=0),
    duration_s=8,
)


def _ctl(tmp_path: Path) -> tuple[AppController, RecordingPlayout]:
    shows = ShowService(Show())
    shows.add_cue(TIMED)
    data = DataService()
    data.set_competition(make_competition())
    rec = RecordingPlayout()
    playout = PlayoutService(shows, data, lambda _o: rec)
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    ctl = AppController(
        shows, data, playout, None, settings=settings, recovery_dir=tmp_path, interactive=False
    )
    return ctl, rec


def test_panic_button_needs_a_hold_or_a_double_press(qtbot: QtBot) -> None:
    button = QPushButton("PANIC")
    qtbot.addWidget(button)
    now = [0.0]
    fired: list[int] = []
    guard = DeliberatePress(button, lambda: fired.append(1), clock=lambda: now[0])
    button.pressed.emit()
    button.released.emit()  # a stray click
    assert fired == [] and not guard.hold.isActive()
    now[0] += PANIC_DOUBLE_MS + 1
    button.pressed.emit()  # too late to count as the second press
    button.released.emit()
    assert fired == []
    now[0] += 100
    button.pressed.emit()  # second press within the window
    assert fired == [1]
    now[0] += 5000
    button.pressed.emit()  # held ...
    assert guard.hold.isActive()
    guard.hold.timeout.emit()  # ... until the hold time passes
    assert fired == [1, 1]


@pytest.mark.asyncio
async def test_filter_help_timer_and_countdown(tmp_path: Path, qtbot: QtBot) -> None:
    ctl, _ = _ctl(tmp_path)
    qtbot.addWidget(ctl.window)
    data = ctl.window.data
    data.select_race("m500", "m500-fa")
    visible = [r for r in range(data.table_model.rowCount()) if not data.table.isRowHidden(r)]
    assert len(visible) == 4
    data.filter_edit.setText("kaz")  # a nation
    visible = [r for r in range(data.table_model.rowCount()) if not data.table.isRowHidden(r)]
    assert len(visible) == 1
    data.filter_edit.clear()

    assert "Shift+F12" in ctl.window.keys_text() and "Esc" in ctl.window.keys_text()
    keys = [a.text() for a in ctl.window.keys_menu.actions()]
    assert "PANIC\tShift+F12" in keys

    program = ctl.window.program
    now = [1000.0]
    program.clock = lambda: now[0]
    assert (await ctl.playout.take("lt")).ok
    tally = ctl.playout.tally[("program", 20)]
    program.set_on_air_since("program", 1000.0)
    now[0] = 1075.0
    program.tick()
    assert program.timers["program"].text() == "on air 01:15"

    tally.taken_at -= 3  # three seconds on air
    index = ctl.model.index_of("lt").siblingAtColumn(6)
    assert ctl.model.data(index) == "⏱ 5 s"
    assert (await ctl.playout.out("lt")).ok
    assert ctl.model.data(index) == "8 s"
    await ctl.shutdown()


@pytest.mark.asyncio
async def test_several_cues_move_duplicate_and_delete_together(
    tmp_path: Path, qtbot: QtBot
) -> None:
    from PySide6.QtCore import QItemSelectionModel, Qt

    ctl, _ = _ctl(tmp_path)
    qtbot.addWidget(ctl.window)
    for name in ("two", "three", "four"):
        ctl.push(ctl.shows.add_cue(Cue(name=name, graphic="quote", data={"quote": name})))
    cues = list(ctl.shows.show.rundown.cues())
    tree = ctl.window.rundown.tree
    sel = tree.selectionModel()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for cue in cues[2:]:
        sel.select(ctl.model.index_of(cue.id), flags)
    assert ctl.window.rundown.selected_ids() == [c.id for c in cues[2:]]

    ctl.window.rundown.tool_buttons["duplicate"].click()
    titles = [c.title for c in ctl.shows.show.rundown.cues()]
    assert titles == ["Roussel", "two", "three", "three (copy)", "four", "four (copy)"]
    ctl.undo.undo()  # one undo for the lot
    assert [c.title for c in ctl.shows.show.rundown.cues()] == ["Roussel", "two", "three", "four"]

    mime = ctl.model.mimeData([ctl.model.index_of(c.id) for c in cues[2:]])
    ctl.model.dropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, ctl.model.index(0, 0))
    assert [c.title for c in ctl.shows.show.rundown.cues()] == ["three", "four", "Roussel", "two"]

    sel.clearSelection()
    for cue in cues[2:]:
        sel.select(ctl.model.index_of(cue.id), flags)
    ctl.window.rundown.tool_buttons["delete"].click()
    assert [c.title for c in ctl.shows.show.rundown.cues()] == ["Roussel", "two"]
    await ctl.shutdown()
