from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

import pytest
from service_fakes import make_competition

from strapline.domain.diagnostics import DataError, Diagnostic
from strapline.domain.model import Competition, RaceStatus
from strapline.domain.rundown import DataSource, Override, RaceMark
from strapline.services.data import DataService, FileWatcher, apply_overrides


class FakeLoader:
    """Imports by reading a time for Roussel from a file; 'broken' raises DataError."""

    def __call__(self, sources: Sequence[DataSource]) -> tuple[Competition, list[Diagnostic]]:
        text = Path(sources[0].path).read_text(encoding="utf-8").strip()
        if text == "broken":
            raise DataError(sources[0].path, "line 3", "time '4x.1' is not a time")
        return make_competition(roussel_time=int(text)), [Diagnostic(message="one warning")]


def test_race_mark_survives_reimport_and_waits_for_its_race(tmp_path: Path) -> None:
    f = tmp_path / "results.txt"
    f.write_text("40986", encoding="utf-8")
    svc = DataService(FakeLoader())
    svc.load([DataSource(path=str(f))])
    marks = [
        RaceMark(race_id="m500-fa", status=RaceStatus.UNOFFICIAL),  # a protest
        RaceMark(race_id="w1000-fa", status=RaceStatus.OFFICIAL),  # not in these files yet
    ]
    svc.set_race_marks(marks)
    f.write_text("40900", encoding="utf-8")
    state = svc.reload()
    assert state.competition is not None and state.raw is not None
    assert state.competition.events[0].races[0].status is RaceStatus.UNOFFICIAL
    assert state.raw.events[0].races[0].status is RaceStatus.OFFICIAL  # what the file says
    said = {w.location: w.message for w in state.warnings if w.source == "race marks"}
    assert said["m500-fa"] == "the data says OFFICIAL; shown UNOFFICIAL as the operator marked it"
    assert "no such race" in said["w1000-fa"]
    svc.set_race_marks([])
    assert svc.state.competition is not None
    assert svc.state.competition.model_dump() == svc.state.raw.model_dump()  # type: ignore[union-attr]


def test_corrected_name_survives_reimport(tmp_path: Path) -> None:
    f = tmp_path / "results.txt"
    f.write_text("40986", encoding="utf-8")
    svc = DataService(FakeLoader())
    svc.load([DataSource(path=str(f))])
    svc.set_overrides([Override(competitor_id="can-roussel", field="given_name", value="Félix")])
    f.write_text("40900", encoding="utf-8")
    state = svc.reload()
    comp = state.competition
    assert comp is not None
    race = comp.events[0].races[0]
    corrected = [r.competitor for r in race.results if r.competitor.id == "can-roussel"]
    assert corrected[0].given_name == "Félix"  # type: ignore[union-attr]
    assert race.start_list[0].competitor.given_name == "Félix"  # type: ignore[union-attr]
    assert state.raw is not None
    assert state.raw.events[0].races[0].results[0].competitor.given_name == "Felix"  # type: ignore[union-attr]
    assert svc.overridden("can-roussel", "given_name") is not None
    assert ("m500-fa", "can-roussel") in state.changed
    assert ("m500-fa", "can-pierre") not in state.changed


def test_broken_file_keeps_the_last_good_data(tmp_path: Path) -> None:
    f = tmp_path / "results.txt"
    f.write_text("40986", encoding="utf-8")
    svc = DataService(FakeLoader())
    good = svc.load([DataSource(path=str(f))]).competition
    f.write_text("broken", encoding="utf-8")
    state = svc.reload()
    assert state.competition is good
    assert state.error is not None and "line 3" in str(state.error)
    f.write_text("41000", encoding="utf-8")
    assert svc.reload().error is None


def test_bad_override_is_reported_not_applied() -> None:
    comp = make_competition()
    out, problems = apply_overrides(
        comp,
        [
            Override(competitor_id="can-roussel", field="nation", value="CANADA"),
            Override(competitor_id="nobody", field="family_name", value="X"),
        ],
    )
    assert out is comp
    assert any("no such competitor" in p.message for p in problems)
    assert any("corrections not applied" in p.message for p in problems)


@pytest.mark.asyncio
async def test_watcher_debounces_bursts_of_writes(tmp_path: Path) -> None:
    f = tmp_path / "live.csv"
    f.write_text("a", encoding="utf-8")
    calls: list[int] = []
    watcher = FileWatcher(lambda: calls.append(1), interval=0.02, debounce=0.1)
    watcher.watch([f])
    watcher.start()
    for i in range(4):
        f.write_text("b" * (i + 2), encoding="utf-8")
        await asyncio.sleep(0.03)
    await asyncio.sleep(0.3)
    await watcher.stop()
    assert calls == [1]
