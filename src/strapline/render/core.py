"""render_graphic: one graphic, its data, a theme, a size and a time -> one image.

The preview, the PNG export and the on-air renderer all call this, so what the operator sees
is what goes to air. A frame is a pure function of its arguments.
"""

from __future__ import annotations

import threading
from typing import Any

from pydantic import BaseModel
from PySide6.QtGui import QImage, QPainter

from strapline.domain.graphics import Playhead, data_model, graphic_kind
from strapline.domain.theme import Theme
from strapline.render import animation
from strapline.render.context import PaintContext, TextBox, parse_colour
from strapline.render.graphics import painter_for
from strapline.render.png import pixel_words
from strapline.render.themes import ensure_gui, register_fonts

MAX_SIDE = 8192


def render_graphic(
    kind: str,
    data: BaseModel | dict[str, Any],
    theme: Theme,
    size: tuple[int, int],
    playhead: Playhead | None = None,
    background: str = "transparent",
    *,
    text_boxes: list[TextBox] | None = None,
) -> QImage:
    """Paint `kind` with `data` in `theme` at `size` (width, height) at `playhead`.

    Returns a Format_ARGB32_Premultiplied image. `playhead` None is the still: fully in, hold.
    `background` is "transparent", "theme" (the theme's opaque background, for social stills)
    or a colour "#RRGGBB[AA]". An update with `playhead.previous` cross-fades from the old data
    to the new over the theme's update duration. Raises ValueError (pydantic's ValidationError
    is one) for an unknown kind, data that does not fit the kind, a bad size or background.
    `text_boxes`, when given, receives every piece of text drawn with its box (for checks).
    """
    k = graphic_kind(kind)
    model = data_model(k)
    record = (
        data
        if isinstance(data, model)
        else model.model_validate(data.model_dump() if isinstance(data, BaseModel) else data)
    )
    width, height = size
    if not (16 <= width <= MAX_SIDE and 16 <= height <= MAX_SIDE):
        raise ValueError(f"size {width}x{height} is out of range (16 to {MAX_SIDE} pixels a side)")
    fill = None if background in ("transparent", "theme") else parse_colour(background)
    ensure_gui()
    register_fonts(theme)
    head = playhead or Playhead()
    image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        ctx = PaintContext(theme, width, height, head, text_boxes)
        if background == "theme":
            ctx.background(painter)
        elif fill is not None:
            painter.fillRect(image.rect(), fill)
        if animation.is_gone(head, theme):
            return image
        paint = painter_for(k.value)
        mix = animation.update_mix(head, theme)
        if mix is None:
            paint(painter, record, ctx)
        else:
            _cross_fade(painter, paint, model.model_validate(head.previous), record, ctx, mix)
    finally:
        painter.end()
    return image


def _cross_fade(
    painter: QPainter, paint: Any, old: BaseModel, new: BaseModel, ctx: PaintContext, mix: float
) -> None:
    """Old and new data blended linearly in premultiplied colour, so whatever did not change
    stays exactly as it was and only changed content fades; then drawn as one layer.

    (QPainter's Plus mode clamps before applying opacity, so the blend is done with numpy.)
    """
    import numpy as np  # only for updates: not paid at start-up

    hold = Playhead(phase="hold", step=ctx.playhead.step)
    layers = _scratch(ctx.width, ctx.height)
    for data, layer in zip((old, new), layers, strict=True):
        layer.fill(0)
        p = QPainter(layer)
        p.setRenderHints(painter.renderHints())
        paint(p, data, PaintContext(ctx.theme, ctx.width, ctx.height, hold, ctx.text_boxes))
        p.end()
    a32, b32 = (pixel_words(layer) for layer in layers)
    rows = np.flatnonzero(a32.any(axis=1) | b32.any(axis=1))
    if rows.size == 0:
        return
    y0, y1 = int(rows[0]), int(rows[-1]) + 1
    cols = np.flatnonzero(a32[y0:y1].any(axis=0) | b32[y0:y1].any(axis=0))
    x0, x1 = int(cols[0]), int(cols[-1]) + 1
    # blend only the box where either frame has anything: the rest is transparent in both
    a = a32[y0:y1, x0:x1].view(np.uint8).astype(np.uint16)
    b = b32[y0:y1, x0:x1].view(np.uint8).astype(np.uint16)
    k = np.uint16(round(mix * 256))
    mixed = (a * (np.uint16(256) - k) + b * k + np.uint16(128)) >> np.uint16(8)
    out = np.ascontiguousarray(mixed.astype(np.uint8))
    w, h = x1 - x0, y1 - y0
    blend = QImage(out.data, w, h, w * 4, QImage.Format.Format_ARGB32_Premultiplied)
    painter.drawImage(x0, y0, blend)


_local = threading.local()


def _scratch(width: int, height: int) -> tuple[QImage, QImage]:
    """Two full-frame work images for this thread, kept between frames: a fresh 8-32 MB image
    per frame costs more in page faults than the painting itself."""
    cached: tuple[QImage, QImage] | None = getattr(_local, "scratch", None)
    if cached is None or cached[0].width() != width or cached[0].height() != height:
        fmt = QImage.Format.Format_ARGB32_Premultiplied
        cached = (QImage(width, height, fmt), QImage(width, height, fmt))
        _local.scratch = cached
    return cached
