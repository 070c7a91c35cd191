"""`strapline export`: render graphics from a data file to PNG stills.

One graphic: `strapline export --data FILE --graphic KIND -o OUT.png` (by default the first
race and its first row); every graphic of an event or of the whole file: `--all -o FOLDER`.
The still is painted by the same renderer as the preview and the air output.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ValidationError

from strapline.domain.diagnostics import DataError
from strapline.domain.graphics import (
    BindingError,
    GraphicKind,
    Playhead,
    Selection,
    bind,
    steps,
)
from strapline.domain.model import Competition, Event, Race, ResultRow, StartEntry, Team
from strapline.services.export import file_slug

if TYPE_CHECKING:
    from PySide6.QtGui import QImage

    from strapline.domain.theme import Theme

BACKGROUNDS = ("transparent", "theme", "black")
PHASES = ("in", "hold", "out")
DEFAULT_SIZE = (1920, 1080)
MAX_SIDE = 8192


class UsageError(Exception):
    """Bad options or input: the message is shown as is, the exit code is 1."""


def configure(name: str, parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Render graphics from a data file to PNG stills with straight alpha.\n"
        "Without --all, one graphic is written to -o OUT.png; by default it shows the first\n"
        "event, its first race holding the data the graphic needs, and that race's first row.\n"
        "With --all, every graphic of the chosen event (or of the whole file) is written into\n"
        "the folder -o."
    )
    parser.epilog = (
        "examples:\n"
        "  strapline export --data dresden.json --graphic podium --event m500 -o podium.png\n"
        "  strapline export --data dresden.json --graphic standings --step 2 -o page2.png\n"
        "  strapline export --data dresden.json --all --event m500 -o stills/\n"
        "  strapline export --feed race.feed --graphic lap-chart -o laps.png\n"
        "Missing output folders are created. Errors are one line on stderr, exit code 1."
    )
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument(
        "--data",
        metavar="FILE",
        action="append",
        default=None,
        help="data file to read (Strapline JSON, CSV, XLSX, ODF XML, ...); repeat the option to "
        "merge several files into one competition (required unless --feed is given)",
    )
    parser.add_argument(
        "--feed",
        metavar="FILE",
        default=None,
        help="a timing feed recording ('strapline feed record', or the demo race's file): "
        "render a graphic of the live race (race-clock, positions, lap-chart, finish-card) as "
        "the feed tells it at --at",
    )
    parser.add_argument(
        "--at",
        metavar="S",
        type=float,
        default=None,
        help="with --feed: seconds into the recording (default: its end)",
    )
    parser.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="COLUMN=FIELD",
        help="read the table column headed COLUMN as FIELD when importing CSV or XLSX "
        "(repeatable), e.g. --map 'Rang=place'; fields as for `strapline check`",
    )
    parser.add_argument(
        "--graphic",
        metavar="KIND",
        help="graphic to render: " + ", ".join(k.value for k in GraphicKind) + " (required "
        "without --all; with --all it limits the batch to that kind)",
    )
    parser.add_argument(
        "--theme",
        metavar="NAME",
        default=None,
        help="theme name (see themes/) or path to a theme folder or theme.json; default: the "
        "first theme installed",
    )
    parser.add_argument(
        "--size",
        metavar="WxH",
        default="1920x1080",
        help="output size in pixels, e.g. 1920x1080, 3840x2160, or the portrait social sizes "
        "1080x1350 and 1080x1920 (default: 1920x1080)",
    )
    parser.add_argument(
        "--time",
        metavar="T",
        type=float,
        default=None,
        help="seconds into the animation of --phase (default: the graphic fully in, at rest)",
    )
    parser.add_argument(
        "--phase",
        choices=PHASES,
        default=None,
        help="animation phase that --time counts from: in (default with --time), hold, out",
    )
    parser.add_argument(
        "--step",
        metavar="K",
        type=int,
        default=1,
        help="take step to show, 1 = first: the page of a standings table (default: 1)",
    )
    parser.add_argument("--event", metavar="ID", help="event id (default: the first event)")
    parser.add_argument(
        "--race",
        metavar="ID",
        help="race id (default: the first race with the data the graphic needs; a podium "
        "takes the event's Final A)",
    )
    parser.add_argument(
        "--row",
        metavar="N",
        type=int,
        help="line of the race's results (or of its start list before results), 1 = first; "
        "picks the skater or team of a lower third (default: 1)",
    )
    parser.add_argument(
        "--competitor",
        metavar="ID",
        help="athlete or team id: the lower third's subject, the highlighted standings row, the "
        "race bug's leader, or the person a quote is by",
    )
    parser.add_argument("--standings", metavar="ID", help="standings table id (default: the first)")
    parser.add_argument("--text", metavar="TEXT", help="the words of a quote card")
    parser.add_argument(
        "--background",
        choices=BACKGROUNDS,
        default="transparent",
        help="transparent (default, for keying), theme (the theme's opaque background, for "
        "social media) or black",
    )
    parser.add_argument(
        "--key-fill",
        action="store_true",
        help="also write a key/fill pair for a hardware keyer beside each PNG: NAME-fill.png "
        "(the graphic on black) and NAME-key.png (its alpha as grey)",
    )
    parser.add_argument(
        "--all",
        action="store_true",
        help="batch mode: write every graphic of --event (or of the whole file) into the folder "
        "given by -o, printing a progress line per file",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        required=True,
        help="PNG file to write, or the folder to fill with --all (created when missing)",
    )


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except UsageError as exc:
        _error(str(exc))
    except DataError as exc:
        _error(str(exc))
    except BindingError as exc:
        _error(f"cannot show {args.graphic or 'the graphic'}: {exc}")
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        _error(f"invalid graphic data at {where}: {first['msg']}")
    except OSError as exc:
        _error(f"cannot write {exc.filename or args.output}: {exc.strerror or exc}")
    return 1


def _error(message: str) -> None:
    print(f"strapline export: error: {message}", file=sys.stderr)


def parse_size(text: str) -> tuple[int, int]:
    m = re.fullmatch(r"\s*(\d+)\s*[xX×]\s*(\d+)\s*", text)
    if not m:
        raise UsageError(f"--size {text!r}: expected WIDTHxHEIGHT such as 1920x1080")
    w, h = int(m.group(1)), int(m.group(2))
    if not (16 <= w <= MAX_SIDE and 16 <= h <= MAX_SIDE):
        raise UsageError(f"--size {text!r}: width and height must be 16 to {MAX_SIDE} pixels")
    return w, h


def _kind(text: str | None) -> GraphicKind | None:
    if text is None:
        return None
    try:
        return GraphicKind(text)
    except ValueError:
        known = ", ".join(k.value for k in GraphicKind)
        raise UsageError(f"--graphic {text!r} is not a graphic; choose one of: {known}") from None


def parse_map(items: list[str]) -> dict[str, str]:
    """--map COLUMN=FIELD options as the importers' column mapping."""
    mapping: dict[str, str] = {}
    for item in items:
        column, sep, field = item.partition("=")
        if not sep or not column.strip() or not field.strip():
            raise UsageError(f"--map {item!r}: expected COLUMN=FIELD, e.g. --map 'Rang=place'")
        mapping[column.strip()] = field.strip()
    return mapping


