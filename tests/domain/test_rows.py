"""The row rule: what a result row may show, for every result code."""

from __future__ import annotations

import pytest

from strapline.domain.model import ResultStatus
from strapline.domain.rows import STATUS_WORDS, normal_code, row_view, status_word

ALL_CODES = ["", *(s.value for s in ResultStatus)]


@pytest.mark.parametrize("code", ALL_CODES)
def test_every_code_against_every_part_of_a_row(code: str) -> None:
    view = row_view(
        place=1, code=code, time="43.105", record="WR", qualification="Q", medal_final=True
    )
    if code == "":
        assert (view.place, view.plate, view.medal) == ("1", True, "gold")
        assert (view.time, view.record, view.qualification, view.word) == ("43.105", "WR", "Q", "")
    elif code == ResultStatus.NO_TIME.value:
        # advanced without a time: keeps its place (and so its plate, medal and mark)
        assert (view.place, view.plate, view.medal, view.qualification) == ("1", True, "gold", "Q")
        assert (view.time, view.record, view.word) == ("", "", "No time")
    else:
        # out of the race's order: the word and nothing else
        assert (view.place, view.plate, view.medal) == ("", False, "")
        assert (view.time, view.record, view.qualification) == ("", "", "")
        assert view.word == STATUS_WORDS[code]


def test_words_viewers_read() -> None:
    assert status_word("PEN") == "Penalty"
    assert status_word("NOTIME") == "No time"
    assert status_word("notime") == "No time"  # as some exports spell it
    assert status_word("No time") == "No time"
    assert (status_word("DNF"), status_word("DQ"), status_word("DNS")) == ("DNF", "DQ", "DNS")
    assert status_word("") == ""
    assert normal_code(" dq ") == "DQ"


def test_an_unknown_code_takes_the_row_out_and_reads_as_itself() -> None:
    view = row_view(place=2, code="DSQ", time="41.000", record="OR", medal_final=True)
    assert (view.plate, view.medal, view.time, view.record, view.word) == (
        False, "", "", "", "DSQ",
    )  # fmt: skip


def test_ties_and_medals() -> None:
    assert row_view(place=2, tie=True, medal_final=True).place == "=2"
    assert row_view(place=2, tie=True, medal_final=True).medal == "silver"
    assert row_view(place=3, medal_final=False).medal == ""
    assert row_view(place=4, medal_final=True).medal == ""
    assert row_view(place=None, time="41.000").plate is False


def test_a_record_needs_a_time() -> None:
    assert row_view(place=1, record="WR").record == ""
    assert row_view(place=1, time="40.000", record="WR").record == "WR"
