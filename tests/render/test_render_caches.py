"""The renderer's speed paths give the right pixels: cached text measurements, and table
animation frames composed from the landed picture instead of painted row by row."""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
import pytest
from golden import compare
from PySide6.QtGui import QImage
from samples import LOWER_THIRD

from strapline.domain.graphics import Playhead
from strapline.domain.theme import Theme
from strapline.render import TextBox, render_graphic
from strapline.render.context import clear_text_caches
from strapline.render.core import clear_hold_layers
from strapline.render.table import clear_landed_layers

NAMES = [
    ("ROUSSEL Felix", "CAN"),
    ("PIERRE-GILLES Jordan", "CAN"),
    ("KUCZYŃSKI Łukasz", "POL"),
    ("PARK Ji Won", "KOR"),
    ("LIU Shaoang", "HUN"),
    ("van der WART Freek", "NED"),
    ("SZCZEPANSKI-WOJCIECHOWSKA Katarzyna Maria", "POL"),
    ("NIKISHA Denis", "KAZ"),
]

STANDINGS: dict[str, Any] = {
    "title": "Crystal Globe · Men",
    "subtitle": "ISU World Cup · Dresden",
    "rows": [
        {"rank": i + 1, "name": n, "nation": c, "points": str(900 - 41 * i), "competitor_id": n}
        for i, (n, c) in enumerate(NAMES)
    ],
    "page_size": 5,
    "highlight": "KUCZYŃSKI Łukasz",
    "status": "UNOFFICIAL",
}

RESULT_LIST: dict[str, Any] = {
    "title": "Men 500 m",
    "subtitle": "Final A",
    "medals": True,
    "rows": [
        {"place": i + 1, "helmet": 20 + i, "name": n, "nation": c, "time": f"41.{i:03d}"}
        for i, (n, c) in enumerate(NAMES[:5])
    ],
    "status": "OFFICIAL",
}

START_LIST: dict[str, Any] = {
    "title": "Men 1000 m",
    "subtitle": "Quarterfinal 2",
    "rows": [
        {"start_position": i + 1, "helmet": 30 + i, "name": n, "nation": c}
        for i, (n, c) in enumerate(NAMES[:4])
    ],
    "status": "START_LIST",
}

TABLES = {"standings": STANDINGS, "result-list": RESULT_LIST, "start-list": START_LIST}
MOVING = [
    Playhead(phase="in", t=0.04),
    Playhead(phase="in", t=0.15),
    Playhead(phase="in", t=0.3),
    Playhead(phase="out", t=0.1),
]


def _bytes(image: QImage) -> bytes:
    return bytes(image.constBits())


def _differing(a: QImage, b: QImage) -> float:
    """Share of the frame's pixels that differ by more than 40 in a channel."""
    count, _ = compare(a, b, 40)
    return count / (a.width() * a.height())


def _coverage_differs(a: QImage, b: QImage) -> float:
    """Share of the frame's pixels covered (alpha > 0) in one image and not in the other:
    where the parts are, whatever their fade."""
    ink_a = (np.frombuffer(a.constBits(), dtype=np.uint32) >> 24) > 0
    ink_b = (np.frombuffer(b.constBits(), dtype=np.uint32) >> 24) > 0
    return float(np.count_nonzero(ink_a != ink_b)) / ink_a.size


def test_text_caches_change_no_pixel(theme: Theme) -> None:
    """A render with every measurement cached is the render made from scratch."""
    for kind, data in (("lower-third", LOWER_THIRD), ("standings", STANDINGS)):
        render_graphic(kind, data, theme, (1280, 720))  # Qt's own glyph caches warmed
        warm = render_graphic(kind, data, theme, (1280, 720))
        clear_text_caches()
        cold = render_graphic(kind, data, theme, (1280, 720))
        assert _bytes(warm) == _bytes(cold), kind


def test_cached_text_follows_the_data(theme: Theme) -> None:
    """A changed name is measured and drawn anew, never taken from a cache of another one."""
    render_graphic("lower-third", LOWER_THIRD, theme, (1280, 720))
    boxes: list[TextBox] = []
    other = dict(LOWER_THIRD, family_name="ROUSSEAU", given_name="Felicia")
    render_graphic("lower-third", other, theme, (1280, 720), text_boxes=boxes)
    texts = " ".join(b.text for b in boxes)
    assert "ROUSSEAU" in texts and "Felicia" in texts
    assert "ROUSSEL" not in texts


def test_text_caches_are_shared_safely_by_threads(theme: Theme) -> None:
    """Exports on worker threads and the GUI thread use the caches at once: same pixels."""
    expected = _bytes(render_graphic("standings", STANDINGS, theme, (1280, 720)))
    results: list[bytes] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(3):
                results.append(_bytes(render_graphic("standings", STANDINGS, theme, (1280, 720))))
        except BaseException as exc:  # reported below
            errors.append(exc)

    workers = [threading.Thread(target=work) for _ in range(3)]
    for w in workers:
        w.start()
    clear_text_caches()
    for w in workers:
        w.join()
    assert not errors
    assert len(results) == 9
    # a worker's first render in a new thread may differ by Qt's glyph rasterising warm-up;
    # later ones must be the still exactly
    assert sum(r == expected for r in results) >= 6


