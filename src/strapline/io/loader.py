"""Choosing the importer for a file, reading it safely, and merging several files into one."""

from __future__ import annotations

import contextlib
import gc
import os
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from strapline.domain.diagnostics import DataError, Diagnostic, Severity
from strapline.domain.model import Athlete, Competition
from strapline.io.common import ImportContext, ImportResult
from strapline.io.limits import MAX_FILE_BYTES, read_regular

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
    names = [str(p) for p in paths]
    results = [load_file(p, mapping, context=context) for p in names]
    if not results:
        raise DataError("", "", "no files given")
    return merge(results, names)


def merge(results: Sequence[ImportResult], sources: Sequence[str] = ()) -> ImportResult:
    """One competition from several import results, in order (later files replace races)."""
    if len(results) == 1 and not results[0].participants:
        return results[0]
    warnings: list[Diagnostic] = []
    participants: dict[str, Athlete] = {}
    merged: dict[str, Any] = {}
    for n, result in enumerate(results):
        warnings.extend(result.warnings)
        for person in result.participants:
            participants.setdefault(person.id, person)
        src = sources[n] if n < len(sources) else ""
        comp = result.competition.model_dump(mode="python")
        _merge_into(merged, comp, warnings, src)
    competition = Competition.model_validate(merged)
    if participants:
        competition = _with_participants(competition, participants)
    return ImportResult(
        competition=competition, warnings=warnings, participants=list(participants.values())
    )


_SCALARS = ("name", "venue", "city", "nation", "start_date", "end_date", "season")


def _merge_into(
    merged: dict[str, Any], comp: dict[str, Any], warnings: list[Diagnostic], src: str
) -> None:
    if not merged:
        merged.update(comp)
        return
    if merged.get("id") in ("", "competition") and comp.get("id") not in ("", "competition"):
        merged["id"] = comp["id"]
    for key in _SCALARS:
        if not merged.get(key) and comp.get(key):
            merged[key] = comp[key]
    merged["demo"] = bool(merged.get("demo")) or bool(comp.get("demo"))
    events: list[dict[str, Any]] = merged["events"]
    for event in comp["events"]:
        mine = next((e for e in events if e["id"] == event["id"]), None)
        if mine is None:
            events.append(event)
            continue
        for key in ("gender", "distance_m"):
            if mine.get(key) is None and event.get(key) is not None:
                mine[key] = event[key]
        for race in event["races"]:
            index = next((i for i, r in enumerate(mine["races"]) if r["id"] == race["id"]), None)
            if index is None:
                mine["races"].append(race)
            elif mine["races"][index]["results"] and not race["results"]:
                # A start list read after the results: the results stay.
                if not mine["races"][index]["start_list"]:
                    mine["races"][index]["start_list"] = race["start_list"]
                warnings.append(
                    _note(src, f"race {race['id']}", "start list ignored: results already loaded")
                )
            else:
                mine["races"][index] = race
                warnings.append(_note(src, f"race {race['id']}", "replaces an earlier copy"))
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
