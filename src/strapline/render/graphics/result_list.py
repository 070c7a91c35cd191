"""Result list: the result of one race.

Landscape: the table card (render/table.py): the header bar (event, race, status badge), a
strip of column labels, then one row per competitor: place plate, helmet number, flag and name
(family name heavy, given name regular), yellow-card mark, nation code, time, record mark in
its own column, qualification mark. What a row shows (plate, medal, time, record, the status
word that stands for them) is the row rule's (strapline.domain.rows), asked once per row.
Portrait (social): the same table over the full safe width with a two-line header.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter, QPainterPath

from strapline.domain.graphics import ResultListData, ResultListRow
from strapline.domain.rows import RowView, row_view
from strapline.render.context import ALIGN_CENTER, ALIGN_RIGHT, PaintContext
from strapline.render.table import (
    TABLE_W,
    Column,
    Landed,
    Table,
    flag_and_name,
    layout,
    members_size,
    muted,
    name_size,
    paint_table,
    pill,
    plate,
    text_size,
)

# ---- the result list -------------------------------------------------------------------------

_FILLS = {"gold": "gold", "silver": "silver", "bronze": "bronze"}


def _views(data: ResultListData) -> list[RowView]:
    """The row rule's verdict on every row (strapline.domain.rows)."""
    return [
        row_view(
            place=r.place,
            tie=r.tie,
            code=r.code,
            time=r.time,
            record=r.record,
            qualification=r.qualification,
            medal_final=data.medals,
        )
        for r in data.rows
    ]


def columns(data: ResultListData, portrait: bool) -> list[Column]:
    """The columns this result needs: no helmet, record or qualification column when no row
    shows one."""
    views = _views(data)
    cols = [Column("Pl", 64, ALIGN_CENTER)]
    if not portrait and any(r.helmet is not None for r in data.rows):
        cols.append(Column("#", 66, ALIGN_CENTER))  # social stills give the room to the name
    cols.append(Column("Name", None))
    if not portrait:  # the flag says it; portrait needs the room for the name
        cols.append(Column("Nat", 72))
    cols.append(Column("Time", 170, ALIGN_RIGHT))
    if any(v.record for v in views):
        cols.append(Column("Rec", 78, ALIGN_CENTER))
    if any(v.qualification for v in views):
        cols.append(Column("Q", 64, ALIGN_CENTER))
    return cols


def paint(painter: QPainter, data: ResultListData, ctx: PaintContext) -> None:
    cols = columns(data, ctx.portrait)
    index = {c.label: i for i, c in enumerate(cols)}
    views = _views(data)
    table = layout(
        ctx, cols, [bool(r.team_members) for r in data.rows], TABLE_W,
        title=data.title, subtitle=data.subtitle, status=data.status,
    )  # fmt: skip
    size = name_size(ctx, table, index["Name"], [r.name for r in data.rows])
    members = members_size(
        ctx, table, index["Name"], [" · ".join(r.team_members) for r in data.rows if r.team_members]
    )

    def draw(i: int, rect: QRectF, lit: bool) -> None:
        _draw_row(painter, ctx, table, index, data.rows[i], views[i], rect, lit, size, members)

    paint_table(
        painter, ctx, table, title=data.title, subtitle=data.subtitle, status=data.status,
        columns=cols, draw_row=draw, landed=Landed("result-list", data, paint),
    )  # fmt: skip


def _draw_row(
    painter: QPainter,
    ctx: PaintContext,
    table: Table,
    index: dict[str, int],
    row: ResultListRow,
    view: RowView,
    rect: QRectF,
    lit: bool,
    size: float,
    members: float,
) -> None:
    if view.plate:
        fill = _FILLS.get(view.medal, "plate")
        colour = "medal_text" if view.medal else "plate_text"
        plate(painter, ctx, table, table.cell(rect, 0), view.place, fill=fill, colour=colour)
    if "#" in index:
        cell = table.cell(rect, index["#"])
        helmet = "" if row.helmet is None else str(row.helmet)
        muted(painter, ctx, table, cell, helmet, lit, ALIGN_CENTER, tabular=True)

    def yellow_cards(rest: QRectF) -> float:
        if "YC" not in row.warnings:
            return 0.0
        h = rest.height() * 0.4
        card = QRectF(rest.left() + table.gap * 0.6, rest.center().y() - h / 2, h * 0.72, h)
        path = QPainterPath()
        path.addRoundedRect(card, ctx.px(2), ctx.px(2))
        painter.fillPath(path, ctx.colour("gold"))  # a yellow card: the gold yellow
        return card.width() + table.gap * 0.6

    flag_and_name(
        painter, ctx, table, table.cell(rect, index["Name"]), nation=row.nation, name=row.name,
        lit=lit, size=size, members=row.team_members, members_at=members, trailing=yellow_cards,
    )  # fmt: skip
    if "Nat" in index:
        muted(painter, ctx, table, table.cell(rect, index["Nat"]), row.nation, lit)
    time_cell = table.cell(rect, index["Time"])
    tsize = text_size(ctx, table, ctx.theme.sizes.info * 1.1)
    if view.time:
        ctx.fit_text(
            painter, time_cell, view.time, size=tsize, weight="bold",
            colour="accent_text" if lit else "text", align=ALIGN_RIGHT, tabular=True,
        )  # fmt: skip
    elif view.word:
        # the status word stands where the time would be
        ctx.fit_text(
            painter, time_cell, view.word, size=tsize, weight="bold",
            colour="accent_text" if lit else "text_muted", align=ALIGN_RIGHT,
        )  # fmt: skip
    if view.record and "Rec" in index:
        ctx.fit_text(
            painter, table.cell(rect, index["Rec"]), view.record, size=tsize * 0.85,
            weight="heavy", colour="accent_text" if lit else "text", align=ALIGN_CENTER,
        )  # fmt: skip
    if view.qualification and "Q" in index:
        pill(painter, ctx, table, table.cell(rect, index["Q"]), view.qualification)
