"""Schedule: the next races, in start order, a page per take step.

The shared table (render/table.py): header with the title ('Next races') and the competition;
then a row per race: the start time in a plate (tabular figures), the event, the race, and
its state ('Live' in an accent pill, 'Result' once results are in, nothing for a race to
come).
"""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter

from strapline.domain.graphics import ScheduleData, ScheduleRow
from strapline.render.context import ALIGN_CENTER, ALIGN_RIGHT, PaintContext, Run
from strapline.render.table import Column, Table, paint_paged, pill, plate, text_size


def columns(portrait: bool) -> list[Column]:
    return [
        Column("Time", 110, ALIGN_CENTER),
        Column("Event", None),
        Column("Race", 260 if not portrait else 200),
        Column("", 130, ALIGN_RIGHT),
    ]


def paint(painter: QPainter, data: ScheduleData, ctx: PaintContext) -> None:
    cols = columns(ctx.portrait)

    def draw_row(table: Table, row: ScheduleRow, rect: QRectF, lit: bool) -> None:
        plate(painter, ctx, table, table.cell(rect, 0), row.time)
        size = text_size(ctx, table, ctx.theme.sizes.info * 1.15)
        ctx.fit_runs(painter, table.cell(rect, 1), [Run(row.event, "heavy")], size=size)
        small = text_size(ctx, table, ctx.theme.sizes.info)
        ctx.fit_text(
            painter, table.cell(rect, 2), row.race, size=small, weight="medium",
            colour="text_muted", caps=True,
        )  # fmt: skip
        if row.state == "Live":
            pill(painter, ctx, table, table.cell(rect, 3), "Live")
        elif row.state:
            ctx.fit_text(
                painter, table.cell(rect, 3), row.state, size=small, weight="bold",
                colour="text_muted", align=ALIGN_RIGHT,
            )  # fmt: skip

    paint_paged(painter, ctx, data, kind="schedule", paint=paint, columns=cols, draw_row=draw_row)
