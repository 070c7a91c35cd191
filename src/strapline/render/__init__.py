"""Strapline's one renderer: graphic + data + theme + size + time -> image (QtGui only).

The preview, PNG export and on-air renderer all call `render_graphic`, so they agree to the
pixel. Themes come from `load_theme`; `encode_png` writes straight-alpha PNG files fast;
`key_fill` splits a frame for hardware keyers.
"""

from strapline.render.context import PaintContext, Run, TextBox
from strapline.render.core import keep_at_rest, paint_graphic, render_graphic
from strapline.render.png import encode_png, key_fill, png_bytes, rgba_array
from strapline.render.themes import available_themes, ensure_gui, load_named_theme, load_theme

__all__ = [
    "PaintContext",
    "Run",
    "TextBox",
    "available_themes",
    "encode_png",
    "ensure_gui",
    "keep_at_rest",
    "key_fill",
    "load_named_theme",
    "load_theme",
    "paint_graphic",
    "png_bytes",
    "render_graphic",
    "rgba_array",
]
