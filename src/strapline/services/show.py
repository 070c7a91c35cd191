"""The open show and every edit of it, as undoable operations.

Each operation validates, changes the show and returns an `Edit` (what part changed, before and
after). The view pushes the Edit on a QUndoStack; undo and redo call `revert` and `apply`. The
service emits `changed(ShowChange)`: which part changed and, for the rundown, which cues, so
every view redraws only what it shows (an edit of one cue's name repaints that row; it does
not rebuild the rundown nor redraw a preview of another cue).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from strapline.domain.model import RaceStatus
from strapline.domain.rundown import (
    Cue,
    CueGroup,
    DataSource,
    HotkeyMap,
    OutputConfig,
    Override,
    RaceMark,
    Rundown,
    Show,
    new_id,
)
from strapline.io.showfile import load_show, save_show
from strapline.services.signals import Signal

Part = Literal[
    "rundown", "overrides", "race_marks", "outputs", "hotkeys", "data", "theme", "name", "show"
]


class ShowChange(str):
    """What an edit changed: the part (it compares equal to the part's name, "rundown", ...)
    and, for the rundown, `cues`: the ids of the cues whose content changed, `moved`: whether
    cues were added, removed or reordered. `cues` None: not known (anything may have)."""

    part: Part
    cues: frozenset[str] | None
    moved: bool

    def __new__(
        cls, part: Part, cues: frozenset[str] | None = None, moved: bool = True
    ) -> ShowChange:
        self = super().__new__(cls, part)
        self.part = part
        self.cues = cues
        self.moved = moved
        return self

    def of(self, *parts: Part) -> bool:
        """Whether the change is to one of these parts (a part misspelt does not type-check,
        where a comparison with a string would silently be false)."""
        return self.part in parts

    def touches(self, cue_id: str | None) -> bool:
        """Whether the change may concern that cue."""
        if self.part != "rundown":
            return True
        return self.cues is None or self.moved or (cue_id is not None and cue_id in self.cues)


def rundown_change(before: Rundown, after: Rundown) -> ShowChange:
    """The rundown change between two rundowns: the cues whose content differs, and whether
    the order or the groups differ."""
    old = {c.id: c for c in before.cues()}
    new = {c.id: c for c in after.cues()}
    shape = [(g.id, g.name, g.locked, [c.id for c in g.cues]) for g in before.groups]
    moved = shape != [(g.id, g.name, g.locked, [c.id for c in g.cues]) for g in after.groups]
    cues = frozenset(i for i in old.keys() | new.keys() if old.get(i) != new.get(i))
    return ShowChange("rundown", cues, moved)


class EditError(ValueError):
    """An edit the show refuses (a locked cue, an unknown id, an invalid value)."""


@dataclass(frozen=True)
class Edit:
    label: str
    part: Part
    before: Any
    after: Any


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"])
    return f"{where}: {err['msg']}" if where else str(err["msg"])


class ShowService:
    def __init__(self, show: Show | None = None, path: Path | None = None) -> None:
        self.show = show or Show()
        self.path = path
        self.dirty = False
        self.changed: Signal[[ShowChange]] = Signal()
        self.saved: Signal[[Path]] = Signal()

    # ---- whole show ---------------------------------------------------------------------------
    def replace(self, show: Show, path: Path | None) -> None:
        self.show = show
        self.path = path
        self.dirty = False
        self.changed.emit(ShowChange("show"))

    def open(self, path: Path) -> None:
        """Read a show file (DataError on a bad file: the open show is kept)."""
        show = load_show(path)
        self.replace(show, Path(path))

    def save(self, path: Path | None = None) -> Path:
        target = Path(path) if path is not None else self.path
        if target is None:
            raise EditError("the show has no file yet: choose where to save it")
        save_show(self.show, target)
        self.path = target
        self.dirty = False
        self.saved.emit(target)
        return target

    # ---- the undo seam --------------------------------------------------------------------------
    def _get(self, part: Part) -> Any:
        if part == "show":
            return self.show
        return getattr(self.show, part)

    def _set(self, part: Part, value: Any) -> None:
        change = ShowChange(part)
        if part == "rundown":
            change = rundown_change(self.show.rundown, value)
        if part == "show":
            self.show = value
        else:
            try:
                setattr(self.show, part, value)
            except ValidationError as exc:
                raise EditError(_first_error(exc)) from None
        self.dirty = True
        self.changed.emit(change)

    def apply(self, edit: Edit) -> None:
        self._set(edit.part, _copy(edit.after))

    def revert(self, edit: Edit) -> None:
        self._set(edit.part, _copy(edit.before))

    def _commit(self, label: str, part: Part, after: Any) -> Edit:
        before = _copy(self._get(part))
        edit = Edit(label, part, before, _copy(after))
        self.apply(edit)
        return edit

    # ---- rundown ----------------------------------------------------------------------------
    def _rundown(self) -> Rundown:
        return self.show.rundown.model_copy(deep=True)

    def _locate(self, rundown: Rundown, cue_id: str) -> tuple[CueGroup, int, Cue]:
        found = rundown.find(cue_id)
        if found is None:
            raise EditError(f"no cue with id {cue_id!r} in the rundown")
        return found

    def _check_unlocked(self, group: CueGroup, cue: Cue) -> None:
        if cue.locked:
            raise EditError(f"cue {cue.title!r} is locked: unlock it first")
        if group.locked:
            raise EditError(f"group {group.name!r} is locked: unlock it first")

    def add_group(self, name: str = "Group", index: int | None = None) -> Edit:
        rd = self._rundown()
        group = CueGroup(name=name)
        rd.groups.insert(len(rd.groups) if index is None else index, group)
        return self._commit(f"Add group {name}", "rundown", rd)

    def rename_group(self, group_id: str, name: str) -> Edit:
        rd = self._rundown()
        group = rd.group(group_id)
        if group is None:
            raise EditError(f"no group with id {group_id!r}")
        group.name = name
        return self._commit(f"Rename group to {name}", "rundown", rd)

    def remove_group(self, group_id: str) -> Edit:
        rd = self._rundown()
        group = rd.group(group_id)
        if group is None:
            raise EditError(f"no group with id {group_id!r}")
        if group.locked or any(c.locked for c in group.cues):
            raise EditError(f"group {group.name!r} is locked or holds locked cues")
        rd.groups.remove(group)
        return self._commit(f"Remove group {group.name}", "rundown", rd)

    def add_cue(self, cue: Cue, group_id: str | None = None, index: int | None = None) -> Edit:
        rd = self._rundown()
        if rd.cue(cue.id) is not None:
            cue = cue.model_copy(update={"id": new_id()})
        if cue.output and self.show.output(cue.output) is None:
            raise EditError(f"output {cue.output!r} is not defined in this show")
        if not rd.groups:
            rd.groups.append(CueGroup(name="Rundown"))
        group = rd.group(group_id) if group_id else rd.groups[-1]
        if group is None:
            raise EditError(f"no group with id {group_id!r}")
        if group.locked:
            raise EditError(f"group {group.name!r} is locked: unlock it first")
        group.cues.insert(len(group.cues) if index is None else index, cue)
        return self._commit(f"Add cue {cue.title}", "rundown", rd)

    def remove_cues(self, cue_ids: Iterable[str]) -> Edit:
        rd = self._rundown()
        names = []
        for cue_id in cue_ids:
            group, index, cue = self._locate(rd, cue_id)
            self._check_unlocked(group, cue)
            del group.cues[index]
            names.append(cue.title)
        return self._commit(f"Remove {', '.join(names)}", "rundown", rd)

    def move_cue(self, cue_id: str, group_id: str, index: int) -> Edit:
        """Move a cue to position `index` of a group (index counted before the move)."""
        rd = self._rundown()
        group, old, cue = self._locate(rd, cue_id)
        self._check_unlocked(group, cue)
        target = rd.group(group_id)
        if target is None:
            raise EditError(f"no group with id {group_id!r}")
        if target.locked:
            raise EditError(f"group {target.name!r} is locked: unlock it first")
        del group.cues[old]
        if target is group and index > old:
            index -= 1
        target.cues.insert(max(0, min(index, len(target.cues))), cue)
        return self._commit(f"Move {cue.title}", "rundown", rd)

    def duplicate_cue(self, cue_id: str) -> Edit:
        return self.duplicate_cues([cue_id])

    def duplicate_cues(self, cue_ids: Iterable[str]) -> Edit:
        """A copy of each cue right after it (one edit, one undo)."""
        rd = self._rundown()
        names = []
        for cue_id in cue_ids:
            group, index, cue = self._locate(rd, cue_id)
            copy = cue.model_copy(deep=True, update={"id": new_id(), "locked": False})
            if cue.name:
                copy.name = f"{cue.name} (copy)"
            group.cues.insert(index + 1, copy)
            names.append(cue.title)
        if not names:
            raise EditError("no cue to duplicate")
        return self._commit(f"Duplicate {', '.join(names)}", "rundown", rd)

    def set_locked(self, cue_id: str, locked: bool) -> Edit:
        rd = self._rundown()
        _, _, cue = self._locate(rd, cue_id)
        cue.locked = locked
        return self._commit(f"{'Lock' if locked else 'Unlock'} {cue.title}", "rundown", rd)

    def set_group_locked(self, group_id: str, locked: bool) -> Edit:
        rd = self._rundown()
        group = rd.group(group_id)
        if group is None:
            raise EditError(f"no group with id {group_id!r}")
        group.locked = locked
        return self._commit(f"{'Lock' if locked else 'Unlock'} {group.name}", "rundown", rd)

    def update_cue(self, cue_id: str, **fields: Any) -> Edit:
        """Change fields of a cue (validated; refused on a locked cue)."""
        rd = self._rundown()
        group, index, cue = self._locate(rd, cue_id)
        self._check_unlocked(group, cue)
        if "id" in fields or "locked" in fields:
            raise EditError("use set_locked to lock a cue; a cue's id never changes")
        output = fields.get("output")
        if output and self.show.output(output) is None:
            raise EditError(f"output {output!r} is not defined in this show")
        try:
            new = Cue.model_validate({**cue.model_dump(), **fields})
        except ValidationError as exc:
            raise EditError(_first_error(exc)) from None
        group.cues[index] = new
        return self._commit(f"Edit {new.title}", "rundown", rd)

    # ---- overrides ----------------------------------------------------------------------------
    def set_override(self, override: Override) -> Edit:
        kept = [
            o
            for o in self.show.overrides
            if (o.competitor_id, o.field) != (override.competitor_id, override.field)
        ]
        previous = next(
            (
                o
                for o in self.show.overrides
                if (o.competitor_id, o.field) == (override.competitor_id, override.field)
            ),
            None,
        )
        if previous is not None and previous.original is not None:
            override = override.model_copy(update={"original": previous.original})
        return self._commit(
            f"Correct {override.field} of {override.competitor_id}", "overrides", [*kept, override]
        )

    def remove_override(self, competitor_id: str, field: str) -> Edit:
        kept = [
            o for o in self.show.overrides if (o.competitor_id, o.field) != (competitor_id, field)
        ]
        if len(kept) == len(self.show.overrides):
            raise EditError(f"no correction of {field} for {competitor_id}")
        return self._commit(f"Remove correction of {field}", "overrides", kept)

    # ---- race marks ---------------------------------------------------------------------------
    def mark_race(self, race_id: str, status: RaceStatus) -> Edit:
        """The operator marks a race (official, unofficial): kept across re-imports."""
        mark = RaceMark(race_id=race_id, status=status)
        kept = [m for m in self.show.race_marks if m.race_id != race_id]
        return self._commit(
            f"Mark {race_id} {mark.status.value.lower()}", "race_marks", [*kept, mark]
        )

    def unmark_race(self, race_id: str) -> Edit:
        """Drop the operator's mark: the race shows the status its data file says again."""
        kept = [m for m in self.show.race_marks if m.race_id != race_id]
        if len(kept) == len(self.show.race_marks):
            raise EditError(f"race {race_id} is not marked by the operator")
        return self._commit(f"Use the file's status for {race_id}", "race_marks", kept)

    # ---- other parts --------------------------------------------------------------------------
    def set_outputs(self, outputs: list[OutputConfig]) -> Edit:
        ids = {o.id for o in outputs}
        for cue in self.show.rundown.cues():
            if cue.output and cue.output not in ids:
                raise EditError(f"cue {cue.title!r} plays on output {cue.output!r}")
        return self._commit("Edit outputs", "outputs", outputs)

    def set_hotkeys(self, hotkeys: HotkeyMap) -> Edit:
        clashes = hotkeys.conflicts()
        if clashes:
            key, acts = next(iter(clashes.items()))
            raise EditError(f"key {key} is bound to {' and '.join(a.value for a in acts)}")
        return self._commit("Edit hotkeys", "hotkeys", hotkeys)

    def set_data_sources(self, sources: list[DataSource]) -> Edit:
        return self._commit("Change data files", "data", sources)

    def set_theme(self, theme: str) -> Edit:
        return self._commit(f"Theme {theme}", "theme", theme)


def _copy(value: Any) -> Any:
    if isinstance(value, list):
        return [_copy(v) for v in value]
    if hasattr(value, "model_copy"):
        return value.model_copy(deep=True)
    return value
