"""Advancement: who goes from a round to which race, from the qualification marks.

The shared table (render/table.py): header with the event and the round they come from; then a
row per qualified competitor: the race they skated ('Semifinals 1'), flag and name, the mark in
an accent pill (QA, Q, ADV...) and where it takes them ('Final A'). Paged like the standings.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter

from strapline.domain.graphics import AdvancementData, AdvancementRow
from strapline.render.context import ALIGN_CENTER, PaintContext
from strapline.render.table import (
    Column,
    Table,
    flag_and_name,
    name_size,
    paint_paged,
    pill,
    text_size,
)


def columns(portrait: bool) -> list[Column]:
    return [
        Column("From", 230 if not portrait else 200),
        Column("Name", None),
        Column("Mark", 80, ALIGN_CENTER),
        Column("To", 190 if not portrait else 170),
    ]


def paint(painter: QPainter, data: AdvancementData, ctx: PaintContext) -> None:
    cols = columns(ctx.portrait)

    def draw_row(table: Table, row: AdvancementRow, rect: QRectF, lit: bool) -> None:
        info = text_size(ctx, table, ctx.theme.sizes.info)
        ctx.fit_text(
            painter, table.cell(rect, 0), row.race, size=info, weight="medium", colour="text_muted"
        )
        flag_and_name(
            painter, ctx, table, table.cell(rect, 1), nation=row.nation, name=row.name,
            lit=lit, size=name_size(ctx, table, 1, []),
        )  # fmt: skip
        pill(painter, ctx, table, table.cell(rect, 2), row.mark)
        ctx.fit_text(
            painter, table.cell(rect, 3), row.to, size=text_size(ctx, table, ctx.theme.sizes.info),
            weight="heavy", colour="text", caps=True,
        )  # fmt: skip

    paint_paged(
        painter, ctx, data, kind="advancement", paint=paint, columns=cols, draw_row=draw_row
    )
