"""National flags keyed by IOC code, drawn from the shipped SVG set and cached per size.

The SVGs are the 4:3 flags of the flag-icons set (MIT licence, see data/flags/README.md),
named by ISO 3166-1 alpha-2 code; strapline.domain.nations.flag_iso maps IOC codes to them.
Codes with no national flag (AIN, EOR, MIX...) get None: the caller draws a neutral mark.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PySide6.QtGui import QImage

from strapline.render.pictures import picture

FLAG_DIR = Path(__file__).resolve().parents[1] / "data" / "flags"


@lru_cache(maxsize=512)
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


def flag_image(code: str, width: int, height: int) -> QImage | None:
    """The flag of `code` painted at width x height pixels (premultiplied ARGB), or None."""
    path = flag_file(code)
    return None if path is None else picture(str(path), width, height)
