"""What a painter gets besides the painter and its data: theme, geometry, time and helpers.

Painters lay out on the 1920x1080 design grid (landscape) or the 1080-wide grid (portrait) and
convert with `ctx.px`. Text goes through `fit_text`/`fit_runs`, which shrink long text down to
the theme's minimum size and then elide it, and record every box drawn in `ctx.text_boxes`
when that is a list (tests check them against the safe area). `status_badge` marks data that
is not official.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPen,
    QTransform,
)

from strapline.domain.graphics import Playhead
from strapline.domain.model import RaceStatus
from strapline.domain.theme import Theme
from strapline.render import animation
from strapline.render.flags import flag_image
from strapline.render.pictures import natural_size, picture
from strapline.render.themes import FaceKey, face_key, font_for, metrics_for, theme_font

DESIGN_W, DESIGN_H = 1920, 1080  # landscape design grid
PORTRAIT_W, PORTRAIT_H = 1080, 1350  # portrait design grid (4:5 and 9:16 share its width)

_BADGE_TEXT = {
    RaceStatus.START_LIST: "START LIST",
    RaceStatus.LIVE: "LIVE",
    RaceStatus.UNOFFICIAL: "UNOFFICIAL",
}
_BADGE_COLOUR = {
    RaceStatus.START_LIST: "start_list",
    RaceStatus.LIVE: "live",
    RaceStatus.UNOFFICIAL: "unofficial",
}

ALIGN_LEFT = Qt.AlignmentFlag.AlignLeft
ALIGN_RIGHT = Qt.AlignmentFlag.AlignRight
ALIGN_CENTER = Qt.AlignmentFlag.AlignHCenter
_RIGHT, _CENTER = ALIGN_RIGHT.value, ALIGN_CENTER.value


@dataclass(frozen=True)
class Run:
    """A piece of text in one style, for `fit_runs` (e.g. a bold family name then a given one)."""

    text: str
    weight: str = "regular"  # regular, medium, bold or heavy (the theme's weights)
    colour: str = "text"  # a field of theme.colours
    caps: bool = False  # upper-case it and track it out
    tabular: bool = False  # equal-width figures, for times and numbers in columns


@dataclass(frozen=True)
class TextBox:
    """A piece of text as drawn: the text (maybe elided), its box in output pixels, its size."""

    text: str
    rect: QRectF
    pixel_size: int
    elided: bool


@dataclass(frozen=True)
class _Fit:
    """How a line of runs fits a width: the type size reached, the texts (maybe elided) and
    their widths, and the head run's vertical metrics. Pure measurement, no Qt objects, so
    every thread can share it."""

    pixel: int
    faces: tuple[FaceKey, ...]
    texts: tuple[str, ...]
    widths: tuple[float, ...]
    total: float
    elided: bool
    cap_height: float
    ascent: float
    descent: float


# Measurements are the same on every frame of a graphic (and on every page of a table), so a
# line of text is fitted once per (runs, faces, size, room) and a piece of text is measured
# once per (face, size). (QStaticText was tried for drawing: it places glyphs a pixel apart from
# drawText under fractional translations and depends on what was drawn before, so drawText it
# stays: a still and a frame on air at the same t must agree.)
_FITS: dict[tuple[Any, ...], _Fit] = {}
_ADVANCES: dict[tuple[FaceKey, int, str], float] = {}
_FITS_MAX, _ADVANCES_MAX = 8192, 16384
_cache_lock = threading.Lock()


def _store(cache: dict[Any, Any], key: Any, value: Any, limit: int) -> None:
    """Insert into a bounded cache; when full, the oldest eighth goes (insertion order)."""
    with _cache_lock:
        if len(cache) >= limit:
            for old in list(cache)[: limit // 8]:
                cache.pop(old, None)
        cache[key] = value


def _advance(face: FaceKey, pixel: int, text: str) -> float:
    """Width of `text` in a face at a pixel size (cached: the same on every thread)."""
    key = (face, pixel, text)
    width = _ADVANCES.get(key)
    if width is None:
        width = metrics_for(face, pixel).horizontalAdvance(text)
        _store(_ADVANCES, key, width, _ADVANCES_MAX)
    return width


def clear_text_caches() -> None:
    """Forget every cached measurement and laid-out text (for benchmarks of cold renders)."""
    with _cache_lock:
        _FITS.clear()
        _ADVANCES.clear()


@lru_cache(maxsize=256)
def _colour(value: str) -> QColor:
    """A CSS hex colour (#RRGGBB or #RRGGBBAA) as a QColor."""
    digits = value.lstrip("#")
    r, g, b = int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)
    a = int(digits[6:8], 16) if len(digits) == 8 else 255
    return QColor(r, g, b, a)


