"""The rundown's tally strip: the state column painted in its tally colour, with a shape and a
word beside it, whether or not the row is selected.

Qt's default painting puts the selection highlight over a cell's background, so the selected
row (usually the one on air) lost its red, and its amber when new data waited. Here the tally
colour always fills the cell; selection shows as a frame around it.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from strapline.views.rundown_model import STATE_ROLE
from strapline.views.style import STATE_COLOURS, STATE_INK, STATE_SHAPE, STATE_TEXT

Index = QModelIndex | QPersistentModelIndex


class TallyDelegate(QStyledItemDelegate):
    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        state = index.data(STATE_ROLE)
        colour = STATE_COLOURS.get(state) if isinstance(state, str) else None
        if colour is None:
            super().paint(painter, option, index)
            return
        assert isinstance(state, str)
        rect = option.rect
        painter.save()
        painter.fillRect(rect, colour)
        if option.state & QStyle.StateFlag.State_Selected:
            painter.setPen(QPen(QColor("#ffffff"), 2))
            painter.drawRect(rect.adjusted(1, 1, -1, -1))
        font = QFont(option.font)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(STATE_INK.get(state, QColor("#ffffff")))
        text = f"{STATE_SHAPE.get(state, '')} {STATE_TEXT.get(state, '')}".strip()
        painter.drawText(
            rect.adjusted(6, 0, -4, 0),
            int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
            text,
        )
        painter.restore()
