"""Import speed: a 10,000-row ISU-style CSV through strapline.io.load_file.

Prints the best of 5 imports beside the best of 5 plain reads of the same file with Python's csv
module (the floor any CSV importer stands on), and whether the target (at most 0.3 s) is met.
Each import starts with empty name caches; the competition it returns is freed after its timing.

    python tests/benchmarks/bench_import.py
"""

from __future__ import annotations

import csv
import os
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from strapline.io import ImportResult, load_file, values
from strapline.io.common import split_name

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


def main() -> int:
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
        for _ in range(5):
            baseline = min(baseline, timed(read_csv_module)[0])
            forget_names()
            wall, used = timed(import_file)
            ours, cpu = min(ours, wall), min(cpu, used)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"rows: {ROWS} (ISU columns, every name different), best of 5; load average {load:.1f}")
    print(f"csv module read (baseline): {baseline * 1000:8.1f} ms")
    print(f"strapline import:           {ours * 1000:8.1f} ms  ({ours / baseline:.1f}x baseline)")
    print(f"strapline import, CPU time: {cpu * 1000:8.1f} ms")
    verdict = "target met" if ours <= TARGET_S else "target missed"
    print(f"target: <= {TARGET_S * 1000:.0f} ms -> {verdict}")
    # machine-readable, for run_all.py: name | value | unit | baseline | target
    print(
        f"RESULT import {ROWS}-row CSV | {ours * 1000:.1f} | ms | {baseline * 1000:.1f} | "
        f"<= {TARGET_S * 1000:.0f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
