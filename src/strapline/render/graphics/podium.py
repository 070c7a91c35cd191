"""Podium card: the medallists of a final.

Landscape: a card centred at the bottom of the graphics-safe area: a header (event, round,
status badge), one row per medallist (medal disc with the place, flag, the name in the theme's
name order or the team with its members, nation code, time, record mark in its own column) and
an optional note line. Ties show a shared place as '=2' (two silvers, no bronze). Medal, place,
time and record are what the row rule allows (strapline.domain.rows).

Portrait 4:5 (social feed): a title panel and three cards, centred. Portrait 9:16 (stories,
reels): the podium fills the graphics-safe height: a title panel at the top, the status badge
above it, one deep card a medallist (the gold one deeper) with the place, flag, code and time
on a line of their own and the name across the card's full width below, the note panel at the
bottom. A relay card lists its members in two columns, one size for every member of every team.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter

from strapline.domain.graphics import PodiumData, PodiumEntry
from strapline.domain.model import RaceStatus
from strapline.domain.rows import RowView, row_view
from strapline.domain.theme import Sizes
from strapline.render.animation import lerp
from strapline.render.context import ALIGN_CENTER, ALIGN_RIGHT, PaintContext, Run
from strapline.render.table import common_size, person_runs

CARD_W = 1060.0
HEADER_H = 66.0
ROW_H = 74.0
RELAY_ROW_H = 116.0  # the team on one line, its members on two
NOTE_H = 42.0
BADGE_H = 30.0
REC_W = 62.0  # the record mark's own column


def paint(painter: QPainter, data: PodiumData, ctx: PaintContext) -> None:
    if ctx.tall:
        _paint_tall(painter, data, ctx)
    elif ctx.portrait:
        _paint_portrait(painter, data, ctx)
    else:
        _paint_landscape(painter, data, ctx)


def _member_lines(entry: PodiumEntry) -> list[str]:
    """A relay team's members on two lines (the first half, then the rest)."""
    members = entry.team_members
    half = (len(members) + 1) // 2
    return [" · ".join(part) for part in (members[:half], members[half:]) if part]


def _relay(data: PodiumData) -> bool:
    return any(e.team_members for e in data.entries)


def _view(entry: PodiumEntry) -> RowView:
    """What the entry shows, by the row rule every graphic asks (strapline.domain.rows)."""
    return row_view(
        place=entry.place,
        tie=entry.tie,
        code=entry.code,
        time=entry.time,
        record=entry.record,
        medal_final=True,
    )


def _name_runs(entry: PodiumEntry, order: str) -> list[Run]:
    if entry.family_name:
        return person_runs(entry.family_name, entry.given_name, order=order)
    return [Run(entry.name, "heavy")]


def _medal(
    painter: QPainter, ctx: PaintContext, centre: QPointF, radius: float, entry: PodiumEntry
) -> None:
    """A medal disc in the place's colour with the place ('=2' for a shared place)."""
    view = _view(entry)
    colour = ctx.colour(view.medal or "silver")
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour.darker(118))
    painter.drawEllipse(centre, radius, radius)
    painter.setBrush(colour)
    painter.drawEllipse(centre, radius * 0.86, radius * 0.86)
    rect = QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius)
    ctx.fit_text(
        painter, rect.adjusted(radius * 0.2, 0, -radius * 0.2, 0), view.place,
        size=radius * (0.85 if entry.tie else 1.1) / ctx.scale, weight="heavy",
        colour="medal_text", align=ALIGN_CENTER, tabular=True,
    )  # fmt: skip


