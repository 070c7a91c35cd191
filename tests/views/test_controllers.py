"""Each desk controller against a fake operator view: no window at all (the way ndv tests its
controller with a mock view). Questions are requests the fake answers later, as an operator
would."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QUndoStack
from service_fakes import RecordingPlayout, make_competition

from strapline.domain.model import Competition, RaceStatus
from strapline.domain.rundown import (
    Cue,
    CueBinding,
    OutputConfig,
    RaceMark,
    Show,
    TargetConfig,
)
from strapline.services.data import DataService, DataState
from strapline.services.outputs import TargetStatus
from strapline.services.playout import PlayoutService
from strapline.services.show import Edit, ShowService
from strapline.views.controllers.data import DataController
from strapline.views.controllers.document import DocumentController
from strapline.views.controllers.outputs import OutputsController
from strapline.views.controllers.playout import PlayoutController
from strapline.views.operator import Choice, Level
from strapline.views.undo import EditCommand

LOWER = Cue(
    id="lt", name="Roussel", graphic="lower-third", binding=CueBinding(event_id="m500", row=0)
)


class FakeView:
    """Every operator-view protocol, recording what the controllers asked of it."""

    def __init__(self, save_to: Path | None = None) -> None:
        self.questions: dict[str, tuple[str, list[Choice], Level]] = {}
        self.status: tuple[str, bool] = ("", False)
        self.tally: tuple[str, bool] = ("", False)
        self.title = ""
        self.save_to = save_to
        self.closed = False
        self.statuses: list[TargetStatus] = []
        self.outputs_error = ""

    def ask(self, key: str, text: str, choices: Sequence[Choice], level: Level = "question") -> Any:
        self.questions[key] = (text, list(choices), level)

    def tell(self, key: str, text: str, level: Level = "info") -> Any:
        self.questions[key] = (text, [Choice("OK")], level)

    def dismiss(self, key: str) -> None:
        self.questions.pop(key, None)

    def asked(self) -> list[str]:
        return list(self.questions)

    def answer(self, key: str, text: str) -> None:
        """The operator presses the button `text` of the question `key`."""
        _, choices, _ = self.questions.pop(key)
        run = next(c for c in choices if c.text.replace("&", "") == text).run
        if run is not None:
            run()

    def set_status(self, text: str, error: bool = False) -> None:
        self.status = (text, error)

    def set_tally(self, text: str, on_air: bool) -> None:
        self.tally = (text, on_air)

    def set_title(self, title: str) -> None:
        self.title = title

    def choose_save_path(self) -> Path | None:
        return self.save_to

    def close_window(self) -> None:
        self.closed = True

    def show_statuses(self, statuses: Sequence[TargetStatus]) -> None:
        self.statuses = list(statuses)

    def show_history(self, history: dict[str, Iterable[tuple[float, float | None]]]) -> None:
        pass

    def show_outputs_error(self, text: str) -> None:
        self.outputs_error = text

    def show_outputs(self, outputs: list[OutputConfig]) -> None:
        self.outputs = outputs

    def show_sources(self, paths: list[str], built_in: str, demo: bool) -> None:
        self.sources = (paths, built_in, demo)

    def show_data_state(self, state: DataState) -> None:
        self.data_state = state


def _playout(*cues: Cue) -> tuple[PlayoutService, RecordingPlayout, DataService]:
    shows = ShowService(Show())
    for cue in cues:
        shows.add_cue(cue)
    data = DataService()
    data.set_competition(make_competition())
    rec = RecordingPlayout()
    return PlayoutService(shows, data, lambda _o: rec), rec, data


def _spawn(coro: Any, _now: bool = False) -> asyncio.Task[Any]:
    return asyncio.ensure_future(coro)


# ---- playout ----------------------------------------------------------------------------------
@pytest.mark.asyncio
async def test_playout_take_needs_a_rundown_cue() -> None:
    playout, rec, _ = _playout(LOWER)
    view = FakeView()
    ctl = PlayoutController(playout, view, _spawn)
    assert ctl.request("take") is None
    assert "not in the rundown" in view.status[0] and view.status[1]
    playout.select("lt")
    task = ctl.request("take")
    assert task is not None and (await task).ok
    assert rec.names() == ["load", "play"]
    assert view.tally == ("ON AIR: Roussel", True)


@pytest.mark.asyncio
async def test_playout_new_data_is_a_question_answered_later() -> None:
    playout, rec, data = _playout(LOWER)
    view = FakeView()
    PlayoutController(playout, view, _spawn)
    assert (await playout.take("lt")).ok
    data.set_competition(make_competition(roussel_time=40_100))
    assert "update:lt" in view.questions
    assert rec.names() == ["load", "play"]  # nothing reached air before the answer
    view.answer("update:lt", "Update air")
    for _ in range(20):
        await asyncio.sleep(0)
    assert rec.names()[-1] == "update"
    assert playout.state_of("lt") == "on-air"


@pytest.mark.asyncio
async def test_playout_question_goes_when_air_is_updated_another_way() -> None:
    playout, _, data = _playout(LOWER)
    view = FakeView()
    PlayoutController(playout, view, _spawn)
    assert (await playout.take("lt")).ok
    data.set_competition(make_competition(roussel_time=40_100))
    assert "update:lt" in view.questions
    assert (await playout.update("lt")).ok  # F6, or the control port
    assert "update:lt" not in view.questions


@pytest.mark.asyncio
async def test_playout_tally_never_says_on_air_with_no_renderer() -> None:
    playout, _, _ = _playout(LOWER)
    view = FakeView()
    online = [True]
    ctl = PlayoutController(playout, view, _spawn, renderers_online=lambda: online[0])
    assert (await playout.take("lt")).ok
    assert view.tally[1]
    online[0] = False
    ctl.refresh_tally()
    assert view.tally == ("NO RENDERER ONLINE (last taken: Roussel)", False)


@pytest.mark.asyncio
async def test_playout_cue_state_is_unconfirmed_with_no_renderer_of_its_output() -> None:
    playout, _, data = _playout(LOWER)
    online = [True]
    ctl = PlayoutController(playout, FakeView(), _spawn, confirmed=lambda _o: (online[0], None))
    assert ctl.cue_status(LOWER) == ("ready", "")
    assert (await playout.take("lt")).ok
    assert ctl.cue_status(LOWER) == ("on-air", "")
    online[0] = False
    assert ctl.cue_status(LOWER) == (
        "unconfirmed",
        "No renderer of its output answers: what air shows is not known",
    )
    online[0] = True
    data.set_competition(make_competition(roussel_time=40_100))
    assert ctl.cue_status(LOWER) == (
        "pending",
        "New data has arrived: press Update to put it on air",
    )


@pytest.mark.asyncio
async def test_playout_countdown_reads_the_injected_clock() -> None:
    timed = LOWER.model_copy(update={"duration_s": 8.0})
    playout, _, _ = _playout(timed)
    now = [0.0]
    ctl = PlayoutController(playout, FakeView(), _spawn, clock=lambda: now[0])
    assert ctl.countdown(timed) is None  # not on air
    assert (await playout.take("lt")).ok
    taken = next(t for t in playout.tally.values() if t.on_air == "lt")
    now[0] = taken.taken_at + 3.0
    assert ctl.countdown(timed) == pytest.approx(5.0)
    assert ctl.countdown(LOWER) is None  # no out-after: out by hand
    await playout.out("lt")


# ---- document ---------------------------------------------------------------------------------
def _document(tmp_path: Path, view: FakeView) -> tuple[DocumentController, ShowService, QUndoStack]:
    shows = ShowService(Show(name="Sunday"))
    undo = QUndoStack()
    files: list[Path] = []
    ctl = DocumentController(shows, undo, view, tmp_path / "recovery", on_file=files.append)
    return ctl, shows, undo


def _push(shows: ShowService, undo: QUndoStack, edit: Edit) -> None:
    undo.push(EditCommand(shows, edit))


def test_document_unsaved_changes_ask_then_save_where_the_view_says(tmp_path: Path) -> None:
    view = FakeView(save_to=tmp_path / "sunday.strapline")
    ctl, shows, undo = _document(tmp_path, view)
    _push(shows, undo, shows.add_cue(LOWER))
    assert ctl.autosave()
    went_on: list[bool] = []
    ctl.when_saved(lambda: went_on.append(True))
    assert not went_on and "unsaved" in view.questions
    view.answer("unsaved", "Save")
    assert went_on == [True]
    assert (tmp_path / "sunday.strapline").is_file()
    assert ctl.pending_recoveries() == []  # saved: nothing to recover
    assert view.title == "sunday.strapline — Strapline"


def test_document_close_asks_and_discard_closes(tmp_path: Path) -> None:
    view = FakeView()
    ctl, shows, undo = _document(tmp_path, view)
    assert ctl.request_close()  # clean: closes at once
    ctl.closing = False
    _push(shows, undo, shows.add_cue(LOWER))
    assert ctl.autosave()
    assert not ctl.request_close()
    view.answer("unsaved", "Discard")
    assert view.closed and ctl.closing
    assert ctl.pending_recoveries() == []


def test_document_recovery_after_a_crash_is_a_question(tmp_path: Path) -> None:
    crashed = FakeView()
    before, shows, undo = _document(tmp_path, crashed)
    _push(shows, undo, shows.add_cue(LOWER))
    assert before.autosave()  # and the process dies

    view = FakeView()
    after, shows2, _ = _document(tmp_path, view)
    assert not after.offer_recovery()
    assert "did not close cleanly" in view.questions["recovery"][0]
    view.answer("recovery", "Recover")
    assert shows2.show.rundown.cue("lt") is not None
    assert "•" in view.title  # recovered changes are unsaved


def test_document_a_bad_file_is_said_not_raised(tmp_path: Path) -> None:
    view = FakeView()
    ctl, _, _ = _document(tmp_path, view)
    assert not ctl.open_show(tmp_path / "missing.strapline")
    text, _, level = view.questions["error"]
    assert level == "error" and "missing.strapline" in text


# ---- outputs ----------------------------------------------------------------------------------
def _outputs(view: FakeView) -> tuple[OutputsController, ShowService, list[Edit]]:
    shows = ShowService(Show(outputs=[OutputConfig(targets=[TargetConfig(port=9100)])]))
    edits: list[Edit] = []
    ctl = OutputsController(
        shows, None, view, lambda e: edits.append(e) if e else None, ensure_playouts=lambda: None
    )
    return ctl, shows, edits


def test_outputs_duplicates_refused_and_said() -> None:
    view = FakeView()
    ctl, shows, edits = _outputs(view)
    assert ctl.add_target("10.0.0.7", 9100)
    assert not ctl.add_target("10.0.0.7", 9100)
    assert not ctl.add_target("localhost", 9100)  # the default target, 127.0.0.1:9100
    assert "already a target" in view.outputs_error
    assert [t.label for t in shows.show.outputs[0].targets] == ["127.0.0.1:9100", "10.0.0.7:9100"]
    assert len(edits) == 1
    assert ctl.remove_target("10.0.0.7:9100")
    assert [t.label for t in shows.show.outputs[0].targets] == ["127.0.0.1:9100"]


def test_outputs_a_renderer_port_in_use_is_said() -> None:
    view = FakeView()
    ctl, _, _ = _outputs(view)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as busy:
        busy.bind(("127.0.0.1", 0))
        port = busy.getsockname()[1]
        assert ctl.launch_renderer(port, window=False) is None
    assert f"port {port} is in use" in view.outputs_error
    assert view.questions["error"][2] == "error"


def test_outputs_without_a_service_leave_the_tally_to_speak() -> None:
    view = FakeView()
    ctl, _, _ = _outputs(view)
    assert ctl.confirmed("program") == (True, None)
    assert ctl.any_online() is None
    assert not ctl.tick()


def test_outputs_transport_flat_fields_and_sync_lead_are_edits() -> None:
    view = FakeView()
    ctl, shows, edits = _outputs(view)
    assert ctl.add_target("10.0.0.7", 9200, "tcp", flat_fields=False)
    assert ctl.add_target("10.0.0.8", 7000, "udp", flat_fields=True)
    targets = shows.show.outputs[0].targets
    assert [(t.transport, t.flat_fields) for t in targets] == [
        ("udp", False),
        ("tcp", False),
        ("udp", True),
    ]
    assert ctl.change_target("10.0.0.7:9200", "udp", True)
    assert shows.show.outputs[0].targets[1].transport == "udp"
    assert shows.show.outputs[0].targets[1].flat_fields
    assert ctl.set_sync_lead("program", 80)
    assert shows.show.outputs[0].sync_lead_ms == 80
    assert not ctl.set_sync_lead("program", 5000)
    assert "0-2000" in view.outputs_error
    assert len(edits) == 4
    ctl.open_outputs()
    assert view.outputs == shows.show.outputs  # the panel shows the configuration


# ---- data -------------------------------------------------------------------------------------
def _data(tmp_path: Path) -> tuple[DataController, ShowService, DataService, QUndoStack, FakeView]:
    from strapline.io.demo import load_demo

    shows = ShowService(Show())
    data = DataService()
    data.set_competition(load_demo())  # the demo's data, given with no file
    undo = QUndoStack()
    view = FakeView()
    ctl = DataController(shows, data, undo, view, lambda e: _push(shows, undo, e) if e else None)
    shows.changed.connect(
        lambda part: ctl.load_sources(shows.show.data) if part == "data" else None
    )
    # as the app does: the show's race marks are the data's
    shows.changed.connect(
        lambda part: data.set_race_marks(shows.show.race_marks) if part == "race_marks" else None
    )
    return ctl, shows, data, undo, view


def test_data_import_adds_and_undo_restores(tmp_path: Path) -> None:
    ctl, _, data, undo, view = _data(tmp_path)
    before = data.competition
    assert before is not None
    csv = tmp_path / "Ladies 1500m.csv"
    csv.write_text("Place;Name;Nation;Time\n1;SCHULZE Anna;GER;2:21.204\n", encoding="utf-8")
    assert ctl.import_files([str(csv)])
    after = data.competition
    assert after is not None and len(after.races()) == len(before.races()) + 1
    assert view.sources[0] == [str(csv.resolve())] and view.sources[2]  # demo named beside it
    undo.undo()
    assert data.competition is not None
    assert data.competition.model_dump() == before.model_dump()


def test_data_a_bad_file_changes_nothing_and_says_why(tmp_path: Path) -> None:
    ctl, shows, data, _, view = _data(tmp_path)
    before = data.competition
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a workbook")
    assert not ctl.import_files([str(bad)])
    assert data.competition is before and shows.show.data == []
    text, _, level = view.questions["error"]
    assert level == "error" and "broken.xlsx" in text


def test_data_a_helmet_that_is_not_a_number_is_refused(tmp_path: Path) -> None:
    ctl, shows, _, _, view = _data(tmp_path)
    ctl.correct("can-roussel", "helmet", "twelve", 108)
    assert shows.show.overrides == []
    assert "not a number" in view.status[0]
    ctl.correct("can-roussel", "family_name", "ROUSSELLE", "ROUSSEL")
    assert [o.value for o in shows.show.overrides] == ["ROUSSELLE"]


# ---- race marks: the operator marks a race official or unofficial --------------------------
LADIES_1500 = (
    "Place;Name;Nation;Time\n"
    "1;SCHULZE Anna;GER;2:21.204\n"
    "2;deBOERSanne;NED;2:21.337\n"
    "3;KIM Gilli;KOR;2:21.410\n"
)


def _status(comp: Competition | None, race_id: str) -> RaceStatus:
    assert comp is not None
    return next(r.status for _, r in comp.races() if r.id == race_id)


def _imported_race(tmp_path: Path, text: str = LADIES_1500) -> tuple[Any, ...]:
    """The demo's data plus one results file (nothing in it says official): its race id."""
    ctl, shows, data, undo, view = _data(tmp_path)
    known = {r.id for _, r in data.competition.races()} if data.competition else set()
    csv = tmp_path / "Ladies 1500m Final A.csv"
    csv.write_text(text, encoding="utf-8")
    assert ctl.import_files([str(csv)])
    (race_id,) = {r.id for _, r in data.competition.races()} - known if data.competition else {""}
    return ctl, shows, data, undo, view, csv, race_id


