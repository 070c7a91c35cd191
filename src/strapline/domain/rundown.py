"""The operator's show: cues grouped in a rundown, outputs, data files, overrides, race marks
and hotkeys.

Plain pydantic, no Qt. A `Cue` names a graphic, how its data is bound to the competition (a
`CueBinding`, the fields of strapline.domain.graphics.Selection), the theme, the output and layer
it plays on, and how it leaves (duration or by hand) and what follows it (auto-next). A `Show` is
what a `.strapline` file holds.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from strapline.domain.model import RaceStatus, StraplineModel
from strapline.domain.theme import ThemeName

SHOW_FORMAT: Literal["strapline-show"] = "strapline-show"
SHOW_VERSION: Literal[1] = 1


def new_id() -> str:
    """A short random id for cues, groups and outputs."""
    return uuid.uuid4().hex[:12]


class CueBinding(StraplineModel):
    """Where a cue's data comes from: the same fields as a graphics Selection."""

    event_id: str | None = None
    race_id: str | None = None
    row: Annotated[int, Field(ge=0)] | None = None
    competitor_id: str | None = None
    standings_id: str | None = None
    text: str | None = None
    live: bool = Field(
        default=False,
        description="Bound to the live race: whatever race the timing feed says is running "
        "(the cue follows when the feed moves to the next race)",
    )

    @property
    def is_empty(self) -> bool:
        return not self.live and not any(
            v is not None for v in self.model_dump(exclude={"live"}).values()
        )

    def selection(self) -> dict[str, object]:
        """The fields a graphics Selection takes."""
        return self.model_dump(exclude={"live"})


class Cue(StraplineModel):
    """One graphic in the rundown, ready to be cued and taken."""

    id: Annotated[str, Field(min_length=1)] = Field(default_factory=new_id)
    name: str = ""
    graphic: Annotated[str, Field(min_length=1, description="A GraphicKind value")]
    binding: CueBinding | None = None
    data: dict[str, Any] = Field(
        default_factory=dict,
        description="Field values typed by the operator; they win over the bound data",
    )
    theme: ThemeName = ""
    output: str = Field(default="", description="Output id; empty means the show's first output")
    layer: Annotated[int, Field(ge=1, le=999)] = 20
    duration_s: Annotated[float, Field(gt=0)] | None = Field(
        default=None, description="Take the cue out by itself after this many seconds"
    )
    auto_next: bool = Field(default=False, description="Cue the next cue once this one is taken")
    auto_update: bool = Field(
        default=False, description="Update on air by itself when its data changes, without asking"
    )
    locked: bool = False
    notes: str = ""

    @property
    def title(self) -> str:
        return self.name or self.graphic


class CueGroup(StraplineModel):
    id: Annotated[str, Field(min_length=1)] = Field(default_factory=new_id)
    name: str = "Group"
    locked: bool = False
    cues: list[Cue] = Field(default_factory=list)


class Rundown(StraplineModel):
    groups: list[CueGroup] = Field(default_factory=list)

    def cues(self) -> Iterator[Cue]:
        for group in self.groups:
            yield from group.cues

    def find(self, cue_id: str) -> tuple[CueGroup, int, Cue] | None:
        for group in self.groups:
            for index, cue in enumerate(group.cues):
                if cue.id == cue_id:
                    return group, index, cue
        return None

    def cue(self, cue_id: str) -> Cue | None:
        found = self.find(cue_id)
        return found[2] if found else None

    def group(self, group_id: str) -> CueGroup | None:
        return next((g for g in self.groups if g.id == group_id), None)

    def next_after(self, cue_id: str | None) -> Cue | None:
        """The cue after `cue_id` in running order (the first one when `cue_id` is None)."""
        order = list(self.cues())
        if cue_id is None:
            return order[0] if order else None
        ids = [c.id for c in order]
        if cue_id not in ids:
            return None
        i = ids.index(cue_id)
        return order[i + 1] if i + 1 < len(order) else None

    @model_validator(mode="after")
    def _unique_ids(self) -> Rundown:
        seen: set[str] = set()
        for cue in self.cues():
            if cue.id in seen:
                raise ValueError(f"cue id {cue.id!r} appears twice in the rundown")
            seen.add(cue.id)
        group_ids = [g.id for g in self.groups]
        if len(group_ids) != len(set(group_ids)):
            raise ValueError("a group id appears twice in the rundown")
        return self


class TargetConfig(StraplineModel):
    """One renderer that an output drives over OSC."""

    name: str = ""
    host: Annotated[str, Field(min_length=1)] = "127.0.0.1"
    port: Annotated[int, Field(ge=1, le=65535)] = 9100
    transport: Literal["udp", "tcp"] = Field(
        "udp", description="UDP datagrams, or TCP (SLIP frames) for renderers across a network"
    )
    flat_fields: bool = Field(
        False,
        description="each data field on its own address, for renderers that bind one address to "
        "one parameter (no acknowledgements, no heartbeats: its state shows as 'no replies')",
    )

    @property
    def label(self) -> str:
        return self.name or f"{self.host}:{self.port}"


class OutputConfig(StraplineModel):
    """One output channel (program feed), played on one or more renderers at once."""

    id: Annotated[str, Field(min_length=1)] = "program"
    name: str = "Program"
    channel: Annotated[int, Field(ge=1)] = 1
    width: Annotated[int, Field(ge=16, le=8192)] = 1920
    height: Annotated[int, Field(ge=16, le=8192)] = 1080
    targets: list[TargetConfig] = Field(default_factory=lambda: [TargetConfig()])
    sync_lead_ms: Annotated[int, Field(ge=0, le=2000)] = Field(
        0,
        description="plays are timed this far ahead, so every renderer of the output starts "
        "the same frame (0: as soon as each receives it)",
    )

    @property
    def size(self) -> tuple[int, int]:
        return (self.width, self.height)


