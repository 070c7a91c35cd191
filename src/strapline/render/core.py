"""render_graphic: one graphic, its data, a theme, a size and a time -> one image.

The preview, the PNG export and the on-air renderer all call this, so what the operator sees
is what goes to air. A frame is a pure function of its arguments.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QImage, QPainter

from strapline.domain.graphics import Playhead, data_model, graphic_kind
from strapline.domain.theme import Theme
from strapline.render import animation
from strapline.render.context import PaintContext, TextBox, parse_colour
from strapline.render.graphics import painter_for
from strapline.render.png import nonzero_box, pixel_words
from strapline.render.themes import ensure_gui, register_fonts

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

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
    to the new over the theme's update duration, only where the two pictures differ; an update
    with the same data to another step turns the page (the painter's own animation); an out is
    the in played backwards. Raises ValueError (pydantic's ValidationError is one) for an
    unknown kind, data that does not fit the kind, a bad size or background.
    `text_boxes`, when given, receives every piece of text drawn with its box (for checks).
    """
    width, height = size
    if not (16 <= width <= MAX_SIDE and 16 <= height <= MAX_SIDE):
        raise ValueError(f"size {width}x{height} is out of range (16 to {MAX_SIDE} pixels a side)")
    fill = None if background in ("transparent", "theme") else parse_colour(background)
    record = _record(kind, data)
    ensure_gui()
    image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    try:
        _hint(painter)
        if background == "theme":
            PaintContext(theme, width, height, Playhead()).background(painter)
        elif fill is not None:
            painter.fillRect(image.rect(), fill)
        paint_graphic(painter, kind, record, theme, size, playhead, text_boxes=text_boxes)
    finally:
        painter.end()
    return image


def paint_graphic(
    painter: QPainter,
    kind: str,
    data: BaseModel | dict[str, Any],
    theme: Theme,
    size: tuple[int, int],
    playhead: Playhead | None = None,
    *,
    text_boxes: list[TextBox] | None = None,
) -> None:
    """Paint `kind` as `render_graphic` does, over whatever `painter` has drawn already (its
    device is `size`): the renderer draws a frame's layers one over the other this way, with
    no picture of its own per layer. The painter's state is as it was afterwards; the same
    errors as `render_graphic`, raised before anything is drawn when the data does not fit."""
    k = graphic_kind(kind)
    record = _record(kind, data)
    width, height = size
    register_fonts(theme)
    given = playhead or Playhead()
    if animation.is_gone(given, theme):
        return
    # an out is its in played backwards, for every graphic
    head = animation.mirrored(given, theme)
    painter.save()
    try:
        _hint(painter)
        ctx = PaintContext(theme, width, height, head, text_boxes)
        paint = painter_for(k.value)
        mix = animation.update_mix(head, theme)
        model = data_model(k)
        before = model.model_validate(head.previous) if mix is not None else None
        if before is None or before == record:
            # a still, an in or out, or a page turn (same data, another step): the painter
            # draws the frame itself
            paint(painter, record, ctx)
        else:
            _cross_fade(painter, paint, before, record, ctx, mix or 0.0, k.value)
    finally:
        painter.restore()


def keep_at_rest(
    kind: str,
    data: BaseModel | dict[str, Any],
    theme: Theme,
    size: tuple[int, int],
    step: int = 0,
) -> None:
    """Paint `data` at rest (on page `step`) and keep the picture, as an update's cross-fade
    does for the data it fades from (`_hold_layer`). A renderer does this off air for a
    graphic it may be asked to update, so the first frame of that update paints only the new
    data: for a 40-row standings at 2160p, each picture is a paint and a 20-odd MB copy."""
    k = graphic_kind(kind)
    record = _record(kind, data)
    register_fonts(theme)
    width, height = size
    ctx = PaintContext(theme, width, height, Playhead(phase="hold", step=step), None)
    _hold_layer(painter_for(k.value), record, ctx, k.value, 0)


def _hint(painter: QPainter) -> None:
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)


