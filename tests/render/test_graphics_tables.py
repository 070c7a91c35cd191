"""The table-style graphics (standings, start list, result list), the race bug and the quote card:
golden images per theme, text kept inside the safe area with long names, paging, highlight,
status marking and animation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from PySide6.QtGui import QImage

from strapline.domain.graphics import (
    GraphicKind,
    Playhead,
    QuoteData,
    RaceBugData,
    StandingsData,
    bind,
    data_model,
)
from strapline.domain.theme import Theme
from strapline.render import TextBox, render_graphic
from strapline.render.context import PaintContext
from strapline.render.graphics import registered_kinds
from strapline.render.graphics.quote import wrap
from strapline.render.graphics.race_bug import laps_text
from strapline.render.png import rgba_array
from strapline.render.table import name_runs

LONG_NAMES = [
    ("SZCZEPANSKI-WOJCIECHOWSKA Katarzyna Maria", "POL"),
    ("van der WART Freek", "NED"),
    ("ЖАКСЫБЕКОВА Айгерім Нұрсұлтанқызы", "KAZ"),
    ("박지원 PARK Ji Won", "KOR"),
    ("KUCZYŃSKI Łukasz", "POL"),
    ("ЯКОВЛЕВА Алина", "AIN"),
    ("DeCLEMENTE Clayton", "USA"),
    ("PIERRE-GILLES Jordan", "CAN"),
]

STANDINGS: dict[str, Any] = {
    "title": "Crystal Globe · Men",
    "subtitle": "ISU World Cup · Dresden",
    "rows": [
        {"rank": i + 1, "name": n, "nation": c, "points": str(1000 - 37 * i), "competitor_id": n}
        for i, (n, c) in enumerate(LONG_NAMES * 2)
    ],
    "page_size": 6,
    "highlight": "KUCZYŃSKI Łukasz",
    "status": "UNOFFICIAL",
}

START_LIST: dict[str, Any] = {
    "title": "Men 5000 m Relay",
    "subtitle": "Final A",
    "rows": [
        {"start_position": 1, "helmet": 301, "name": "Korea", "nation": "KOR",
         "team_members": ["JANG Sungwoo", "PARK Ji Won", "KIM Gun Woo", "KIM Tae Sung"]},
        {"start_position": 2, "helmet": 302, "name": "Japan", "nation": "JPN",
         "team_members": ["MIYATA Shogo", "YOSHINAGA Kazuki", "WATANABE Keita", "HIRAI Seito"]},
        {"start_position": 3, "helmet": 303, "name": "Hungary", "nation": "HUN",
         "team_members": ["LIU Shaoang", "LIU Shaolin Sandor", "KRISTÓF Bence", "TUSKA John"]},
        {"start_position": 4, "helmet": 304, "name": "Canada", "nation": "CAN",
         "team_members": ["DANDJINOU William", "DUBOIS Steven", "ROUSSEL Felix", "BLAIS Maxime"]},
    ],
    "status": "START_LIST",
}  # fmt: skip

RESULT_LIST: dict[str, Any] = {
    "title": "Men 500 m",
    "subtitle": "Final A",
    "medals": True,
    "rows": [
        {"place": 1, "helmet": 27, "name": "ROUSSEL Felix", "nation": "CAN", "time": "40.986"},
        {"place": 2, "tie": True, "helmet": 31, "name": "PIERRE-GILLES Jordan", "nation": "CAN",
         "time": "41.034", "record": "NR"},
        {"place": 2, "tie": True, "helmet": 140, "name": "KUCZYŃSKI Łukasz", "nation": "POL",
         "time": "41.034", "warnings": ["YC"], "qualification": "ADV"},
        {"place": 4, "helmet": 77, "name": "SZCZEPANSKI-WOJCIECHOWSKA Katarzyna Maria",
         "nation": "POL", "time": "41.500"},
        {"helmet": 128, "name": "NIKISHA Denis", "nation": "KAZ", "code": "PEN"},
    ],
    "status": "UNOFFICIAL",
}  # fmt: skip

RACE_BUG: dict[str, Any] = {
    "event": "Men 1000 m",
    "round": "Final A",
    "laps_to_go": 2.0,
    "total_laps": 9.0,
    "leader_helmet": 134,
    "leader_name": "J.W. PARK",
    "leader_nation": "KOR",
    "status": "LIVE",
}

QUOTE: dict[str, Any] = {
    "quote": "I knew the last corner would decide it, so I stayed patient and went on the "
    "inside when the gap opened.",
    "name": "Felix Roussel",
    "role": "Canada · 500 m gold",
    "nation": "CAN",
    "status": "OFFICIAL",
}

MEDAL_TABLE: dict[str, Any] = {
    "title": "Medal table",
    "subtitle": "ISU World Cup · Dresden",
    "rows": [
        {"rank": 1, "nation": "KOR", "name": "Republic of Korea", "gold": 4, "silver": 3,
         "bronze": 2},
        {"rank": 2, "nation": "CAN", "name": "Canada", "gold": 2, "silver": 3, "bronze": 1},
        {"rank": 3, "nation": "NED", "name": "Netherlands", "gold": 2, "silver": 1, "bronze": 2},
        {"rank": 4, "nation": "CHN", "name": "People's Republic of China", "gold": 1,
         "silver": 0, "bronze": 1},
        {"rank": 5, "tie": True, "nation": "BEL", "name": "Belgium", "silver": 1},
        {"rank": 5, "tie": True, "nation": "JPN", "name": "Japan", "silver": 1},
        {"rank": 7, "nation": "KAZ", "name": "Kazakhstan", "bronze": 1},
    ],
    "page_size": 5,
    "status": "OFFICIAL",
}  # fmt: skip

ADVANCEMENT: dict[str, Any] = {
    "title": "Men's 500 m",
    "subtitle": "Semifinals",
    "rows": [
        {"race": "Semifinal 1", "name": "ROUSSEL Felix", "nation": "CAN", "mark": "QA",
         "to": "Final A"},
        {"race": "Semifinal 2", "name": "林孝埈", "nation": "CHN", "mark": "QA", "to": "Final A"},
        {"race": "Semifinal 2", "name": "LIU Shaoang", "nation": "HUN", "mark": "ADA",
         "to": "Final A"},
        {"race": "Semifinal 1", "name": "宮田将吾", "nation": "JPN", "mark": "QB",
         "to": "Final B"},
        {"race": "Semifinal 2", "name": "van 't WOUT Jens", "nation": "NED", "mark": "QB",
         "to": "Final B"},
    ],
    "status": "UNOFFICIAL",
}  # fmt: skip

SCHEDULE: dict[str, Any] = {
    "title": "Next races",
    "subtitle": "ISU World Cup · Dresden",
    "rows": [
        {"time": "15:24", "event": "Women's 500 m", "race": "Final A", "state": "Live"},
        {"time": "15:31", "event": "Men's 500 m", "race": "Final A"},
        {"time": "16:05", "event": "Men's 1000 m", "race": "Final B"},
        {"time": "16:42", "event": "Men's 5000 m Relay", "race": "Final A"},
    ],
    "status": "OFFICIAL",
}  # fmt: skip

SAMPLES: dict[str, dict[str, Any]] = {
    "standings": STANDINGS,
    "start-list": START_LIST,
    "result-list": RESULT_LIST,
    "race-bug": RACE_BUG,
    "quote": QUOTE,
    "medal-table": MEDAL_TABLE,
    "advancement": ADVANCEMENT,
    "schedule": SCHEDULE,
}

SIZES = [(1920, 1080), (1280, 720), (3840, 2160), (1080, 1350), (1080, 1920)]


def _alpha(image: QImage) -> np.ndarray:
    return rgba_array(image)[:, :, 3]


def test_every_kind_has_a_painter() -> None:
    assert set(registered_kinds()) == set(GraphicKind)


@pytest.mark.parametrize("kind", list(SAMPLES))
def test_golden_landscape(kind: str, theme: Theme, golden: Callable[..., None]) -> None:
    image = render_graphic(kind, SAMPLES[kind], theme, (1920, 1080))
    golden(image, f"{kind.replace('-', '_')}_{theme.name}")


@pytest.mark.parametrize(
    "kind", ["standings", "result-list", "quote", "medal-table", "advancement", "schedule"]
)
def test_golden_portrait(kind: str, theme: Theme, golden: Callable[..., None]) -> None:
    image = render_graphic(kind, SAMPLES[kind], theme, (1080, 1350), background="theme")
    golden(image, f"{kind.replace('-', '_')}_{theme.name}_portrait")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("kind", list(SAMPLES))
def test_text_stays_in_the_safe_area(kind: str, size: tuple[int, int], theme: Theme) -> None:
    boxes: list[TextBox] = []
    for step in range(3):
        render_graphic(kind, SAMPLES[kind], theme, size, Playhead(step=step), text_boxes=boxes)
    assert boxes
    safe = PaintContext(theme, *size).safe.adjusted(-1, -1, 1, 1)
    outside = [b.text for b in boxes if not safe.contains(b.rect)]
    assert not outside, f"text outside the graphics-safe area: {outside}"
    floor = round(theme.sizes.min_text * PaintContext(theme, *size).scale)
    assert all(b.pixel_size >= floor for b in boxes), [(b.text, b.pixel_size) for b in boxes]


def test_a_long_name_shrinks_its_own_row_only(theme: Theme) -> None:
    longest_name = "DE LA MOTTE-FOUQUÉ VON HOHENZOLLERN-SIGMARINGEN Marie-Charlotte Élisabeth"
    rows = [dict(STANDINGS["rows"][0], name=longest_name), *STANDINGS["rows"][1:]]
    boxes: list[TextBox] = []
    render_graphic("standings", dict(STANDINGS, rows=rows), theme, (1920, 1080), text_boxes=boxes)
    names = {
        b.text.strip(): b
        for b in boxes
        if any(n.split(" ")[0] in b.text for n, _ in [*LONG_NAMES, (longest_name, "")])
    }
    longest = [b for t, b in names.items() if t.startswith("DE LA MOTTE")]
    short = [b for t, b in names.items() if t.startswith("van der WART")]
    assert longest and short and not short[0].elided
    # the short name keeps the full size; the long one shrinks alone, never below the codes
    assert longest[0].pixel_size < short[0].pixel_size
    code = next(b for b in boxes if b.text == "POL")
    assert longest[0].pixel_size >= code.pixel_size
    others = {b.pixel_size for t, b in names.items() if t.startswith(("van", "KUCZ", "ЯКОВ"))}
    assert others == {short[0].pixel_size}


def test_standings_pages_by_step(theme: Theme) -> None:
    texts = []
    for step in range(3):
        boxes: list[TextBox] = []
        render_graphic(
            "standings", STANDINGS, theme, (1920, 1080), Playhead(step=step), text_boxes=boxes
        )
        texts.append({b.text for b in boxes})
    assert "1/3" in texts[0] and "2/3" in texts[1] and "3/3" in texts[2]
    assert "7" in texts[1] and "7" not in texts[0]  # rank 7 opens page 2
    assert "13" in texts[2]


def test_standings_keeps_its_height_on_the_last_page(theme: Theme) -> None:
    first = _alpha(render_graphic("standings", STANDINGS, theme, (1920, 1080)))
    last = _alpha(render_graphic("standings", STANDINGS, theme, (1920, 1080), Playhead(step=2)))
    top_of = [int(np.argmax(a.max(axis=1) > 0)) for a in (first, last)]
    assert top_of[0] == top_of[1]  # the header does not jump between pages


def test_highlighted_row_is_filled_with_the_accent(theme: Theme) -> None:
    plain = dict(STANDINGS, highlight="")
    lit = rgba_array(render_graphic("standings", STANDINGS, theme, (1920, 1080)))
    unlit = rgba_array(render_graphic("standings", plain, theme, (1920, 1080)))
    accent = PaintContext(theme, 1920, 1080).colour("accent")
    target = np.array([accent.red(), accent.green(), accent.blue()])
    near = lambda img: int((np.abs(img[:, :, :3].astype(int) - target).max(axis=2) < 40).sum())  # noqa: E731
    assert near(lit) > near(unlit) + 20_000


@pytest.mark.parametrize("kind", list(SAMPLES))
def test_status_badge_marks_data_that_is_not_official(kind: str, theme: Theme) -> None:
    for status, label in [("UNOFFICIAL", "UNOFFICIAL"), ("LIVE", "LIVE"), ("OFFICIAL", None)]:
        boxes: list[TextBox] = []
        data = dict(SAMPLES[kind], status=status)
        render_graphic(kind, data, theme, (1920, 1080), text_boxes=boxes)
        labels = {b.text for b in boxes} & {"UNOFFICIAL", "LIVE", "START LIST"}
        if kind == "start-list" and status != "LIVE":
            label = "START LIST"  # a start list shows its own status, never a result's
        assert labels == ({label} if label else set()), (kind, status, labels)


@pytest.mark.parametrize("kind", list(SAMPLES))
def test_animation_in_hold_out(kind: str, theme: Theme) -> None:
    data = SAMPLES[kind]
    start = _alpha(render_graphic(kind, data, theme, (960, 540), Playhead(phase="in", t=0.0)))
    mid = _alpha(render_graphic(kind, data, theme, (960, 540), Playhead(phase="in", t=0.2)))
    held = _alpha(render_graphic(kind, data, theme, (960, 540)))
    gone = _alpha(render_graphic(kind, data, theme, (960, 540), Playhead(phase="out", t=10.0)))
    assert int((start > 0).sum()) < int((held > 0).sum()) * 0.1
    assert int((mid > 0).sum()) > 0
    assert int((held == 255).sum()) > 1000
    assert int(gone.sum()) == 0
    settled = render_graphic(kind, data, theme, (960, 540), Playhead(phase="in", t=5.0))
    assert np.array_equal(_alpha(settled), held)


def test_update_cross_fades_changed_laps(theme: Theme) -> None:
    old = dict(RACE_BUG, laps_to_go=3.0)
    head = Playhead(phase="update", t=0.1, previous=RaceBugData.model_validate(old).model_dump())
    mixed = rgba_array(render_graphic("race-bug", RACE_BUG, theme, (1920, 1080), head))
    new = rgba_array(render_graphic("race-bug", RACE_BUG, theme, (1920, 1080)))
    before = rgba_array(render_graphic("race-bug", old, theme, (1920, 1080)))
    assert not np.array_equal(mixed, new) and not np.array_equal(mixed, before)


def test_laps_text() -> None:
    bug = RaceBugData.model_validate(RACE_BUG)
    assert laps_text(bug) == ("2", "LAPS TO GO")
    assert laps_text(bug.model_copy(update={"laps_to_go": 4.5})) == ("4.5", "LAPS TO GO")
    assert laps_text(bug.model_copy(update={"laps_to_go": 1.0})) == ("1", "LAP TO GO")
    assert laps_text(bug.model_copy(update={"laps_to_go": 0.0})) == ("", "FINISH")
    assert laps_text(bug.model_copy(update={"laps_to_go": None})) == ("", "")


def test_race_bug_without_leader_or_laps(theme: Theme) -> None:
    data = {"event": "Women 1500 m", "round": "Semifinals 2", "status": "OFFICIAL"}
    boxes: list[TextBox] = []
    image = render_graphic("race-bug", data, theme, (1920, 1080), text_boxes=boxes)
    assert {b.text for b in boxes} == {"WOMEN 1500 M", "SEMIFINALS 2"}
    assert int((_alpha(image) == 255).sum()) > 1000


def test_quote_wraps_and_elides_a_very_long_quote(theme: Theme) -> None:
    ctx = PaintContext(theme, 1920, 1080)
    words = "short track is chess at fifty kilometres an hour " * 12
    lines, size = wrap(ctx, words, weight="medium", size=37, width=900.0, max_lines=3)
    assert len(lines) == 3
    assert size == theme.sizes.min_text
    boxes: list[TextBox] = []
    render_graphic("quote", QuoteData(quote=words), theme, (1920, 1080), text_boxes=boxes)
    assert boxes[-1].elided or any(b.elided for b in boxes)
    short, big = wrap(ctx, "Yes.", weight="medium", size=37, width=900.0, max_lines=3)
    assert short == ["Yes."] and big == 37


def test_name_runs_split_family_and_given() -> None:
    def split(name: str) -> list[tuple[str, str]]:
        return [(r.text, r.weight) for r in name_runs(name)]

    assert split("ROUSSEL Felix") == [("ROUSSEL", "heavy"), (" Felix", "regular")]
    assert split("van der WART Freek") == [("van der WART", "heavy"), (" Freek", "regular")]
    assert split("DeCLEMENTE Clayton") == [("DeCLEMENTE", "heavy"), (" Clayton", "regular")]
    assert split("PARK Ji Won") == [("PARK", "heavy"), (" Ji Won", "regular")]
    assert split("Korea") == [("Korea", "heavy")]
    assert split("박지원") == [("박지원", "heavy")]


def test_demo_bindings_render_in_every_layout(theme: Theme) -> None:
    from strapline.io.demo import load_demo

    comp = load_demo()
    selections: list[tuple[str, dict[str, Any]]] = [
        ("standings", {}),
        ("start-list", {}),
        ("result-list", {"event_id": comp.events[0].id}),
        ("race-bug", {"event_id": comp.events[0].id}),
        ("quote", {"text": "What a race."}),
    ]
    from strapline.domain.graphics import Selection

    for kind, sel in selections:
        data = bind(kind, comp, Selection(**sel))
        assert isinstance(data, data_model(kind))
        for size in [(1920, 1080), (1080, 1920)]:
            image = render_graphic(kind, data, theme, size)
            assert int((_alpha(image) == 255).sum()) > 1000, (kind, size)


def test_steps_agree_with_pages() -> None:
    data = StandingsData.model_validate(STANDINGS)
    from strapline.domain.graphics import steps

    assert steps("standings", data) == 3


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720), (1080, 1350)], ids=str)
def test_a_long_result_list_shrinks_into_the_safe_area(theme: Theme, size: tuple[int, int]) -> None:
    rows = [
        {"place": i + 1, "helmet": 100 + i, "name": n, "nation": c, "time": f"1:2{i % 10}.345"}
        for i, (n, c) in enumerate(LONG_NAMES * 4)
    ]
    data = dict(RESULT_LIST, rows=rows, medals=False)
    boxes: list[TextBox] = []
    image = render_graphic("result-list", data, theme, size, text_boxes=boxes)
    safe = PaintContext(theme, *size).safe.adjusted(-1, -1, 1, 1)
    assert all(safe.contains(b.rect) for b in boxes)
    alpha = _alpha(image)
    ys = np.flatnonzero(alpha.max(axis=1) == 255)
    assert safe.top() - 1 <= ys[0] and ys[-1] <= safe.bottom() + 1
    assert sum(1 for b in boxes if b.text.endswith(".345")) == 32


def test_one_name_order_across_graphics(theme: Theme) -> None:
    """The theme's name_order writes every graphic's names alike, the quote card included."""
    from samples import LOWER_THIRD, PODIUM

    for order, expected in (("family-given", "ROUSSEL Felix"), ("given-family", "Felix ROUSSEL")):
        themed = theme.model_copy(update={"name_order": order})
        drawn: dict[str, set[str]] = {}
        for kind, data in (
            ("lower-third", LOWER_THIRD), ("podium", PODIUM), ("result-list", RESULT_LIST),
            ("quote", dict(QUOTE, name="ROUSSEL Felix")),
        ):  # fmt: skip
            boxes: list[TextBox] = []
            render_graphic(kind, data, themed, (1920, 1080), text_boxes=boxes)
            drawn[kind] = {b.text for b in boxes}
        assert all(any(expected in t for t in texts) for texts in drawn.values()), (order, drawn)
