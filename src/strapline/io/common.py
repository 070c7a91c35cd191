"""What every importer shares: the result type, the options, warnings, ids and the row checks."""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Sequence
from operator import itemgetter

from pydantic import BaseModel, ConfigDict, Field

from strapline.domain.diagnostics import Diagnostic, Severity
from strapline.domain.model import (
    Athlete,
    Competition,
    Event,
    EventKind,
    Gender,
    Race,
    RaceStatus,
    Round,
    RoundKind,
)
from strapline.domain.names import name_is_doubtful, parse_name_parts
from strapline.domain.nations import is_known_nation, nation_name, normalise_nation
from strapline.io import values
from strapline.io.limits import MAX_FILE_BYTES as MAX_FILE_BYTES

_GENDER_WORD = {Gender.MEN: "Men", Gender.WOMEN: "Women", Gender.MIXED: "Mixed"}


class ImportResult(BaseModel):
    """One competition read from one or more files, with the doubts found on the way."""

    model_config = ConfigDict(extra="forbid")

    competition: Competition
    warnings: list[Diagnostic] = Field(default_factory=list)
    participants: list[Athlete] = Field(
        default_factory=list,
        description="People listed by a participants file (ODF DT_PARTIC), matched on id",
    )
    race_sources: dict[str, str] = Field(
        default_factory=dict,
        description="The file each race was read from, by race id (for merges and re-imports)",
    )


class ImportContext(BaseModel):
    """What a table or start-list file does not say itself: given by the operator or guessed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    competition: str = ""
    event: str = ""
    gender: Gender | None = None
    distance_m: int | None = Field(default=None, ge=0)
    relay: bool | None = None
    round: str = ""
    race: int | None = Field(default=None, ge=1)
    status: RaceStatus | None = None
    standings: bool | None = Field(
        default=None, description="The table is a standings list (None: decide from its titles)"
    )


class Collector:
    """Gathers the warnings of one file."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.warnings: list[Diagnostic] = []

    def warn(self, location: str, message: str) -> None:
        self.warnings.append(
            Diagnostic(
                severity=Severity.WARNING, source=self.source, location=location, message=message
            )
        )


@functools.lru_cache(maxsize=4096)
def nation_code(raw: str) -> tuple[str | None, str]:
    """(normalised code or None, the problem to warn about or '') of a nation cell."""
    try:
        nation = normalise_nation(raw)
    except ValueError:
        return None, f"{raw!r} is not a nation code; nation left empty"
    if not is_known_nation(nation):
        return nation, f"unknown nation code {nation!r}"
    return nation, ""


def read_nation(code: str, collector: Collector, location: str) -> str | None:
    """An IOC-style nation code, normalised; unknown or malformed codes give a warning."""
    raw = values.clean(code)
    if not raw:
        return None
    nation, problem = nation_code(raw)
    if problem:
        collector.warn(location, problem)
    return nation


@functools.lru_cache(maxsize=65536)
def split_name(raw: str) -> tuple[str, str, str, str]:
    """(family, given, original, doubt) of a name cell as results lists write it.

    `doubt` is '' for a name read with confidence, else what an importer warns about a
    person's name kept as written: its parts could not be told apart ("JEAN-FrANCOISMONETTE"), or
    it has no given name at all ("PARKJIWON", "ROUSSEL").
    """
    family, given, original = parse_name_parts(raw)
    doubt = ""
    if not given and family:
        if name_is_doubtful(raw):
            doubt = "its family and given names cannot be told apart (written without spaces)"
        elif " " not in family:
            doubt = "it has no given name"
    return family or raw.strip(), given, original or raw.strip(), doubt


def team_name(written: str, nation: str | None) -> tuple[str, str]:
    """(name to show, problem to warn about or '') of a relay team as a file names it.

    A team name written together in capitals ("UNITEDSTATES", "GREATBRITAIN") or as the nation's
    code is shown as the nation's name ("United States of America", "Great Britain"); any other
    name is kept as written.
    """
    text = " ".join(written.split())
    known = nation_name(nation) if nation else None
    if known is None or " " in text or not text.isupper() or len(text) < 3:
        return text, ""
    letters = re.sub(r"\W", "", known.upper())
    if text == nation or text in letters:
        return known, ""
    return known, f"team {text!r} shown as its nation's name {known!r} ({nation})"


_COMPETITION_PLACE = re.compile(
    r"^(?P<name>.+?)\s+[-–—]\s+(?P<place>[^-–—]+?)\s*(?:\((?P<nation>[A-Za-z]{3})\))?$"
)


