"""Start list: the line-up of one race, in start-position order.

The shared table (render/table.py): header with event and race and the START LIST badge (LIVE
while the race is on; never a results status), then one row per competitor: start position
plate, helmet number, flag and name, nation code. A relay's row is taller, with its members
under the team's name, in one size for every row. Portrait (social) spreads the same table
over the full safe width.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter

from strapline.domain.graphics import StartListData
from strapline.domain.model import RaceStatus
from strapline.render.context import ALIGN_CENTER, PaintContext
from strapline.render.table import (
    TABLE_W,
    Column,
    Landed,
    flag_and_name,
    layout,
    members_size,
    muted,
    name_size,
    paint_table,
    plate,
)


def columns(data: StartListData, portrait: bool) -> list[Column]:
    """Position, helmet (when any is known), name, and the nation code in landscape."""
    cols = [Column("Pos", 64, ALIGN_CENTER)]
    if any(r.helmet is not None for r in data.rows):
        cols.append(Column("#", 66, ALIGN_CENTER))
    cols.append(Column("Name", None))
    if not portrait:
        cols.append(Column("Nat", 72))
    return cols


def badge_status(data: StartListData) -> RaceStatus:
    """A start list marks itself as one (LIVE while the race is on), never as results:
    UNOFFICIAL or OFFICIAL describe results, which a start list does not show."""
    return RaceStatus.LIVE if data.status is RaceStatus.LIVE else RaceStatus.START_LIST


def paint(painter: QPainter, data: StartListData, ctx: PaintContext) -> None:
    cols = columns(data, ctx.portrait)
    index = {c.label: i for i, c in enumerate(cols)}
    status = badge_status(data)
    table = layout(
        ctx, cols, [bool(r.team_members) for r in data.rows], TABLE_W,
        title=data.title, subtitle=data.subtitle, status=status,
    )  # fmt: skip
    size = name_size(ctx, table, index["Name"], [r.name for r in data.rows])
    members = members_size(
        ctx, table, index["Name"], [" · ".join(r.team_members) for r in data.rows if r.team_members]
    )

    def draw(i: int, rect: QRectF, lit: bool) -> None:
        row = data.rows[i]
        position = "" if row.start_position is None else str(row.start_position)
        plate(painter, ctx, table, table.cell(rect, 0), position)
        if "#" in index:
            helmet = "" if row.helmet is None else str(row.helmet)
            cell = table.cell(rect, index["#"])
            muted(painter, ctx, table, cell, helmet, lit, ALIGN_CENTER, tabular=True)
        flag_and_name(
            painter, ctx, table, table.cell(rect, index["Name"]), nation=row.nation,
            name=row.name, lit=lit, size=size, members=row.team_members, members_at=members,
        )  # fmt: skip
        if "Nat" in index:
            muted(painter, ctx, table, table.cell(rect, index["Nat"]), row.nation, lit)

    paint_table(
        painter, ctx, table, title=data.title, subtitle=data.subtitle, status=status,
        columns=cols, draw_row=draw, landed=Landed("start-list", data, paint),
    )  # fmt: skip
