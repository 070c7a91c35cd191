"""Fakes for service and view tests: a small competition and a recording Playout."""

from __future__ import annotations

from typing import Any

from strapline.domain.model import (
    Athlete,
    Competition,
    Event,
    Gender,
    Race,
    RaceStatus,
    RaceTime,
    ResultRow,
    Round,
    RoundKind,
    StartEntry,
)
from strapline.domain.playout import Outcome, OutcomeKind

SKATERS = [
    Athlete(id="can-roussel", family_name="ROUSSEL", given_name="Felix", nation="CAN", helmet=121),
    Athlete(
        id="can-pierre", family_name="PIERRE-GILLES", given_name="Jordan", nation="CAN", helmet=122
    ),
    Athlete(id="pol-kuczynski", family_name="KUCZYNSKI", given_name="Lukasz", nation="POL"),
    Athlete(id="kaz-nikisha", family_name="NIKISHA", given_name="Denis", nation="KAZ"),
]


def make_competition(with_results: bool = True, roussel_time: int = 40_986) -> Competition:
    start = [StartEntry(competitor=a, start_position=i + 1) for i, a in enumerate(SKATERS)]
    results = []
    if with_results:
        times = [roussel_time, 41_050, 41_120]
        results = [
            ResultRow(competitor=a, place=i + 1, time=RaceTime.from_ms(t))
            for i, (a, t) in enumerate(zip(SKATERS[:3], times, strict=True))
        ]
        results.append(ResultRow(competitor=SKATERS[3], status="PEN"))
    final = Race(
        id="m500-fa",
        round=Round(kind=RoundKind.FINAL_A),
        status=RaceStatus.OFFICIAL if with_results else RaceStatus.START_LIST,
        start_list=start,
        results=results,
    )
    event = Event(id="m500", name="Men 500 m", gender=Gender.MEN, distance_m=500, races=[final])
    return Competition(id="dresden", name="World Tour Dresden", events=[event])


class RecordingPlayout:
    """A Playout that records every call and answers with a configurable outcome."""

    def __init__(self, name: str = "fake", kind: OutcomeKind = OutcomeKind.ACK) -> None:
        self.name = name
        self.kind = kind
        self.calls: list[tuple[str, Any]] = []

    def _answer(self) -> list[Outcome]:
        reason = "" if self.kind is OutcomeKind.ACK else "no answer"
        return [Outcome(kind=self.kind, target=self.name, reason=reason, rtt_ms=0.3)]

    async def load(
        self, layer: int, graphic: str, data: dict[str, Any], theme: str
    ) -> list[Outcome]:
        self.calls.append(("load", (layer, graphic, data, theme)))
        return self._answer()

    async def play(self, layer: int, step: int | None = None) -> list[Outcome]:
        self.calls.append(("play", (layer, step)))
        return self._answer()

    async def update(self, layer: int, data: dict[str, Any]) -> list[Outcome]:
        self.calls.append(("update", (layer, data)))
        return self._answer()

    async def stop(self, layer: int, immediate: bool = False) -> list[Outcome]:
        self.calls.append(("stop", (layer, immediate)))
        return self._answer()

    async def clear(self, layer: int | None = None) -> list[Outcome]:
        self.calls.append(("clear", layer))
        return self._answer()

    async def panic(self) -> list[Outcome]:
        self.calls.append(("panic", None))
        return self._answer()

    def names(self) -> list[str]:
        return [c[0] for c in self.calls]
