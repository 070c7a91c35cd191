"""Hostile data files: each import ends in one clear refusal naming the file and the cap, in
little time, with the importing process's peak memory under 1 GB.

The files are made here (never committed): an XLSX whose shared string inflates to 1 GiB, an
XLSX of 300,000 rows, a valid CSV of 1.5 million rows (about 40 MB), JSON and XML past their
caps, an XML of a million elements under the byte cap; and a FIFO, a device and a folder,
which are refused at once. Each import runs in its own process, whose peak resident memory
(VmHWM) is read when it ends.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from reliability_helpers import report

MAX_PEAK_BYTES = 1024**3

CHILD = """
import sys, time
from strapline.domain.diagnostics import DataError
from strapline.io.loader import load_file
start = time.perf_counter()
try:
    result = load_file(sys.argv[1])
    print("LOADED", len(result.competition.events))
except DataError as exc:
    print("REFUSED", exc)
print("SECONDS", time.perf_counter() - start)
# VmHWM: this process's own peak (ru_maxrss would include the parent's, before exec)
for line in open("/proc/self/status", encoding="ascii"):
    if line.startswith("VmHWM:"):
        print("PEAK_KB", line.split()[1])
"""

OOXML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
XLSX_PARTS = {
    "[Content_Types].xml": (
        f'<Types xmlns="{PKG}/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{OOXML}.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        f'ContentType="{OOXML}.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" '
        f'ContentType="{OOXML}.sharedStrings+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        f'<Relationships xmlns="{PKG}/relationships">'
        f'<Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}">'
        '<sheets><sheet name="Results" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<Relationships xmlns="{PKG}/relationships">'
        f'<Relationship Id="rId1" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>"
    ),
}
SHEET_HEAD = f'<worksheet xmlns="{MAIN}"><sheetData>'
SHEET_TAIL = "</sheetData></worksheet>"


def _text_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _workbook(path: Path, shared: Callable[[zipfile.ZipFile], None], rows: int) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for name, text in XLSX_PARTS.items():
            z.writestr(name, text)
        shared(z)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(SHEET_HEAD.encode())
            cells = _text_cell("A1", "Rank") + _text_cell("B1", "Name") + _text_cell("C1", "Time")
            header = f'<row r="1">{cells}</row>'
            f.write(header.encode())
            chunk: list[str] = []
            for i in range(2, rows + 2):
                chunk.append(
                    f'<row r="{i}"><c r="A{i}"><v>{i - 1}</v></c>'
                    f'<c r="B{i}" t="inlineStr"><is><t>SKATER Number {i}</t></is></c>'
                    f'<c r="C{i}" t="inlineStr"><is><t>41.{i % 1000:03d}</t></is></c></row>'
                )
                if len(chunk) == 10_000:
                    f.write("".join(chunk).encode())
                    chunk.clear()
            f.write("".join(chunk).encode())
            f.write(SHEET_TAIL.encode())


def xlsx_bomb(path: Path) -> None:
    """1 MB on disk; its shared string inflates to 1 GiB."""

    def shared(z: zipfile.ZipFile) -> None:
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as f:
            f.write(f'<sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>'.encode())
            block = b"A" * (1024 * 1024)
            for _ in range(1024):
                f.write(block)
            f.write(b"</t></si></sst>")

    _workbook(path, shared, 2)


def xlsx_rows(path: Path) -> None:
    def shared(z: zipfile.ZipFile) -> None:
        z.writestr(
            "xl/sharedStrings.xml",
            f'<sst xmlns="{MAIN}"/>',
        )

    _workbook(path, shared, 300_000)


def csv_rows(path: Path) -> None:
    """A valid results table of 1.5 million rows, about 40 MB."""
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write("Rank,Name,Nation,Time\n")
        for start in range(0, 1_500_000, 50_000):
            f.write(
                "".join(
                    f"{i + 1},KIM Gil-li {i},KOR,41.{i % 1000:03d}\n"
                    for i in range(start, start + 50_000)
                )
            )


def json_big(path: Path) -> None:
    rows = [{"rank": i, "name": f"Skater {i}"} for i in range(400_000)]
    path.write_text(json.dumps({"format": "strapline", "rows": rows}), encoding="utf-8")


def json_crowded(path: Path) -> None:
    """Just under the byte cap, as many objects as fit: the most memory JSON text can ask."""
    count = (16 * 1024 * 1024 - 100) // 3
    path.write_text('{"format": "strapline", "competition": [' + "{}," * (count - 1) + "{}]}")


def xml_big(path: Path) -> None:
    with path.open("wb") as f:
        f.write(b"<Results>")
        f.write(b"<Result Rank='1' Name='A B'/>" * 700_000)
        f.write(b"</Results>")


def xml_many(path: Path) -> None:
    """Under the byte cap, over the element cap."""
    with path.open("wb") as f:
        f.write(b"<r>" + b"<a/>" * 1_000_000 + b"</r>")


HOSTILE = {
    "xlsx-bomb.xlsx": (xlsx_bomb, "shared strings"),
    "rows.xlsx": (xlsx_rows, "table rows"),
    "rows.csv": (csv_rows, "table rows"),
    "big.json": (json_big, "JSON file"),
    "crowded.json": (json_crowded, "competition"),
    "big.xml": (xml_big, "XML file"),
    "many.xml": (xml_many, "elements"),
}


def _import(path: str) -> tuple[str, float, int]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, path],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        check=False,
    )
    lines = dict(line.split(" ", 1) for line in done.stdout.splitlines() if " " in line)
    assert "PEAK_KB" in lines, done.stderr[-2000:]
    outcome = lines.get("REFUSED", "LOADED " + lines.get("LOADED", "?"))
    return outcome, float(lines["SECONDS"]), int(lines["PEAK_KB"]) * 1024


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_file_is_refused_within_bounds(tmp_path: Path, name: str) -> None:
    make, cap = HOSTILE[name]
    path = tmp_path / name
    made = time.perf_counter()
    make(path)
    size = path.stat().st_size
    outcome, seconds, peak = _import(str(path))
    report(
        f"import of hostile {name} ({size / 1e6:.1f} MB on disk)",
        f"{seconds:.2f} s, peak {peak / 1e6:.0f} MB (made in {time.perf_counter() - made:.1f} s): "
        + outcome.removeprefix(str(path)).lstrip(", :")[:90],
    )
    assert outcome.startswith(str(path)) and cap in outcome
    assert peak < MAX_PEAK_BYTES


def test_fifos_devices_and_folders_are_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "results.csv"
    os.mkfifo(fifo)
    for path, kind in ((fifo, "FIFO"), (Path("/dev/zero"), "device"), (tmp_path, "folder")):
        outcome, seconds, _ = _import(str(path))
        assert kind in outcome and str(path) in outcome, outcome
        assert seconds < 1.0
