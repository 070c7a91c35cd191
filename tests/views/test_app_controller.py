"""The operator's app through its window and services: offscreen, no real renderer."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

import pytest
from osc_receiver import OscReceiver
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QStandardItem
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot
from service_fakes import RecordingPlayout, make_competition

from strapline.domain.model import Competition, RaceStatus
from strapline.domain.rundown import Cue, CueBinding, OutputConfig, Show, TargetConfig
from strapline.io.demo import demo_path, load_demo
from strapline.osc import address as osc
from strapline.services.data import DataService
from strapline.services.demo import demo_show
from strapline.services.outputs import OutputsService
from strapline.services.playout import PlayoutService
from strapline.services.show import ShowService
from strapline.views.controller import AppController
from strapline.views.data_panel import FIELD_ROLE, ID_ROLE
from strapline.views.rundown_model import STATE_ROLE
from strapline.views.style import OVERRIDE

LOWER = Cue(
    id="lt", name="Roussel", graphic="lower-third", binding=CueBinding(event_id="m500", row=0)
)
PODIUM = Cue(id="pod", name="Podium", graphic="podium", binding=CueBinding(event_id="m500"))


def make(
    tmp_path: Path,
    show: Show,
    competition: Competition | None = None,
    outputs: OutputsService | None = None,
    factory: RecordingPlayout | None = None,
) -> AppController:
    shows = ShowService(show)
    data = DataService()
    if competition is not None:
        data.set_competition(competition)
    if outputs is not None:
        playout = PlayoutService(shows, data, outputs.playout)
    else:
        rec = factory or RecordingPlayout()
        playout = PlayoutService(shows, data, lambda _out: rec)
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


def _show_to(port: int, *cues: Cue) -> Show:
    show = Show(
        theme="ice",
        outputs=[OutputConfig(targets=[TargetConfig(name="rx", host="127.0.0.1", port=port)])],
    )
    shows = ShowService(show)
    for cue in cues:
        shows.add_cue(cue)
    return shows.show


@pytest.mark.asyncio
async def test_take_hotkey_reaches_the_osc_receiver_with_the_right_data(
    tmp_path: Path, qtbot: QtBot, receiver: OscReceiver
) -> None:
    outputs = OutputsService(timeout=1.0, heartbeat=0.05, offline_after=0.5)
    ctl = make(tmp_path, _show_to(receiver.port, LOWER), make_competition(), outputs)
    qtbot.addWidget(ctl.window)
    ctl.playout.playouts()
    await outputs.ready()
    ctl.window.show()
    ctl.window.activateWindow()
    assert QTest.qWaitForWindowActive(ctl.window, 2000)
    ctl.window.rundown.select_cue("lt")
    assert ctl.playout.selected == "lt"
    QTest.keyClick(ctl.window.rundown.tree, Qt.Key.Key_F2)  # take
    loads = await receiver.wait_for(osc.Load)
    plays = await receiver.wait_for(osc.Play)
    assert loads[0].graphic == "lower-third" and loads[0].layer == 20
    assert loads[0].data["family_name"].upper() == "ROUSSEL"
    assert plays[0].layer == 20
    for _ in range(100):
        if ctl.playout.state_of("lt") == "on-air":
            break
        await asyncio.sleep(0.01)
    index = ctl.model.index_of("lt")
    assert ctl.model.data(index, STATE_ROLE) == "on-air"
    assert ctl.model.data(index) == "ON AIR"
    assert "ON AIR" in ctl.window.tally_label.text()
    QTest.keyClick(ctl.window.rundown.tree, Qt.Key.Key_F1)  # out
    await receiver.wait_for(osc.Stop)
    await ctl.shutdown()


@pytest.mark.asyncio
async def test_renderer_that_drops_out_shows_offline(
    tmp_path: Path, qtbot: QtBot, receiver: OscReceiver
) -> None:
    outputs = OutputsService(timeout=0.3, heartbeat=0.05, offline_after=0.3)
    ctl = make(tmp_path, _show_to(receiver.port, LOWER), make_competition(), outputs)
    qtbot.addWidget(ctl.window)
    ctl.playout.playouts()
    await outputs.ready()
    table = ctl.window.outputs.table

    async def status_becomes(text: str) -> None:
        for _ in range(200):
            ctl._on_health_tick()
            item = table.item(0, 2)
            if item is not None and item.text() == text:
                return
            await asyncio.sleep(0.02)
        raise AssertionError(f"status never became {text}")

    await status_becomes("ONLINE")
    assert table.item(0, 3).text().endswith("ms")
    receiver.silent = True
    await status_becomes("OFFLINE")
    key = next(iter(outputs.history))
    assert outputs.history[key][-1][1] is None  # the plot shows a gap
    result = await ctl.playout.take("lt")
    assert not result.ok and ctl.playout.state_of("lt") != "on-air"
    await ctl.shutdown()


@pytest.mark.asyncio
async def test_corrected_name_survives_reimport(tmp_path: Path, qtbot: QtBot) -> None:
    csv = tmp_path / "final.csv"
    shutil.copy(demo_path("dresden-men-500m-final-a.csv"), csv)
    ctl = make(tmp_path, Show())
    qtbot.addWidget(ctl.window)
    ctl.import_files([str(csv)])
    comp = ctl.data.competition
    assert comp is not None
    event, race = comp.races()[0]
    panel = ctl.window.data
    panel.select_race(event.id, race.id)
    model = panel.table_model
    col = next(
        c for c in range(model.columnCount()) if model.item(0, c).data(FIELD_ROLE) == "family_name"
    )
    item = model.item(0, col)
    original = item.text()
    item.setText("CORRECTED")  # as the operator's inline edit does
    assert ctl.shows.show.overrides[0].value == "CORRECTED"
    assert ctl.shows.show.overrides[0].original == original

    csv.write_text(csv.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    ctl.reload_data()
    item = panel.table_model.item(0, col)
    assert item.text() == "CORRECTED"
    assert item.background().color() == OVERRIDE
    assert original in item.toolTip()

    ctl.undo.undo()
    assert panel.table_model.item(0, col).text() == original

    good = ctl.data.competition
    csv.write_bytes(b"\xff\xfe\x00garbage;;;\n\x00\x00")
    ctl.reload_data()
    assert ctl.data.state.error is not None
    assert ctl.data.competition is good  # the last good data stays
    assert panel.error_banner.isVisibleTo(panel)
    assert "last good data" in panel.error_banner.text()
    await ctl.shutdown()


@pytest.mark.asyncio
async def test_waiting_cue_fills_itself_when_results_arrive(tmp_path: Path, qtbot: QtBot) -> None:
    rec = RecordingPlayout()
    show = _show_to(9, PODIUM)
    ctl = make(tmp_path, show, make_competition(with_results=False), factory=rec)
    qtbot.addWidget(ctl.window)
    index = ctl.model.index_of("pod")
    assert ctl.model.data(index, STATE_ROLE) == "waiting"
    assert "waiting for data" in ctl.model.data(index, Qt.ItemDataRole.ToolTipRole)
    ctl.data.set_competition(make_competition(with_results=True))
    assert ctl.model.data(ctl.model.index_of("pod"), STATE_ROLE) == "ready"
    await ctl.shutdown()


@pytest.mark.asyncio
async def test_rundown_edits_undo_and_drag_moves(tmp_path: Path, qtbot: QtBot) -> None:
    ctl = make(tmp_path, Show(), make_competition())
    qtbot.addWidget(ctl.window)
    d = ctl.window.data
    comp = ctl.data.competition
    assert comp is not None
    d.select_race("m500", "m500-fa")  # a final with results: podium card
    assert ctl.editor.cue.graphic == "podium"
    ctl.window.graphics.add_button.click()
    d.table.selectRow(0)  # a skater row: lower third
    assert ctl.editor.cue.graphic == "lower-third"
    ctl.add_to_rundown()
    cues = list(ctl.shows.show.rundown.cues())
    assert [c.graphic for c in cues] == ["podium", "lower-third"]
    assert ctl.editor.cue.id == cues[1].id  # the new cue is selected and edited

    mime = ctl.model.mimeData([ctl.model.index_of(cues[1].id)])
    group = ctl.model.index(0, 0)
    ctl.model.dropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, group)
    assert [c.graphic for c in ctl.shows.show.rundown.cues()] == ["lower-third", "podium"]

    ctl.window.graphics.fieldEdited.emit("info", "Typed by the operator")
    assert ctl.shows.show.rundown.cue(cues[1].id).data == {"info": "Typed by the operator"}  # type: ignore[union-attr]
    assert ctl.editor.resolved().data["info"] == "Typed by the operator"  # type: ignore[index]

    ctl.undo.undo()  # the field
    ctl.undo.undo()  # the move
    assert [c.graphic for c in ctl.shows.show.rundown.cues()] == ["podium", "lower-third"]
    ctl.undo.redo()
    assert [c.graphic for c in ctl.shows.show.rundown.cues()] == ["lower-third", "podium"]

    ctl.window.rundown.select_cue(cues[0].id)
    ctl.window.rundown.tool_buttons["lock"].click()
    ctl.window.rundown.tool_buttons["delete"].click()
    assert ctl.shows.show.rundown.cue(cues[0].id) is not None  # locked: not deleted
    assert "locked" in ctl.window.status.text()
    await ctl.shutdown()


@pytest.mark.asyncio
async def test_autosave_and_recovery(tmp_path: Path, qtbot: QtBot) -> None:
    ctl = make(tmp_path, Show(name="Sunday"), make_competition())
    qtbot.addWidget(ctl.window)
    assert not ctl.autosave()  # nothing changed yet
    ctl.push(ctl.shows.add_cue(LOWER))
    assert ctl.autosave()
    rec = ctl.recovery_file()
    assert json.loads(rec.read_text(encoding="utf-8"))["name"] == "Sunday"
    assert [p.name for p in rec.parent.iterdir()] == [rec.name]  # no temp file left

    other = make(tmp_path, Show(), make_competition())
    qtbot.addWidget(other.window)
    assert other.offer_recovery(ask=lambda path, of: True)
    assert other.shows.show.rundown.cue("lt") is not None

    path = tmp_path / "sunday.strapline"
    assert ctl.save(path=path)
    assert not ctl.recovery_file().exists()  # a clean save discards the recovery file
    assert str(path) in ctl.recent()
    await ctl.shutdown()
    await other.shutdown()


@pytest.mark.asyncio
async def test_export_rundown_writes_pngs_off_the_gui_thread(tmp_path: Path, qtbot: QtBot) -> None:
    comp = load_demo()
    ctl = make(tmp_path, demo_show(comp), comp)
    qtbot.addWidget(ctl.window)
    seen: list[tuple[int, int]] = []
    report = await ctl.export_rundown(tmp_path / "stills", lambda d, t, _f: seen.append((d, t)))
    assert report.written and all(p.stat().st_size > 1000 for p in report.written)
    assert any("Women's 500 m" in t for t, _ in report.skipped)  # still waiting for its final
    assert seen[-1][0] == seen[-1][1]
    await ctl.shutdown()


def test_preferences_refuse_conflicting_hotkeys(qtbot: QtBot) -> None:
    from PySide6.QtGui import QKeySequence

    from strapline.domain.rundown import Action, HotkeyMap
    from strapline.views.preferences import PreferencesDialog

    dialog = PreferencesDialog(HotkeyMap(), safe_area=False)
    qtbot.addWidget(dialog)
    assert dialog.ok.isEnabled()
    dialog.edits[Action.OUT][0].setKeySequence(QKeySequence("F2"))
    assert not dialog.ok.isEnabled()
    assert "F2" in dialog.conflict.text()
    dialog.edits[Action.OUT][0].setKeySequence(QKeySequence("F4"))
    assert dialog.ok.isEnabled()
    assert dialog.hotkeys().action_for("F4") is Action.OUT


@pytest.mark.asyncio
async def test_watched_file_reimports_and_highlights_changed_rows(
    tmp_path: Path, qtbot: QtBot
) -> None:
    from strapline.views.style import CHANGED

    csv = tmp_path / "final.csv"
    shutil.copy(demo_path("dresden-men-500m-final-a.csv"), csv)
    ctl = make(tmp_path, Show())
    qtbot.addWidget(ctl.window)
    ctl.watcher.interval, ctl.watcher.debounce = 0.02, 0.05
    ctl.import_files([str(csv)])
    comp = ctl.data.competition
    assert comp is not None
    event, race = comp.races()[0]
    ctl.window.data.select_race(event.id, race.id)
    model = ctl.window.data.table_model
    time_col = next(
        c
        for c in range(model.columnCount())
        if model.headerData(c, Qt.Orientation.Horizontal) == "Time"
    )
    old = model.item(0, time_col).text()
    text = csv.read_text(encoding="utf-8")
    assert old in text
    csv.write_text(text.replace(old, "39.999", 1), encoding="utf-8")
    for _ in range(200):
        await asyncio.sleep(0.02)
        if ctl.data.state.changed:
            break
    assert ctl.data.state.changed, "the watched file was not re-imported"
    row = next(r for r in range(model.rowCount()) if model.item(r, time_col).text() == "39.999")
    assert model.item(row, time_col).background().color() == CHANGED
    assert "re-imported" in ctl.window.status.text()
    await ctl.shutdown()


def test_the_app_has_its_icon() -> None:
    from strapline.app import _icon_path

    path = _icon_path()
    assert path is not None and path.is_file()
    from PySide6.QtGui import QIcon

    assert not QIcon(str(path)).isNull()


@pytest.mark.asyncio
async def test_data_given_without_a_file_is_named_in_the_data_panel(
    tmp_path: Path, qtbot: QtBot
) -> None:
    demo = load_demo()
    ctl = make(tmp_path, demo_show(demo), demo)
    qtbot.addWidget(ctl.window)
    label = ctl.window.data.files_label.text()
    assert label.startswith("Demo data (invented times): ")
    assert demo.name in label
    await ctl.shutdown()


@pytest.mark.asyncio
async def test_operator_marks_a_race_from_its_context_menu_and_undoes_it(
    tmp_path: Path, qtbot: QtBot
) -> None:
    csv = tmp_path / "dresden-men-500m-final-a.csv"
    shutil.copy(demo_path("dresden-men-500m-final-a.csv"), csv)
    ctl = make(tmp_path, Show())
    qtbot.addWidget(ctl.window)
    ctl.import_files([str(csv)])
    assert ctl.data.competition is not None
    event, race = ctl.data.competition.races()[0]
    assert race.status is RaceStatus.UNOFFICIAL  # nothing in the file says official
    panel = ctl.window.data
    panel.select_race(event.id, race.id)  # the preview prepares the race's result list
    assert ctl.editor.resolved().data["status"] == "UNOFFICIAL"  # type: ignore[index]
    before = ctl.data.competition.model_dump()

    def race_item() -> QStandardItem:
        index = panel.tree.currentIndex()
        assert index.data(ID_ROLE) == race.id
        return panel.tree_model.itemFromIndex(index)

    # the race's context menu: a popup, never a modal menu
    panel._tree_menu(panel.tree.visualRect(panel.tree.currentIndex()).center())
    menu = panel.tree.findChildren(QMenu)[-1]
    assert menu.isVisible()
    texts = {a.text(): a for a in menu.actions()}
    assert not texts["Use the data &file's status"].isEnabled()  # nothing marked yet
    texts["Mark race &official"].trigger()
    menu.close()
    assert ctl.shows.show.race_marks[0].status is RaceStatus.OFFICIAL
    assert ctl.editor.resolved().data["status"] == "OFFICIAL"  # type: ignore[index]
    item = race_item()
    assert "OFFICIAL  (marked)" in item.text() and item.background().color() == OVERRIDE
    assert "the data file says UNOFFICIAL" in item.toolTip()
    assert "marked official" in ctl.window.status.text()

    # the watched file is rewritten: the mark stays
    csv.write_text(csv.read_text(encoding="utf-8").replace("40.714", "40.715"), encoding="utf-8")
    ctl.reload_data()
    assert ctl.editor.resolved().data["status"] == "OFFICIAL"  # type: ignore[index]
    assert "(marked)" in race_item().text()

    ctl.undo.undo()  # Ctrl+Z: the mark goes, the re-imported data stays
    assert ctl.shows.show.race_marks == []
    assert ctl.editor.resolved().data["status"] == "UNOFFICIAL"  # type: ignore[index]
    assert "(marked)" not in race_item().text()
    csv.write_text(csv.read_text(encoding="utf-8").replace("40.715", "40.714"), encoding="utf-8")
    ctl.reload_data()
    assert ctl.data.competition is not None
    assert ctl.data.competition.model_dump() == before

    # the Edit menu acts on the race picked in the Data panel
    ctl.window.actions_["mark_race_unofficial"].trigger()
    assert ctl.shows.show.race_marks[0].status is RaceStatus.UNOFFICIAL
    ctl.window.actions_["mark_race_file"].trigger()
    assert ctl.shows.show.race_marks == []
    await ctl.shutdown()