def _record(kind: str, data: BaseModel | dict[str, Any]) -> BaseModel:
    """The data as the kind's model (ValueError naming the kind when unknown or unfit)."""
    model = data_model(graphic_kind(kind))
    if isinstance(data, model):
        return data
    return model.model_validate(data.model_dump() if isinstance(data, BaseModel) else data)


def _cross_fade(
    painter: QPainter,
    paint: Any,
    old: BaseModel,
    new: BaseModel,
    ctx: PaintContext,
    mix: float,
    kind: str,
) -> None:
    """Old and new data blended linearly in premultiplied colour, so whatever did not change
    stays exactly as it was and only changed content fades; then drawn as one layer.

    (QPainter's Plus mode clamps before applying opacity, so the blend is done with numpy.)
    Both pictures are at rest, so each is painted once per data and kept (see `_hold_layer`),
    and so is what the fade needs of them (`_Blend`): a frame of the fade then blends only the
    box where they differ. A frame whose blend is still all old (the first of an update, as
    the fade eases in) is the old picture itself, painted as it is at rest.
    """
    if round(mix * 256) == 0:
        rest = Playhead(phase="hold", step=ctx.playhead.step)
        paint(painter, old, PaintContext(ctx.theme, ctx.width, ctx.height, rest, ctx.text_boxes))
        return
    layers = (_hold_layer(paint, old, ctx, kind, 0), _hold_layer(paint, new, ctx, kind, 1))
    if layers[0] is None and layers[1] is None:
        return
    cacheable = ctx.text_boxes is None  # the hold pictures themselves are kept then
    key = (id(layers[0]), id(layers[1]))
    with _holds_lock:
        kept = _BLENDS.get(key) if cacheable else None
    if kept is None or kept.layers[0] is not layers[0] or kept.layers[1] is not layers[1]:
        kept = _Blend.of(layers)
        if cacheable:
            with _holds_lock:
                if len(_BLENDS) >= _HOLDS_MAX:
                    _BLENDS.pop(next(iter(_BLENDS)))
                _BLENDS[key] = kept
    kept.draw(painter, mix)


_Layer = tuple["npt.NDArray[np.uint32]", int, int]  # premultiplied ARGB words, left, top


class _Blend:
    """What a cross-fade between two pictures at rest needs, worked out once: the new picture
    over the box where either has ink, and the box where the two differ, old and new."""

    def __init__(
        self,
        layers: tuple[_Layer | None, _Layer | None],
        base: npt.NDArray[np.uint32],
        origin: tuple[int, int],
        changed: tuple[int, int, int, int] | None,
        old: npt.NDArray[np.uint16] | None,
        new: npt.NDArray[np.uint16] | None,
    ) -> None:
        self.layers = layers  # kept alive: the cache is keyed by their identity
        self.base = base
        self.origin = origin
        self.changed = changed  # rows r0:r1, columns c0:c1 of the box
        self.old, self.new = old, new
        h, w = base.shape
        self.image = QImage(base.data, w, h, w * 4, QImage.Format.Format_ARGB32_Premultiplied)

    @classmethod
    def of(cls, layers: tuple[_Layer | None, _Layer | None]) -> _Blend:
        import numpy as np  # only for updates: not paid at start-up

        inked = [layer for layer in layers if layer is not None]
        x0 = min(x for _, x, _ in inked)
        y0 = min(y for _, _, y in inked)
        x1 = max(x + words.shape[1] for words, x, _ in inked)
        y1 = max(y + words.shape[0] for words, _, y in inked)
        old, new = layers
        if (
            old is not None
            and new is not None
            and old[1:] == new[1:]
            and old[0].shape == new[0].shape
        ):
            old_px, new_px = old[0], new[0]  # the usual case: the same box (kept, not changed)
        else:
            planes = []
            for layer in layers:
                plane = np.zeros((y1 - y0, x1 - x0), dtype=np.uint32)
                if layer is not None:
                    words, x, y = layer
                    h, w = words.shape
                    plane[y - y0 : y - y0 + h, x - x0 : x - x0 + w] = words
                planes.append(plane)
            old_px, new_px = planes
        # where old and new agree the blend is that pixel exactly: only the box of changes fades
        box = nonzero_box(old_px != new_px)
        if box is None:
            return cls(layers, new_px, (x0, y0), None, None, None)
        r0, r1, c0, c1 = box
        old_box = old_px[r0:r1, c0:c1].view(np.uint8).astype(np.uint16)
        new_box = new_px[r0:r1, c0:c1].view(np.uint8).astype(np.uint16)
        return cls(layers, new_px, (x0, y0), (r0, r1, c0, c1), old_box, new_box)

    def draw(self, painter: QPainter, mix: float) -> None:
        import numpy as np

        x0, y0 = self.origin
        if self.changed is None or self.old is None or self.new is None:
            painter.drawImage(x0, y0, self.image)
            return
        r0, r1, c0, c1 = self.changed
        h, w = self.base.shape
        # the new picture around the box of changes (above, below, left, right of it) ...
        for left, top, width, height in (
            (0, 0, w, r0),
            (0, r1, w, h - r1),
            (0, r0, c0, r1 - r0),
            (c1, r0, w - c1, r1 - r0),
        ):
            if width > 0 and height > 0:
                painter.drawImage(
                    QPoint(x0 + left, y0 + top), self.image, QRect(left, top, width, height)
                )
        # ... and inside it, old and new blended
        k = np.uint16(round(mix * 256))
        mixed = (self.old * (np.uint16(256) - k) + self.new * k + np.uint16(128)) >> np.uint16(8)
        words = np.ascontiguousarray(mixed.astype(np.uint8)).view(np.uint32)
        box = QImage(
            words.data, c1 - c0, r1 - r0, (c1 - c0) * 4, QImage.Format.Format_ARGB32_Premultiplied
        )
        painter.drawImage(x0 + c0, y0 + r0, box)


