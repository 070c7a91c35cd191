"""A weekend of 48 round files merged into one competition: every row kept, no id shared,
re-imports and real duplicates told apart."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from weekend_data import write_weekend

from strapline.io import load_file, load_files, merge, replace_file


@pytest.fixture(scope="module")
def weekend(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], int]:
    written = write_weekend(tmp_path_factory.mktemp("weekend"))
    return written.files, written.rows


def test_every_row_of_every_file_survives_the_merge(weekend: tuple[list[Path], int]) -> None:
    files, rows = weekend
    assert len(files) == 48
    result = load_files(files)
    comp = result.competition
    kept = sum(len(race.results) for _, race in comp.races())
    assert kept == rows
    race_ids = [race.id for _, race in comp.races()]
    assert len(race_ids) == len(set(race_ids))
    assert comp.name == "ISU World Cup Short Track Speed Skating 2019/20"
    assert (comp.city, comp.nation, comp.season) == ("Dresden", "GER", "2019-2020")
    assert [e.name for e in comp.events] == [
        "Men's 500 m",
        "Men's 1000 m",
        "Men's 1500 m",
        "Women's 500 m",
        "Women's 1000 m",
        "Women's 1500 m",
        "Women's 3000 m Relay",
        "Men's 5000 m Relay",
    ]
    messages = [w.message for w in result.warnings]
    assert not [m for m in messages if "same race" in m or "replaces" in m]
    # the odd cells are kept, each with a warning naming its file, line and column
    odd = [w for w in result.warnings if "kept as written" in w.message]
    assert odd and all(w.source.endswith(".csv") and "column" in w.location for w in odd)
    assert sum(len(row.as_written) for _, r in comp.races() for row in r.results) == len(odd)


def test_reimporting_a_file_replaces_only_its_races(
    weekend: tuple[list[Path], int], tmp_path: Path
) -> None:
    files, _ = weekend
    first, second = (Path(shutil.copy(f, tmp_path)) for f in files[:2])
    merged = load_files([first, second])
    before = {r.id for _, r in merged.competition.races()}
    # the first file loses its last race and is read again
    lines = first.read_text("utf-8").splitlines()
    last_race = lines[-1].split(",")[5]
    lines = [line for line in lines if line.split(",")[5] != last_race or line.startswith("season")]
    first.write_text("\n".join(lines) + "\n", "utf-8")
    again = replace_file(merged, load_file(first), str(first))
    after = {r.id for _, r in again.competition.races()}
    assert before - after == {f"men-500-m-heats-{last_race}"}
    assert {r for r in after if "repechage" in r} == {r for r in before if "repechage" in r}
    assert not [w for w in again.warnings if "same race" in w.message]
    # the same file merged twice is a re-import, not a duplicate
    twice = merge([load_file(second), load_file(second)], [str(second), str(second)])
    assert not [w for w in twice.warnings if "same race" in w.message]


def test_the_same_race_in_two_files_is_warned_naming_both(
    weekend: tuple[list[Path], int], tmp_path: Path
) -> None:
    files, _ = weekend
    copy = tmp_path / "copy.csv"
    shutil.copy(files[0], copy)
    result = load_files([files[0], copy])
    duplicates = [w for w in result.warnings if "same race" in w.message]
    assert len(duplicates) == 10  # the ten heats of the men's 500 m
    assert all(w.source == str(copy) and str(files[0]) in w.message for w in duplicates)


def test_a_weekend_of_results_feeds_the_standings_graphic(
    weekend: tuple[list[Path], int],
) -> None:
    from strapline.domain.graphics import GraphicKind, bind

    comp = load_files(weekend[0]).competition
    titles = [s.title for s in comp.standings]
    assert titles[:2] == ["Women's 500 m standings", "Women's 1000 m standings"]
    assert "Crystal Globe · Men" in titles and "Team Crystal Globe" in titles
    assert all(s.computed_with == "ISU Short Track World Tour 2024/25" for s in comp.standings)
    data = bind(GraphicKind.STANDINGS, comp)
    assert data.title == "Women's 500 m standings"  # type: ignore[attr-defined]


def test_a_folder_is_read_as_its_data_files(
    weekend: tuple[list[Path], int], tmp_path: Path
) -> None:
    files, rows = weekend
    folder = files[0].parent
    (folder / "notes.md").write_text("not data", "utf-8")
    comp = load_file(folder).competition
    assert sum(len(r.results) for _, r in comp.races()) == rows
    (folder / "notes.md").unlink()
    from strapline.domain.diagnostics import DataError

    with pytest.raises(DataError, match="holds no data files"):
        load_files([tmp_path])


def test_check_on_a_weekend_folder_prints_one_competition_titled_right(
    weekend: tuple[list[Path], int], capsys: pytest.CaptureFixture[str]
) -> None:
    from strapline.cli import main

    files, rows = weekend
    assert main(["check", str(files[0].parent)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == (
        "Competition: ISU World Cup Short Track Speed Skating 2019/20 · Dresden (GER) · 2019-2020"
    )
    assert sum(line.startswith("Competition:") for line in lines) == 1
    assert f"  8 events, 158 races, {rows} rows, 11 standings" in lines[1]
    names = [  # an event line: two spaces, the title, its id
        line.strip().split(" [")[0]
        for line in lines
        if line.startswith("  ") and line[2] != " " and line.endswith("]")
    ]
    individual = [f"{g} {d} m" for d in (500, 1000, 1500) for g in ("Men's", "Women's")]
    # the folder's files in natural order ("500m" before "1000m"): events by distance
    assert names == [*individual, "Women's 3000 m Relay", "Men's 5000 m Relay"]
    assert (
        "    Repechage Quarterfinal 2: UNOFFICIAL, 6 results  [men-500-m-repechage-quarterfinal-2]"
    ) in lines
    assert (
        "  Standings: Crystal Globe · Men [men-overall]: UNOFFICIAL, 9 rows, "
        "computed with ISU Short Track World Tour 2024/25 points"
    ) in lines
    assert "Event" not in out and "Round " not in out  # no placeholder title on air
