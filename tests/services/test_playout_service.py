from __future__ import annotations

import asyncio

import pytest
from service_fakes import RecordingPlayout, make_competition

from strapline.domain.model import Competition
from strapline.domain.playout import OutcomeKind
from strapline.domain.rundown import Cue, CueBinding, OutputConfig, Show
from strapline.services.data import DataService
from strapline.services.playout import PlayoutService
from strapline.services.show import ShowService


def _setup(
    *cues: Cue, with_results: bool = True
) -> tuple[PlayoutService, RecordingPlayout, DataService]:
    shows = ShowService(Show(theme="broadcast"))
    for cue in cues:
        shows.add_cue(cue)
    data = DataService()
    data.set_competition(make_competition(with_results=with_results))
    pl = RecordingPlayout()
    svc = PlayoutService(shows, data, lambda out: pl)
    return svc, pl, data


LOWER = Cue(
    id="lt", name="Roussel", graphic="lower-third", binding=CueBinding(event_id="m500", row=0)
)
PODIUM = Cue(
    id="pod", name="Podium", graphic="podium", binding=CueBinding(event_id="m500"), layer=30
)


@pytest.mark.asyncio
async def test_take_loads_then_plays_with_bound_data() -> None:
    svc, pl, _ = _setup(LOWER)
    svc.select("lt")
    result = await svc.take()
    assert result.ok, result.message
    assert pl.names() == ["load", "play"]
    layer, graphic, data, theme = pl.calls[0][1]
    assert (layer, graphic, theme) == (20, "lower-third", "broadcast")
    assert data["family_name"].upper() == "ROUSSEL"
    assert svc.state_of("lt") == "on-air"
    out = await svc.out()
    assert out.ok and pl.names()[-1] == "stop" and svc.state_of("lt") == "ready"


@pytest.mark.asyncio
async def test_cued_cue_takes_with_one_message() -> None:
    svc, pl, _ = _setup(LOWER)
    assert (await svc.cue("lt")).ok
    assert svc.state_of("lt") == "cued"
    await svc.take("lt")
    assert pl.names() == ["load", "play"]


@pytest.mark.asyncio
async def test_operator_fields_win_over_bound_data() -> None:
    cue = LOWER.model_copy(update={"data": {"info": "First World Cup gold"}})
    svc, pl, _ = _setup(cue)
    await svc.take("lt")
    assert pl.calls[0][1][2]["info"] == "First World Cup gold"


@pytest.mark.asyncio
async def test_renderer_that_does_not_answer_leaves_tally_alone() -> None:
    svc, pl, _ = _setup(LOWER)
    pl.kind = OutcomeKind.TIMEOUT
    messages: list[tuple[str, str]] = []
    svc.message.connect(lambda level, text: messages.append((level, text)))
    result = await svc.take("lt")
    assert not result.ok and "timeout" in result.message
    assert svc.state_of("lt") == "ready"
    assert messages[-1][0] == "error"


@pytest.mark.asyncio
async def test_cue_waits_for_data_then_fills_itself() -> None:
    svc, pl, data = _setup(PODIUM, with_results=False)
    assert svc.state_of("pod") == "waiting"
    result = await svc.take("pod")
    assert not result.ok and "waiting for data" in result.message
    assert pl.calls == []
    data.set_competition(make_competition(with_results=True))
    assert svc.state_of("pod") == "ready"
    assert (await svc.take("pod")).ok
    entries = pl.calls[0][1][2]["entries"]
    assert [e["place"] for e in entries] == [1, 2, 3]


@pytest.mark.asyncio
async def test_on_air_cue_asks_before_updating() -> None:
    svc, pl, data = _setup(LOWER)
    await svc.take("lt")
    pending: list[str] = []
    svc.pending_update.connect(pending.append)
    data.set_competition(make_competition(roussel_time=40_500))
    assert pending == ["lt"] and svc.state_of("lt") == "pending"
    assert "update" not in pl.names()
    assert (await svc.update("lt")).ok
    assert pl.names()[-1] == "update" and svc.state_of("lt") == "on-air"