def _load(paths: list[str], mapping: dict[str, str]) -> Competition:
    from strapline.io import load_file, load_files

    for p in paths:
        if not Path(p).exists():  # a file, or a folder of data files (a weekend)
            raise UsageError(f"{p}: no such file")
    if len(paths) == 1:
        result = load_file(paths[0], mapping or None)
    else:
        result = load_files(paths, mapping or None)
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return result.competition


def _theme(name: str | None) -> Theme:
    from strapline.render import available_themes, load_theme

    if name is None:
        themes = available_themes()
        if not themes:
            raise UsageError("no theme is installed; give one with --theme PATH")
        name = themes[0]
    try:
        return load_theme(name)
    except DataError as exc:
        raise UsageError(f"--theme {name!r}: {exc.diagnostic.message}") from None


def _playhead(args: argparse.Namespace, step: int) -> Playhead | None:
    if args.time is None and args.phase is None and step == 0:
        return None
    if args.time is not None and args.time < 0:
        raise UsageError(f"--time {args.time}: must be 0 or more seconds")
    phase: Literal["in", "hold", "out"] = args.phase or ("in" if args.time is not None else "hold")
    return Playhead(phase=phase, t=args.time or 0.0, step=step)


@dataclass
class Still:
    """One graphic to write: its kind, data, take step and file name."""

    kind: GraphicKind
    data: BaseModel
    step: int
    name: str


