"""`strapline demo`: the app with the Dresden demo show and the bundled renderer, ready to take."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from strapline.cli.app import add_desk_options, port


def configure(name: str, parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--port",
        type=port,
        default=9100,
        help="port of the bundled renderer that the demo starts and plays to (default 9100)",
    )
    parser.add_argument(
        "--no-renderer",
        action="store_true",
        help="do not start the bundled renderer (play to one already running on --port)",
    )
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="open, take one cue on the renderer, check it is acknowledged, clear and quit "
        "(exit code 0 on success): for CI and packaging",
    )
    parser.add_argument(
        "--screenshot",
        type=Path,
        metavar="PNG",
        default=None,
        help="save a screenshot of the screen once the window is up (after the take with "
        "--smoke-test), then quit",
    )
    parser.add_argument(
        "--live-race",
        action="store_true",
        help="run the demo race (invented: men's 1000 m final, 9 laps, five skaters, a fall "
        "and a penalty at the line) live into the app's timing feed, with a 'Live race' cue "
        "group (race clock, positions, lap chart, finish card)",
    )
    add_desk_options(parser)


def run(args: argparse.Namespace) -> int:
    from strapline.app import AppOptions, run_app
    from strapline.domain.diagnostics import DataError
    from strapline.io.demo import load_demo
    from strapline.services.demo import demo_show

    try:
        competition = load_demo()
    except DataError as exc:
        print(f"strapline demo: {exc}", file=sys.stderr)
        return 1
    show = demo_show(competition, port=args.port)
    if args.live_race:
        from strapline.services.live import live_race_cues

        show.rundown.groups.insert(0, live_race_cues())
    return run_app(
        AppOptions(
            show=show,
            competition=competition,
            launch_renderer_port=None if args.no_renderer else args.port,
            smoke_test=args.smoke_test,
            screenshot=args.screenshot,
            settings_file=args.settings,
            control_port=args.control_port or None,
            control_bind=args.control_bind,
            control_allow=args.control_allow,
            feedback=list(args.feedback),
            feed=args.feed,
            demo_race=args.live_race,
            interactive=not (args.smoke_test or args.screenshot),
            offer_recovery=False,
        )
    )
