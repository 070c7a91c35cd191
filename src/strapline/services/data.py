"""The show's live data: import, operator corrections (overrides), re-import and file watching.

`DataService` keeps the last good import. A re-import that fails (a half-written or broken file)
reports its error and keeps the last good data, so graphics never go blank. Overrides, keyed by
competitor id and field, are applied to every import, so a corrected name survives re-imports;
so are the operator's race marks (official, unofficial), which win over the status a file says.
Rows whose content changed since the previous import are reported, for highlighting.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from strapline.domain.diagnostics import DataError, Diagnostic, Severity
from strapline.domain.model import Competition
from strapline.domain.race_status import mark_race
from strapline.domain.rundown import DataSource, Override, RaceMark
from strapline.services.signals import Signal

log = logging.getLogger(__name__)

RowKey = tuple[str, str]  # (race id or standings id, competitor id)
Loader = Callable[[Sequence[DataSource]], tuple[Competition, list[Diagnostic]]]


def default_loader(sources: Sequence[DataSource]) -> tuple[Competition, list[Diagnostic]]:
    """Import with strapline.io: one file with its column mapping, or several merged."""
    from strapline import io as sio

    if len(sources) == 1:
        result = sio.load_file(Path(sources[0].path), sources[0].mapping)
    else:
        result = sio.load_files([Path(s.path) for s in sources])
    return result.competition, list(result.warnings)


def merge_onto(base: Competition, imported: Competition) -> tuple[Competition, list[Diagnostic]]:
    """The base data (the demo's, given with no file) with imported files added to it: races
    and tables met again replace the base's, as a later file does (strapline.io's merge)."""
    from strapline.io.common import ImportResult
    from strapline.io.loader import merge

    result = merge([ImportResult(competition=base), ImportResult(competition=imported)])
    return result.competition, list(result.warnings)


def _walk_competitors(node: Any, visit: Callable[[dict[str, Any]], None]) -> None:
    if isinstance(node, dict):
        if node.get("kind") in ("athlete", "team") and "id" in node:
            visit(node)
        for value in node.values():
            _walk_competitors(value, visit)
    elif isinstance(node, list):
        for value in node:
            _walk_competitors(value, visit)


def apply_overrides(
    competition: Competition, overrides: Sequence[Override]
) -> tuple[Competition, list[Diagnostic]]:
    """The competition with the operator's corrections applied everywhere the competitor appears.

    An override that does not fit the data (a field teams do not have, an invalid nation code)
    is skipped and reported; the others still apply.
    """
    if not overrides:
        return competition, []
    raw = competition.model_dump(mode="json")
    problems: list[Diagnostic] = []
    for ov in overrides:
        hits = 0

        def visit(node: dict[str, Any], ov: Override = ov) -> None:
            nonlocal hits
            if node["id"] != ov.competitor_id:
                return
            allowed = {"team": {"name", "nation", "helmet"}}.get(
                node["kind"], {"family_name", "given_name", "nation", "helmet"}
            )
            if ov.field in allowed:
                node[ov.field] = ov.value
                hits += 1

        _walk_competitors(raw, visit)
        if hits == 0:
            problems.append(
                Diagnostic(
                    source="overrides",
                    location=f"{ov.competitor_id}.{ov.field}",
                    message="correction not applied: no such competitor or field in the data",
                )
            )
    try:
        return Competition.model_validate(raw), problems
    except ValidationError as exc:
        err = exc.errors()[0]
        problems.append(
            Diagnostic(
                severity=Severity.ERROR,
                source="overrides",
                location=".".join(str(p) for p in err["loc"]),
                message=f"corrections not applied: {err['msg']}",
            )
        )
        return competition, problems


def apply_race_marks(
    competition: Competition, marks: Sequence[RaceMark]
) -> tuple[Competition, list[Diagnostic]]:
    """The competition with the operator's race marks applied: the mark wins over the status
    the file says, and a difference is reported (the operator sees that the file moved on).
    A mark for a race the data does not hold is reported and kept for a later import."""
    problems: list[Diagnostic] = []
    for mark in marks:
        try:
            competition, change = mark_race(competition, mark.race_id, mark.status)
        except KeyError:
            problems.append(
                Diagnostic(
                    source="race marks",
                    location=mark.race_id,
                    message=f"marked {mark.status.value} by the operator: "
                    "no such race in the data, mark not applied",
                )
            )
            continue
        if change.before is not change.after:
            problems.append(
                Diagnostic(
                    source="race marks",
                    location=mark.race_id,
                    message=f"the data says {change.before.value}; shown "
                    f"{change.after.value} as the operator marked it",
                )
            )
    return competition, problems


def row_index(competition: Competition) -> dict[RowKey, str]:
    """Every row of every list, keyed by (race or standings id, competitor id), as JSON text."""
    rows: dict[RowKey, str] = {}
    for _, race in competition.races():
        for entry in race.start_list:
            rows[(race.id, entry.competitor.id)] = entry.model_dump_json()
        for result in race.results:
            rows[(race.id, result.competitor.id)] = result.model_dump_json()
    for table in competition.standings:
        for standing in table.rows:
            rows[(table.id, standing.competitor.id)] = standing.model_dump_json()
    return rows


def changed_rows(old: Competition | None, new: Competition) -> set[RowKey]:
    if old is None:
        return set()
    before = row_index(old)
    return {k for k, v in row_index(new).items() if before.get(k) != v}


@dataclass
class DataState:
    competition: Competition | None = None
    raw: Competition | None = None
    warnings: list[Diagnostic] = field(default_factory=list)
    error: Diagnostic | None = None
    changed: set[RowKey] = field(default_factory=set)
    generation: int = 0


class DataService:
    def __init__(self, loader: Loader | None = None) -> None:
        self._loader = loader or default_loader
        self.sources: list[DataSource] = []
        #: Data given with no file (the demo's): imported files are added to it, never put in
        #: its place, and with no files it is the data again.
        self.base: Competition | None = None
        self.overrides: list[Override] = []
        self.race_marks: list[RaceMark] = []
        self.state = DataState()
        self._import_warnings: list[Diagnostic] = []
        self.changed: Signal[[DataState]] = Signal()

    @property
    def competition(self) -> Competition | None:
        return self.state.competition

    def set_competition(self, competition: Competition | None) -> None:
        """Data that came from elsewhere (the demo, a test): the base the files add to."""
        self.base = competition
        if self.sources:
            self.reload()
        else:
            self._publish(competition, [], None)

    def load(self, sources: Sequence[DataSource]) -> DataState:
        """Import `sources`; on DataError the previous data stays and the error is reported."""
        self.sources = list(sources)
        return self.reload()

    def reload(self) -> DataState:
        if not self.sources:
            self._publish(self.base, [], None)
            return self.state
        try:
            raw, warnings = self._loader(self.sources)
            if self.base is not None:
                raw, more = merge_onto(self.base, raw)
                warnings = [*warnings, *more]
        except DataError as exc:
            self.state.error = exc.diagnostic
            self.state.changed = set()
            self.changed.emit(self.state)
            return self.state
        self._publish(raw, warnings, None)
        return self.state

    def set_overrides(self, overrides: Sequence[Override]) -> None:
        self.overrides = list(overrides)
        if self.state.raw is not None:
            self._publish(self.state.raw, self._import_warnings, self.state.error)

    def set_race_marks(self, marks: Sequence[RaceMark]) -> None:
        self.race_marks = list(marks)
        if self.state.raw is not None:
            self._publish(self.state.raw, self._import_warnings, self.state.error)

    def race_mark(self, race_id: str) -> RaceMark | None:
        """The operator's mark on a race, if any."""
        return next((m for m in self.race_marks if m.race_id == race_id), None)

    def _publish(
        self, raw: Competition | None, warnings: list[Diagnostic], error: Diagnostic | None
    ) -> None:
        self._import_warnings = list(warnings)
        problems: list[Diagnostic] = []
        effective = raw
        if raw is not None:
            effective, problems = apply_overrides(raw, self.overrides)
            effective, unmarked = apply_race_marks(effective, self.race_marks)
            problems += unmarked
        old = self.state.competition
        self.state = DataState(
            competition=effective,
            raw=raw,
            warnings=[*warnings, *problems],
            error=error,
            changed=changed_rows(old, effective) if effective is not None else set(),
            generation=self.state.generation + 1,
        )
        self.changed.emit(self.state)

    def overridden(self, competitor_id: str, field_name: str) -> Override | None:
        return next(
            (
                o
                for o in self.overrides
                if o.competitor_id == competitor_id and o.field == field_name
            ),
            None,
        )