def _time_and_record(
    painter: QPainter, ctx: PaintContext, entry: PodiumEntry, rect: QRectF, size: float
) -> None:
    """The time (tabular figures) right-aligned in `rect`, its record mark in a column of
    its own at the right end, so the times line up whether or not a row holds a record."""
    view = _view(entry)
    rec_w = ctx.px(REC_W)
    if view.record:
        ctx.fit_text(
            painter, QRectF(rect.right() - rec_w, rect.top(), rec_w, rect.height()), view.record,
            size=size * 0.85, weight="heavy", colour="text", align=ALIGN_RIGHT,
        )  # fmt: skip
    if view.time:
        ctx.fit_text(
            painter, rect.adjusted(0, 0, -rec_w - ctx.px(8), 0), view.time, size=size,
            weight="bold", align=ALIGN_RIGHT, tabular=True,
        )  # fmt: skip
    elif view.word:
        ctx.fit_text(
            painter, rect.adjusted(0, 0, -rec_w - ctx.px(8), 0), view.word, size=size,
            weight="bold", colour="text_muted", align=ALIGN_RIGHT,
        )  # fmt: skip


def _paint_landscape(painter: QPainter, data: PodiumData, ctx: PaintContext) -> None:
    s: Sizes = ctx.theme.sizes
    px = ctx.px
    relay = _relay(data)
    row_h = px(RELAY_ROW_H if relay else ROW_H)
    header_h, note_h = px(HEADER_H), px(NOTE_H) if data.note else 0.0
    pad, gap = px(s.padding), px(s.gap)
    width = min(px(CARD_W), ctx.safe.width())
    rows = data.entries
    total_h = header_h + row_h * len(rows) + note_h
    left = ctx.safe.center().x() - width / 2
    top = ctx.safe.bottom() - total_h
    count = 2 + len(rows) + (1 if data.note else 0)

    painter.save()

    # one shadow around the whole card, there once the first row is
    painter.save()
    painter.setOpacity(painter.opacity() * (ctx.element(1, count)))
    ctx.shadow(painter, QRectF(left, top, width, total_h))
    painter.restore()

    # header: accent edge, title and round, badge
    p_head = ctx.element(0, count)
    head = QRectF(left, top, width, header_h)
    painter.save()
    ctx.wipe(painter, head, p_head)
    ctx.panel(painter, head, fill="header", edge=False, rounded=False)
    painter.fillRect(QRectF(left, top, px(s.accent_bar), header_h), ctx.colour("accent"))
    x = left + pad + px(s.accent_bar)
    title_w = ctx.measure_runs([Run(data.title, "heavy", caps=True)], s.info * 1.15)
    room = width - (x - left) - pad - px(170)
    title_rect = QRectF(x, top, min(title_w, room * 0.7), header_h)
    box = ctx.fit_runs(
        painter,
        title_rect,
        [Run(data.title, "heavy", "header_text", caps=True)],
        size=s.info * 1.15,
    )
    if data.subtitle:
        sx = x + box.width() + gap * 1.5
        ctx.fit_runs(
            painter, QRectF(sx, top, left + width - pad - px(170) - sx, header_h),
            [Run(data.subtitle, "medium", "header_accent", caps=True)], size=s.info,
        )  # fmt: skip
    painter.restore()
    p_badge = ctx.element(count - 1, count)
    painter.save()
    painter.setOpacity(painter.opacity() * p_badge)
    ctx.status_badge(
        painter, QPointF(left + width - pad, top + header_h / 2 + px(BADGE_H) / 2),
        data.status, height=BADGE_H,
    )  # fmt: skip
    painter.restore()

    # rows
    y = top + header_h
    time_w = px(200 + REC_W)
    order = ctx.theme.name_order
    # relay members: two lines a team, one size for every team, so no member is ever cut
    name_room = width - 2 * pad - px(48) - gap * 1.4 - px(s.flag_height) * 4 / 3 - gap
    name_room -= time_w + gap + px(70) + gap
    member_size = common_size(
        ctx, [line for e in rows for line in _member_lines(e)], size=s.small, room=name_room
    )
    for i, entry in enumerate(rows):
        p = ctx.element(1 + i, count)
        rect = QRectF(left, y, width, row_h)
        painter.save()
        painter.setClipRect(QRectF(left, y, width, row_h))
        painter.setOpacity(painter.opacity() * p)
        ctx.panel(painter, rect, fill="panel", edge=False, rounded=False)
        if i:
            painter.fillRect(
                QRectF(left + pad, y, width - 2 * pad, max(1.0, px(1))), ctx.colour("panel_alt")
            )
        painter.translate(lerp(-px(60), 0, p), 0)  # the row's content slides in
        medal_r = px(24)
        _medal(painter, ctx, QPointF(left + pad + medal_r, y + row_h / 2), medal_r, entry)
        x = left + pad + 2 * medal_r + gap * 1.4
        flag_h = px(s.flag_height)
        ctx.draw_flag(
            painter, QRectF(x, y + (row_h - flag_h) / 2, flag_h * 4 / 3, flag_h), entry.nation
        )
        x += flag_h * 4 / 3 + gap
        right = left + width - pad
        _time_and_record(
            painter, ctx, entry, QRectF(right - time_w, y, time_w, row_h), s.info * 1.1
        )
        right -= time_w + gap
        code_w = px(70) if entry.nation else 0.0
        if entry.nation:
            ctx.fit_text(
                painter, QRectF(right - code_w, y, code_w, row_h), entry.nation, size=s.info,
                weight="medium", colour="text_muted", caps=True, align=ALIGN_RIGHT,
            )  # fmt: skip
            right -= code_w + gap
        name_rect = QRectF(x, y, right - x, row_h)
        if entry.team_members:
            upper = QRectF(x, y + row_h * 0.06, right - x, row_h * 0.42)
            ctx.fit_runs(painter, upper, _name_runs(entry, order), size=s.name * 0.8)
            for j, line in enumerate(_member_lines(entry)):
                lower = QRectF(x, y + row_h * (0.48 + 0.23 * j), right - x, row_h * 0.23)
                ctx.fit_text(painter, lower, line, size=member_size, colour="text_muted")
        else:
            ctx.fit_runs(painter, name_rect, _name_runs(entry, order), size=s.name * 0.8)
        painter.restore()
        y += row_h

    if data.note:
        p = ctx.element(count - 1, count)
        rect = QRectF(left, y, width, note_h)
        painter.save()
        ctx.wipe(painter, rect, p)
        ctx.panel(painter, rect, fill="panel_alt", edge=False, rounded=False)
        ctx.fit_text(
            painter, rect.adjusted(pad, 0, -pad, 0), data.note, size=s.small, weight="medium",
            colour="text_alt",
        )  # fmt: skip
        painter.restore()
    painter.restore()


