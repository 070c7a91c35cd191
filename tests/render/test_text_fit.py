"""Long names shrink, then elide; every piece of text stays inside the graphics-safe area
(EBU R 95: 5 % in from each edge) at every output size, landscape and portrait."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRectF
from samples import LONG_NAMES, LOWER_THIRD, PODIUM, PODIUM_RELAY

from strapline.domain.theme import Theme
from strapline.render import TextBox, render_graphic

SIZES = [(1920, 1080), (3840, 2160), (1280, 720), (1080, 1350), (1080, 1920)]


def _safe(theme: Theme, w: int, h: int) -> QRectF:
    g = theme.safe_area.graphics
    return QRectF(w * g, h * g, w * (1 - 2 * g), h * (1 - 2 * g))


def _check_inside(boxes: list[TextBox], safe: QRectF) -> None:
    assert boxes
    grown = safe.adjusted(-0.5, -0.5, 0.5, 0.5)  # anti-aliasing rounding
    outside = [(b.text, b.rect) for b in boxes if not grown.contains(b.rect)]
    assert not outside, f"text outside the safe area {safe}: {outside}"


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_lower_third_long_names_stay_in_safe_area(theme: Theme, size: tuple[int, int]) -> None:
    for family, given in LONG_NAMES:
        boxes: list[TextBox] = []
        data = dict(LOWER_THIRD, family_name=family, given_name=given, second_line=given * 4)
        render_graphic("lower-third", data, theme, size, text_boxes=boxes)
        _check_inside(boxes, _safe(theme, *size))
        minimum = round(theme.sizes.min_text * min(size) / 1080)
        assert all(b.pixel_size >= minimum - 1 for b in boxes), [b.pixel_size for b in boxes]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_podium_long_names_stay_in_safe_area(theme: Theme, size: tuple[int, int]) -> None:
    entries = [
        dict(e, family_name=f, given_name=g, name=f"{g} {f}")
        for e, (f, g) in zip(PODIUM["entries"], LONG_NAMES[1::3], strict=True)
    ]
    for data in (dict(PODIUM, entries=entries, title="Women 1500 m " * 5), PODIUM_RELAY):
        boxes: list[TextBox] = []
        render_graphic("podium", data, theme, size, text_boxes=boxes)
        _check_inside(boxes, _safe(theme, *size))


def test_short_name_keeps_its_size_and_long_one_shrinks_then_elides(theme: Theme) -> None:
    def name_box(family: str, given: str) -> TextBox:
        boxes: list[TextBox] = []
        data = dict(LOWER_THIRD, family_name=family, given_name=given)
        render_graphic("lower-third", data, theme, (1920, 1080), text_boxes=boxes)
        return next(b for b in boxes if b.text.startswith(family[:5]))

    short = name_box("ROUSSEL", "Felix")
    assert short.pixel_size == round(theme.sizes.name) and not short.elided
    longer = name_box("SZCZEPANSKI-WOJCIECHOWSKA", "Katarzyna Maria")
    assert longer.pixel_size < short.pixel_size
    huge = name_box("DE LA MOTTE-FOUQUÉ VON HOHENZOLLERN-SIGMARINGEN " * 3, "Marie")
    assert huge.elided and huge.text.endswith("…")
    assert huge.pixel_size == round(theme.sizes.min_text)