def _signature(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


class FileWatcher:
    """Polls files and calls `on_change` once a changed file has been still for `debounce` s.

    Plain asyncio (the services hold no Qt): a meet manager that rewrites a file in several
    writes triggers one re-import, after the last write.
    """

    def __init__(
        self,
        on_change: Callable[[], object],
        interval: float = 0.25,
        debounce: float = 0.4,
    ) -> None:
        self._on_change = on_change
        self.interval = interval
        self.debounce = debounce
        self._paths: list[Path] = []
        self._seen: dict[Path, tuple[int, int] | None] = {}
        self._task: asyncio.Task[None] | None = None

    def watch(self, paths: Sequence[Path | str]) -> None:
        self._paths = [Path(p) for p in paths]
        self._seen = {p: _signature(p) for p in self._paths}

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def poll(self) -> bool:
        """Whether any watched file changed since the last look (and remember the new state)."""
        changed = False
        for p in self._paths:
            sig = _signature(p)
            if sig != self._seen.get(p):
                self._seen[p] = sig
                changed = True
        return changed

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        pending_since: float | None = None
        while True:
            await asyncio.sleep(self.interval)
            if self.poll():
                pending_since = loop.time()
            elif pending_since is not None and loop.time() - pending_since >= self.debounce:
                pending_since = None
                try:
                    self._on_change()
                except Exception:
                    log.exception("re-import after a file change failed")
