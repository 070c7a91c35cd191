"""What the desk shows, sent to Stream Deck / Companion buttons (strapline.osc.feedback).

`DeskFeedback` builds the feedback from the playout service (the selected and next cue, what
each output has on air and cued, each cue's tally) and the outputs' health (online or not),
and publishes it on every tally, selection or rundown change; the app publishes it too when a
renderer comes or goes (its health tick). Every few seconds everything is sent again, for a
Companion that restarted.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from strapline.osc.feedback import (
    CueFeedback,
    Feedback,
    FeedbackSender,
    FeedbackTarget,
    OutputFeedback,
    parse_target,
)
from strapline.services.playout import PlayoutService

log = logging.getLogger(__name__)
__all__ = ["DeskFeedback", "FeedbackSender", "FeedbackTarget", "parse_target"]

OnlineFn = Callable[[str], bool]  # output id -> any renderer of it online


class DeskFeedback:
    def __init__(
        self,
        playout: PlayoutService,
        sender: FeedbackSender,
        online: OnlineFn | None = None,
        resend_s: float = 5.0,
    ) -> None:
        """It publishes on every tally, selection or show change (and the app publishes when a
        renderer comes or goes); every `resend_s` it sends everything again."""
        self.playout = playout
        self.sender = sender
        self.online = online or (lambda _output: False)
        self.resend_s = resend_s
        self._task: asyncio.Task[None] | None = None
        playout.tally_changed.connect(self.publish)
        playout.selection_changed.connect(lambda _cue: self.publish())
        playout.shows.changed.connect(lambda _part: self.publish())

    def snapshot(self) -> Feedback:
        pl = self.playout
        show = pl.shows.show
        rundown = show.rundown
        title = {c.id: c.title for c in rundown.cues()}
        selected = pl.selected or ""
        nxt = rundown.next_after(pl.selected)
        outputs = []
        for out in show.outputs:
            layers = sorted(
                (t for t in pl.tally.values() if t.output == out.id), key=lambda t: t.layer
            )
            on_air = next((t.on_air for t in reversed(layers) if t.on_air), "") or ""
            cued = next((t.cued for t in reversed(layers) if t.cued), "") or ""
            outputs.append(
                OutputFeedback(
                    id=out.id,
                    on_air=title.get(on_air, on_air),
                    on_air_id=on_air,
                    cued=title.get(cued, cued),
                    cued_id=cued,
                    online=self.online(out.id),
                )
            )
        cues = tuple(
            CueFeedback(n, c.id, c.title, pl.state_of_cue(c))
            for n, c in enumerate(rundown.cues(), start=1)
        )
        return Feedback(
            selected=title.get(selected, ""),
            selected_id=selected,
            next=nxt.title if nxt else "",
            next_id=nxt.id if nxt else "",
            outputs=tuple(outputs),
            cues=cues,
        )

    def publish(self) -> int:
        """Send what changed since the last publish (the number of messages per target)."""
        if not self.sender.targets:
            return 0  # nobody listens: nothing to build
        return self.sender.publish(self.snapshot())

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run())
        self.publish()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.resend_s)
            try:
                self.sender.resend()  # for a receiver that restarted
            except Exception:  # feedback never stops the show
                log.exception("feedback failed")