@dataclass
class PaintContext:
    theme: Theme
    width: int
    height: int
    playhead: Playhead = field(default_factory=Playhead)
    text_boxes: list[TextBox] | None = None  # when a list: every text drawn is recorded
    # painting the landed layer an animation is composed from (see graphics/result_list.py):
    # parts with an animation of their own (the status badge) are left out of it
    landed_layer: bool = False

    def __post_init__(self) -> None:
        self.portrait = self.height > self.width
        # 9:16 (stories, reels): a portrait canvas with room to spare below the 4:5 grid
        self.tall = self.portrait and self.height >= self.width * 1.6
        if self.portrait:
            self.scale = min(self.width / PORTRAIT_W, self.height / PORTRAIT_H)
        else:
            self.scale = min(self.width / DESIGN_W, self.height / DESIGN_H)
        g, a = self.theme.safe_area.graphics, self.theme.safe_area.action
        self.safe = QRectF(
            self.width * g, self.height * g, self.width * (1 - 2 * g), self.height * (1 - 2 * g)
        )
        self.action_safe = QRectF(
            self.width * a, self.height * a, self.width * (1 - 2 * a), self.height * (1 - 2 * a)
        )
        self.progress = animation.presence(self.playhead, self.theme)
        self._colours: dict[str, QColor] = {}
        self._faces: dict[tuple[str, bool, bool], FaceKey] = {}
        # per frame (one thread): fonts by face and size, pen colours by name (never modified)
        self._fonts: dict[tuple[FaceKey, int], QFont] = {}
        self._pens: dict[str, QColor] = {}

    # ---- geometry, colours, fonts ----------------------------------------------------------

    def px(self, design: float) -> float:
        """Design-grid pixels to output pixels."""
        return design * self.scale

    def colour(self, name: str, alpha: float = 1.0) -> QColor:
        """A theme colour by field name ('panel', 'accent'...), optionally faded (a copy)."""
        cached = self._colours.get(name)
        if cached is None:
            cached = self._colours[name] = _colour(str(getattr(self.theme.colours, name)))
        colour = QColor(cached)
        if alpha < 1.0:
            colour.setAlphaF(colour.alphaF() * max(0.0, alpha))
        return colour

    def font(self, weight: str, size: float, caps: bool = False, tabular: bool = False) -> QFont:
        """The theme's font at a weight role and a design size (pixels on the grid)."""
        tracking = self.theme.fonts.caps_tracking if caps else 0.0
        return theme_font(self.theme, weight, round(self.px(size)), tracking, tabular)

    def element(self, index: int, count: int) -> float:
        """Staggered in/out progress of element `index` of `count` (1 when fully in)."""
        return animation.element_progress(self.playhead, self.theme, index, count)

    # ---- text ------------------------------------------------------------------------------

    def fit_text(
        self,
        painter: QPainter,
        rect: QRectF,
        text: str,
        *,
        size: float,
        weight: str = "regular",
        colour: str = "text",
        caps: bool = False,
        align: Qt.AlignmentFlag = ALIGN_LEFT,
        min_size: float | None = None,
        tabular: bool = False,
    ) -> QRectF:
        """Draw one line of text fitted into `rect` (see fit_runs); returns its box."""
        return self.fit_runs(
            painter, rect, [Run(text, weight, colour, caps, tabular)], size=size, align=align,
            min_size=min_size,
        )  # fmt: skip

    def measure_runs(self, runs: list[Run], size: float) -> float:
        """Width in output pixels of runs at a design size (before any fitting)."""
        return self._width(runs, round(self.px(size)))

    def fit_runs(
        self,
        painter: QPainter,
        rect: QRectF,
        runs: list[Run],
        *,
        size: float,
        align: Qt.AlignmentFlag = ALIGN_LEFT,
        min_size: float | None = None,
    ) -> QRectF:
        """Draw runs of text on one line, vertically centred on the capitals, within `rect`.

        Too wide: shrink the whole line step by step down to `min_size` (default: the theme's
        min_text), then elide the last runs with an ellipsis. Returns the box drawn.
        """
        runs = [r for r in runs if r.text]
        room = rect.width()
        if not runs or room <= 0:
            return QRectF(rect.left(), rect.center().y(), 0, 0)
        pixel = round(self.px(size))
        floor = round(self.px(min_size if min_size is not None else self.theme.sizes.min_text))
        fit = self._fit(runs, pixel, min(floor, pixel), room)
        total = fit.total
        flags = align.value  # plain ints: enum operators are slow in a hot path
        if flags & _RIGHT:
            x = rect.right() - total
        elif flags & _CENTER:
            x = rect.x() + rect.width() / 2 - total / 2
        else:
            x = rect.x()
        start = x
        baseline = rect.y() + rect.height() / 2 + fit.cap_height / 2
        top = baseline - fit.ascent
        fonts = self._fonts
        pens = self._pens
        for text, face, w, run in zip(fit.texts, fit.faces, fit.widths, runs, strict=False):
            if not text:
                continue
            font = fonts.get((face, fit.pixel))
            if font is None:
                font = fonts[(face, fit.pixel)] = font_for(face, fit.pixel)
            pen = pens.get(run.colour)
            if pen is None:
                pen = pens[run.colour] = self.colour(run.colour)
            painter.setFont(font)
            draw_text(painter, QPointF(x, baseline), text, pen)
            x += w
        box = QRectF(start, top, total, fit.ascent + fit.descent)
        if self.text_boxes is not None:
            self.text_boxes.append(
                TextBox("".join(fit.texts), painter.transform().mapRect(box), fit.pixel, fit.elided)
            )
        return box

    def _fit(self, runs: list[Run], pixel: int, floor: int, room: float) -> _Fit:
        """Fit runs into `room` starting at `pixel` (see fit_runs); cached."""
        faces = tuple(self._face(r) for r in runs)
        texts = tuple(_text(r) for r in runs)
        key = (faces, texts, pixel, floor, room)
        fit = _FITS.get(key)
        if fit is not None:
            return fit
        widths = [_advance(f, pixel, t) for f, t in zip(faces, texts, strict=True)]
        if sum(widths) > room:
            # text width scales about linearly with size: jump close, then step down
            pixel = max(floor, int(pixel * room / sum(widths)))
            while True:
                widths = [_advance(f, pixel, t) for f, t in zip(faces, texts, strict=True)]
                if pixel <= floor or sum(widths) <= room:
                    break
                pixel -= 1
        out_texts = list(texts)
        elided = False
        if sum(widths) > room:
            elided = True
            metrics = [metrics_for(f, pixel) for f in faces]
            out_texts, widths = _elide(out_texts, widths, metrics, room)
        head = metrics_for(faces[0], pixel)
        fit = _Fit(
            pixel, faces, tuple(out_texts), tuple(widths), sum(widths), elided,
            head.capHeight(), head.ascent(), head.descent(),
        )  # fmt: skip
        _store(_FITS, key, fit, _FITS_MAX)
        return fit

    def _face(self, run: Run) -> FaceKey:
        key = (run.weight, run.caps, run.tabular)
        face = self._faces.get(key)
        if face is None:
            tracking = self.theme.fonts.caps_tracking if run.caps else 0.0
            face = self._faces[key] = face_key(self.theme, run.weight, tracking, run.tabular)
        return face

    def _width(self, runs: list[Run], pixel: int) -> float:
        return sum(_advance(self._face(r), pixel, _text(r)) for r in runs)

    def wipe(self, painter: QPainter, rect: QRectF, progress: float) -> None:
        """Clip to the left `progress` share of `rect` (a left-to-right wipe); no clip at all
        once fully in, so the landed frame is exactly the still. Call inside save/restore."""
        if progress < 1.0:
            painter.setClipRect(
                QRectF(rect.left(), rect.top(), rect.width() * max(0.0, progress), rect.height()),
                Qt.ClipOperation.IntersectClip,
            )

    # ---- shapes ----------------------------------------------------------------------------

    def panel(
        self,
        painter: QPainter,
        rect: QRectF,
        fill: str = "panel",
        edge: bool = True,
        rounded: bool = True,
    ) -> None:
        """A panel in the theme's style (solid, or glass with a soft vertical gradient);
        `rounded=False` for panels that butt against others (table rows)."""
        radius = self.px(self.theme.sizes.radius) if rounded else 0.0
        path = QPainterPath()
        path.addRoundedRect(rect, radius, radius)
        base = self.colour(fill)
        brush: QColor | QLinearGradient = base
        if self.theme.panel_style == "glass":
            brush = QLinearGradient(rect.topLeft(), rect.bottomLeft())
            brush.setColorAt(0.0, base.lighter(135))
            brush.setColorAt(0.55, base)
            brush.setColorAt(1.0, base.darker(115))
        if radius > 0:
            painter.fillPath(path, brush)
        else:
            painter.fillRect(rect, brush)  # much faster than an anti-aliased path
        if edge and self.theme.sizes.edge > 0:
            painter.save()
            painter.setClipPath(path, Qt.ClipOperation.IntersectClip)
            painter.fillRect(
                QRectF(rect.left(), rect.top(), rect.width(), self.px(self.theme.sizes.edge)),
                self.colour("panel_edge"),
            )
            painter.restore()

    def shadow(self, painter: QPainter, rect: QRectF) -> None:
        """A soft drop shadow around a panel, for legibility over busy pictures, and the
        theme's hairline just outside it (none when the outline colour is transparent).

        Stacked translucent rings growing outwards and a little downwards; the inside is left
        alone, so a translucent panel keeps its own colour. Every shadow of a theme and scale
        is the same picture apart from its length and height, so it is drawn from a small
        nine-slice (`_shadow_tile`): the corners blitted, the edges stretched; a shadow costs
        the same on the first frame of a card opening as on any other."""
        if rect.width() <= 0 or rect.height() <= 0:
            return
        spread = self.px(SHADOW_SPREAD)
        # a panel still wiping open casts a proportionally fainter shadow (no dark sliver)
        fade = min(1.0, min(rect.width(), rect.height()) / (spread * 6))
        colour = self.colour("shadow")
        ring = QColor(colour)
        ring.setAlphaF(colour.alphaF() * fade / _SHADOW_STEPS)
        look = _ShadowLook(ring, self.colour("outline"), max(1.0, self.px(1.5)), spread)
        transform = painter.transform()
        translated = transform.type().value <= QTransform.TransformationType.TxTranslate.value
        painter.save()
        if translated:
            # drawn on whole device pixels: the tile holds the edges' sub-pixel phase
            rect = rect.translated(transform.dx(), transform.dy())
            painter.resetTransform()
        # edges stretched from one row or column of the tile copy it exactly (a smooth
        # transform would blend it with itself and lose a level)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        _draw_shadow(painter, rect, look)
        painter.restore()

    def draw_flag(self, painter: QPainter, rect: QRectF, nation: str) -> None:
        """The nation's flag filling `rect` (4:3 expected), or a neutral mark with the code."""
        w, h = round(rect.width()), round(rect.height())
        image = flag_image(nation, w, h) if nation else None
        if image is not None:
            painter.drawImage(QPointF(round(rect.left()), round(rect.top())), image)
            pen = QPen(QColor(0, 0, 0, 60))
            pen.setWidthF(max(1.0, self.px(1)))
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(round(rect.left()), round(rect.top()), w, h))
            return
        painter.fillRect(rect, QColor(0x8A, 0x95, 0xA3))
        if nation:
            font = theme_font(self.theme, "bold", round(rect.height() * 0.42))
            painter.setFont(font)
            painter.setPen(QColor(255, 255, 255))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, nation)

    def status_badge(
        self,
        painter: QPainter,
        anchor: QPointF,
        status: RaceStatus,
        *,
        align: Qt.AlignmentFlag = ALIGN_RIGHT,
        height: float = 30,
    ) -> QRectF | None:
        """Mark data that is not official: a pill ('UNOFFICIAL', 'LIVE', 'START LIST') whose
        bottom edge sits on `anchor` (its right end there with ALIGN_RIGHT, else its left).
        Returns the pill's rect, or None for OFFICIAL data (nothing drawn)."""
        if status is RaceStatus.OFFICIAL:
            return None
        label = _BADGE_TEXT[status]
        h = self.px(height)
        font = self.font("heavy", max(height * 0.52, self.theme.sizes.min_text), caps=True)
        metrics = QFontMetricsF(font)
        dot = h * 0.28 if status is RaceStatus.LIVE else 0.0
        pad = h * 0.42
        w = metrics.horizontalAdvance(label) + 2 * pad + (dot + pad * 0.5 if dot else 0.0)
        left = anchor.x() - w if align & ALIGN_RIGHT else anchor.x()
        rect = QRectF(left, anchor.y() - h, w, h)
        path = QPainterPath()
        path.addRoundedRect(rect, self.px(3), self.px(3))
        painter.fillPath(path, self.colour(_BADGE_COLOUR[status]))
        x = rect.left() + pad
        if dot:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(self.colour("badge_text"))
            painter.drawEllipse(QPointF(x + dot / 2, rect.center().y()), dot / 2, dot / 2)
            x += dot + pad * 0.5
        painter.setFont(font)
        baseline = rect.center().y() + metrics.capHeight() / 2
        draw_text(painter, QPointF(x, baseline), label, self.colour("badge_text"))
        if self.text_boxes is not None:
            self.text_boxes.append(
                TextBox(label, painter.transform().mapRect(rect), font.pixelSize(), False)
            )
        return rect

    def background(self, painter: QPainter) -> None:
        """The theme's opaque background (social stills): a diagonal gradient."""
        gradient = QLinearGradient(QPointF(0, 0), QPointF(self.width, self.height))
        gradient.setColorAt(0.0, self.colour("background_alt"))
        gradient.setColorAt(1.0, self.colour("background"))
        painter.fillRect(QRectF(0, 0, self.width, self.height), gradient)
        self.logo(painter, QRectF(self.safe.left(), self.safe.top(), self.px(320), self.px(90)))

    def logo(self, painter: QPainter, box: QRectF) -> QRectF | None:
        """The theme's logo fitted into `box` (aspect kept, top left); None without a logo."""
        if not self.theme.logo or not self.theme.folder:
            return None
        path = str(Path(self.theme.folder) / self.theme.logo)
        natural = natural_size(path)
        if natural is None or natural.isEmpty():
            return None
        scale = min(box.width() / natural.width(), box.height() / natural.height())
        w, h = round(natural.width() * scale), round(natural.height() * scale)
        image = picture(path, w, h)
        if image is None:
            return None
        painter.drawImage(QPointF(round(box.left()), round(box.top())), image)
        return QRectF(round(box.left()), round(box.top()), w, h)


