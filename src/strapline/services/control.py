"""Stream Deck / Companion buttons on the rundown: the ControlHandler that strapline.osc's
ControlListener calls. What the buttons show comes from services.feedback."""

from __future__ import annotations

from strapline.osc.control import ControlListener
from strapline.services.playout import PlayoutService


class RundownControl:
    """Runs control commands through the same PlayoutService the window uses."""

    def __init__(self, playout: PlayoutService) -> None:
        self.playout = playout
        self.listener: ControlListener | None = None

    def _order(self) -> list[str]:
        return [c.id for c in self.playout.shows.show.rundown.cues()]

    def _step(self, delta: int) -> None:
        order = self._order()
        if not order:
            return
        sel = self.playout.selected
        i = order.index(sel) + delta if sel in order else (0 if delta > 0 else len(order) - 1)
        self.playout.select(order[max(0, min(i, len(order) - 1))])

    async def next(self) -> None:
        self._step(+1)

    async def previous(self) -> None:
        self._step(-1)

    async def take(self) -> None:
        await self.playout.take()

    async def out(self) -> None:
        await self.playout.out()

    async def cue(self, ref: str | int) -> None:
        order = self._order()
        if isinstance(ref, int):
            if 1 <= ref <= len(order):
                self.playout.select(order[ref - 1])
            else:
                self.playout.message.emit("error", f"control: no cue number {ref}")
        elif ref in order:
            self.playout.select(ref)
        else:
            self.playout.message.emit("error", f"control: no cue with id {ref!r}")

    async def update(self) -> None:
        await self.playout.update()

    async def clear(self) -> None:
        await self.playout.clear()

    async def panic(self) -> None:
        await self.playout.panic()
