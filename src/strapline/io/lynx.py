"""FinishLynx event files (LYNX.EVT): start lists written by short track meet managers.

An event line `event,round,heat,name` opens a race; competitor lines follow, starting with a
comma: `,helmet,lane,last name,first name,affiliation,,id`. Lines starting with ';' are comments.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from strapline.domain.diagnostics import DataError
from strapline.domain.model import (
    Athlete,
    Competition,
    Event,
    EventKind,
    Race,
    RaceStatus,
    Round,
    RoundKind,
    StartEntry,
    Team,
)
from strapline.io import values
from strapline.io.common import (
    Collector,
    ImportContext,
    ImportResult,
    check_race,
    derived_id,
    event_info,
    race_id,
    read_nation,
    round_for,
)
from strapline.io.text import decode


@dataclass
class _Heat:
    line: int
    event_no: str
    round_no: str
    heat_no: str
    title: str
    entries: list[StartEntry] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    explicit_ids: list[bool] = field(default_factory=list)


def looks_like_lynx(text: str) -> bool:
    """True when the first meaningful line is an event line and a competitor line follows."""
    lines = [ln for ln in text.splitlines()[:20] if ln.strip() and not ln.startswith(";")]
    return (
        len(lines) >= 1
        and re.match(r"^\s*\d+\s*,\s*\d*\s*,\s*\d*\s*,", lines[0]) is not None
        and (len(lines) == 1 or lines[1].startswith(","))
    )


def _int(text: str, what: str, source: str, where: str) -> int | None:
    t = values.clean(text)
    if not t:
        return None
    try:
        return values.parse_int(t, what)
    except ValueError as exc:
        raise DataError(source, where, str(exc)) from None


def load_lynx(path: Path, data: bytes, context: ImportContext) -> ImportResult:
    source = str(path)
    text, _ = decode(data, source)
    collector = Collector(source)
    heats: list[_Heat] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=False)
    try:
        for cells in reader:
            line = reader.line_num
            if not cells or not any(c.strip() for c in cells) or cells[0].startswith(";"):
                continue
            if values.clean(cells[0]):
                if len(cells) < 2:
                    raise DataError(
                        source, f"line {line}", "event line needs event,round,heat,name"
                    )
                padded = [*cells, "", "", ""]
                _int(padded[0], "event number", source, f"line {line}")
                heats.append(
                    _Heat(
                        line=line,
                        event_no=values.clean(padded[0]),
                        round_no=values.clean(padded[1]),
                        heat_no=values.clean(padded[2]),
                        title=values.clean(padded[3]),
                    )
                )
                continue
            if not heats:
                raise DataError(source, f"line {line}", "competitor line before any event line")
            heat = heats[-1]
            padded = [*cells, *([""] * 8)]
            where = f"line {line}"
            helmet = _int(padded[1], "helmet number", source, f"{where}, helmet")
            lane = _int(padded[2], "lane", source, f"{where}, lane")
            last, first = values.clean(padded[3]), values.clean(padded[4])
            if not last and not first:
                raise DataError(source, where, "competitor line has no name")
            nation = read_nation(padded[5], collector, f"{where}, affiliation")
            pid = values.clean(padded[7]) or derived_id(
                last or first, first if last else "", nation
            )
            heat.entries.append(
                StartEntry(
                    competitor=Athlete(
                        id=pid,
                        family_name=last or first,
                        given_name=first if last else "",
                        nation=nation,
                        helmet=helmet,
                    ),
                    start_position=lane or None,
                    helmet=helmet,
                )
            )
            heat.locations.append(where)
            heat.explicit_ids.append(bool(values.clean(padded[7])))
    except csv.Error as exc:
        raise DataError(
            source, f"line {reader.line_num}", f"not a valid event file: {exc}"
        ) from None
    if not heats:
        raise DataError(source, "", "no event line (event,round,heat,name) in the file")

    events: dict[str, Event] = {}
    for heat in heats:
        info = event_info(context, heat.title, path.stem)
        rnd = round_for(context, heat.title)
        if rnd.kind is RoundKind.OTHER and not rnd.label and heat.round_no:
            rnd = Round(kind=RoundKind.OTHER, label=f"Round {heat.round_no}")
        number = context.race or _heat_number(heat.heat_no, source, heat.line)
        entries = heat.entries
        if info.kind is EventKind.RELAY:
            entries = [_as_team(e, x) for e, x in zip(entries, heat.explicit_ids, strict=True)]
        race = Race(
            id=race_id(info.id, rnd, number),
            round=rnd,
            number=number,
            status=context.status or RaceStatus.START_LIST,
            start_list=entries,
        )
        check_race(race, collector, heat.locations)
        event = events.get(info.id)
        if event is None:
            event = Event(
                id=info.id,
                name=info.name,
                gender=info.gender,
                distance_m=info.distance_m,
                kind=info.kind,
            )
            events[info.id] = event
        if event.race(race.id) is not None:
            raise DataError(
                source, f"line {heat.line}", f"race {race.id} appears twice in the file"
            )
        event.races = [*event.races, race]
    name = context.competition
    competition = Competition(
        id=values.slug(name) or "competition", name=name, events=list(events.values())
    )
    return ImportResult(competition=competition, warnings=collector.warnings)


def _heat_number(text: str, source: str, line: int) -> int:
    number = _int(text, "heat number", source, f"line {line}, heat") if text else None
    return number if number else 1


def _as_team(entry: StartEntry, explicit_id: bool) -> StartEntry:
    """In a relay event the 'last name' is the team's name."""
    a = entry.competitor
    assert isinstance(a, Athlete)
    name = f"{a.given_name} {a.family_name}" if a.given_name else a.family_name
    team = Team(
        id=a.id if explicit_id else f"{a.nation or values.slug(name)}-team",
        nation=a.nation,
        name=name,
        helmet=a.helmet,
    )
    return StartEntry(competitor=team, start_position=entry.start_position, helmet=entry.helmet)
