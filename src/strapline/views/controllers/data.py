"""The show's data on the desk: import (adding to the data, or replacing it when asked),
re-import when a watched file changes, the operator's corrections and race marks (official,
unofficial). A bad file changes nothing and says why; undo restores the data exactly."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtGui import QUndoStack

from strapline.domain.model import RaceStatus
from strapline.domain.rundown import DataSource, Override
from strapline.services.data import DataService, DataState, FileWatcher
from strapline.services.show import Edit, EditError, ShowService
from strapline.views.operator import DataView
from strapline.views.undo import ReplaceDataCommand


class DataController:
    def __init__(
        self,
        shows: ShowService,
        data: DataService,
        undo: QUndoStack,
        view: DataView,
        push: Callable[[Edit | None], None],
    ) -> None:
        self.shows = shows
        self.data = data
        self.undo = undo
        self.view = view
        self.push = push
        self.watcher = FileWatcher(self.reload)

    def load_sources(self, sources: list[DataSource]) -> None:
        """The show's data files changed (opened, imported, undone): load and watch them."""
        base = self.data.base  # data given with no file (the demo): files add to it
        self.view.show_sources(
            [s.path for s in sources],
            (base.name or "competition") if base is not None else "",
            base.demo if base is not None else False,
        )
        if sources or self.data.sources:
            self.data.load(sources)
        self.watcher.watch([Path(s.path) for s in sources if s.watch])
        if sources:
            with contextlib.suppress(RuntimeError):  # no running loop: no watching
                self.watcher.start()

    def reload(self) -> DataState:
        """Re-import the files (a watched file changed, or Re-import was pressed)."""
        state = self.data.reload()
        if state.error is not None:
            self.view.set_status(f"re-import failed, last good data kept: {state.error}", True)
        else:
            self.view.set_status(f"re-imported; {len(state.changed)} rows changed")
        return state

    def import_files(self, paths: list[str], replace: bool = False) -> bool:
        """Add files to the show's data, or with `replace` put them in place of all of it
        (the files, and data given with no file such as the demo's). One undoable edit that
        undo restores exactly; a bad file changes nothing."""
        new = [DataSource(path=str(Path(p).resolve())) for p in paths]
        if replace:
            sources = new
        else:
            known = {s.path for s in self.shows.show.data}
            sources = list(self.shows.show.data) + [s for s in new if s.path not in known]
        probe = DataService(self.data._loader)
        state = probe.load(sources)
        if state.error is not None:
            self.view.set_status(str(state.error), error=True)
            self.view.tell("error", f"Cannot import: {state.error}", "error")
            return False
        if replace and self.data.base is not None:
            base = self.data.base
            self.data.base = None  # before the edit: the files are loaded alone
            edit = self.shows.set_data_sources(sources)
            self.undo.push(ReplaceDataCommand(self.shows, self.data, edit, base))
            return True
        self.push(self.shows.set_data_sources(sources))
        return True

    def correct(self, competitor_id: str, field: str, value: Any, original: Any) -> None:
        """The operator corrected a cell: keep it as an override (undoable). Clearing it, or
        typing what the source says, drops the correction."""
        if value == original or value in ("", None):
            if self.data.overridden(competitor_id, field) is not None:
                self._guard(lambda: self.shows.remove_override(competitor_id, field))
            else:
                self.view.show_data_state(self.data.state)  # the cell goes back
            return
        if field == "helmet":
            try:
                value = int(value)
            except ValueError:
                self.view.set_status(f"helmet {value!r} is not a number", error=True)
                self.view.show_data_state(self.data.state)
                return
        self._guard(
            lambda: self.shows.set_override(
                Override.model_validate(
                    {
                        "competitor_id": competitor_id,
                        "field": field,
                        "value": value,
                        "original": original,
                    }
                )
            )
        )

    def mark_race(self, race_id: str, status: RaceStatus | None) -> None:
        """The operator marks a race official or unofficial (None: drop the mark, the file's
        status counts again). One undoable edit of the show; the mark outlives re-imports and
        wins over the status the file says."""
        comp = self.data.competition
        found = next(((e, r) for e, r in comp.races() if r.id == race_id), None) if comp else None
        if found is None:
            self.view.set_status(f"no race {race_id!r} in the data to mark", error=True)
            return
        name = f"{found[0].name} {found[1].label}"
        if status is None:
            if self._guard(lambda: self.shows.unmark_race(race_id)):
                self.view.set_status(f"{name}: the data file's status counts again")
            return
        mark = self.data.race_mark(race_id)
        if mark is not None and mark.status is status:
            self.view.set_status(f"{name} is already marked {status.value.lower()}")
            return
        if self._guard(lambda: self.shows.mark_race(race_id, status)):
            self.view.set_status(f"{name} marked {status.value.lower()} (Ctrl+Z undoes it)")

    def _guard(self, fn: Callable[[], Edit]) -> bool:
        try:
            self.push(fn())
        except (EditError, ValueError) as exc:
            self.view.set_status(str(exc), error=True)
            return False
        return True