def split_competition(text: str) -> tuple[str, str, str, str | None]:
    """(name, venue, city, nation) of a competition as results sites write it.

    "ISU World Cup Short Track Speed Skating 2019/20 - Dresden (GER)" gives the name before the
    dash, the city Dresden and the nation GER; "... - Joynext Arena, Dresden (GER)" also the
    venue. Text without " - " is the name alone.
    """
    text = " ".join(text.split())
    m = _COMPETITION_PLACE.match(text)
    if m is None:
        return text, "", "", None
    place = [p.strip() for p in m["place"].split(",") if p.strip()]
    city = place[-1] if place else ""
    venue = ", ".join(place[:-1])
    nation = None
    if m["nation"]:
        code, problem = nation_code(m["nation"])
        nation = code if not problem else None
    return m["name"], venue, city, nation


def derived_id(family: str, given: str, nation: str | None) -> str:
    """An id for a person whose file carries none: nation and name, accents folded."""
    # values.slug, written out here: a table calls this for every row without an id.
    family = family.lower() if family.isascii() and family.isalnum() else _slug(family)
    if not given:
        pass
    elif given.isascii() and given.isalnum():
        given = given.lower()
    else:
        given = _slug(given)
    if nation and family and given:
        return f"{nation}-{family}-{given}"  # the usual case, joined at once
    base = "-".join([p for p in (nation, family, given) if p])
    return base or "unnamed"


_slug = values.slug_cached


