"""The preview shows what Take sends; Program shows only what renderers confirm."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from osc_receiver import OscReceiver
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from service_fakes import RecordingPlayout, make_competition

from strapline.domain.rundown import Cue, CueBinding, OutputConfig, Show, TargetConfig
from strapline.services.data import DataService
from strapline.services.outputs import OutputsService
from strapline.services.playout import PlayoutService
from strapline.services.show import ShowService
from strapline.views.controller import AppController
from strapline.views.controllers.render_host import EMPTY_PREVIEW
from strapline.views.rundown_model import STATE_ROLE

LOWER = Cue(
    id="lt", name="Roussel", graphic="lower-third", binding=CueBinding(event_id="m500", row=0)
)
PODIUM = Cue(id="pod", name="Podium", graphic="podium", binding=CueBinding(event_id="m500"))


def make(
    tmp_path: Path,
    show: Show,
    rec: RecordingPlayout | None = None,
    outputs: OutputsService | None = None,
) -> AppController:
    shows = ShowService(show)
    data = DataService()
    data.set_competition(make_competition())
    if outputs is not None:
        playout = PlayoutService(shows, data, outputs.playout)
    else:
        fake = rec or RecordingPlayout()
        playout = PlayoutService(shows, data, lambda _out: fake)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    return AppController(
        shows,
        data,
        playout,
        outputs,
        settings=settings,
        recovery_dir=tmp_path / "recovery",
        interactive=False,
    )


def _show(*cues: Cue, port: int = 9) -> Show:
    shows = ShowService(
        Show(outputs=[OutputConfig(targets=[TargetConfig(name="rx", host="127.0.0.1", port=port)])])
    )
    for cue in cues:
        shows.add_cue(cue)
    return shows.show


@pytest.mark.asyncio
async def test_a_race_picked_in_the_data_is_not_what_take_sends(
    tmp_path: Path, qtbot: QtBot
) -> None:
    rec = RecordingPlayout()
    ctl = make(tmp_path, _show(LOWER, PODIUM), rec)
    qtbot.addWidget(ctl.window)
    ctl.window.rundown.select_cue("pod")
    assert ctl.playout.selected == "pod"
    assert ctl.window.preview.in_rundown
    assert "Take sends this" in ctl.window.preview.source_label.text()

    data = ctl.window.data
    data.select_race("m500", "m500-fa")  # the operator clicks a race in the data
    data.tree.clicked.emit(data.tree.currentIndex())
    assert ctl.editor.cue.graphic == "podium" and not ctl.editor.editing_cue
    assert ctl.playout.selected is None  # no cue stays selected behind the preview
    assert ctl.window.rundown.current_id() == ""
    assert not ctl.window.preview.in_rundown
    assert "NOT IN THE RUNDOWN" in ctl.window.preview.source_label.text()
    assert ctl.request("take") is None  # Take sends nothing, and says why
    assert "not in the rundown" in ctl.window.status.text()
    await asyncio.sleep(0)
    assert rec.calls == []

    ctl.window.rundown.select_cue("lt")  # back to the rundown: preview and Take agree again
    assert ctl.editor.cue.id == "lt" and ctl.window.preview.in_rundown
    task = ctl.request("take")
    assert task is not None and (await task).ok
    assert rec.calls[0][1][1] == "lower-third"
    await ctl.shutdown()


@pytest.mark.asyncio
async def test_an_empty_preview_says_what_to_do(tmp_path: Path, qtbot: QtBot) -> None:
    ctl = make(tmp_path, Show())
    qtbot.addWidget(ctl.window)
    await asyncio.sleep(0)
    assert ctl.window.preview.monitor.message == EMPTY_PREVIEW
    assert not ctl.window.graphics.problem.isVisibleTo(ctl.window.graphics)  # no red error
    await ctl.shutdown()


@pytest.mark.asyncio
async def test_program_never_says_on_air_with_no_renderer_online(
    tmp_path: Path, qtbot: QtBot, receiver: OscReceiver
) -> None:
    outputs = OutputsService(timeout=0.3, heartbeat=0.05, offline_after=0.3)
    ctl = make(tmp_path, _show(LOWER, port=receiver.port), outputs=outputs)
    qtbot.addWidget(ctl.window)
    ctl.playout.playouts()
    await outputs.ready()
    label, monitor = ctl.window.program.monitors["program"]
    for _ in range(100):
        ctl._on_health_tick()
        if outputs.confirmed("program")[0]:
            break
        await asyncio.sleep(0.02)
    assert (await ctl.playout.take("lt")).ok
    assert "ON AIR" in ctl.window.tally_label.text()
    receiver.silent = True  # the only renderer dies
    for _ in range(100):
        ctl._on_health_tick()
        if "NO RENDERER ONLINE" in label.text():
            break
        await asyncio.sleep(0.02)
    assert "NO RENDERER ONLINE" in label.text()
    assert "ON AIR" not in label.text()
    assert monitor.message.startswith("No renderer online")
    assert not ctl.window.tally_label.text().startswith("ON AIR")
    assert "NO RENDERER ONLINE" in ctl.window.tally_label.text()
    index = ctl.model.index_of("lt")
    assert ctl.model.data(index, STATE_ROLE) == "unconfirmed"  # the strip says it, too
    assert ctl.model.data(index) == "ON AIR?"
    await ctl.shutdown()


@pytest.mark.asyncio
async def test_space_takes_after_escape_from_a_text_field(tmp_path: Path, qtbot: QtBot) -> None:
    rec = RecordingPlayout()
    ctl = make(tmp_path, _show(LOWER), rec)
    qtbot.addWidget(ctl.window)
    ctl.window.show()
    ctl.window.activateWindow()
    QTest.qWaitForWindowActive(ctl.window, 2000)
    ctl.window.rundown.select_cue("lt")
    notes = ctl.window.rundown._notes
    notes.setFocus()
    QTest.keyClick(notes, Qt.Key.Key_Space)  # a space in the notes, not a take
    await asyncio.sleep(0)
    assert rec.calls == []
    QTest.keyClick(notes, Qt.Key.Key_Escape)
    QTest.keyClick(ctl.window.rundown.tree, Qt.Key.Key_Space)
    for _ in range(50):
        if rec.calls:
            break
        await asyncio.sleep(0.01)
    assert [c[0] for c in rec.calls] == ["load", "play"]
    await ctl.shutdown()


@pytest.mark.asyncio
async def test_one_edit_refreshes_the_preview_once(
    tmp_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctl = make(tmp_path, _show(LOWER, PODIUM))
    qtbot.addWidget(ctl.window)
    ctl.window.rundown.select_cue("lt")
    refreshes: list[int] = []
    real = ctl.window.preview.refresh
    monkeypatch.setattr(ctl.window.preview, "refresh", lambda: (refreshes.append(1), real()))
    ctl.window.graphics.fieldEdited.emit("info", "typed")  # one field of the cue
    assert len(refreshes) == 1
    refreshes.clear()
    ctl.data.set_competition(make_competition(roussel_time=40_100))  # one re-import
    assert len(refreshes) == 1
    refreshes.clear()
    ctl.window.data.select_race("m500", "m500-fa")  # one pick in the data
    assert len(refreshes) == 1
    await ctl.shutdown()


@pytest.mark.asyncio
async def test_editing_another_cue_leaves_the_preview_and_the_rundown_be(
    tmp_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctl = make(tmp_path, _show(LOWER, PODIUM))
    qtbot.addWidget(ctl.window)
    ctl.window.rundown.select_cue("lt")
    refreshes: list[int] = []
    resets: list[int] = []
    real = ctl.window.preview.refresh
    monkeypatch.setattr(ctl.window.preview, "refresh", lambda: (refreshes.append(1), real()))
    ctl.model.modelReset.connect(lambda: resets.append(1))
    ctl.push(ctl.shows.update_cue("pod", name="Podium, men"))  # not the cue in the preview
    assert refreshes == [] and resets == []  # one row repainted, nothing rebuilt
    assert ctl.playout.selected == "lt"
    ctl.push(ctl.shows.set_locked("lt", True))  # the previewed cue, changed from elsewhere
    assert ctl.window.rundown.tool_buttons["lock"].text() == "Unlock"  # the inspector follows
    assert len(refreshes) == 1 and resets == []
    await ctl.shutdown()
