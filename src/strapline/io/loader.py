"""Choosing the importer for a file, reading it safely, and merging several files into one."""

from __future__ import annotations

import contextlib
import gc
import os
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from strapline.domain.diagnostics import DataError, Diagnostic, Severity
from strapline.domain.model import Athlete, Competition, RoundKind
from strapline.io.common import ImportContext, ImportResult
from strapline.io.limits import MAX_FILE_BYTES, read_regular

if TYPE_CHECKING:
    from strapline.domain.standings import PointsTable

FORMATS = ("csv", "xlsx", "json", "odf", "lynx")

_BY_SUFFIX = {
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".json": "json",
    ".xml": "odf",
    ".odf": "odf",
    ".evt": "lynx",
    ".lynx": "lynx",
}


def detect_format(path: Path, data: bytes) -> str:
    """The importer for a file: by its content where that is unmistakable, else its extension."""
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise DataError(
            str(path), "", "old binary Excel (.xls) is not read: save it as .xlsx or CSV"
        )
    if head.startswith(b"<"):
        return "odf"
    if head.startswith(b"{"):
        return "json"
    fmt = _BY_SUFFIX.get(path.suffix.lower())
    if fmt in ("csv", "lynx", None):
        from strapline.io.lynx import looks_like_lynx
        from strapline.io.text import decode

        if fmt == "lynx":
            return "lynx"
        text, _ = decode(data[:65536], str(path))
        return "lynx" if looks_like_lynx(text) else "csv"
    return fmt


def read_bytes(path: Path) -> bytes:
    """A data file's bytes: a regular file within the size cap (strapline.io.limits)."""
    data = read_regular(path, str(path), MAX_FILE_BYTES)
    if not data.strip():
        raise DataError(str(path), "", "the file is empty")
    return data


def load_file(
    path: str | os.PathLike[str],
    mapping: dict[str, str] | None = None,
    *,
    context: ImportContext | None = None,
    format: str | None = None,
) -> ImportResult:
    """Import one data file. Raises only DataError, naming the file and where it went wrong.

    `mapping` names table columns (header text -> field, see strapline.io.table.FIELDS) for CSV and
    XLSX files; `context` gives what a table or start list does not say (event, round, race...);
    `format` forces an importer (csv, xlsx, json, odf, lynx) instead of detecting it.
    """
    p = Path(path)
    source = str(p)
    if p.is_dir():
        return load_files([p], mapping, context=context)
    try:
        with _collector_for_import():
            return _load(p, source, mapping, context, format)
    except DataError:
        raise
    except RecursionError:
        raise DataError(source, "", "the file is nested too deeply to read") from None
    except MemoryError:
        raise DataError(source, "", "the file is too large to read") from None
    except Exception as exc:  # an importer's bug must not reach the operator as a traceback
        raise DataError(source, "", f"could not be read ({type(exc).__name__}: {exc})") from exc


# The collector's young-generation pass while importing, and the middle generation held back.
_IMPORT_YOUNG_PASS = 2000
_IMPORT_MIDDLE_HOLD = 1000
_collector_lock = threading.Lock()
_imports_running = 0
_caller_thresholds: tuple[int, int, int] = (0, 0, 0)


@contextlib.contextmanager
def _collector_for_import() -> Iterator[None]:
    """Let the cycle collector pass over an import's objects while they are fresh in the cache.

    An import makes tens of thousands of small, acyclic, long-lived objects. With the collector
    switched off, one pass over all of them, cold, came due as soon as it was switched back on
    (about a sixth of a 10,000-row import). Young passes every 2,000 objects cost less (each meets
    objects still in the cache) and the middle generation waits until the import is done: its
    next pass comes afterwards, as it did before. The caller's thresholds are restored (once the
    last of several concurrent imports ends); a caller's disabled collector stays off.
    """
    global _imports_running, _caller_thresholds
    with _collector_lock:
        if _imports_running == 0:
            _caller_thresholds = gc.get_threshold()
            young, middle, old = _caller_thresholds
            if young:  # a threshold of 0 means no automatic collection: the caller's choice
                gc.set_threshold(
                    max(young, _IMPORT_YOUNG_PASS), max(middle, _IMPORT_MIDDLE_HOLD), old
                )
        _imports_running += 1
    try:
        yield
    finally:
        with _collector_lock:
            _imports_running -= 1
            if _imports_running == 0:
                gc.set_threshold(*_caller_thresholds)


