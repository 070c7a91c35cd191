"""Lower third: a skater's (or relay team's) name caption.

Landscape: a name bar at the bottom left of the graphics-safe area: helmet-number plate, flag,
FAMILY name in heavy type then the given name in regular, nation code at the right end; under it
strips for the relay members, the info line ('MEN 500 M · FINAL A · GOLD') and an optional
second line. Portrait (social): a full-width card with the name on two lines.
Every strip sizes to its text, within a maximum width, and text shrinks then elides beyond it;
except a relay's members, which are never cut: when they do not fit one line at full size they
take two (three for the longest teams), every member whole on a line and every line at one
size, the largest at which all of them fit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import combinations, pairwise

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QPainter

from strapline.domain.graphics import LowerThirdData
from strapline.domain.theme import Sizes
from strapline.render.animation import lerp
from strapline.render.context import ALIGN_CENTER, PaintContext, Run
from strapline.render.table import common_size, person_runs

MAIN_H = 88.0  # name bar height (design px)
STRIP_H = 44.0  # info / members / second-line strip height
MIN_W = 620.0
MAX_W_SHARE = 0.62  # of the graphics-safe width
BADGE_H = 30.0
LINE_SHARE = 0.8  # a member line's height in a strip of several, as a share of STRIP_H
MAX_MEMBER_LINES = 3


@dataclass(frozen=True)
class _Strip:
    text: str
    weight: str
    caps: bool
    fill: str
    colour: str
    members: tuple[str, ...] = ()  # a relay's members: never cut, split into lines instead

    @property
    def run(self) -> Run:
        return Run(self.text, self.weight, self.colour, self.caps)


@dataclass(frozen=True)
class _Lines:
    """A strip's text as drawn: its lines, their one design size, the strip's height."""

    lines: tuple[str, ...]
    size: float
    height: float
    line_h: float


def member_lines(
    members: tuple[str, ...], count: int, width: Callable[[str], float]
) -> tuple[str, ...]:
    """A relay's members on `count` lines, in order and joined with ' · ', cut between names
    (never inside one) where the widest line (by `width`) is narrowest."""
    count = max(1, min(count, len(members)))
    best: tuple[str, ...] = (" · ".join(members),)
    best_w = float("inf")
    for cuts in combinations(range(1, len(members)), count - 1):
        bounds = (0, *cuts, len(members))
        lines = tuple(" · ".join(members[a:b]) for a, b in pairwise(bounds))
        widest = max(width(line) for line in lines)
        if widest < best_w:
            best, best_w = lines, widest
    return best


def _fit_lines(
    ctx: PaintContext, strip: _Strip, size: float, room: float, strip_h: float
) -> _Lines:
    """How a strip's text is laid: one line; for members, the fewest lines (up to three) at
    which every line fits `room` at `size`, else three lines at the largest size that fits
    them all (one size for every line, down to the theme's minimum)."""
    chosen = _Lines((strip.text,), size, strip_h, strip_h)
    if not strip.members:
        return chosen

    def width(line: str) -> float:
        return ctx.measure_runs([Run(line, strip.weight)], size)

    for count in range(1, min(MAX_MEMBER_LINES, len(strip.members)) + 1):
        lines = member_lines(strip.members, count, width)
        fitted = common_size(ctx, lines, size=size, room=room, weight=strip.weight)
        line_h = strip_h if count == 1 else strip_h * LINE_SHARE
        chosen = _Lines(lines, fitted, strip_h - line_h + line_h * count, line_h)
        if fitted >= size:
            break
    return chosen


def _paint_lines(
    painter: QPainter, ctx: PaintContext, rect: QRectF, strip: _Strip, laid: _Lines
) -> None:
    """A strip's lines, one under the other, centred in `rect` (already inset by padding)."""
    edge = (rect.height() - laid.line_h * len(laid.lines)) / 2
    for j, line in enumerate(laid.lines):
        box = QRectF(rect.left(), rect.top() + edge + j * laid.line_h, rect.width(), laid.line_h)
        ctx.fit_runs(
            painter, box, [Run(line, strip.weight, strip.colour, strip.caps)], size=laid.size
        )


def _strip_size(index: int, strip: _Strip, sizes: Sizes) -> float:
    """The first strip and caps labels at info size, further lines a step smaller."""
    return sizes.info if index == 0 or strip.caps else sizes.small


def _strips(data: LowerThirdData) -> list[_Strip]:
    strips = []
    if data.team_members:
        members = tuple(data.team_members)
        strips.append(
            _Strip(" · ".join(members), "regular", False, "panel_alt", "text_alt", members)
        )
    if data.info:
        strips.append(_Strip(data.info, "medium", True, "panel_alt", "text_alt"))
    if data.second_line:
        strips.append(_Strip(data.second_line, "medium", False, "panel", "text_muted"))
    return strips


def _name_runs(data: LowerThirdData, order: str) -> list[Run]:
    return person_runs(data.family_name, data.given_name, order=order)


def paint(painter: QPainter, data: LowerThirdData, ctx: PaintContext) -> None:
    if ctx.portrait:
        _paint_portrait(painter, data, ctx)
    else:
        _paint_landscape(painter, data, ctx)


def _paint_landscape(painter: QPainter, data: LowerThirdData, ctx: PaintContext) -> None:
    s = ctx.theme.sizes
    px = ctx.px
    strips = _strips(data)
    pad, gap = px(s.padding), px(s.gap)
    main_h, strip_h = px(MAIN_H), px(STRIP_H)
    plate_w = px(s.accent_bar)
    if data.helmet is not None:
        digits = ctx.measure_runs([Run(str(data.helmet), "heavy")], s.helmet)
        plate_w = max(main_h, digits + 2 * pad)
    flag_h = px(s.flag_height)
    flag_w = flag_h * 4 / 3
    code_runs = [Run(data.nation, "medium", "text_muted", caps=True)] if data.nation else []
    code_w = ctx.measure_runs(code_runs, s.info) if code_runs else 0.0
    fixed = plate_w + pad + flag_w + gap + (gap * 1.5 + code_w if code_w else 0.0) + pad
    max_w = ctx.safe.width() * _max_share(ctx)
    name_w = ctx.measure_runs(_name_runs(data, ctx.theme.name_order), s.name)
    width = min(max(fixed + name_w, px(MIN_W)), max_w)
    laid = [
        _fit_lines(ctx, st, _strip_size(i, st, s), max_w - 2 * pad, strip_h)
        for i, st in enumerate(strips)
    ]
    strip_ws = [
        min(max(_widest(ctx, st, lay) + 2 * pad, px(280)), max_w)
        for st, lay in zip(strips, laid, strict=True)
    ]

    width = max(width, *strip_ws) if strip_ws else width
    total_h = main_h + sum(lay.height for lay in laid)
    left = ctx.safe.left()
    top = ctx.safe.bottom() - total_h
    count = 3 + len(strips)

    painter.save()

    # main bar: wipes open from the plate
    p_bar = ctx.element(1, count)
    bar = QRectF(left, top, width, main_h)
    ctx.shadow(painter, QRectF(left, top, width * p_bar, main_h))
    painter.save()
    ctx.wipe(painter, QRectF(left, top - px(2), width, main_h + px(4)), p_bar)
    ctx.panel(painter, bar)
    painter.restore()

    # plate: helmet number, or a plain accent bar
    p_plate = ctx.element(0, count)
    plate = QRectF(left, top, plate_w, main_h)
    painter.save()
    painter.setClipRect(QRectF(left, top + main_h * (1 - p_plate), plate_w, main_h * p_plate))
    painter.fillRect(plate, ctx.colour("plate" if data.helmet is not None else "accent"))
    if data.helmet is not None:
        ctx.fit_text(
            painter, plate.adjusted(px(4), 0, -px(4), 0), str(data.helmet), size=s.helmet,
            weight="heavy", colour="plate_text", align=ALIGN_CENTER, tabular=True,
        )  # fmt: skip
        painter.fillRect(
            QRectF(left, top + main_h - px(s.accent_bar), plate_w, px(s.accent_bar)),
            ctx.colour("accent"),
        )
    painter.restore()

    # name, flag, nation code: slide up into the bar
    p_text = ctx.element(2, count)
    painter.save()
    painter.setClipRect(bar)
    ctx.wipe(painter, bar, p_bar)
    painter.setOpacity(painter.opacity() * p_text)
    painter.translate(0, lerp(main_h * 0.45, 0, p_text))
    x = left + plate_w + pad
    ctx.draw_flag(painter, QRectF(x, top + (main_h - flag_h) / 2, flag_w, flag_h), data.nation)
    x += flag_w + gap
    right = left + width - pad
    if code_runs:
        ctx.fit_runs(painter, QRectF(right - code_w, top, code_w, main_h), code_runs, size=s.info)
        right -= code_w + gap * 1.5
    name = _name_runs(data, ctx.theme.name_order)
    ctx.fit_runs(painter, QRectF(x, top, right - x, main_h), name, size=s.name)
    painter.restore()

    # strips under the bar, each wiping in after the one above
    y = top + main_h
    for i, (strip, sw, lay) in enumerate(zip(strips, strip_ws, laid, strict=True)):
        p = ctx.element(3 + i, count)
        rect = QRectF(left, y, sw, lay.height)
        painter.save()
        ctx.shadow(painter, QRectF(left, y, sw * p, lay.height))
        ctx.wipe(painter, rect, p)
        ctx.panel(painter, rect, fill=strip.fill, edge=False)
        _paint_lines(painter, ctx, rect.adjusted(pad, 0, -pad, 0), strip, lay)
        painter.restore()
        y += lay.height

    # not official: mark it above the bar's right end
    p_badge = ctx.element(count - 1, count)
    painter.save()
    painter.setOpacity(painter.opacity() * p_badge)
    ctx.status_badge(painter, QPointF(left + width, top - px(8)), data.status, height=BADGE_H)
    painter.restore()
    painter.restore()


def _widest(ctx: PaintContext, strip: _Strip, laid: _Lines) -> float:
    """Width in output pixels of a strip's widest line at its size."""
    return max(
        ctx.measure_runs([Run(line, strip.weight, strip.colour, strip.caps)], laid.size)
        for line in laid.lines
    )


def _max_share(ctx: PaintContext) -> float:
    """Share of the safe width a lower third may take (more on narrow 4:3-ish outputs)."""
    return MAX_W_SHARE if ctx.width / max(1, ctx.height) > 1.5 else 0.8


def _paint_portrait(painter: QPainter, data: LowerThirdData, ctx: PaintContext) -> None:
    s = ctx.theme.sizes
    px = ctx.px
    strips = _strips(data)
    pad = px(s.padding) * 1.4
    width = ctx.safe.width()
    left = ctx.safe.left()
    head_h, family_h, given_h = px(76), px(92), px(62) if data.given_name else 0.0
    strip_h = px(STRIP_H) * 1.25
    card_h = head_h + family_h + given_h + pad * 1.1
    laid = [_fit_lines(ctx, st, s.info * 1.15, width - 2 * pad, strip_h) for st in strips]
    total_h = card_h + sum(lay.height for lay in laid)
    top = ctx.safe.bottom() - total_h - ctx.safe.height() * 0.08
    count = 3 + len(strips)

    painter.save()
    p_card = ctx.element(0, count)
    card = QRectF(left, top, width, card_h)
    ctx.shadow(painter, QRectF(left, top, width, total_h))
    painter.save()
    ctx.wipe(painter, QRectF(left, top, width, total_h), p_card)
    ctx.panel(painter, card)
    painter.fillRect(QRectF(left, top, px(s.accent_bar) * 1.5, card_h), ctx.colour("accent"))
    painter.restore()

    p_text = ctx.element(1, count)
    painter.save()
    painter.setClipRect(card)
    painter.setOpacity(painter.opacity() * p_text)
    painter.translate(0, lerp(px(40), 0, p_text))
    x = left + pad
    y = top + pad * 0.6
    flag_h = px(s.flag_height) * 1.4
    flag_w = flag_h * 4 / 3
    if data.helmet is not None:
        plate = QRectF(x, y + (head_h - flag_h * 1.3) / 2, flag_h * 1.6, flag_h * 1.3)
        painter.fillRect(plate, ctx.colour("plate"))
        ctx.fit_text(
            painter, plate, str(data.helmet), size=s.helmet * 0.9, weight="heavy",
            colour="plate_text", align=ALIGN_CENTER,
        )  # fmt: skip
        x += plate.width() + px(s.gap)
    ctx.draw_flag(painter, QRectF(x, y + (head_h - flag_h) / 2, flag_w, flag_h), data.nation)
    x += flag_w + px(s.gap)
    if data.nation:
        ctx.fit_text(
            painter, QRectF(x, y, left + width - pad - x, head_h), data.nation, size=s.info * 1.2,
            weight="bold", colour="text_muted", caps=True,
        )  # fmt: skip
    y += head_h
    inner = width - 2 * pad
    # the family name large on a line of its own, the given name before or after it in the
    # theme's name order
    given_first = ctx.theme.name_order == "given-family"
    family_y = y + given_h if given_first else y
    given_y = y if given_first else y + family_h
    ctx.fit_text(
        painter, QRectF(left + pad, family_y, inner, family_h), data.family_name,
        size=s.name * 1.7, weight="heavy",
    )  # fmt: skip
    if data.given_name:
        ctx.fit_text(
            painter, QRectF(left + pad, given_y, inner, given_h), data.given_name,
            size=s.name * 1.15,
        )  # fmt: skip
    painter.restore()

    y = top + card_h
    for i, (strip, lay) in enumerate(zip(strips, laid, strict=True)):
        p = ctx.element(2 + i, count)
        rect = QRectF(left, y, width, lay.height)
        painter.save()
        ctx.wipe(painter, rect, p)
        ctx.panel(painter, rect, fill=strip.fill, edge=False)
        _paint_lines(painter, ctx, rect.adjusted(pad, 0, -pad, 0), strip, lay)
        painter.restore()
        y += lay.height

    p_badge = ctx.element(count - 1, count)
    painter.save()
    painter.setOpacity(painter.opacity() * p_badge)
    ctx.status_badge(
        painter, QPointF(left + width, top - px(12)), data.status, height=BADGE_H * 1.3
    )
    painter.restore()
    painter.restore()
