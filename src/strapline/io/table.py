"""One importer for every results table, whatever file it came from (CSV, XLSX).

A reader turns its file into rows of text cells, each row with its number, and says how to name
a cell ("line 7, column Results" or "cell G7"). This module finds the header, maps the columns to
fields, reads each row into the model and checks the race. A cell that cannot be read stops the
import with a DataError naming that cell; nothing is half-loaded.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter, itemgetter
from typing import Any, Literal, TypeVar, overload

from pydantic import TypeAdapter, ValidationError

from strapline.domain.diagnostics import DataError
from strapline.domain.model import (
    Athlete,
    Competition,
    Event,
    EventKind,
    Gender,
    QualificationMark,
    Race,
    RaceStatus,
    RecordMark,
    ResultRow,
    ResultStatus,
    Round,
    Standing,
    Standings,
    StartEntry,
)
from strapline.domain.nations import nation_name
from strapline.io import values
from strapline.io.common import (
    Collector,
    EventInfo,
    ImportContext,
    ImportResult,
    check_race,
    default_status,
    derived_id,
    event_info,
    nation_code,
    race_id,
    round_for,
    round_problem,
    split_competition,
    split_name,
    team_name,
)

FIELDS: dict[str, str] = {
    "place": "finishing place or a code (1, 2=, PEN, DNF, ...)",
    "start_position": "start position (lane) on the line",
    "warnings": "warnings beside a place, such as YC",
    "helmet": "helmet (bib) number",
    "name": "full name as 'FAMILY Given' or 'Given FAMILY', or a relay team's name",
    "family_name": "family name alone",
    "given_name": "given name alone",
    "nation": "IOC-style nation code (ISU member)",
    "time": "race time, with an optional record mark (43.105WR), or a code",
    "qualification": "qualification mark (Q, q, QA, qB, ADV, ...)",
    "points": "points earned",
    "id": "a stable id of the competitor (ISU id, licence)",
    "status": "result code alone (PEN, DQ, ...) or the race's status (OFFICIAL, UNOFFICIAL, ...)",
    "gender": "M, W or X (also L, F, Men, Women, Ladies, Mixed)",
    "race": "race (heat) number: a table with several races is split into them",
    "season": "season, e.g. 2019-2020",
    "competition": "competition, e.g. 'ISU World Cup Short Track 2019/20 - Dresden (GER)'",
    "event": "event or distance, e.g. '1,500m', '5000m Relay', '1000m (2)'",
    "round": "round, e.g. Heats, QuarterFinals, Rep.Quarterfinals, FinalA, Round1",
    "ignore": "a column to leave out",
}

_ALIASES: dict[str, str] = {}
for _field, _names in {
    "place": "place rank rk pos position plc pl platz classement ranking finish",
    "start_position": "startpos startposition start sp lane startorder startingposition stpos st",
    "warnings": "warn warning warnings cards card",
    "helmet": "# helmet helmetno helmet# helmetnumber bib bibno bib# no nr number num startno",
    "name": "name skater athlete competitor fullname skatername athletename team teamname",
    "family_name": "lastname familyname surname last family",
    "given_name": "firstname givenname first forename given",
    "nation": "isumember member nat noc nation country nationality ioc federation nf",
    "time": "results result time finaltime racetime times",
    "qualification": "qual q qualification qualif qualified adv advance",
    "points": "points pts pt wcpoints",
    "id": "id isuid code licence license athleteid skaterid personid",
    "status": "status irm",
    "gender": "gender sex",
    "race": "heat heatno heatnumber race raceno racenumber",
    "season": "season",
    "competition": "competition meet meeting championship championships",
    "event": "event distance discipline",
    "round": "round phase stage",
}.items():
    for _n in _names.split():
        _ALIASES[_n] = _field


def normalise_header(text: str) -> str:
    t = values.clean(text).lower()
    if t == "#":
        return "#"
    return re.sub(r"[\s._\-:()/]", "", t)


@dataclass
class TableSource:
    """A table read by a reader: rows of text cells, and how to name a place in it."""

    source: str
    rows: Iterable[tuple[int, list[str]]]
    cell_name: Callable[[int, int, str], str]  # (row number, column index, header) -> location
    row_name: Callable[[int], str]
    title: str = ""  # e.g. the file name without extension
    no_break_spaces: bool = True  # False when no cell holds U+00A0: stripping is all cells need
    # Every row has as many cells as the header (CSV): a row with fewer or more has lost or
    # gained delimiters (an unterminated quote) and is refused, naming its line.
    exact_width: bool = False


@dataclass
class _Columns:
    index: dict[str, int] = field(default_factory=dict)
    headers: list[str] = field(default_factory=list)
    readers: list[tuple[int, Callable[[_Row, str], None]]] = field(default_factory=list)
    breakdown: list[tuple[int, str]] = field(default_factory=list)  # standings: points by event
    nation: int | None = None  # the nation column, read after the rest of a row (it may warn)
    # With two readers or more: their cells taken from a row at once, when it is wide enough.
    pick: Callable[[Sequence[str]], tuple[str, ...]] | None = None
    functions: list[Callable[[_Row, str], None]] = field(default_factory=list)
    column_of: dict[Callable[[_Row, str], None], int] = field(default_factory=dict)
    field_at: dict[int, str] = field(default_factory=dict)  # column -> the field it holds
    last: int = 0


def _map_columns(
    header: Sequence[str], mapping: dict[str, str], source: str, where: str
) -> _Columns:
    cols = _Columns(headers=[values.clean(h) for h in header])
    explicit: dict[int, str] = {}
    by_name = {normalise_header(h): i for i, h in enumerate(header) if values.clean(h)}
    for column, target in mapping.items():
        key = normalise_header(column)
        if key not in by_name:
            present = ", ".join(h for h in cols.headers if h) or "none"
            raise DataError(
                source, where, f"mapped column {column!r} is not in the header (columns: {present})"
            )
        explicit[by_name[key]] = target
    for i, h in enumerate(header):
        field_name: str | None = explicit.get(i) or _ALIASES.get(normalise_header(h))
        if field_name is None or field_name == "ignore":
            continue
        if field_name in cols.index:
            if i in explicit and cols.index[field_name] not in explicit:
                cols.index[field_name] = i
            continue
        cols.index[field_name] = i
    cols.readers = [(i, _READERS[n]) for n, i in cols.index.items() if n in _READERS]
    cols.field_at = {i: n for n, i in cols.index.items()}
    if len(cols.readers) >= 2:
        cols.pick = itemgetter(*(i for i, _ in cols.readers))
        cols.functions = [reader for _, reader in cols.readers]
        cols.column_of = {reader: i for i, reader in cols.readers}
        cols.last = max(i for i, _ in cols.readers)
    cols.nation = cols.index.get("nation")
    taken = set(cols.index.values()) | set(explicit)
    cols.breakdown = [
        (i, cols.headers[i])
        for i, h in enumerate(header)
        if i not in taken and _BREAKDOWN.search(normalise_header(h))
    ]
    return cols


# Columns of a standings table that hold points by event: "500m", "1000 m (2)", "Relay".
_BREAKDOWN = re.compile(r"^\d{3,5}m?(\d)?$|relay|^\d{3,5}m")
_STANDINGS_WORDS = re.compile(
    r"\bstandings?\b|\boverall\b|crystal\s+globe|world\s+(?:cup|tour)\s+(?:ranking|points)",
    re.IGNORECASE,
)


def _looks_like_header(cells: Sequence[str], mapping: dict[str, str]) -> bool:
    present = {normalise_header(c) for c in cells if values.clean(c)}
    fields = {_ALIASES[n] for n in present if n in _ALIASES}
    fields |= {f for c, f in mapping.items() if normalise_header(c) in present}
    return len(fields) >= 2 and bool(fields & {"name", "family_name", "id", "helmet", "nation"})


_STATUS_WORDS = re.compile(r"\b(unofficial|provisional|official|start\s*list)\b", re.IGNORECASE)


def _status_hint(lines: Sequence[str]) -> RaceStatus | None:
    for line in lines:
        m = _STATUS_WORDS.search(line)
        if m:
            return values.parse_race_status(m.group(1))
    return None


@dataclass(slots=True)
class _Row:
    number: int
    place: int | None = None
    tie: bool = False
    start_position: int | None = None
    status: ResultStatus | None = None
    warnings: tuple[ResultStatus, ...] = ()  # most rows have none: no list made for them
    helmet: int | None = None
    family: str = ""
    given: str = ""
    original: str = ""
    nation: str | None = None
    time: dict[str, Any] | None = None  # validated as RaceTime with the whole row
    record: RecordMark | None = None
    qualification: QualificationMark | None = None
    points: float | None = None
    id: str = ""
    gender: Gender | None = None
    race: int | None = None
    season: str = ""
    competition: str = ""
    event: str = ""
    round: str = ""
    race_status: RaceStatus | None = None
    name_doubt: str = ""  # why a person's name was kept as written (split_name), or ''

    # Made only for the rows that have them (a relay team, a standings row with points by event,
    # cells kept as written because they were not understood).
    members: list[Athlete] | None = None
    breakdown: dict[str, float] | None = None
    as_written: dict[str, str] | None = None

    @property
    def has_result(self) -> bool:
        return (
            self.place is not None
            or self.time is not None
            or self.status is not None
            or self.qualification is not None
            or self.points is not None
        )


def import_table(
    table: TableSource, mapping: dict[str, str] | None, context: ImportContext
) -> ImportResult:
    """Read one results table into a competition: one race, or many races and events when
    context columns (event, gender, round, race...) say which row belongs where."""
    mapping = dict(mapping or {})
    for column, target in mapping.items():
        if target not in FIELDS:
            raise DataError(
                table.source,
                f"mapping {column}={target}",
                f"unknown field {target!r} (fields: {', '.join(FIELDS)})",
            )
    collector = Collector(table.source)
    preamble: list[str] = []
    cols: _Columns | None = None
    header_row = 0
    rows: list[_Row] = []
    relay_hint = context.relay

    header_key: list[str] = []
    header_width = named_width = 0
    first_header = ""
    standings = False
    nbsp = table.no_break_spaces
    strip = str.strip
    for number, raw_cells in table.rows:
        if nbsp:
            cells = [strip(c) if "\xa0" not in c else values.clean(c) for c in raw_cells]
        else:
            cells = list(map(strip, raw_cells))
        if not any(cells):
            continue
        if cols is None:
            if _looks_like_header(cells, mapping):
                cols = _map_columns(cells, mapping, table.source, table.row_name(number))
                header_row = number
                header_key = [normalise_header(h) for h in cols.headers]
                header_width = len(header_key)
                # cells a row needs: up to the last named column (empty ones after it may be cut)
                named_width = max(i for i, h in enumerate(cols.headers) if h) + 1
                first_header = cols.headers[0].lower()
                name_col = cols.index.get("name")
                if (
                    relay_hint is None
                    and name_col is not None
                    and header_key[name_col] in ("team", "teamname")
                ):
                    relay_hint = True  # the names are teams' names: a relay
                standings = _is_standings(cols, context, [*preamble, table.title])
                continue
            if len(preamble) < 30:
                preamble.append(" ".join(values.clean(c) for c in cells if values.clean(c)))
                continue
            break
        if (
            len(cells) == header_width
            and cells[0].lower() == first_header
            and [normalise_header(c) for c in cells] == header_key
        ):
            continue  # the header repeated on a new page
        if table.exact_width and len(cells) != header_width:
            _check_width(table, cells, header_width, named_width, number)
        row = _read_row(table, cols, number, cells, collector, standings)
        if row is None:
            continue
        rows.append(row)

    if cols is None:
        raise DataError(
            table.source,
            "",
            "no header row found: expected columns such as Place, #, Name, ISU Member, Results "
            "(name the columns with --map COLUMN=FIELD)"
            + (f"; mapped columns: {', '.join(mapping)}" if mapping else ""),
        )
    if not rows:
        raise DataError(table.source, table.row_name(header_row), "the table has no rows")

    hints = [*preamble, table.title]
    if standings:
        ctx = context if relay_hint is None else context.model_copy(update={"relay": relay_hint})
        info = event_info(ctx, *hints)
        rows = _attach_members(rows) if info.kind is EventKind.RELAY else rows
        return _standings(table, context, info, rows, hints, collector)
    if "nation" not in cols.index:
        collector.warn(table.row_name(header_row), "no nation column: no row has a nation")
    return _races(table, cols, context, relay_hint, rows, hints, preamble, collector)


def _check_width(
    table: TableSource, cells: Sequence[str], width: int, named: int, number: int
) -> None:
    """Refuse a row whose cells do not line up with the header's `width` cells (`named` of them
    up to the last named column); a lone note and empty cells past the named columns pass."""
    filled = [i for i, c in enumerate(cells) if c]
    if len(filled) <= 1 or (len(cells) >= named and filled[-1] < named):
        return
    swallowed = any("\n" in c or "," in c or ";" in c or "\t" in c for c in cells)
    hint = (
        " (a quote opened in this row is never closed, and swallowed the cells after it)"
        if swallowed and len(cells) < width
        else ""
    )
    raise DataError(
        table.source,
        table.row_name(number),
        f"{len(cells)} cells where the header has {width}{hint}",
    )


# What a row's context columns say: (competition, season, event, gender, round, race).
_Context = tuple[str, str, str, Gender | None, str, int | None]


def _races(
    table: TableSource,
    cols: _Columns,
    context: ImportContext,
    relay_hint: bool | None,
    rows: list[_Row],
    hints: list[str],
    preamble: list[str],
    collector: Collector,
) -> ImportResult:
    """The rows of a results table or start list as races, grouped by what their context
    columns say (competition, season, event, gender, round, race): one file may hold a whole
    weekend. What no column says comes from the options, then the titles and the file name."""
    groups: dict[_Context, list[_Row]] = {}
    by_race = "race" in cols.index and context.race is None
    for r in rows:
        key = (
            r.competition,
            r.season,
            r.event,
            r.gender,
            r.round,
            r.race if by_race else None,
        )
        group = groups.get(key)
        if group is None:
            groups[key] = [r]
        else:
            group.append(r)

    number_hint = _race_number(hints) if context.race is None else context.race
    hinted_status = _status_hint(preamble)
    events: dict[str, Event] = {}
    infos: dict[tuple[str, Gender | None, bool], EventInfo] = {}
    rounds: dict[str, Round] = {}
    competitions: dict[str, int] = {}
    season = ""
    for (comp_text, season_text, event_text, gender, round_text, race_no), group in groups.items():
        where = table.row_name(group[0].number)
        if comp_text:
            competitions.setdefault(comp_text, group[0].number)
        season = season or season_text
        teams = relay_hint is None and _all_teams(group)
        info_key = (event_text, gender, teams)
        info = infos.get(info_key)
        if info is None:
            ctx = context
            if relay_hint is not None or teams:
                ctx = context.model_copy(update={"relay": True if teams else relay_hint})
            info = infos[info_key] = event_info(ctx, *hints, text=event_text, gender=gender)
            for problem in info.problems:
                collector.warn(where, problem)
        rnd = rounds.get(round_text)
        if rnd is None:
            rnd = rounds[round_text] = round_for(context, *hints, label=round_text)
            problem = round_problem(rnd)
            if problem:
                collector.warn(where, problem)
        number = race_no if race_no is not None else number_hint or 1
        group = _attach_members(group) if info.kind is EventKind.RELAY else group
        if info.kind is EventKind.INDIVIDUAL:
            _warn_teams(table, cols, group, info, collector)
            _warn_names(table, cols, group, collector)
        has_results = any(r.has_result for r in group)
        status = _race_status(table, group, context, hinted_status, has_results, collector)
        race = _race(table, info, rnd, number, status, has_results, group, collector)
        event = events.get(info.id)
        if event is None:
            events[info.id] = Event(
                id=info.id,
                name=info.name,
                gender=info.gender,
                distance_m=info.distance_m,
                kind=info.kind,
                races=[race],
            )
        else:
            if event.race(race.id) is not None:
                collector.warn(where, f"race {race.id} appears twice in the file; both kept")
                race = race.model_copy(update={"id": f"{race.id}-{len(event.races) + 1}"})
            event.races.append(race)
    return ImportResult(
        competition=_competition(
            table, context, competitions, season, list(events.values()), collector
        ),
        warnings=collector.warnings,
    )


def _competition(
    table: TableSource,
    context: ImportContext,
    competitions: dict[str, int],
    season: str,
    events: list[Event],
    collector: Collector,
) -> Competition:
    """The competition of a table: the option, else the competition column (name, venue, city
    and nation from "... - Dresden (GER)")."""
    written = list(competitions)
    if len(written) > 1:
        collector.warn(
            table.row_name(competitions[written[1]]),
            f"rows of another competition ({written[1]!r}) in a file of {written[0]!r}; "
            "read as one competition",
        )
    text = context.competition or (written[0] if written else "")
    name, venue, city, nation = split_competition(text)
    return Competition(
        id=values.slug(name) or "competition",
        name=name,
        venue=venue,
        city=city,
        nation=nation,
        season=season,
        events=events,
    )


def _race_status(
    table: TableSource,
    rows: Sequence[_Row],
    context: ImportContext,
    hinted: RaceStatus | None,
    has_results: bool,
    collector: Collector,
) -> RaceStatus:
    """The option, else the status column of the race's rows, else titles and the rows."""
    said = {r.race_status for r in rows if r.race_status is not None}
    if context.status is None and said:
        if len(said) > 1:
            first = next(r.race_status for r in rows if r.race_status is not None)
            collector.warn(
                table.row_name(rows[0].number),
                "the rows of one race give different statuses "
                f"({', '.join(sorted(s.value for s in said))}); read as {first}",
            )
            return first
        return said.pop()
    return default_status(has_results, context, hinted)


