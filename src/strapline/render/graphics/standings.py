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

from strapline.domain.graphics import StandingsData, StandingsRow
from strapline.render.context import ALIGN_CENTER, ALIGN_RIGHT, PaintContext, Run
from strapline.render.table import (
    Column,
    Table,
    flag_and_name,
    muted,
    name_size,
    paint_paged,
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
    cols = columns(ctx.portrait)
    index = {c.label: i for i, c in enumerate(cols)}

    def draw_row(table: Table, row: StandingsRow, rect: QRectF, lit: bool) -> None:
        rank = ("=" if row.tie else "") + str(row.rank)
        fill, colour = ("header", "header_text") if lit else ("plate", "plate_text")
        plate(painter, ctx, table, table.cell(rect, 0), rank, fill=fill, colour=colour)
        flag_and_name(
            painter, ctx, table, table.cell(rect, index["Name"]), nation=row.nation,
            name=row.name, lit=lit, size=name_size(ctx, table, index["Name"], []),
        )  # fmt: skip
        if "Nat" in index:
            muted(painter, ctx, table, table.cell(rect, index["Nat"]), row.nation, lit)
        ctx.fit_runs(
            painter, table.cell(rect, index["Points"]),
            [Run(row.points, "heavy", "accent_text" if lit else "text", tabular=True)],
            size=text_size(ctx, table, ctx.theme.sizes.info * 1.15), align=ALIGN_RIGHT,
        )  # fmt: skip

    paint_paged(
        painter, ctx, data, kind="standings", paint=paint, columns=cols, draw_row=draw_row,
        lit=lambda row: bool(data.highlight) and row.competitor_id == data.highlight,
    )  # fmt: skip
