"""National flags keyed by IOC code, drawn from the shipped SVG set and cached per size.

The SVGs are the 4:3 flags of the flag-icons set (MIT licence, see data/flags/README.md),
named by ISO 3166-1 alpha-2 code; strapline.domain.nations.flag_iso maps IOC codes to them.
Codes with no national flag (AIN, EOR, MIX...) get None: the caller draws a neutral mark.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

FLAG_DIR = Path(__file__).resolve().parents[1] / "data" / "flags"
_lock = threading.Lock()


def flag_file(code: str) -> Path | None:
    """The SVG file of an IOC nation code's flag, or None when it has no national flag."""
    from strapline.domain.nations import flag_iso

    if not code:
        return None
    try:
        iso = flag_iso(code)
    except ValueError:
        return None
    if not iso:
        return None
    path = FLAG_DIR / f"{iso.lower()}.svg"
    return path if path.is_file() else None


@lru_cache(maxsize=64)
def _renderer(path: str) -> QSvgRenderer | None:
    renderer = QSvgRenderer(path)
    return renderer if renderer.isValid() else None


@lru_cache(maxsize=512)
def flag_image(code: str, width: int, height: int) -> QImage | None:
    """The flag of `code` painted at width x height pixels (premultiplied ARGB), or None."""
    path = flag_file(code)
    if path is None or width <= 0 or height <= 0:
        return None
    with _lock:
        renderer = _renderer(str(path))
        if renderer is None:
            return None
        image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(0)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter, QRectF(0, 0, width, height))
        painter.end()
    return image
