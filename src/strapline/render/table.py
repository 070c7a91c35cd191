"""The table engine shared by the list graphics: start list, result list, standings, and the
medal table, advancement and schedule.

A card centred in the graphics-safe area: the header bar (title, subtitle, page, status badge),
a strip of column labels, then the rows. `layout` sizes and places it (rows shrink to share the
safe height when there are many), `paint_table` draws it and animates it (a cascade in, the
mirror of it out, pages turning), and the cell helpers draw plates, names with flags, muted
text and pills. Every list graphic has the same width (`TABLE_W`), so the card does not jump
when one replaces another.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pydantic import BaseModel
from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QImage, QPainter, QPainterPath

from strapline.domain.graphics import PagedData, Playhead, page_rows
from strapline.domain.model import RaceStatus
from strapline.render.animation import ease_in_out, lerp
from strapline.render.context import ALIGN_CENTER, ALIGN_LEFT, ALIGN_RIGHT, PaintContext, Run

HEADER_H = 66.0  # as the podium card's header
TWO_LINE_HEADER_H = 96.0  # a title too long to share its line with the subtitle
PORTRAIT_HEADER_H = 128.0
BADGE_ROOM = 170.0  # header width kept free for the status badge (landscape)
LABELS_H = 38.0
ROW_H = 58.0
PORTRAIT_ROW_H = 80.0
TALL_ROW_H = 112.0  # portrait 9:16
BADGE_H = 30.0
TABLE_W = 1280.0  # every list graphic's width on the design grid: no jump between them


@dataclass(frozen=True)
class Column:
    """A table column: its label, its width on the design grid (None: takes what is left)."""

    label: str
    width: float | None
    align: Qt.AlignmentFlag = ALIGN_LEFT


@dataclass
class Table:
    """Where a table's parts go, in output pixels; built by `layout`."""

    card: QRectF
    header_h: float
    labels_h: float
    row_heights: list[float]
    pad: float
    gap: float
    spans: list[tuple[float, float]]  # (x, width) of each column
    text_scale: float  # type scale of row text relative to a full-height row
    two_line_header: bool = False  # title above the subtitle

    @property
    def rows_top(self) -> float:
        return self.card.top() + self.header_h + self.labels_h

    def row_rect(self, index: int) -> QRectF:
        """Row `index`, its edges on whole pixels so translucent rows never leave a seam."""
        y = round(self.rows_top + sum(self.row_heights[:index]))
        bottom = round(self.rows_top + sum(self.row_heights[: index + 1]))
        return QRectF(self.card.left(), y, self.card.width(), bottom - y)

    def cell(self, row: QRectF, column: int) -> QRectF:
        x, w = self.spans[column]
        return QRectF(x, row.top(), w, row.height())


def layout(
    ctx: PaintContext,
    columns: Sequence[Column],
    tall_rows: Sequence[bool],
    design_width: float,
    *,
    tall_factor: float = 1.45,
    title: str = "",
    subtitle: str = "",
    status: RaceStatus = RaceStatus.OFFICIAL,
    page: str = "",
) -> Table:
    """Size and place a table of len(tall_rows) rows (a tall row holds a relay's members).

    The header takes two lines when the title and subtitle do not share one at full size."""
    s = ctx.theme.sizes
    px = ctx.px
    portrait = ctx.portrait
    width = ctx.safe.width() if portrait else min(px(design_width), ctx.safe.width())
    two_lines = portrait
    if not portrait and subtitle:
        room = _title_room(ctx, width, status, page)
        wanted = ctx.measure_runs([Run(title, "heavy", caps=True)], s.info * 1.15)
        wanted += ctx.measure_runs([Run(subtitle, "medium", caps=True)], s.info) + px(s.gap) * 2
        two_lines = wanted > room
    if portrait:
        header_h = px(PORTRAIT_HEADER_H)
    else:
        header_h = px(TWO_LINE_HEADER_H if two_lines else HEADER_H)
    labels_h = px(LABELS_H * (1.15 if portrait else 1.0))
    # 9:16: taller rows, so the table fills the frame and a name can take two lines
    base = px((TALL_ROW_H if ctx.tall else PORTRAIT_ROW_H) if portrait else ROW_H)
    units = sum(tall_factor if t else 1.0 for t in tall_rows) or 1.0
    # portrait: the status badge sits above the card, inside the safe area too
    above = px(BADGE_H * 1.3 + 12) if portrait and status is not RaceStatus.OFFICIAL else 0.0
    room = ctx.safe.height() - header_h - labels_h - above
    # many rows shrink to share the safe height (their text stops at the theme's minimum size)
    row_h = min(base, room / units)
    heights = [row_h * (tall_factor if t else 1.0) for t in tall_rows]
    total = header_h + labels_h + sum(heights)
    left = ctx.safe.center().x() - width / 2
    top = max(ctx.safe.center().y() - total / 2, ctx.safe.top() + above)
    pad = px(s.padding)
    gap = px(s.gap) * (1.2 if portrait else 1.0)
    fixed = sum(px(c.width) for c in columns if c.width is not None)
    flexible = [c for c in columns if c.width is None]
    spare = width - 2 * pad - fixed - gap * (len(columns) - 1)
    spans: list[tuple[float, float]] = []
    x = left + pad
    for c in columns:
        w = px(c.width) if c.width is not None else max(0.0, spare / max(1, len(flexible)))
        spans.append((x, w))
        x += w + gap
    return Table(
        card=QRectF(left, top, width, total),
        header_h=header_h,
        labels_h=labels_h,
        row_heights=heights,
        pad=pad,
        gap=gap,
        spans=spans,
        text_scale=row_h / base,
        two_line_header=two_lines,
    )