@pytest.mark.asyncio
async def test_auto_update_cue_updates_by_itself() -> None:
    svc, pl, data = _setup(LOWER.model_copy(update={"auto_update": True}))
    await svc.take("lt")
    data.set_competition(make_competition(roussel_time=40_500))
    await asyncio.sleep(0.01)
    assert pl.names()[-1] == "update"
    assert "40.5" in str(pl.calls[-1][1][1])


@pytest.mark.asyncio
async def test_auto_next_and_next() -> None:
    svc, _pl, _ = _setup(LOWER.model_copy(update={"auto_next": True}), PODIUM)
    await svc.take("lt")
    assert svc.selected == "pod" and svc.state_of("pod") == "cued"
    result = await svc.next()
    assert not result.ok and "end of the rundown" in result.message


@pytest.mark.asyncio
async def test_duration_takes_the_cue_out_by_itself() -> None:
    svc, pl, _ = _setup(LOWER.model_copy(update={"duration_s": 0.05}))
    await svc.take("lt")
    await asyncio.sleep(0.15)
    assert pl.names()[-1] == "stop" and svc.state_of("lt") == "ready"


@pytest.mark.asyncio
async def test_panic_and_clear_reach_every_output() -> None:
    shows = ShowService(Show(outputs=[OutputConfig(id="a"), OutputConfig(id="b")]))
    shows.add_cue(LOWER.model_copy(update={"output": "b"}))
    data = DataService()
    data.set_competition(make_competition())
    players = {"a": RecordingPlayout("a"), "b": RecordingPlayout("b")}
    svc = PlayoutService(shows, data, lambda out: players[out.id])
    await svc.take("lt")
    assert players["b"].names() == ["load", "play"] and players["a"].calls == []
    assert (await svc.panic()).ok
    assert svc.state_of("lt") == "ready"
    assert players["a"].names() == ["panic"]
    assert (await svc.clear()).ok
    assert players["b"].names()[-1] == "clear"


@pytest.mark.asyncio
async def test_invalid_manual_cue_says_which_field() -> None:
    svc, _pl, _ = _setup(Cue(id="q", graphic="quote", data={"name": "Felix"}))
    result = await svc.take("q")
    assert not result.ok and "quote" in result.message
    assert svc.state_of("q") == "invalid"


@pytest.mark.asyncio
async def test_a_double_press_takes_once() -> None:
    svc, pl, _ = _setup(LOWER)
    first, second = await asyncio.gather(svc.take("lt"), svc.take("lt"))
    assert first.ok and not second.ok
    assert "under way" in second.message or "already on air" in second.message
    again = await svc.take("lt")
    assert not again.ok and "already on air" in again.message
    assert pl.names() == ["load", "play"]


def _renamed_competition(competitor_id: str) -> Competition:
    """A re-import that corrected one skater's family name."""
    comp = make_competition().model_copy(deep=True)
    for race in (r for e in comp.events for r in e.races):
        for row in (*race.start_list, *race.results):
            if row.competitor.id != competitor_id:
                continue
            name = row.competitor.family_name  # type: ignore[union-attr]
            row.competitor = row.competitor.model_copy(update={"family_name": f"{name}-NEW"})
    return comp


@pytest.mark.asyncio
async def test_a_cued_cue_reloads_new_data_while_its_layer_is_on_air() -> None:
    second = Cue(
        id="lt2", name="Second", graphic="lower-third", binding=CueBinding(event_id="m500", row=1)
    )
    svc, pl, data = _setup(LOWER, second)
    assert (await svc.take("lt")).ok
    assert (await svc.cue("lt2")).ok  # cued on the layer that has "lt" on air
    assert svc.state_of("lt2") == "cued"
    data.set_competition(_renamed_competition("can-pierre"))  # the cued skater only
    for _ in range(20):
        await asyncio.sleep(0)
    assert svc.state_of("lt") == "on-air"  # its own data did not change
    loads = [c for c in pl.calls if c[0] == "load" and c[1][2]["family_name"].endswith("-NEW")]
    assert loads, "the cued cue was not reloaded with the new data"
    await svc.take("lt2")
    assert pl.calls[-1][0] == "play"
    tally = svc.tally[("program", 20)]
    assert tally.on_air == "lt2" and str(tally.data["family_name"]).endswith("-NEW")  # type: ignore[index]
