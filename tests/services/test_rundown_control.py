from __future__ import annotations

import pytest
from service_fakes import RecordingPlayout, make_competition

from strapline.domain.rundown import Cue, CueBinding, Show
from strapline.services.control import RundownControl
from strapline.services.data import DataService
from strapline.services.playout import PlayoutService
from strapline.services.show import ShowService


@pytest.mark.asyncio
async def test_buttons_drive_the_rundown() -> None:
    shows = ShowService(Show())
    for i in range(3):
        shows.add_cue(
            Cue(id=f"c{i}", graphic="lower-third", binding=CueBinding(event_id="m500", row=i))
        )
    data = DataService()
    data.set_competition(make_competition())
    rec = RecordingPlayout()
    svc = PlayoutService(shows, data, lambda _o: rec)
    control = RundownControl(svc)
    await control.next()
    assert svc.selected == "c0"
    await control.next()
    await control.next()
    await control.next()
    assert svc.selected == "c2"  # stops at the end
    await control.previous()
    assert svc.selected == "c1"
    await control.cue(1)
    assert svc.selected == "c0"
    await control.cue("c2")
    await control.take()
    assert svc.state_of("c2") == "on-air"
    errors: list[str] = []
    svc.message.connect(lambda level, text: errors.append(text))
    await control.cue(9)
    assert "no cue number 9" in errors[-1]
    await control.panic()
    assert rec.names()[-1] == "panic"