def _is_standings(cols: _Columns, context: ImportContext, hints: Sequence[str]) -> bool:
    """A table of ranks and points under a title such as 'Overall Standings' (or --standings)."""
    if context.standings is not None:
        return context.standings
    return (
        "points" in cols.index
        and "place" in cols.index
        and "time" not in cols.index
        and any(_STANDINGS_WORDS.search(h) for h in hints if h)
    )


def _standings(
    table: TableSource,
    context: ImportContext,
    info: EventInfo,
    rows: list[_Row],
    hints: Sequence[str],
    collector: Collector,
) -> ImportResult:
    title = context.event or next(
        (h for h in hints if h and _STANDINGS_WORDS.search(h)), hints[0] if hints else ""
    )
    title = title or "Standings"
    places = Counter(r.place for r in rows if r.place is not None)
    kept: list[dict[str, Any]] = []
    names: list[str] = []
    for r in rows:
        where = table.row_name(r.number)
        if r.place is None:
            collector.warn(where, "row has no rank; left out of the standings")
            continue
        if r.points is None:
            raise DataError(table.source, where, "standings row has no points")
        kept.append(
            {
                "rank": r.place,
                "tie": r.tie or places[r.place] > 1,
                "competitor": _competitor(r, info),
                "points": r.points,
                "breakdown": r.breakdown if r.breakdown is not None else {},
            }
        )
        names.append(where)
    if not kept:
        raise DataError(table.source, "", "the standings table has no ranked rows")
    standing_rows = _validated(_STANDING_ROWS, kept, table.source, names)
    status = default_status(True, context, _status_hint(hints))
    table_model = Standings(
        id=values.slug(title) or "standings", title=title, status=status, rows=standing_rows
    )
    name = context.competition
    competition = Competition(
        id=values.slug(name) or "competition", name=name, standings=[table_model]
    )
    return ImportResult(competition=competition, warnings=collector.warnings)


