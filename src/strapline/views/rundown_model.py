"""One Qt item model adapting the show's rundown to the views: groups, and their cues beneath.

The model reads the ShowService and asks a status function for each cue's tally state; it
changes nothing itself. A drag and drop becomes a `moveRequested(cue_id, group_id, index)`
signal that the window turns into an undoable edit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from strapline.domain.rundown import Cue, CueGroup
from strapline.services.show import ShowChange, ShowService
from strapline.views.style import STATE_COLOURS, STATE_TEXT

MIME = "application/x-strapline-cue-ids"
ID_ROLE = Qt.ItemDataRole.UserRole + 1
STATE_ROLE = Qt.ItemDataRole.UserRole + 2
COLUMNS = ["State", "#", "Name", "Graphic", "Data", "Output", "Out", "Flags"]
Index = QModelIndex | QPersistentModelIndex
StatusFn = Callable[[Cue], tuple[str, str]]  # -> (state, problem text)


def _binding_text(cue: Cue) -> str:
    b = cue.binding
    if b is None or b.is_empty:
        return "manual" if cue.data else ""
    parts = [
        v
        for v in (b.event_id, b.race_id, b.standings_id, b.competitor_id)
        if v is not None and v != ""
    ]
    if b.row is not None:
        parts.append(f"row {b.row + 1}")
    if b.live:  # the race the timing feed runs
        parts.insert(0, "live race")
    return " / ".join(parts)


class RundownModel(QAbstractItemModel):
    moveRequested = Signal(str, str, int)  # cue id, group id, index in the group
    cuesEdited = Signal(list)  # ids of cues whose content an edit changed (rows repainted)

    def __init__(
        self,
        shows: ShowService,
        status: StatusFn,
        countdown: Callable[[Cue], float | None] = lambda _cue: None,
    ) -> None:
        """`countdown`: seconds left before an on-air cue with out-after goes out (None when
        it does not count down)."""
        super().__init__()
        self._shows = shows
        self.shows = shows
        self._status = status
        self._countdown = countdown
        self._numbers: dict[str, int] = {}
        self._renumber()
        shows.changed.connect(self._on_show_changed)

    # ---- refresh ------------------------------------------------------------------------------
    def _renumber(self) -> None:
        self._numbers = {c.id: i + 1 for i, c in enumerate(self._shows.show.rundown.cues())}

    def _on_show_changed(self, change: ShowChange) -> None:
        if change.part == "rundown" and not change.moved and change.cues is not None:
            # the same cues in the same order: repaint the rows that changed, keep the rest
            # (selection, scroll, the inspector's field being typed in)
            for cue_id in change.cues:
                index = self.index_of(cue_id)
                if index.isValid():
                    self.dataChanged.emit(index, index.siblingAtColumn(len(COLUMNS) - 1))
            self.cuesEdited.emit(sorted(change.cues))
            return
        if change.of("rundown", "show", "outputs"):
            self.beginResetModel()
            self._renumber()
            self.endResetModel()

    def refresh_states(self) -> None:
        """Tally or data changed: repaint the state column of every cue."""
        for g_row, group in enumerate(self._groups()):
            if group.cues:
                parent = self.index(g_row, 0)
                self.dataChanged.emit(
                    self.index(0, 0, parent),
                    self.index(len(group.cues) - 1, len(COLUMNS) - 1, parent),
                    [
                        Qt.ItemDataRole.DisplayRole,
                        Qt.ItemDataRole.BackgroundRole,
                        Qt.ItemDataRole.ToolTipRole,
                    ],
                )

    # ---- lookups ------------------------------------------------------------------------------
    def _groups(self) -> list[CueGroup]:
        return self._shows.show.rundown.groups

    def cue_at(self, index: Index) -> Cue | None:
        if not index.isValid() or index.internalId() == 0:
            return None
        groups = self._groups()
        g = index.internalId() - 1
        if g >= len(groups) or index.row() >= len(groups[g].cues):
            return None
        return groups[g].cues[index.row()]

    def group_at(self, index: Index) -> CueGroup | None:
        if not index.isValid():
            return None
        groups = self._groups()
        g = index.row() if index.internalId() == 0 else index.internalId() - 1
        return groups[g] if g < len(groups) else None

    def index_of(self, cue_id: str) -> QModelIndex:
        for g_row, group in enumerate(self._groups()):
            for row, cue in enumerate(group.cues):
                if cue.id == cue_id:
                    return self.index(row, 0, self.index(g_row, 0))
        return QModelIndex()

    # ---- QAbstractItemModel -----------------------------------------------------------------
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column < 0 or column >= len(COLUMNS) or row < 0:
            return QModelIndex()
        groups = self._groups()
        if not parent.isValid():
            return self.createIndex(row, column, 0) if row < len(groups) else QModelIndex()
        if parent.internalId() != 0 or parent.row() >= len(groups):
            return QModelIndex()
        if row >= len(groups[parent.row()].cues):
            return QModelIndex()
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        groups = self._groups()
        if not parent.isValid():
            return len(groups)
        if parent.internalId() == 0 and parent.column() == 0 and parent.row() < len(groups):
            return len(groups[parent.row()].cues)
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        cue = self.cue_at(index)
        if cue is None:
            group = self.group_at(index)
            return self._group_data(group, index.column(), role) if group else None
        return self._cue_data(cue, index.column(), role)

    def _group_data(self, group: CueGroup, column: int, role: int) -> Any:
        if role == ID_ROLE:
            return group.id
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return group.name
            if column == 7:
                return "locked" if group.locked else ""
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _cue_data(self, cue: Cue, column: int, role: int) -> Any:
        if role == ID_ROLE:
            return cue.id
        if role in (STATE_ROLE, Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole) or (
            role == Qt.ItemDataRole.DisplayRole and column == 0
        ):
            state, problem = self._status(cue)
            if role == STATE_ROLE:
                return state
            if role == Qt.ItemDataRole.ToolTipRole:
                return problem or cue.notes or None
            if role == Qt.ItemDataRole.BackgroundRole:
                colour = STATE_COLOURS.get(state)
                if colour is None:
                    return None
                if column != 0:
                    colour = QColor(colour)
                    colour.setAlpha(70)
                return QBrush(colour)
            return STATE_TEXT.get(state, "")
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cue_text(cue, column)
        if role == Qt.ItemDataRole.FontRole and cue.locked:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (1, 6):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _cue_text(self, cue: Cue, column: int) -> str:
        if column == 1:
            return str(self._numbers.get(cue.id, ""))
        if column == 2:
            return cue.title
        if column == 3:
            return cue.graphic
        if column == 4:
            return _binding_text(cue)
        if column == 5:
            out = self._shows.show.output(cue.output)
            return f"{out.name if out else cue.output or '?'} · L{cue.layer}"
        if column == 6:
            left = self._countdown(cue)
            if left is not None:
                return f"⏱ {max(0.0, left):.0f} s"
            return f"{cue.duration_s:g} s" if cue.duration_s else ""
        if column == 7:
            flags = []
            if cue.auto_next:
                flags.append("next")
            if cue.auto_update:
                flags.append("auto-upd")
            if cue.locked:
                flags.append("locked")
            return " ".join(flags)
        return ""

    # ---- drag and drop --------------------------------------------------------------------------
    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not index.isValid():
            return base | Qt.ItemFlag.ItemIsDropEnabled
        cue = self.cue_at(index)
        if cue is None:
            return base | Qt.ItemFlag.ItemIsDropEnabled
        if cue.locked:
            return base
        return base | Qt.ItemFlag.ItemIsDragEnabled | Qt.ItemFlag.ItemIsDropEnabled

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:  # type: ignore[override]
        ids: list[str] = []
        for index in indexes:
            cue = self.cue_at(index)
            if cue is not None and cue.id not in ids:
                ids.append(cue.id)
        mime = QMimeData()
        mime.setData(MIME, "\n".join(ids).encode())
        return mime

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        if not data.hasFormat(MIME):
            return False
        ids = [i for i in bytes(data.data(MIME).data()).decode().split("\n") if i]
        groups = self._groups()
        if not ids or not groups:
            return False
        if not parent.isValid():  # dropped between groups: end of the group before
            g = min(max(row, 1), len(groups)) - 1 if row >= 0 else len(groups) - 1
            group, index = groups[g], len(groups[g].cues)
        elif parent.internalId() == 0:  # onto or inside a group
            group = groups[parent.row()]
            index = row if row >= 0 else len(group.cues)
        else:  # onto a cue: before it
            group = groups[parent.internalId() - 1]
            index = parent.row()
        for offset, cue_id in enumerate(ids):
            self.moveRequested.emit(cue_id, group.id, index + offset)
        return False  # the move happens through the show service; Qt removes nothing
