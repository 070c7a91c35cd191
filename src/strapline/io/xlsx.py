"""Excel workbooks (.xlsx): the first sheet holding a results table, read with openpyxl."""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
from collections.abc import Iterator
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from strapline.domain.diagnostics import DataError
from strapline.domain.model import format_time
from strapline.io.common import ImportContext, ImportResult
from strapline.io.limits import TableBudget, check_xlsx
from strapline.io.table import TableSource, import_table


def cell_text(value: object) -> str:
    """A cell's value as the text a results sheet shows."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return repr(value) if not value.is_integer() else str(int(value))
    if isinstance(value, dt.timedelta):
        return format_time(max(0, round(value.total_seconds() * 1000)))
    if isinstance(value, dt.time):
        ms = ((value.hour * 60 + value.minute) * 60 + value.second) * 1000
        return format_time(ms + value.microsecond // 1000)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    return str(value)


def _row_name(title: str, row: int) -> str:
    return f"sheet {title!r}, row {row}"


def load_xlsx(
    path: Path, data: bytes, mapping: dict[str, str] | None, context: ImportContext
) -> ImportResult:
    source = str(path)
    check_xlsx(data, source)  # a part that would inflate past the caps is never read
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl and zipfile raise many kinds for a damaged file
        raise DataError(source, "", f"not a readable Excel workbook (.xlsx): {exc}") from None
    try:
        sheets = list(workbook.worksheets)
        if not sheets:
            raise DataError(source, "", "the workbook has no sheets")
        errors: list[DataError] = []
        for sheet in sheets:
            title = str(sheet.title)

            def rows(sheet: object = sheet, title: str = title) -> Iterator[tuple[int, list[str]]]:
                number = 0
                budget = TableBudget(source, f"sheet {title!r}, row ")
                reader = sheet.iter_rows(values_only=True)  # type: ignore[attr-defined]
                while True:
                    try:
                        row = next(reader, None)
                    except Exception as exc:  # a damaged sheet inside a readable container
                        raise DataError(
                            source,
                            f"sheet {title!r}, row {number + 1}",
                            f"damaged workbook, the sheet cannot be read: {exc}",
                        ) from None
                    if row is None:
                        return
                    number += 1
                    yield number, budget.row(number, [cell_text(v) for v in row])

            def cell_name(row: int, col: int, header: str, title: str = title) -> str:
                named = f" ({header})" if header else ""
                return f"sheet {title!r}, cell {get_column_letter(col + 1)}{row}{named}"

            table = TableSource(
                source=source,
                rows=rows(),
                cell_name=cell_name,
                row_name=functools.partial(_row_name, title),
                title=f"{re.sub(r'[_-]+', ' ', path.stem)} {title}",
            )
            try:
                return import_table(table, mapping, context)
            except DataError as exc:
                if "no header row found" not in exc.diagnostic.message:
                    raise
                errors.append(exc)
        raise errors[0]
    finally:
        workbook.close()