class EventInfo(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str
    gender: Gender | None
    distance_m: int | None
    kind: EventKind
    problems: tuple[str, ...] = ()  # what the event lacks, for a warning


# How an event's title names its gender: "Men's 1500 m", "Women's 3000 m Relay", "Mixed ...".
_GENDER_TITLE = {Gender.MEN: "Men's", Gender.WOMEN: "Women's", Gender.MIXED: "Mixed"}
_REPEAT = re.compile(r"(?:m|metres?|meters?|relay)\s*\((\d)\)", re.IGNORECASE)


def event_info(
    context: ImportContext, *hints: str, text: str = "", gender: Gender | None = None
) -> EventInfo:
    """The event of a race: the options first, then the event text and gender of its row (from
    the file's columns), then titles and the file name.

    Its title is always "Men's 1500 m"-like when the gender and distance are known ("Mixed 2000 m
    Relay", "Women's 1000 m (2)" for a distance skated twice); otherwise the event as the file
    wrote it, and `problems` says what is missing.
    """
    own = " ".join((context.event or text).split())
    around = " ".join(h for h in hints if h)
    gender = context.gender or gender or values.find_gender(own) or values.find_gender(around)
    distance = context.distance_m
    if distance is None:
        distance = values.find_distance(own) if own else None
        if distance is None and not own:
            distance = values.find_distance(around)
    if context.relay is not None:
        relay = context.relay
    else:
        relay = "relay" in own.lower() or (not own and "relay" in around.lower())
    kind = EventKind.RELAY if relay else EventKind.INDIVIDUAL
    repeat = _REPEAT.search(own or around)
    if context.event:
        name = context.event
    elif distance is not None:
        words = [_GENDER_TITLE[gender] if gender else "", f"{distance} m"]
        if relay:
            words.append("Relay")
        if repeat:
            words.append(f"({repeat[1]})")
        name = " ".join(w for w in words if w)
    else:
        # a title or file name that names no distance is not an event's name ("heat.csv",
        # "ISU World Cup Dresden"): the event stays untitled, and graphics wait for a title
        name = own or "Event"
    problems = []
    if gender is None:
        problems.append(f"event {name!r} has no gender (give a gender column or --gender)")
    if distance is None:
        problems.append(f"event {name!r} has no distance (give an event column or --distance)")
    if distance is not None and not context.event:
        key = [_GENDER_WORD[gender] if gender else "", f"{distance} m", "Relay" if relay else ""]
        if repeat:
            key.append(repeat[1])
        event_id = values.slug(" ".join(key))
    else:
        event_id = values.slug(name)
    return EventInfo(
        id=event_id or "event",
        name=name,
        gender=gender,
        distance_m=distance,
        kind=kind,
        problems=tuple(problems),
    )


def round_for(context: ImportContext, *hints: str, label: str = "") -> Round:
    """The round of a race: the option, else the round column's label, else titles. A label not
    understood is kept (RoundKind.OTHER) and shown as written."""
    label = " ".join((context.round or label).split())
    if not label:
        for hint in hints:
            found = values.find_round(hint) if hint else None
            if found:
                label = found
                break
    if not label:
        return Round(kind=RoundKind.OTHER, label="")
    return Round(kind=values.parse_round(label), label=label)


def round_problem(rnd: Round) -> str:
    """The warning for a round label that was not understood; '' for the others."""
    if rnd.kind is RoundKind.OTHER and rnd.label:
        return f"round {rnd.label!r} not understood; shown as written"
    return ""


def race_id(event_id: str, rnd: Round, number: int) -> str:
    """A race's id: event, round kind (or the label, for numbered rounds and labels not
    understood) and race number, so that no two races of a weekend share one."""
    if rnd.kind is RoundKind.ROUND:
        part = values.slug(rnd.display)
    elif rnd.kind is RoundKind.OTHER:
        part = values.slug(rnd.label) or "race"
    else:
        part = rnd.kind.value
    return f"{event_id}-{part}-{number}".replace("_", "-")


def competition_with(name: str, event: Event) -> Competition:
    return Competition(id=values.slug(name) or "competition", name=name, events=[event])


def check_race(race: Race, collector: Collector, locations: Sequence[str]) -> None:
    """Warnings for doubtful rows of one race (nothing here rejects a file).

    `locations` names where each result row came from, in the order of race.results.
    """
    where = f"race {race.id}"

    def loc(i: int) -> str:
        return locations[i] if i < len(locations) else where

    rows = race.results
    seen: dict[str, int] = {}
    helmets: dict[int, int] = {}
    competitors = [row.competitor for row in rows]
    ids = [c.id for c in competitors]
    numbers = [c.helmet for c in competitors if c.helmet is not None]
    # Counted first, at C speed; the rows are walked for warnings only when something repeats.
    if len(set(ids)) < len(ids) or len(set(numbers)) < len(numbers):
        for i, competitor in enumerate(competitors):
            cid = competitor.id
            if cid in seen:
                first = loc(seen[cid])
                collector.warn(loc(i), f"{cid} is listed twice in {where} (first at {first})")
            else:
                seen[cid] = i
            helmet = competitor.helmet
            if helmet is not None:
                if helmet in helmets:
                    collector.warn(loc(i), f"helmet {helmet} is used twice in {where}")
                else:
                    helmets[helmet] = i
    # (place, row index) of the placed rows
    placed = [(row.place, i) for i, row in enumerate(rows) if row.place is not None]
    if not rows:
        for i, entry in enumerate(race.start_list):
            cid = entry.competitor.id
            if cid in seen:
                collector.warn(loc(i), f"{cid} is listed twice in {where}")
            seen[cid] = i
            helmet = entry.helmet if entry.helmet is not None else entry.competitor.helmet
            if helmet is not None:
                if helmet in helmets:
                    collector.warn(loc(i), f"helmet {helmet} is used twice in {where}")
                helmets[helmet] = i

    placed.sort(key=itemgetter(0))  # stable: rows of one place stay in file order
    counts = Counter([p for p, _ in placed])
    expected = 1
    previous = 0
    for place, i in placed:
        if place == previous:
            continue
        if place > expected:
            missing = "place 1" if expected == 1 else f"place {expected}"
            collector.warn(loc(i), f"gap in places in {where}: {missing} is missing before {place}")
        expected = place + counts[place]
        previous = place

    # A time faster than one placed ahead of it (ties compare as equals).
    slowest_ahead: tuple[int, int] | None = None  # (ms, row index) over strictly better places
    pending: tuple[int, int] | None = None
    current_place = 0
    for place, i in placed:
        if place != current_place:
            if pending is not None and (slowest_ahead is None or pending[0] > slowest_ahead[0]):
                slowest_ahead = pending
            pending = None
            current_place = place
        t = rows[i].time
        if t is None:
            continue
        if slowest_ahead is not None and t.ms < slowest_ahead[0]:
            ahead = rows[slowest_ahead[1]]
            shown = ahead.time.display if ahead.time else ""
            collector.warn(
                loc(i),
                f"time {t.display} (place {place}) is faster than {shown} "
                f"(place {ahead.place}) in {where}",
            )
        if pending is None or t.ms > pending[0]:
            pending = (t.ms, i)


def default_status(
    has_results: bool, context: ImportContext, hinted: RaceStatus | None
) -> RaceStatus:
    if context.status is not None:
        return context.status
    if hinted is not None:
        return hinted
    return RaceStatus.UNOFFICIAL if has_results else RaceStatus.START_LIST
