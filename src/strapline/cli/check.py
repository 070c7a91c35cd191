"""`strapline check` (import and validate data files) and `strapline schema` (print the schema).

One module serves both command names: `configure(name, parser)` sets up the one asked for.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from strapline.domain.diagnostics import DataError, Diagnostic
from strapline.domain.model import Competition, Gender, RaceStatus

CHECK_EPILOG = """\
formats: CSV (.csv, .tsv, .txt; comma, semicolon or tab; UTF-8, Windows-1252 or Latin-1),
Excel (.xlsx), Strapline JSON (.json), IOC ODF XML (DT_PARTIC, DT_RESULT, DT_RANKING, DT_MEDALS),
FinishLynx start lists (LYNX.EVT). Several files are merged into one competition.

fields for --map: place, start_position, warnings, helmet, name, family_name, given_name, nation,
time, qualification, points, id, status, gender, race, season, competition, event, round, ignore.

A folder stands for the data files in it (a weekend's round files). Cells not understood keep
their row (shown as written, with a warning); a row whose cells do not line up with the header
is an error naming its line.

exit status: 0 when every file was read (warnings allowed unless --strict), 1 on any error.
See docs/data-formats.md."""


def configure(name: str, parser: argparse.ArgumentParser) -> None:
    if name == "schema":
        parser.description = (
            "Print the JSON Schema of Strapline's data format (the format `strapline check "
            "--json` writes and the program loads)."
        )
        parser.set_defaults(command_kind="schema")
        return
    parser.description = "Import data files, validate them and print a summary or the data."
    parser.epilog = CHECK_EPILOG
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.set_defaults(command_kind="check")
    parser.add_argument(
        "files", nargs="+", metavar="FILE", help="data files (or folders of them) to read"
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="print the normalised data in Strapline's JSON format on stdout instead of a "
        "summary (warnings still go to stderr)",
    )
    parser.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="COLUMN=FIELD",
        help="read the table column headed COLUMN as FIELD (CSV and XLSX; repeatable), "
        "e.g. --map 'Rang=place' --map 'Lauf=ignore'",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="treat warnings (unknown nation, duplicate helmet, gap in places, ...) as errors: "
        "exit 1 if there is any",
    )
    parser.add_argument(
        "--format",
        choices=["csv", "xlsx", "json", "odf", "lynx"],
        help="read every file with this importer instead of detecting it",
    )
    table = parser.add_argument_group(
        "what a table or start list does not say (CSV, XLSX, LYNX.EVT; also overrides ODF)"
    )
    table.add_argument("--competition", default="", metavar="NAME", help="competition name")
    table.add_argument(
        "--event",
        default="",
        metavar="NAME",
        help="event name, e.g. 'Men 500 m' (default: read from titles above the table and the "
        "file name, such as 'Men 500m Final A.csv')",
    )
    table.add_argument(
        "--gender", choices=["M", "W", "X"], help="event gender: M men, W women, X mixed"
    )
    table.add_argument("--distance", type=int, metavar="METRES", help="event distance in metres")
    table.add_argument(
        "--relay", action="store_true", default=None, help="the event is a relay (rows are teams)"
    )
    table.add_argument(
        "--round",
        default="",
        metavar="LABEL",
        help="round label, e.g. 'Final A', 'QuarterFinals', 'Rep. Heats' (default: from titles "
        "and the file name)",
    )
    table.add_argument(
        "--race",
        type=int,
        metavar="N",
        help="race (heat) number within the round (default: a Heat/Race column, a number in "
        "the title or file name, else 1)",
    )
    table.add_argument(
        "--standings",
        action="store_true",
        default=None,
        help="the table is a standings list (rank, name, points, points by distance); "
        "default: when a title says 'Standings', 'Overall' or 'Crystal Globe' and the table has "
        "ranks and points but no times",
    )
    table.add_argument(
        "--status",
        choices=[s.value for s in RaceStatus],
        help="race status (default: from a title such as 'Official Results', else UNOFFICIAL "
        "for results and START_LIST for a list without results)",
    )


def _mapping(items: Sequence[str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for item in items:
        column, sep, field = item.partition("=")
        if not sep or not column.strip() or not field.strip():
            raise DataError("--map", item, "expected COLUMN=FIELD, e.g. --map 'Rang=place'")
        mapping[column.strip()] = field.strip()
    return mapping


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def _out(text: str) -> None:
    """Write UTF-8 whatever the locale; a reader that went away (`| head`) is not an error."""
    data = text.encode("utf-8")
    try:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def run(args: argparse.Namespace) -> int:
    # Imported here so `strapline --help` stays quick.
    from strapline.io import ImportContext, dump_json, load_files, schema_text

    if getattr(args, "command_kind", "check") == "schema":
        _out(schema_text())
        return 0
    try:
        context = ImportContext(
            competition=args.competition,
            event=args.event,
            gender=Gender(args.gender) if args.gender else None,
            distance_m=args.distance,
            relay=args.relay,
            round=args.round,
            race=args.race,
            status=RaceStatus(args.status) if args.status else None,
            standings=args.standings,
        )
    except ValueError as exc:
        _err(f"strapline check: error: bad option: {exc}")
        return 1
    try:
        mapping = _mapping(args.map)
        if args.format:
            from strapline.io import load_file, merge

            results = [
                load_file(f, mapping, context=context, format=args.format) for f in args.files
            ]
            result = merge(results, args.files)
        else:
            result = load_files(args.files, mapping, context=context)
    except DataError as exc:
        _err(f"strapline check: error: {exc}")
        return 1
    from strapline.render.coverage import shipped_theme_warnings  # characters no theme draws

    warnings = [*result.warnings, *shipped_theme_warnings(result.competition)]
    if args.json:
        _out(dump_json(result.competition))
        for w in warnings:
            _err(f"warning: {w}")
    else:
        _out(summary(result.competition, warnings, len(result.participants)))
    if args.strict and warnings:
        _err(f"strapline check: {len(warnings)} warning(s), and --strict is on")
        return 1
    return 0


def summary(competition: Competition, warnings: Sequence[Diagnostic], participants: int) -> str:
    races = competition.races()
    rows = sum(len(r.results) or len(r.start_list) for _, r in races)
    title = competition.name or competition.id
    c = competition
    place = c.city + (f" ({c.nation})" if c.nation and c.city else c.nation or "")
    where = " · ".join(p for p in (c.venue, place, c.season) if p)
    lines = [
        f"Competition: {title}"
        + (" (demo data)" if competition.demo and "demo" not in title.lower() else "")
        + (f" · {where}" if where else ""),
        f"  {len(competition.events)} events, {len(races)} races, {rows} rows, "
        f"{len(competition.standings)} standings, {len(competition.medals)} medal lines"
        + (f", {participants} participants" if participants else ""),
    ]
    for event in competition.events:
        lines.append(f"  {event.name} [{event.id}]")
        for race in event.races:
            count = (
                f"{len(race.results)} results"
                if race.results
                else f"{len(race.start_list)} starters"
            )
            lines.append(f"    {race.label}: {race.status.value}, {count}  [{race.id}]")
    for table in competition.standings:
        how = f", computed with {table.computed_with} points" if table.computed_with else ""
        lines.append(
            f"  Standings: {table.title} [{table.id}]: {table.status.value}, "
            f"{len(table.rows)} rows{how}"
        )
    if warnings:
        lines.append(f"Warnings ({len(warnings)}):")
        lines.extend(f"  {w}" for w in warnings)
    else:
        lines.append("No warnings.")
    return "\n".join(lines) + "\n"
