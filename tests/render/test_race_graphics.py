"""The live race's graphics: race-clock, positions, lap-chart, finish-card. Golden images in
both themes, text inside the graphics-safe area at every size, the clock's digits, staleness."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from strapline.domain.graphics import Playhead
from strapline.domain.graphics import RaceClockData as RaceClockModel
from strapline.domain.theme import Theme
from strapline.render import render_graphic
from strapline.render.context import PaintContext, TextBox
from strapline.render.graphics.lap_chart import lap_label
from strapline.render.graphics.race_clock import clock_text
from strapline.render.png import rgba_array

RACE_CLOCK: dict[str, Any] = {
    "event": "Men 1000 m",
    "round": "Final A",
    "clock_ms": 57_040,
    "clock_running": True,
    "clock_started_at": 1_800_000_003.0,
    "laps_to_go": 3.0,
    "total_laps": 9.0,
    "leader_helmet": 2,
    "leader_name": "TANAKA Ren",
    "leader_nation": "JPN",
    "status": "LIVE",
}

POSITIONS: dict[str, Any] = {
    "title": "Men 1000 m",
    "subtitle": "Final A",
    "laps_to_go": 3.0,
    "rows": [
        {"place": 1, "helmet": 2, "name": "TANAKA Ren", "nation": "JPN"},
        {"place": 2, "helmet": 5, "name": "LEE Dong Hyun", "nation": "KOR", "gap": "+0.05"},
        {"place": 3, "helmet": 1, "name": "HALVORSEN Eirik", "nation": "NOR", "gap": "+0.14"},
        {"place": 4, "helmet": 3, "name": "SZCZEPANSKI-WOJCIECHOWSKA Katarzyna Maria",
         "nation": "POL", "gap": "+1:02.40"},
        {"place": 5, "helmet": 4, "name": "KOVÁČ Matej", "nation": "SVK", "gap": "+3.48",
         "fell": True},
        {"helmet": 7, "name": "PARK Ji Won", "nation": "KOR", "code": "DNF"},
    ],
    "status": "LIVE",
}  # fmt: skip

LAP_CHART: dict[str, Any] = {
    "title": "Men 500 m",
    "subtitle": "Final A · Lap times",
    "crossings": 5,
    "first_part": 0.5,
    "series": [
        {"helmet": 161, "name": "ROUSSEL Felix", "nation": "CAN",
         "laps_ms": [6020, 9180, 8810, 8790, 8720]},
        {"helmet": 182, "name": "PIERRE-GILLES Jordan", "nation": "CAN",
         "laps_ms": [6100, 9210, 8810, 8740, 8740]},
        {"helmet": 144, "name": "KUCZYŃSKI Łukasz", "nation": "POL",
         "laps_ms": [6210, 9190, 8900, 8720, 8810]},
        {"helmet": 117, "name": "NIKISHA Denis", "nation": "KAZ",
         "laps_ms": [5910, 9110, 8880, 8810]},
    ],
    "status": "UNOFFICIAL",
}  # fmt: skip

FINISH_CARD: dict[str, Any] = {
    "title": "Men 1000 m",
    "subtitle": "Final A",
    "name": "LEE Dong Hyun",
    "nation": "KOR",
    "helmet": 5,
    "time": "1:22.890",
    "record": "WR",
    "note": "TANAKA Ren (JPN) penalised",
    "status": "UNOFFICIAL",
}

SAMPLES = {
    "race-clock": RACE_CLOCK,
    "positions": POSITIONS,
    "lap-chart": LAP_CHART,
    "finish-card": FINISH_CARD,
}
SIZES = [(1920, 1080), (1280, 720), (3840, 2160), (1080, 1350), (1080, 1920)]


@pytest.mark.parametrize("kind", list(SAMPLES))
def test_golden_landscape(kind: str, theme: Theme, golden: Callable[..., None]) -> None:
    image = render_graphic(kind, SAMPLES[kind], theme, (1920, 1080))
    golden(image, f"{kind.replace('-', '_')}_{theme.name}")


@pytest.mark.parametrize("kind", ["race-clock", "positions"])
def test_golden_portrait(kind: str, theme: Theme, golden: Callable[..., None]) -> None:
    image = render_graphic(kind, SAMPLES[kind], theme, (1080, 1350), background="theme")
    golden(image, f"{kind.replace('-', '_')}_{theme.name}_portrait")


def test_golden_stale_race_clock(theme: Theme, golden: Callable[..., None]) -> None:
    image = render_graphic("race-clock", dict(RACE_CLOCK, stale=True), theme, (1920, 1080))
    golden(image, f"race_clock_stale_{theme.name}")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("kind", list(SAMPLES))
def test_text_stays_in_the_safe_area(kind: str, size: tuple[int, int], theme: Theme) -> None:
    boxes: list[TextBox] = []
    render_graphic(kind, SAMPLES[kind], theme, size, Playhead(), text_boxes=boxes)
    assert boxes
    safe = PaintContext(theme, *size).safe.adjusted(-1, -1, 1, 1)
    outside = [b.text for b in boxes if not safe.contains(b.rect)]
    assert not outside, f"text outside the graphics-safe area: {outside}"
    floor = round(theme.sizes.min_text * PaintContext(theme, *size).scale)
    assert all(b.pixel_size >= floor for b in boxes), [(b.text, b.pixel_size) for b in boxes]


def _texts(kind: str, data: dict[str, Any], theme: Theme) -> set[str]:
    boxes: list[TextBox] = []
    render_graphic(kind, data, theme, (1920, 1080), text_boxes=boxes)
    return {b.text for b in boxes}


def test_the_clock_shows_tenths_running_and_the_full_time_held(theme: Theme) -> None:
    assert "57.0" in _texts("race-clock", RACE_CLOCK, theme)
    held = dict(RACE_CLOCK, clock_ms=82_890, clock_running=False, laps_to_go=0, status="UNOFFICIAL")
    texts = _texts("race-clock", held, theme)
    assert "1:22.890" in texts and "FINISH" in texts
    assert clock_text(RaceClockModel(**dict(RACE_CLOCK, clock_ms=0, clock_running=False))) == "0.0"
    assert clock_text(RaceClockModel(**dict(RACE_CLOCK, clock_ms=None))) == ""


def test_a_digit_of_the_clock_changes_the_picture(theme: Theme) -> None:
    a = rgba_array(render_graphic("race-clock", RACE_CLOCK, theme, (1920, 1080)))
    b = rgba_array(render_graphic("race-clock", dict(RACE_CLOCK, clock_ms=57_140), theme,
                                  (1920, 1080)))  # fmt: skip
    assert int((np.abs(a.astype(int) - b.astype(int)).max(axis=2) > 40).sum()) > 50


def test_stale_fades_the_laps_and_marks_the_bar(theme: Theme) -> None:
    fresh = rgba_array(render_graphic("race-clock", RACE_CLOCK, theme, (1920, 1080)))
    stale = rgba_array(render_graphic("race-clock", dict(RACE_CLOCK, stale=True), theme,
                                      (1920, 1080)))  # fmt: skip
    amber = PaintContext(theme, 1920, 1080).colour("unofficial")
    target = np.array([amber.red(), amber.green(), amber.blue()])

    def near(img: np.ndarray) -> int:
        return int((np.abs(img[:, :, :3].astype(int) - target).max(axis=2) < 30).sum())

    assert near(stale) > near(fresh) + 1000


def test_positions_show_gaps_codes_and_falls(theme: Theme) -> None:
    texts = _texts("positions", POSITIONS, theme)
    assert {"+0.05", "DNF", "FELL", "3 LAPS TO GO", "TANAKA Ren"} <= texts


def test_lap_chart_labels_the_half_lap() -> None:
    assert [lap_label(i, 0.5) for i in range(5)] == ["½", "1", "2", "3", "4"]
    assert [lap_label(i, 1.0) for i in range(3)] == ["1", "2", "3"]


def test_finish_card_shows_time_and_record(theme: Theme) -> None:
    texts = _texts("finish-card", FINISH_CARD, theme)
    assert {"1:22.890", "WR", "WINNER", "TANAKA Ren (JPN) penalised"} <= texts
