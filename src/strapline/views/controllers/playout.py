"""Playout on the desk: the transport actions, the question when new data reaches an on-air
cue, the tally the status bar shows, and each cue's state and countdown in the rundown."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine
from typing import Any

from strapline.domain.playout import ChannelState
from strapline.domain.rundown import Action, Cue
from strapline.services.playout import ActionResult, PlayoutService
from strapline.views.operator import Choice, PlayoutView

Spawn = Callable[..., "asyncio.Task[Any]"]  # (coroutine, now=False) -> task
UPDATE_KEY = "update:"


class PlayoutController:
    def __init__(
        self,
        playout: PlayoutService,
        view: PlayoutView,
        spawn: Callable[[Coroutine[Any, Any, Any], bool], asyncio.Task[Any]],
        renderers_online: Callable[[], bool | None] = lambda: None,
        confirmed: Callable[[str], tuple[bool, ChannelState | None]] = lambda _o: (True, None),
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`renderers_online`: whether any renderer answers (None: not known, no outputs);
        `confirmed(output_id)`: whether a renderer of that output answers; `clock`: the
        clock the tally's take times are read on."""
        self.playout = playout
        self.view = view
        self._spawn = spawn
        self._online = renderers_online
        self._confirmed = confirmed
        self._clock = clock
        playout.pending_update.connect(self.on_pending_update)
        playout.tally_changed.connect(self.on_tally)

    def request(self, action: str) -> asyncio.Task[ActionResult] | None:
        """Run a playout action (a hotkey, a button, a menu item) as an asyncio task, started
        here: its OSC datagram leaves before this returns (the wait for the renderer's
        acknowledgement goes on in the task). Cue and Take with no cue selected (the preview
        shows a graphic that is not in the rundown) do nothing and say why."""
        act = Action(action)
        svc = self.playout
        if act in (Action.CUE, Action.TAKE) and svc.selected is None:
            self.view.set_status(
                "Nothing to take: the preview is not in the rundown. Add it (Add to rundown) "
                "or pick a cue.",
                error=True,
            )
            return None
        coro = {
            Action.CUE: svc.cue,
            Action.TAKE: svc.take,
            Action.NEXT: svc.next,
            Action.OUT: svc.out,
            Action.UPDATE: svc.update,
            Action.CLEAR: svc.clear,
            Action.PANIC: svc.panic,
        }[act]()
        return self._spawn(coro, True)

    # ---- new data for an on-air cue: a question answered later ------------------------------
    def on_pending_update(self, cue_id: str) -> None:
        cue = self.playout.shows.show.rundown.cue(cue_id)
        title = cue.title if cue else cue_id
        self.view.set_status(f"New data for on-air {title}: press Update to air it")
        self.view.ask(
            f"{UPDATE_KEY}{cue_id}",
            f"New data for “{title}”, now on air. Update air now?",
            [
                Choice("&Update air", lambda: self._spawn(self.playout.update(cue_id), False)),
                Choice("&Keep air as it is", lambda: self.playout.dismiss_update(cue_id)),
            ],
        )

    def on_tally(self) -> None:
        # a question about new data goes once that data is on air or declined
        for key in [k for k in self.view.asked() if k.startswith(UPDATE_KEY)]:
            if self.playout.state_of(key.removeprefix(UPDATE_KEY)) != "pending":
                self.view.dismiss(key)
        self.refresh_tally()

    def refresh_tally(self) -> None:
        """The status bar's tally: what the renderers acknowledged, unless none is online (then
        it never says ON AIR: what air shows is not known)."""
        rundown = self.playout.shows.show.rundown
        on_air = []
        for cid in self.playout.on_air_cues():
            cue = rundown.cue(cid)
            on_air.append(cue.title if cue else cid)
        if on_air and self._online() is False:
            self.view.set_tally(f"NO RENDERER ONLINE (last taken: {', '.join(on_air)})", False)
        else:
            self.view.set_tally(
                f"ON AIR: {', '.join(on_air)}" if on_air else "nothing on air", bool(on_air)
            )

    # ---- each cue in the rundown ----------------------------------------------------------
    def cue_status(self, cue: Cue) -> tuple[str, str]:
        """A cue's state in the rundown and what is wrong with it. A cue taken while no
        renderer of its output answers is "unconfirmed", never on air."""
        state = self.playout.state_of(cue.id)
        problem = "" if state in ("on-air", "cued", "ready") else self.playout.resolve(cue).problem
        if state == "pending":
            problem = "New data has arrived: press Update to put it on air"
        if state in ("on-air", "pending"):
            out = self.playout.shows.show.output(cue.output)
            if out is not None and not self._confirmed(out.id)[0]:
                # taken, but no renderer of its output answers: air is not known
                return (
                    "unconfirmed",
                    "No renderer of its output answers: what air shows is not known",
                )
        return state, problem

    def countdown(self, cue: Cue) -> float | None:
        """Seconds left before an on-air cue with out-after goes out by itself."""
        if not cue.duration_s:
            return None
        for t in self.playout.tally.values():
            if t.on_air == cue.id and t.auto_out is not None:
                return float(cue.duration_s - (self._clock() - t.taken_at))
        return None