def _paint_portrait(painter: QPainter, data: PodiumData, ctx: PaintContext) -> None:
    s: Sizes = ctx.theme.sizes
    px = ctx.px
    pad, gap = px(s.padding) * 1.3, px(s.gap)
    left, width = ctx.safe.left(), ctx.safe.width()
    relay = _relay(data)
    title_h = px(150)
    card_h = px(188 if relay else 170)
    note_h = px(64) if data.note else 0.0
    spacing = px(18)
    rows = data.entries
    total_h = title_h + len(rows) * (card_h + spacing) + note_h
    top = ctx.safe.center().y() - total_h / 2
    count = 2 + len(rows) + (1 if data.note else 0)

    painter.save()
    p_title = ctx.element(0, count)
    painter.save()
    painter.setOpacity(painter.opacity() * p_title)
    painter.translate(0, lerp(px(30), 0, p_title))
    # the title on a header panel of its own: legible over any picture, ice or crowd
    head = QRectF(left, top, width, title_h - spacing)
    ctx.shadow(painter, head)
    ctx.panel(painter, head, fill="header", edge=False)
    painter.fillRect(QRectF(left, top, px(s.accent_bar) * 1.5, head.height()), ctx.colour("accent"))
    tx = left + px(s.accent_bar) * 1.5 + pad
    inner = left + width - pad - tx
    ctx.fit_text(
        painter, QRectF(tx, top + head.height() * 0.08, inner, head.height() * 0.5), data.title,
        size=s.name * 1.2, weight="heavy", colour="header_text", caps=True,
    )  # fmt: skip
    if data.subtitle:
        ctx.fit_text(
            painter, QRectF(tx, top + head.height() * 0.56, inner, head.height() * 0.34),
            data.subtitle, size=s.info * 1.3, weight="medium", colour="header_accent", caps=True,
        )  # fmt: skip
    painter.restore()
    p_badge = ctx.element(count - 1, count)
    painter.save()
    painter.setOpacity(painter.opacity() * p_badge)
    ctx.status_badge(painter, QPointF(left + width, top), data.status, height=BADGE_H * 1.3)
    painter.restore()

    y = top + title_h
    for i, entry in enumerate(rows):
        p = ctx.element(1 + i, count)
        card = QRectF(left, y, width, card_h)
        painter.save()
        painter.setOpacity(painter.opacity() * p)
        painter.translate(lerp(px(80), 0, p), 0)
        ctx.shadow(painter, card)
        ctx.panel(painter, card)
        medal_colour = ctx.colour(_view(entry).medal or "silver")
        painter.fillRect(QRectF(left, y, px(10), card_h), medal_colour)
        r = px(40)
        _medal(painter, ctx, QPointF(left + pad + r, y + card_h / 2), r, entry)
        x = left + pad + 2 * r + gap * 1.6
        inner = left + width - pad - x
        flag_h = px(s.flag_height) * 1.2
        line1 = QRectF(x, y + card_h * 0.1, inner, card_h * 0.26)
        ctx.draw_flag(
            painter, QRectF(x, line1.center().y() - flag_h / 2, flag_h * 4 / 3, flag_h),
            entry.nation,
        )  # fmt: skip
        cx = x + flag_h * 4 / 3 + gap
        if entry.nation:
            ctx.fit_text(
                painter, QRectF(cx, line1.top(), px(120), line1.height()), entry.nation,
                size=s.info * 1.1, weight="bold", colour="text_muted", caps=True,
            )  # fmt: skip
        _time_and_record(painter, ctx, entry, line1, s.info * 1.3)
        line2 = QRectF(x, y + card_h * 0.36, inner, card_h * 0.36)
        if entry.family_name:
            line3 = QRectF(x, y + card_h * 0.7, inner, card_h * 0.24)
            if entry.given_name and ctx.theme.name_order == "given-family":
                # the given name first, above the large family name
                line3 = QRectF(x, y + card_h * 0.36, inner, card_h * 0.24)
                line2 = QRectF(x, y + card_h * 0.58, inner, card_h * 0.36)
            ctx.fit_text(painter, line2, entry.family_name, size=s.name * 1.25, weight="heavy")
            if entry.given_name:
                ctx.fit_text(painter, line3, entry.given_name, size=s.info * 1.25)
        else:
            ctx.fit_text(painter, line2, entry.name, size=s.name * 1.25, weight="heavy")
            if entry.team_members:
                line3 = QRectF(x, y + card_h * 0.7, inner, card_h * 0.24)
                ctx.fit_text(
                    painter, line3, " · ".join(entry.team_members), size=s.small * 1.1,
                    colour="text_muted",
                )  # fmt: skip
        painter.restore()
        y += card_h + spacing

    if data.note:
        note = QRectF(left, y, width, note_h)
        _note_panel(painter, ctx, note, data.note, s.info * 1.1, pad, ctx.element(count - 1, count))
    painter.restore()


