"""The FinishLynx scoreboard stream, as the shipped script packaging/strapline.lss makes it.

FinishLynx sends a scoreboard whatever its scoreboard script (.lss) formats. The shipped script
writes one record a line, fields separated by '|', each record starting with 'SLX':

    SLX|T|<state>|<time>                      running time; state A armed, G gun, R running,
                                              P paused (a split held), S stopped
    SLX|LH|<status>|<event>|<event no>|<round>|<heat>|<count>     start list header
    SLX|L|<place>|<lane>|<id>|<name>|<affiliation>|<time>|<delta>|<split>|<last split>|<laps to go>
    SLX|LE                                    start list end
    SLX|RH|...  SLX|R|...  SLX|RE             the same for results (running results too)

The id is the helmet number (short track meet managers write the helmet as the Lynx id); when
it is not a number, the lane is used. A place that is a code (DNF, DQ, DNS) marks the skater.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from strapline.domain.live_race import (
    Arm,
    Clock,
    Finish,
    Lap,
    Leader,
    Mark,
    SkaterInfo,
    Start,
    Status,
    TimingMessage,
)
from strapline.feeds.base import LineError

_TIME = re.compile(r"^(?:(\d+):)?(?:(\d+):)?(\d+(?:\.\d*)?)$")
_NATION = re.compile(r"^[A-Z]{3}$")
_CODES = {"DNF": "DNF", "DQ": "DQ", "DNS": "DNS", "PEN": "PEN", "YC": "YC"}
RESULT_FIELDS = 10  # place, lane, id, name, affiliation, time, delta, split, last split, to go


def parse_time(text: str, what: str = "time") -> float | None:
    """'41.48', '1:24.245', '1:02:03.4' -> seconds; '' -> None; LineError otherwise."""
    text = text.strip()
    if not text:
        return None
    m = _TIME.match(text)
    if m is None:
        raise LineError(f"{what} {text!r} is not a time (like 41.48 or 1:24.245)")
    a, b, secs = m.groups()
    hours, minutes = (int(a), int(b)) if b is not None else (0, int(a or 0))
    value = hours * 3600 + minutes * 60 + float(secs)
    if value > 86_400:
        raise LineError(f"{what} {text!r} is longer than a day")
    return value


@dataclass
class _Table:
    kind: str  # "L" start list, "R" results
    status: str = ""
    key: str = ""
    event: str = ""
    rows: list[list[str]] = field(default_factory=list)


class LynxScoreboardDecoder:
    """Decodes the shipped script's records; keeps the header and start list it has seen."""

    name = "finishlynx"

    def __init__(self) -> None:
        self.race_key = ""
        self.event = ""
        self.skaters: tuple[SkaterInfo, ...] = ()
        self._table: _Table | None = None
        self._time_state = ""
        self._official_sent = ""

    def decode(self, line: bytes) -> list[TimingMessage]:
        text = line.decode("latin-1").strip()
        if not text:
            return []
        fields = [f.strip() for f in text.split("|")]
        if fields[0] != "SLX" or len(fields) < 2:
            raise LineError("not a record of the Strapline scoreboard script (no 'SLX|')")
        kind = fields[1]
        if kind == "I":
            return []
        if kind == "T":
            return self._time(fields)
        if kind in ("LH", "RH"):
            return self._header(kind[0], fields)
        if kind in ("L", "R"):
            return self._row(kind, fields)
        if kind in ("LE", "RE"):
            return self._end(kind[0])
        raise LineError(f"unknown record type {kind!r} (T, LH, L, LE, RH, R, RE)")

    def _time(self, fields: list[str]) -> list[TimingMessage]:
        if len(fields) != 4:
            raise LineError(f"a time record has 4 fields, this one {len(fields)}")
        state = fields[2]
        if state not in ("A", "G", "R", "P", "S"):
            raise LineError(f"unknown timer state {state!r} (A, G, R, P, S)")
        seconds = parse_time(fields[3], "running time") or 0.0
        previous, self._time_state = self._time_state, state
        if state == "A":
            if previous == "A":
                return []
            return [Arm(race=self.race_key, event=self.event, skaters=self.skaters)]
        if state == "G":
            return [Start(elapsed=seconds)]
        if state == "S":
            return [Clock(time=seconds, running=False)] if seconds > 0 else []
        if state == "P":
            return []  # a split held on the board: the race runs on
        return [Clock(time=seconds)]

    def _header(self, kind: str, fields: list[str]) -> list[TimingMessage]:
        if len(fields) != 8:
            raise LineError(f"a header has 8 fields, this one {len(fields)}")
        status, event, number, rnd, heat = fields[2:7]
        key = "-".join(p for p in (number, rnd, heat) if p) or event
        self._table = _Table(kind, status.upper(), key, event)
        return []

    def _row(self, kind: str, fields: list[str]) -> list[TimingMessage]:
        if len(fields) != 2 + RESULT_FIELDS:
            raise LineError(f"a result line has {2 + RESULT_FIELDS} fields, this one {len(fields)}")
        place, lane, ident, name, affiliation, time, _delta, split, _last, to_go = fields[2:]
        helmet = _helmet(ident, lane)
        finish = parse_time(time, "time")
        cumulative = parse_time(split, "split")
        try:
            laps_to_go = float(to_go) if to_go else None
        except ValueError:
            raise LineError(f"laps to go {to_go!r} is not a number") from None
        table = self._table
        if table is None or table.kind != kind[0]:
            raise LineError("a result line before its header")
        table.rows.append(fields[2:])
        nation = affiliation.upper() if _NATION.match(affiliation.upper()) else ""
        out: list[TimingMessage] = []
        if kind == "L":
            return out
        skater = SkaterInfo(helmet=helmet, name=name, nation=nation)
        if all(s.helmet != helmet for s in self.skaters):
            self.skaters = (*self.skaters, skater)
        code = _CODES.get(place.upper())
        if code is not None:
            out.append(Mark(helmet=helmet, code=code))  # type: ignore[arg-type]
        if cumulative is not None and finish is None:
            out.append(Lap(helmet=helmet, time=cumulative))
        if finish is not None and code is None:
            number = int(place) if place.isdigit() and int(place) > 0 else None
            out.append(Finish(helmet=helmet, time=finish, place=number))
        if place == "1" and laps_to_go is not None and finish is None:
            out.append(Leader(laps_to_go=laps_to_go))
        return out

    def _end(self, kind: str) -> list[TimingMessage]:
        table = self._table
        self._table = None
        if table is None or table.kind != kind:
            raise LineError("an end of list without its header")
        out: list[TimingMessage] = []
        if kind == "L":
            skaters = []
            for row in table.rows:
                nation = row[4].upper() if _NATION.match(row[4].upper()) else ""
                skaters.append(SkaterInfo(helmet=_helmet(row[2], row[1]), name=row[3],
                                          nation=nation))  # fmt: skip
            if table.key != self.race_key or tuple(skaters) != self.skaters:
                self.race_key, self.event, self.skaters = table.key, table.event, tuple(skaters)
                out.append(Arm(race=table.key, event=table.event, skaters=self.skaters))
                self._time_state = "A"
        elif table.status == "OFFICIAL" and self._official_sent != table.key:
            self._official_sent = table.key
            out.append(Status(status="official"))
        return out


def _helmet(ident: str, lane: str) -> int:
    for candidate in (ident, lane):
        text = candidate.strip()
        if text.endswith(".0"):
            text = text[:-2]
        if text.isdigit() and int(text) <= 9999:
            return int(text)
    raise LineError(f"neither the id {ident!r} nor the lane {lane!r} is a helmet number")
