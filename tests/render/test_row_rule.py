"""One truth per row: every result code against every graphic that shows a result row."""

from __future__ import annotations

import pytest
from rowcheck import CODES, contradictions, expected

from strapline.domain.model import ResultStatus
from strapline.domain.theme import Theme


@pytest.mark.parametrize("code", CODES, ids=lambda c: c.value if c else "none")
def test_every_status_against_every_graphic(code: ResultStatus | None, theme: Theme) -> None:
    assert contradictions(code, theme) == []


def test_the_matrix_sees_a_contradiction(theme: Theme) -> None:
    # the check itself must fail on a row drawn against the rule: a PEN row with its time
    view = expected(ResultStatus.PEN)
    assert not view.time and not view.record and not view.plate
    assert expected(None).record == "WR"
