from __future__ import annotations

from pathlib import Path

import pytest

from strapline.domain.diagnostics import DataError
from strapline.domain.rundown import Action, Cue, HotkeyMap, Override, Show
from strapline.services.show import EditError, ShowService


def _service() -> ShowService:
    svc = ShowService(Show())
    svc.add_group("500 m")
    for name in ("one", "two", "three"):
        svc.add_cue(Cue(id=name, name=name, graphic="lower-third"))
    return svc


def _order(svc: ShowService) -> list[str]:
    return [c.id for c in svc.show.rundown.cues()]


def test_every_edit_undoes_and_redoes() -> None:
    svc = _service()
    seen: list[str] = []
    svc.changed.connect(seen.append)
    edits = [
        svc.move_cue("three", svc.show.rundown.groups[0].id, 0),
        svc.duplicate_cue("one"),
        svc.update_cue("two", name="Two!", layer=30),
        svc.remove_cues(["one"]),
    ]
    assert _order(svc)[0] == "three"
    assert svc.show.rundown.cue("two").name == "Two!"  # type: ignore[union-attr]
    assert svc.dirty and seen == ["rundown"] * 4
    for edit in reversed(edits):
        svc.revert(edit)
    assert _order(svc) == ["one", "two", "three"]
    for edit in edits:
        svc.apply(edit)
    assert len(_order(svc)) == 3 and _order(svc)[0] == "three"


def test_locked_cue_refuses_edits_until_unlocked() -> None:
    svc = _service()
    svc.set_locked("two", True)
    for attempt in (
        lambda: svc.update_cue("two", name="x"),
        lambda: svc.remove_cues(["two"]),
        lambda: svc.move_cue("two", svc.show.rundown.groups[0].id, 0),
    ):
        with pytest.raises(EditError, match="locked"):
            attempt()
    svc.set_locked("two", False)
    svc.update_cue("two", name="x")


def test_invalid_values_are_refused_and_nothing_changes() -> None:
    svc = _service()
    before = svc.show.model_dump()
    with pytest.raises(EditError, match="layer"):
        svc.update_cue("one", layer=0)
    with pytest.raises(EditError, match="output 'side'"):
        svc.update_cue("one", output="side")
    with pytest.raises(EditError, match="no cue"):
        svc.remove_cues(["nope"])
    assert svc.show.model_dump() == before


def test_move_between_groups() -> None:
    svc = _service()
    svc.add_group("1000 m")
    target = svc.show.rundown.groups[1].id
    svc.move_cue("one", target, 0)
    assert [c.id for c in svc.show.rundown.groups[1].cues] == ["one"]
    svc.move_cue("three", svc.show.rundown.groups[0].id, 0)
    assert _order(svc) == ["three", "two", "one"]


def test_override_keeps_the_first_original() -> None:
    svc = _service()
    svc.set_override(Override(competitor_id="c", field="family_name", value="A", original="X"))
    svc.set_override(Override(competitor_id="c", field="family_name", value="B", original="A"))
    (ov,) = svc.show.overrides
    assert ov.value == "B" and ov.original == "X"
    edit = svc.remove_override("c", "family_name")
    assert svc.show.overrides == []
    svc.revert(edit)
    assert svc.show.overrides[0].value == "B"


def test_hotkey_conflicts_are_refused() -> None:
    svc = _service()
    bad = HotkeyMap.model_construct(keys={Action.TAKE: ["F2"], Action.OUT: ["F2"]})
    with pytest.raises(EditError, match="F2"):
        svc.set_hotkeys(bad)


def test_save_and_open(tmp_path: Path) -> None:
    svc = _service()
    with pytest.raises(EditError, match="choose where"):
        svc.save()
    path = svc.save(tmp_path / "s.strapline")
    assert not svc.dirty
    other = ShowService()
    other.open(path)
    assert _order(other) == ["one", "two", "three"] and other.path == path
    (tmp_path / "bad.strapline").write_text("{}", encoding="utf-8")
    with pytest.raises(DataError):
        other.open(tmp_path / "bad.strapline")
    assert other.path == path  # the open show is kept


def test_changes_say_which_cues_changed() -> None:
    from strapline.domain.rundown import Cue
    from strapline.services.show import ShowChange, ShowService

    shows = ShowService()
    seen: list[ShowChange] = []
    shows.changed.connect(seen.append)
    shows.add_cue(Cue(id="a", name="A", graphic="quote", data={"quote": "a"}))
    shows.add_cue(Cue(id="b", name="B", graphic="quote", data={"quote": "b"}))
    assert seen[-1] == "rundown" and seen[-1].moved  # a cue added: rows move
    edit = shows.update_cue("b", name="Bee")
    change = seen[-1]
    assert change == "rundown" and change.part == "rundown"
    assert change.cues == frozenset({"b"}) and not change.moved
    assert change.touches("b") and not change.touches("a") and not change.touches(None)
    shows.revert(edit)  # undo says the same
    assert seen[-1].cues == frozenset({"b"}) and not seen[-1].moved
    shows.move_cue("b", shows.show.rundown.groups[0].id, 0)
    assert seen[-1].moved and seen[-1].touches("a")
    shows.set_theme("night")
    assert seen[-1] == "theme" and seen[-1].touches("a")
    assert seen[-1].of("show", "theme") and not seen[-1].of("rundown", "outputs")
