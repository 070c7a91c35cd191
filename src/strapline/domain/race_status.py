"""The operator marks a race official or unofficial: an operation that can be undone.

A results site publishes only official results, a meet's live feed says UNOFFICIAL until the
referee signs; the operator may know better than the file. `mark_race` returns the competition
with the race's status changed and the change itself, which applies and reverts on any copy of
the data (an undo stack keeps the changes; a re-import gets them applied again).
"""

from __future__ import annotations

from dataclasses import dataclass

from strapline.domain.model import Competition, RaceStatus

__all__ = ["RaceStatusChange", "mark_race"]


@dataclass(frozen=True)
class RaceStatusChange:
    """One race's status set by the operator: what it was and what it became."""

    race_id: str
    before: RaceStatus
    after: RaceStatus

    @property
    def label(self) -> str:
        """What an undo menu shows: "Mark men-500-m-final-a-1 OFFICIAL"."""
        return f"Mark {self.race_id} {self.after.value}"

    def apply(self, competition: Competition) -> Competition:
        return _with_status(competition, self.race_id, self.after)

    def revert(self, competition: Competition) -> Competition:
        return _with_status(competition, self.race_id, self.before)


def mark_race(
    competition: Competition, race_id: str, status: RaceStatus
) -> tuple[Competition, RaceStatusChange]:
    """The competition with race `race_id` marked `status`, and the change (to undo it).

    KeyError naming the race when the competition holds no such race.
    """
    for _, race in competition.races():
        if race.id == race_id:
            change = RaceStatusChange(race_id, race.status, RaceStatus(status))
            return change.apply(competition), change
    known = ", ".join(r.id for _, r in competition.races()) or "none"
    raise KeyError(f"no race {race_id!r} (races: {known})")


def _with_status(competition: Competition, race_id: str, status: RaceStatus) -> Competition:
    """A copy of the competition with one race's status changed; the original is untouched."""
    events = []
    for event in competition.events:
        if event.race(race_id) is None:
            events.append(event)
            continue
        races = [
            r.model_copy(update={"status": status}) if r.id == race_id else r for r in event.races
        ]
        events.append(event.model_copy(update={"races": races}))
    return competition.model_copy(update={"events": events})