SHADOW_SPREAD = 10.0  # how far a shadow reaches beside a panel, on the design grid
_SHADOW_STEPS = 5  # rings it is made of
# sub-pixel positions of a panel's edge a tile is made for: 64ths of a pixel, fine enough that
# a shadow is its rings' pixels (within a level of alpha)
_SHADOW_PHASES = 64
_SHADOW_TILES: dict[tuple[int | float, ...], QImage] = {}
_SHADOW_TILES_MAX = 256  # a tile is a few kB, even at 2160p


@dataclass(frozen=True)
class _ShadowLook:
    """What a shadow is made of: the colour of each ring, the hairline's colour and width,
    how far the shadow reaches (output pixels)."""

    ring: QColor
    outline: QColor
    hairline: float
    spread: float

    def key(self) -> tuple[int, float, int, float, float]:
        return (
            self.ring.rgb(), self.ring.alphaF(), self.outline.rgba(), round(self.hairline, 4),
            round(self.spread, 4),
        )  # fmt: skip

    def margins(self) -> tuple[int, int, int]:
        """Whole pixels the shadow reaches beside, above and below a panel's edge pixels."""
        w = self.hairline
        return (
            math.ceil(max(self.spread, w)) + 1,
            math.ceil(max(self.spread * 0.3, w)) + 1,
            math.ceil(max(self.spread * 1.3, w)) + 1,
        )