class _RowNames(Sequence[str]):
    """Where each row of a race came from ("line 7"), named only when a message needs it."""

    def __init__(self, table: TableSource, rows: Sequence[_Row]) -> None:
        self._name = table.row_name
        self._rows = rows

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self._name(r.number) for r in self._rows[index]]
        return self._name(self._rows[index].number)


def _race(
    table: TableSource,
    info: EventInfo,
    rnd: Round,
    number: int,
    status: RaceStatus,
    has_results: bool,
    rows: list[_Row],
    collector: Collector,
) -> Race:
    places = Counter([r.place for r in rows if r.place is not None])
    shared = {place for place, n in places.items() if n > 1}
    competitors = _competitors(rows, info)
    row_names = _RowNames(table, rows)
    results: list[ResultRow] = []
    if has_results:
        results = _validated(
            _RESULTS,
            [
                {
                    "competitor": c,
                    "place": r.place,
                    "tie": r.tie or r.place in shared,  # None is in no set of places
                    "start_position": r.start_position,
                    "time": r.time,
                    "record": r.record,
                    "status": r.status,
                    "warnings": r.warnings,
                    "qualification": r.qualification,
                    "points": r.points,
                    "as_written": r.as_written if r.as_written is not None else {},
                }
                for r, c in zip(rows, competitors, strict=True)
            ],
            table.source,
            row_names,
        )
        start = _start_list(results)
    else:
        start = _validated(
            _STARTS,
            [
                {"competitor": c, "start_position": r.start_position, "helmet": r.helmet}
                for r, c in zip(rows, competitors, strict=True)
            ],
            table.source,
            row_names,
        )
    race = Race(
        id=race_id(info.id, rnd, number),
        round=rnd,
        number=number,
        status=status,
        start_list=start,
        results=results,
    )
    check_race(race, collector, row_names)
    return race


