"""Nothing modal during a show: every prompt is a bar in the window, answered later, while the
transport, the heartbeats and the control port go on.

Every test here runs with QDialog.exec, QMessageBox's static questions and QProgressDialog made
to fail: reaching any of them (a nested event loop, which qasync cannot survive inside a
coroutine) fails the test.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QProgressDialog, QWidget
from pytestqt.qtbot import QtBot
from service_fakes import RecordingPlayout, make_competition

from strapline.domain.model import Competition
from strapline.domain.rundown import Action, Cue, CueBinding, Show
from strapline.io.demo import load_demo
from strapline.services.data import DataService
from strapline.services.demo import demo_show
from strapline.services.playout import PlayoutService
from strapline.services.show import ShowService
from strapline.views.controller import AppController

LOWER = Cue(
    id="lt", name="Roussel", graphic="lower-third", binding=CueBinding(event_id="m500", row=0)
)


class ModalReached(AssertionError):
    """A modal dialog's event loop was entered during the show."""


@pytest.fixture(autouse=True)
def no_modal(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    reached: list[str] = []

    def fail(name: str) -> Any:
        def modal(*_args: Any, **_kwargs: Any) -> Any:
            reached.append(name)
            raise ModalReached(f"{name} was reached during a show")

        return modal

    monkeypatch.setattr(QDialog, "exec", fail("QDialog.exec"))
    monkeypatch.setattr(QMessageBox, "exec", fail("QMessageBox.exec"))
    monkeypatch.setattr(QProgressDialog, "exec", fail("QProgressDialog.exec"))
    monkeypatch.setattr(QProgressDialog, "__init__", fail("QProgressDialog"))
    for name in ("question", "warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(fail(f"QMessageBox.{name}")))
    yield reached
    assert not reached, f"modal dialogs reached: {reached}"


def make(tmp_path: Path, show: Show, rec: RecordingPlayout, demo: bool = False) -> AppController:
    competition = load_demo() if demo else make_competition()
    shows = ShowService(show)
    data = DataService()
    data.set_competition(competition)
    playout = PlayoutService(shows, data, lambda _out: rec)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    return AppController(
        shows, data, playout, None, settings=settings, recovery_dir=tmp_path / "recovery"
    )


def _renamed() -> Competition:
    """The competition after a re-import that corrected the first skater's name."""
    comp = make_competition().model_copy(deep=True)
    race = comp.events[0].races[0]
    for row in (*race.start_list, *race.results):
        if row.competitor.id == "can-roussel":
            row.competitor = row.competitor.model_copy(update={"family_name": "ROUSSEL-CHANGED"})
    return comp


def _bar_texts(ctl: AppController) -> list[str]:
    return [bar.text for bar in ctl.prompts.bars.values()]


@pytest.mark.asyncio
async def test_new_data_for_an_on_air_cue_asks_in_a_bar_and_panic_still_acts(
    tmp_path: Path, qtbot: QtBot
) -> None:
    rec = RecordingPlayout()
    show = ShowService(Show())
    show.add_cue(LOWER)
    ctl = make(tmp_path, show.show, rec)
    qtbot.addWidget(ctl.window)
    assert (await ctl.playout.take("lt")).ok
    ctl.data.set_competition(_renamed())
    assert any("Update air now?" in t for t in _bar_texts(ctl))
    assert ctl.window.prompt_bar.isVisibleTo(ctl.window)
    # the question waits; PANIC acts meanwhile
    task = ctl.request(Action.PANIC.value)
    assert task is not None
    assert (await task).ok
    assert rec.calls[-1][0] == "panic"
    # once nothing is pending, the question goes by itself
    assert not any("Update air" in t for t in _bar_texts(ctl))
    await ctl.shutdown()


@pytest.mark.asyncio
async def test_answering_the_update_bar_updates_air(tmp_path: Path, qtbot: QtBot) -> None:
    rec = RecordingPlayout()
    show = ShowService(Show())
    show.add_cue(LOWER)
    ctl = make(tmp_path, show.show, rec)
    qtbot.addWidget(ctl.window)
    assert (await ctl.playout.take("lt")).ok
    ctl.data.set_competition(_renamed())
    bar = ctl.prompts.bars["update:lt"]
    bar.buttons[0].click()  # "Update air"
    for _ in range(50):
        if rec.calls and rec.calls[-1][0] == "update":
            break
        await asyncio.sleep(0.01)
    assert rec.calls[-1][0] == "update"
    assert ctl.playout.state_of("lt") == "on-air"
    await ctl.shutdown()


@pytest.mark.asyncio
async def test_unsaved_changes_ask_in_a_bar_and_cancel_keeps_the_show(
    tmp_path: Path, qtbot: QtBot
) -> None:
    ctl = make(tmp_path, Show(name="Sunday"), RecordingPlayout())
    qtbot.addWidget(ctl.window)
    ctl.push(ctl.shows.add_cue(LOWER))
    ctl.new_show()
    bar = ctl.prompts.bars["unsaved"]
    assert [b.text() for b in bar.buttons] == ["&Save", "&Discard", "&Cancel"]
    assert ctl.shows.show.name == "Sunday"  # nothing happens before the answer
    bar.answer(2)  # Cancel
    assert ctl.shows.show.name == "Sunday" and "unsaved" not in ctl.prompts.bars
    ctl.new_show()
    ctl.prompts.bars["unsaved"].answer(1)  # Discard
    assert ctl.shows.show.name == "Untitled show"
    await ctl.shutdown()


@pytest.mark.asyncio
async def test_closing_with_unsaved_changes_asks_then_closes(tmp_path: Path, qtbot: QtBot) -> None:
    ctl = make(tmp_path, Show(name="Sunday"), RecordingPlayout())
    qtbot.addWidget(ctl.window)
    ctl.window.show()
    ctl.push(ctl.shows.add_cue(LOWER))
    assert ctl.autosave()
    assert not ctl.window.close()  # held back: the question is in the window
    assert ctl.window.isVisible() and "unsaved" in ctl.prompts.bars
    ctl.prompts.bars["unsaved"].answer(1)  # Discard
    assert not ctl.window.isVisible()
    assert not ctl.recovery_file().exists()  # discarded on purpose: nothing to recover
    await ctl.shutdown()


@pytest.mark.asyncio
async def test_export_rundown_reports_in_a_bar_with_a_progress_panel(
    tmp_path: Path, qtbot: QtBot
) -> None:
    comp = load_demo()
    ctl = make(tmp_path, demo_show(comp), RecordingPlayout(), demo=True)
    qtbot.addWidget(ctl.window)
    task = ctl.start_export_rundown(tmp_path / "stills")
    assert task is not None
    assert ctl.prompts.progress.isVisibleTo(ctl.prompts)
    # the loop keeps turning while the export runs: a take goes out meanwhile
    beats = 0
    while not task.done():
        beats += 1
        await asyncio.sleep(0.005)
    await task
    assert beats > 1
    assert not ctl.prompts.progress.isVisibleTo(ctl.prompts)
    assert any("PNG" in t or "written" in t for t in _bar_texts(ctl)), _bar_texts(ctl)
    assert list((tmp_path / "stills").glob("*.png"))
    await ctl.shutdown()


@pytest.mark.asyncio
async def test_errors_and_recovery_are_bars(tmp_path: Path, qtbot: QtBot) -> None:
    ctl = make(tmp_path, Show(name="Sunday"), RecordingPlayout())
    qtbot.addWidget(ctl.window)
    assert not ctl.open_show(tmp_path / "missing.strapline")
    assert ctl.prompts.bars["error"].level == "error"
    ctl.push(ctl.shows.add_cue(LOWER))
    assert ctl.autosave()  # ... and then the app is killed (no close): an unclean exit

    after = make(tmp_path, Show(), RecordingPlayout())
    qtbot.addWidget(after.window)
    assert not after.offer_recovery()  # asks in a bar; nothing restored yet
    bar = after.prompts.bars["recovery"]
    assert "did not close cleanly" in bar.text
    bar.answer(0)  # Recover
    assert after.shows.show.rundown.cue("lt") is not None
    await ctl.shutdown()
    await after.shutdown()


@pytest.mark.asyncio
async def test_preferences_open_with_a_real_size_and_remap_keys(
    tmp_path: Path, qtbot: QtBot
) -> None:
    ctl = make(tmp_path, Show(), RecordingPlayout())
    qtbot.addWidget(ctl.window)
    ctl.window.show()
    ctl.window.actions_["preferences"].trigger()
    dialog = ctl.preferences_dialog
    assert dialog is not None and dialog.isVisible()
    assert not dialog.isModal()
    assert dialog.width() >= 400 and dialog.height() >= 300, dialog.size()
    assert dialog.form.isVisible() and dialog.table.height() > 100
    dialog.edits[Action.OUT][0].setKeySequence(QKeySequence("F2"))  # Take's key: refused
    assert not dialog.ok.isEnabled() and "F2" in dialog.conflict.text()
    dialog.edits[Action.OUT][0].setKeySequence(QKeySequence("F4"))
    dialog.ok.click()
    assert ctl.shows.show.hotkeys.action_for("F4") is Action.OUT
    assert QKeySequence("F4") in ctl.window.actions_["out"].shortcuts()
    assert ctl.preferences_dialog is None
    await ctl.shutdown()


@pytest.mark.asyncio
async def test_transport_keys_act_while_a_modal_file_dialog_is_open(
    tmp_path: Path, qtbot: QtBot
) -> None:
    rec = RecordingPlayout()
    show = ShowService(Show())
    show.add_cue(LOWER)
    ctl = make(tmp_path, show.show, rec)
    qtbot.addWidget(ctl.window)
    ctl.window.show()
    dialog = QFileDialog(ctl.window, "Import data")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.show()  # modal, as QFileDialog.getOpenFileName's would be
    qtbot.addWidget(dialog)
    try:
        name_edit = dialog.findChild(QWidget, "fileNameEdit")
        assert name_edit is not None
        name_edit.setFocus()
        QTest.keyClick(name_edit, Qt.Key.Key_Space)  # typing a file name: no take
        await asyncio.sleep(0)
        assert not rec.calls
        QTest.keyClick(name_edit, Qt.Key.Key_F12, Qt.KeyboardModifier.ShiftModifier)  # PANIC
        for _ in range(50):
            if rec.calls:
                break
            await asyncio.sleep(0.01)
        assert [c[0] for c in rec.calls] == ["panic"]
    finally:
        dialog.close()
    await ctl.shutdown()


@pytest.mark.asyncio
async def test_escape_in_a_text_field_returns_to_the_rundown(tmp_path: Path, qtbot: QtBot) -> None:
    ctl = make(tmp_path, Show(), RecordingPlayout())
    qtbot.addWidget(ctl.window)
    ctl.window.show()
    ctl.window.activateWindow()
    QTest.qWaitForWindowActive(ctl.window, 2000)
    name = ctl.window.rundown._name
    ctl.window.rundown.inspector.setEnabled(True)
    name.setFocus()
    QTest.keyClick(name, Qt.Key.Key_Escape)
    assert ctl.window.rundown.tree.hasFocus()
    await ctl.shutdown()


@pytest.mark.asyncio
async def test_feedback_targets_are_set_in_preferences(tmp_path: Path, qtbot: QtBot) -> None:
    ctl = make(tmp_path, Show(), RecordingPlayout())
    qtbot.addWidget(ctl.window)
    feedback = await ctl.start_feedback([])
    assert feedback.sender.targets == []
    dialog = ctl.open_preferences()
    dialog.feedback_edit.setText("companion")
    assert not dialog.ok.isEnabled() and "HOST:PORT" in dialog.conflict.text()
    dialog.feedback_edit.setText("127.0.0.1:12321, 10.0.0.7:9000")
    assert dialog.ok.isEnabled()
    dialog.ok.click()
    assert [t.label for t in feedback.sender.targets] == ["127.0.0.1:12321", "10.0.0.7:9000"]
    assert [t.label for t in ctl.saved_feedback()] == ["127.0.0.1:12321", "10.0.0.7:9000"]
    await ctl.shutdown()


@pytest.mark.asyncio
async def test_transport_keys_act_while_a_menu_is_open(tmp_path: Path, qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QApplication

    rec = RecordingPlayout()
    ctl = make(tmp_path, Show(), rec)
    qtbot.addWidget(ctl.window)
    ctl.window.show()
    menu = ctl.window.menuBar().actions()[0].menu()
    assert menu is not None
    menu.popup(ctl.window.mapToGlobal(ctl.window.rect().center()))
    assert QApplication.activePopupWidget() is menu
    QTest.keyClick(menu, Qt.Key.Key_Space)  # picks in the menu: no take
    QTest.keyClick(menu, Qt.Key.Key_F12, Qt.KeyboardModifier.ShiftModifier)  # PANIC
    for _ in range(50):
        if rec.calls:
            break
        await asyncio.sleep(0.01)
    assert [c[0] for c in rec.calls] == ["panic"]
    menu.close()
    await ctl.shutdown()
