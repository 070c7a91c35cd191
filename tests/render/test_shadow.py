"""A panel's drop shadow is drawn from a small tile made once per look (theme colour, scale,
sub-pixel phase of the panel's edges), never from a picture the size of the panel: the same
pixels as the stacked rings it stands for, at the same cost on the first frame of a card
opening as on any other."""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter
from samples import LOWER_THIRD

from strapline.domain.graphics import Playhead
from strapline.domain.theme import Theme
from strapline.render import render_graphic
from strapline.render.context import (
    SHADOW_SPREAD,
    PaintContext,
    clear_shadow_tiles,
    shadow_tiles_held,
)
from strapline.render.png import rgba_array

UHD = (3840, 2160)


def _standings(rows: int) -> dict[str, Any]:
    names = ["ROUSSEL Felix", "KUCZYŃSKI Łukasz", "PARK Ji Won", "van der WART Freek"]
    return {
        "title": "Crystal Globe · Men",
        "subtitle": "ISU World Cup · Dresden",
        "rows": [
            {"rank": i + 1, "name": f"{names[i % 4]} {i}", "nation": "CAN", "points": str(900 - i)}
            for i in range(rows)
        ],
        "page_size": rows,
    }


def _canvas(size: tuple[int, int] = (400, 300)) -> QImage:
    image = QImage(*size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    return image


def _painter(image: QImage) -> QPainter:
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    return painter


def _rings(image: QImage, rect: QRectF, ctx: PaintContext, fade: float) -> None:
    """The hairline and the shadow's rings, each drawn straight onto the picture (what a tile
    stands for)."""
    painter = _painter(image)
    outline = ctx.colour("outline")
    w = max(1.0, ctx.px(1.5))
    for piece in (
        QRectF(rect.left() - w, rect.top() - w, rect.width() + 2 * w, w),
        QRectF(rect.left() - w, rect.bottom(), rect.width() + 2 * w, w),
        QRectF(rect.left() - w, rect.top(), w, rect.height()),
        QRectF(rect.right(), rect.top(), w, rect.height()),
    ):
        painter.fillRect(piece, outline)
    colour = ctx.colour("shadow")
    spread = ctx.px(SHADOW_SPREAD)
    ring = QColor(colour)
    ring.setAlphaF(colour.alphaF() * fade / 5)
    for i in range(5):
        grow = spread * (i + 1) / 5
        outer = rect.adjusted(-grow, -grow * 0.3, grow, grow * 1.3)
        for piece in (
            QRectF(outer.left(), outer.top(), outer.width(), rect.top() - outer.top()),
            QRectF(outer.left(), rect.bottom(), outer.width(), outer.bottom() - rect.bottom()),
            QRectF(outer.left(), rect.top(), rect.left() - outer.left(), rect.height()),
            QRectF(rect.right(), rect.top(), outer.right() - rect.right(), rect.height()),
        ):
            painter.fillRect(piece, ring)
    painter.end()


def test_a_shadow_is_its_rings(theme: Theme) -> None:
    """On fractional edges, under a fractional translation, and faded on a thin panel, at 720p
    and 2160p: the tile gives the pixels of the hairline and the rings drawn one by one
    (within rounding), and nothing under the panel."""
    for size in ((1280, 720), (3840, 2160)):
        ctx = PaintContext(theme, *size)
        spread = ctx.px(SHADOW_SPREAD)
        for rect, shift in (
            (QRectF(40.3, 50.7, 211.45, 63.2), (0.0, 0.0)),
            (QRectF(30.0, 40.0, 180.0, 90.0), (17.6, 3.25)),
            (QRectF(60.55, 70.1, 18.3, 120.0), (0.0, 0.0)),  # narrow: a fainter shadow
        ):
            fade = min(1.0, min(rect.width(), rect.height()) / (spread * 6))
            expected = _canvas()
            _rings(expected, rect.translated(*shift), ctx, fade)
            actual = _canvas()
            painter = _painter(actual)
            painter.translate(*shift)
            ctx.shadow(painter, rect)
            painter.end()
            a = rgba_array(actual).astype(np.int16)
            e = rgba_array(expected).astype(np.int16)
            assert e[..., 3].max() > 30  # there is a shadow to compare
            off = np.abs(a[..., 3] - e[..., 3])
            # a level or two of rounding; a corner pixel where eight edges meet, a few more
            assert (off > 2).sum() <= 4 and off.max() <= 8, (size, rect)
            inside = rect.translated(*shift).toAlignedRect().adjusted(1, 1, -1, -1)
            under = a[inside.top() : inside.bottom(), inside.left() : inside.right(), 3]
            assert not under.any()


def test_one_tile_serves_every_length_of_panel(theme: Theme) -> None:
    """Panels from a sliver to the full 2160p frame, their edges at the same sub-pixel
    phase: one small tile for all of them, not a picture per width."""
    ctx = PaintContext(theme, *UHD)
    clear_shadow_tiles()
    image = _canvas(UHD)
    painter = _painter(image)
    for width in (130, 300, 1280, 2560, 3600):
        for height in (120, 900, 1900):
            ctx.shadow(painter, QRectF(100.25, 80.5, width, height))
    painter.end()
    count, size = shadow_tiles_held()
    assert count == 1
    assert size < 16 * 1024  # the full-width card's shadow alone covers megabytes


def test_shadow_tiles_stay_small_over_an_in_animation(theme: Theme) -> None:
    """A 20-row standings card and a lower third wiping open at 2160p, every frame of their in
    and out drawn for the first time: what the shadows keep stays a few kB a tile, whatever
    width the panel has reached (a card-sized picture at 2160p is 10 to 30 MB)."""
    clear_shadow_tiles()
    frames = [Playhead(phase=phase, t=k / 50) for phase in ("in", "out") for k in range(1, 26)]
    for kind, data in (("standings", _standings(20)), ("lower-third", LOWER_THIRD)):
        for head in frames:
            render_graphic(kind, data, theme, UHD, head)
    count, size = shadow_tiles_held()
    assert count >= 1
    assert size / count < 16 * 1024
    assert size < 1024 * 1024