def _start_list(results: list[ResultRow]) -> list[StartEntry]:
    """The start list of a results table: its rows with a start position, in that order."""
    starters = sorted(
        (res for res in results if res.start_position is not None),
        key=attrgetter("start_position"),
    )
    entries = [
        {
            "competitor": res.competitor,
            "start_position": res.start_position,
            "helmet": res.competitor.helmet,
        }
        for res in starters
    ]
    return _STARTS.validate_python(entries)  # the whole list at once: one call, not one a row


_RESULTS: TypeAdapter[list[ResultRow]] = TypeAdapter(list[ResultRow])
_STARTS: TypeAdapter[list[StartEntry]] = TypeAdapter(list[StartEntry])
_STANDING_ROWS: TypeAdapter[list[Standing]] = TypeAdapter(list[Standing])
T = TypeVar("T")
# "ignore": the keys of the rows built here are the models' fields; tests set it to "forbid".
_UNKNOWN_KEYS: Literal["ignore", "forbid"] = "ignore"


def _validated(
    adapter: TypeAdapter[list[T]],
    rows: list[dict[str, Any]],
    source: str,
    names: Sequence[str],
) -> list[T]:
    """Validate every row at once (fast); a rejected row is named by its place in the file.

    The rows are dicts this module builds, with the models' own field names, so the check for
    unknown keys (the models forbid them, for files) is skipped: it is an eighth of the
    validation. Tests validate them with the check on (_UNKNOWN_KEYS = "forbid").
    """
    try:
        return adapter.validate_python(rows, extra=_UNKNOWN_KEYS)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = first["loc"]
        index = loc[0] if loc and isinstance(loc[0], int) else 0
        where = names[index] if index < len(names) else ""
        what = ".".join(str(p) for p in loc[1:])
        raise DataError(
            source, where, f"{what}: {first['msg']}" if what else first["msg"]
        ) from None


