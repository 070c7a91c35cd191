from __future__ import annotations

import pytest
from service_fakes import make_competition

from strapline.domain.rundown import Show
from strapline.services.data import DataService
from strapline.services.editor import GraphicEditor
from strapline.services.show import EditError, ShowService


def _editor(with_results: bool = True) -> tuple[GraphicEditor, ShowService]:
    shows = ShowService(Show())
    data = DataService()
    data.set_competition(make_competition(with_results=with_results))
    return GraphicEditor(shows, data), shows


def test_picking_data_chooses_the_obvious_graphic() -> None:
    ed, _ = _editor()
    ed.pick_race("m500", "m500-fa")
    assert ed.cue.graphic == "podium" and ed.resolved().ready
    ed.pick_row("m500", "m500-fa", 1, "can-pierre")
    assert ed.cue.graphic == "lower-third"
    assert ed.resolved().data["family_name"].upper() == "PIERRE-GILLES"  # type: ignore[index]
    ed_no, _ = _editor(with_results=False)
    ed_no.pick_race("m500", "m500-fa")
    assert ed_no.cue.graphic == "start-list"


def test_scratch_edits_are_not_undoable_but_cue_edits_are() -> None:
    ed, shows = _editor()
    ed.pick_row("m500", "m500-fa", 0, "can-roussel")
    assert ed.set_field("info", "Gold") is None
    assert ed.resolved().data["info"] == "Gold"  # type: ignore[index]
    cue = ed.new_cue()
    assert cue.name.startswith("lower third")
    shows.add_cue(cue)
    ed.edit_cue(cue.id)
    edit = ed.set_field("info", "Gold again")
    assert edit is not None
    shows.revert(edit)
    assert ed.cue.data == {"info": "Gold"}
    reset = ed.reset_field("info")
    assert reset is not None and ed.cue.data == {}


def test_unknown_kind_is_refused() -> None:
    ed, _ = _editor()
    with pytest.raises(ValueError):
        ed.set_kind("weather")


def test_locked_cue_refuses_form_edits() -> None:
    ed, shows = _editor()
    cue = ed.new_cue()
    shows.add_cue(cue)
    shows.set_locked(cue.id, True)
    ed.edit_cue(cue.id)
    with pytest.raises(EditError, match="locked"):
        ed.set_field("info", "x")