def _load(
    p: Path,
    source: str,
    mapping: dict[str, str] | None,
    context: ImportContext | None,
    format: str | None,
) -> ImportResult:
    data = read_bytes(p)
    fmt = format or detect_format(p, data)
    ctx = context or ImportContext()
    result = _dispatch(fmt, p, data, mapping, ctx)
    result.race_sources = {race.id: source for _, race in result.competition.races()}
    if mapping and fmt not in ("csv", "xlsx"):
        result.warnings.insert(
            0,
            Diagnostic(
                source=source,
                location="--map",
                message=f"column mapping applies to CSV and XLSX only; ignored for {fmt}",
            ),
        )
    return result


def _dispatch(
    fmt: str, path: Path, data: bytes, mapping: dict[str, str] | None, ctx: ImportContext
) -> ImportResult:
    if fmt == "csv":
        from strapline.io.csvfile import load_csv

        return load_csv(path, data, mapping, ctx)
    if fmt == "xlsx":
        from strapline.io.xlsx import load_xlsx

        return load_xlsx(path, data, mapping, ctx)
    if fmt == "json":
        from strapline.io.jsonfile import load_json

        return load_json(path, data)
    if fmt == "odf":
        from strapline.io.odf import load_odf

        return load_odf(path, data, ctx)
    if fmt == "lynx":
        from strapline.io.lynx import load_lynx

        return load_lynx(path, data, ctx)
    raise DataError(str(path), "", f"unknown format {fmt!r} (formats: {', '.join(FORMATS)})")


def load_files(
    paths: Iterable[str | os.PathLike[str]],
    mapping: dict[str, str] | None = None,
    *,
    context: ImportContext | None = None,
) -> ImportResult:
    """Import several files into one competition (all or nothing).

    Events and races are matched on their ids; a race or standings table met again in a later
    file replaces the earlier one (a results file after its start list), with a warning; a start
    list never replaces results already loaded.
    People from a participants file (ODF DT_PARTIC) give their names to the competitors with the
    same id.
    """
    names = [str(p) for p in data_files(paths)]
    results = [load_file(p, mapping, context=context) for p in names]
    if not results:
        raise DataError("", "", "no files given")
    return with_computed_standings(merge(results, names))


def data_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """The paths, with each folder replaced by the data files in it (hidden files and files of
    other kinds left out): a weekend's folder of round files is read as a whole. A folder's files
    come in natural order, as a file manager lists them ("500m" before "1000m", "Heat 2" before
    "Heat 10"), so the weekend's events come in the order of their distances."""
    out: list[Path] = []
    for path in paths:
        p = Path(path)
        if p.is_dir():
            found = sorted(
                (
                    f
                    for f in p.iterdir()
                    if f.is_file() and not f.name.startswith(".") and f.suffix.lower() in _BY_SUFFIX
                ),
                key=_natural,
            )
            if not found:
                raise DataError(str(p), "", "the folder holds no data files")
            out.extend(found)
        else:
            out.append(p)
    return out


def _natural(path: Path) -> list[tuple[int, int | str]]:
    """A file name's sort key with its numbers read as numbers (case aside)."""
    return [
        (0, int(part)) if part.isdigit() else (1, part)
        for part in re.split(r"(\d+)", path.name.casefold())
        if part
    ]


def with_computed_standings(result: ImportResult, table: PointsTable | None = None) -> ImportResult:
    """The result with standings computed from its results (strapline.domain.standings) added
    beside any it already holds, and a warning for each imported table that disagrees with them.

    `table`: the points table (default: the shipped ISU World Tour table). Computed tables whose
    id an imported table already uses are left out.
    """
    from strapline.domain.standings import (
        compare_standings,
        compute_standings,
        shipped_points_table,
    )

    competition = result.competition
    computed = compute_standings(competition, table or shipped_points_table())
    if not computed:
        return result
    warnings = list(result.warnings)
    for problem in compare_standings(competition.standings, computed):
        warnings.append(_note("", "standings", problem))
    taken = {s.id for s in competition.standings}
    added = [s for s in computed if s.id not in taken]
    competition = competition.model_copy(update={"standings": [*competition.standings, *added]})
    return result.model_copy(update={"competition": competition, "warnings": warnings})