# 9:16 layout, on the 1080-wide portrait grid
TALL_TITLE_H = 230.0
TALL_NOTE_H = 96.0
TALL_SPACING = 24.0
TALL_CARD_MAX = 440.0  # a card never grows deeper than this (short safe areas centre the block)
GOLD_DEPTH = 1.1  # the gold card is this much deeper than the others
STRIPE_W = 14.0
MEMBERS_BAND = 0.36  # share of a card's depth the relay members take, at its foot


def _member_cells(members: list[str], columns: int) -> list[tuple[int, int, str]]:
    """A relay team's members in `columns` columns, read as lines: (line, column, member)."""
    return [(i // columns, i % columns, member) for i, member in enumerate(members)]


def _paint_tall(painter: QPainter, data: PodiumData, ctx: PaintContext) -> None:
    s: Sizes = ctx.theme.sizes
    px = ctx.px
    pad, gap = px(s.padding) * 1.3, px(s.gap)
    left, width = ctx.safe.left(), ctx.safe.width()
    rows = data.entries
    spacing = px(TALL_SPACING)
    title_h = px(TALL_TITLE_H)
    note_h = px(TALL_NOTE_H) if data.note else 0.0
    # the status badge sits above the title panel, inside the safe area
    above = px(BADGE_H * 1.3 + 12) if data.status is not RaceStatus.OFFICIAL else 0.0
    depths = [GOLD_DEPTH if _view(e).medal == "gold" else 1.0 for e in rows]
    units = sum(depths) or 1.0
    fixed = above + title_h + spacing + (note_h + spacing if data.note else 0.0)
    fixed += spacing * max(0, len(rows) - 1)
    card_h = min(px(TALL_CARD_MAX), (ctx.safe.height() - fixed) / units)
    total_h = fixed + card_h * units
    top = max(ctx.safe.top(), ctx.safe.center().y() - total_h / 2) + above
    count = 2 + len(rows) + (1 if data.note else 0)
    bar = px(s.accent_bar) * 1.5
    inner_left = left + px(STRIPE_W) + pad
    inner_w = left + width - pad - inner_left
    order = ctx.theme.name_order
    # relay members: in two columns, or one member a line when that reads larger (long
    # names); the same layout and one size for every member of every team
    members = [m for e in rows for m in e.team_members]
    most = max((len(e.team_members) for e in rows), default=0)
    columns = 2
    column_w = (inner_w - gap * 2) / 2
    member_size = common_size(ctx, members, size=s.info * 1.3, room=column_w, weight="medium")
    if most:
        line_cap = card_h * MEMBERS_BAND / most * 0.8 / ctx.scale
        single = common_size(
            ctx, members, size=min(s.info * 1.3, line_cap), room=inner_w, weight="medium"
        )
        if single > member_size:
            columns, column_w, member_size = 1, inner_w, single

    painter.save()
    p_title = ctx.element(0, count)
    painter.save()
    painter.setOpacity(painter.opacity() * p_title)
    painter.translate(0, lerp(-px(30), 0, p_title))
    head = QRectF(left, top, width, title_h)
    ctx.shadow(painter, head)
    ctx.panel(painter, head, fill="header", edge=False)
    painter.fillRect(QRectF(left, top, bar, title_h), ctx.colour("accent"))
    tx = left + bar + pad
    room = left + width - pad - tx
    title_rect = QRectF(tx, top + title_h * 0.1, room, title_h * (0.5 if data.subtitle else 0.8))
    ctx.fit_text(
        painter, title_rect, data.title, size=s.name * 1.5, weight="heavy",
        colour="header_text", caps=True,
    )  # fmt: skip
    if data.subtitle:
        ctx.fit_text(
            painter, QRectF(tx, top + title_h * 0.6, room, title_h * 0.3), data.subtitle,
            size=s.info * 1.6, weight="medium", colour="header_accent", caps=True,
        )  # fmt: skip
    painter.restore()
    p_badge = ctx.element(count - 1, count)
    painter.save()
    painter.setOpacity(painter.opacity() * p_badge)
    ctx.status_badge(
        painter, QPointF(left + width, top - px(10)), data.status, height=BADGE_H * 1.3
    )
    painter.restore()

    y = top + title_h + spacing
    for i, entry in enumerate(rows):
        h = card_h * depths[i]
        p = ctx.element(1 + i, count)
        card = QRectF(left, y, width, h)
        painter.save()
        painter.setOpacity(painter.opacity() * p)
        painter.translate(lerp(px(80), 0, p), 0)
        ctx.shadow(painter, card)
        ctx.panel(painter, card)
        view = _view(entry)
        painter.fillRect(QRectF(left, y, px(STRIPE_W), h), ctx.colour(view.medal or "silver"))
        # top line: medal, flag and code on the left, time and record on the right
        band = QRectF(inner_left, y + h * 0.06, inner_w, h * 0.28)
        r = min(px(50), band.height() / 2)
        _medal(painter, ctx, QPointF(inner_left + r, band.center().y()), r, entry)
        x = inner_left + 2 * r + gap * 1.6
        flag_h = min(px(s.flag_height) * 1.5, band.height() * 0.6)
        ctx.draw_flag(
            painter, QRectF(x, band.center().y() - flag_h / 2, flag_h * 4 / 3, flag_h),
            entry.nation,
        )  # fmt: skip
        x += flag_h * 4 / 3 + gap
        if entry.nation:
            ctx.fit_text(
                painter, QRectF(x, band.top(), px(130), band.height()), entry.nation,
                size=s.info * 1.5, weight="bold", colour="text_muted", caps=True,
            )  # fmt: skip
            x += px(130) + gap
        _time_and_record(
            painter, ctx, entry, QRectF(x, band.top(), inner_left + inner_w - x, band.height()),
            s.info * 1.8,
        )  # fmt: skip
        painter.fillRect(
            QRectF(inner_left, y + h * 0.37, inner_w, max(1.0, px(2))), ctx.colour("panel_alt")
        )
        if entry.team_members:
            team = QRectF(inner_left, y + h * 0.385, inner_w, h * 0.17)
            ctx.fit_runs(painter, team, _name_runs(entry, order), size=s.name * 1.5)
            lines = -(-len(entry.team_members) // columns)
            line_h = card_h * MEMBERS_BAND / max(1, lines)
            band_top = y + h - pad * 0.6 - card_h * MEMBERS_BAND
            for j, c, member in _member_cells(entry.team_members, columns):
                cx = inner_left + c * (column_w + gap * 2)
                cell = QRectF(cx, band_top + j * line_h, column_w, line_h)
                ctx.fit_text(
                    painter, cell, member, size=member_size, weight="medium", colour="text_muted"
                )
        else:
            big = QRectF(inner_left, y + h * 0.41, inner_w, h * 0.32)
            small = QRectF(inner_left, y + h * 0.73, inner_w, h * 0.2)
            if entry.given_name and entry.family_name and order == "given-family":
                # the given name first, above the large family name
                small = QRectF(inner_left, y + h * 0.41, inner_w, h * 0.2)
                big = QRectF(inner_left, y + h * 0.61, inner_w, h * 0.32)
            family = entry.family_name or entry.name
            ctx.fit_text(painter, big, family, size=s.name * 1.75, weight="heavy")
            if entry.family_name and entry.given_name:
                ctx.fit_text(painter, small, entry.given_name, size=s.info * 1.7)
        painter.restore()
        y += h + spacing

    if data.note:
        note = QRectF(left, y, width, note_h)
        _note_panel(painter, ctx, note, data.note, s.info * 1.4, pad, ctx.element(count - 1, count))
    painter.restore()


def _note_panel(
    painter: QPainter, ctx: PaintContext, rect: QRectF, text: str, size: float, pad: float, p: float
) -> None:
    """The portrait podiums' note under the cards (4:5 and 9:16), fading in with `p`."""
    painter.save()
    painter.setOpacity(painter.opacity() * p)
    ctx.shadow(painter, rect)
    ctx.panel(painter, rect, fill="panel_alt", edge=False)
    ctx.fit_text(
        painter, rect.adjusted(pad, 0, -pad, 0), text, size=size, weight="medium",
        colour="text_alt", align=ALIGN_CENTER,
    )  # fmt: skip
    painter.restore()
