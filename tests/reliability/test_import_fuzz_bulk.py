"""Ten thousand malformed data files, of every format, fed to strapline.io.load_file.

Seeds are the demo files and the importer test files (CSV, ODF XML, Strapline JSON, LYNX.EVT)
and workbooks built from them (XLSX). Each generated file is a seed damaged one or more ways:
bytes cut, flipped, inserted, repeated or re-encoded; cells, fields and JSON values swapped for
hostile ones (huge numbers, control characters, formulas, wrong types, very long text); XML
elements dropped or duplicated, entity bombs, deep nesting; workbooks with odd cells or broken
zip parts. Required: load_file either loads the file whole or raises DataError naming the file,
never another exception (nor its own catch-all for an importer's bug), and never hangs.
Everything is seeded: a failure names the case number, and the file is kept for a look.
"""

from __future__ import annotations

import copy
import io
import json
import random
import signal
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from reliability_helpers import report, scaled

from strapline.domain.diagnostics import DataError
from strapline.io import load_file

ROOT = Path(__file__).resolve().parents[2]
SEED_DIRS = (ROOT / "src" / "strapline" / "data" / "demo", ROOT / "tests" / "io" / "data")
PER_FILE_LIMIT_S = 10.0
CATCH_ALL = "could not be read ("
XLSX_POOL = 60

HOSTILE = [
    "",
    " ",
    "-",
    "NaN",
    "inf",
    "-0",
    "1e999",
    "99999999999999999999999999",
    "-2147483649",
    "0x1F",
    "１２３",
    "٣",
    "½",
    "DNF",
    "DSQ",
    "PEN",
    "99:99.999",
    "1:00:00:00.000",
    "41.2.3",
    ":",
    '=HYPERLINK("x")',
    "@SUM(A1)",
    "\x00",
    "\x1b[2J",
    "\u202e",
    "\ufeff",
    "\ud7ff",
    "𝔘𝔫𝔦",
    "😀" * 40,
    "A" * 5000,
    '"',
    '""',
    "'",
    ";",
    ",",
    "\t",
    "\r",
    "\n",
    "<",
    "&amp;",
    "]]>",
    "null",
    "true",
    "[]",
    "{}",
    "ROUSSEL, Felix, CAN",
    "KOR",
    "XXX",
    "kr",
    "1",
    "0",
    "-1",
    "1000000",
]

JSON_HOSTILE: list[Any] = [
    None,
    True,
    0,
    -1,
    2**70,
    1.5e308,
    "",
    "x" * 3000,
    [],
    {},
    [None] * 5,
    {"": None},
    "\u0000",
    float("1e300"),
]

Mutator = Callable[[random.Random, bytes], bytes]


# --- byte-level damage, any format -------------------------------------------------------------


def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(0, max(1, len(data)))]


def flip(rng: random.Random, data: bytes) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 20)):
        if b:
            b[rng.randrange(len(b))] = rng.randrange(256)
    return bytes(b)


def insert(rng: random.Random, data: bytes) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + rng.randbytes(rng.randint(1, 64)) + data[at:]


def delete(rng: random.Random, data: bytes) -> bytes:
    a = rng.randrange(len(data) + 1)
    b = min(len(data), a + rng.randint(1, 200))
    return data[:a] + data[b:]


def repeat(rng: random.Random, data: bytes) -> bytes:
    a = rng.randrange(len(data) + 1)
    b = min(len(data), a + rng.randint(1, 400))
    return data[:b] + data[a:b] * rng.randint(2, 50) + data[b:]


def reencode(rng: random.Random, data: bytes) -> bytes:
    text = data.decode("utf-8", "replace")
    codec = rng.choice(["utf-16", "utf-16-le", "utf-32", "cp1252", "latin-1", "utf-8-sig"])
    return text.encode(codec, "replace")


def garbage(rng: random.Random, data: bytes) -> bytes:
    return rng.randbytes(rng.randint(0, 4096))