def _render(still: Still, theme: Theme, size: tuple[int, int], args: argparse.Namespace) -> QImage:
    from strapline.render import render_graphic

    playhead = _playhead(args, still.step)
    return render_graphic(still.kind.value, still.data, theme, size, playhead, args.background)


def _write(image: QImage, path: Path, key_fill: bool) -> list[Path]:
    from strapline.render import encode_png
    from strapline.render import key_fill as split

    encode_png(image, path)
    written = [path]
    if key_fill:
        fill, key = split(image)
        for suffix, img in (("fill", fill), ("key", key)):
            other = path.with_name(f"{path.stem}-{suffix}{path.suffix or '.png'}")
            encode_png(img, other)
            written.append(other)
    return written


def _run(args: argparse.Namespace) -> int:
    kind = _kind(args.graphic)
    size = parse_size(args.size)
    if args.step < 1:
        raise UsageError(f"--step {args.step}: steps count from 1")
    if args.row is not None and args.row < 1:
        raise UsageError(f"--row {args.row}: rows count from 1")
    if not args.all and kind is None:
        raise UsageError("give --graphic KIND (or --all for every graphic)")
    if args.feed is not None:
        return _run_feed(args, kind, size)
    if not args.data:
        raise UsageError("give --data FILE (or --feed FILE for a graphic of the live race)")
    competition = _load(args.data, parse_map(args.map))
    theme = _theme(args.theme)
    if args.all:
        return _run_all(args, competition, kind, theme, size)
    assert kind is not None
    selection = Selection(
        event_id=args.event,
        race_id=args.race,
        row=None if args.row is None else args.row - 1,
        competitor_id=args.competitor,
        standings_id=args.standings,
        text=args.text,
    )
    data = bind(kind, competition, selection)
    pages = steps(kind, data)
    if args.step > pages:
        raise UsageError(f"--step {args.step}: this {kind.value} has {pages} step(s)")
    out = Path(args.output)
    if out.is_dir():
        raise UsageError(f"-o {args.output}: is a folder; give a .png file name (or use --all)")
    still = Still(kind, data, args.step - 1, out.name)
    for path in _write(_render(still, theme, size, args), out, args.key_fill):
        print(path)
    return 0


def _run_feed(args: argparse.Namespace, kind: GraphicKind | None, size: tuple[int, int]) -> int:
    """One graphic of the live race from a recorded timing feed."""
    from strapline.domain.live_graphics import LIVE_KINDS, live_data
    from strapline.feeds.recording import RecordingError, race_at, read_recording

    if args.all or kind is None or kind not in LIVE_KINDS:
        names = ", ".join(k.value for k in LIVE_KINDS)
        raise UsageError(f"--feed renders one graphic of the live race: --graphic {names}")
    try:
        recording = read_recording(Path(args.feed))
        state, errors = race_at(recording, args.at)
    except RecordingError as exc:
        raise UsageError(str(exc)) from None
    for error in errors:
        print(f"warning: {args.feed}: {error}", file=sys.stderr)
    now = recording.duration if args.at is None else args.at
    data = live_data(kind, state, now)
    out = Path(args.output)
    if out.is_dir():
        raise UsageError(f"-o {args.output}: is a folder; give a .png file name")
    still = Still(kind, data, 0, out.name)
    for path in _write(_render(still, _theme(args.theme), size, args), out, args.key_fill):
        print(path)
    return 0


def _try(kind: GraphicKind, c: Competition, sel: Selection) -> BaseModel | None:
    try:
        return bind(kind, c, sel)
    except BindingError:
        return None


def _race_stills(c: Competition, event: Event, race: Race) -> Iterator[Still]:
    base = f"{file_slug(event.name)}-{file_slug(race.label)}"
    sel = Selection(event_id=event.id, race_id=race.id)
    for kind in (GraphicKind.START_LIST, GraphicKind.RESULT_LIST, GraphicKind.PODIUM):
        data = _try(kind, c, sel)
        if data is not None:
            yield Still(kind, data, 0, f"{base}-{kind.value}.png")
    yield Still(GraphicKind.RACE_BUG, bind(GraphicKind.RACE_BUG, c, sel), 0, f"{base}-race-bug.png")
    rows: list[ResultRow | StartEntry] = [*race.results] if race.results else [*race.start_list]
    for i, row in enumerate(rows):
        comp = row.competitor
        who = file_slug(comp.name if isinstance(comp, Team) else comp.family_name)
        data = _try(GraphicKind.LOWER_THIRD, c, sel.model_copy(update={"row": i}))
        if data is not None:
            yield Still(
                GraphicKind.LOWER_THIRD, data, 0, f"{base}-lower-third-{i + 1:02d}-{who}.png"
            )