def _shadow_tile(look: _ShadowLook, phases: tuple[int, int, int, int]) -> QImage:
    """A shadow's nine-slice: the shadow of a panel three pixels square, its edges at the given
    phases (left, top, right, bottom, in 1/_SHADOW_PHASES of a pixel) within their pixels.

    Beside an edge a shadow is the same all along it, so the middle row and column of the
    tile stretch to any length. Kept per look and phases (at most 256 tiles, 7 kB each at
    2160p): panels of every length share one; a panel wiping open makes one for each new
    phase of its moving edge (about 0.1 ms each at 2160p)."""
    key = (*look.key(), *phases)
    tile = _SHADOW_TILES.get(key)
    if tile is not None:
        return tile
    mx, mt, mb = look.margins()
    left, top, right, bottom = (f / _SHADOW_PHASES for f in phases)
    tile = QImage(2 * mx + 3, mt + 3 + mb, QImage.Format.Format_ARGB32_Premultiplied)
    tile.fill(0)
    p = QPainter(tile)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    rect = QRectF(mx + left, mt + top, 2 + right - left, 2 + bottom - top)
    if look.outline.alpha():
        w = look.hairline
        for piece in (
            QRectF(rect.left() - w, rect.top() - w, rect.width() + 2 * w, w),
            QRectF(rect.left() - w, rect.bottom(), rect.width() + 2 * w, w),
            QRectF(rect.left() - w, rect.top(), w, rect.height()),
            QRectF(rect.right(), rect.top(), w, rect.height()),
        ):
            p.fillRect(piece, look.outline)
    # stacked translucent rings, growing outwards and a little downwards; the inside is
    # left alone (plain rectangle fills, no path rasterising)
    for i in range(_SHADOW_STEPS):
        grow = look.spread * (i + 1) / _SHADOW_STEPS
        outer = rect.adjusted(-grow, -grow * 0.3, grow, grow * 1.3)
        for piece in (
            QRectF(outer.left(), outer.top(), outer.width(), rect.top() - outer.top()),
            QRectF(outer.left(), rect.bottom(), outer.width(), outer.bottom() - rect.bottom()),
            QRectF(outer.left(), rect.top(), rect.left() - outer.left(), rect.height()),
            QRectF(rect.right(), rect.top(), outer.right() - rect.right(), rect.height()),
        ):
            p.fillRect(piece, look.ring)
    p.end()
    _store(_SHADOW_TILES, key, tile, _SHADOW_TILES_MAX)
    return tile


