"""`strapline app [SHOW]`: open the operator's app, optionally with a show file."""

from __future__ import annotations

import argparse
from pathlib import Path


def _port_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None


def port(text: str) -> int:
    """A UDP/TCP port an operator may open: 1024-65535."""
    value = _port_number(text)
    if not 1024 <= value <= 65535:
        raise argparse.ArgumentTypeError("a port is 1024-65535")
    return value


def control_port(text: str) -> int:
    """The Stream Deck / Companion control port: 1024-65535, or 0 for none."""
    value = _port_number(text)
    if not (value == 0 or 1024 <= value <= 65535):
        raise argparse.ArgumentTypeError("a control port is 1024-65535, or 0 for none")
    return value


def feedback_target(text: str) -> object:
    """A feedback target, HOST:PORT."""
    from strapline.osc.feedback import parse_target

    try:
        return parse_target(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_desk_options(parser: argparse.ArgumentParser) -> None:
    """Options every command that opens the operator's window shares (`app`, `demo`)."""
    parser.add_argument(
        "--control-port",
        type=control_port,
        metavar="PORT",
        default=9300,
        help="UDP port for Stream Deck / Companion control input (default 9300; 0: off)",
    )
    parser.add_argument(
        "--control-bind",
        metavar="ADDR",
        default="127.0.0.1",
        help="address the control input listens on (default 127.0.0.1, this machine only; "
        "0.0.0.0: every interface, best with --control-allow)",
    )
    parser.add_argument(
        "--control-allow",
        metavar="HOST",
        nargs="+",
        action="extend",
        default=None,
        help="take control commands only from these hosts (IP addresses; default: any sender "
        "that can reach the control address)",
    )
    parser.add_argument(
        "--feedback",
        type=feedback_target,
        metavar="HOST:PORT",
        action="append",
        default=[],
        help="send what the desk shows (cue on air, cued and next, outputs online, each cue's "
        "tally) to this OSC receiver, as Companion custom variables and on "
        "/strapline/v1/feedback/...; repeat for several (Companion: its OSC port, 12321)",
    )
    parser.add_argument(
        "--settings",
        type=Path,
        metavar="FILE",
        default=None,
        help="keep window layout, recent files and preferences in this INI file "
        "(default: the user's Strapline settings)",
    )
    parser.add_argument(
        "--feed",
        metavar="SPEC",
        default=None,
        help="timing feed for the live race: jsonl[:udp|tcp][:HOST]:PORT, "
        "finishlynx[:udp|tcp][:HOST]:PORT, or manual (the default: the operator's keys); "
        "see docs/live-timing.md",
    )


def configure(name: str, parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "show", nargs="?", type=Path, help="a .strapline show file to open (default: a new show)"
    )
    parser.add_argument(
        "--renderer",
        type=port,
        metavar="PORT",
        default=None,
        help="also start the bundled renderer in its own window on this UDP/TCP port",
    )
    add_desk_options(parser)
    parser.add_argument(
        "--no-recovery",
        action="store_true",
        help="do not offer to recover an autosaved show after a crash",
    )


def run(args: argparse.Namespace) -> int:
    import sys

    if args.show is not None and not args.show.is_file():
        print(f"strapline app: {args.show}: no such file", file=sys.stderr)
        return 1
    from strapline.app import AppOptions, run_app

    return run_app(
        AppOptions(
            show_path=args.show,
            launch_renderer_port=args.renderer,
            settings_file=args.settings,
            control_port=args.control_port or None,
            control_bind=args.control_bind,
            control_allow=args.control_allow,
            feedback=list(args.feedback),
            offer_recovery=not args.no_recovery,
            feed=args.feed,
        )
    )