def test_mark_race_official_and_undo_restores_exactly(tmp_path: Path) -> None:
    ctl, shows, data, undo, view, _, race_id = _imported_race(tmp_path)
    assert _status(data.competition, race_id) is RaceStatus.UNOFFICIAL
    before = data.competition.model_dump() if data.competition else None
    ctl.mark_race(race_id, RaceStatus.OFFICIAL)
    assert _status(data.competition, race_id) is RaceStatus.OFFICIAL
    assert shows.show.race_marks == [RaceMark(race_id=race_id, status=RaceStatus.OFFICIAL)]
    assert "marked official" in view.status[0] and not view.status[1]
    assert any("says UNOFFICIAL" in w.message for w in data.state.warnings)
    assert undo.undoText().startswith("Mark ")
    undo.undo()
    assert data.competition is not None and data.competition.model_dump() == before
    assert shows.show.race_marks == [] and data.state.warnings == []
    undo.redo()
    assert _status(data.competition, race_id) is RaceStatus.OFFICIAL


def test_mark_race_survives_a_reimport_and_wins_over_the_file(tmp_path: Path) -> None:
    ctl, shows, data, _, _, csv, race_id = _imported_race(tmp_path)
    ctl.mark_race(race_id, RaceStatus.OFFICIAL)
    # the meet manager rewrites the file: a corrected time, still not official
    csv.write_text(LADIES_1500.replace("2:21.337", "2:21.339"), encoding="utf-8")
    assert ctl.reload().error is None
    assert data.competition is not None
    race = next(r for _, r in data.competition.races() if r.id == race_id)
    assert race.results[1].time is not None and race.results[1].time.display == "2:21.339"
    assert race.status is RaceStatus.OFFICIAL  # the operator's mark was not lost
    # a protest: the file now says official, the operator marks the race unofficial: the mark
    # wins, and the warnings say what the file says
    csv.write_text("Official Results\n" + LADIES_1500, encoding="utf-8")
    ctl.reload()
    assert not [w for w in data.state.warnings if w.source == "race marks"]  # they agree
    ctl.mark_race(race_id, RaceStatus.UNOFFICIAL)
    assert _status(data.competition, race_id) is RaceStatus.UNOFFICIAL
    (said,) = [w for w in data.state.warnings if w.source == "race marks"]
    assert said.location == race_id and "the data says OFFICIAL" in said.message
    # dropping the mark: the file's status counts again
    ctl.mark_race(race_id, None)
    assert _status(data.competition, race_id) is RaceStatus.OFFICIAL
    assert shows.show.race_marks == []