def _title_room(ctx: PaintContext, width: float, status: RaceStatus, page: str) -> float:
    """Width left for title and subtitle in a landscape header."""
    s = ctx.theme.sizes
    room = width - 2 * ctx.px(s.padding) - ctx.px(s.accent_bar)
    if status is not RaceStatus.OFFICIAL:
        room -= ctx.px(BADGE_ROOM)
    if page:
        room -= ctx.measure_runs([Run(page, "bold", caps=True)], s.info) + 2 * ctx.px(s.gap)
    return room


def text_size(ctx: PaintContext, table: Table, size: float) -> float:
    """A design type size scaled for the orientation and for rows squeezed to fit."""
    grow = 1.3 if ctx.portrait else 1.0
    return max(ctx.theme.sizes.min_text, size * grow * table.text_scale)


def paint_table(
    painter: QPainter,
    ctx: PaintContext,
    table: Table,
    *,
    title: str,
    subtitle: str,
    status: RaceStatus,
    columns: Sequence[Column],
    draw_row: Callable[[int, QRectF, bool], None],
    highlighted: Callable[[int], bool] = lambda i: False,
    page: str = "",
    landed: Landed | None = None,
    turn: PageTurn | None = None,
) -> None:
    """The card: header, column labels and rows, animated in as a cascade (and out as its
    mirror: see animation.mirrored). With `turn`, a page turn: the old page's rows slide out
    and fade, then the new page's rows slide in, one after the other (never both at once).

    `draw_row(i, rect, highlighted)` paints the content of row i over its background. With
    `landed` (how to paint the whole graphic fully in), every frame of an in or out, the
    landed one at its end included, is composed from the landed picture, painted once per
    data, theme, size and page (see `_compose`).
    """
    px = ctx.px
    n = len(table.row_heights)
    count = 3 + n
    card = table.card
    if landed is not None and ctx.text_boxes is None and not ctx.landed_layer:
        if turn is not None and turn.progress < 1.0 and ctx.colour("panel").alpha() >= 250:
            _compose_turn(painter, ctx, table, status, landed, turn)
            return
        if ctx.playhead.phase == "in":  # (an out is drawn as its in backwards)
            _compose(painter, ctx, table, status, landed)
            return

    painter.save()
    p_head = ctx.element(0, count)
    body = QRectF(card.left(), card.top() + table.header_h, card.width(), 0)
    body.setBottom(card.bottom())
    _card_shadow(painter, ctx, card, p_head)
    _header(painter, ctx, table, title, subtitle, status, page, p_head)

    p_labels = ctx.element(1, count)
    labels = QRectF(card.left(), body.top(), card.width(), table.labels_h)
    painter.save()
    painter.setClipRect(QRectF(labels.left(), labels.top(), labels.width() * p_labels + 1, 1e6))
    ctx.panel(painter, labels, fill="panel_alt", edge=False)
    label_size = text_size(ctx, table, ctx.theme.sizes.label)
    for i, column in enumerate(columns):
        if column.label:
            ctx.fit_text(
                painter, table.cell(labels, i), column.label, size=label_size, weight="bold",
                colour="text_alt", caps=True, align=column.align,
            )  # fmt: skip
    painter.restore()

    settled = all(ctx.element(2 + i, count) >= 1.0 for i in range(n))
    if turn is not None and turn.progress < 1.0:
        _turn_page(painter, ctx, table, turn, draw_row, highlighted)
        if not ctx.landed_layer:
            _badge(painter, ctx, table, status, 1.0)
        painter.restore()
        return
    if settled and n:  # a still or a frame on hold: the rows' panel in one fill
        body = table.row_rect(0).united(table.row_rect(n - 1))
        _rows_panel(painter, ctx, body)
    for i in range(n):
        p = ctx.element(2 + i, count)
        rect = table.row_rect(i)
        lit = highlighted(i)
        if settled:  # no clip, fade or slide to set up
            _row_background(painter, ctx, table, i, rect, lit, panel=False)
            draw_row(i, rect, lit)
            continue
        painter.save()
        painter.setClipRect(rect.adjusted(0, 0, 0, 1))
        painter.setOpacity(painter.opacity() * p)
        painter.translate(lerp(-px(60), 0, p), 0)
        _row_background(painter, ctx, table, i, rect, lit)
        draw_row(i, rect, lit)
        painter.restore()

    if not ctx.landed_layer:
        _badge(painter, ctx, table, status, ctx.element(count - 1, count))
    painter.restore()


