"""Reading a text file whose encoding nobody wrote down: UTF-8 (with or without BOM), UTF-16 with
a BOM, Windows-1252 or Latin-1, in that order of preference."""

from __future__ import annotations

import codecs

from strapline.domain.diagnostics import DataError


def decode(data: bytes, source: str) -> tuple[str, str]:
    """(text, encoding name) of a file's bytes; DataError for a file that is not text."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", source), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", source), "utf-16"
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise DataError(source, f"line {line}", "the file is not text (it holds NUL bytes)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _strict(data: bytes, encoding: str, source: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataError(
            source, f"line {line}", f"the file says it is {encoding} but is not ({exc.reason})"
        ) from None