def shadow_tiles_held() -> tuple[int, int]:
    """How many shadow tiles are kept, and their bytes (for tests and diagnostics)."""
    with _cache_lock:
        tiles = list(_SHADOW_TILES.values())
    return len(tiles), sum(t.sizeInBytes() for t in tiles)


def clear_shadow_tiles() -> None:
    """Forget every shadow tile (for benchmarks of cold renders)."""
    with _cache_lock:
        _SHADOW_TILES.clear()


def _draw_shadow(painter: QPainter, rect: QRectF, look: _ShadowLook) -> None:
    """The shadow around `rect` (in the painter's coordinates) from its nine-slice tile."""
    q = _SHADOW_PHASES
    edges = [round(v * q) for v in (rect.left(), rect.top(), rect.right(), rect.bottom())]
    left, top, right, bottom = (e // q for e in edges)  # the pixels the edges fall in
    tile = _shadow_tile(look, (edges[0] % q, edges[1] % q, edges[2] % q, edges[3] % q))
    mx, mt, _ = look.margins()
    for cx, cw, x, w in _slices(left, right, mx, tile.width()):
        for ry, rh, y, h in _slices(top, bottom, mt, tile.height()):
            if w <= 0 or h <= 0 or (cw == 1 and rh == 1):  # (the middle is the panel's)
                continue
            if w == cw and h == rh:
                painter.drawImage(QPoint(x, y), tile, QRect(cx, ry, cw, rh))
            else:  # an edge, stretched along the panel
                painter.drawImage(QRect(x, y, w, h), tile, QRect(cx, ry, cw, rh))


def _slices(near: int, far: int, margin: int, size: int) -> list[tuple[int, int, int, int]]:
    """One axis of the nine-slice, as (tile start, tile length, frame start, frame length):
    up to the pixel of the panel's near edge, the middle (stretched to the panel's length),
    and from the pixel of its far edge on."""
    return [
        (0, margin + 1, near - margin, margin + 1),
        (margin + 1, 1, near + 1, far - near - 1),
        (margin + 2, size - margin - 2, far, size - margin - 2),
    ]


def draw_text(painter: QPainter, at: QPointF, text: str, colour: QColor) -> None:
    """One line of text in the painter's font, its baseline starting at `at`.

    A faded painter (opacity below 1: a row flying in, a badge fading up) would draw the text
    outline by outline, ten times slower than from Qt's glyph cache and in slightly other
    shapes than once landed: the fade goes into the pen's alpha instead (the same coverage
    times alpha, within a level)."""
    fade = painter.opacity()
    if fade < 1.0:
        colour = QColor(colour)
        colour.setAlphaF(colour.alphaF() * fade)
        painter.setOpacity(1.0)
    painter.setPen(colour)
    painter.drawText(at, text)
    if fade < 1.0:
        painter.setOpacity(fade)


def parse_colour(value: str) -> QColor:
    """A CSS hex colour (#RRGGBB or #RRGGBBAA) as a QColor; ValueError otherwise."""
    digits = value.lstrip("#")
    if not value.startswith("#") or len(digits) not in (6, 8):
        raise ValueError(f"{value!r} is not a colour: use #RRGGBB or #RRGGBBAA")
    try:
        int(digits, 16)
    except ValueError:
        raise ValueError(f"{value!r} is not a colour: use #RRGGBB or #RRGGBBAA") from None
    return QColor(_colour(value))


def _text(run: Run) -> str:
    return run.text.upper() if run.caps else run.text


def _elide(
    texts: list[str], widths: list[float], metrics: list[QFontMetricsF], room: float
) -> tuple[list[str], list[float]]:
    """Cut the line to `room`: whole runs kept from the start, the first that overflows elided."""
    out_t: list[str] = []
    out_w: list[float] = []
    used = 0.0
    for text, width, m in zip(texts, widths, metrics, strict=True):
        if used + width <= room:
            out_t.append(text)
            out_w.append(width)
            used += width
            continue
        cut = m.elidedText(text, Qt.TextElideMode.ElideRight, room - used)
        if (cut and cut != "…") or not out_t:
            out_t.append(cut)
            out_w.append(m.horizontalAdvance(cut))
        elif out_t:
            # nothing of this run fits beside the ones before: end the previous one with "…"
            last = out_t.pop()
            out_w.pop()
            prev = metrics[len(out_t)]
            cut = prev.elidedText(last + "…", Qt.TextElideMode.ElideRight, room - sum(out_w))
            out_t.append(cut)
            out_w.append(prev.horizontalAdvance(cut))
        break
    return out_t, out_w
