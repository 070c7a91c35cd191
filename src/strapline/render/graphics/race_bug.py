"""Race bug: a small corner graphic while a race runs.

At the top left of the graphics-safe area: a block in the accent colour with the laps to go
("4.5 LAPS TO GO", "1 LAP TO GO", "FINISH"), beside it a panel with the event and the race, a
thin bar of the race's progress under both, and, when known, a strip with the leader (helmet
number, flag, name). The LIVE badge sits at the panel's right end. Portrait (social) draws the
same bug larger.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QPainter

from strapline.domain.graphics import RaceBugData, RaceClockData, format_laps
from strapline.render.animation import lerp
from strapline.render.context import ALIGN_CENTER, ALIGN_LEFT, PaintContext, Run

BAR_H = 88.0  # the bug's main bar (design px)
LEADER_H = 44.0
PROGRESS_H = 5.0
MIN_PANEL_W = 300.0
MAX_PANEL_W = 560.0
BADGE_H = 28.0


def laps_text(data: RaceBugData) -> tuple[str, str]:
    """The laps block's number and label; ("", "") when laps are unknown."""
    if data.laps_to_go is None:
        return "", ""
    if data.laps_to_go <= 0:
        return "", "FINISH"
    label = "LAP TO GO" if data.laps_to_go <= 1 else "LAPS TO GO"
    return format_laps(data.laps_to_go), label


def paint(painter: QPainter, data: RaceBugData, ctx: PaintContext) -> None:
    s = ctx.theme.sizes
    k = 1.3 if ctx.portrait else 1.0

    def px(v: float) -> float:
        return ctx.px(v * k)

    pad, gap = px(s.padding) * 0.8, px(s.gap)
    bar_h = px(BAR_H)
    number, label = laps_text(data)
    left, top = ctx.safe.left(), ctx.safe.top()

    # widths from content
    lap_w = 0.0
    if label:
        # one width for every count and label of the race ("LAPS TO GO" -> "LAP TO GO" ->
        # "FINISH"): the bug never changes its size while it is on air, so an update only
        # changes the figure in place
        widest = format_laps(max(data.total_laps or 0.0, data.laps_to_go or 0.0, 10.0))
        num_w = ctx.measure_runs([Run(widest, "heavy", tabular=True)], s.name * 0.9 * k)
        lab_w = max(
            ctx.measure_runs([Run(t, "bold", caps=True)], s.label * k)
            for t in ("LAPS TO GO", "LAP TO GO", "FINISH")
        )
        lap_w = max(num_w, lab_w, px(96)) + 2 * pad
    text_w = max(
        ctx.measure_runs([Run(data.event, "heavy", caps=True)], s.info * k),
        ctx.measure_runs([Run(data.round, "medium", caps=True)], s.small * k),
    )
    max_panel = min(px(MAX_PANEL_W), ctx.safe.width() - lap_w)
    panel_w = min(max(text_w + 2 * pad, px(MIN_PANEL_W)), max_panel)
    width = lap_w + panel_w
    leader = bool(data.leader_name)
    count = 4 if leader else 3

    painter.save()

    # main bar wipes open from the left
    p_bar = ctx.element(0, count)
    bar = QRectF(left, top, width, bar_h)
    ctx.shadow(painter, QRectF(left, top, width * p_bar, bar_h))
    painter.save()
    painter.setClipRect(QRectF(left, top, width * p_bar + 1, bar_h + px(PROGRESS_H) + 1))
    ctx.panel(painter, bar)
    if label:
        laps_block(
            painter, ctx, QRectF(left, top, lap_w, bar_h), number, label, k, pad, tabular=True
        )
    # race progress under the bar
    if data.total_laps and data.laps_to_go is not None:
        done = max(0.0, min(1.0, 1 - data.laps_to_go / data.total_laps))
        track = QRectF(left, top + bar_h, width, px(PROGRESS_H))
        painter.fillRect(track, ctx.colour("panel_alt"))
        painter.fillRect(QRectF(left, track.top(), width * done, track.height()),
                         ctx.colour("accent"))  # fmt: skip
    painter.restore()

    # event and race slide up into the panel
    p_text = ctx.element(1, count)
    painter.save()
    tx = left + lap_w + pad
    painter.setClipRect(QRectF(left + lap_w, top, panel_w * p_bar, bar_h))
    painter.setOpacity(painter.opacity() * p_text)
    painter.translate(0, lerp(bar_h * 0.4, 0, p_text))
    inner = panel_w - 2 * pad
    rows = bar_h / 2 if data.round else bar_h
    ctx.fit_text(
        painter, QRectF(tx, top + (bar_h * 0.08 if data.round else 0), inner, rows), data.event,
        size=s.info * k, weight="heavy", caps=True,
    )  # fmt: skip
    if data.round:
        ctx.fit_text(
            painter, QRectF(tx, top + bar_h * 0.5, inner, bar_h * 0.38), data.round,
            size=s.small * k, weight="medium", colour="text_muted", caps=True,
        )  # fmt: skip
    painter.restore()

    y = top + bar_h + (px(PROGRESS_H) if data.total_laps else 0.0)
    if leader:
        _leader(painter, data, ctx, QRectF(left, y, width, px(LEADER_H)), k, count)

    p_badge = ctx.element(count - 1, count)
    painter.save()
    painter.setOpacity(painter.opacity() * p_badge)
    ctx.status_badge(
        painter, QPointF(left + width + gap, top + (bar_h + px(BADGE_H)) / 2), data.status,
        height=BADGE_H * k, align=ALIGN_LEFT,
    )  # fmt: skip
    painter.restore()
    painter.restore()


