"""The painters, one module per graphic kind: render/graphics/<kind_with_underscores>.py.

Each module exposes `paint(painter: QPainter, data: <the kind's data model>, ctx: PaintContext)
-> None`. `painter_for(kind)` finds it; a kind whose module is missing is reported clearly.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import cache
from typing import Any

from PySide6.QtGui import QPainter

from strapline.domain.graphics import GraphicKind, graphic_kind
from strapline.render.context import PaintContext

Painter = Callable[[QPainter, Any, PaintContext], None]


def module_name(kind: GraphicKind) -> str:
    return f"{__name__}.{kind.value.replace('-', '_')}"


@cache
def painter_for(kind: str) -> Painter:
    """The paint function of a kind; ValueError for an unknown kind or one with no painter."""
    k = graphic_kind(kind)
    try:
        module = importlib.import_module(module_name(k))
    except ModuleNotFoundError as exc:
        if exc.name != module_name(k):
            raise
        raise ValueError(f"no painter for graphic {k.value!r} in this version") from None
    paint: Painter = module.paint
    return paint


def registered_kinds() -> list[GraphicKind]:
    """The kinds that have a painter."""
    kinds = []
    for kind in GraphicKind:
        try:
            painter_for(kind.value)
        except ValueError:
            continue
        kinds.append(kind)
    return kinds
