"""The `.strapline` show file: versioned JSON, written atomically; autosave and recovery.

A show file holds the rundown, outputs, overrides, race marks, hotkeys and the paths of its data
files. Data file paths are stored relative to the show file when they sit beside or below it, so
a show folder can be moved or copied to another machine. Reading raises only `DataError`, naming the
file and the JSON path of what is wrong; a file is never half-loaded.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path

from pydantic import ValidationError

from strapline.domain.diagnostics import DataError
from strapline.domain.rundown import SHOW_FORMAT, SHOW_VERSION, DataSource, Show

SUFFIX = ".strapline"


def atomic_write_text(path: Path, text: str) -> None:
    """Write `text` to `path` so that a crash leaves either the old file or the new one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable where the OS allows
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _relative(show: Show, folder: Path) -> Show:
    sources: list[DataSource] = []
    for src in show.data:
        p = Path(src.path)
        if p.is_absolute():
            with contextlib.suppress(ValueError):
                p = p.resolve().relative_to(folder.resolve())
        sources.append(src.model_copy(update={"path": p.as_posix()}))
    return show.model_copy(update={"data": sources})


def _absolute(show: Show, folder: Path) -> Show:
    sources = [
        src.model_copy(update={"path": str((folder / src.path).resolve())})
        if not Path(src.path).is_absolute()
        else src
        for src in show.data
    ]
    return show.model_copy(update={"data": sources})


def dumps_show(show: Show, folder: Path | None = None) -> str:
    if folder is not None:
        show = _relative(show, folder)
    return json.dumps(show.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def save_show(show: Show, path: Path | str) -> Path:
    """Write the show to `path` atomically (temp file, fsync, rename). Returns the path."""
    path = Path(path)
    atomic_write_text(path, dumps_show(show, path.parent))
    return path


def _where(loc: tuple[int | str, ...]) -> str:
    return "/" + "/".join(str(p) for p in loc) if loc else "/"


def loads_show(text: str, source: str = "<show>", folder: Path | None = None) -> Show:
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(source, f"line {exc.lineno}, column {exc.colno}", exc.msg) from None
    if not isinstance(raw, dict):
        raise DataError(source, "/", "a show file holds one JSON object")
    if raw.get("format") != SHOW_FORMAT:
        raise DataError(source, "/format", f"not a Strapline show file (expected {SHOW_FORMAT!r})")
    version = raw.get("version")
    if not isinstance(version, int) or version > SHOW_VERSION:
        raise DataError(
            source,
            "/version",
            f"version {version!r} is not supported; this Strapline reads up to {SHOW_VERSION}",
        )
    try:
        show = Show.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise DataError(source, _where(tuple(err["loc"])), err["msg"]) from None
    return _absolute(show, folder) if folder is not None else show


def load_show(path: Path | str) -> Show:
    """Read a show file; raises DataError naming the file and where it is wrong."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(str(path), "", "no such file") from None
    except UnicodeDecodeError as exc:
        raise DataError(str(path), f"byte {exc.start}", "not UTF-8 text") from None
    except OSError as exc:
        raise DataError(str(path), "", exc.strerror or str(exc)) from None
    return loads_show(text, str(path), path.parent)


def recovery_path(folder: Path | str, show_path: Path | str | None = None) -> Path:
    """Where the autosave of a show goes: one recovery file per show file (or for 'untitled')."""
    stem = Path(show_path).stem if show_path else "untitled"
    return Path(folder) / f"{stem}.recovery{SUFFIX}"


def write_recovery(show: Show, path: Path | str, show_path: Path | str | None = None) -> None:
    """Autosave: the show plus the path of the file it belongs to, written atomically."""
    path = Path(path)
    payload = json.loads(dumps_show(show))
    payload["recovery_of"] = str(show_path) if show_path else None
    atomic_write_text(path, json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


def read_recovery(path: Path | str) -> tuple[Show, str | None]:
    """The autosaved show and the show file it belongs to (None for an untitled show)."""
    path = Path(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(str(path), "", f"unreadable recovery file: {exc}") from None
    if not isinstance(raw, dict):
        raise DataError(str(path), "/", "a recovery file holds one JSON object")
    of = raw.pop("recovery_of", None)
    show = loads_show(json.dumps(raw), str(path))
    return show, of if isinstance(of, str) else None
