"""Text under a faded painter is drawn with the fade in its pen (context.draw_text): the
pixels of the same text drawn opaque and then faded as a whole, and the painter's opacity
as it was."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QImage, QPainter

from strapline.domain.model import RaceStatus
from strapline.domain.theme import Theme
from strapline.render.context import PaintContext, draw_text
from strapline.render.png import rgba_array
from strapline.render.themes import register_fonts, theme_font


def _line(theme: Theme, fade: float, *, pen_fade: bool) -> tuple[QImage, float]:
    image = QImage(700, 120, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.setFont(theme_font(theme, "heavy", 40))
    painter.setOpacity(fade)
    colour = QColor(20, 30, 60)
    if pen_fade:
        draw_text(painter, QPointF(10.37, 80), "ROUSSEL Felix 40.986", colour)
    else:  # the text opaque, the whole faded afterwards: what a fading row should look like
        painter.setOpacity(1.0)
        painter.setPen(colour)
        painter.drawText(QPointF(10.37, 80), "ROUSSEL Felix 40.986")
    left = painter.opacity()
    painter.end()
    if not pen_fade:
        faded = QImage(image.size(), QImage.Format.Format_ARGB32_Premultiplied)
        faded.fill(0)
        p = QPainter(faded)
        p.setOpacity(fade)
        p.drawImage(0, 0, image)
        p.end()
        image = faded
    return image, left


def test_faded_text_is_the_landed_text_faded(theme: Theme) -> None:
    register_fonts(theme)
    for fade in (0.2, 0.55, 0.9):
        drawn, left = _line(theme, fade, pen_fade=True)
        expected, _ = _line(theme, fade, pen_fade=False)
        a = rgba_array(drawn).astype(np.int16)[..., 3]
        e = rgba_array(expected).astype(np.int16)[..., 3]
        assert e.max() > 0.15 * 255 * fade  # there is text
        assert np.abs(a - e).max() <= 2, fade
        assert left == fade  # the painter's fade is back for what follows


class _Recording(QPainter):
    """A painter that notes the opacity and pen alpha each line of text is drawn with."""

    def __init__(self, image: QImage) -> None:
        super().__init__(image)
        self.texts: list[tuple[float, float]] = []

    def drawText(self, *args: object) -> None:
        self.texts.append((self.opacity(), self.pen().color().alphaF()))
        super().drawText(*args)  # type: ignore[call-overload]


def test_fitted_text_and_badges_are_never_drawn_by_a_faded_painter(theme: Theme) -> None:
    """fit_text and the status badge, called with the painter at 40 % opacity, draw every
    line at full opacity with 40 % in the pen, and leave the painter at 40 %."""
    register_fonts(theme)
    ctx = PaintContext(theme, 1920, 1080)
    image = QImage(1920, 1080, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = _Recording(image)
    painter.setOpacity(0.4)
    ctx.fit_text(painter, QRectF(100, 100, 600, 60), "ROUSSEL Felix", size=36, weight="heavy")
    ctx.status_badge(painter, QPointF(900, 300), RaceStatus.UNOFFICIAL)
    left = painter.opacity()
    painter.end()
    assert len(painter.texts) == 2
    for opacity, alpha in painter.texts:
        assert opacity == 1.0
        assert 0.35 <= alpha <= 0.41
    assert left == 0.4
