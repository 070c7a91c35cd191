"""The sports data model's own guarantees."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from strapline.domain import model as m


def test_rows_still_reject_bad_values_and_unknown_fields() -> None:
    athlete = m.Athlete(id="a", family_name="ROUSSEL", given_name="Felix")
    with pytest.raises(ValidationError):
        m.ResultRow(competitor=athlete, place=0)
    with pytest.raises(ValidationError):
        m.ResultRow(competitor=athlete, colour="red")  # type: ignore[call-arg]
    row = m.ResultRow(competitor=athlete)
    with pytest.raises(ValidationError):
        row.place = -1
    assert athlete.original_name == "ROUSSEL Felix"
