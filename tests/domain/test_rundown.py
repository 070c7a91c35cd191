from __future__ import annotations

import pytest
from pydantic import ValidationError

from strapline.domain.rundown import (
    Action,
    Cue,
    CueBinding,
    CueGroup,
    HotkeyMap,
    OutputConfig,
    Override,
    Rundown,
    Show,
)


def _rundown() -> Rundown:
    return Rundown(
        groups=[
            CueGroup(
                name="A", cues=[Cue(id="a1", graphic="lower-third"), Cue(id="a2", graphic="podium")]
            ),
            CueGroup(name="B", cues=[Cue(id="b1", graphic="standings")]),
        ]
    )


def test_running_order_crosses_groups() -> None:
    rd = _rundown()
    assert [c.id for c in rd.cues()] == ["a1", "a2", "b1"]
    assert rd.next_after(None).id == "a1"  # type: ignore[union-attr]
    assert rd.next_after("a2").id == "b1"  # type: ignore[union-attr]
    assert rd.next_after("b1") is None
    assert rd.next_after("missing") is None


def test_duplicate_cue_ids_are_rejected() -> None:
    with pytest.raises(ValidationError, match="appears twice"):
        Rundown(
            groups=[CueGroup(cues=[Cue(id="x", graphic="quote"), Cue(id="x", graphic="quote")])]
        )


def test_cue_on_an_undefined_output_is_rejected() -> None:
    rd = Rundown(groups=[CueGroup(cues=[Cue(graphic="quote", output="side")])])
    with pytest.raises(ValidationError, match="output 'side'"):
        Show(rundown=rd)
    assert Show(rundown=rd, outputs=[OutputConfig(id="side")]).output("side") is not None


def test_binding_emptiness() -> None:
    assert CueBinding().is_empty
    assert not CueBinding(event_id="m500").is_empty


def test_default_hotkeys_follow_casparcg_and_have_no_conflict() -> None:
    keys = HotkeyMap()
    assert keys.conflicts() == {}
    assert keys.action_for("F2") is Action.TAKE
    assert keys.action_for("space") is Action.TAKE
    assert keys.action_for("shift+f12") is Action.PANIC
    assert keys.action_for("F9") is None


def test_rebinding_detects_conflicts() -> None:
    keys = HotkeyMap()
    with pytest.raises(ValueError, match="F2 would be bound to both"):
        keys.rebind(Action.OUT, ["F2"])
    moved = keys.rebind(Action.OUT, ["Ctrl+O"])
    assert moved.action_for("ctrl+o") is Action.OUT
    assert keys.action_for("F1") is Action.OUT  # the original map is untouched


def test_bad_key_text_is_rejected() -> None:
    with pytest.raises(ValidationError, match="not a key sequence"):
        HotkeyMap(keys={Action.TAKE: ["Ctrl+"]})


def test_two_overrides_of_one_field_are_rejected() -> None:
    ov = Override(competitor_id="x", field="family_name", value="A")
    with pytest.raises(ValidationError, match="same field"):
        Show(overrides=[ov, ov])
