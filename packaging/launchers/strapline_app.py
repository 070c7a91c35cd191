"""Entry point of the bundled Strapline app (windowed, no console): `strapline app [SHOW]`.

The desktop, Finder and Explorer start it with the .strapline file that was opened, if any.
The app starts helper processes (the renderer) as `sys.executable -m strapline COMMAND ...`,
as it would under Python; in the bundle sys.executable is this program, so that form runs the
command instead of opening another app window.
"""

import multiprocessing
import sys

from strapline.cli import COMMANDS, main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    args = sys.argv[1:]
    if args[:2] == ["-m", "strapline"]:
        sys.exit(main(args[2:]))
    # Finder adds a -psn_... process serial number when it starts an app on old macOS.
    files = [a for a in args if not a.startswith("-psn_")]
    if "app" in COMMANDS:
        sys.exit(main(["app", *files]))
    sys.exit(main(["demo"]))  # builds made before `strapline app` existed
