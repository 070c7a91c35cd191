"""The Dresden demo show: a rundown ready for the finals, the relay and the standings.

The women's 500 m final has no results in the demo data yet, so its podium cue shows as waiting
for data: it fills itself when results arrive, as a preloaded rundown does on the day.
"""

from __future__ import annotations

from strapline.domain.model import Competition
from strapline.domain.rundown import (
    Cue,
    CueBinding,
    CueGroup,
    OutputConfig,
    Rundown,
    Show,
    TargetConfig,
)


def _final(comp: Competition, event_id: str) -> str | None:
    event = comp.event(event_id)
    if event is None:
        return None
    finals = [r for r in event.races if r.round.kind.is_final]
    return finals[-1].id if finals else None


def demo_show(competition: Competition, port: int = 9100, theme: str = "ice") -> Show:
    """A show over the demo competition, playing to the bundled renderer on `port`."""
    groups: list[CueGroup] = []

    def b(event_id: str, **more: object) -> CueBinding:
        return CueBinding.model_validate(
            {"event_id": event_id, "race_id": _final(competition, event_id), **more}
        )

    m500 = [
        Cue(name="Start list · Men 500 m Final A", graphic="start-list", binding=b("m500")),
        Cue(
            name="Winner · Men 500 m",
            graphic="lower-third",
            binding=b("m500", row=0),
            data={"info": "First individual World Cup gold"},
            duration_s=8,
        ),
        Cue(name="Results · Men 500 m Final A", graphic="result-list", binding=b("m500")),
        Cue(name="Podium · Men 500 m", graphic="podium", binding=b("m500"), layer=30),
    ]
    groups.append(CueGroup(name="Men 500 m", cues=m500))
    m1000 = [
        Cue(name="Podium · Men 1000 m (1)", graphic="podium", binding=b("m1000-1"), layer=30),
        Cue(name="Winner · Men 1000 m (2)", graphic="lower-third", binding=b("m1000-2", row=0)),
        Cue(name="Podium · Men 1000 m (2)", graphic="podium", binding=b("m1000-2"), layer=30),
    ]
    groups.append(CueGroup(name="Men 1000 m", cues=m1000))
    relay = [
        Cue(name="Results · Men 5000 m Relay", graphic="result-list", binding=b("m5000r")),
        Cue(name="Podium · Men 5000 m Relay", graphic="podium", binding=b("m5000r"), layer=30),
    ]
    groups.append(CueGroup(name="Men 5000 m Relay", cues=relay))
    women = [
        Cue(
            name="Podium · Women 500 m",
            graphic="podium",
            binding=CueBinding(event_id="w500"),
            layer=30,
            notes="Preloaded: fills itself when the final's results arrive",
        ),
    ]
    groups.append(CueGroup(name="Women 500 m (to come)", cues=women))
    standings_id = competition.standings[0].id if competition.standings else None
    groups.append(
        CueGroup(
            name="Standings",
            cues=[
                Cue(
                    name="Crystal Globe · Men",
                    graphic="standings",
                    binding=CueBinding(standings_id=standings_id),
                    layer=40,
                )
            ],
        )
    )
    return Show(
        name="Dresden World Tour (demo)",
        theme=theme,
        outputs=[
            OutputConfig(
                id="program",
                name="Program",
                targets=[TargetConfig(name="local renderer", host="127.0.0.1", port=port)],
            )
        ],
        rundown=Rundown(groups=groups),
    )
