from __future__ import annotations

import json
from pathlib import Path

import pytest

from strapline.domain.diagnostics import DataError
from strapline.domain.rundown import Cue, CueBinding, CueGroup, DataSource, Override, Rundown, Show
from strapline.io.showfile import (
    load_show,
    read_recovery,
    recovery_path,
    save_show,
    write_recovery,
)


def _show(tmp_path: Path) -> Show:
    return Show(
        name="Dresden Sunday",
        data=[DataSource(path=str(tmp_path / "data" / "results.csv"))],
        overrides=[Override(competitor_id="can-roussel", field="given_name", value="Félix")],
        rundown=Rundown(
            groups=[
                CueGroup(
                    name="500 m",
                    cues=[
                        Cue(
                            name="Podium",
                            graphic="podium",
                            binding=CueBinding(event_id="m500"),
                            duration_s=8,
                        )
                    ],
                )
            ]
        ),
    )


def test_round_trip_keeps_everything(tmp_path: Path) -> None:
    show = _show(tmp_path)
    path = save_show(show, tmp_path / "sunday.strapline")
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert raw["format"] == "strapline-show" and raw["version"] == 1
    assert raw["data"][0]["path"] == "data/results.csv"  # relative to the show file
    back = load_show(path)
    assert back.data[0].path == str((tmp_path / "data" / "results.csv").resolve())
    assert back.model_dump(exclude={"data"}) == show.model_dump(exclude={"data"})


def test_moving_the_show_folder_keeps_data_paths(tmp_path: Path) -> None:
    save_show(_show(tmp_path), tmp_path / "sunday.strapline")
    moved = tmp_path.rename(tmp_path.parent / (tmp_path.name + "-moved"))
    back = load_show(moved / "sunday.strapline")
    assert back.data[0].path == str(moved.resolve() / "data" / "results.csv")


def test_save_leaves_no_temp_files_and_replaces(tmp_path: Path) -> None:
    path = tmp_path / "a.strapline"
    save_show(Show(name="one"), path)
    save_show(Show(name="two"), path)
    assert load_show(path).name == "two"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.strapline"]


@pytest.mark.parametrize(
    ("text", "where", "what"),
    [
        ("{", "line 1, column 2", "Expecting property name"),
        ("[]", "/", "one JSON object"),
        ('{"format": "x"}', "/format", "not a Strapline show file"),
        ('{"format": "strapline-show", "version": 9}', "/version", "not supported"),
        (
            '{"format": "strapline-show", "version": 1, "rundown": {"groups": [{"cues": [{}]}]}}',
            "/rundown/groups/0/cues/0/graphic",
            "Field required",
        ),
    ],
)
def test_bad_files_name_where_and_what(tmp_path: Path, text: str, where: str, what: str) -> None:
    path = tmp_path / "bad.strapline"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_show(path)
    assert info.value.source == str(path)
    assert info.value.location == where
    assert what in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no such file"):
        load_show(tmp_path / "nope.strapline")


def test_recovery_round_trip(tmp_path: Path) -> None:
    rec = recovery_path(tmp_path, tmp_path / "sunday.strapline")
    assert rec.name == "sunday.recovery.strapline"
    write_recovery(_show(tmp_path), rec, tmp_path / "sunday.strapline")
    show, of = read_recovery(rec)
    assert of == str(tmp_path / "sunday.strapline")
    assert show.name == "Dresden Sunday"
    rec.write_text("garbage", encoding="utf-8")
    with pytest.raises(DataError, match="unreadable recovery file"):
        read_recovery(rec)
