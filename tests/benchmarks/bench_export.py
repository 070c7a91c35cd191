"""Batch export speed: `strapline export --all` over the Dresden demo weekend.

Prints the time per still (render + PNG + write) beside a baseline measured in the same run:
writing one bare 1080p frame (a full-frame fill, encoded and saved the same way). Run:

    python tests/benchmarks/bench_export.py [--runs N] [--size WxH]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="batch runs (median)")
    parser.add_argument("--size", default="1920x1080", help="output size (default 1920x1080)")
    args = parser.parse_args()

    from PySide6.QtGui import QColor, QImage, QPainter

    from strapline.cli import main as cli
    from strapline.io.demo import demo_path
    from strapline.render import encode_png, ensure_gui

    ensure_gui()
    data = demo_path("dresden-2023-24.json")
    w, h = (int(v) for v in args.size.lower().split("x"))

    with tempfile.TemporaryDirectory() as tmp:
        base = []
        for i in range(20):
            start = time.perf_counter()
            image = QImage(w, h, QImage.Format.Format_ARGB32_Premultiplied)
            image.fill(0)
            painter = QPainter(image)
            painter.fillRect(0, 0, w // 3, h // 5, QColor(10, 29, 55, 240))
            painter.end()
            encode_png(image, Path(tmp) / f"base{i}.png")
            base.append(time.perf_counter() - start)
        per_still = []
        count = 0
        for run in range(args.runs):
            out = Path(tmp) / f"run{run}"
            argv = ["export", "--data", str(data), "--all", "--size", args.size, "-o", str(out)]
            start = time.perf_counter()
            with contextlib.redirect_stdout(io.StringIO()):
                code = cli(argv)
            elapsed = time.perf_counter() - start
            if code != 0:
                print("export failed", file=sys.stderr)
                return 1
            count = len(list(out.glob("*.png")))
            per_still.append(elapsed / count)
    baseline = statistics.median(base) * 1000
    still = statistics.median(per_still) * 1000
    print(f"bare frame written ({args.size})     {baseline:7.2f} ms")
    print(
        f"batch export, per still ({count} stills) {still:7.2f} ms   x {still / baseline:5.1f} bare"
    )
    print(f"batch export, whole weekend          {still * count / 1000:7.2f} s (wall clock)")
    # machine-readable, for run_all.py: name | value | unit | baseline | target
    print(f"RESULT export per still ({args.size}) | {still:.2f} | ms | {baseline:.2f} | -")
    return 0


if __name__ == "__main__":
    sys.exit(main())
