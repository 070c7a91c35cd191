"""`strapline check` and `strapline schema`: summaries, JSON round trip, errors, options."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from strapline.cli import main
from strapline.io import schema_text

DATA = Path(__file__).resolve().parents[1] / "io" / "data"
DEMO = Path(__file__).resolve().parents[2] / "src" / "strapline" / "data" / "demo"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["check", *argv]) if argv[:1] != ("schema",) else main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_summary(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, str(DATA / "men-1000m-semifinal-2.csv"))
    assert code == 0, err
    assert "1 events, 1 races, 5 rows" in out
    assert "Men's 1000 m [men-1000-m]" in out
    assert "Semifinal 2: OFFICIAL, 5 results" in out
    assert "No warnings." in out


def test_summary_lists_warnings_with_file_and_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "Men 500m Final A.csv"
    path.write_text("Place,#,Name,Nat,Time\n1,5,A Bob,XYZ,41.0\n2,5,B Carl,CAN,42.0\n", "utf-8")
    code, out, _ = run(capsys, str(path))
    assert code == 0
    assert f"{path}, line 2, column 'Nat': unknown nation code 'XYZ'" in out
    assert f"{path}, line 3: helmet 5 is used twice" in out
    code, _, err = run(capsys, str(path), "--strict")
    assert code == 1 and "2 warning(s), and --strict is on" in err


def test_json_round_trips_exactly(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, first, _ = run(capsys, str(DATA / "men-1000m-semifinal-2.csv"), "--json")
    assert code == 0
    assert json.loads(first)["format"] == "strapline"
    saved = tmp_path / "x.json"
    saved.write_text(first, encoding="utf-8")
    code, out, _ = run(capsys, str(saved))
    assert code == 0 and "5 rows" in out
    code, second, _ = run(capsys, str(saved), "--json")
    assert second == first


def test_errors_are_one_line_on_stderr(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    # an unterminated quote swallows the delimiters of the rows after it
    path.write_text(
        'Place,Name,Nat,Results\n1,"ROUSSEL Felix,CAN,40.5\n2,A Bob,CAN,41.0\n', "utf-8"
    )
    code, out, err = run(capsys, str(path))
    assert code == 1 and out == ""
    assert err == (
        f"strapline check: error: {path}, line 2: 2 cells where the header has 4 (a quote opened "
        "in this row is never closed, and swallowed the cells after it)\n"
    )
    assert "Traceback" not in err


def test_map_option(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "de.csv"
    path.write_text("Rang;Läufer;Land;Zeit\n1;ROUSSEL Felix;CAN;40,9\n", encoding="utf-8")
    argv = [str(path), "--map", "Rang=place", "--map", "Läufer=name", "--map", "Zeit=time"]
    code, out, err = run(capsys, *argv, "--map", "Land=nation", "--json")
    assert code == 0, err
    row = json.loads(out)["competition"]["events"][0]["races"][0]["results"][0]
    assert row["place"] == 1 and row["time"]["ms"] == 40_900
    code, _, err = run(capsys, str(path), "--map", "Rang")
    assert code == 1 and "expected COLUMN=FIELD" in err


def test_context_options(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--competition", "Dresden", "--event", "Men 500 m", "--round", "Final B"]
    argv += ["--race", "1", "--status", "OFFICIAL", "--json"]
    code, out, err = run(capsys, str(DATA / "men-1000m-semifinal-2.csv"), *argv)
    assert code == 0, err
    comp = json.loads(out)["competition"]
    assert comp["name"] == "Dresden"
    race = comp["events"][0]["races"][0]
    assert (race["round"]["kind"], race["status"]) == ("final_b", "OFFICIAL")


def test_several_files_and_demo(capsys: pytest.CaptureFixture[str]) -> None:
    # every demo data file (the demo timing feed, *.feed, is a recording, not a data file)
    files = sorted(str(p) for p in DEMO.iterdir() if p.is_file() and p.suffix != ".feed")
    code, out, err = run(capsys, *files)
    assert code == 0, err
    assert "(demo data)" in out or "demo" in out.lower()


def test_format_option(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "starts.dat"
    path.write_text("1,1,1,Men 500m Final A\n,101,1,ROUSSEL,Felix,CAN,,X1\n", encoding="utf-8")
    code, out, err = run(capsys, str(path), "--format", "lynx")
    assert code == 0, err
    assert "START_LIST, 1 starters" in out


def test_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schema")
    assert code == 0
    assert out == schema_text()
    schema = json.loads(out)
    assert schema["properties"]["format"]["const"] == "strapline"


def test_no_traceback_from_a_real_process(tmp_path: Path) -> None:
    """The installed entry point: a garbage file gives exit 1 and one message."""
    path = tmp_path / "garbage.xlsx"
    path.write_bytes(b"PK\x03\x04\x00\x00garbage")
    proc = subprocess.run(
        [sys.executable, "-m", "strapline", "check", str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert proc.returncode == 1
    assert proc.stderr.startswith("strapline check: error:")
    assert "Traceback" not in proc.stderr
