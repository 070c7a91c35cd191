"""FinishLynx start lists, Strapline JSON (round trip and schema), format detection, merging."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from strapline.domain.diagnostics import DataError
from strapline.domain.model import Athlete, EventKind, RaceStatus, RoundKind, Team
from strapline.io import (
    detect_format,
    dump_json,
    load_file,
    load_files,
    save_json,
    schema_text,
)

DATA = Path(__file__).parent / "data"
DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_lynx_start_lists() -> None:
    result = load_file(DATA / "LYNX.EVT")
    women, relay = result.competition.events
    assert women.name == "Women's 1500 m"
    assert [r.number for r in women.races] == [2, 3]
    first = women.races[0]
    assert first.round.kind is RoundKind.QUARTERFINAL
    assert first.status is RaceStatus.START_LIST
    park = first.start_list[1].competitor
    assert isinstance(park, Athlete)
    assert (park.id, park.family_name, park.given_name, park.nation, park.helmet) == (
        "ISU-W205",
        "PARK",
        "Ji Won",
        "KOR",
        205,
    )
    assert first.start_list[2].competitor.family_name == "KOTRCHOVÁ"
    assert [e.start_position for e in first.start_list] == [1, 2, 3]
    assert relay.kind is EventKind.RELAY
    korea = relay.races[0].start_list[0].competitor
    assert isinstance(korea, Team) and korea.name == "KOREA" and korea.id == "KOR-team"
    assert result.warnings == []


def test_lynx_errors_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "LYNX.EVT"
    path.write_text("1,1,1,Men 500m Final A\n,abc,1,ROUSSEL,Felix,CAN,,X1\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_file(path)
    assert err.value.location == "line 2, helmet"
    path.write_text(",101,1,ROUSSEL,Felix,CAN,,X1\n", encoding="utf-8")
    with pytest.raises(DataError, match="line 1: competitor line before any event line"):
        load_file(path, format="lynx")


def test_lynx_duplicate_helmet_warns(tmp_path: Path) -> None:
    path = tmp_path / "LYNX.EVT"
    path.write_text(
        "1,1,1,Men 500m Final A\n,101,1,A,Bob,CAN,,1\n,101,2,B,Carl,USA,,2\n", encoding="utf-8"
    )
    (warning,) = load_file(path).warnings
    assert warning.location == "line 3" and "helmet 101" in warning.message


def test_json_round_trip_is_exact(tmp_path: Path) -> None:
    first = load_file(DATA / "odf_relay_m5000_final.xml").competition
    out = tmp_path / "sub" / "x.json"
    save_json(first, out)
    again = load_file(out).competition
    assert again == first
    assert dump_json(again) == out.read_text(encoding="utf-8")


def test_json_errors_name_the_field(tmp_path: Path) -> None:
    good = json.loads(dump_json(load_file(DATA / "odf_result_w500_sf2.xml").competition))
    good["competition"]["events"][0]["races"][0]["results"][1]["place"] = 0
    path = tmp_path / "x.json"
    path.write_text(json.dumps(good), encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_file(path)
    assert err.value.location == "competition.events[0].races[0].results[1].place"
    path.write_text('{"format": "strapline", "version": 1,\n "competition": {,}}', "utf-8")
    with pytest.raises(DataError, match="line 2, column"):
        load_file(path)
    path.write_text('{"hello": 1}', encoding="utf-8")
    with pytest.raises(DataError, match="not a Strapline data file"):
        load_file(path)


def test_published_schema_is_current() -> None:
    """docs/strapline.schema.json must be regenerated (`strapline schema`) when the model moves."""
    published = (DOCS / "strapline.schema.json").read_text(encoding="utf-8")
    assert published == schema_text(), "run: strapline schema > docs/strapline.schema.json"


@pytest.mark.parametrize(
    ("name", "data", "fmt"),
    [
        ("x.csv", b"Place,Name\n1,A B\n", "csv"),
        ("x.txt", b"Place\tName\n", "csv"),
        ("x.dat", b'{"format": "strapline"}', "json"),
        ("x", b"\xef\xbb\xbf<?xml version='1.0'?><OdfBody/>", "odf"),
        ("x.bin", b"PK\x03\x04rest", "xlsx"),
        ("LYNX.EVT", b"1,1,1,Men 500m\n", "lynx"),
        ("start.txt", b"1,1,1,Men 500m\n,101,1,A,B,CAN,,1\n", "lynx"),
    ],
)
def test_detect_format(name: str, data: bytes, fmt: str) -> None:
    assert detect_format(Path(name), data) == fmt


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no such file"):
        load_file(tmp_path / "missing.csv")
    with pytest.raises(DataError, match="holds no data files"):
        load_file(tmp_path)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(DataError, match="empty"):
        load_file(empty)
    xls = tmp_path / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    with pytest.raises(DataError, match=r"\.xls"):
        load_file(xls)
    binary = tmp_path / "b.csv"
    binary.write_bytes(b"Place,Name\n\x00\x01\x02")
    with pytest.raises(DataError, match="line 2: the file is not text"):
        load_file(binary)


def test_merge_start_list_then_results(tmp_path: Path) -> None:
    start, results = DATA / "odf_startlist_w500_sf2.xml", DATA / "odf_result_w500_sf2.xml"
    merged = load_files([start, results])
    (race,) = merged.competition.events[0].races
    assert race.status is RaceStatus.UNOFFICIAL and len(race.results) == 5
    assert not merged.warnings, "results after their start list are the usual flow"
    reverse = load_files([results, start])
    (race,) = reverse.competition.events[0].races
    assert len(race.results) == 5, "a start list read later never wipes results"
    assert any("start list ignored" in w.message for w in reverse.warnings)


def test_merge_keeps_every_event_and_the_first_names() -> None:
    merged = load_files(
        [DATA / "odf_result_w500_sf2.xml", DATA / "LYNX.EVT", DATA / "odf_medals.xml"]
    ).competition
    assert merged.id == "stwc2024dre"
    assert [e.id for e in merged.events] == ["women-500-m", "women-1500-m", "men-5000-m-relay"]
    assert len(merged.medals) == 3


def test_mapping_on_other_formats_warns() -> None:
    result = load_file(DATA / "odf_medals.xml", {"Rang": "place"})
    assert result.warnings[0].location == "--map"


def test_load_files_is_all_or_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text('Place,Name,Time\n1,A Bob,1:2:3:4\n2,"C Dan,41.2\n', encoding="utf-8")
    with pytest.raises(DataError, match=r"bad\.csv"):
        load_files([DATA / "LYNX.EVT", bad])


def test_garbage_collector_state_is_restored(tmp_path: Path) -> None:
    import gc

    was_enabled = gc.isenabled()  # off in this session: collected on the GUI thread only
    thresholds = gc.get_threshold()
    try:
        gc.enable()
        load_file(DATA / "LYNX.EVT")
        assert gc.isenabled()
        assert gc.get_threshold() == thresholds
        with pytest.raises(DataError):
            load_file(tmp_path / "missing.csv")
        assert gc.isenabled()
        gc.disable()
        load_file(DATA / "LYNX.EVT")
        assert not gc.isenabled(), "a caller's choice to keep it off stands"
    finally:
        if was_enabled:
            gc.enable()
        else:
            gc.disable()
    assert gc.get_threshold() == thresholds


def test_collector_thresholds_during_import_and_after() -> None:
    """Young passes while importing, the middle generation held back, the caller's restored."""
    import gc

    from strapline.io import loader

    saved = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        with loader._collector_for_import():
            assert gc.get_threshold() == (2000, 1000, 10)
            with loader._collector_for_import():  # a second import at the same time
                pass
            assert gc.get_threshold() == (2000, 1000, 10), "kept until the last import ends"
        assert gc.get_threshold() == (700, 10, 10)
        gc.set_threshold(0)  # automatic collection switched off by the caller: left off
        load_file(DATA / "LYNX.EVT")
        assert gc.get_threshold()[0] == 0
        gc.set_threshold(50_000, 20, 10)  # a caller's larger thresholds are not lowered
        with loader._collector_for_import():
            assert gc.get_threshold() == (50_000, 1000, 10)
        assert gc.get_threshold() == (50_000, 20, 10)
    finally:
        gc.set_threshold(*saved)
