"""Manual timing: the operator's keys (arm, start, leader's lap, finish, recall) drive the same
race state as a timing link, so a broadcast without one still gets a running clock and laps to
go. Never stale: the operator is the feed."""

from __future__ import annotations

from strapline.domain.live_race import (
    Arm,
    Clock,
    Leader,
    Phase,
    SkaterInfo,
    Start,
    Status,
    elapsed_ms,
)
from strapline.feeds.base import Feed, LiveRace


class ManualTiming(Feed):
    """Operator keys. Times come from the race's clock (injected for tests)."""

    name = "manual"

    def __init__(self, race: LiveRace) -> None:
        super().__init__(race)
        race.stale_after = None

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        return None

    def arm(
        self,
        race: str,
        *,
        event: str = "",
        round: str = "",
        laps: float | None = None,
        distance_m: int | None = None,
        skaters: tuple[SkaterInfo, ...] = (),
    ) -> None:
        self.race.receive(
            Arm(race=race, event=event, round=round, laps=laps, distance_m=distance_m,
                skaters=skaters)
        )  # fmt: skip

    def start_race(self) -> None:
        """The gun: the clock starts now."""
        self.race.receive(Start())

    def leader_lap(self) -> None:
        """The leader crossed the line: one lap fewer to go."""
        now = self.race.clock()
        ms = elapsed_ms(self.race.state, now)
        self.race.receive(Leader(time=None if ms is None else ms / 1000), now)

    def finish(self) -> None:
        """The winner crossed the line: the clock holds at this time."""
        now = self.race.clock()
        ms = elapsed_ms(self.race.state, now)
        if ms is None or self.race.state.phase is not Phase.RUNNING:
            return
        self.race.receive(Clock(time=ms / 1000, running=False), now)

    def recall(self) -> None:
        """A false start: back to armed, the clock cleared."""
        self.race.receive(Status(status="recalled"))
