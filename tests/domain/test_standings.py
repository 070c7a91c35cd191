"""Standings computed from results, checked against a table worked out by hand."""

from __future__ import annotations

from pathlib import Path

import pytest
from standings_data import TABLE, weekend_file

from strapline.domain.model import Competition, RaceStatus
from strapline.domain.standings import (
    compare_standings,
    compute_standings,
    event_ranking,
    load_points_table,
    shipped_points_table,
)
from strapline.io import load_file


@pytest.fixture
def comp(tmp_path: Path) -> Competition:
    return load_file(weekend_file(tmp_path)).competition


def _rows(table_id: str, tables: list) -> list[tuple[int, bool, str, float]]:  # type: ignore[type-arg]
    (table,) = [t for t in tables if t.id == table_id]
    return [(r.rank, r.tie, r.competitor.id.split("-")[1], r.points) for r in table.rows]


def test_event_ranking_from_rounds(comp: Competition) -> None:
    ranking = event_ranking(comp.events[0])
    got = [(r.rank, r.competitor.id.split("-")[1], r.placed) for r in ranking]
    assert got == [
        (1, "aaa", True),  # Final A
        (2, "eee", True),
        (3, "bbb", True),
        (4, "fff", False),  # penalised in Final A: after its finishers
        (5, "ccc", True),  # Final B
        (6, "ggg", True),
        (7, "ddd", True),
        (8, "hhh", True),
        (9, "jjj", True),  # out in the semifinals: place 5, then time (41.2 before 41.5)
        (10, "iii", True),
    ]


def test_standings_against_a_hand_computed_table(comp: Competition) -> None:
    tables = compute_standings(comp, TABLE)
    assert [t.id for t in tables] == [
        "men-500-m-standings",
        "men-1000-m-standings",
        "men-overall",
        "nations-standings",
    ]
    assert _rows("men-500-m-standings", tables) == [
        (1, False, "aaa", 10),
        (2, False, "eee", 8),
        (3, False, "bbb", 6),
        (4, False, "ccc", 4),
        (5, False, "ggg", 3),
        (6, False, "ddd", 2),
        (7, False, "hhh", 1),  # FFF (penalised), III and JJJ (ranks 9, 10) have no points
    ]
    overall = _rows("men-overall", tables)
    assert overall[:4] == [
        (1, False, "aaa", 18),
        (2, False, "bbb", 16),
        (3, False, "eee", 14),
        (4, False, "ccc", 4),
    ]
    (globe,) = [t for t in tables if t.id == "men-overall"]
    assert globe.title == "Crystal Globe · Men" and globe.computed_with == "test table"
    assert globe.rows[0].breakdown == {"500 m": 10, "1000 m": 8}
    assert globe.status is RaceStatus.UNOFFICIAL  # the races are not official yet
    nations = [(r.rank, r.competitor.nation, r.points) for r in tables[-1].rows]
    assert nations == [(1, "CAN", 34), (2, "KOR", 14), (3, "NED", 6), (4, "ITA", 4)]
    assert tables[-1].rows[0].competitor.name == "Canada"


def test_best_n_and_ties(comp: Competition) -> None:
    table = TABLE.model_copy(update={"best_overall": 1})
    overall = _rows("men-overall", compute_standings(comp, table))
    # best single result only: AAAA 10 and BBBB 10 tie, EEEE 8
    assert overall[:3] == [(1, True, "aaa", 10), (1, True, "bbb", 10), (3, False, "eee", 8)]


def test_imported_table_that_disagrees_is_warned(comp: Competition) -> None:
    computed = compute_standings(comp, TABLE)
    (mine,) = [t for t in computed if t.id == "men-overall"]
    rows = [mine.rows[0].model_copy(update={"points": 99.0}), *mine.rows[1:]]
    imported = mine.model_copy(
        update={"id": "wc-men", "title": "Men Overall Standings", "rows": rows}
    )
    (problem,) = compare_standings([imported], computed)
    assert (
        "'Men Overall Standings' disagree" in problem and "99 points there, 18 computed" in problem
    )
    assert compare_standings([mine.model_copy(update={"id": "x"})], computed) == []


def test_shipped_table_names_its_source() -> None:
    table = shipped_points_table()
    assert table.points[:3] == [100, 80, 70]
    assert "ISU Crystal Globe Fact Sheet" in table.source
    assert table.best_overall == 15
    with pytest.raises(ValueError, match="no shipped points table 'nope'"):
        shipped_points_table("nope")
    with pytest.raises(ValueError, match="points"):
        load_points_table('{"name": "x", "source": "y", "points": []}', "t.json")
