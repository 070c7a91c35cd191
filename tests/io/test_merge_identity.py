"""Merging files that name the same event and race with different ids (hand-written demo ids,
another importer's ids): one event, the id already in use kept, so cues bound to it follow."""

from __future__ import annotations

from pathlib import Path

from strapline.io.loader import load_files

DEMO = Path(__file__).resolve().parents[2] / "src" / "strapline" / "data" / "demo"


def test_a_results_file_lands_on_the_demo_race_it_updates() -> None:
    result = load_files([DEMO / "dresden-2023-24.json", DEMO / "dresden-men-500m-final-a.csv"])
    men500 = [e for e in result.competition.events if e.name == "Men's 500 m"]
    assert [e.id for e in men500] == ["m500"]  # one event, the demo's id
    races = [r.id for r in men500[0].races]
    assert races.count("m500-fa") == 1 and len(races) == len(set(races))
    assert any(
        "m500-fa" in w.location and "the same race is also in" in w.message for w in result.warnings
    )


def test_an_event_that_could_be_either_repeat_stays_apart(tmp_path: Path) -> None:
    # the demo skates the men's 1000 m twice, "(1)" and "(2)": a file that says neither is not
    # guessed onto one of them
    csv = tmp_path / "Men 1000m Final A.csv"
    csv.write_text(
        "Place,#,Name,ISU Member,Results\n1,101,PARKJiWon,KOR,1:24.245\n", encoding="utf-8"
    )
    result = load_files([DEMO / "dresden-2023-24.json", csv])
    names = sorted(e.name for e in result.competition.events if "1000" in e.name)
    assert names == ["Men's 1000 m", "Men's 1000 m (1)", "Men's 1000 m (2)"]