def _race_number(hints: Sequence[str]) -> int | None:
    for hint in hints:
        m = re.search(
            r"\b(?:heat|race|quarter-?finals?|semi-?finals?|repechage|rep\.?|no\.?|#)\s*(\d{1,2})\b",
            hint,
            re.IGNORECASE,
        )
        if m and int(m[1]) >= 1:
            return int(m[1])
    return None


def _read_row(
    table: TableSource,
    cols: _Columns,
    number: int,
    cells: Sequence[str],
    collector: Collector,
    standings: bool = False,
) -> _Row | None:
    """One row of the table; `cells` are already stripped. None for a note under the table.

    A cell that cannot be read (an unknown mark, place or code) keeps its row: the cell is kept
    as written in `as_written` and a warning names its line and column.
    """
    row = _Row(number)
    width = len(cells)
    failed: list[tuple[int, str, str]] | None = None  # (column, text, problem)
    if cols.pick is not None and width > cols.last:
        # Every column read is there: take their cells at once.
        for reader, text in zip(cols.functions, cols.pick(cells), strict=True):
            if text:
                try:
                    reader(row, text)
                except ValueError as exc:
                    failed = failed or []
                    failed.append((cols.column_of[reader], text, str(exc)))
    else:
        for i, reader in cols.readers:
            if i < width and (text := cells[i]):
                try:
                    reader(row, text)
                except ValueError as exc:
                    failed = failed or []
                    failed.append((i, text, str(exc)))
    if failed is not None:
        if sum(1 for c in cells if c) == 1:
            return None  # a note under the table ("Referee: ..."), not a row
        row.as_written = {}
        for i, text, problem in failed:
            field_name = cols.field_at[i]
            row.as_written[field_name] = text
            collector.warn(_cell_at(table, cols, number, i), f"{problem}; kept as written")

    if not (row.family or row.original):
        if sum(1 for c in cells if c) <= 1 and not row.has_result:
            return None
        if row.id:
            row.family = row.id
        else:
            raise DataError(table.source, table.row_name(number), "row has no name")
    if standings:
        for i, header in cols.breakdown:
            if i < width and cells[i]:
                try:
                    if row.breakdown is None:
                        row.breakdown = {}
                    row.breakdown[header] = values.parse_points(cells[i])
                except ValueError as exc:
                    raise DataError(
                        table.source, _cell_at(table, cols, number, i), str(exc)
                    ) from None
    n = cols.nation
    if n is not None:
        if n < width and (nation := cells[n]):
            row.nation, problem = nation_code(nation)
            if problem:
                collector.warn(_cell_at(table, cols, number, n), problem)
        elif not standings and (
            row.has_result or row.helmet is not None or row.start_position is not None
        ):
            # (a row with a name alone may be a relay team's skater: the team's nation is hers)
            collector.warn(_cell_at(table, cols, number, n), "row has no nation")
    return row