def _leader(
    painter: QPainter,
    data: RaceBugData,
    ctx: PaintContext,
    rect: QRectF,
    k: float,
    count: int,
) -> None:
    painter.save()
    leader_strip(painter, data, ctx, rect, k, ctx.element(2, count))
    painter.restore()


def laps_block(
    painter: QPainter,
    ctx: PaintContext,
    rect: QRectF,
    number: str,
    label: str,
    k: float,
    pad: float,
    tabular: bool = False,
) -> None:
    """The accent block of laps to go, shared by the race bug and the race clock: the number
    over its label ("3" / "LAPS TO GO"), or the label alone when there is no number ("FINISH")."""
    painter.fillRect(rect, ctx.colour("accent"))
    s = ctx.theme.sizes
    x, top, w, h = rect.left(), rect.top(), rect.width(), rect.height()
    if number:
        ctx.fit_text(
            painter, QRectF(x, top + h * 0.12, w, h * 0.56), number, size=s.name * 0.9 * k,
            weight="heavy", colour="accent_text", align=ALIGN_CENTER, tabular=tabular,
        )  # fmt: skip
        ctx.fit_text(
            painter, QRectF(x + pad * 0.5, top + h * 0.62, w - pad, h * 0.3), label,
            size=s.label * k, weight="bold", colour="accent_text", caps=True, align=ALIGN_CENTER,
        )  # fmt: skip
    else:
        ctx.fit_text(
            painter, rect.adjusted(pad * 0.5, 0, -pad * 0.5, 0), label, size=s.info * k,
            weight="heavy", colour="accent_text", caps=True, align=ALIGN_CENTER,
        )  # fmt: skip


def leader_strip(
    painter: QPainter,
    data: RaceBugData | RaceClockData,
    ctx: PaintContext,
    rect: QRectF,
    k: float,
    p: float,
) -> None:
    """The LEADER strip of the race bug and the race clock: helmet plate, flag and name, wiping
    in from the left as `p` goes 0 -> 1 (clips the painter: the caller saves and restores)."""
    s = ctx.theme.sizes
    pad, gap = ctx.px(s.padding * k) * 0.8, ctx.px(s.gap * k) * 0.7
    painter.setClipRect(QRectF(rect.left(), rect.top(), rect.width() * p + 1, rect.height()))
    ctx.panel(painter, rect, fill="panel_alt", edge=False)
    x = rect.left() + pad
    label_w = ctx.measure_runs([Run("LEADER", "bold", caps=True)], s.label * k)
    ctx.fit_text(
        painter, QRectF(x, rect.top(), label_w, rect.height()), "LEADER", size=s.label * k,
        weight="bold", colour="text_muted", caps=True,
    )  # fmt: skip
    x += label_w + gap * 1.5
    if data.leader_helmet is not None:
        digits = str(data.leader_helmet)
        w = ctx.measure_runs([Run(digits, "heavy")], s.small * k) + gap * 1.6
        plate = QRectF(x, rect.top() + rect.height() * 0.16, w, rect.height() * 0.68)
        painter.fillRect(plate, ctx.colour("plate"))
        ctx.fit_text(
            painter, plate, digits, size=s.small * k, weight="heavy", colour="plate_text",
            align=ALIGN_CENTER,
        )  # fmt: skip
        x += w + gap
    if data.leader_nation:
        fh = rect.height() * 0.5
        ctx.draw_flag(
            painter, QRectF(x, rect.center().y() - fh / 2, fh * 4 / 3, fh), data.leader_nation
        )
        x += fh * 4 / 3 + gap
    ctx.fit_text(
        painter, QRectF(x, rect.top(), rect.right() - pad - x, rect.height()), data.leader_name,
        size=s.small * k, weight="bold", colour="text_alt",
    )  # fmt: skip
