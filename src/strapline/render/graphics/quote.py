"""Quote card: someone's words, and who said them.

Landscape: a card centred at the bottom of the graphics-safe area: a large quotation mark in the
accent colour, the words over up to three lines (shrinking, then the last line elided, when
long), and an attribution strip: flag, NAME, role. Portrait (social): a card over the full
safe width, centred, with up to seven lines in larger type.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QPainter

from strapline.domain.graphics import QuoteData
from strapline.render.animation import lerp
from strapline.render.context import PaintContext, Run
from strapline.render.table import name_runs

CARD_W = 1280.0
ATTRIBUTION_H = 56.0
BADGE_H = 30.0


def wrap(
    ctx: PaintContext, text: str, *, weight: str, size: float, width: float, max_lines: int
) -> tuple[list[str], float]:
    """Break `text` into lines no wider than `width` (output px) at the largest design size
    from `size` down to the theme's minimum that needs at most `max_lines`; at the minimum the
    rest of the words go on the last line, which the drawing then elides."""
    words = text.split()
    floor = min(size, ctx.theme.sizes.min_text)
    current = size
    while True:
        lines = _greedy(ctx, words, weight, current, width)
        if len(lines) <= max_lines or current <= floor:
            break
        current = max(floor, current - 1)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], " ".join(lines[max_lines - 1 :])]
    return lines, current


def _greedy(
    ctx: PaintContext, words: list[str], weight: str, size: float, width: float
) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in words:
        candidate = f"{line} {word}" if line else word
        if line and ctx.measure_runs([Run(candidate, weight)], size) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines


def paint(painter: QPainter, data: QuoteData, ctx: PaintContext) -> None:
    s = ctx.theme.sizes
    px = ctx.px
    portrait = ctx.portrait
    pad = px(s.padding) * (1.6 if portrait else 1.3)
    width = ctx.safe.width() if portrait else min(px(CARD_W), ctx.safe.width())
    mark_w = px(110 if portrait else 90)
    text_w = width - 2 * pad - mark_w
    size = s.name * (1.0 if portrait else 0.8)
    lines, size = wrap(
        ctx, data.quote, weight="medium", size=size, width=text_w, max_lines=7 if portrait else 3
    )
    line_h = px(size) * 1.32
    text_h = line_h * len(lines)
    has_attr = bool(data.name or data.role)
    attr_h = px(ATTRIBUTION_H * (1.3 if portrait else 1.0)) if has_attr else 0.0
    card_h = text_h + 2 * pad * 0.8
    total = card_h + attr_h
    left = ctx.safe.center().x() - width / 2
    top = ctx.safe.center().y() - total / 2 if portrait else ctx.safe.bottom() - total
    count = 3 + len(lines)

    painter.save()

    p_card = ctx.element(0, count)
    card = QRectF(left, top, width, card_h)
    ctx.shadow(painter, QRectF(left, top, width * p_card, total))
    painter.save()
    painter.setClipRect(QRectF(left, top, width * p_card + 1, total))
    ctx.panel(painter, card)
    painter.fillRect(QRectF(left, top, px(s.accent_bar), card_h), ctx.colour("accent"))
    painter.restore()

    p_mark = ctx.element(1, count)
    painter.save()
    painter.setOpacity(painter.opacity() * p_mark)
    mark_size = size * 3.2
    ctx.fit_text(
        painter, QRectF(left + pad, top + pad * 0.2, mark_w, px(mark_size) * 0.9), "\u201c",
        size=mark_size, weight="heavy", colour="plate",
    )  # fmt: skip
    painter.restore()

    x = left + pad + mark_w
    y = top + pad * 0.8
    for i, line in enumerate(lines):
        p = ctx.element(2 + i, count)
        painter.save()
        painter.setOpacity(painter.opacity() * p)
        painter.translate(lerp(px(40), 0, p), 0)
        ctx.fit_text(
            painter, QRectF(x, y, text_w, line_h), line, size=size, weight="medium",
            min_size=size,
        )  # fmt: skip
        painter.restore()
        y += line_h

    if has_attr:
        p = ctx.element(count - 1, count)
        strip = QRectF(left, top + card_h, width, attr_h)
        painter.save()
        painter.setClipRect(QRectF(left, strip.top(), width * p + 1, attr_h))
        ctx.panel(painter, strip, fill="panel_alt", edge=False)
        ax = left + pad + mark_w
        if data.nation:
            fh = px(s.flag_height) * (1.25 if portrait else 0.9)
            ctx.draw_flag(painter, QRectF(ax, strip.center().y() - fh / 2, fh * 4 / 3, fh),
                          data.nation)  # fmt: skip
            ax += fh * 4 / 3 + px(s.gap)
        runs = name_runs(data.name, "text_alt", ctx.theme.name_order) if data.name else []
        if data.role:
            runs.append(Run(("   " if runs else "") + data.role, "medium", "text_muted"))
        ctx.fit_runs(
            painter, QRectF(ax, strip.top(), left + width - pad - ax, attr_h), runs,
            size=s.info * (1.25 if portrait else 1.0),
        )  # fmt: skip
        painter.restore()

    p_badge = ctx.element(count - 1, count)
    painter.save()
    painter.setOpacity(painter.opacity() * p_badge)
    ctx.status_badge(painter, QPointF(left + width, top - px(8)), data.status, height=BADGE_H)
    painter.restore()
    painter.restore()
