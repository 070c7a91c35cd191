"""The operator's playout actions: cue, take, next, out, update, clear, panic.

`PlayoutService` drives one `Playout` per output. The tally (what is cued, what is on air) moves
only when a renderer acknowledges, so the app never shows as on air what is not. A cue bound to
data re-resolves when the data changes: a cued cue reloads by itself; an on-air cue updates by
itself only when it is set to auto-update, and otherwise waits for the operator's consent
(`pending_update`). Every action returns an `ActionResult` with a message for the operator.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from strapline.domain.graphics import steps
from strapline.domain.playout import ChannelState, Outcome, Playout
from strapline.domain.rundown import Cue, OutputConfig
from strapline.services.bindings import Resolved, graphic_kind, resolve
from strapline.services.data import DataService, DataState
from strapline.services.live import LiveRaceService, LiveView
from strapline.services.show import ShowChange, ShowService
from strapline.services.signals import Signal

log = logging.getLogger(__name__)

PlayoutFactory = Callable[[OutputConfig], Playout]
LayerKey = tuple[str, int]


@dataclass
class LayerTally:
    """One layer of one output, as the renderers acknowledged it."""

    output: str
    layer: int
    cued: str | None = None
    cued_data: dict[str, Any] | None = None
    on_air: str | None = None
    data: dict[str, Any] | None = None
    step: int = 0
    pending: dict[str, Any] | None = None
    taken_at: float = 0.0
    auto_out: asyncio.TimerHandle | None = field(default=None, repr=False)


@dataclass(frozen=True)
class ActionResult:
    ok: bool
    message: str
    outcomes: tuple[Outcome, ...] = ()


def _summary(outcomes: list[Outcome]) -> str:
    bad = [o for o in outcomes if not o.ok]
    if not bad:
        return ""
    return "; ".join(
        f"{o.target or 'renderer'}: {o.kind.value}{' (' + o.reason + ')' if o.reason else ''}"
        for o in bad
    )


class _Reporter:
    """The playout service's listener on one output's reported state (one per playout)."""

    def __init__(self, service: PlayoutService, output_id: str) -> None:
        self.service = service
        self.output_id = output_id

    def __call__(self, state: ChannelState) -> None:
        self.service._reported(self.output_id, state)


class PlayoutService:
    def __init__(self, shows: ShowService, data: DataService, factory: PlayoutFactory) -> None:
        self.shows = shows
        self.data = data
        # the factory owns the playouts (OutputsService keeps one per output and remakes it
        # when its targets change); this service keeps none of its own
        self._factory = factory
        self.tally: dict[LayerKey, LayerTally] = {}
        self.selected: str | None = None
        self._taking: set[LayerKey] = set()
        self._cache: dict[str, tuple[int, str, Resolved]] = {}
        self.tally_changed: Signal[[]] = Signal()
        self.selection_changed: Signal[[str | None]] = Signal()
        self.message: Signal[[str, str]] = Signal()  # level ("info", "error"), text
        self.pending_update: Signal[[str]] = Signal()  # cue id whose new data awaits consent
        self.outcomes: Signal[[str, list[Outcome]]] = Signal()  # output id, outcomes
        self.live: LiveRaceService | None = None
        data.changed.connect(self._on_data_changed)
        shows.changed.connect(self._on_show_changed)

    # ---- lookups ------------------------------------------------------------------------------
    def playout(self, output: OutputConfig) -> Playout:
        pl = self._factory(output)
        # an OSC output reports the renderer's own state after a doubt: listen to it once
        reconciled = getattr(pl, "reconciled", None)
        if isinstance(reconciled, list) and not any(
            getattr(cb, "output_id", None) == output.id for cb in reconciled
        ):
            reconciled.append(_Reporter(self, output.id))
        return pl

    def _reported(self, output: str, state: ChannelState) -> None:
        """A renderer's own state, asked for after a doubt (an outage, an unanswered command):
        a layer the tally shows on air that the renderer does not show goes off the tally."""
        shown = {ls.layer: ls for ls in state.layers if ls.on_air}
        changed = False
        for tl in self.tally.values():
            if tl.output != output or tl.on_air is None:
                continue
            ls = shown.get(tl.layer)
            if ls is None or ls.data != tl.data:
                cue = self.shows.show.rundown.cue(tl.on_air)
                title = cue.title if cue is not None else tl.on_air
                self._off_air(tl)
                changed = True
                self.message.emit("error", f"{title} is not on air (the renderer reports it)")
        for number, ls in shown.items():
            known = self.tally.get((output, number))
            if known is None or known.on_air is None:
                self.message.emit(
                    "error", f"layer {number} shows {ls.graphic}, which no take confirmed"
                )
        if changed:
            self.tally_changed.emit()

    def playouts(self) -> dict[str, Playout]:
        """Every output's playout (made now if need be: their sockets open at once)."""
        return {out.id: self.playout(out) for out in self.shows.show.outputs}

    def _on_show_changed(self, change: ShowChange) -> None:
        if change.part == "show":
            for t in self.tally.values():
                if t.auto_out:
                    t.auto_out.cancel()
            self.tally.clear()
            self.selected = None
            self.tally_changed.emit()
        self._cache.clear()

    def attach_live(self, live: LiveRaceService) -> None:
        """Resolve cues bound to the live race from this service's race; when the race
        changes, they reload (cued) or update (on air, with auto-update) as for new data."""
        self.live = live
        live.changed.connect(lambda: self._on_data_changed(self.data.state))

    def _live_view(self, cue: Cue) -> LiveView | None:
        if self.live is None:
            return None
        out = self.output_of(cue)
        estimates: list[float | None] = []
        if out is not None:
            health = getattr(self.playout(out), "health", None)
            if callable(health):
                estimates = [h.clock_offset_s for h in health() if h.online]
        return self.live.view(self.live.offset_for(out.id if out else "", estimates))

    def resolve(self, cue: Cue) -> Resolved:
        """The cue's data now (cached per data generation and cue content; a cue bound to the
        live race is resolved afresh from the race)."""
        if cue.binding is not None and cue.binding.live:
            return resolve(cue, self.data.competition, self._live_view(cue))
        gen = self.data.state.generation
        key = cue.model_dump_json()
        hit = self._cache.get(cue.id)
        if hit is not None and hit[0] == gen and hit[1] == key:
            return hit[2]
        res = resolve(cue, self.data.competition)
        self._cache[cue.id] = (gen, key, res)
        return res

    def output_of(self, cue: Cue) -> OutputConfig | None:
        return self.shows.show.output(cue.output)

    def layer(self, cue: Cue) -> LayerTally | None:
        out = self.output_of(cue)
        if out is None:
            return None
        return self.tally.setdefault((out.id, cue.layer), LayerTally(out.id, cue.layer))

    def state_of(self, cue_id: str) -> str:
        """One of on-air, cued, pending (new data awaits consent), waiting, invalid, ready."""
        cue = self.shows.show.rundown.cue(cue_id)
        if cue is None:
            return "invalid"
        return self.state_of_cue(cue)

    def state_of_cue(self, cue: Cue) -> str:
        """state_of for a cue already in hand (no search of the rundown: a loop over every
        cue stays linear)."""
        cue_id = cue.id
        out = self.output_of(cue)
        tl = self.tally.get((out.id, cue.layer)) if out else None
        if tl is not None and tl.on_air == cue_id:
            return "pending" if tl.pending is not None else "on-air"
        if tl is not None and tl.cued == cue_id:
            return "cued"
        res = self.resolve(cue)
        if res.ready:
            return "ready"
        return "waiting" if res.waiting else "invalid"

    def on_air_cues(self) -> list[str]:
        return [t.on_air for t in self.tally.values() if t.on_air]

    def select(self, cue_id: str | None) -> None:
        if cue_id != self.selected:
            self.selected = cue_id
            self.selection_changed.emit(cue_id)

    def _target(self, cue_id: str | None) -> tuple[Cue, OutputConfig, LayerTally] | ActionResult:
        cue_id = cue_id or self.selected
        if cue_id is None:
            return ActionResult(False, "no cue selected")
        cue = self.shows.show.rundown.cue(cue_id)
        if cue is None:
            return ActionResult(False, f"no cue {cue_id!r} in the rundown")
        out = self.output_of(cue)
        if out is None:
            return ActionResult(False, f"cue {cue.title!r}: output {cue.output!r} is not defined")
        tl = self.tally.setdefault((out.id, cue.layer), LayerTally(out.id, cue.layer))
        return cue, out, tl

    def _theme(self, cue: Cue) -> str:
        return cue.theme or self.shows.show.theme

    def _report(self, result: ActionResult) -> ActionResult:
        self.message.emit("info" if result.ok else "error", result.message)
        return result

    def _done(self, output: str, outcomes: list[Outcome]) -> bool:
        self.outcomes.emit(output, outcomes)
        return any(o.ok for o in outcomes)

    # ---- actions ------------------------------------------------------------------------------
    async def cue(self, cue_id: str | None = None) -> ActionResult:
        """Load the cue's graphic and data on its layer, ready to take."""
        found = self._target(cue_id)
        if isinstance(found, ActionResult):
            return self._report(found)
        cue, out, tl = found
        res = self.resolve(cue)
        if res.data is None:
            return self._report(ActionResult(False, f"{cue.title}: {res.problem}"))
        outcomes = await self.playout(out).load(cue.layer, cue.graphic, res.data, self._theme(cue))
        if not self._done(out.id, outcomes):
            return self._report(
                ActionResult(False, f"cue {cue.title}: {_summary(outcomes)}", tuple(outcomes))
            )
        tl.cued, tl.cued_data = cue.id, res.data
        self.tally_changed.emit()
        warn = _summary(outcomes)
        text = f"cued {cue.title}" + (f" (not everywhere: {warn})" if warn else "")
        return self._report(ActionResult(True, text, tuple(outcomes)))

    async def take(self, cue_id: str | None = None) -> ActionResult:
        """Play the cue (loading it first unless it is cued with the same data)."""
        found = self._target(cue_id)
        if isinstance(found, ActionResult):
            return self._report(found)
        cue, out, tl = found
        if tl.on_air == cue.id:  # a second press must not step a multi-page graphic on
            return self._report(ActionResult(False, f"{cue.title} is already on air"))
        key = (out.id, cue.layer)
        if key in self._taking:
            return self._report(ActionResult(False, f"a take on layer {cue.layer} is under way"))
        self._taking.add(key)
        try:
            return await self._take(cue, out, tl)
        finally:
            self._taking.discard(key)

    async def _take(self, cue: Cue, out: OutputConfig, tl: LayerTally) -> ActionResult:
        pl = self.playout(out)
        res = self.resolve(cue)
        if tl.cued == cue.id and tl.cued_data is not None and tl.cued_data == res.data:
            data = tl.cued_data  # loaded with the data the preview shows: play it
        else:
            if res.data is None:
                return self._report(ActionResult(False, f"{cue.title}: {res.problem}"))
            data = res.data
            loaded = await pl.load(cue.layer, cue.graphic, data, self._theme(cue))
            if not self._done(out.id, loaded):
                return self._report(
                    ActionResult(False, f"take {cue.title}: {_summary(loaded)}", tuple(loaded))
                )
        outcomes = await pl.play(cue.layer)
        if not self._done(out.id, outcomes):
            return self._report(
                ActionResult(False, f"take {cue.title}: {_summary(outcomes)}", tuple(outcomes))
            )
        if tl.auto_out is not None:
            tl.auto_out.cancel()
            tl.auto_out = None
        tl.on_air, tl.data, tl.step, tl.pending = cue.id, data, 0, None
        tl.cued, tl.cued_data = None, None
        tl.taken_at = time.monotonic()
        if cue.duration_s is not None:
            loop = asyncio.get_running_loop()
            tl.auto_out = loop.call_later(cue.duration_s, self._auto_out, out.id, cue.layer, cue.id)
        self.tally_changed.emit()
        warn = _summary(outcomes)
        result = self._report(
            ActionResult(
                True,
                f"on air: {cue.title}" + (f" (not everywhere: {warn})" if warn else ""),
                tuple(outcomes),
            )
        )
        if cue.auto_next:
            nxt = self.shows.show.rundown.next_after(cue.id)
            if nxt is not None:
                self.select(nxt.id)
                await self.cue(nxt.id)
        return result

    def _auto_out(self, output: str, layer: int, cue_id: str) -> None:
        tl = self.tally.get((output, layer))
        if tl is not None and tl.on_air == cue_id:
            tl.auto_out = None
            asyncio.get_running_loop().create_task(self.out(cue_id))

    async def next(self) -> ActionResult:
        """Next page of the selected on-air graphic; past the last page, cue the next cue."""
        found = self._target(None)
        if not isinstance(found, ActionResult):
            cue, out, tl = found
            kind = graphic_kind(cue.graphic)
            if tl.on_air == cue.id and tl.data is not None and kind is not None:
                pages = steps(kind, tl.data)
                if tl.step + 1 < pages:
                    outcomes = await self.playout(out).play(cue.layer, tl.step + 1)
                    if not self._done(out.id, outcomes):
                        return self._report(
                            ActionResult(False, f"next page: {_summary(outcomes)}", tuple(outcomes))
                        )
                    tl.step += 1
                    self.tally_changed.emit()
                    return self._report(
                        ActionResult(True, f"{cue.title}: page {tl.step + 1} of {pages}")
                    )
        nxt = self.shows.show.rundown.next_after(self.selected)
        if nxt is None:
            return self._report(ActionResult(False, "end of the rundown"))
        self.select(nxt.id)
        return await self.cue(nxt.id)

    async def out(self, cue_id: str | None = None) -> ActionResult:
        """Animate the cue's layer out."""
        found = self._target(cue_id)
        if isinstance(found, ActionResult):
            return self._report(found)
        cue, out, tl = found
        outcomes = await self.playout(out).stop(cue.layer)
        if not self._done(out.id, outcomes):
            return self._report(ActionResult(False, f"out: {_summary(outcomes)}", tuple(outcomes)))
        title = cue.title
        if tl.on_air and tl.on_air != cue.id:
            other = self.shows.show.rundown.cue(tl.on_air)
            title = other.title if other else title
        self._off_air(tl)
        self.tally_changed.emit()
        return self._report(ActionResult(True, f"out: {title}", tuple(outcomes)))

    def _off_air(self, tl: LayerTally) -> None:
        if tl.auto_out is not None:
            tl.auto_out.cancel()
        tl.on_air, tl.data, tl.step, tl.pending, tl.auto_out = None, None, 0, None, None

    async def update(self, cue_id: str | None = None) -> ActionResult:
        """Send the cue's current data to its on-air graphic (the operator's consent)."""
        found = self._target(cue_id)
        if isinstance(found, ActionResult):
            return self._report(found)
        cue, out, tl = found
        if tl.on_air != cue.id:
            return self._report(ActionResult(False, f"{cue.title} is not on air"))
        res = self.resolve(cue)
        if res.data is None:
            return self._report(ActionResult(False, f"update {cue.title}: {res.problem}"))
        outcomes = await self.playout(out).update(cue.layer, res.data)
        if not self._done(out.id, outcomes):
            return self._report(
                ActionResult(False, f"update {cue.title}: {_summary(outcomes)}", tuple(outcomes))
            )
        tl.data, tl.pending = res.data, None
        self.tally_changed.emit()
        return self._report(ActionResult(True, f"updated {cue.title}", tuple(outcomes)))

    def dismiss_update(self, cue_id: str) -> None:
        """The operator declined the new data: air keeps what it shows."""
        for tl in self.tally.values():
            if tl.on_air == cue_id:
                tl.pending = None
        self.tally_changed.emit()

    async def clear(self) -> ActionResult:
        """Clear every layer of every output at once (no animation)."""
        outcomes: list[Outcome] = []
        for out in self.shows.show.outputs:
            got = await self.playout(out).clear()
            if self._done(out.id, got):
                for tl in self.tally.values():
                    if tl.output == out.id:
                        self._off_air(tl)
                        tl.cued, tl.cued_data = None, None
            outcomes.extend(got)
        self.tally_changed.emit()
        warn = _summary(outcomes)
        return self._report(
            ActionResult(not warn, f"clear: {warn}" if warn else "cleared", tuple(outcomes))
        )

    async def panic(self) -> ActionResult:
        """Everything off air now, on every output, whatever state it is in."""
        results = await asyncio.gather(
            *(self.playout(out).panic() for out in self.shows.show.outputs)
        )
        outcomes: list[Outcome] = []
        for out, got in zip(self.shows.show.outputs, results, strict=True):
            if self._done(out.id, got):
                for tl in self.tally.values():
                    if tl.output == out.id:
                        self._off_air(tl)
                        tl.cued, tl.cued_data = None, None
            outcomes.extend(got)
        self.tally_changed.emit()
        warn = _summary(outcomes)
        return self._report(
            ActionResult(
                not warn, f"PANIC: {warn}" if warn else "PANIC: all clear", tuple(outcomes)
            )
        )

    # ---- live data ----------------------------------------------------------------------------
    def _on_data_changed(self, state: DataState) -> None:
        self._cache.clear()
        loop: asyncio.AbstractEventLoop | None
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        for tl in list(self.tally.values()):
            # a layer can have one cue on air and another cued: each is looked at on its own
            # (an on-air cue whose data did not change must not stop the cued one reloading)
            self._reconsider_on_air(tl, loop)
            self._reload_cued(tl, loop)
        self.tally_changed.emit()

    def _bound(self, cue_id: str | None) -> Cue | None:
        cue = self.shows.show.rundown.cue(cue_id) if cue_id else None
        return cue if cue is not None and cue.binding is not None else None

    def _reconsider_on_air(self, tl: LayerTally, loop: asyncio.AbstractEventLoop | None) -> None:
        """New data for an on-air cue: update air (auto-update) or ask the operator."""
        cue = self._bound(tl.on_air)
        if cue is None:
            return
        res = self.resolve(cue)
        if res.data is None or res.data == tl.data:
            return
        if cue.auto_update and loop is not None:
            loop.create_task(self.update(cue.id))
        else:
            tl.pending = res.data
            self.pending_update.emit(cue.id)

    def _reload_cued(self, tl: LayerTally, loop: asyncio.AbstractEventLoop | None) -> None:
        """New data for a cued cue: load it again, so Take sends what the preview shows."""
        cue = self._bound(tl.cued)
        if cue is None or loop is None:
            return
        res = self.resolve(cue)
        if res.data is not None and res.data != tl.cued_data:
            loop.create_task(self.cue(cue.id))