@dataclass(frozen=True)
class PageTurn:
    """A page turn under way: the rows of the page before and how far the turn has gone."""

    count: int  # rows on the page before
    draw_row: Callable[[int, QRectF, bool], None]  # draws a row of the page before
    highlighted: Callable[[int], bool]
    progress: float  # 0 (the page before, still) to 1 (the new page, landed)
    page: int = 0  # the page before


def page_turn(ctx: PaintContext, pages: int) -> tuple[int, float] | None:
    """(page before, progress) while a paged table turns its page, else None.

    A page turn is an update whose data did not change but whose step did (the renderer plays
    the next step as an update); the page before is `Playhead.previous_step`, or the one
    before this when the renderer does not say."""
    head = ctx.playhead
    if head.phase != "update" or head.previous is None or pages < 2:
        return None
    before = head.previous_step if head.previous_step is not None else head.step - 1
    before = min(max(before, 0), pages - 1)
    if before == min(head.step, pages - 1):
        return None
    return before, ease_in_out(head.t / ctx.theme.animation.update)


def _turn_rows(
    ctx: PaintContext, table: Table, turn: PageTurn
) -> tuple[QRectF, bool, list[tuple[QRectF, float, float]]]:
    """Where a page turn puts its rows now: the band of the rows' panel, whether the rows are
    those of the page before (leaving), and for each row drawn its place, its sideways shift
    and its opacity. First half the old rows leave to the left, fading; second half the new
    rows arrive from the right, each a little after the one above."""
    px = ctx.px
    row_h = table.row_heights[0] if table.row_heights else 0.0
    n_new = len(table.row_heights)
    height = max(turn.count, n_new)
    top = table.row_rect(0).top() if n_new else table.rows_top
    band = QRectF(table.card.left(), top, table.card.width(), round(row_h * height))
    leaving = turn.progress < 0.5
    p = turn.progress / 0.5 if leaving else (turn.progress - 0.5) / 0.5
    count = turn.count if leaving else n_new
    rows = []
    for i in range(count):
        y = round(top + row_h * i)
        rect = QRectF(table.card.left(), y, table.card.width(), round(top + row_h * (i + 1)) - y)
        local = min(1.0, max(0.0, p * 1.4 - 0.4 * i / max(1, count - 1)))
        if leaving:
            rows.append((rect, lerp(0, -px(60), local), 1.0 - local))
        else:
            rows.append((rect, lerp(px(60), 0, local), local))
    return band, leaving, rows


def _compose_turn(
    painter: QPainter,
    ctx: PaintContext,
    table: Table,
    status: RaceStatus,
    landed: Landed,
    turn: PageTurn,
) -> None:
    """A frame of a page turn composed from the landed pictures of the two pages (as
    `_compose` does for the in): the card's shadow, the new page's header and labels as they
    stand, the rows' panel, and each row leaving or arriving blitted from its page's picture,
    shifted by whole pixels and faded over the panel. Every row's picture holds the panel
    under it, which is the turn `_turn_page` paints exactly when the panel is opaque (the
    caller's condition). A frame then costs a few blits instead of laying out every row."""
    new = _landed_layer(ctx, table, landed)
    before = PaintContext(
        ctx.theme, ctx.width, ctx.height, Playhead(phase="hold", step=turn.page), None
    )
    old = _landed_layer(before, table, landed)

    card = table.card
    painter.save()
    _card_shadow(painter, ctx, card, 1.0)
    top = QRectF(card.left(), card.top(), card.width(), table.header_h + table.labels_h)
    _blit(painter, new, top)  # the header and the column labels
    band, leaving, rows = _turn_rows(ctx, table, turn)
    _rows_panel(painter, ctx, band)
    painter.setClipRect(band)
    picture = old if leaving else new
    for rect, dx, opacity in rows:
        painter.save()
        painter.setOpacity(painter.opacity() * opacity)
        # inside the card's edge pixels, which the panel under the rows draws (the picture's
        # own would add its edge and shadow to the panel's)
        _blit(painter, picture, rect.adjusted(1, 0, -1, 0), round(dx))
        painter.restore()
    painter.restore()
    _badge(painter, ctx, table, status, 1.0)


