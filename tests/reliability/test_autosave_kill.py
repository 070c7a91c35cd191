"""The app is killed (SIGKILL) while it autosaves, again and again.

A child process saves a 300-cue show and writes its recovery file in a loop, a new generation of
the show each time; it is killed at a random moment, then the show file and the recovery file
must both load, each whole (one generation throughout), and never older than what was there
before the child started. Temporary files left by a kill in the middle of a write are counted:
they prove the kills landed during writes.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from autosave_child import big_show, generation_of
from reliability_helpers import report, scaled

from strapline.io.showfile import load_show, read_recovery, save_show, write_recovery

CUES = 300

CHILD = Path(__file__).with_name("autosave_child.py")

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and fork: POSIX only")


def test_killed_during_autosave_never_loses_the_files(tmp_path: Path) -> None:
    kills = scaled(200, 2000)
    rng = random.Random(20240204)
    show_path = tmp_path / "show.strapline"
    recovery = tmp_path / "show.recovery.strapline"
    first = big_show(CUES, 0)
    save_show(first, show_path)
    write_recovery(first, recovery, show_path)

    generation = 1
    previous = (0, 0)
    torn_writes = 0
    start = time.monotonic()
    with subprocess.Popen(
        [sys.executable, str(CHILD)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    ) as server:

        def ask(line: str) -> int:
            assert server.stdin is not None and server.stdout is not None
            server.stdin.write(line + "\n")
            server.stdin.flush()
            answer = server.stdout.readline()
            assert answer, "the autosave fork server died"
            return int(answer)

        try:
            for k in range(kills):
                previous = _kill_once(k, ask, rng, tmp_path, generation, previous)
                torn_writes += _sweep(tmp_path)
                generation = max(previous) + 1000  # each child writes fresh generations
        finally:
            server.kill()
    report("autosave kills", kills)
    report("autosave kills that landed mid-write (temp file left)", torn_writes)
    report("autosave kill loop, s", f"{time.monotonic() - start:.1f}")
    assert torn_writes > 0, "no kill landed during a write: the test did not test anything"


def _sweep(folder: Path) -> int:
    """Remove the temporary files a kill left (as the app sweeps at start); how many."""
    leftovers = list(folder.glob(".*.tmp"))
    for leftover in leftovers:
        leftover.unlink()
    return len(leftovers)


def _kill_once(
    k: int,
    ask: Callable[[str], int],
    rng: random.Random,
    folder: Path,
    generation: int,
    previous: tuple[int, int],
) -> tuple[int, int]:
    """Start an autosaving child, kill it at a random moment, check both files load whole."""
    show_path = folder / "show.strapline"
    recovery = folder / "show.recovery.strapline"
    pid = ask(f"start {folder} {CUES} {generation}")
    time.sleep(rng.uniform(0.0, 0.06))
    os.kill(pid, signal.SIGKILL)
    code = ask(f"wait {pid}")
    assert code == -signal.SIGKILL, f"kill {k}: the child ended with {code}"

    show = load_show(show_path)  # raises DataError, naming the file, if torn
    saved = generation_of(show)
    recovered, of = read_recovery(recovery)
    autosaved = generation_of(recovered)
    assert of == str(show_path)
    assert saved >= previous[0], f"kill {k}: the show file went back to generation {saved}"
    assert autosaved >= previous[1], f"kill {k}: the recovery went back to generation {autosaved}"
    return saved, autosaved
