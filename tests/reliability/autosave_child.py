"""The children of test_autosave_kill: each saves a show and its recovery file in a loop.

Run as a script, this is a small fork server: it imports pydantic and the show file code once,
then for each line "start FOLDER CUES GENERATION" on stdin forks a child that autosaves until
it is killed, and prints the child's pid; "wait PID" reaps a child and prints its exit status.
Forking from this single-threaded process starts a child in about a millisecond.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from strapline.domain.rundown import Cue, CueGroup, Rundown, Show
from strapline.io.showfile import save_show, write_recovery


def big_show(cues: int, generation: int = 0) -> Show:
    """A show with `cues` cues in groups of 20; `generation` is written into every cue name."""
    groups = []
    for g in range(0, cues, 20):
        groups.append(
            CueGroup(
                id=f"g{g}",
                name=f"Group {g // 20}",
                cues=[
                    Cue(
                        id=f"c{i}",
                        name=f"Cue {i} · generation {generation}",
                        graphic="lower-third",
                        data={"family_name": "KUCZYŃSKI", "given_name": "Łukasz", "nation": "POL"},
                        notes="Zażółć gęślą jaźń · 박지원 · " * 3,
                    )
                    for i in range(g, min(g + 20, cues))
                ],
            )
        )
    return Show(name=f"Reliability generation {generation}", rundown=Rundown(groups=groups))


def generation_of(show: Show) -> int:
    """The generation a show was written at; every cue must agree (no mixed file)."""
    found = {int(c.name.rsplit(" ", 1)[1]) for g in show.rundown.groups for c in g.cues}
    found.add(int(show.name.rsplit(" ", 1)[1]))
    if len(found) != 1:
        raise AssertionError(f"a show file mixes generations {sorted(found)}")
    return found.pop()


def autosave_forever(folder: str, cues: int, first: int) -> None:
    """Save the show and write its recovery file, one new generation each time, until killed."""
    show_path = Path(folder) / "show.strapline"
    recovery = Path(folder) / "show.recovery.strapline"
    generation = first
    while True:
        show = big_show(cues, generation)
        save_show(show, show_path)
        write_recovery(show, recovery, show_path)
        generation += 1


def serve() -> None:
    for line in sys.stdin:
        words = line.split()
        if words[:1] == ["start"]:
            folder, cues, first = words[1], int(words[2]), int(words[3])
            pid = os.fork()
            if pid == 0:  # the child: autosave until killed
                try:
                    autosave_forever(folder, cues, first)
                finally:
                    os._exit(1)
            print(pid, flush=True)
        elif words[:1] == ["wait"]:
            _, status = os.waitpid(int(words[1]), 0)
            print(os.waitstatus_to_exitcode(status), flush=True)


if __name__ == "__main__":
    serve()
