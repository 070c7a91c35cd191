"""Standings computed from results: per distance, overall (Crystal Globe), relays and nations.

A points table (`PointsTable`) says how many points each place in an event's final ranking earns
and how many results count (the best-N rule). Strapline ships the ISU Short Track World Tour table
as data (strapline/data/points/), naming its source; any other table in the same JSON format can
be given instead (docs/data-formats.md, "Points tables").

How it is computed (documented for operators in docs/data-formats.md):

- An event's final ranking comes from its rounds: a skater is ranked by the last round they
  reached (Final A first, then Final B, ..., then those out in the semifinals, and so on: see
  RoundKind.stage), then by their place in that race, then (when the round had several races) by
  their time. Equal keys share a rank. Those whose last race ended without a place (PEN, DNF,
  DNS, DQ) come after everyone placed in that round.
- Each rank earns the table's points; a rank past the end of the table earns nothing, and so does
  a skater whose last race ended without a place unless the table says `unplaced_points`.
- A distance standing adds up a competitor's results over every event of that gender and
  distance ("1000 m (1)" and "1000 m (2)" both count), keeping the best `best_distance`; the
  overall standing adds up every individual result of a gender, keeping the best `best_overall`.
  Relay standings add up each team's relay results. The nation standing adds every point of the
  nation's skaters and teams, nothing dropped.
- Equal totals share a rank (marked as a tie) and are listed by their best single result, then
  by name. A competitor without points is not listed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from strapline.domain.model import (
    Athlete,
    Competition,
    Event,
    EventKind,
    Gender,
    RaceStatus,
    Standing,
    Standings,
    Team,
)
from strapline.domain.nations import nation_name

__all__ = [
    "DEFAULT_POINTS",
    "PointsTable",
    "compare_standings",
    "compute_standings",
    "event_ranking",
    "load_points_table",
    "shipped_points_table",
]

DEFAULT_POINTS = "isu-world-tour-2024"
POINTS_FORMAT = "strapline-points"

_GENDER_TITLE = {Gender.MEN: "Men's", Gender.WOMEN: "Women's", Gender.MIXED: "Mixed"}
_GENDER_WORD = {Gender.MEN: "Men", Gender.WOMEN: "Women", Gender.MIXED: "Mixed"}


class PointsTable(BaseModel):
    """Points per place in an event's final ranking, and how many results count."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: str = Field(default=POINTS_FORMAT, pattern=f"^{POINTS_FORMAT}$")
    version: int = Field(default=1, ge=1, le=1)
    name: Annotated[str, Field(min_length=1)]
    source: Annotated[str, Field(min_length=1, description="Where the points come from")]
    note: str = ""
    points: list[Annotated[float, Field(ge=0)]] = Field(
        min_length=1, description="Points of the 1st, 2nd, 3rd... place; later places earn 0"
    )
    best_overall: Annotated[int, Field(ge=1)] | None = Field(
        default=None, description="Results counted in the overall standing (None: all)"
    )
    best_distance: Annotated[int, Field(ge=1)] | None = Field(
        default=None, description="Results counted in a distance standing (None: all)"
    )
    unplaced_points: bool = Field(
        default=False, description="Whether a rank reached without a place (PEN...) scores"
    )

    def points_for(self, rank: int) -> float:
        return self.points[rank - 1] if 1 <= rank <= len(self.points) else 0.0


def load_points_table(text: str, source: str = "") -> PointsTable:
    """A points table from its JSON text; ValueError naming the problem."""
    try:
        return PointsTable.model_validate(json.loads(text))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{source}: not valid JSON: {exc.msg} (line {exc.lineno})") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise ValueError(f"{source}: {where}: {first['msg']}") from None


def shipped_points_table(name: str = DEFAULT_POINTS) -> PointsTable:
    """A points table shipped with Strapline, by name (strapline/data/points/NAME.json)."""
    folder = resources.files("strapline").joinpath("data", "points")
    entry = folder.joinpath(f"{name}.json")
    if not entry.is_file():
        known = sorted(p.name.removesuffix(".json") for p in folder.iterdir())
        raise ValueError(f"no shipped points table {name!r} (tables: {', '.join(known)})")
    return load_points_table(entry.read_text("utf-8"), f"{name}.json")


@dataclass(frozen=True)
class Ranked:
    """One competitor's place in an event's final ranking."""

    rank: int
    competitor: Athlete | Team
    placed: bool  # the last race they reached ended with a place


