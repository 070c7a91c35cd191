"""Race clock: the running time, laps to go and the leader, at the top left while a race runs.

One bar: the event and race in a panel, the clock in large equal-width figures (tenths while
it runs, the full time once it holds at the finish), and the laps block in the accent colour
("4 LAPS TO GO", "1 LAP TO GO", "FINISH"). Under it, when known, the leader's strip (helmet,
flag, name). The running time is not in the data's updates: the renderer sets `clock_ms` on
every frame from the start time (strapline.renderer.engine.running_clock), so a still of the
same data at the same moment is the same picture. When the timing feed has gone silent
(`stale`) the laps and the leader fade back and an amber line runs under the bar.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QPainter

from strapline.domain.graphics import RaceClockData, format_laps
from strapline.domain.model import format_time
from strapline.render.context import ALIGN_LEFT, ALIGN_RIGHT, PaintContext, Run
from strapline.render.graphics.race_bug import laps_block, leader_strip

BAR_H = 88.0
LEADER_H = 44.0
STALE_H = 5.0
BADGE_H = 28.0
MAX_TEXT_W = 420.0
STALE_OPACITY = 0.45


def clock_text(data: RaceClockData) -> str:
    """The clock as shown: tenths while running (and at rest before the gun), the full time
    to the thousandth once it holds; '' without a clock."""
    if data.clock_ms is None:
        return ""
    running = data.clock_running or data.clock_ms == 0
    return format_time(data.clock_ms, 1 if running else 3)


def laps_text(data: RaceClockData) -> tuple[str, str]:
    if data.laps_to_go is None:
        return "", ""
    if data.laps_to_go <= 0:
        return "", "FINISH"
    return format_laps(data.laps_to_go), "LAP TO GO" if data.laps_to_go <= 1 else "LAPS TO GO"


def paint(painter: QPainter, data: RaceClockData, ctx: PaintContext) -> None:
    s = ctx.theme.sizes
    k = 1.3 if ctx.portrait else 1.0

    def px(v: float) -> float:
        return ctx.px(v * k)

    pad, gap = px(s.padding) * 0.8, px(s.gap)
    bar_h = px(BAR_H)
    left, top = ctx.safe.left(), ctx.safe.top()
    clock = clock_text(data)
    number, label = laps_text(data)
    clock_size = s.name * 1.05 * k
    # the clock's box is sized for its pattern of figures, so it does not breathe as they change
    pattern = re.sub(r"\d", "0", clock) if clock else ""
    clock_w = ctx.measure_runs([Run(pattern, "heavy", tabular=True)], clock_size) + 2 * pad
    clock_w = max(clock_w, px(150)) if clock else 0.0
    lap_w = 0.0
    if label:
        num_w = ctx.measure_runs([Run(number, "heavy")], s.name * 0.9 * k) if number else 0.0
        lab_w = ctx.measure_runs([Run(label, "bold", caps=True)], s.label * k)
        lap_w = max(num_w, lab_w, px(96)) + 2 * pad
    text_w = max(
        ctx.measure_runs([Run(data.event, "heavy", caps=True)], s.info * k),
        ctx.measure_runs([Run(data.round, "medium", caps=True)], s.small * k),
    )
    room = ctx.safe.width() - clock_w - lap_w - px(BADGE_H) * 5
    text_w = min(text_w + 2 * pad, px(MAX_TEXT_W), max(room, px(120)))
    width = text_w + clock_w + lap_w
    leader = bool(data.leader_name)
    count = 4 if leader else 3
    out = ctx.playhead.phase == "out"

    painter.save()
    if out:
        painter.setOpacity(ctx.progress)
        painter.translate(0, -px(20) * (1 - ctx.progress))

    p_bar = ctx.element(0, count) if not out else 1.0
    ctx.shadow(painter, QRectF(left, top, width * p_bar, bar_h))
    painter.save()
    ctx.wipe(painter, QRectF(left, top - 1, width, bar_h + px(STALE_H) + 2), p_bar)
    ctx.panel(painter, QRectF(left, top, width, bar_h))
    # event and race
    inner = text_w - 2 * pad
    rows = bar_h / 2 if data.round else bar_h
    ctx.fit_text(
        painter, QRectF(left + pad, top + (bar_h * 0.08 if data.round else 0), inner, rows),
        data.event, size=s.info * k, weight="heavy", caps=True,
    )  # fmt: skip
    if data.round:
        ctx.fit_text(
            painter, QRectF(left + pad, top + bar_h * 0.5, inner, bar_h * 0.38), data.round,
            size=s.small * k, weight="medium", colour="text_muted", caps=True,
        )  # fmt: skip
    # the clock
    x = left + text_w
    if clock:
        painter.fillRect(QRectF(x, top, clock_w, bar_h), ctx.colour("panel_alt"))
        ctx.fit_text(
            painter, QRectF(x + pad, top, clock_w - 2 * pad, bar_h), clock, size=clock_size,
            weight="heavy", colour="text_alt", align=ALIGN_RIGHT, tabular=True,
        )  # fmt: skip
        x += clock_w
    # laps to go
    if label:
        painter.save()
        if data.stale:
            painter.setOpacity(painter.opacity() * STALE_OPACITY)
        laps_block(painter, ctx, QRectF(x, top, lap_w, bar_h), number, label, k, pad)
        painter.restore()
    if data.stale:
        painter.fillRect(QRectF(left, top + bar_h, width, px(STALE_H)), ctx.colour("unofficial"))
    painter.restore()

    y = top + bar_h + (px(STALE_H) if data.stale else 0.0)
    if leader:
        p = ctx.element(2, count) if not out else 1.0
        painter.save()
        if data.stale:
            painter.setOpacity(painter.opacity() * STALE_OPACITY)
        leader_strip(painter, data, ctx, QRectF(left, y, width, px(LEADER_H)), k, p)
        painter.restore()

    p_badge = ctx.element(count - 1, count) if not out else 1.0
    painter.save()
    painter.setOpacity(painter.opacity() * p_badge)
    ctx.status_badge(
        painter, QPointF(left + width + gap, top + (bar_h + px(BADGE_H)) / 2), data.status,
        height=BADGE_H * k, align=ALIGN_LEFT,
    )  # fmt: skip
    painter.restore()
    painter.restore()