def _cell_at(table: TableSource, cols: _Columns, number: int, i: int) -> str:
    return table.cell_name(number, i, cols.headers[i] if i < len(cols.headers) else "")


# The readers get a cell's text stripped and not empty, and read it with strapline.io.values, which
# reads (or rejects) a value the same way whatever importer calls it: one grammar for each kind of
# cell. A reader raises ValueError for a cell it cannot read; the row keeps it as written.


def _place(row: _Row, text: str) -> None:
    place, tie, status = values.parse_place(text)
    row.place, row.tie = place, tie
    if status is not None:
        row.status = status


def _start_position(row: _Row, text: str) -> None:
    row.start_position = values.parse_int(text, "start position") or None


def _warnings(row: _Row, text: str) -> None:
    for part in re.split(r"[\s,;/+]+", text):
        if not part:
            continue
        code = values.parse_status(part)
        if code is None:
            raise ValueError(f"{part!r} is not a warning code (expected e.g. YC)")
        row.warnings = (*row.warnings, code)


def _helmet(row: _Row, text: str) -> None:
    row.helmet = values.parse_int(text, "helmet number")


def _name(row: _Row, text: str) -> None:
    row.family, row.given, row.original, row.name_doubt = split_name(text)


def _family(row: _Row, text: str) -> None:
    row.family = text


