"""The live race panel: the feed's race shown to the operator (clock, laps, standings, lap
chart, feed health) and manual timing from its keys. Offscreen; clocks injected."""

from __future__ import annotations

import json

import pytest
from PySide6.QtWidgets import QMainWindow

from strapline.domain.live_race import MESSAGE_ADAPTER, Phase
from strapline.feeds.recording import demo_race_path
from strapline.services.live import FeedSpec, LiveRaceService
from strapline.views.live_race_panel import LiveRacePanel, LiveRaceWiring, install_live_race


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def _demo_until(service: LiveRaceService, clock: FakeClock, until: float) -> None:
    t0 = clock.now
    for line in demo_race_path().read_text("utf-8").splitlines()[1:]:
        entry = json.loads(line)
        if entry["t"] > until:
            break
        clock.now = t0 + entry["t"]
        service.race.receive(MESSAGE_ADAPTER.validate_json(entry["data"]))
    clock.now = t0 + until


def test_panel_shows_the_demo_race_as_it_runs(qtbot: object) -> None:
    clock = FakeClock()
    service = LiveRaceService(clock=clock)
    panel = LiveRacePanel()
    wiring = LiveRaceWiring(service, panel)
    _demo_until(service, clock, 60.0)
    wiring.refresh()
    assert panel.race_label.text() == "Men 1000 m · Final A"
    assert panel.phase_label.text() == "RUNNING"
    assert panel.clock_label.text() == "57.0"  # the gun at 3 s
    assert panel.laps_label.text() == "3 to go"
    assert panel.table.rowCount() == 5
    assert panel.table.item(4, 2).text() == "KOVÁČ Matej SVK"
    assert panel.table.item(4, 4).text() == "fell"
    assert wiring.timer.isActive()  # the panel's clock ticks while the race runs
    assert panel.plot is not None and len(panel.curves) == 5
    _demo_until(service, clock, 200.0)
    wiring.refresh()
    assert panel.clock_label.text() == "1:22.890" and panel.laps_label.text() == "FINISH"
    assert panel.table.item(4, 4).text() == "PEN" and panel.table.item(0, 3).text() == "1:22.890"
    assert not wiring.timer.isActive()
    panel.deleteLater()


@pytest.mark.asyncio
async def test_manual_keys_drive_the_race(qtbot: object) -> None:
    clock = FakeClock()
    service = LiveRaceService(clock=clock)
    panel = LiveRacePanel()
    LiveRaceWiring(service, panel)
    await service.start(FeedSpec("manual"))
    try:
        assert not panel.buttons["start"].isHidden()
        service.manual.arm("m500", event="Men 500 m", distance_m=500)  # type: ignore[union-attr]
        panel.buttons["start"].click()
        assert service.state.phase is Phase.RUNNING
        clock.now += 6
        panel.buttons["lap"].click()
        assert panel.laps_label.text() == "4 to go"
        clock.now += 35.25
        panel.buttons["finish"].click()
        assert panel.clock_label.text() == "41.250"
        assert "manual timing" in panel.feed_label.text()
    finally:
        await service.stop()
        panel.deleteLater()


def test_installed_as_a_dock_with_a_view_menu_entry(qtbot: object) -> None:
    window = QMainWindow()
    view = window.menuBar().addMenu("&View")
    view.addAction("Reset layout")
    panel = install_live_race(window, LiveRaceService())
    assert window.findChild(LiveRacePanel) is panel
    assert view.actions()[0].text() == "Live race"
    window.deleteLater()


@pytest.mark.asyncio
async def test_the_app_adds_live_cues_and_binds_the_selected_cue(
    tmp_path: object, qtbot: object
) -> None:
    """The panel's two rundown buttons, through the app's handlers: undoable edits."""
    from pathlib import Path

    from PySide6.QtCore import QSettings
    from service_fakes import RecordingPlayout

    from strapline.app import _add_live_cues, _bind_selected_live
    from strapline.domain.rundown import Cue, Show
    from strapline.services.data import DataService
    from strapline.services.playout import PlayoutService
    from strapline.services.show import ShowService
    from strapline.views.controller import AppController

    assert isinstance(tmp_path, Path)
    shows = ShowService(Show(theme="ice"))
    shows.add_cue(Cue(id="bug", graphic="race-bug"))
    rec = RecordingPlayout()
    playout = PlayoutService(shows, DataService(), lambda _out: rec)
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    controller = AppController(shows, DataService(), playout, None, settings=settings,
                               recovery_dir=tmp_path / "r", interactive=False)  # fmt: skip
    try:
        _add_live_cues(controller)
        group = shows.show.rundown.groups[0]
        assert group.name == "Live race"
        assert [c.graphic for c in group.cues] == [
            "race-clock", "positions", "lap-chart", "finish-card",
        ]  # fmt: skip
        assert all(c.binding is not None and c.binding.live for c in group.cues)
        from strapline.views.rundown_model import _binding_text

        assert _binding_text(group.cues[0]) == "live race"  # the rundown's Data column
        playout.select("bug")
        _bind_selected_live(controller)
        bug = shows.show.rundown.cue("bug")
        assert bug is not None and bug.binding is not None and bug.binding.live
        controller.undo.undo()
        bug = shows.show.rundown.cue("bug")
        assert bug is not None and bug.binding is None
    finally:
        await controller.shutdown()
