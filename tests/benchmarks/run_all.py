"""Run every benchmark (tests/benchmarks/bench_*.py) and write docs/performance.md.

    python tests/benchmarks/run_all.py [--only NAME ...] [--output FILE] [--timeout S]

Each benchmark runs in its own process, one after another (they measure time: never two at
once). A benchmark reports its figures on stdout as lines

    RESULT <name> | <value> | <unit> | <baseline> | <target>

with the baseline measured in the same run and in the same unit ("-" when a figure has none) and
the target as a comparison such as "<= 5" ("-" when there is none). Everything else a benchmark
prints goes into the report too, under its name, so no figure is lost. The report notes the
machine (CPU, cores, load, Python, Qt, OS) and the commit. Exit code: 0 when every benchmark ran
and met its targets, 1 otherwise (the report is written in both cases).

Unless --no-reliability is given, the reliability suite (tests/reliability, short mode) runs
last and the figures it prints ("RELIABILITY name: value" lines: offline and restore times,
memory growth over the soak, packets and files survived) go into the report with its outcome.
"""

from __future__ import annotations

import argparse
import datetime
import math
import os
import platform
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DEFAULT_OUTPUT = ROOT / "docs" / "performance.md"
RESULT = re.compile(r"^RESULT\s+(.+?)\s*\|\s*(.+?)\s*\|\s*(.*?)\s*\|\s*(.*?)\s*\|\s*(.*?)\s*$")
RELIABILITY = re.compile(r"RELIABILITY (.+?): (.*)$")
TARGET = re.compile(r"^(<=|>=|<|>)\s*([-+0-9.eE]+)$")


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    baseline: float | None
    target: str

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or self.baseline == 0:
            return None
        return self.value / self.baseline

    @property
    def met(self) -> bool | None:
        """True/False against the target; None when there is no target."""
        m = TARGET.match(self.target.replace(" ", "")) if self.target not in ("", "-") else None
        if m is None:
            return None
        op, limit = m.group(1), float(m.group(2))
        return {
            "<=": self.value <= limit,
            ">=": self.value >= limit,
            "<": self.value < limit,
            ">": self.value > limit,
        }[op]


@dataclass
class Run:
    script: Path
    code: int | None = None
    seconds: float = 0.0
    output: str = ""
    errors: str = ""
    figures: list[Figure] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.script.stem.removeprefix("bench_")


def _number(text: str) -> float | None:
    text = text.strip()
    if text in ("", "-", "n/a"):
        return None
    value = float(text)
    return None if math.isnan(value) else value


def parse(output: str) -> tuple[list[Figure], list[str]]:
    """The RESULT lines of a benchmark's output, and a note for each malformed one."""
    figures: list[Figure] = []
    problems: list[str] = []
    for n, line in enumerate(output.splitlines(), 1):
        if not line.startswith("RESULT"):
            continue
        m = RESULT.match(line)
        if m is None:
            problems.append(f"line {n}: not 'RESULT name | value | unit | baseline | target'")
            continue
        name, value, unit, baseline, target = m.groups()
        try:
            parsed = _number(value)
            base = _number(baseline)
        except ValueError:
            problems.append(f"line {n}: value or baseline is not a number: {line!r}")
            continue
        if parsed is None:
            problems.append(f"line {n}: no value: {line!r}")
            continue
        figures.append(Figure(name, parsed, unit, base, target or "-"))
    return figures, problems


