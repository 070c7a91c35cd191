"""From a cue to the data its graphic shows: bound data, with the operator's fields on top.

A cue bound to data that does not exist yet (a final not run) is *waiting*: the rundown shows it
so, and it fills itself when the results arrive.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from strapline.domain.graphics import BindingError, GraphicKind, Selection, bind, data_model
from strapline.domain.model import Competition
from strapline.domain.rundown import Cue
from strapline.services.live import LiveView


@dataclass(frozen=True)
class Resolved:
    """A cue's data ready to send, or why there is none (waiting for data, or invalid)."""

    data: dict[str, Any] | None
    problem: str = ""
    waiting: bool = False

    @property
    def ready(self) -> bool:
        return self.data is not None


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"])
    return f"{where}: {err['msg']}" if where else str(err["msg"])


def _merge(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in top.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def graphic_kind(name: str) -> GraphicKind | None:
    try:
        return GraphicKind(name)
    except ValueError:
        return None


def _live_base(
    kind: GraphicKind, cue: Cue, competition: Competition | None, live: LiveView | None
) -> dict[str, Any] | Resolved:
    """A live-bound cue's data: from the race state for the live race's own graphics, else
    from the loaded data's race of the same id as the feed's (the cue follows the feed)."""
    from strapline.domain.live_graphics import LIVE_KINDS, live_data

    if live is None:
        return Resolved(None, "waiting for the live race: no race armed by the timing feed",
                        waiting=True)  # fmt: skip
    try:
        if kind in LIVE_KINDS:
            data = live_data(kind, live.state, live.now, offset=live.offset, stale=live.stale)
            return data.model_dump(mode="json")
        if competition is None:
            return Resolved(None, "waiting for data: no data loaded yet", waiting=True)
        assert cue.binding is not None
        fields = {**cue.binding.selection(), "race_id": live.state.race or None}
        return bind(kind, competition, Selection.model_validate(fields)).model_dump(mode="json")
    except BindingError as exc:
        return Resolved(None, f"waiting for the live race: {exc}", waiting=True)


def resolve(cue: Cue, competition: Competition | None, live: LiveView | None = None) -> Resolved:
    kind = graphic_kind(cue.graphic)
    if kind is None:
        return Resolved(None, f"unknown graphic {cue.graphic!r}")
    model: type[BaseModel] = data_model(kind)
    base: dict[str, Any] = {}
    if cue.binding is not None and cue.binding.live:
        found = _live_base(kind, cue, competition, live)
        if isinstance(found, Resolved):
            return found
        base = found
    elif cue.binding is not None and not cue.binding.is_empty:
        if competition is None:
            return Resolved(None, "waiting for data: no data loaded yet", waiting=True)
        selection = Selection.model_validate(cue.binding.selection())
        try:
            bound = bind(kind, competition, selection)
        except BindingError as exc:
            return Resolved(None, f"waiting for data: {exc}", waiting=True)
        base = bound.model_dump(mode="json")
    try:
        data = model.model_validate(_merge(base, cue.data))
    except ValidationError as exc:
        return Resolved(None, f"incomplete: {_first_error(exc)}")
    return Resolved(data.model_dump(mode="json"))