def event_ranking(event: Event) -> list[Ranked]:
    """The final ranking of an event from the results of its rounds (see the module's rules)."""
    last: dict[str, tuple[int, int, float, int]] = {}  # id -> (stage, place, time, race)
    people: dict[str, Athlete | Team] = {}
    races_in_stage: dict[int, int] = {}
    for race in event.races:
        if not race.results:
            continue
        stage = race.round.kind.stage
        races_in_stage[stage] = races_in_stage.get(stage, 0) + 1
        for row in race.results:
            cid = row.competitor.id
            place = row.place if row.place is not None else 10_000
            time = row.time.ms if row.time is not None and row.place is not None else float("inf")
            if cid not in last or stage > last[cid][0]:
                last[cid] = (stage, place, time, id(race))
                people[cid] = row.competitor
    if not last:
        return []

    def order(cid: str) -> tuple[int, int, float]:
        stage, place, time, _ = last[cid]
        return -stage, place, time if races_in_stage[stage] > 1 else 0.0

    ranked: list[Ranked] = []
    previous: tuple[int, int, float] | None = None
    for position, cid in enumerate(sorted(last, key=order), start=1):
        sort_key = order(cid)
        rank = ranked[-1].rank if sort_key == previous else position
        ranked.append(Ranked(rank, people[cid], placed=last[cid][1] < 10_000))
        previous = sort_key
    return ranked


@dataclass
class _Tally:
    competitor: Athlete | Team
    results: list[tuple[float, str]] = field(default_factory=list)  # (points, where)


def compute_standings(
    competitions: Sequence[Competition] | Competition, table: PointsTable
) -> list[Standings]:
    """Standings from the results of one or more competitions (a season's weekends).

    Per distance and gender, overall per gender (Crystal Globe), per relay event, and nations
    (Team Crystal Globe). Each table says which points table made it (`computed_with`).
    """
    comps = [competitions] if isinstance(competitions, Competition) else list(competitions)
    several = len(comps) > 1
    distance: dict[tuple[Gender | None, int | None], dict[str, _Tally]] = {}
    overall: dict[Gender | None, dict[str, _Tally]] = {}
    relays: dict[tuple[Gender | None, int | None], dict[str, _Tally]] = {}
    nations: dict[str, _Tally] = {}
    official = True
    for comp in comps:
        where_comp = comp.city or comp.name or comp.id
        for event in comp.events:
            ranking = event_ranking(event)
            if not ranking:
                continue
            official &= all(r.status is RaceStatus.OFFICIAL for r in event.races if r.results)
            label = f"{where_comp} {event.name}" if several else event.name
            for entry in ranking:
                scored = table.points_for(entry.rank)
                if not entry.placed and not table.unplaced_points:
                    scored = 0.0
                c = entry.competitor
                if event.kind is EventKind.RELAY:
                    _add(relays.setdefault((event.gender, event.distance_m), {}), c, scored, label)
                else:
                    key = (event.gender, event.distance_m)
                    _add(distance.setdefault(key, {}), c, scored, label)
                    dist = f"{event.distance_m} m" if event.distance_m else event.name
                    _add(overall.setdefault(event.gender, {}), c, scored, dist)
                if c.nation:
                    nation_team = Team(
                        id=f"{c.nation}-nation",
                        nation=c.nation,
                        name=nation_name(c.nation) or c.nation,
                    )
                    _add(nations, nation_team, scored, event.name if not several else label)
    status = RaceStatus.OFFICIAL if official else RaceStatus.UNOFFICIAL
    out: list[Standings] = []
    for (gender, metres), tallies in sorted(distance.items(), key=_by_gender_distance):
        words = [_GENDER_TITLE[gender] if gender else "", f"{metres} m" if metres else ""]
        title = " ".join(w for w in [*words, "standings"] if w)
        out.append(
            _table(
                _id(gender, metres, "standings"), title, tallies, table.best_distance, status, table
            )
        )
    for gender, tallies in sorted(overall.items(), key=lambda kv: _gender_order(kv[0])):
        title = f"Crystal Globe · {_GENDER_WORD[gender]}" if gender else "Crystal Globe"
        out.append(
            _table(_id(gender, None, "overall"), title, tallies, table.best_overall, status, table)
        )
    for (gender, metres), tallies in sorted(relays.items(), key=_by_gender_distance):
        words = [_GENDER_TITLE[gender] if gender else "", f"{metres} m" if metres else "", "Relay"]
        title = " ".join(w for w in [*words, "standings"] if w)
        out.append(
            _table(_id(gender, metres, "relay-standings"), title, tallies, None, status, table)
        )
    if nations:
        out.append(_table("nations-standings", "Team Crystal Globe", nations, None, status, table))
    return out


