"""CSV results tables: comma, semicolon or tab separated, in any of the usual encodings."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

from strapline.domain.diagnostics import DataError
from strapline.io.common import ImportContext, ImportResult
from strapline.io.limits import TableBudget
from strapline.io.table import TableSource, import_table
from strapline.io.text import decode

DELIMITERS = (",", ";", "\t")


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most, and most even, columns."""
    head = text[:16384].splitlines()
    if len(head) < 42:  # fewer than 40 whole lines in the first 16 kB: split all of it
        head = text.splitlines()
    sample = [line for line in head[:40] if line.strip()]
    best, best_score = ",", -1.0
    for delim in DELIMITERS:
        try:
            counts = [len(r) for r in csv.reader(sample, delimiter=delim)]
        except csv.Error:
            continue
        if not counts:
            continue
        widest = max(counts)
        if widest < 2:
            continue
        even = sum(1 for c in counts if c == widest)
        score = (widest - 1) * even
        if score > best_score:
            best, best_score = delim, score
    return best


def read_csv_rows(text: str, source: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(line where the row starts, its cells) of each row. A row whose quote is never closed
    runs on over the lines after it: it is named by the line it started on."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    budget = TableBudget(source)
    start = 1
    try:
        for cells in reader:
            yield start, budget.row(start, cells)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise DataError(source, f"line {start}", f"not valid CSV: {exc}") from None


def load_csv(
    path: Path, data: bytes, mapping: dict[str, str] | None, context: ImportContext
) -> ImportResult:
    source = str(path)
    text, _ = decode(data, source)
    hint = re.match(r"sep=(.)\r?\n", text)
    if hint:  # Excel's "sep=;" first line names the delimiter
        delimiter = hint[1]
        text = "\n" + text[hint.end() :]  # keep the line numbers of the file
    else:
        delimiter = sniff_delimiter(text)

    def cell_name(row: int, col: int, header: str) -> str:
        label = f"column {header!r}" if header else f"column {col + 1}"
        return f"line {row}, {label}"

    table = TableSource(
        source=source,
        rows=read_csv_rows(text, source, delimiter),
        cell_name=cell_name,
        row_name=lambda row: f"line {row}",
        title=re.sub(r"[_-]+", " ", path.stem),
        no_break_spaces="\xa0" in text,
        exact_width=True,
    )
    return import_table(table, mapping, context)
