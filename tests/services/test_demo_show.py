"""The demo show's rundown names its cues with the events' titles, as the graphics do."""

from __future__ import annotations

from strapline.domain.model import Competition
from strapline.io.demo import load_demo
from strapline.services.demo import demo_show


def _event_names(comp: Competition) -> dict[str, str]:
    return {e.id: e.name for e in comp.events}


def test_cue_names_are_the_event_titles_on_air() -> None:
    comp = load_demo()
    show = demo_show(comp)
    titles = _event_names(comp)
    bound = [c for c in show.rundown.cues() if c.binding is not None and c.binding.event_id]
    assert len(bound) == 10
    for cue in bound:
        assert cue.binding is not None and cue.binding.event_id is not None
        event = comp.event(cue.binding.event_id)
        assert event is not None
        _, _, rest = cue.name.partition(" · ")
        race = event.race(cue.binding.race_id) if cue.binding.race_id else None
        if cue.graphic in ("start-list", "result-list"):  # lists name their race
            assert race is not None and rest == f"{event.name} {race.label}", cue.name
        else:
            assert rest == event.name, cue.name
    names = [c.name for c in show.rundown.cues()]
    assert "Results · Men's 500 m Final A" in names and "Podium · Women's 500 m" in names
    assert [g.name for g in show.rundown.groups][:4] == [
        titles["m500"],
        "Men's 1000 m",
        titles["m5000r"],
        f"{titles['w500']} (to come)",
    ]


def test_a_title_changed_in_the_data_renames_the_cues() -> None:
    comp = load_demo()
    events = [
        e.model_copy(update={"name": "Men's 500 m (Heat Day)"}) if e.id == "m500" else e
        for e in comp.events
    ]
    show = demo_show(comp.model_copy(update={"events": events}))
    names = [c.name for c in show.rundown.cues() if c.binding and c.binding.event_id == "m500"]
    assert names == [
        "Start list · Men's 500 m (Heat Day) Final A",
        "Winner · Men's 500 m (Heat Day)",
        "Results · Men's 500 m (Heat Day) Final A",
        "Podium · Men's 500 m (Heat Day)",
    ]