def _given(row: _Row, text: str) -> None:
    row.given = text


def _time(row: _Row, text: str) -> None:
    code = values.parse_status(text) if text[0].isalpha() else None
    if code is not None:
        row.status = code
        return
    ms, shown, row.record = values.time_parts(text)
    row.time = {"ms": ms, "display": shown}


# A table repeats a few marks many times; an error is not cached, so each bad cell is reported.
_read_qualification = functools.lru_cache(maxsize=1024)(values.parse_qualification)


def _qualification(row: _Row, text: str) -> None:
    row.qualification = _read_qualification(text)


def _points(row: _Row, text: str) -> None:
    row.points = values.parse_points(text)


def _id(row: _Row, text: str) -> None:
    row.id = text


def _race_no(row: _Row, text: str) -> None:
    row.race = values.parse_int(text, "race (heat) number") or None


def _gender(row: _Row, text: str) -> None:
    gender = values.parse_gender(text)
    if gender is None:
        raise ValueError(f"{text!r} is not a gender (expected M, W or X)")
    row.gender = gender


def _status(row: _Row, text: str) -> None:
    code = values.parse_status(text)
    if code is not None:
        row.status = code
        return
    race_status = values.parse_race_status(text)
    if race_status is None:
        raise ValueError(
            f"{text!r} is not a result code (PEN, DQ, DNF, ...) or a race status "
            "(OFFICIAL, UNOFFICIAL, ...)"
        )
    row.race_status = race_status


def _season(row: _Row, text: str) -> None:
    row.season = text


def _competition_cell(row: _Row, text: str) -> None:
    row.competition = text


def _event(row: _Row, text: str) -> None:
    row.event = text


def _round(row: _Row, text: str) -> None:
    row.round = text