def merge(results: Sequence[ImportResult], sources: Sequence[str] = ()) -> ImportResult:
    """One competition from several import results, in order.

    A race read again from the same file (a re-import) replaces its earlier copy silently; the
    same race in two different files is a warning naming both (the later copy is kept); a start
    list never replaces results already loaded.
    """
    if len(results) == 1 and not results[0].participants:
        return results[0]
    warnings: list[Diagnostic] = []
    participants: dict[str, Athlete] = {}
    merged: dict[str, Any] = {}
    origin: dict[str, str] = {}
    for n, result in enumerate(results):
        warnings.extend(result.warnings)
        for person in result.participants:
            participants.setdefault(person.id, person)
        src = sources[n] if n < len(sources) else ""
        comp = result.competition.model_dump(mode="python")
        _merge_into(merged, comp, warnings, src, result.race_sources, origin)
    for event in merged.get("events", []):
        # rounds in the order they are skated, whatever order the files came in
        event["races"].sort(key=_race_order)
    competition = Competition.model_validate(merged)
    if participants:
        competition = _with_participants(competition, participants)
    return ImportResult(
        competition=competition,
        warnings=warnings,
        participants=list(participants.values()),
        race_sources=origin,
    )


def _race_order(race: dict[str, Any]) -> tuple[int, int]:
    kind = race["round"]["kind"]
    return RoundKind(kind).stage, race["number"]


def replace_file(previous: ImportResult, new: ImportResult, source: str) -> ImportResult:
    """`previous` with the races read from `source` replaced by those of `new` (a re-import
    of that one file): races of other files stay as they are, and a race the file no longer
    holds is gone."""
    data = previous.competition.model_dump(mode="python")
    events = []
    for event in data["events"]:
        before = len(event["races"])
        event["races"] = [r for r in event["races"] if previous.race_sources.get(r["id"]) != source]
        if event["races"] or not before:
            events.append(event)  # an event left without races by the file goes with them
    data["events"] = events
    kept = ImportResult(
        competition=Competition.model_validate(data),
        participants=previous.participants,
        race_sources={k: v for k, v in previous.race_sources.items() if v != source},
    )
    fresh = new.model_copy(
        update={"race_sources": {race_id: source for race_id in new.race_sources}}
    )
    return merge([kept, fresh], ["", source])


_SCALARS = ("name", "venue", "city", "nation", "start_date", "end_date", "season")


