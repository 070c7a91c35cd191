"""Finish card: the winner at the line, at the bottom left like a lower third.

A header strip with the event and race, then the winner's bar: an accent 'WINNER' block,
helmet plate, flag, name, and the time in large equal-width figures with the record mark
beside it (WR, OR...) in gold; an optional note strip under it ('TANAKA Ren (JPN) penalised').
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QPainter, QPainterPath

from strapline.domain.graphics import FinishCardData
from strapline.render.context import ALIGN_CENTER, ALIGN_RIGHT, PaintContext, Run

HEAD_H = 44.0
MAIN_H = 92.0
NOTE_H = 42.0
MIN_W = 760.0
MAX_SHARE = 0.7
BADGE_H = 28.0


def paint(painter: QPainter, data: FinishCardData, ctx: PaintContext) -> None:
    s = ctx.theme.sizes
    k = 1.2 if ctx.portrait else 1.0

    def px(v: float) -> float:
        return ctx.px(v * k)

    pad, gap = px(s.padding), px(s.gap)
    head_h, main_h, note_h = px(HEAD_H), px(MAIN_H), px(NOTE_H) if data.note else 0.0
    label = "WINNER"
    label_w = ctx.measure_runs([Run(label, "heavy", caps=True)], s.small * k) + 2 * pad
    plate_w = 0.0
    if data.helmet is not None:
        plate_w = ctx.measure_runs([Run(str(data.helmet), "heavy")], s.helmet * k) + pad
    flag_h = px(s.flag_height)
    time_w = ctx.measure_runs([Run(data.time, "heavy", tabular=True)], s.name * k)
    record_w = (
        ctx.measure_runs([Run(data.record, "heavy")], s.small * k) + pad if data.record else 0.0
    )
    name_w = ctx.measure_runs([Run(data.name, "heavy")], s.name * 0.85 * k)
    fixed = label_w + plate_w + gap + flag_h * 4 / 3 + gap + pad + time_w + record_w + gap + pad
    width = min(
        max(fixed + name_w, px(MIN_W)), ctx.safe.width() * (0.98 if ctx.portrait else MAX_SHARE)
    )
    total = head_h + main_h + note_h
    left = ctx.safe.left()
    top = ctx.safe.bottom() - total
    out = ctx.playhead.phase == "out"
    count = 4

    painter.save()
    if out:
        painter.setOpacity(ctx.progress)
        painter.translate(-px(40) * (1 - ctx.progress), 0)

    p_head = ctx.element(0, count) if not out else 1.0
    head = QRectF(left, top, width, head_h)
    ctx.shadow(painter, QRectF(left, top, width * p_head, total))
    painter.save()
    ctx.wipe(painter, head, p_head)
    ctx.panel(painter, head, fill="header", rounded=False)
    text = " · ".join(p for p in (data.title, data.subtitle) if p)
    ctx.fit_text(painter, head.adjusted(pad, 0, -pad - px(160), 0), text, size=s.small * k,
                 weight="bold", colour="header_text", caps=True)  # fmt: skip
    painter.restore()

    p_main = ctx.element(1, count) if not out else 1.0
    bar = QRectF(left, top + head_h, width, main_h)
    painter.save()
    ctx.wipe(painter, bar, p_main)
    ctx.panel(painter, bar, rounded=False)
    painter.fillRect(QRectF(left, bar.top(), label_w, main_h), ctx.colour("accent"))
    ctx.fit_text(painter, QRectF(left, bar.top(), label_w, main_h), label, size=s.small * k,
                 weight="heavy", colour="accent_text", caps=True, align=ALIGN_CENTER)  # fmt: skip
    x = left + label_w
    if data.helmet is not None:
        plate = QRectF(x, bar.top(), plate_w, main_h)
        painter.fillRect(plate, ctx.colour("plate"))
        ctx.fit_text(painter, plate, str(data.helmet), size=s.helmet * k, weight="heavy",
                     colour="plate_text", align=ALIGN_CENTER, tabular=True)  # fmt: skip
        x += plate_w
    x += gap
    if data.nation:
        ctx.draw_flag(painter, QRectF(x, bar.center().y() - flag_h / 2, flag_h * 4 / 3, flag_h),
                      data.nation)  # fmt: skip
        x += flag_h * 4 / 3 + gap
    right = bar.right() - pad
    if data.record:
        rect = QRectF(right - record_w, bar.center().y() - px(18), record_w, px(36))
        path = QPainterPath()
        path.addRoundedRect(rect, px(4), px(4))
        painter.fillPath(path, ctx.colour("gold"))
        ctx.fit_text(painter, rect, data.record, size=s.small * k, weight="heavy",
                     colour="medal_text", align=ALIGN_CENTER)  # fmt: skip
        right -= record_w + gap
    ctx.fit_text(painter, QRectF(right - time_w, bar.top(), time_w, main_h), data.time,
                 size=s.name * k, weight="heavy", align=ALIGN_RIGHT, tabular=True)  # fmt: skip
    right -= time_w + gap * 1.5
    ctx.fit_text(painter, QRectF(x, bar.top(), max(0.0, right - x), main_h), data.name,
                 size=s.name * 0.85 * k, weight="heavy")  # fmt: skip
    painter.restore()

    if data.note:
        p_note = ctx.element(2, count) if not out else 1.0
        note = QRectF(left, bar.bottom(), width, note_h)
        painter.save()
        ctx.wipe(painter, note, p_note)
        ctx.panel(painter, note, fill="panel_alt", edge=False, rounded=False)
        ctx.fit_text(painter, note.adjusted(pad, 0, -pad, 0), data.note, size=s.small * k,
                     weight="medium", colour="text_alt")  # fmt: skip
        painter.restore()

    p_badge = ctx.element(3, count) if not out else 1.0
    painter.save()
    painter.setOpacity(painter.opacity() * p_badge)
    ctx.status_badge(painter, QPointF(left + width - pad * 0.5, top + (head_h + px(BADGE_H)) / 2),
                     data.status, height=BADGE_H * k)  # fmt: skip
    painter.restore()
    painter.restore()