def nul_padded(rng: random.Random, data: bytes) -> bytes:
    return data.replace(b"\n", b"\x00\n") if rng.random() < 0.5 else data + b"\x00" * 1000


BYTE_MUTATORS: list[Mutator] = [truncate, flip, insert, delete, repeat, reencode, nul_padded]


# --- structure-aware damage ----------------------------------------------------------------------


def _lines(data: bytes) -> tuple[list[str], str]:
    text = data.decode("utf-8", "replace")
    return text.split("\n"), text


def table_cells(rng: random.Random, data: bytes) -> bytes:
    """CSV and LYNX: replace, add and drop fields; change the delimiter; break quoting."""
    lines, _ = _lines(data)
    sep = "," if any("," in line for line in lines[:3]) else ";"
    out = []
    for line in lines:
        cells = line.split(sep)
        for _ in range(rng.randint(0, 3)):
            op = rng.random()
            if op < 0.6 and cells:
                cells[rng.randrange(len(cells))] = rng.choice(HOSTILE)
            elif op < 0.8:
                cells.insert(rng.randrange(len(cells) + 1), rng.choice(HOSTILE))
            elif cells:
                cells.pop(rng.randrange(len(cells)))
        out.append(rng.choice([sep, sep, sep, "\t", ";", "|"]).join(cells))
    if rng.random() < 0.2:
        rng.shuffle(out)
    if rng.random() < 0.1:
        out.insert(rng.randrange(len(out) + 1), '"' + "unterminated, quote" * rng.randint(1, 50))
    return "\r\n".join(out).encode(rng.choice(["utf-8", "utf-8-sig", "cp1252"]), "replace")


def _hostile_value(rng: random.Random) -> Any:
    """A fresh copy of a hostile JSON value (never shared between places in a document)."""
    return copy.deepcopy(rng.choice(JSON_HOSTILE + HOSTILE))


def _walk(node: Any, rng: random.Random, depth: int = 0) -> Any:
    if isinstance(node, dict):
        if node and rng.random() < 0.3:
            key = rng.choice(list(node))
            choice = rng.random()
            if choice < 0.4:
                node[key] = _hostile_value(rng)
            elif choice < 0.6:
                del node[key]
            else:
                node[rng.choice(HOSTILE) or "extra"] = _hostile_value(rng)
        for key in list(node)[:50]:
            if key in node:
                node[key] = _walk(node[key], rng, depth + 1)
        return node
    if isinstance(node, list):
        if node and rng.random() < 0.2:
            i = rng.randrange(len(node))
            op = rng.random()
            if op < 0.4:
                node[i] = _hostile_value(rng)
            elif op < 0.7:
                node.append(node[i])
            else:
                node.pop(i)
        return [_walk(x, rng, depth + 1) for x in node]
    if rng.random() < 0.03:
        return _hostile_value(rng)
    return node


def json_values(rng: random.Random, data: bytes) -> bytes:
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError):
        return flip(rng, data)
    doc = _walk(doc, rng)
    if rng.random() < 0.05:  # nested far deeper than any real file (written as text)
        depth = rng.choice([100, 5000, 100_000])
        deep = "[" * depth + "null" + "]" * depth
        return ('{"format": "strapline", "version": 1, "competition": ' + deep + "}").encode()
    return json.dumps(doc, ensure_ascii=rng.random() < 0.5).encode("utf-8")