def _add(tallies: dict[str, _Tally], competitor: Athlete | Team, points: float, where: str) -> None:
    tally = tallies.get(competitor.id)
    if tally is None:
        tally = tallies[competitor.id] = _Tally(competitor)
    tally.results.append((points, where))


def _gender_order(gender: Gender | None) -> int:
    return [Gender.WOMEN, Gender.MEN, Gender.MIXED, None].index(gender)


def _by_gender_distance(item: tuple[tuple[Gender | None, int | None], object]) -> tuple[int, int]:
    (gender, metres), _ = item
    return _gender_order(gender), metres or 0


def _id(gender: Gender | None, metres: int | None, what: str) -> str:
    parts = [_GENDER_WORD[gender].lower() if gender else "", f"{metres}-m" if metres else "", what]
    return "-".join(p for p in parts if p)


def _table(
    table_id: str,
    title: str,
    tallies: dict[str, _Tally],
    best: int | None,
    status: RaceStatus,
    points: PointsTable,
) -> Standings:
    totals: list[tuple[float, float, str, _Tally, dict[str, float]]] = []
    for tally in tallies.values():
        counted = sorted(tally.results, key=lambda r: -r[0])
        if best is not None:
            counted = counted[:best]
        breakdown: dict[str, float] = {}
        for scored, where in counted:
            breakdown[where] = breakdown.get(where, 0.0) + scored
        total = sum(s for s, _ in counted)
        if total <= 0:
            continue  # no points: not in the standings
        top = counted[0][0] if counted else 0.0
        totals.append((total, top, _sort_name(tally.competitor), tally, breakdown))
    totals.sort(key=lambda t: (-t[0], -t[1], t[2]))
    rows: list[Standing] = []
    for i, (total, _, _, tally, breakdown) in enumerate(totals):
        tie_before = i > 0 and totals[i - 1][0] == total
        tie_after = i + 1 < len(totals) and totals[i + 1][0] == total
        rank = rows[-1].rank if tie_before else i + 1
        rows.append(
            Standing(
                rank=rank,
                tie=tie_before or tie_after,
                competitor=tally.competitor,
                points=total,
                breakdown=breakdown,
            )
        )
    return Standings(id=table_id, title=title, status=status, rows=rows, computed_with=points.name)


def _sort_name(competitor: Athlete | Team) -> str:
    if isinstance(competitor, Team):
        return competitor.name
    return f"{competitor.family_name} {competitor.given_name}"


def _key_of(title: str) -> tuple[str, str, int | None] | None:
    """(kind, gender word, distance) a standings title names, for matching imported tables."""
    import re

    text = title.lower()
    gender = next(
        (
            g
            for g, words in (
                ("women", ("women", "ladies", "woman")),
                ("men", ("men", "man")),
                ("mixed", ("mixed",)),
            )
            if any(re.search(rf"\b{w}\b", text) for w in words)
        ),
        "",
    )
    if (
        re.search(r"overall|crystal\s+globe|world\s+(?:cup|tour)\s+ranking", text)
        and "team" not in text
    ):
        return "overall", gender, None
    m = re.search(r"\b(\d{3,4})\s*m\b", text)
    if m:
        return ("relay" if "relay" in text else "distance"), gender, int(m[1])
    return None


def compare_standings(imported: Iterable[Standings], computed: Sequence[Standings]) -> list[str]:
    """Warnings for imported standings tables that disagree with the computed ones."""
    computed_by_key = {k: s for s in computed if (k := _key_of(s.title)) is not None}
    problems: list[str] = []
    for table in imported:
        key = _key_of(table.title)
        mine = computed_by_key.get(key) if key is not None else None
        if mine is None:
            continue
        points = {row.competitor.id: row.points for row in mine.rows}
        differ = [
            (row, points.get(row.competitor.id, 0.0))
            for row in table.rows
            if points.get(row.competitor.id, 0.0) != row.points
        ]
        if differ:
            row, theirs = differ[0]
            more = f" (and {len(differ) - 1} more)" if len(differ) > 1 else ""
            problems.append(
                f"imported standings {table.title!r} disagree with those computed from the "
                f"results ({mine.title!r}): {_sort_name(row.competitor).strip()} has "
                f"{row.points:g} points there, {theirs:g} computed{more}"
            )
    return problems
