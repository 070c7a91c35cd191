"""The `strapline` command line.

Each subcommand lives in its own module of this package and exposes
`add_parser(subparsers)` and `run(args) -> int`. The modules are imported only when their
command runs, so `strapline check` never loads Qt.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Sequence

from strapline import __version__

# command name -> (module, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "check": ("strapline.cli.check", "import and validate data files; print a summary or JSON"),
    "schema": ("strapline.cli.check", "print the JSON Schema of Strapline's data format"),
    "standings": ("strapline.cli.standings", "compute World Cup / World Tour standings"),
    "export": ("strapline.cli.export", "render graphics from a data file to PNG stills"),
    "renderer": ("strapline.cli.renderer", "run the on-air renderer (OSC in, graphics out)"),
    "send": ("strapline.cli.send", "send one OSC playout command to a renderer; print the answer"),
    "app": ("strapline.cli.app", "open the operator's app (rundown, preview, playout)"),
    "feed": (
        "strapline.cli.feed",
        "record a timing feed to a file, or replay one (or the demo race)",
    ),
    "demo": ("strapline.cli.demo", "open the app with the Dresden demo show and a local renderer"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="strapline",
        description="Broadcast graphics controller for live sport.",
    )
    parser.add_argument("--version", action="version", version=f"strapline {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module_name, help_text) in COMMANDS.items():
        module = importlib.import_module(module_name)
        p = sub.add_parser(name, help=help_text, description=help_text)
        module.configure(name, p)
    return parser


#: glibc's malloc asked to back large blocks with transparent huge pages (Linux, glibc 2.35 and
#: later; elsewhere it means nothing). Every frame the renderer draws is a new frame-sized
#: image, and a 2160p frame (33 MB) is above the size glibc always maps afresh: faulting it in
#: 4 KB at a time took ~10 ms of each 20 ms frame. glibc reads it only when a process starts.
HUGE_PAGES = "glibc.malloc.hugetlb=1"


def _renderer_with_huge_pages(args: Sequence[str]) -> None:
    """Start `strapline renderer` again, at once and in the same process (same pid), with
    HUGE_PAGES, unless GLIBC_TUNABLES already says how malloc should use huge pages."""
    if not sys.platform.startswith("linux") or not args or args[0] != "renderer":
        return
    tunables = os.environ.get("GLIBC_TUNABLES", "")
    if "glibc.malloc.hugetlb" in tunables:
        return
    env = dict(os.environ, GLIBC_TUNABLES=":".join(t for t in (tunables, HUGE_PAGES) if t))
    if getattr(sys, "frozen", False):  # a bundle: the executable is the program itself
        command = [sys.executable, *args]
    else:
        command = [sys.executable, "-m", "strapline", *args]
    with contextlib.suppress(OSError):  # cannot: it runs as it is
        os.execve(sys.executable, command, env)


def main(argv: Sequence[str] | None = None) -> int:
    if argv is None:  # run as a program (a test calling main() stays in its process)
        _renderer_with_huge_pages(sys.argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    module = importlib.import_module(COMMANDS[args.command][0])
    try:
        code: int = module.run(args)
    except KeyboardInterrupt:
        return 130
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