def _turn_page(
    painter: QPainter,
    ctx: PaintContext,
    table: Table,
    turn: PageTurn,
    draw_row: Callable[[int, QRectF, bool], None],
    highlighted: Callable[[int], bool],
) -> None:
    """The rows while a page turns, painted (see `_turn_rows`)."""
    band, leaving, rows = _turn_rows(ctx, table, turn)
    _rows_panel(painter, ctx, band)
    painter.save()
    painter.setClipRect(band)
    for i, (rect, dx, opacity) in enumerate(rows):
        painter.save()
        painter.setOpacity(painter.opacity() * opacity)
        painter.translate(dx, 0)
        lit = turn.highlighted(i) if leaving else highlighted(i)
        _row_background(painter, ctx, table, i, rect, lit, panel=False)
        (turn.draw_row if leaving else draw_row)(i, rect, lit)
        painter.restore()
    painter.restore()


def _badge(
    painter: QPainter, ctx: PaintContext, table: Table, status: RaceStatus, progress: float
) -> None:
    """The status badge, faded in last."""
    card = table.card
    painter.save()
    painter.setOpacity(painter.opacity() * progress)
    badge_h = BADGE_H * (1.3 if ctx.portrait else 1.0)
    if ctx.portrait:
        anchor = QPointF(card.right(), card.top() - ctx.px(12))
    else:
        anchor = QPointF(
            card.right() - table.pad, card.top() + (table.header_h + ctx.px(badge_h)) / 2
        )
    ctx.status_badge(painter, anchor, status, height=badge_h)
    painter.restore()


# ---- animation frames composed from the landed picture ------------------------------------


@dataclass(frozen=True)
class Landed:
    """How to paint a table graphic fully in: its kind, its data and its painter."""

    kind: str
    data: BaseModel
    paint: Callable[[QPainter, Any, PaintContext], None]


_LANDED: dict[tuple[object, ...], tuple[QImage, int, int]] = {}


def clear_landed_layers() -> None:
    """Forget the landed pictures of tables (for benchmarks of a first play)."""
    with _CACHE_LOCK:
        _LANDED.clear()