# "nation" is read after the rest of the row (it may warn).
_READERS: dict[str, Callable[[_Row, str], None]] = {
    "place": _place,
    "start_position": _start_position,
    "warnings": _warnings,
    "helmet": _helmet,
    "name": _name,
    "family_name": _family,
    "given_name": _given,
    "time": _time,
    "qualification": _qualification,
    "points": _points,
    "id": _id,
    "status": _status,
    "gender": _gender,
    "race": _race_no,
    "season": _season,
    "competition": _competition_cell,
    "event": _event,
    "round": _round,
}


def _attach_members(rows: list[_Row]) -> list[_Row]:
    """In a relay table, a row with a name only, under a team's row, is a member of that team."""
    teams: list[_Row] = []
    for r in rows:
        lone = not r.has_result and r.helmet is None and r.start_position is None
        if lone and teams:
            family, given = r.family, r.given
            team = teams[-1]
            nation = r.nation or team.nation
            if team.members is None:
                team.members = []
            team.members.append(
                Athlete(
                    id=r.id or derived_id(family, given, nation),
                    family_name=family,
                    given_name=given,
                    original_name=r.original,
                    nation=nation,
                )
            )
        else:
            teams.append(r)
    return teams


def _looks_like_team(r: _Row) -> bool:
    """A row whose name is its nation's, written together ("UNITEDSTATES") or as its code."""
    if r.given or not r.nation or r.members:
        return False
    text = r.original or r.family
    if " " in text or not text.isupper():
        return False
    known = nation_name(r.nation)
    return text == r.nation or (
        known is not None and len(text) >= 4 and text in re.sub(r"\W", "", known.upper())
    )


def _all_teams(rows: Sequence[_Row]) -> bool:
    """Every row with a result or a place in the start list is a nation's team: a relay."""
    lead = [r for r in rows if r.has_result or r.start_position is not None or r.helmet]
    return bool(lead) and all(_looks_like_team(r) for r in lead)


def _warn_teams(
    table: TableSource, cols: _Columns, rows: Sequence[_Row], info: EventInfo, collector: Collector
) -> None:
    for r in rows:
        if _looks_like_team(r):
            collector.warn(
                _cell_at(table, cols, r.number, cols.index.get("name", 0)),
                f"{r.original or r.family!r} looks like a relay team, in the individual event "
                f"{info.name!r}",
            )


def _warn_names(
    table: TableSource, cols: _Columns, rows: Sequence[_Row], collector: Collector
) -> None:
    """A person's name kept as written, never guessed silently."""
    for r in rows:
        if r.name_doubt and not _looks_like_team(r):
            collector.warn(
                _cell_at(table, cols, r.number, cols.index.get("name", 0)),
                f"name {r.original!r} kept as written: {r.name_doubt}",
            )


def _competitor(r: _Row, info: EventInfo) -> dict[str, Any]:
    if info.kind is EventKind.RELAY:
        name, _ = team_name(r.original or r.family, r.nation)
        return {
            "kind": "team",
            "id": r.id or f"{r.nation or values.slug(name)}-team",
            "nation": r.nation,
            "name": name,
            "members": r.members if r.members is not None else [],
            "helmet": r.helmet,
        }
    return {
        "kind": "athlete",
        "id": r.id or derived_id(r.family, r.given, r.nation),
        "family_name": r.family,
        "given_name": r.given,
        "original_name": r.original,
        "nation": r.nation,
        "helmet": r.helmet,
        "gender": _person_gender(r.gender or info.gender),
    }


def _competitors(rows: Sequence[_Row], info: EventInfo) -> list[dict[str, Any]]:
    """The competitor of each row, as data for the model to validate."""
    if info.kind is EventKind.RELAY:
        return [_competitor(r, info) for r in rows]
    event_gender = _person_gender(info.gender)
    return [
        {
            "kind": "athlete",
            "id": r.id or derived_id(r.family, r.given, r.nation),
            "family_name": r.family,
            "given_name": r.given,
            "original_name": r.original,
            "nation": r.nation,
            "helmet": r.helmet,
            "gender": event_gender if r.gender is None else _person_gender(r.gender),
        }
        for r in rows
    ]


def _person_gender(gender: Gender | None) -> Gender | None:
    """A person is a man or a woman; 'mixed' belongs to events, not people."""
    return gender if gender is not Gender.MIXED else None
