"""Marking a race official or unofficial, and undoing it."""

from __future__ import annotations

import pytest

from strapline.domain.model import RaceStatus
from strapline.domain.race_status import mark_race
from strapline.io.demo import load_demo


def test_mark_and_undo() -> None:
    comp = load_demo()
    event, race = comp.races()[-1]
    before = race.status
    marked, change = mark_race(comp, race.id, RaceStatus.UNOFFICIAL)
    assert marked.event(event.id).race(race.id).status is RaceStatus.UNOFFICIAL  # type: ignore[union-attr]
    assert comp.event(event.id).race(race.id).status is before  # type: ignore[union-attr]
    assert change.label == f"Mark {race.id} UNOFFICIAL"
    undone = change.revert(marked)
    assert undone.event(event.id).race(race.id).status is before  # type: ignore[union-attr]
    assert undone == comp
    # a re-import gets the operator's mark applied again
    assert change.apply(comp) == marked


def test_unknown_race_is_named() -> None:
    with pytest.raises(KeyError, match="no race 'nope'"):
        mark_race(load_demo(), "nope", RaceStatus.OFFICIAL)