def xml_tree(rng: random.Random, data: bytes) -> bytes:
    """ODF XML: drop, repeat and nest elements; hostile attribute values; entity tricks."""
    text = data.decode("utf-8", "replace")
    choice = rng.random()
    if choice < 0.1:
        bomb = (
            '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            + "".join(
                f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                for i in range(1, 10)
            )
            + ']><OdfBody><Competition Gen="&lol9;"/></OdfBody>'
        )
        return bomb.encode()
    if choice < 0.15:
        return (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            b'<OdfBody DocumentType="DT_RESULT"><Competition>&e;</Competition></OdfBody>'
        )
    if choice < 0.2:
        depth = rng.choice([50, 1000, 50_000])
        return ("<OdfBody>" + "<Result>" * depth + "</Result>" * depth + "</OdfBody>").encode()
    # Attribute values and element repeats, textually (the file stays close to the real thing).
    parts = text.split('"')
    for _ in range(rng.randint(1, 8)):
        if len(parts) > 2:
            i = rng.randrange(1, len(parts), 2)
            parts[i] = rng.choice(HOSTILE).replace('"', "&quot;").replace("<", "&lt;")
    text = '"'.join(parts)
    tags = [i for i in range(len(text)) if text.startswith("<Result", i)]
    if tags and rng.random() < 0.5:
        a = rng.choice(tags)
        b = text.find(">", a) + 1
        text = text[:a] + text[a:b] * rng.randint(2, 30) + text[b:]
    if rng.random() < 0.2:
        text = text.replace(
            'encoding="UTF-8"', rng.choice(['encoding="bogus"', 'encoding="UTF-16"'])
        )
    return text.encode("utf-8", "replace")


_CONTROL = {c: None for c in range(32) if chr(c) not in "\t\n\r"}