def run(script: Path, timeout: float) -> Run:
    result = Run(script)
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    env["PYTHONUNBUFFERED"] = "1"
    start = time.monotonic()
    try:
        proc = subprocess.run(
            [sys.executable, str(script)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        result.code = proc.returncode
        result.output, result.errors = proc.stdout, proc.stderr
    except subprocess.TimeoutExpired as exc:
        result.problems.append(f"did not finish within {timeout:.0f} s")
        out = exc.stdout or b""
        result.output = out.decode("utf-8", "replace") if isinstance(out, bytes) else out
    result.seconds = time.monotonic() - start
    result.figures, problems = parse(result.output)
    result.problems += problems
    if result.code not in (0, None) and not result.figures:
        result.problems.append(f"exit code {result.code}")
    return result


@dataclass
class Reliability:
    code: int | None = None
    seconds: float = 0.0
    figures: list[tuple[str, str]] = field(default_factory=list)
    summary: str = ""


def run_reliability(timeout: float) -> Reliability:
    """The reliability suite in short mode, with its printed figures."""
    result = Reliability()
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    env.pop("STRAPLINE_RELIABILITY", None)
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        "tests/reliability",
        "-q",
        "-s",
        "-rxs",
        "-p",
        "no:cacheprovider",
    ]
    start = time.monotonic()
    try:
        proc = subprocess.run(
            cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
        )
        result.code = proc.returncode
        out = proc.stdout
    except subprocess.TimeoutExpired:
        out = ""
        result.summary = f"did not finish within {timeout:.0f} s"
    result.seconds = time.monotonic() - start
    for line in out.splitlines():
        m = RELIABILITY.search(line.strip())  # may follow pytest's progress on the line
        if m:
            result.figures.append((m.group(1), m.group(2)))
        elif re.search(r"\b(passed|failed|xfailed|skipped|error)\b.* in [0-9.]+s", line):
            result.summary = line.strip("= ").strip()
        elif line.startswith(("XFAIL", "SKIPPED", "FAILED", "ERROR")):
            result.figures.append(("outcome", line.strip()))
    return result


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def machine() -> list[tuple[str, str]]:
    cpu = platform.processor() or ""
    for line in _read("/proc/cpuinfo").splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    if not cpu and sys.platform == "darwin":
        cpu = subprocess.run(
            ["sysctl", "-n", "machdep.cpu.brand_string"], capture_output=True, text=True
        ).stdout.strip()
    os_name = platform.platform()
    for line in _read("/etc/os-release").splitlines():
        if line.startswith("PRETTY_NAME="):
            os_name = f"{line.split('=', 1)[1].strip(chr(34))} ({platform.platform()})"
    memory = ""
    for line in _read("/proc/meminfo").splitlines():
        if line.startswith("MemTotal:"):
            memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GB"
    try:
        import PySide6
        from PySide6.QtCore import qVersion

        qt = f"Qt {qVersion()}, PySide6 {PySide6.__version__}"
    except ImportError:
        qt = "PySide6 not installed"
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "-"
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "log", "-1", "--format=%h %cI"], capture_output=True, text=True
    ).stdout.strip()
    rows = [
        ("CPU", cpu or "unknown"),
        ("Cores (logical)", str(os.cpu_count())),
        ("Memory", memory or "unknown"),
        ("Load average (1, 5, 15 min) at start", load),
        ("Python", f"{platform.python_implementation()} {platform.python_version()}"),
        ("Qt", qt),
        ("OS", os_name),
        ("Commit", commit or "unknown"),
    ]
    return rows