class Action(StrEnum):
    """The operator's playout actions, each bound to keys in the hotkey map."""

    CUE = "cue"
    TAKE = "take"
    NEXT = "next"
    OUT = "out"
    UPDATE = "update"
    CLEAR = "clear"
    PANIC = "panic"


# CasparCG client habits: F1 stop, F2 play, F3 load, F5 next, F6 update, F10 clear; Space takes.
DEFAULT_HOTKEYS: dict[Action, list[str]] = {
    Action.CUE: ["F3"],
    Action.TAKE: ["F2", "Space"],
    Action.NEXT: ["F5"],
    Action.OUT: ["F1"],
    Action.UPDATE: ["F6"],
    Action.CLEAR: ["F10"],
    Action.PANIC: ["Shift+F12"],
}


def _normalise_key(key: str) -> str:
    parts = [p.strip() for p in key.split("+")]
    if not key.strip() or any(not p for p in parts):
        raise ValueError(f"{key!r} is not a key sequence (write e.g. 'F2', 'Ctrl+T', 'Space')")
    mods = sorted(p.capitalize() for p in parts[:-1])
    last = parts[-1]
    last = last.upper() if len(last) == 1 else last[0].upper() + last[1:]
    return "+".join([*mods, last])


class HotkeyMap(StraplineModel):
    """Action -> key sequences (Qt's portable text form, e.g. "F2", "Shift+F12", "Space")."""

    keys: dict[Action, list[str]] = Field(
        default_factory=lambda: {a: list(k) for a, k in DEFAULT_HOTKEYS.items()}
    )

    @field_validator("keys")
    @classmethod
    def _normalise(cls, value: dict[Action, list[str]]) -> dict[Action, list[str]]:
        return {a: [_normalise_key(k) for k in keys] for a, keys in value.items()}

    def conflicts(self) -> dict[str, list[Action]]:
        """Keys bound to more than one action (empty when the map is usable)."""
        owners: dict[str, list[Action]] = {}
        for action, keys in self.keys.items():
            for key in keys:
                owners.setdefault(key, []).append(action)
        return {k: acts for k, acts in owners.items() if len(acts) > 1}

    def action_for(self, key: str) -> Action | None:
        try:
            norm = _normalise_key(key)
        except ValueError:
            return None
        for action, keys in self.keys.items():
            if norm in keys:
                return action
        return None

    def rebind(self, action: Action, keys: list[str]) -> HotkeyMap:
        """A new map with `action` on `keys`; raises ValueError naming any conflict."""
        new = self.model_copy(deep=True)
        mapping = dict(new.keys)
        mapping[action] = keys
        candidate = HotkeyMap(keys=mapping)
        clashes = candidate.conflicts()
        if clashes:
            key, acts = next(iter(clashes.items()))
            names = " and ".join(a.value for a in acts)
            raise ValueError(f"key {key} would be bound to both {names}")
        return candidate


OverrideField = Literal["family_name", "given_name", "nation", "helmet", "name"]


class Override(StraplineModel):
    """An operator's correction of one field of one competitor, kept across re-imports."""

    competitor_id: Annotated[str, Field(min_length=1)]
    field: OverrideField
    value: str | int | None
    original: str | int | None = None


class RaceMark(StraplineModel):
    """The operator's word on a race's status (official, unofficial), kept across re-imports:
    it wins over the status the data file says until the operator drops it."""

    race_id: Annotated[str, Field(min_length=1)]
    status: RaceStatus


class DataSource(StraplineModel):
    """A data file the show loads (and watches for changes)."""

    path: Annotated[str, Field(min_length=1)]
    mapping: dict[str, str] | None = None
    watch: bool = True


class Show(StraplineModel):
    """Everything a `.strapline` file holds."""

    format: Literal["strapline-show"] = SHOW_FORMAT
    version: Literal[1] = SHOW_VERSION
    name: str = "Untitled show"
    theme: ThemeName = ""
    data: list[DataSource] = Field(default_factory=list)
    overrides: list[Override] = Field(default_factory=list)
    race_marks: list[RaceMark] = Field(default_factory=list)
    outputs: list[OutputConfig] = Field(default_factory=lambda: [OutputConfig()])
    rundown: Rundown = Field(default_factory=Rundown)
    hotkeys: HotkeyMap = Field(default_factory=HotkeyMap)

    def output(self, output_id: str) -> OutputConfig | None:
        if not output_id:
            return self.outputs[0] if self.outputs else None
        return next((o for o in self.outputs if o.id == output_id), None)

    @model_validator(mode="after")
    def _check(self) -> Show:
        ids = [o.id for o in self.outputs]
        if len(ids) != len(set(ids)):
            raise ValueError("an output id appears twice")
        for cue in self.rundown.cues():
            if cue.output and cue.output not in ids:
                raise ValueError(f"cue {cue.title!r} plays on output {cue.output!r}, not defined")
        keys = [(o.competitor_id, o.field) for o in self.overrides]
        if len(keys) != len(set(keys)):
            raise ValueError("two overrides correct the same field of the same competitor")
        marked = [m.race_id for m in self.race_marks]
        if len(marked) != len(set(marked)):
            raise ValueError("two race marks name the same race")
        return self
