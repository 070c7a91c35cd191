"""The Dresden demo show: a rundown ready for the finals, the relay and the standings.

The women's 500 m final has no results in the demo data yet, so its podium cue shows as waiting
for data: it fills itself when results arrive, as a preloaded rundown does on the day.
"""

from __future__ import annotations

from strapline.domain.model import Competition, Race
from strapline.domain.rundown import (
    Cue,
    CueBinding,
    CueGroup,
    OutputConfig,
    Rundown,
    Show,
    TargetConfig,
)


def _final(comp: Competition, event_id: str) -> Race | None:
    event = comp.event(event_id)
    if event is None:
        return None
    finals = [r for r in event.races if r.round.kind.is_final]
    return finals[-1] if finals else None


def _title(comp: Competition, event_id: str, race: bool = False) -> str:
    """A cue's or group's name for an event: the event's title as the graphics show it (the
    data's words, never a second spelling here), with its final's label when `race`."""
    event = comp.event(event_id)
    if event is None:
        return event_id
    final = _final(comp, event_id)
    return f"{event.name} {final.label}" if race and final is not None else event.name


def demo_show(competition: Competition, port: int = 9100, theme: str = "ice") -> Show:
    """A show over the demo competition, playing to the bundled renderer on `port`."""
    groups: list[CueGroup] = []

    def b(event_id: str, **more: object) -> CueBinding:
        final = _final(competition, event_id)
        return CueBinding.model_validate(
            {"event_id": event_id, "race_id": final.id if final else None, **more}
        )

    def t(event_id: str, race: bool = False) -> str:
        return _title(competition, event_id, race)

    m500 = [
        Cue(name=f"Start list · {t('m500', True)}", graphic="start-list", binding=b("m500")),
        Cue(
            name=f"Winner · {t('m500')}",
            graphic="lower-third",
            binding=b("m500", row=0),
            data={"info": "First individual World Cup gold"},
            duration_s=8,
        ),
        Cue(name=f"Results · {t('m500', True)}", graphic="result-list", binding=b("m500")),
        Cue(name=f"Podium · {t('m500')}", graphic="podium", binding=b("m500"), layer=30),
    ]
    groups.append(CueGroup(name=t("m500"), cues=m500))
    m1000 = [
        Cue(name=f"Podium · {t('m1000-1')}", graphic="podium", binding=b("m1000-1"), layer=30),
        Cue(name=f"Winner · {t('m1000-2')}", graphic="lower-third", binding=b("m1000-2", row=0)),
        Cue(name=f"Podium · {t('m1000-2')}", graphic="podium", binding=b("m1000-2"), layer=30),
    ]
    groups.append(CueGroup(name=t("m1000-1").removesuffix(" (1)"), cues=m1000))
    relay = [
        Cue(name=f"Results · {t('m5000r', True)}", graphic="result-list", binding=b("m5000r")),
        Cue(name=f"Podium · {t('m5000r')}", graphic="podium", binding=b("m5000r"), layer=30),
    ]
    groups.append(CueGroup(name=t("m5000r"), cues=relay))
    women = [
        Cue(
            name=f"Podium · {t('w500')}",
            graphic="podium",
            binding=CueBinding(event_id="w500"),
            layer=30,
            notes="Preloaded: fills itself when the final's results arrive",
        ),
    ]
    groups.append(CueGroup(name=f"{t('w500')} (to come)", cues=women))
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