def _fmt(value: float | None) -> str:
    if value is None:
        return "-"
    if value == 0:
        return "0"
    magnitude = abs(value)
    if magnitude >= 100:
        return f"{value:,.0f}"
    if magnitude >= 10:
        return f"{value:.1f}"
    if magnitude >= 0.1:
        return f"{value:.2f}"
    return f"{value:.3g}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def report(
    runs: list[Run],
    info: list[tuple[str, str]],
    started: datetime.datetime,
    reliability: Reliability | None = None,
) -> str:
    lines = [
        "# Performance",
        "",
        "Written by `python tests/benchmarks/run_all.py` (do not edit by hand: run it again).",
        f"Measured {started:%Y-%m-%d %H:%M} UTC. Each figure's baseline was measured in the same",
        "run, on the same machine, so the ratio holds where the absolute times do not (the",
        "machine below may be shared and loaded).",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
    ]
    lines += [f"| {k} | {_cell(v)} |" for k, v in info]
    lines += [
        "",
        "## Figures",
        "",
        "| Benchmark | Figure | Value | Unit | Baseline | Ratio | Target | Met |",
        "|---|---|---:|---|---:|---:|---|---|",
    ]
    for r in runs:
        for f in r.figures:
            ratio = f"{f.ratio:.2f}x" if f.ratio is not None else "-"
            met = {True: "yes", False: "**NO**", None: "-"}[f.met]
            lines.append(
                f"| {r.name} | {_cell(f.name)} | {_fmt(f.value)} | {_cell(f.unit)} | "
                f"{_fmt(f.baseline)} | {ratio} | {_cell(f.target)} | {met} |"
            )
        if not r.figures:
            lines.append(f"| {r.name} | (no RESULT lines: see its output below) | | | | | | |")
    missed = [(r.name, f.name) for r in runs for f in r.figures if f.met is False]
    broken = [(r.name, p) for r in runs for p in r.problems]
    lines += ["", "## Summary", ""]
    total = sum(len(r.figures) for r in runs)
    with_target = sum(1 for r in runs for f in r.figures if f.met is not None)
    lines.append(
        f"{len(runs)} benchmarks, {total} figures, {with_target} with a target, "
        f"{len(missed)} target(s) missed."
    )
    for bench, name in missed:
        lines.append(f"- missed: {bench}: {name}")
    for bench, problem in broken:
        lines.append(f"- problem: {bench}: {problem}")
    if reliability is not None:
        lines += [
            "",
            "## Reliability (tests/reliability, short mode)",
            "",
            f"`pytest tests/reliability`: {reliability.summary or 'no summary'} "
            f"(exit code {reliability.code}, {reliability.seconds:.0f} s). Targets: offline shown "
            "within 1 s of a renderer's death, on air restored within 1 s of its return, memory "
            "growth under 10 % over the soak; no exception but DataError from any data file; no "
            "crash or hang from any packet; no play carried out twice.",
            "",
            "| Figure | Value |",
            "|---|---|",
        ]
        lines += [f"| {_cell(k)} | {_cell(v)} |" for k, v in reliability.figures]
    lines += ["", "## Output of each benchmark", ""]
    for r in runs:
        lines += [
            f"### {r.name} (`{r.script.relative_to(ROOT)}`, {r.seconds:.0f} s, "
            f"exit code {r.code if r.code is not None else '-'})",
            "",
            "```",
            r.output.rstrip() or "(no output)",
            "```",
            "",
        ]
        if r.code not in (0, None) and r.errors.strip():
            lines += ["stderr (last lines):", "", "```", *r.errors.strip().splitlines()[-20:]]
            lines += ["```", ""]
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Run every tests/benchmarks/bench_*.py and write the performance report."
    )
    parser.add_argument(
        "--only",
        action="append",
        metavar="NAME",
        help="run only the benchmarks whose file name contains NAME (repeatable)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=DEFAULT_OUTPUT,
        metavar="FILE",
        help=f"where to write the report (default {DEFAULT_OUTPUT.relative_to(ROOT)})",
    )
    parser.add_argument(
        "--no-reliability",
        action="store_true",
        help="skip the reliability suite (by default it runs after the benchmarks, ~4 min)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=900.0,
        metavar="S",
        help="seconds one benchmark may take before it is stopped (default 900)",
    )
    args = parser.parse_args(argv)
    scripts = sorted(HERE.glob("bench_*.py"))
    if args.only:
        scripts = [s for s in scripts if any(o in s.name for o in args.only)]
    if not scripts:
        print("run_all: no benchmark matched", file=sys.stderr)
        return 1
    started = datetime.datetime.now(datetime.UTC)
    info = machine()
    runs = []
    for script in scripts:
        print(f"run_all: {script.name} ...", flush=True)
        r = run(script, args.timeout)
        state = "ok" if not r.problems else "; ".join(r.problems)
        print(f"run_all: {script.name}: {len(r.figures)} figures in {r.seconds:.0f} s ({state})")
        runs.append(r)
    reliability = None
    if not args.no_reliability:
        print("run_all: reliability suite ...", flush=True)
        reliability = run_reliability(args.timeout)
        print(f"run_all: reliability: {reliability.summary} in {reliability.seconds:.0f} s")
    text = report(runs, info, started, reliability)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.output.with_name(args.output.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, args.output)
    print(f"run_all: wrote {args.output}")
    bad = any(r.problems for r in runs) or any(f.met is False for r in runs for f in r.figures)
    bad = bad or (reliability is not None and reliability.code != 0)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