def _workbook(rng: random.Random, rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows[: rng.randint(0, 60)]:
        cells: list[Any] = []
        for cell in row:
            r = rng.random()
            if r < 0.1:
                cells.append(rng.choice([3.5, -1, 10**20, True, None, "=1/0", "=A1"]))
            elif r < 0.15:
                import datetime

                cells.append(datetime.datetime(2024, 2, 4, 14, 0, 0))
            else:
                cells.append(rng.choice(HOSTILE) if r < 0.3 else cell)
        ws.append(
            [c.replace("\x00", "").replace("\x1b", "") if isinstance(c, str) else c for c in cells]
        )
    if rng.random() < 0.2:
        wb.create_sheet("Second").append(["Place", "Name"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xlsx_damage(rng: random.Random, data: bytes) -> bytes:
    """A valid workbook with one part removed, replaced or corrupted."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    names = src.namelist()
    victim = rng.choice(names)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in names:
            body = src.read(name)
            if name == victim:
                op = rng.random()
                if op < 0.3:
                    continue
                body = flip(rng, body) if op < 0.7 else truncate(rng, body)
            dst.writestr(name, body)
    return out.getvalue()


# --- the cases -----------------------------------------------------------------------------------


def _seeds() -> dict[str, list[tuple[str, bytes]]]:
    seeds: dict[str, list[tuple[str, bytes]]] = {"csv": [], "json": [], "odf": [], "lynx": []}
    for folder in SEED_DIRS:
        for path in sorted(p for p in folder.iterdir() if p.is_file()):  # not demo/feeds/
            data = path.read_bytes()
            name = path.name.lower()
            if name.endswith(".csv"):
                seeds["csv"].append((".csv", data))
            elif name.endswith(".json"):
                seeds["json"].append((".json", data))
            elif name.endswith(".xml"):
                seeds["odf"].append((".xml", data))
            elif name.endswith(".evt"):
                seeds["lynx"].append((".evt", data))
    return seeds


def cases(total: int, seed: int = 6) -> Iterator[tuple[int, str, str, bytes]]:
    """(case number, format, suffix, bytes) for `total` damaged files, spread over the formats."""
    seeds = _seeds()
    assert all(seeds.values()), f"missing seed files: {seeds.keys()}"
    csv_rows = [
        line.split(",") for _, data in seeds["csv"] for line in _lines(data)[0] if line.strip()
    ]
    rng = random.Random(seed)
    plan = ["csv"] * 25 + ["json"] * 25 + ["odf"] * 25 + ["lynx"] * 15 + ["xlsx"] * 8 + ["any"] * 2
    structural: dict[str, Mutator] = {
        "csv": table_cells,
        "lynx": table_cells,
        "json": json_values,
        "odf": xml_tree,
    }
    workbooks: list[bytes] = []
    for n in range(total):
        fmt = plan[n % len(plan)]
        case_rng = random.Random(rng.getrandbits(64))
        if fmt == "any":
            suffix = case_rng.choice([".csv", ".json", ".xml", ".evt", ".xlsx", ".txt", ""])
            yield n, fmt, suffix, garbage(case_rng, b"")
            continue
        if fmt == "xlsx":
            # Fresh workbooks are slow to write: build a pool once, then damage copies of them.
            if len(workbooks) < XLSX_POOL:
                rows = list(csv_rows)
                case_rng.shuffle(rows)
                workbooks.append(_workbook(case_rng, rows))
                data = workbooks[-1]
            else:
                data = case_rng.choice(workbooks)
            op = case_rng.random()
            if op < 0.45:
                data = xlsx_damage(case_rng, data)
            elif op < 0.7:
                data = case_rng.choice(BYTE_MUTATORS)(case_rng, data)
            yield n, fmt, ".xlsx", data
            continue
        suffix, data = case_rng.choice(seeds[fmt])
        for _ in range(case_rng.randint(1, 3)):
            if case_rng.random() < 0.6:
                data = structural[fmt](case_rng, data)
            else:
                data = case_rng.choice(BYTE_MUTATORS)(case_rng, data)
        if case_rng.random() < 0.05:  # the wrong extension
            suffix = case_rng.choice([".csv", ".json", ".xml", ".evt", ".xlsx", ".txt"])
        yield n, fmt, suffix, data


class Hang(Exception):
    pass


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    def on_alarm(signum: int, frame: FrameType | None) -> None:
        raise Hang(f"still reading after {seconds} s")

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@pytest.mark.skipif(sys.platform == "win32", reason="uses SIGALRM to catch a hang")
def test_ten_thousand_malformed_files(tmp_path: Path) -> None:
    total = scaled(10_000, 100_000)
    failures: list[str] = []
    outcomes = {"loaded": 0, "rejected": 0}
    per_format: dict[str, int] = {}
    slowest = (0.0, "")
    kept = tmp_path / "failures"
    start = time.monotonic()
    for n, fmt, suffix, data in cases(total):
        per_format[fmt] = per_format.get(fmt, 0) + 1
        path = tmp_path / f"case{suffix}"
        path.write_bytes(data)
        t0 = time.perf_counter()
        problem = ""
        try:
            with time_limit(PER_FILE_LIMIT_S):
                result = load_file(path)
            outcomes["loaded"] += 1
            if result.competition is None:
                problem = "loaded without a competition"
        except DataError as exc:
            outcomes["rejected"] += 1
            if exc.source != str(path):
                problem = f"DataError names {exc.source!r}, not the file"
            elif not exc.diagnostic.message:
                problem = "DataError without a message"
            elif exc.diagnostic.message.startswith(CATCH_ALL):
                problem = f"an importer's own error: {exc.diagnostic.message[:300]}"
        except Hang as exc:
            problem = str(exc)
        except Exception as exc:
            problem = f"{type(exc).__name__}: {str(exc)[:300]}"
        took = time.perf_counter() - t0
        if took > slowest[0]:
            slowest = (took, f"case {n} ({fmt}{suffix})")
        if problem:
            kept.mkdir(exist_ok=True)
            (kept / f"case{n}{suffix}").write_bytes(data)
            failures.append(f"case {n} ({fmt}, {suffix or 'no suffix'}): {problem}")
    report("malformed data files", f"{total} {per_format}")
    report("loaded / rejected with DataError", f"{outcomes['loaded']} / {outcomes['rejected']}")
    report("slowest file, s", f"{slowest[0]:.3f} ({slowest[1]})")
    report("import fuzz, s", f"{time.monotonic() - start:.1f}")
    assert not failures, f"{len(failures)} bad outcomes (files kept in {kept}):\n" + "\n".join(
        failures[:15]
    )
