"""The table readers' shortcuts for plain cells read exactly what strapline.io.values reads."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from strapline.domain.model import Athlete, ResultRow, StartEntry
from strapline.io import table, values

# Cells as a table holds them: stripped and not empty.
_CELL = (
    st.text(alphabet="0123456789.,:=#-+ Tthndrs WRPENQq٣١", min_size=1, max_size=12)
    .map(str.strip)
    .filter(bool)
)
_NUMBER = st.integers(min_value=0, max_value=10**17).map(str)


def _fields(row: table._Row) -> tuple[object, ...]:
    """What the readers may set on a row."""
    return (
        row.place,
        row.tie,
        row.status,
        row.start_position,
        row.helmet,
        row.points,
        row.time,
        row.record,
    )


def _read(reader: Any, text: str) -> tuple[str, object]:
    row = table._Row(number=1)
    try:
        reader(row, text)
    except ValueError as exc:
        return "error", str(exc)
    return "ok", _fields(row)


def _expected(field: str, text: str) -> tuple[str, object]:
    row = table._Row(number=1)
    try:
        if field == "place":
            row.place, row.tie, status = values.parse_place(text)
            if status is not None:
                row.status = status
        elif field == "start_position":
            row.start_position = values.parse_int(text, "start position") or None
        elif field == "helmet":
            row.helmet = values.parse_int(text, "helmet number")
        elif field == "points":
            row.points = values.parse_points(text)
        elif field == "time":
            code = values.parse_status(text) if text[0].isalpha() else None
            if code is not None:
                row.status = code
            else:
                ms, shown, row.record = values.time_parts(text)
                row.time = {"ms": ms, "display": shown}
    except ValueError as exc:
        return "error", str(exc)
    return "ok", _fields(row)


READERS = {
    "place": table._place,
    "start_position": table._start_position,
    "helmet": table._helmet,
    "points": table._points,
    "time": table._time,
}


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(READERS)), st.one_of(_CELL, _NUMBER))
def test_reader_matches_values(field: str, text: str) -> None:
    assert _read(READERS[field], text) == _expected(field, text)


@pytest.mark.parametrize(
    "text",
    [
        "40.912",
        "1:24.245",
        "1:5.123",
        "1:60.000",
        "123:45.678",
        "1234:45.678",
        "12:34.567",
        "0:59.999",
        "1:24.2456",
        "1:24.24",
        ":24.245",
        "1:٢٤.245",
        "1:2x.245",
        "1234.567",
        "12345.678",
        "٤٠.١٢٣",
        "40,912",
        "43.105WR",
        "1:02:03.400",
        "40.1",
        "PEN",
        "0.000",
    ],
)
def test_time_cells(text: str) -> None:
    assert _read(table._time, text) == _expected("time", text)


@pytest.mark.parametrize("text", ["1", "01", "0", "99999", "123456", "2=", "١", "PEN", "3rd"])
def test_place_cells(text: str) -> None:
    assert _read(table._place, text) == _expected("place", text)


@pytest.mark.parametrize("text", ["0", "12", "9" * 15, "9" * 16, "9" * 400, "12,5", "1e3", "nan"])
def test_points_cells(text: str) -> None:
    assert _read(table._points, text) == _expected("points", text)


def test_qualification_errors_are_not_remembered() -> None:
    for _ in range(2):
        with pytest.raises(ValueError, match="not a qualification mark"):
            table._qualification(table._Row(number=1), "XQ")
    row = table._Row(number=1)
    table._qualification(row, "qA")
    assert row.qualification == values.parse_qualification("qA")


def test_start_list_of_results_is_what_validation_gives() -> None:
    """A results table's start list is its rows with a start position, in start order."""
    athletes = [
        Athlete(id=f"CAN-a{i}", family_name=f"A{i}", nation="CAN", helmet=i) for i in (3, 1, 2)
    ]
    results = [
        ResultRow(competitor=athletes[0], place=1, start_position=2),
        ResultRow(competitor=athletes[1], place=2),  # did not start from a position: left out
        ResultRow(competitor=athletes[2], place=3, start_position=1),
    ]
    built = table._start_list(results)
    validated = [
        StartEntry(competitor=athletes[2], start_position=1, helmet=2),
        StartEntry(competitor=athletes[0], start_position=2, helmet=3),
    ]
    assert built == validated
    assert [e.model_fields_set for e in built] == [e.model_fields_set for e in validated]
    assert [e.model_dump() for e in built] == [e.model_dump() for e in validated]
    assert built[0].competitor is athletes[2]
    with pytest.raises(ValidationError):  # still a model that validates assignment
        built[0].start_position = 0