@pytest.mark.parametrize("kind", sorted(TABLES))
@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1350)])
def test_composed_animation_frames_match_painted_ones(
    kind: str, size: tuple[int, int], theme: Theme
) -> None:
    """A table's animation frame composed from its landed picture shows what painting it row
    by row shows (text_boxes forces painting); they differ only at the edges of text moved by
    less than a pixel, and in colour where a row fades as one piece (its text no longer shows
    its own background through)."""
    clear_landed_layers()
    data = TABLES[kind]
    for head in MOVING:
        composed = render_graphic(kind, data, theme, size, head)
        painted = render_graphic(kind, data, theme, size, head, text_boxes=[])
        assert _coverage_differs(composed, painted) < 0.001, (kind, head)
        assert _differing(composed, painted) < 0.1, (kind, head)
        # and not blank: the frame has the card in it
        alpha = np.frombuffer(composed.constBits(), dtype=np.uint32) >> 24
        assert alpha.any()


@pytest.mark.parametrize("kind", sorted(TABLES))
@pytest.mark.parametrize("size", [(1920, 1080), (3840, 2160), (1080, 1350)])
def test_landed_frame_is_the_still(kind: str, size: tuple[int, int], theme: Theme) -> None:
    """Once every part has landed (the last frame of an in, the first of an out), the frame
    is the landed picture in one blit: the still's pixels, but where a position the still
    paints at a fraction of a pixel rounds the other way at the picture's whole-pixel offset
    (a row of a glass panel's gradient by a level, a few pixels of a glyph's edge: 2160p
    night: some 5,000 pixels of 8 million)."""
    data = TABLES[kind]
    clear_landed_layers()
    render_graphic(kind, data, theme, size, Playhead(phase="in", t=0.1))
    still = render_graphic(kind, data, theme, size)
    for head in (Playhead(phase="in", t=5.0), Playhead(phase="out", t=0.0)):
        landed = render_graphic(kind, data, theme, size, head)
        assert _differing(landed, still) < 0.0001, head
        differing, _ = compare(landed, still, 2)
        assert differing < size[0] * size[1] * 0.001, head


def test_composed_frames_follow_the_data_and_the_page(theme: Theme) -> None:
    """The landed picture belongs to one data, theme, size and page: new points or another
    page give a new picture, never the last one."""
    rows = [dict(r, points=str(int(r["points"]) + 7)) for r in STANDINGS["rows"]]
    changed = dict(STANDINGS, rows=rows)
    frames = {}
    for name, data, step in (
        ("first", STANDINGS, 0),
        ("changed", changed, 0),
        ("page 2", STANDINGS, 1),
    ):
        head = Playhead(phase="in", t=0.3, step=step)
        frames[name] = _bytes(render_graphic("standings", data, theme, (1920, 1080), head))
        # the same frame painted row by row (no landed picture) tells the right parts
        painted = render_graphic("standings", data, theme, (1920, 1080), head, text_boxes=[])
        frames[name + " painted"] = _bytes(painted)
    assert frames["first"] != frames["changed"]
    assert frames["first"] != frames["page 2"]
    again = render_graphic("standings", STANDINGS, theme, (1920, 1080), Playhead(phase="in", t=0.3))
    assert _bytes(again) == frames["first"]
    assert frames["first painted"] != frames["changed painted"]


@pytest.mark.parametrize("kind", ["lower-third", "standings"])
def test_update_cross_fade_from_kept_pictures_is_the_painted_one(kind: str, theme: Theme) -> None:
    """An update frame blended from the pictures kept at rest is the frame painted from
    scratch (text_boxes forces painting both), for the old data changing to the new."""
    if kind == "standings":
        new: dict[str, Any] = STANDINGS
        rows = [dict(r, points=str(int(r["points"]) - 9)) for r in STANDINGS["rows"]]
        old: dict[str, Any] = dict(STANDINGS, rows=rows)
    else:
        new, old = LOWER_THIRD, dict(LOWER_THIRD, second_line="41.002 · Heat 2")
    for data in (old, new):  # Qt's glyph caches warmed at this size
        render_graphic(kind, data, theme, (1280, 720))
    clear_hold_layers()
    for t in (0.0, 0.1, 0.2):
        head = Playhead(phase="update", t=t, previous=old)
        kept = render_graphic(kind, new, theme, (1280, 720), head)
        painted = render_graphic(kind, new, theme, (1280, 720), head, text_boxes=[])
        assert _bytes(kept) == _bytes(painted), t
    # another update of the same graphic blends its own pictures, not the last ones
    other = dict(new, title="Crystal Globe · Women") if kind == "standings" else new
    previous = old if kind == "standings" else dict(LOWER_THIRD, second_line="PB 40.901")
    head = Playhead(phase="update", t=0.1, previous=previous)
    kept = render_graphic(kind, other, theme, (1280, 720), head)
    painted = render_graphic(kind, other, theme, (1280, 720), head, text_boxes=[])
    assert _bytes(kept) == _bytes(painted)
