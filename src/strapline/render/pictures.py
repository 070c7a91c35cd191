"""Pictures from files (SVG or raster), painted once per size and cached."""

from __future__ import annotations

import threading
from functools import lru_cache

from PySide6.QtCore import QRectF, QSizeF, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

_lock = threading.Lock()


@lru_cache(maxsize=64)
def _svg(path: str) -> QSvgRenderer | None:
    renderer = QSvgRenderer(path)
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
