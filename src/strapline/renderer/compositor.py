"""Frames for air: the engine's layers rendered with strapline.render and composed in order.

QtGui only, no widgets, so frames can be made (and measured) without a window. Every graphic
is drawn by `paint_graphic`, the painting `render_graphic` does for the preview and the PNG
export, each layer straight over the ones below; a layer at rest under or over one that moves
is painted once and then copied (`Compositor._at_rest`). A layer that cannot be drawn (an unknown
theme, a graphic with no painter in this version) is left out and counted; the other layers
still go to air.
"""

from __future__ import annotations

import logging
import sys
import time
from dataclasses import dataclass

from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage, QPainter

from strapline.domain.diagnostics import DataError
from strapline.domain.theme import Theme
from strapline.render import load_named_theme, paint_graphic, render_graphic
from strapline.render.png import nonzero_box, pixel_words
from strapline.render.themes import register_fonts
from strapline.renderer.engine import Durations, LayerFrame, RendererEngine

log = logging.getLogger(__name__)

BACKGROUNDS = {"transparent": None, "black": "#000000", "green": "#00b140"}
DEFAULT_THEME = "ice"


class ThemeCache:
    """Themes by name only (never a path: names come over the network), loaded once; "" is
    the default theme."""

    def __init__(self, default: str = DEFAULT_THEME) -> None:
        self.default = default
        self._themes: dict[str, Theme] = {}

    def get(self, name: str) -> Theme:
        key = name or self.default
        theme = self._themes.get(key)
        if theme is None:
            theme = load_named_theme(key)
            register_fonts(theme)  # on the caller's (GUI) thread, before any frame uses it
            self._themes[key] = theme
        return theme

    def check(self, name: str) -> None:
        """ValueError naming the themes there are when `name` is not one of them; the text
        goes back in a nack, so it names no file or folder."""
        try:
            self.get(name)
        except DataError as exc:
            raise ValueError(f"theme {name!r}: {exc.diagnostic.message}") from None
        except (OSError, ValueError):
            raise ValueError(f"theme {name!r} cannot be used") from None

    def durations(self, name: str) -> Durations:
        try:
            a = self.get(name).animation
        except (OSError, ValueError, DataError):
            return (0.5, 0.35, 0.3)
        return (a.in_, a.out, a.update)


@dataclass
class _Rest:
    """A layer at rest, painted once: its picture cropped to its ink (None: no ink), where it
    goes, and what it shows (`key`, and the data itself, kept so that its identity holds)."""

    key: tuple[object, ...]
    source: object
    image: QImage | None
    x: int
    y: int


def _at_rest(layer: LayerFrame) -> bool:
    """At rest, and with no running clock (whose every frame shows another time)."""
    return layer.playhead.phase == "hold" and (layer.source is None or layer.source is layer.model)


class FramePool:
    """Frame images of one size, used again once nothing else holds them.

    A new frame-sized image is memory the system maps afresh and faults in page by page on
    its first fill (a 2160p frame is 33 MB: 10 ms, and over 100 ms when the kernel first has
    to gather huge pages), all of it inside one Qt call that holds the interpreter lock, so
    the frame clock and the network wait too. A frame goes on to the window, to NDI and to
    the frames drawn ahead; it is free again when none of them refers to it any more (its
    reference count says so). At most `keep` are kept; beyond that a frame is made afresh."""

    def __init__(self, size: tuple[int, int], keep: int = 12) -> None:
        self.size = size
        self.keep = keep
        self._images: list[QImage] = []
        self.made = 0  # images made (for tests and diagnostics)

    def take(self) -> QImage:
        """A frame image nothing else holds, its pixels as they were (fill it)."""
        for image in self._images:
            # the list, this loop's name and getrefcount's own argument: nobody else
            if sys.getrefcount(image) <= 3:
                return image
        image = QImage(*self.size, QImage.Format.Format_ARGB32_Premultiplied)
        self.made += 1
        if len(self._images) < self.keep:
            self._images.append(image)
        return image


class _LayerFailed(Exception):
    def __init__(self, index: int) -> None:
        super().__init__(index)
        self.index = index


@dataclass
class FrameStats:
    frames: int = 0
    render_errors: int = 0
    last_render_ms: float = 0.0


