"""How much of a data file an import reads at most, in one place.

A results file is a few hundred kilobytes; a season's standings a few megabytes. These caps sit
far above any real file and far below what could take the operator's machine down: whatever a
file holds (a zip bomb in an XLSX, a million-row CSV, a billion-element XML), an import stops
with one DataError naming the file and the cap it would pass, and its memory stays well under
a gigabyte. docs/data-formats.md lists them ("Limits").

`open_regular` opens only regular files: a FIFO, a device or a folder is refused at once,
without waiting for a writer or reading an endless stream.
"""

from __future__ import annotations

import errno
import os
import stat
import zipfile
from io import BytesIO

from strapline.domain.diagnostics import DataError

MIB = 1024 * 1024

#: Bytes of any data file on disk (compressed, for XLSX).
MAX_FILE_BYTES = 64 * MIB
#: Bytes of a JSON file (its objects take about ten times that in memory).
MAX_JSON_BYTES = 16 * MIB
#: Bytes of an XML file, and elements in it.
MAX_XML_BYTES = 16 * MIB
MAX_XML_ELEMENTS = 500_000
#: An XLSX's parts once uncompressed: all of them, and the shared strings (which the reader
#: holds in memory whole).
MAX_XLSX_UNCOMPRESSED = 512 * MIB
MAX_XLSX_SHARED_STRINGS = 32 * MIB
#: Rows of a table (CSV or a sheet), cells in all its rows, characters in one cell.
MAX_ROWS = 100_000
MAX_CELLS = 2_000_000
MAX_CELL_CHARS = 32 * 1024

LIMITS = {
    "file size on disk (any format)": f"{MAX_FILE_BYTES // MIB} MiB",
    "JSON file": f"{MAX_JSON_BYTES // MIB} MiB",
    "XML file": f"{MAX_XML_BYTES // MIB} MiB, {MAX_XML_ELEMENTS:,} elements",
    "XLSX uncompressed, all parts": f"{MAX_XLSX_UNCOMPRESSED // MIB} MiB",
    "XLSX shared strings, uncompressed": f"{MAX_XLSX_SHARED_STRINGS // MIB} MiB",
    "rows of a table (CSV, each XLSX sheet)": f"{MAX_ROWS:,}",
    "cells of a table": f"{MAX_CELLS:,}",
    "characters in one cell": f"{MAX_CELL_CHARS:,}",
}


def _mib(n: int) -> str:
    return f"{n / MIB:.0f} MiB" if n >= MIB else f"{n:,} bytes"


def over(source: str, where: str, what: str, cap: str) -> DataError:
    """The refusal of a file past one of the caps."""
    return DataError(source, where, f"{what}: more than {cap} is not read (a limit of Strapline)")


def read_regular(path: os.PathLike[str] | str, source: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; DataError at once for anything
    else (a FIFO, a device, a socket, a folder) or anything larger."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise DataError(source, "", "no such file") from None
    except PermissionError:
        raise DataError(source, "", "permission denied") from None
    except OSError as exc:
        raise DataError(source, "", f"cannot be read: {exc.strerror or exc}") from None
    _only_regular(info.st_mode, source)
    if info.st_size > limit:
        raise over(source, "", f"file of {_mib(info.st_size)}", _mib(limit))
    try:
        # O_NONBLOCK: if the name was swapped for a FIFO since, opening it does not wait
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except PermissionError:
        raise DataError(source, "", "permission denied") from None
    except OSError as exc:
        if exc.errno == errno.EISDIR:
            raise DataError(source, "", "is a folder, not a file") from None
        raise DataError(source, "", f"cannot be read: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as f:
        _only_regular(os.fstat(f.fileno()).st_mode, source)
        data = f.read(limit + 1)
    if len(data) > limit:
        raise over(source, "", "file", _mib(limit))
    return data


def _only_regular(mode: int, source: str) -> None:
    if stat.S_ISREG(mode):
        return
    kind = (
        "a folder"
        if stat.S_ISDIR(mode)
        else "a FIFO (named pipe)"
        if stat.S_ISFIFO(mode)
        else "a device"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "not a regular file"
    )
    raise DataError(source, "", f"is {kind}, not a file")


def check_xlsx(data: bytes, source: str) -> None:
    """Refuse a workbook whose parts would inflate past the caps, before any is read. The
    sizes checked are those the archive declares, which the zip reader holds every part to."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise DataError(source, "", f"not a readable Excel workbook (.xlsx): {exc}") from None
    total = 0
    for info in infos:
        total += info.file_size
        if info.filename.lower().endswith("sharedstrings.xml") and (
            info.file_size > MAX_XLSX_SHARED_STRINGS
        ):
            raise over(
                source,
                info.filename,
                f"shared strings of {_mib(info.file_size)} uncompressed",
                _mib(MAX_XLSX_SHARED_STRINGS),
            )
    if total > MAX_XLSX_UNCOMPRESSED:
        raise over(
            source, "", f"workbook of {_mib(total)} uncompressed", _mib(MAX_XLSX_UNCOMPRESSED)
        )


class TableBudget:
    """Counts a table's rows and cells as they are read; DataError past a cap. Places are
    named `prefix` and the row's number ("line 12", "sheet 'Results', row 12")."""

    def __init__(self, source: str, prefix: str = "line ") -> None:
        self.source = source
        self.prefix = prefix
        self.rows = 0
        self.cells = 0

    def row(self, number: int, cells: list[str]) -> list[str]:
        self.rows += 1
        self.cells += len(cells)
        if self.rows > MAX_ROWS:
            raise over(self.source, f"{self.prefix}{number}", "table rows", f"{MAX_ROWS:,}")
        if self.cells > MAX_CELLS:
            raise over(self.source, f"{self.prefix}{number}", "table cells", f"{MAX_CELLS:,}")
        if cells and max(map(len, cells)) > MAX_CELL_CHARS:
            column = next(i for i, c in enumerate(cells) if len(c) > MAX_CELL_CHARS) + 1
            where = f"{self.prefix}{number}, column {column}"
            raise over(self.source, where, "characters in a cell", f"{MAX_CELL_CHARS:,}")
        return cells