def _merge_into(
    merged: dict[str, Any],
    comp: dict[str, Any],
    warnings: list[Diagnostic],
    src: str,
    race_sources: dict[str, str],
    origin: dict[str, str],
) -> None:
    race_sources = dict(race_sources)
    for event in comp["events"]:
        for race in event["races"]:
            race_sources.setdefault(race["id"], src)
    if not merged:
        merged.update(comp)
        origin.update({race_id: race_sources.get(race_id, src) for race_id in race_sources})
        return
    if merged.get("id") in ("", "competition") and comp.get("id") not in ("", "competition"):
        merged["id"] = comp["id"]
    for key in _SCALARS:
        if not merged.get(key) and comp.get(key):
            merged[key] = comp[key]
    merged["demo"] = bool(merged.get("demo")) or bool(comp.get("demo"))
    events: list[dict[str, Any]] = merged["events"]
    by_id = {e["id"]: e for e in events}
    for event in comp["events"]:
        mine = by_id.get(event["id"]) or _same_event(events, event)
        if mine is None:
            events.append(event)
            by_id[event["id"]] = event
            for race in event["races"]:
                origin[race["id"]] = race_sources.get(race["id"], src)
            continue
        for key in ("gender", "distance_m"):
            if mine.get(key) is None and event.get(key) is not None:
                mine[key] = event[key]
        index_of = {r["id"]: i for i, r in enumerate(mine["races"])}
        for race in event["races"]:
            race_src = race_sources.get(race["id"], src)
            index = index_of.get(race["id"])
            if index is None and mine is not by_id.get(event["id"]):
                # the same event under another id (hand-written demo ids, another importer):
                # its race keeps the id already in use, so cues bound to it follow
                index = _same_race(mine["races"], race)
                if index is not None:
                    race = {**race, "id": mine["races"][index]["id"]}
            if index is None:
                index_of[race["id"]] = len(mine["races"])
                mine["races"].append(race)
                origin[race["id"]] = race_src
                continue
            earlier = mine["races"][index]
            first_src = origin.get(race["id"], "")
            where = f"race {race['id']}"
            if earlier["results"] and not race["results"]:
                # A start list read after the results: the results stay.
                if not earlier["start_list"]:
                    earlier["start_list"] = race["start_list"]
                warnings.append(
                    _note(race_src, where, "start list ignored: results already loaded")
                )
                continue
            mine["races"][index] = race
            origin[race["id"]] = race_src
            if first_src == race_src or not earlier["results"]:
                continue  # a re-import of the same file, or results after their start list
            warnings.append(
                _note(
                    race_src,
                    where,
                    f"the same race is also in {first_src or 'an earlier file'}; "
                    f"the copy in {race_src or 'this file'} is kept",
                )
            )
    tables: list[dict[str, Any]] = merged["standings"]
    for table in comp["standings"]:
        index = next((i for i, t in enumerate(tables) if t["id"] == table["id"]), None)
        if index is None:
            tables.append(table)
        else:
            tables[index] = table
            warnings.append(_note(src, f"standings {table['id']}", "replaces an earlier copy"))
    if comp["medals"]:
        if merged["medals"]:
            warnings.append(_note(src, "medals", "medal table replaces an earlier one"))
        merged["medals"] = comp["medals"]


_REPEAT = re.compile(r"\((\d)\)")


def _event_identity(event: dict[str, Any]) -> tuple[Any, ...] | None:
    """What makes two events the same whatever their ids: gender, distance, kind and the
    repeat of a distance skated twice ("(2)"); None when the gender or distance is unknown."""
    if event.get("gender") is None or event.get("distance_m") is None:
        return None
    repeat = _REPEAT.search(event.get("name", ""))
    return (event["gender"], event["distance_m"], event.get("kind"), repeat[1] if repeat else "")


def _same_event(events: list[dict[str, Any]], event: dict[str, Any]) -> dict[str, Any] | None:
    """The one event already merged that is `event` under another id, if exactly one is."""
    key = _event_identity(event)
    if key is None:
        return None
    found = [e for e in events if _event_identity(e) == key]
    return found[0] if len(found) == 1 else None


def _same_race(races: list[dict[str, Any]], race: dict[str, Any]) -> int | None:
    """Index of the one race of the event with the same round (kind, label for rounds not
    understood) and number, if exactly one has them."""

    def key(r: dict[str, Any]) -> tuple[Any, ...]:
        rnd = r["round"]
        label = rnd.get("label", "") if rnd["kind"] == RoundKind.OTHER.value else ""
        return (rnd["kind"], label, r["number"])

    found = [i for i, r in enumerate(races) if key(r) == key(race)]
    return found[0] if len(found) == 1 else None


def _note(source: str, location: str, message: str) -> Diagnostic:
    return Diagnostic(severity=Severity.WARNING, source=source, location=location, message=message)


def _with_participants(competition: Competition, people: dict[str, Athlete]) -> Competition:
    data = competition.model_dump(mode="python")

    def fix(node: Any) -> Any:
        if isinstance(node, dict):
            if node.get("kind") == "athlete" and node.get("id") in people:
                person = people[node["id"]]
                node = {
                    **node,
                    "family_name": person.family_name,
                    "given_name": person.given_name,
                    "original_name": person.original_name,
                    "nation": node.get("nation") or person.nation,
                    "gender": node.get("gender") or person.gender,
                }
            return {k: fix(v) for k, v in node.items()}
        if isinstance(node, list):
            return [fix(v) for v in node]
        return node

    return Competition.model_validate(fix(data))
