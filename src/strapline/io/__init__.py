"""Importers and exporters of data files.

`load_file(path)` reads one file (CSV, XLSX, Strapline JSON, ODF XML, FinishLynx LYNX.EVT) into a
competition; `load_files(paths)` merges several; `save_json(competition, path)` writes Strapline's
JSON format. Importers raise only DataError (naming file and place); doubtful rows become warnings.
"""

from strapline.io.common import ImportContext, ImportResult
from strapline.io.jsonfile import dump_json, json_schema, save_json, schema_text
from strapline.io.loader import (
    FORMATS,
    detect_format,
    load_file,
    load_files,
    merge,
    replace_file,
)

__all__ = [
    "FORMATS",
    "ImportContext",
    "ImportResult",
    "detect_format",
    "dump_json",
    "json_schema",
    "load_file",
    "load_files",
    "merge",
    "replace_file",
    "save_json",
    "schema_text",
]