def test_mark_race_is_saved_with_the_show(tmp_path: Path) -> None:
    ctl, shows, _, _, _, _, race_id = _imported_race(tmp_path)
    ctl.mark_race(race_id, RaceStatus.OFFICIAL)
    path = shows.save(tmp_path / "sat.strapline")
    again = ShowService(Show())
    again.open(path)
    assert again.show.race_marks == shows.show.race_marks


def test_mark_race_unknown_or_repeated_is_said_and_changes_nothing(tmp_path: Path) -> None:
    ctl, shows, _, undo, view, _, race_id = _imported_race(tmp_path)
    ctl.mark_race("no-such-race", RaceStatus.OFFICIAL)
    assert view.status[1] and "no-such-race" in view.status[0]
    ctl.mark_race(race_id, None)  # nothing to drop
    assert view.status[1] and "not marked" in view.status[0]
    ctl.mark_race(race_id, RaceStatus.OFFICIAL)
    count = undo.count()
    ctl.mark_race(race_id, RaceStatus.OFFICIAL)
    assert undo.count() == count and "already marked" in view.status[0]
    assert len(shows.show.race_marks) == 1


@pytest.mark.asyncio
async def test_mark_race_reaches_a_cue_on_air_only_with_consent() -> None:
    shows = ShowService(Show())
    shows.add_cue(
        Cue(id="res", graphic="result-list", binding=CueBinding(event_id="m500", race_id="m500-fa"))
    )
    data = DataService()
    data.set_competition(make_competition())
    shows.changed.connect(
        lambda part: data.set_race_marks(shows.show.race_marks) if part == "race_marks" else None
    )
    rec = RecordingPlayout()
    playout = PlayoutService(shows, data, lambda _o: rec)
    view = FakeView()
    PlayoutController(playout, view, _spawn)
    undo = QUndoStack()
    ctl = DataController(shows, data, undo, view, lambda e: _push(shows, undo, e) if e else None)
    assert (await playout.take("res")).ok
    assert rec.calls[0][1][2]["status"] == "OFFICIAL"
    ctl.mark_race("m500-fa", RaceStatus.UNOFFICIAL)
    assert "update:res" in view.questions  # the usual rule: air changes when the operator says
    assert rec.names() == ["load", "play"]
    view.answer("update:res", "Update air")
    for _ in range(20):
        await asyncio.sleep(0)
    assert rec.names()[-1] == "update"
    assert rec.calls[-1][1][1]["status"] == "UNOFFICIAL"