def _paged(kind: GraphicKind, data: BaseModel | None, name: str) -> list[Still]:
    """A still per page of a paged graphic ('name-page-2.png'); none without data."""
    if data is None:
        return []
    pages = steps(kind, data)
    return [
        Still(kind, data, page, f"{name}{f'-page-{page + 1}' if pages > 1 else ''}.png")
        for page in range(pages)
    ]


def _advancement_stills(c: Competition, event: Event) -> list[Still]:
    """Who goes where, for every round of the event whose results carry qualification marks."""
    stills: list[Still] = []
    seen = set()
    for race in event.races:
        if race.round.kind in seen or not any(r.qualification for r in race.results):
            continue
        seen.add(race.round.kind)
        sel = Selection(event_id=event.id, race_id=race.id)
        name = f"{file_slug(event.name)}-{file_slug(race.round.kind.value)}-advancement"
        stills += _paged(GraphicKind.ADVANCEMENT, _try(GraphicKind.ADVANCEMENT, c, sel), name)
    return stills


def _all_stills(
    c: Competition, event_id: str | None, only: GraphicKind | None, standings_id: str | None
) -> list[Still]:
    if event_id is not None:
        event = c.event(event_id)
        if event is None:
            known = ", ".join(e.id for e in c.events) or "none"
            raise UsageError(f"--event {event_id!r}: no such event (events: {known})")
        events = [event]
    else:
        events = list(c.events)
    stills = [s for e in events for r in e.races for s in _race_stills(c, e, r)]
    for event in events:
        stills += _advancement_stills(c, event)
    if event_id is None and standings_id is None:
        for kind, name in ((GraphicKind.MEDAL_TABLE, "medal-table"),
                           (GraphicKind.SCHEDULE, "schedule")):  # fmt: skip
            stills += _paged(kind, _try(kind, c, Selection()), name)
    if event_id is None or standings_id is not None:
        tables = [t for t in c.standings if standings_id in (None, t.id)]
        if standings_id is not None and not tables:
            raise UsageError(f"--standings {standings_id!r}: no such standings table")
        for table in tables:
            data = _try(GraphicKind.STANDINGS, c, Selection(standings_id=table.id))
            if data is None:
                continue
            pages = steps(GraphicKind.STANDINGS, data)
            for page in range(pages):
                tail = f"-page-{page + 1}" if pages > 1 else ""
                name = f"standings-{file_slug(table.id)}{tail}.png"
                stills.append(Still(GraphicKind.STANDINGS, data, page, name))
    if only is not None:
        stills = [s for s in stills if s.kind is only]
    seen: dict[str, int] = {}
    for s in stills:  # a distance skated twice could give two races the same name
        n = seen.get(s.name, 0)
        seen[s.name] = n + 1
        if n:
            s.name = s.name.removesuffix(".png") + f"-{n + 1}.png"
    return stills


def _run_all(
    args: argparse.Namespace,
    c: Competition,
    only: GraphicKind | None,
    theme: Theme,
    size: tuple[int, int],
) -> int:
    stills = _all_stills(c, args.event, only, args.standings)
    folder = Path(args.output)
    if folder.suffix.lower() == ".png" or folder.is_file():
        raise UsageError(f"-o {args.output}: with --all, give a folder, not a file")
    if not stills:
        what = f"{only.value} " if only else ""
        raise UsageError(f"nothing to export: the data holds no {what}graphics with data yet")
    folder.mkdir(parents=True, exist_ok=True)
    total = len(stills)
    width = len(str(total))
    for i, still in enumerate(stills, 1):
        _write(_render(still, theme, size, args), folder / still.name, args.key_fill)
        print(f"[{i:{width}d}/{total}] {still.name}", flush=True)
    print(f"{total} graphics written to {folder}")
    return 0
