"""Strapline's own JSON format: strapline.domain.model.DataFile, one competition."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from strapline.domain.diagnostics import DataError
from strapline.domain.model import FORMAT_NAME, Competition, DataFile
from strapline.io.common import Collector, ImportResult, check_race
from strapline.io.limits import MAX_JSON_BYTES, MIB, over


def json_schema() -> dict[str, Any]:
    """The published JSON Schema of the data format (docs/strapline.schema.json)."""
    schema = DataFile.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Strapline data file"
    return schema


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def dump_json(competition: Competition) -> str:
    """The competition as Strapline JSON text (stable: the same data gives the same text)."""
    return DataFile(competition=competition).model_dump_json(indent=2) + "\n"


def save_json(competition: Competition, path: str | os.PathLike[str]) -> None:
    """Write Strapline JSON; the file is replaced whole or not at all."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    text = dump_json(competition)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _location(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


def load_json(path: Path, data: bytes) -> ImportResult:
    source = str(path)
    if len(data) > MAX_JSON_BYTES:
        raise over(
            source, "", f"JSON file of {len(data) // MIB} MiB", f"{MAX_JSON_BYTES // MIB} MiB"
        )
    try:
        raw = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise DataError(source, f"byte {exc.start}", "a JSON file must be UTF-8") from None
    except json.JSONDecodeError as exc:
        raise DataError(
            source, f"line {exc.lineno}, column {exc.colno}", f"not valid JSON: {exc.msg}"
        ) from None
    except RecursionError:
        raise DataError(source, "", "JSON nested too deeply") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT_NAME:
        raise DataError(
            source, "format", 'not a Strapline data file (expected "format": "strapline")'
        )
    try:
        data_file = DataFile.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        more = f" (and {exc.error_count() - 1} more problems)" if exc.error_count() > 1 else ""
        raise DataError(source, _location(first["loc"]), f"{first['msg']}{more}") from None
    collector = Collector(source)
    competition = data_file.competition
    for e, event in enumerate(competition.events):
        for r, race in enumerate(event.races):
            base = f"competition.events[{e}].races[{r}]"
            rows = race.results or race.start_list
            part = "results" if race.results else "start_list"
            check_race(race, collector, [f"{base}.{part}[{i}]" for i in range(len(rows))])
    return ImportResult(competition=competition, warnings=collector.warnings)
