"""Standings table: a ranking shown a page at a time, one take step per page.

The shared table (render/table.py): header with the title, the
competition, the page ("2/3") and a status badge when not official; then the page's rows: rank
plate, flag and name, nation code, points. The highlighted competitor's row is filled with the
accent colour. `Playhead.step` selects the page; portrait (social) spreads the table over the
full safe width.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter

from strapline.domain.graphics import (
    GraphicKind,
    StandingsData,
    StandingsRow,
    page_rows,
    steps,
)
from strapline.render.context import ALIGN_CENTER, ALIGN_RIGHT, PaintContext, Run
from strapline.render.table import (
    TABLE_W,
    Column,
    Landed,
    PageTurn,
    flag_and_name,
    layout,
    muted,
    name_size,
    page_turn,
    paint_table,
    plate,
    text_size,
)


def columns(portrait: bool) -> list[Column]:
    cols = [Column("Rank", 72, ALIGN_CENTER), Column("Name", None)]
    if not portrait:
        cols.append(Column("Nat", 72))
    cols.append(Column("Points", 150, ALIGN_RIGHT))
    return cols


def paint(painter: QPainter, data: StandingsData, ctx: PaintContext) -> None:
    pages = steps(GraphicKind.STANDINGS, data)
    page = min(max(ctx.playhead.step, 0), pages - 1)
    rows = page_rows(data, page)
    cols = columns(ctx.portrait)
    index = {c.label: i for i, c in enumerate(cols)}
    # every page has the height of a full page, so paging never moves the card
    page_text = f"{page + 1}/{pages}" if pages > 1 else ""
    table = layout(
        ctx, cols, [False] * min(len(data.rows), data.page_size), TABLE_W,
        title=data.title, subtitle=data.subtitle, status=data.status, page=page_text,
    )  # fmt: skip
    table.row_heights = table.row_heights[: len(rows)]
    size = name_size(ctx, table, index["Name"], [r.name for r in data.rows])

    def lit_row(row: StandingsRow) -> bool:
        return bool(data.highlight) and row.competitor_id == data.highlight

    def draw(i: int, rect: QRectF, lit: bool) -> None:
        draw_row(rows[i], rect, lit)

    def draw_row(row: StandingsRow, rect: QRectF, lit: bool) -> None:
        rank = ("=" if row.tie else "") + str(row.rank)
        fill, colour = ("header", "header_text") if lit else ("plate", "plate_text")
        plate(painter, ctx, table, table.cell(rect, 0), rank, fill=fill, colour=colour)
        flag_and_name(
            painter, ctx, table, table.cell(rect, index["Name"]), nation=row.nation,
            name=row.name, lit=lit, size=size,
        )  # fmt: skip
        if "Nat" in index:
            muted(painter, ctx, table, table.cell(rect, index["Nat"]), row.nation, lit)
        ctx.fit_runs(
            painter, table.cell(rect, index["Points"]),
            [Run(row.points, "heavy", "accent_text" if lit else "text", tabular=True)],
            size=text_size(ctx, table, ctx.theme.sizes.info * 1.15), align=ALIGN_RIGHT,
        )  # fmt: skip

    turn = None
    turning = page_turn(ctx, pages)
    if turning is not None:
        before = page_rows(data, turning[0])

        def draw_before(i: int, rect: QRectF, lit: bool) -> None:
            draw_row(before[i], rect, lit)

        turn = PageTurn(len(before), draw_before, lambda i: lit_row(before[i]), turning[1])

    paint_table(
        painter, ctx, table, title=data.title, subtitle=data.subtitle, status=data.status,
        columns=cols, draw_row=draw, highlighted=lambda i: lit_row(rows[i]),
        page=page_text, landed=Landed("standings", data, paint), turn=turn,
    )  # fmt: skip
