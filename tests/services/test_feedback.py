"""Desk feedback: what the buttons are told after each take, cue and selection."""

from __future__ import annotations

import pytest
from service_fakes import RecordingPlayout, make_competition

from strapline.domain.rundown import Cue, CueBinding, Show
from strapline.osc.feedback import FeedbackSender, FeedbackTarget, feedback_messages
from strapline.services.data import DataService
from strapline.services.feedback import DeskFeedback
from strapline.services.playout import PlayoutService
from strapline.services.show import ShowService

LOWER = Cue(
    id="lt", name="Roussel", graphic="lower-third", binding=CueBinding(event_id="m500", row=0)
)
PODIUM = Cue(
    id="pod", name="Podium", graphic="podium", binding=CueBinding(event_id="m500"), layer=30
)
WAITING = Cue(id="w", name="Later", graphic="podium", binding=CueBinding(event_id="w500"))


class Recording(FeedbackSender):
    """A sender that keeps what it would send."""

    def __init__(self) -> None:
        super().__init__([FeedbackTarget("127.0.0.1", 9)])
        self.published: list[dict[str, object]] = []

    def publish(self, fb: object) -> int:
        self.published.append(dict(feedback_messages(fb)))  # type: ignore[arg-type]
        return super().publish(fb)  # type: ignore[arg-type]


def _desk() -> tuple[PlayoutService, DeskFeedback, Recording]:
    shows = ShowService(Show())
    for cue in (LOWER, PODIUM, WAITING):
        shows.add_cue(cue)
    data = DataService()
    data.set_competition(make_competition())
    rec = RecordingPlayout()
    playout = PlayoutService(shows, data, lambda _o: rec)
    sender = Recording()
    online = {"program": True}
    return playout, DeskFeedback(playout, sender, online=online.__getitem__), sender


@pytest.mark.asyncio
async def test_take_cue_and_select_are_fed_back() -> None:
    playout, desk, sender = _desk()
    playout.select("lt")
    last = sender.published[-1]
    assert last["/custom-variable/strapline_selected/value"] == ("s", "Roussel")
    assert last["/custom-variable/strapline_next/value"] == ("s", "Podium")
    assert (await playout.take("lt")).ok
    last = sender.published[-1]
    assert last["/custom-variable/strapline_program_on_air/value"] == ("s", "Roussel")
    assert last["/strapline/v1/feedback/output/program/on_air_id"] == ("s", "lt")
    assert last["/strapline/v1/feedback/cue/1/tally"] == ("s", "on-air")
    assert last["/strapline/v1/feedback/on_air"] == ("i", 1)
    assert last["/custom-variable/strapline_program_online/value"] == ("s", "1")
    assert (await playout.cue("pod")).ok
    last = sender.published[-1]
    assert last["/custom-variable/strapline_program_cued/value"] == ("s", "Podium")
    assert last["/strapline/v1/feedback/cue/2/tally"] == ("s", "cued")
    assert last["/strapline/v1/feedback/cue/3/tally"] == ("s", "waiting")
    assert (await playout.panic()).ok
    last = sender.published[-1]
    assert last["/custom-variable/strapline_program_on_air/value"] == ("s", "")
    assert last["/strapline/v1/feedback/on_air"] == ("i", 0)
    desk.sender.close()


def test_no_target_builds_nothing() -> None:
    playout, desk, sender = _desk()
    sender.set_targets([])
    playout.select("lt")
    assert desk.publish() == 0
    assert sender.published == []
