"""Medal table: nations by gold, silver and bronze medals, with totals, a page per take step.

The shared table (render/table.py): header with the title, the competition and the page;
then a row per nation: rank plate ('=3' for a shared rank), flag and the nation's name, the
gold, silver and bronze counts under medal-coloured discs in the column labels' place, and the
total. Counts are in tabular figures, so the columns line up.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter

from strapline.domain.graphics import MedalTableData, MedalTableRow
from strapline.render.context import ALIGN_CENTER, PaintContext, Run
from strapline.render.table import (
    Column,
    Table,
    flag_and_name,
    name_size,
    paint_paged,
    plate,
    text_size,
)

_MEDALS = ("gold", "silver", "bronze")


def columns(portrait: bool) -> list[Column]:
    width = 84 if portrait else 110
    return [
        Column("Rank", 72, ALIGN_CENTER),
        Column("Nation", None),
        Column("Gold", width, ALIGN_CENTER),
        Column("Silver", width, ALIGN_CENTER),
        Column("Bronze", width, ALIGN_CENTER),
        Column("Total", width, ALIGN_CENTER),
    ]


def paint(painter: QPainter, data: MedalTableData, ctx: PaintContext) -> None:
    cols = columns(ctx.portrait)

    def draw_row(table: Table, row: MedalTableRow, rect: QRectF, lit: bool) -> None:
        rank = ("=" if row.tie else "") + str(row.rank)
        plate(painter, ctx, table, table.cell(rect, 0), rank)
        flag_and_name(
            painter, ctx, table, table.cell(rect, 1), nation=row.nation, name=row.name,
            lit=lit, size=name_size(ctx, table, 1, []),
        )  # fmt: skip
        size = text_size(ctx, table, ctx.theme.sizes.info * 1.15)
        for i, (count, medal) in enumerate(zip((row.gold, row.silver, row.bronze), _MEDALS,
                                               strict=True)):  # fmt: skip
            cell = table.cell(rect, 2 + i)
            _disc(painter, ctx, cell, medal, size)
            ctx.fit_runs(
                painter, cell, [Run(str(count), "heavy", "medal_text", tabular=True)], size=size,
                align=ALIGN_CENTER,
            )  # fmt: skip
        ctx.fit_runs(
            painter, table.cell(rect, 5), [Run(str(row.total), "heavy", "text", tabular=True)],
            size=size, align=ALIGN_CENTER,
        )  # fmt: skip

    paint_paged(
        painter, ctx, data, kind="medal-table", paint=paint, columns=cols, draw_row=draw_row
    )


def _disc(painter: QPainter, ctx: PaintContext, cell: QRectF, medal: str, size: float) -> None:
    """A medal-coloured disc behind a count."""
    radius = min(cell.height() * 0.36, ctx.px(size) * 0.95)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(ctx.colour(medal))
    painter.drawEllipse(QPointF(cell.center().x(), cell.center().y()), radius, radius)
