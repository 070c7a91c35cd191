"""The graphic being prepared: what the graphics panel edits and the preview shows.

It is either a scratch graphic (picked from the data: a skater row gives a lower third, a final
gives a podium card, a standings table gives a standings graphic) or a cue of the rundown, whose
edits go through the ShowService and so can be undone.
"""

from __future__ import annotations

from typing import Any

from strapline.domain.graphics import GraphicKind
from strapline.domain.model import Competition, Race
from strapline.domain.rundown import Cue, CueBinding
from strapline.services.bindings import Resolved, resolve
from strapline.services.data import DataService
from strapline.services.show import Edit, ShowService
from strapline.services.signals import Signal


def default_kind_for_race(race: Race) -> GraphicKind:
    if race.results and race.round.kind.is_final:
        return GraphicKind.PODIUM
    if race.results:
        return GraphicKind.RESULT_LIST
    return GraphicKind.START_LIST


class GraphicEditor:
    def __init__(self, shows: ShowService, data: DataService) -> None:
        self.shows = shows
        self.data = data
        self.cue_id: str | None = None
        self._scratch = Cue(graphic=GraphicKind.LOWER_THIRD.value)
        # what the operator changes here (a pick, a kind, a field); a change of the show or the
        # data reaches the views from those services once, not a second time through here
        self.changed: Signal[[]] = Signal()

    @property
    def cue(self) -> Cue:
        """The graphic as a cue (the rundown's cue when editing one)."""
        if self.cue_id is not None:
            cue = self.shows.show.rundown.cue(self.cue_id)
            if cue is not None:
                return cue
            self.cue_id = None
        return self._scratch

    @property
    def editing_cue(self) -> bool:
        return self.cue_id is not None and self.shows.show.rundown.cue(self.cue_id) is not None

    def resolved(self) -> Resolved:
        return resolve(self.cue, self.data.competition)

    def theme(self) -> str:
        return self.cue.theme or self.shows.show.theme

    # ---- what the operator picks ----------------------------------------------------------------
    def edit_cue(self, cue_id: str | None) -> None:
        """Edit a rundown cue (None: back to the scratch graphic). Picking the cue already
        edited changes nothing (the rundown re-selects its current cue after every edit)."""
        if (cue_id or None) == self.cue_id and cue_id:
            return
        self.cue_id = cue_id or None
        self.changed.emit()

    def _scratch_from(self, kind: str, binding: CueBinding) -> None:
        if (
            self.cue_id is None
            and self._scratch.graphic == kind
            and self._scratch.binding == binding
        ):
            return  # picked again: nothing changes, nothing to redraw
        self.cue_id = None
        self._scratch = Cue(
            graphic=kind, binding=binding, theme=self._scratch.theme, output=self._scratch.output
        )
        self.changed.emit()

    def pick_row(self, event_id: str, race_id: str, row: int, competitor_id: str) -> None:
        binding = CueBinding(
            event_id=event_id, race_id=race_id, competitor_id=competitor_id or None
        )
        if not competitor_id:
            binding.row = row
        self._scratch_from(GraphicKind.LOWER_THIRD.value, binding)

    def pick_race(self, event_id: str, race_id: str) -> None:
        comp: Competition | None = self.data.competition
        event = comp.event(event_id) if comp else None
        race = event.race(race_id) if event else None
        kind = default_kind_for_race(race) if race else GraphicKind.START_LIST
        self._scratch_from(kind.value, CueBinding(event_id=event_id, race_id=race_id))

    def pick_standings(self, standings_id: str, competitor_id: str = "") -> None:
        self._scratch_from(
            GraphicKind.STANDINGS.value,
            CueBinding(standings_id=standings_id, competitor_id=competitor_id or None),
        )

    # ---- edits ----------------------------------------------------------------------------------
    def _change(self, **fields: Any) -> Edit | None:
        """Change the graphic: an undoable Edit for a rundown cue, None for the scratch one."""
        if self.editing_cue and self.cue_id is not None:
            return self.shows.update_cue(self.cue_id, **fields)
        self._scratch = Cue.model_validate({**self._scratch.model_dump(), **fields})
        self.changed.emit()
        return None

    def set_kind(self, kind: str) -> Edit | None:
        GraphicKind(kind)  # ValueError for an unknown kind
        return self._change(graphic=kind, data={})

    def set_theme(self, theme: str) -> Edit | None:
        return self._change(theme=theme)

    def set_field(self, name: str, value: Any) -> Edit | None:
        """Type a value for one data field: it wins over the bound data from now on."""
        return self._change(data={**self.cue.data, name: value})

    def reset_field(self, name: str) -> Edit | None:
        """Forget the typed value: the field follows the bound data again."""
        data = {k: v for k, v in self.cue.data.items() if k != name}
        return self._change(data=data)

    def new_cue(self, name: str = "") -> Cue:
        """A rundown cue made of the scratch graphic (a new id each time)."""
        base = self.cue.model_copy(deep=True)
        return Cue.model_validate(
            {
                **base.model_dump(exclude={"id", "locked"}),
                "name": name or base.name or self.default_name(),
            }
        )

    def default_name(self) -> str:
        res = self.resolved()
        data = res.data or {}
        label = str(
            data.get("title")
            or " ".join(str(data.get(k, "")) for k in ("given_name", "family_name")).strip()
            or data.get("event")
            or data.get("name")
            or ""
        )
        kind = self.cue.graphic.replace("-", " ")
        return f"{kind}: {label}" if label else kind