def _landed_layer(ctx: PaintContext, table: Table, landed: Landed) -> tuple[QImage, int, int]:
    """The graphic fully in (without its status badge) around its card, and the frame
    position of the picture's top left; painted once per data, theme, size and page, by the
    same code as the still, at a whole-pixel offset so every pixel is the still's."""
    key = (
        landed.kind,
        landed.data.model_dump_json(),
        ctx.theme.model_dump_json(),
        ctx.width,
        ctx.height,
        ctx.playhead.step,
    )
    found = _LANDED.get(key)
    if found is not None:
        return found
    margin = math.ceil(ctx.px(14)) + 4  # the card's shadow
    card = table.card
    area = QRect(
        math.floor(card.left()) - margin,
        math.floor(card.top()) - margin,
        math.ceil(card.width()) + 2 * margin + 1,
        math.ceil(card.height()) + 2 * margin + 1,
    ).intersected(QRect(0, 0, ctx.width, ctx.height))
    image = QImage(area.width(), area.height(), QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    p.translate(-area.left(), -area.top())
    hold = Playhead(phase="hold", step=ctx.playhead.step)
    layer_ctx = PaintContext(ctx.theme, ctx.width, ctx.height, hold, None, landed_layer=True)
    landed.paint(p, landed.data, layer_ctx)
    p.end()
    found = (image, area.left(), area.top())
    _remember(_LANDED, key, found, 4)
    return found


def _blit(painter: QPainter, picture: tuple[QImage, int, int], area: QRectF, dx: int = 0) -> None:
    """The part of a landed picture (image, and the frame position of its top left) under
    `area` of the frame, drawn where it belongs, `dx` whole pixels to the side."""
    image, ox, oy = picture
    src = QRect(
        math.floor(area.left()) - ox,
        math.floor(area.top()) - oy,
        math.ceil(area.right()) - math.floor(area.left()),
        math.ceil(area.bottom()) - math.floor(area.top()),
    ).intersected(image.rect())
    if not src.isEmpty():
        painter.drawImage(QPoint(src.left() + ox + dx, src.top() + oy), image, src)


def _compose(
    painter: QPainter, ctx: PaintContext, table: Table, status: RaceStatus, landed: Landed
) -> None:
    """A frame of the in or out animation, as paint_table animates it, from the landed
    picture: the header and labels wipe open, rows slide in and fade up one after another
    (by whole pixels: no resampling), the badge fades in last; an out is the same frames
    backwards. Each part is the still's own pixels, so a frame costs a few blits instead of
    laying out every row's text again."""
    picture = _landed_layer(ctx, table, landed)
    image, ox, oy = picture
    px = ctx.px
    n = len(table.row_heights)
    count = 3 + n
    card = table.card
    if all(ctx.element(i, count) >= 1.0 for i in range(count)):
        # landed (the last frame of an in, the first of an out): the still, in one blit
        painter.drawImage(QPoint(ox, oy), image)
        _badge(painter, ctx, table, status, 1.0)
        return

    painter.save()
    p_head = ctx.element(0, count)
    _card_shadow(painter, ctx, card, p_head)
    head = QRectF(card.left(), card.top(), card.width(), table.header_h)
    painter.save()
    painter.setClipRect(QRectF(head.left(), head.top(), head.width() * p_head + 1, head.height()))
    _blit(painter, picture, head)
    painter.restore()
    p_labels = ctx.element(1, count)
    labels = QRectF(card.left(), card.top() + table.header_h, card.width(), table.labels_h)
    painter.save()
    painter.setClipRect(QRectF(labels.left(), labels.top(), labels.width() * p_labels + 1, 1e6))
    _blit(painter, picture, labels)
    painter.restore()
    for i in range(n):
        p = ctx.element(2 + i, count)
        if p <= 0.0:
            continue
        rect = table.row_rect(i)
        painter.save()
        painter.setClipRect(rect.adjusted(0, 0, 0, 1))
        painter.setOpacity(painter.opacity() * p)
        _blit(painter, picture, rect, round(lerp(-px(60), 0, p)))
        painter.restore()
    _badge(painter, ctx, table, status, ctx.element(count - 1, count))
    painter.restore()


_CACHE_LOCK = threading.Lock()  # stills may be exported on worker threads


def _remember(
    cache: dict[tuple[object, ...], Any], key: tuple[object, ...], value: Any, size: int
) -> None:
    """Store in a small cache, dropping its oldest entry when full."""
    with _CACHE_LOCK:
        if len(cache) >= size:
            cache.pop(next(iter(cache)))
        cache[key] = value


def _card_shadow(painter: QPainter, ctx: PaintContext, card: QRectF, progress: float) -> None:
    """The card's shadow, opening with its header (`progress`), on whole pixels like the
    card's rows (Table.row_rect)."""
    ctx.shadow(
        painter,
        QRectF(
            round(card.left()), round(card.top()), round(card.width() * progress),
            round(card.height()),
        ),
    )  # fmt: skip


def _header(
    painter: QPainter,
    ctx: PaintContext,
    table: Table,
    title: str,
    subtitle: str,
    status: RaceStatus,
    page: str,
    progress: float,
) -> None:
    s = ctx.theme.sizes
    px = ctx.px
    card = table.card
    head = QRectF(card.left(), card.top(), card.width(), table.header_h)
    painter.save()
    painter.setClipRect(QRectF(head.left(), head.top(), head.width() * progress + 1, head.height()))
    ctx.panel(painter, head, fill="header", edge=False)
    bar = px(s.accent_bar) * (1.5 if ctx.portrait else 1.0)
    painter.fillRect(QRectF(head.left(), head.top(), bar, head.height()), ctx.colour("accent"))
    x = head.left() + bar + table.pad
    right = head.right() - table.pad
    if not ctx.portrait and status is not RaceStatus.OFFICIAL:
        right -= px(BADGE_ROOM)
    if page:
        page_w = ctx.measure_runs([Run(page, "bold", caps=True)], s.info) + table.gap
        ctx.fit_text(
            painter, QRectF(right - page_w, head.top(), page_w, head.height()), page,
            size=s.info, weight="bold", colour="header_accent", caps=True, align=ALIGN_RIGHT,
        )  # fmt: skip
        right -= page_w + table.gap
    if table.two_line_header:
        big = 1.05 * s.name if ctx.portrait else 1.15 * s.info
        small = 1.2 * s.info if ctx.portrait else 0.9 * s.info
        line = head.height() / 2
        top = head.top() + line * (0.18 if subtitle else 0.5)
        ctx.fit_text(
            painter, QRectF(x, top, right - x, line), title,
            size=big, weight="heavy", colour="header_text", caps=True,
        )  # fmt: skip
        if subtitle:
            ctx.fit_text(
                painter, QRectF(x, head.top() + line * 0.95, right - x, line * 0.8), subtitle,
                size=small, weight="medium", colour="header_accent", caps=True,
            )  # fmt: skip
    else:
        box = ctx.fit_text(
            painter, QRectF(x, head.top(), right - x, head.height()), title,
            size=s.info * 1.15, weight="heavy", colour="header_text", caps=True,
        )  # fmt: skip
        if subtitle:
            sx = x + box.width() + table.gap * 1.5
            ctx.fit_text(
                painter, QRectF(sx, head.top(), right - sx, head.height()), subtitle,
                size=s.info, weight="medium", colour="header_accent", caps=True,
            )  # fmt: skip
    painter.restore()


def _rows_panel(painter: QPainter, ctx: PaintContext, rect: QRectF) -> None:
    """The panel under rows: square at the top (it meets the labels), round at the bottom."""
    radius = ctx.px(ctx.theme.sizes.radius)
    shape = QPainterPath()
    shape.addRoundedRect(rect, radius, radius)
    top = QPainterPath()
    top.addRect(rect.adjusted(0, 0, 0, -rect.height() / 2))
    painter.fillPath(shape.united(top), ctx.colour("panel"))


def _row_background(
    painter: QPainter,
    ctx: PaintContext,
    table: Table,
    index: int,
    rect: QRectF,
    lit: bool,
    *,
    panel: bool = True,
) -> None:
    """A row's panel (unless drawn for all rows at once), highlight and separator."""
    if panel and index == len(table.row_heights) - 1:
        _rows_panel(painter, ctx, rect)
    elif panel:
        painter.fillRect(rect, ctx.colour("panel"))
    if lit:
        painter.fillRect(rect, ctx.colour("accent", 0.92))
    elif index:
        line = max(1.0, ctx.px(1))
        painter.fillRect(
            QRectF(rect.left() + table.pad, rect.top(), rect.width() - 2 * table.pad, line),
            ctx.colour("panel_alt"),
        )


# ---- cells ---------------------------------------------------------------------------------


def plate(
    painter: QPainter,
    ctx: PaintContext,
    table: Table,
    rect: QRectF,
    text: str,
    *,
    fill: str = "plate",
    colour: str = "plate_text",
) -> None:
    """A number plate (rank, place, start position) filling the cell's height, inset."""
    inset = rect.height() * 0.14
    box = QRectF(rect.left(), rect.top() + inset, rect.width(), rect.height() - 2 * inset)
    path = QPainterPath()
    radius = ctx.px(ctx.theme.sizes.radius) * 0.75
    path.addRoundedRect(box, radius, radius)
    painter.fillPath(path, ctx.colour(fill))
    if text:
        ctx.fit_text(
            painter, box.adjusted(ctx.px(3), 0, -ctx.px(3), 0), text,
            size=text_size(ctx, table, ctx.theme.sizes.info * 1.05), weight="heavy",
            colour=colour, align=ALIGN_CENTER, tabular=True,
        )  # fmt: skip


def name_runs(name: str, colour: str = "text", order: str = "family-given") -> list[Run]:
    """The runs of a display name: family part heavy, given names regular, in the theme's
    name order ('family-given': ROUSSEL Felix; 'given-family': Felix ROUSSEL)."""
    return list(_name_runs(name, colour, order))


def person_runs(family: str, given: str, colour: str = "text", order: str = "family-given",
                ) -> list[Run]:  # fmt: skip
    """Runs of a name given as its two parts, in the theme's name order."""
    runs = [Run(family, "heavy", colour)]
    if not given:
        return runs
    if order == "given-family":
        return [Run(given + " ", "regular", colour), *runs]
    return [*runs, Run(" " + given, "regular", colour)]


@lru_cache(maxsize=1024)
def _name_runs(name: str, colour: str, order: str) -> tuple[Run, ...]:
    """A display name split for type: the family part (words in capitals, with any lower-case
    particles before them: 'de LAAT') heavy, the given names after it regular. A name with
    no word in capitals (a team, Hangul) is all heavy."""
    words = name.split(" ")
    caps = [i for i, w in enumerate(words) if _is_family_word(w)]
    if not caps or (caps[0] > 0 and not all(w.islower() for w in words[: caps[0]])):
        return (Run(name, "heavy", colour),)
    end = caps[-1] + 1
    family = " ".join(words[:end])
    given = " ".join(words[end:])
    return tuple(person_runs(family, given, colour, order))


def _flag_size(ctx: PaintContext, rect_h: float, members: bool) -> tuple[float, float]:
    s = ctx.theme.sizes
    flag_h = min(ctx.px(s.flag_height) * (1.3 if ctx.portrait else 1.0), rect_h * 0.56)
    if members:
        flag_h = min(flag_h, rect_h * 0.4)
    return flag_h * 4 / 3, flag_h


def name_size(ctx: PaintContext, table: Table, column: int, names: Sequence[str]) -> float:
    """The type size of a name column. Each name fits its own row: a long one shrinks alone
    down to `name_floor`, then is elided alone; the other rows keep this size."""
    return text_size(ctx, table, ctx.theme.sizes.info * 1.2)


def name_floor(ctx: PaintContext, table: Table) -> float:
    """The smallest a name may shrink to before it is elided: the size of the nation codes
    beside it, so a name never reads smaller than its country."""
    return text_size(ctx, table, ctx.theme.sizes.info)


def common_size(
    ctx: PaintContext, texts: Sequence[str], *, size: float, room: float, weight: str = "regular"
) -> float:
    """The largest design size, from `size` down to the theme's minimum, at which every text
    fits `room` (output pixels): one size for a column of lines that must read alike."""
    if not texts:
        return size
    widest = max(ctx.measure_runs([Run(t, weight)], size) for t in texts)
    if widest <= room:
        return size
    floor = ctx.theme.sizes.min_text
    fitted = max(floor, size * room / widest * 0.995)
    # type sizes round to whole output pixels: step down until the rounded size fits too
    step = 0.5 / ctx.scale
    while fitted > floor and max(ctx.measure_runs([Run(t, weight)], fitted) for t in texts) > room:
        fitted = max(floor, fitted - step)
    return fitted


def members_size(
    ctx: PaintContext, table: Table, column: int, lines: Sequence[str], relay: bool = True
) -> float:
    """One type size for every relay member line of a table: the largest at which every line
    fits its row (down to the theme's minimum), so the members read alike row to row."""
    size = text_size(ctx, table, ctx.theme.sizes.small)
    if not lines:
        return size
    flag_w, _ = _flag_size(ctx, max(table.row_heights), relay)
    room = table.spans[column][1] - flag_w - table.gap
    key = (ctx.theme.name, ctx.theme.folder, round(ctx.px(size)), tuple(lines))
    widest = _WIDEST.get(key)
    if widest is None:
        widest = max(ctx.measure_runs([Run(n, "regular")], size) for n in lines)
        _remember(_WIDEST, key, widest, 256)
    if widest <= room:
        return size
    return max(ctx.theme.sizes.min_text, size * room / widest * 0.995)


# widest name of a column by (theme, pixel size, names): measured once, not every frame
_WIDEST: dict[tuple[object, ...], float] = {}


def _is_family_word(word: str) -> bool:
    """A word written the ISU way for a family name: capitals, maybe with a lower-case
    prefix letter or two ('LIU', 'PIERRE-GILLES', 'McANUFF', 'DeCLEMENTE')."""
    upper = sum(c.isupper() for c in word)
    lower = sum(c.islower() for c in word)
    return (upper >= 2 and upper > lower) or (upper == 1 and lower == 0 and len(word) == 1)


def flag_and_name(
    painter: QPainter,
    ctx: PaintContext,
    table: Table,
    rect: QRectF,
    *,
    nation: str,
    name: str,
    lit: bool,
    size: float | None = None,
    members: Sequence[str] = (),
    members_at: float | None = None,
    trailing: Callable[[QRectF], float] | None = None,
) -> None:
    """Flag, then the name at `size` (shrinking alone down to `name_floor`, then elided alone;
    and a relay's members under it at `members_at`, one size for the table); `trailing(rest)`
    may draw marks right after the name and returns the width it used."""
    s = ctx.theme.sizes
    flag_w, flag_h = _flag_size(ctx, rect.height(), bool(members))
    name_h = rect.height() * (0.56 if members else 1.0)
    name_top = rect.top() + (rect.height() * 0.06 if members else 0.0)
    ctx.draw_flag(
        painter, QRectF(rect.left(), name_top + (name_h - flag_h) / 2, flag_w, flag_h), nation
    )
    x = rect.left() + flag_w + table.gap
    colour = "accent_text" if lit else "text"
    runs = name_runs(name, colour, ctx.theme.name_order)
    if size is None:
        size = text_size(ctx, table, s.info * 1.2)
    room = rect.right() - x
    floor = min(size, name_floor(ctx, table))
    # portrait: a name too long for its line puts the given name on a line of its own
    two_lines = (
        ctx.portrait and not members and len(runs) == 2 and ctx.measure_runs(runs, size) > room
    )
    mark_w = 0.0
    if trailing is not None:
        head = [r for r in runs if r.weight != "regular"] if two_lines else runs
        natural = min(ctx.measure_runs(head, size), room)
        mark_w = trailing(QRectF(x + natural, name_top, room - natural, name_h))
    if two_lines:
        family, given = (runs[1], runs[0]) if runs[0].weight == "regular" else tuple(runs)
        upper = QRectF(x, name_top + name_h * 0.1, room - mark_w, name_h * 0.5)
        lower = QRectF(x, name_top + name_h * 0.56, room, name_h * 0.36)
        ctx.fit_runs(painter, upper, [Run(family.text.strip(), "heavy", colour)], size=size,
                     min_size=floor)  # fmt: skip
        ctx.fit_runs(painter, lower, [Run(given.text.strip(), "regular", colour)],
                     size=size * 0.78, min_size=floor * 0.78)  # fmt: skip
    else:
        ctx.fit_runs(
            painter, QRectF(x, name_top, room - mark_w, name_h), runs, size=size, min_size=floor
        )
    if members:
        ctx.fit_text(
            painter, QRectF(x, rect.top() + rect.height() * 0.55, room, rect.height() * 0.36),
            " · ".join(members),
            size=members_at if members_at is not None else text_size(ctx, table, s.small),
            colour="accent_text" if lit else "text_muted",
        )  # fmt: skip


def muted(
    painter: QPainter,
    ctx: PaintContext,
    table: Table,
    rect: QRectF,
    text: str,
    lit: bool,
    align: Qt.AlignmentFlag = ALIGN_LEFT,
    weight: str = "medium",
    tabular: bool = False,
) -> None:
    """Secondary text in a cell: helmet number (tabular figures), nation code."""
    if text:
        ctx.fit_text(
            painter, rect, text, size=text_size(ctx, table, ctx.theme.sizes.info), weight=weight,
            colour="accent_text" if lit else "text_muted", caps=True, align=align,
            tabular=tabular,
        )  # fmt: skip


def pill(painter: QPainter, ctx: PaintContext, table: Table, rect: QRectF, text: str) -> None:
    """A small accent pill centred in the cell (qualification marks)."""
    size = text_size(ctx, table, ctx.theme.sizes.small)
    h = min(rect.height() * 0.56, ctx.px(size) * 1.5)
    w = max(h * 1.25, ctx.measure_runs([Run(text, "heavy")], size) + h * 0.7)
    w = min(w, rect.width())
    box = QRectF(rect.center().x() - w / 2, rect.center().y() - h / 2, w, h)
    path = QPainterPath()
    path.addRoundedRect(box, h / 2, h / 2)
    painter.fillPath(path, ctx.colour("accent"))
    ctx.fit_text(
        painter, box.adjusted(h * 0.2, 0, -h * 0.2, 0), text, size=size, weight="heavy",
        colour="accent_text", align=ALIGN_CENTER,
    )  # fmt: skip


def paint_paged(
    painter: QPainter,
    ctx: PaintContext,
    data: PagedData,
    *,
    kind: str,
    paint: Callable[[QPainter, Any, PaintContext], None],
    columns: Sequence[Column],
    draw_row: Callable[[Table, Any, QRectF, bool], None],
    lit: Callable[[Any], bool] = lambda row: False,
    tall: Callable[[Any], bool] = lambda row: False,
) -> None:
    """A table shown a page at a time (standings, medal table, advancement, schedule): page
    `Playhead.step`, the page number in the header, every page as tall as a full one (paging
    never moves the card) and the page turn between pages. `draw_row(table, row, rect, lit)`
    draws one row's cells."""
    pages = max(1, math.ceil(len(data.rows) / data.page_size))
    page = min(max(ctx.playhead.step, 0), pages - 1)
    rows = page_rows(data, page)
    page_text = f"{page + 1}/{pages}" if pages > 1 else ""
    table = layout(
        ctx, columns, [tall(r) for r in data.rows[: data.page_size]], TABLE_W,
        title=data.title, subtitle=data.subtitle, status=data.status, page=page_text,
    )  # fmt: skip
    table.row_heights = table.row_heights[: len(rows)]
    turn = None
    turning = page_turn(ctx, pages)
    if turning is not None:
        before = page_rows(data, turning[0])
        turn = PageTurn(
            len(before),
            lambda i, rect, on: draw_row(table, before[i], rect, on),
            lambda i: lit(before[i]),
            turning[1],
            turning[0],
        )
    paint_table(
        painter, ctx, table, title=data.title, subtitle=data.subtitle, status=data.status,
        columns=columns, draw_row=lambda i, rect, on: draw_row(table, rows[i], rect, on),
        highlighted=lambda i: lit(rows[i]), page=page_text, landed=Landed(kind, data, paint),
        turn=turn,
    )  # fmt: skip