# pictures at rest of the data before and after an update, by (kind, data, theme, size, page):
# (the picture's premultiplied ARGB words cropped to its ink, its left, its top), or None when
# nothing is drawn
_HOLDS: dict[tuple[object, ...], tuple[npt.NDArray[np.uint32], int, int] | None] = {}
_HOLDS_MAX = 4
_holds_lock = threading.Lock()
# what a fade needs of two kept pictures, by the identity of the two (see _Blend)
_BLENDS: dict[tuple[int, int], _Blend] = {}


def _hold_layer(
    paint: Any, data: BaseModel, ctx: PaintContext, kind: str, slot: int
) -> tuple[npt.NDArray[np.uint32], int, int] | None:
    """`data` painted at rest (hold, the playhead's page), cropped to the box of its ink.

    Kept per data, theme, size and page, unless text boxes are being recorded (then the text
    must be drawn); `slot` picks this thread's scratch image to paint on."""

    key = None
    if ctx.text_boxes is None:
        key = (
            kind,
            data.model_dump_json(),
            ctx.theme.model_dump_json(),
            ctx.width,
            ctx.height,
            ctx.playhead.step,
        )
        if key in _HOLDS:
            return _HOLDS[key]
    scratch = _scratch(ctx.width, ctx.height)[slot]
    scratch.fill(0)
    p = QPainter(scratch)
    _hint(p)
    hold = Playhead(phase="hold", step=ctx.playhead.step)
    paint(p, data, PaintContext(ctx.theme, ctx.width, ctx.height, hold, ctx.text_boxes))
    p.end()
    words = pixel_words(scratch)
    ink = nonzero_box(words)
    found: tuple[npt.NDArray[np.uint32], int, int] | None = None
    if ink is not None:
        y0, y1, x0, x1 = ink
        found = (words[y0:y1, x0:x1].copy(), x0, y0)
    if key is not None:
        with _holds_lock:
            if len(_HOLDS) >= _HOLDS_MAX:
                _HOLDS.pop(next(iter(_HOLDS)))
            _HOLDS[key] = found
    return found


def clear_hold_layers() -> None:
    """Forget the pictures kept for update cross-fades (for benchmarks of a first update)."""
    with _holds_lock:
        _HOLDS.clear()
        _BLENDS.clear()


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