class Compositor:
    """Composes one channel of an engine into frames of a given size and background."""

    def __init__(
        self,
        engine: RendererEngine,
        themes: ThemeCache,
        size: tuple[int, int] = (1920, 1080),
        *,
        channel: int = 1,
        background: str = "transparent",
        key_and_fill: bool = False,
    ) -> None:
        if background not in BACKGROUNDS:
            raise ValueError(f"background must be one of {', '.join(BACKGROUNDS)}")
        self.engine = engine
        self.themes = themes
        self.size = size
        self.channel = channel
        self.background = background
        self.key_and_fill = key_and_fill
        self.stats = FrameStats()
        self._failed: set[tuple[int, str, str]] = set()
        self._rest: dict[int, _Rest] = {}  # layers at rest, by layer number (`_at_rest`)
        self._frames = FramePool(size)
        self._sides = FramePool((size[0] * 2, size[1]))  # fill and key side by side

    def compose(self, now: float | None = None) -> QImage:
        """The channel at `now` (engine clock): ARGB32 premultiplied, or fill|key side by side."""
        return self.compose_layers(self.engine.frames(self.channel, now))

    def compose_layers(self, layers: list[LayerFrame]) -> QImage:
        """The picture of the given layers as the window shows it (fill|key side by side with
        key and fill); `compose_outputs` for the program frame with its alpha as well."""
        return self.compose_outputs(layers)[1]

    def compose_outputs(self, layers: list[LayerFrame]) -> tuple[QImage, QImage]:
        """A frame of the given layers (a snapshot from `RendererEngine.frames`): the program
        (ARGB32 premultiplied, the alpha NDI sends) and the picture the window shows (the same
        image, or fill and key side by side with key and fill).

        Touches neither the engine nor anything the GUI thread changes, so it may run on a
        render thread: QPainter on a QImage is safe there, and themes are loaded and their
        fonts registered on the GUI thread before a frame names them. One frame-sized image
        and one painter per frame, however many layers.
        """
        start = time.perf_counter()
        # with key and fill the background is black by definition, and the key is the alpha
        colour = None if self.key_and_fill else BACKGROUNDS[self.background]
        frame = self._frames.take()
        skip: set[int] = set()
        while True:  # once more without a layer that failed
            try:
                self._paint(frame, colour, layers, skip)
                break
            except _LayerFailed as failed:
                skip.add(failed.index)
        shown = self._side_by_side(frame) if self.key_and_fill else frame
        self.stats.frames += 1
        self.stats.last_render_ms = (time.perf_counter() - start) * 1000.0
        return frame, shown

    def _paint(
        self, frame: QImage, colour: str | None, layers: list[LayerFrame], skip: set[int]
    ) -> None:
        """The layers bottom first, each painted straight over the ones below (no picture of
        its own); _LayerFailed naming a layer that cannot be drawn, so that the frame is
        painted again without it rather than go to air with half a graphic."""
        frame.fill(QColor(colour) if colour is not None else 0)
        painter = QPainter(frame)
        try:
            for index, layer in enumerate(layers):
                if index in skip:
                    continue
                try:
                    if len(layers) > 1 and _at_rest(layer):
                        rest = self._at_rest(layer)
                        if rest.image is not None:
                            painter.drawImage(rest.x, rest.y, rest.image)
                        continue
                    paint_graphic(
                        painter,
                        layer.graphic,
                        layer.model,
                        self.themes.get(layer.theme),
                        self.size,
                        layer.playhead,
                    )
                except Exception as exc:  # one graphic's failure never takes the others off air
                    self.stats.render_errors += 1
                    key = (layer.layer, layer.graphic, layer.theme)
                    if key not in self._failed:  # log once per layer and graphic
                        self._failed.add(key)
                        log.error("layer %d: %s cannot be drawn: %r", key[0], key[1], exc)
                    raise _LayerFailed(index) from exc
        finally:
            painter.end()
        numbers = {layer.layer for layer in layers}
        for number in [n for n in self._rest if n not in numbers]:
            del self._rest[number]

    def _at_rest(self, layer: LayerFrame) -> _Rest:
        """A layer at rest under or over one that moves (a positions tower under a running race
        clock): painted once, cropped to its ink, and then only copied onto each frame while it
        shows the same data (by identity: the engine keeps a graphic's data object while it is
        on air, and a running clock's time is in a copy, never at rest here)."""
        source = layer.source if layer.source is not None else layer.model
        key = (layer.graphic, layer.theme, id(source), layer.playhead.step)
        kept = self._rest.get(layer.layer)
        if kept is not None and kept.key == key and kept.source is source:
            return kept
        picture = render_graphic(
            layer.graphic, layer.model, self.themes.get(layer.theme), self.size, layer.playhead
        )
        ink = nonzero_box(pixel_words(picture))
        rest = _Rest(key, source, None, 0, 0)
        if ink is not None:
            y0, y1, x0, x1 = ink
            rest = _Rest(key, source, picture.copy(QRect(x0, y0, x1 - x0, y1 - y0)), x0, y0)
        self._rest[layer.layer] = rest
        return rest

    def _side_by_side(self, frame: QImage) -> QImage:
        """Fill (the graphics over black) on the left, key (alpha as grey) on the right: the
        pixels of strapline.render.key_fill, made by Qt's own converters in one image."""
        w, h = frame.width(), frame.height()
        out = self._sides.take()
        out.fill(QColor(0, 0, 0))
        painter = QPainter(out)
        painter.drawImage(0, 0, frame)
        alpha = frame.convertToFormat(QImage.Format.Format_Alpha8)
        # the alpha bytes read as grey levels (same layout); `alpha` outlives this view
        grey = QImage(
            alpha.constBits(), w, h, alpha.bytesPerLine(), QImage.Format.Format_Grayscale8
        )
        painter.drawImage(w, 0, grey)
        painter.end()
        return out
