"""Positions: a tower of the skaters by current place, at the left under the race clock.

A header with the event, the race and the laps to go; then a row per skater: place (the
leader's in the accent colour), helmet plate, flag, name, and the gap to the leader in
equal-width figures, or the mark that stands instead (PEN, DNF, ADV...). A skater who fell
carries a small 'FELL'. When the timing feed has gone silent the rows fade back and an amber
line runs under the header.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QPainter

from strapline.domain.graphics import PositionRow, PositionsData, format_laps
from strapline.render.context import ALIGN_CENTER, ALIGN_RIGHT, PaintContext, Run

TOP_OFFSET = 170.0  # below a race clock with its leader strip (design px)
HEADER_H = 64.0
ROW_H = 46.0
WIDTH = 560.0
STALE_H = 5.0
BADGE_H = 26.0
STALE_OPACITY = 0.45


def laps_label(laps: float | None) -> str:
    if laps is None:
        return ""
    if laps <= 0:
        return "FINISH"
    return f"{format_laps(laps)} {'LAP' if laps <= 1 else 'LAPS'} TO GO"


def paint(painter: QPainter, data: PositionsData, ctx: PaintContext) -> None:
    s = ctx.theme.sizes
    k = 1.25 if ctx.portrait else 1.0

    def px(v: float) -> float:
        return ctx.px(v * k)

    pad = px(s.padding) * 0.7
    width = min(px(WIDTH), ctx.safe.width() * 0.9)
    left = ctx.safe.left()
    top = ctx.safe.top() + px(TOP_OFFSET)
    head_h, row_h = px(HEADER_H), px(ROW_H)
    stale_h = px(STALE_H) if data.stale else 0.0
    room = ctx.safe.bottom() - top - head_h - stale_h
    rows = data.rows[: max(1, int(room // row_h))]
    count = 2 + len(rows)
    out = ctx.playhead.phase == "out"

    painter.save()
    if out:
        painter.setOpacity(ctx.progress)
        painter.translate(-px(40) * (1 - ctx.progress), 0)

    p_head = ctx.element(0, count) if not out else 1.0
    head = QRectF(left, top, width, head_h)
    ctx.shadow(painter, QRectF(left, top, width * p_head, head_h + row_h * len(rows)))
    painter.save()
    ctx.wipe(painter, head.adjusted(0, -1, 0, stale_h + 1), p_head)
    ctx.panel(painter, head, fill="header")
    laps = laps_label(data.laps_to_go)
    laps_w = ctx.measure_runs([Run(laps, "heavy", caps=True)], s.small * k) if laps else 0.0
    inner = width - 2 * pad - (laps_w + pad if laps else 0.0)
    ctx.fit_text(
        painter, QRectF(left + pad, top + head_h * 0.08, inner, head_h * 0.5), data.title,
        size=s.info * k, weight="heavy", colour="header_text", caps=True,
    )  # fmt: skip
    if data.subtitle:
        ctx.fit_text(
            painter, QRectF(left + pad, top + head_h * 0.54, inner, head_h * 0.36),
            data.subtitle, size=s.label * k, weight="medium", colour="header_accent", caps=True,
        )  # fmt: skip
    if laps:
        painter.save()
        if data.stale:
            painter.setOpacity(painter.opacity() * STALE_OPACITY)
        ctx.fit_text(
            painter, QRectF(left + width - pad - laps_w, top, laps_w, head_h), laps,
            size=s.small * k, weight="heavy", colour="header_accent", caps=True,
            align=ALIGN_RIGHT,
        )  # fmt: skip
        painter.restore()
    if data.stale:
        painter.fillRect(QRectF(left, top + head_h, width, stale_h), ctx.colour("unofficial"))
    painter.restore()

    y = top + head_h + stale_h
    for i, row in enumerate(rows):
        p = ctx.element(1 + i, count) if not out else 1.0
        painter.save()
        rect = QRectF(left, y, width, row_h)
        ctx.wipe(painter, rect, p)
        if data.stale:
            painter.setOpacity(painter.opacity() * STALE_OPACITY)
        _row(painter, row, ctx, rect, k, i)
        painter.restore()
        y += row_h

    p_badge = ctx.element(count - 1, count) if not out else 1.0
    painter.save()
    painter.setOpacity(painter.opacity() * p_badge)
    ctx.status_badge(
        painter, QPointF(left + width, top - px(8)), data.status, height=BADGE_H * k,
        align=ALIGN_RIGHT,
    )  # fmt: skip
    painter.restore()
    painter.restore()


def _row(
    painter: QPainter, row: PositionRow, ctx: PaintContext, rect: QRectF, k: float, index: int
) -> None:
    s = ctx.theme.sizes
    pad, gap = ctx.px(s.padding * k) * 0.6, ctx.px(s.gap * k) * 0.7
    ctx.panel(painter, rect, fill="panel" if index % 2 == 0 else "panel_alt", edge=False,
              rounded=False)  # fmt: skip
    h = rect.height()
    place_w = h
    place_rect = QRectF(rect.left(), rect.top(), place_w, h)
    if row.place is not None:
        if row.place == 1:
            painter.fillRect(place_rect, ctx.colour("accent"))
        ctx.fit_text(
            painter, place_rect, str(row.place), size=s.small * k, weight="heavy",
            colour="accent_text" if row.place == 1 else "text", align=ALIGN_CENTER,
            tabular=True,
        )  # fmt: skip
    x = rect.left() + place_w + gap * 0.5
    if row.helmet is not None:
        digits = str(row.helmet)
        w = max(ctx.measure_runs([Run(digits, "heavy")], s.label * k) + gap * 1.4, h * 0.9)
        plate = QRectF(x, rect.top() + h * 0.16, w, h * 0.68)
        painter.fillRect(plate, ctx.colour("plate"))
        ctx.fit_text(
            painter, plate, digits, size=s.label * k, weight="heavy", colour="plate_text",
            align=ALIGN_CENTER, tabular=True,
        )  # fmt: skip
        x += w + gap
    if row.nation:
        fh = h * 0.46
        ctx.draw_flag(painter, QRectF(x, rect.center().y() - fh / 2, fh * 4 / 3, fh), row.nation)
        x += fh * 4 / 3 + gap
    right = rect.right() - pad
    tail = row.code or row.gap
    if tail:
        colour = "unofficial" if row.code else "text_muted"
        tw = ctx.measure_runs([Run(tail, "bold", tabular=True)], s.small * k)
        ctx.fit_text(
            painter, QRectF(right - tw, rect.top(), tw, h), tail, size=s.small * k,
            weight="bold", colour=colour, align=ALIGN_RIGHT, tabular=True,
        )  # fmt: skip
        right -= tw + gap
    if row.fell:
        fw = ctx.measure_runs([Run("FELL", "bold", caps=True)], s.label * k)
        ctx.fit_text(
            painter, QRectF(right - fw, rect.top(), fw, h), "FELL", size=s.label * k,
            weight="bold", colour="live", caps=True, align=ALIGN_RIGHT,
        )  # fmt: skip
        right -= fw + gap
    ctx.fit_text(
        painter, QRectF(x, rect.top(), max(0.0, right - x), h), row.name, size=s.small * k,
        weight="bold", colour="text",
    )  # fmt: skip
