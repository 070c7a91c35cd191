"""First play of every graphic's in and out at 2160p, beside the second play of the same frames.

    python tests/benchmarks/bench_cold.py [--theme NAME] [--size WxH] [--kind KIND ...]
                                          [--runs N] [--profile]

On air every take has new data, so every frame of a take's in and out is drawn for the first
time. Each graphic kind with demo data is prepared as the renderer prepares a loaded graphic
before its take (its first in-frame and the graphic at rest, drawn off air), then its in is
drawn frame by frame at 50 frames a second (first play), and the same frames again (second
play: the baseline, measured in the same run); then its out likewise. Printed per kind and
phase: mean and max CPU time of the rendering thread per frame, first play beside second play.

A first play happens once per process, so each run is a fresh process (`--runs`, default 3)
and each figure is the median of the runs' figures. `--theme` (default ice), `--size`
(default 3840x2160) and `--kind` (repeatable; default every kind with demo data) choose what
is drawn. `--profile` makes one run in this process and prints where the time of its first
plays went (cProfile, by own time).

Targets (2160p, first play): no frame over 12 ms, mean under 8 ms. Exit code 1 when one is
missed. Python's cycle collector is held off while frames are timed: in the renderer it runs
on the GUI thread, not in the drawing (strapline.render.collector).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import os
import pstats
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_render import sample_data

from strapline.domain.graphics import Playhead
from strapline.domain.theme import Theme
from strapline.render import ensure_gui, load_theme, render_graphic

FPS = 50
MAX_MS = 12.0
MEAN_MS = 8.0


def frames(theme: Theme, phase: str) -> list[Playhead]:
    """The frames of an in (after the first, drawn when preparing) or of an out, at 50p."""
    if phase == "in":
        count = round(theme.animation.in_ * FPS)
        return [Playhead(phase="in", t=k / FPS) for k in range(2, count + 1)]
    count = round(theme.animation.out * FPS)
    return [Playhead(phase="out", t=k / FPS) for k in range(count)]


def play(
    kind: str,
    data: Any,
    theme: Theme,
    size: tuple[int, int],
    heads: list[Playhead],
    profile: cProfile.Profile | None = None,
) -> list[float]:
    """CPU time of this thread for each frame, in ms."""
    out = []
    for head in heads:
        if profile is not None:
            profile.enable()
        start = time.thread_time()
        render_graphic(kind, data, theme, size, head)
        out.append((time.thread_time() - start) * 1000)
        if profile is not None:
            profile.disable()
    return out


def measure(
    theme: Theme, size: tuple[int, int], kinds: list[str] | None, profile: cProfile.Profile | None
) -> dict[str, dict[str, list[float]]]:
    """Per "kind phase": the first and the second play's frame times (ms), in this process."""
    data = sample_data()
    out: dict[str, dict[str, list[float]]] = {}
    for kind in data:
        if kinds and kind not in kinds:
            continue
        record = data[kind]
        gc.collect()
        gc.disable()
        try:
            # prepared as the renderer prepares a loaded graphic before its take
            for head in (Playhead(phase="in", t=1 / FPS), Playhead(phase="hold")):
                render_graphic(kind, record, theme, size, head)
            for phase in ("in", "out"):
                heads = frames(theme, phase)
                first = play(kind, record, theme, size, heads, profile)
                second = play(kind, record, theme, size, heads)
                out[f"{kind} {phase}"] = {"first": first, "second": second}
        finally:
            gc.enable()
    return out


def in_processes(argv: list[str], runs: int) -> list[dict[str, dict[str, list[float]]]]:
    """`runs` measurements, each in a fresh process (a first play happens once a process)."""
    results = []
    for _ in range(runs):
        proc = subprocess.run(
            [sys.executable, __file__, *argv, "--once"],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if proc.returncode != 0:
            raise SystemExit(f"bench_cold: a run failed:\n{proc.stderr[-2000:]}")
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--theme", default="ice", help="theme to render with (default ice)")
    parser.add_argument("--size", default="3840x2160", help="frame size WxH (default 3840x2160)")
    parser.add_argument(
        "--kind", action="append", metavar="KIND", help="only this graphic kind (repeatable)"
    )
    parser.add_argument(
        "--runs", type=int, default=3,
        help="fresh processes measured; each figure is the median of their runs (default 3)",
    )  # fmt: skip
    parser.add_argument(
        "--profile", action="store_true",
        help="one run in this process, then cProfile's top functions of the first plays",
    )  # fmt: skip
    parser.add_argument("--once", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.lower().split("x"))
    size = (width, height)
    label = f"{height}p" if width * 9 == height * 16 else args.size
    ensure_gui()
    theme = load_theme(args.theme)
    if args.once:
        print(json.dumps(measure(theme, size, args.kind, None)))
        return 0
    profile = cProfile.Profile() if args.profile else None
    if profile is not None:
        runs = [measure(theme, size, args.kind, profile)]
    else:
        argv = ["--theme", args.theme, "--size", args.size]
        for kind in args.kind or []:
            argv += ["--kind", kind]
        runs = in_processes(argv, max(1, args.runs))
    print(
        f"theme {theme.name}, {width}x{height}, CPU time of the rendering thread per frame (ms) "
        f"at {FPS} frames a second; first play: frames never drawn before, second: the same "
        f"again; median of {len(runs)} run(s) in fresh processes"
    )
    print(f"{'graphic':<13}{'phase':<6}{'frames':>7}{'first mean':>12}{'max':>7}"
          f"{'second mean':>13}{'max':>7}")  # fmt: skip
    missed: list[str] = []
    worst: dict[str, list[float]] = {"first": [], "second": []}
    for name in runs[0]:
        plays = [run[name] for run in runs]
        figures = {}
        for which in ("first", "second"):
            figures[which] = (
                statistics.median(statistics.fmean(p[which]) for p in plays),
                statistics.median(max(p[which]) for p in plays),
            )
            worst[which].append(figures[which][1])
        (f_mean, f_max), (s_mean, s_max) = figures["first"], figures["second"]
        kind, phase = name.rsplit(" ", 1)
        count = len(plays[0]["first"])
        print(
            f"{kind:<13}{phase:<6}{count:>7}{f_mean:>12.2f}{f_max:>7.2f}{s_mean:>13.2f}{s_max:>7.2f}"
        )
        result = f"{kind} {phase}, first play {label}"
        print(f"RESULT {result} mean | {f_mean:.3f} | ms | {s_mean:.3f} | <= {MEAN_MS:g}")
        print(f"RESULT {result} max | {f_max:.3f} | ms | {s_max:.3f} | <= {MAX_MS:g}")
        if f_mean > MEAN_MS:
            missed.append(f"{name} mean")
        if f_max > MAX_MS:
            missed.append(f"{name} max")
    if worst["first"]:
        f_max, s_max = max(worst["first"]), max(worst["second"])
        print(f"{'slowest frame of any kind':<43}{f_max:>7.2f}{'':>13}{s_max:>7.2f}")
    if profile is not None:
        pstats.Stats(profile, stream=sys.stdout).sort_stats("tottime").print_stats(20)
    if missed:
        print("missed:", ", ".join(missed))
        return 1
    print("all targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
