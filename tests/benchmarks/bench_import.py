"""Import speed: a 10,000-row ISU-style CSV, and a 48-file World Cup weekend.

Prints the best of 9 imports of the 10,000-row file through strapline.io.load_file beside the best
of 9 plain reads of the same file with Python's csv module (the floor any CSV importer stands on),
and whether the target (at most 0.3 s) is met. Then the same for a weekend of 48 round files as
a results site exports them (tests/io/weekend_data.py): import, merge and computed standings
(strapline.io.load_files) beside the csv module reading the same 48 files; target 0.3 s.
The best of several runs is the importer's own time: on a shared machine a run is slowed by
whatever else runs beside it (by up to half, seen here), never sped up.
Each import starts with empty name caches; the competition it returns is freed after its timing.

    python tests/benchmarks/bench_import.py [--runs N] [--no-baseline]

--runs N: imports (and csv reads) to take the best of (default 9). --no-baseline: skip the csv
reads. On a shared machine wall times move by a fifth from one run to the next; to compare two
versions of the importer, count instructions instead (the same on any load):

    for n in 1 3; do PYTHONHASHSEED=0 valgrind --tool=callgrind --callgrind-out-file=/dev/null \
        python tests/benchmarks/bench_import.py --runs $n --no-baseline 2>&1 | grep Collected; done

Instructions per import = (second count - first count) / 2.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from strapline.io import ImportResult, load_file, load_files, values
from strapline.io.common import split_name

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io"))
from weekend_data import write_weekend

ROWS = 10_000
TARGET_S = 0.3
NATIONS = ["CAN", "KOR", "NED", "ITA", "CHN", "POL", "HUN", "KAZ", "USA", "JPN", "GER", "BEL"]
FAMILY = ["ROUSSEL", "PARK", "KUCZYŃSKI", "de LAAT", "PIERRE-GILLES", "NIKISHA", "JANG", "KOS"]
GIVEN = ["Felix", "Ji Won", "Łukasz", "Itzhak", "Jordan", "Denis", "Sungwoo", "Daan"]


def make_csv(path: Path, rows: int = ROWS) -> None:
    """An ISU-style results table of one race in which every skater's name differs."""
    rng = random.Random(7)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Men 500m Heats"])
        w.writerow(
            [
                "Place",
                "Start Pos.",
                "Warn.",
                "#",
                "Name",
                "ISU Member",
                "Results",
                "Qual.",
                "Points",
            ]
        )
        ms = 40_000
        for i in range(1, rows + 1):
            ms += rng.randint(0, 40)
            time_text = (
                f"{ms // 60000}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"
                if ms >= 60000
                else (f"{ms // 1000}.{ms % 1000:03d}")
            )
            w.writerow(
                [
                    i,
                    rng.randint(1, 8),
                    "YC" if i % 97 == 0 else "",
                    f"{i}.0" if i % 5 == 0 else i,
                    f"{FAMILY[i % len(FAMILY)]}{i} {GIVEN[i % len(GIVEN)]}",
                    rng.choice(NATIONS),
                    time_text + ("WR" if i == 1 else ""),
                    "Q" if i % 4 == 0 else "",
                    max(0, 100 - i // 100),
                ]
            )


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    """(wall, CPU) seconds of one call. What the call returns is freed after the clocks stop:
    throwing away the competition read is not part of reading it."""
    start_cpu = time.process_time()
    start = time.perf_counter()
    kept = fn()
    wall = time.perf_counter() - start
    cpu = time.process_time() - start_cpu
    del kept
    return wall, cpu


def forget_names() -> None:
    """Empty the importer's caches of names and slugs, so every run reads every name afresh."""
    split_name.cache_clear()
    values._slug.cache_clear()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="imports to take the best of")
    parser.add_argument("--no-baseline", action="store_true", help="skip the csv module reads")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "men-500m-heats.csv"
        make_csv(path)  # every name different: no help from the name cache

        def read_csv_module() -> None:
            with path.open(encoding="utf-8", newline="") as f:
                for _ in csv.reader(f):
                    pass

        def import_file() -> ImportResult:
            result = load_file(path)
            assert len(result.competition.events[0].races[0].results) == ROWS
            return result

        # Interleaved, so that both see the same load on a shared machine.
        baseline = ours = cpu = float("inf")
        for _ in range(max(1, args.runs)):
            if not args.no_baseline:
                baseline = min(baseline, timed(read_csv_module)[0])
            forget_names()
            wall, used = timed(import_file)
            ours, cpu = min(ours, wall), min(cpu, used)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    runs = max(1, args.runs)
    print(f"rows: {ROWS} (ISU columns, every name different), best of {runs}; load {load:.1f}")
    if args.no_baseline:
        print(f"strapline import:           {ours * 1000:8.1f} ms")
    else:
        print(f"csv module read (baseline): {baseline * 1000:8.1f} ms")
        ratio = ours / baseline
        print(f"strapline import:           {ours * 1000:8.1f} ms  ({ratio:.1f}x baseline)")
    print(f"strapline import, CPU time: {cpu * 1000:8.1f} ms")
    verdict = "target met" if ours <= TARGET_S else "target missed"
    print(f"target: <= {TARGET_S * 1000:.0f} ms -> {verdict}")
    # machine-readable, for run_all.py: name | value | unit | baseline | target
    shown = "-" if args.no_baseline else f"{baseline * 1000:.1f}"
    print(
        f"RESULT import {ROWS}-row CSV | {ours * 1000:.1f} | ms | {shown} | "
        f"<= {TARGET_S * 1000:.0f}"
    )
    weekend(runs, args.no_baseline)
    return 0


def weekend(runs: int, no_baseline: bool) -> None:
    """Import, merge and compute standings for a 48-file weekend, beside the csv module."""
    with tempfile.TemporaryDirectory() as folder:
        written = write_weekend(Path(folder))
        files = written.files

        def read_csv_module() -> None:
            for path in files:
                with path.open(encoding="utf-8", newline="") as f:
                    for _ in csv.reader(f):
                        pass

        def import_weekend() -> ImportResult:
            result = load_files(files)
            kept = sum(len(r.results) for _, r in result.competition.races())
            assert kept == written.rows and result.competition.standings
            return result

        baseline = ours = float("inf")
        for _ in range(runs):
            if not no_baseline:
                baseline = min(baseline, timed(read_csv_module)[0])
            forget_names()
            ours = min(ours, timed(import_weekend)[0])
    print(f"weekend: {len(files)} files, {written.rows} rows; import, merge, computed standings")
    if no_baseline:
        print(f"strapline weekend:          {ours * 1000:8.1f} ms")
    else:
        print(f"csv module read (baseline): {baseline * 1000:8.1f} ms")
        print(
            f"strapline weekend:          {ours * 1000:8.1f} ms  ({ours / baseline:.1f}x baseline)"
        )
    verdict = "target met" if ours <= TARGET_S else "target missed"
    print(f"target: <= {TARGET_S * 1000:.0f} ms -> {verdict}")
    shown = "-" if no_baseline else f"{baseline * 1000:.1f}"
    print(
        f"RESULT import+merge+standings {len(files)}-file weekend | {ours * 1000:.1f} | ms | "
        f"{shown} | <= {TARGET_S * 1000:.0f}"
    )


if __name__ == "__main__":
    raise SystemExit(main())
