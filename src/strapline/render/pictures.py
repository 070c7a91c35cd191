"""Pictures from files (SVG or raster), painted once per size and cached.

An SVG is read here and handed to Qt as bytes, and only when it is self-contained: a reference
to anything outside the file (an image, a font, a stylesheet, an entity) could make a logo pull
any local file into air and into exports, so such an SVG is not drawn at all.
"""

from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QRectF, QSizeF, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

log = logging.getLogger(__name__)
_lock = threading.Lock()

#: Largest SVG read (bytes): logos and flags are a few kilobytes.
MAX_SVG_BYTES = 4 * 1024 * 1024
# href/src attributes and CSS url() that point anywhere but inside the file ('#id') or at
# inline data; entities and XInclude, which can name files too
_EXTERNAL = re.compile(
    rb"""(?:\b(?:href|src)\s*=\s*["']\s*(?!\#|data:))"""
    rb"""|(?:url\(\s*["']?\s*(?!\#|data:))"""
    rb"""|<!ENTITY|<!DOCTYPE[^>]*\bSYSTEM\b|<xi:include|@import""",
    re.IGNORECASE,
)


def svg_problem(data: bytes) -> str | None:
    """Why an SVG may not be drawn (it refers to something outside itself), or None."""
    m = _EXTERNAL.search(data)
    if m is None:
        return None
    return f"it refers to something outside the file ({m.group(0).decode('ascii', 'replace')}...)"


@lru_cache(maxsize=64)
def _svg(path: str) -> QSvgRenderer | None:
    try:
        with Path(path).open("rb") as f:
            data = f.read(MAX_SVG_BYTES + 1)
    except OSError:
        return None
    problem = "it is too large" if len(data) > MAX_SVG_BYTES else svg_problem(data)
    if problem is not None:
        log.warning("SVG %s is not drawn: %s", Path(path).name, problem)
        return None
    renderer = QSvgRenderer(QByteArray(data))
    return renderer if renderer.isValid() else None


@lru_cache(maxsize=64)
def _raster(path: str) -> QImage | None:
    image = QImage(path)
    return None if image.isNull() else image


def natural_size(path: str) -> QSizeF | None:
    """The picture's own size (for its aspect ratio), or None when it cannot be read."""
    with _lock:
        if path.lower().endswith(".svg"):
            renderer = _svg(path)
            return None if renderer is None else QSizeF(renderer.defaultSize())
        image = _raster(path)
        return None if image is None else QSizeF(image.size())


@lru_cache(maxsize=512)
def picture(path: str, width: int, height: int) -> QImage | None:
    """The file painted to exactly width x height pixels (premultiplied ARGB), or None when
    the file cannot be read."""
    if width <= 0 or height <= 0:
        return None
    with _lock:
        image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(0)
        if path.lower().endswith(".svg"):
            renderer = _svg(path)
            if renderer is None:
                return None
            painter = QPainter(image)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            renderer.render(painter, QRectF(0, 0, width, height))
            painter.end()
            return image
        source = _raster(path)
        if source is None:
            return None
        return source.scaled(
            width,
            height,
            Qt.AspectRatioMode.IgnoreAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        ).convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
