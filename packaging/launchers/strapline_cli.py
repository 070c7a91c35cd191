"""Entry point of the bundled `strapline` command (console): the same CLI as `pip install`.

The app starts helper processes as `sys.executable -m strapline COMMAND ...`, as it would under
Python; in the bundle sys.executable is this program, so that form is accepted here too.
"""

import multiprocessing
import sys

from strapline.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    args = sys.argv[1:]
    if args[:2] == ["-m", "strapline"]:
        args = args[2:]
    sys.exit(main(args))
