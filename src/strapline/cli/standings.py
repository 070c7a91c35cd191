"""`strapline standings`: World Cup / World Tour standings computed from result files."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from strapline.cli.check import _err, _mapping, _out
from strapline.domain.diagnostics import DataError, Diagnostic, Severity
from strapline.domain.model import Competition, Standings

EPILOG = """\
Files of one competition are merged (a weekend's round files); files of several competitions
(a season's weekends) give standings over all of them. Standings: per distance and gender,
overall per gender (Crystal Globe), per relay event, and nations (Team Crystal Globe).

points tables: a shipped table by name (default isu-world-tour-2024) or a JSON file in the
format of docs/data-formats.md ("Points tables").

exit status: 0 when every file was read, 1 on any error. See docs/data-formats.md."""


def configure(name: str, parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Compute standings from result files with a points table; print them, or write "
        "Strapline JSON that the graphics and the app load."
    )
    parser.epilog = EPILOG
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("files", nargs="+", metavar="FILE", help="result files to read")
    parser.add_argument(
        "--points",
        default="",
        metavar="TABLE",
        help="points table: a shipped table's name (isu-world-tour-2024, the default) or a "
        "JSON file",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="print Strapline JSON (the competition with its computed standings; several "
        "competitions give one holding the standings only) instead of the tables",
    )
    parser.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="COLUMN=FIELD",
        help="read the table column headed COLUMN as FIELD, as for `strapline check`",
    )


def _table(spec: str) -> object:
    from strapline.domain.standings import load_points_table, shipped_points_table

    if not spec:
        return shipped_points_table()
    path = Path(spec)
    if path.suffix.lower() == ".json" or path.exists():
        try:
            text = path.read_text("utf-8")
        except OSError as exc:
            raise DataError(spec, "", f"cannot be read: {exc.strerror or exc}") from None
        try:
            return load_points_table(text, spec)
        except ValueError as exc:
            raise DataError(spec, "", str(exc).removeprefix(f"{spec}: ")) from None
    try:
        return shipped_points_table(spec)
    except ValueError as exc:
        raise DataError("--points", spec, str(exc)) from None


def run(args: argparse.Namespace) -> int:
    from strapline.domain.standings import PointsTable, compare_standings, compute_standings
    from strapline.io import dump_json, load_file, merge

    try:
        table = _table(args.points)
        assert isinstance(table, PointsTable)
        mapping = _mapping(args.map)
        results = [load_file(f, mapping) for f in args.files]
    except DataError as exc:
        _err(f"strapline standings: error: {exc}")
        return 1
    groups: dict[str, list[int]] = {}
    for i, result in enumerate(results):
        groups.setdefault(result.competition.id, []).append(i)
    competitions: list[Competition] = []
    warnings: list[Diagnostic] = []
    for indexes in groups.values():
        merged = merge([results[i] for i in indexes], [args.files[i] for i in indexes])
        competitions.append(merged.competition)
        warnings.extend(merged.warnings)
    computed = compute_standings(competitions, table)
    imported = [s for c in competitions for s in c.standings]
    for problem in compare_standings(imported, computed):
        warnings.append(
            Diagnostic(severity=Severity.WARNING, location="standings", message=problem)
        )
    if args.json:
        _out(dump_json(_with_standings(competitions, computed)))
    else:
        _out(render(computed, table.name, table.note))
    for w in warnings:
        _err(f"warning: {w}")
    return 0


def _with_standings(competitions: Sequence[Competition], computed: list[Standings]) -> Competition:
    if len(competitions) == 1:
        (comp,) = competitions
        ids = {s.id for s in computed}
        kept = [s for s in comp.standings if s.id not in ids]
        return comp.model_copy(update={"standings": [*kept, *computed]})
    seasons = sorted({c.season for c in competitions if c.season})
    return Competition(
        id="standings",
        name=" / ".join(seasons),
        season=seasons[0] if len(seasons) == 1 else "",
        standings=computed,
    )


def render(tables: Sequence[Standings], points_name: str, note: str = "") -> str:
    """The standings as text tables."""
    from strapline.domain.names import NameForm, athlete_name

    lines: list[str] = []
    if not tables:
        return "No results to compute standings from.\n"
    for table in tables:
        lines.append(f"{table.title}  [{table.id}]  ({table.status.value})")
        for row in table.rows:
            c = row.competitor
            name = c.name if c.kind == "team" else athlete_name(c, NameForm.FAMILY_GIVEN)
            rank = f"{row.rank}{'=' if row.tie else ''}"
            lines.append(f"  {rank:>4}  {name:<32} {c.nation or '':<3}  {row.points:>7g}")
        lines.append("")
    lines.append(f"Points table: {points_name}.")
    if note:
        lines.append(f"Note: {note}")
    return "\n".join(lines) + "\n"
