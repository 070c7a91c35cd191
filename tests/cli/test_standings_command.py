"""`strapline standings`: computed standings printed, written as JSON, and errors."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "domain"))
from standings_data import weekend_file

from strapline.cli import main

TABLE = {
    "format": "strapline-points",
    "version": 1,
    "name": "hand table",
    "source": "written for this test",
    "points": [10, 8, 6, 5, 4, 3, 2, 1],
}


def test_prints_the_tables(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    points = tmp_path / "points.json"
    points.write_text(json.dumps(TABLE), "utf-8")
    assert main(["standings", str(weekend_file(tmp_path)), "--points", str(points)]) == 0
    out = capsys.readouterr().out
    assert "Crystal Globe · Men  [men-overall]  (UNOFFICIAL)" in out
    assert "     1  AAA Alex                         CAN       18" in out
    assert "Points table: hand table." in out


def test_json_feeds_the_standings_graphic(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["standings", str(weekend_file(tmp_path)), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    titles = [s["title"] for s in data["competition"]["standings"]]
    assert titles == [
        "Men's 500 m standings",
        "Men's 1000 m standings",
        "Crystal Globe · Men",
        "Team Crystal Globe",
    ]
    first = data["competition"]["standings"][2]["rows"][0]
    assert first["points"] == 180 and first["competitor"]["family_name"] == "AAA"
    from strapline.domain.graphics import GraphicKind, Selection, bind
    from strapline.domain.model import DataFile

    comp = DataFile.model_validate(data).competition
    bound = bind(GraphicKind.STANDINGS, comp, Selection(standings_id="men-overall"))
    assert bound.title == "Crystal Globe · Men"  # type: ignore[union-attr]


def test_bad_points_table_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    points = tmp_path / "points.json"
    points.write_text('{"name": "x"}', "utf-8")
    assert main(["standings", str(weekend_file(tmp_path)), "--points", str(points)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"strapline standings: error: {points}: source: Field required")
    assert main(["standings", str(weekend_file(tmp_path)), "--points", "nope"]) == 1
    assert "no shipped points table 'nope'" in capsys.readouterr().err
