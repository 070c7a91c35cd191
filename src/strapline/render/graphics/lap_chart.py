"""Lap chart: every skater's lap times across the race, one line each, drawn by the renderer.

A card at the bottom of the graphics-safe area: a header with the event and 'Lap times'; the
plot with laps along the bottom and seconds up the side (a 500 m's half lap is '½'; the first
crossing is left out once whole laps follow, its standing-start time would flatten the rest);
a legend with each line's colour, helmet and name. Lines draw in from the left as the
card comes in. When the timing feed has gone silent an amber line runs under the header.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen

from strapline.domain.graphics import LapChartData
from strapline.render.context import ALIGN_CENTER, ALIGN_RIGHT, PaintContext, Run

WIDTH = 1400.0
HEIGHT = 440.0
HEADER_H = 60.0
LEGEND_W = 330.0
STALE_H = 5.0
BADGE_H = 26.0
#: Line colours, one per skater in current order: distinct on dark and light panels.
PALETTE = ("#00A8E1", "#F2A900", "#E0262E", "#35C46A", "#B069E8", "#FF7F50", "#7FD3E8",
           "#D4AF37", "#9AA5B1", "#F06292", "#4DB6AC", "#C5E1A5")  # fmt: skip


def lap_label(index: int, first_part: float) -> str:
    """The label of crossing `index` (0-based): '½' for a half first lap, else the lap."""
    if index == 0 and first_part < 1:
        return "½"
    return str(index + 1) if first_part >= 1 else str(index)


def paint(painter: QPainter, data: LapChartData, ctx: PaintContext) -> None:
    s = ctx.theme.sizes
    px = ctx.px
    pad = px(s.padding)
    width = min(px(WIDTH), ctx.safe.width())
    height = min(px(HEIGHT), ctx.safe.height() * (0.55 if ctx.portrait else 0.6))
    left = ctx.safe.left()
    top = ctx.safe.bottom() - height
    head_h = px(HEADER_H)
    out = ctx.playhead.phase == "out"
    count = 3

    painter.save()
    if out:
        painter.setOpacity(ctx.progress)
        painter.translate(0, px(30) * (1 - ctx.progress))
    p_card = ctx.element(0, count) if not out else 1.0
    card = QRectF(left, top, width, height)
    ctx.shadow(painter, QRectF(left, top, width * p_card, height))
    painter.save()
    ctx.wipe(painter, card.adjusted(0, -1, 0, 1), p_card)
    ctx.panel(painter, card)
    ctx.panel(painter, QRectF(left, top, width, head_h), fill="header", edge=False)
    ctx.fit_text(
        painter, QRectF(left + pad, top, width * 0.5 - pad, head_h), data.title,
        size=s.info, weight="heavy", colour="header_text", caps=True,
    )  # fmt: skip
    if data.subtitle:
        ctx.fit_text(
            painter, QRectF(left + width * 0.5, top, width * 0.5 - pad - px(170), head_h),
            data.subtitle, size=s.small, weight="medium", colour="header_accent", caps=True,
            align=ALIGN_RIGHT,
        )  # fmt: skip
    if data.stale:
        painter.fillRect(QRectF(left, top + head_h, width, px(STALE_H)), ctx.colour("unofficial"))
    painter.restore()

    body = QRectF(left, top + head_h, width, height - head_h)
    legend_w = min(px(LEGEND_W), width * 0.3)
    plot = QRectF(body.left() + px(84), body.top() + pad, body.width() - legend_w - px(84) - pad,
                  body.height() - pad - px(46))  # fmt: skip
    p_lines = ctx.element(1, count) if not out else 1.0
    painter.save()
    ctx.wipe(painter, body, p_card)
    _axes_and_lines(painter, data, ctx, plot, p_lines)
    _legend(painter, data, ctx, QRectF(plot.right() + pad, plot.top(), legend_w, plot.height()))
    painter.restore()

    p_badge = ctx.element(2, count) if not out else 1.0
    painter.save()
    painter.setOpacity(painter.opacity() * p_badge)
    ctx.status_badge(painter, QPointF(left + width - pad, top + (head_h + px(BADGE_H)) / 2),
                     data.status, height=BADGE_H)  # fmt: skip
    painter.restore()
    painter.restore()


def _axes_and_lines(
    painter: QPainter, data: LapChartData, ctx: PaintContext, plot: QRectF, progress: float
) -> None:
    s = ctx.theme.sizes
    laps = max(data.crossings, max((len(x.laps_ms) for x in data.series), default=0), 1)
    # the first crossing (a standing start, or a 500 m's half lap) is left out once whole laps
    # follow: its time, far from the others, would flatten the differences that matter
    first = 1 if any(len(x.laps_ms) >= 2 for x in data.series) else 0
    values = [v for series in data.series for v in series.laps_ms[first:]]
    low = math.floor(min(values) / 500) / 2 if values else 0.0
    high = math.ceil(max(values) / 500) / 2 if values else 1.0
    if high <= low:
        high = low + 0.5
    step = next(t for t in (0.25, 0.5, 1.0, 2.0, 5.0, 10.0) if (high - low) / t <= 6)
    columns = laps - first

    def x_of(i: int) -> float:
        return plot.left() + (i - first + 0.5) * plot.width() / columns

    def y_of(ms: float) -> float:
        return plot.bottom() - (ms / 1000 - low) / (high - low) * plot.height()

    grid = QPen(ctx.colour("text_muted", 0.35))
    grid.setWidthF(max(1.0, ctx.px(1)))
    painter.setPen(grid)
    seconds = low
    while seconds <= high + 1e-9:
        y = plot.bottom() - (seconds - low) / (high - low) * plot.height()
        painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        ctx.fit_text(
            painter, QRectF(plot.left() - ctx.px(80), y - ctx.px(14), ctx.px(70), ctx.px(28)),
            f"{seconds:g} s", size=s.label, weight="medium", colour="text_muted",
            align=ALIGN_RIGHT, tabular=True,
        )  # fmt: skip
        painter.setPen(grid)
        seconds += step
    for i in range(first, laps):
        ctx.fit_text(
            painter, QRectF(x_of(i) - ctx.px(30), plot.bottom() + ctx.px(8), ctx.px(60),
                            ctx.px(30)),
            lap_label(i, data.first_part), size=s.label, weight="bold", colour="text_muted",
            align=ALIGN_CENTER,
        )  # fmt: skip
    painter.save()
    painter.setClipRect(
        QRectF(plot.left() - ctx.px(10), plot.top() - ctx.px(10),
               (plot.width() + ctx.px(20)) * progress, plot.height() + ctx.px(20))
    )  # fmt: skip
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    for n, series in reversed(list(enumerate(data.series))):
        if not series.laps_ms:
            continue
        colour = QColor(PALETTE[n % len(PALETTE)])
        pen = QPen(colour)
        pen.setWidthF(ctx.px(4 if n == 0 else 3))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        shown = list(enumerate(series.laps_ms))[first:]
        if not shown:
            continue
        path = QPainterPath()
        for i, ms in shown:
            point = QPointF(x_of(i), y_of(ms))
            if i == shown[0][0]:
                path.moveTo(point)
            else:
                path.lineTo(point)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        r = ctx.px(5)
        for i, ms in shown:
            painter.drawEllipse(QPointF(x_of(i), y_of(ms)), r, r)
    painter.restore()


def _legend(painter: QPainter, data: LapChartData, ctx: PaintContext, rect: QRectF) -> None:
    s = ctx.theme.sizes
    rows = data.series[: max(1, int(rect.height() // ctx.px(36)))]
    row_h = min(ctx.px(40), rect.height() / max(1, len(rows)))
    y = rect.top()
    for n, series in enumerate(rows):
        colour = QColor(PALETTE[n % len(PALETTE)])
        painter.fillRect(QRectF(rect.left(), y + row_h * 0.4, ctx.px(22), ctx.px(5)), colour)
        x = rect.left() + ctx.px(30)
        if series.helmet is not None:
            digits = str(series.helmet)
            w = ctx.measure_runs([Run(digits, "heavy")], s.label) + ctx.px(10)
            plate = QRectF(x, y + row_h * 0.18, w, row_h * 0.64)
            painter.fillRect(plate, ctx.colour("plate"))
            ctx.fit_text(painter, plate, digits, size=s.label, weight="heavy",
                         colour="plate_text", align=ALIGN_CENTER)  # fmt: skip
            x += w + ctx.px(8)
        ctx.fit_text(
            painter, QRectF(x, y, rect.right() - x, row_h), series.name, size=s.label,
            weight="bold",
        )  # fmt: skip
        y += row_h
