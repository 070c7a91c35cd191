"""The data panel: data files, the competition tree, start list / result / standings tables.

Names and nations can be corrected inline: an edit becomes `overrideRequested`, and cells the
operator corrected are drawn in the override colour with the source's spelling in the tooltip.
Rows that changed in the last re-import are highlighted. A race's context menu marks it official or
unofficial (`raceMarkRequested`); a race the operator marked is drawn in the override colour with
the file's own status in the tooltip. A file that failed to re-import shows
its error above the tables while the last good data stays in them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QBrush, QDragEnterEvent, QDropEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from strapline.domain.diagnostics import Diagnostic
from strapline.domain.model import Athlete, Competition, Race, RaceStatus, Team
from strapline.domain.rundown import Override, RaceMark
from strapline.services.data import DataState
from strapline.views.elided import ElidedLabel
from strapline.views.style import CHANGED, OVERRIDE

KIND_ROLE = Qt.ItemDataRole.UserRole + 1  # "event", "race", "standings"
ID_ROLE = Qt.ItemDataRole.UserRole + 2
EVENT_ROLE = Qt.ItemDataRole.UserRole + 3
FIELD_ROLE = Qt.ItemDataRole.UserRole + 4  # the competitor field an editable cell holds
COMPETITOR_ROLE = Qt.ItemDataRole.UserRole + 5

OverrideLookup = Callable[[str, str], Override | None]
MarkLookup = Callable[[str], RaceMark | None]

#: What a race's context menu (and the Edit menu) offers: text, status ("" drops the mark).
MARK_CHOICES = (
    ("Mark race &official", RaceStatus.OFFICIAL.value),
    ("Mark race &unofficial", RaceStatus.UNOFFICIAL.value),
    ("Use the data &file's status", ""),
)


def _name_cells(comp: Athlete | Team) -> list[tuple[str, str | None]]:
    """(text, editable field) for the name, given name and nation columns."""
    if isinstance(comp, Team):
        return [(comp.name, "name"), ("", None), (comp.nation or "", "nation")]
    return [
        (comp.family_name, "family_name"),
        (comp.given_name, "given_name"),
        (comp.nation or "", "nation"),
    ]


class DataPanel(QWidget):
    openRequested = Signal()
    reloadRequested = Signal()
    filesDropped = Signal(list)  # paths
    overrideRequested = Signal(str, str, object, object)  # competitor id, field, value, original
    raceSelected = Signal(str, str)  # event id, race id
    raceMarkRequested = Signal(str, str)  # race id, RaceStatus value ("" drops the mark)
    rowSelected = Signal(str, str, int, str)  # event id, race id, row, competitor id
    standingsSelected = Signal(str, str)  # standings id, competitor id ("" for none)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dataPanel")
        self.setAcceptDrops(True)
        self._competition: Competition | None = None
        self._raw: Competition | None = None
        self._changed: set[tuple[str, str]] = set()
        self._overridden: OverrideLookup = lambda _c, _f: None
        self._marked: MarkLookup = lambda _r: None
        self._current: tuple[str, str, str] = ("", "", "")  # kind, id, event id
        self._filling = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        bar = QHBoxLayout()
        self.open_button = QPushButton("Open data…", self)
        self.open_button.setToolTip(
            "Open start lists, results or standings (CSV, XLSX, ODF XML, LYNX.EVT, JSON)"
        )
        self.reload_button = QPushButton("Re-import", self)
        self.files_label = ElidedLabel("No data: open or drop files here", self)
        self.files_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bar.addWidget(self.open_button)
        bar.addWidget(self.reload_button)
        bar.addWidget(self.files_label, 1)
        layout.addLayout(bar)
        self.open_button.clicked.connect(self.openRequested.emit)
        self.reload_button.clicked.connect(self.reloadRequested.emit)

        self.error_banner = QLabel(self)
        self.error_banner.setObjectName("errorBanner")
        self.error_banner.setWordWrap(True)
        self.error_banner.hide()
        layout.addWidget(self.error_banner)

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("dataFilter")
        self.filter_edit.setPlaceholderText(
            "Filter rows: name, nation, helmet… (Ctrl+F; Esc: rundown)"
        )
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(lambda _t: self._apply_filter())
        layout.addWidget(self.filter_edit)

        split = QSplitter(Qt.Orientation.Vertical, self)
        self.tree_model = QStandardItemModel(self)
        self.tree = QTreeView(split)
        self.tree.setObjectName("competitionTree")
        self.tree.setModel(self.tree_model)
        self.tree.setHeaderHidden(True)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._tree_menu)
        self.table_model = QStandardItemModel(self)
        self.table = QTableView(split)
        self.table.setObjectName("dataTable")
        self.table.setModel(self.table_model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        layout.addWidget(split, 1)

        self.warnings = QListWidget(self)
        self.warnings.setObjectName("warningList")
        self.warnings.setMaximumHeight(90)
        layout.addWidget(self.warnings)

        self.tree.selectionModel().currentChanged.connect(self._on_tree_current)
        self.tree.clicked.connect(self._on_tree_clicked)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_row)
        self.table_model.itemChanged.connect(self._on_item_changed)

    # ---- setters ------------------------------------------------------------------------------
    def set_override_lookup(self, lookup: OverrideLookup) -> None:
        self._overridden = lookup

    def set_mark_lookup(self, lookup: MarkLookup) -> None:
        self._marked = lookup

    def set_sources(self, paths: list[str], built_in: str = "", demo: bool = False) -> None:
        """The data files shown above the tree; `built_in` names data that came with no file."""
        names = ", ".join(Path(p).name for p in paths)
        if built_in:
            given = f"{'Demo data (invented times)' if demo else 'Built-in data'}: {built_in}"
            names = f"{given} + {names}" if names else given
        self.files_label.setText(names or "No data: open or drop files here")
        self.files_label.setToolTip("\n".join([names, *paths]))

    def set_state(self, state: DataState) -> None:
        self._competition = state.competition
        self._raw = state.raw
        self._changed = set(state.changed)
        if state.error is not None:
            self.error_banner.setText(
                f"Re-import failed, showing the last good data. {state.error}"
            )
            self.error_banner.show()
        else:
            self.error_banner.hide()
        self._fill_warnings(state.warnings, state.error)
        self._fill_tree()
        self._fill_table()

    def _fill_warnings(self, warnings: list[Diagnostic], error: Diagnostic | None) -> None:
        self.warnings.clear()
        if error is not None:
            self.warnings.addItem(f"ERROR {error}")
        for w in warnings:
            self.warnings.addItem(str(w))
        self.warnings.setVisible(self.warnings.count() > 0)

    def _fill_tree(self) -> None:
        self.tree_model.clear()
        comp = self._competition
        if comp is None:
            return
        root = QStandardItem(comp.name or comp.id)
        root.setData("competition", KIND_ROLE)
        for event in comp.events:
            ev = QStandardItem(event.name)
            ev.setData("event", KIND_ROLE)
            ev.setData(event.id, ID_ROLE)
            ev.setData(event.id, EVENT_ROLE)
            for race in event.races:
                item = QStandardItem(f"{race.label}  ·  {race.status.value.replace('_', ' ')}")
                item.setData("race", KIND_ROLE)
                item.setData(race.id, ID_ROLE)
                item.setData(event.id, EVENT_ROLE)
                self._show_mark(item, race)
                ev.appendRow(item)
            root.appendRow(ev)
        if comp.standings:
            st = QStandardItem("Standings")
            st.setData("group", KIND_ROLE)
            for table in comp.standings:
                item = QStandardItem(table.title)
                item.setData("standings", KIND_ROLE)
                item.setData(table.id, ID_ROLE)
                st.appendRow(item)
            root.appendRow(st)
        self.tree_model.appendRow(root)
        self.tree.expandToDepth(1)
        kind, ident, _ = self._current
        if ident:
            found = self._find_tree_item(kind, ident)
            if found is not None:
                self.tree.setCurrentIndex(found.index())

    def _show_mark(self, item: QStandardItem, race: Race) -> None:
        """A race the operator marked: the override colour, and what the file says."""
        if self._marked(race.id) is None:
            return
        raw = self._raw.races() if self._raw is not None else []
        said = next((r.status for _, r in raw if r.id == race.id), None)
        item.setText(item.text() + "  (marked)")
        item.setBackground(QBrush(OVERRIDE))
        item.setToolTip(
            f"Marked {race.status.value} by the operator"
            + (f"; the data file says {said.value}" if said is not None else "")
            + ". Right-click: use the data file's status."
        )

    def current_race(self) -> str:
        """The id of the race picked in the tree ("" when the pick is not a race)."""
        kind, ident, _ = self._current
        return ident if kind == "race" else ""

    def _tree_menu(self, pos: QPoint) -> None:
        index = self.tree.indexAt(pos)
        if index.data(KIND_ROLE) != "race":
            return
        race_id = index.data(ID_ROLE) or ""
        menu = QMenu(self.tree)
        for text, status in MARK_CHOICES:
            action = menu.addAction(text)
            action.setEnabled(bool(status) or self._marked(race_id) is not None)
            action.triggered.connect(
                lambda _c=False, s=status: self.raceMarkRequested.emit(race_id, s)
            )
        menu.popup(self.tree.viewport().mapToGlobal(pos))  # not exec(): nothing modal on air

    def _find_tree_item(self, kind: str, ident: str) -> QStandardItem | None:
        stack = [self.tree_model.item(r) for r in range(self.tree_model.rowCount())]
        while stack:
            item = stack.pop()
            if item.data(KIND_ROLE) == kind and item.data(ID_ROLE) == ident:
                return item
            stack.extend(item.child(r) for r in range(item.rowCount()))
        return None

    def _cell(
        self, text: Any, comp_id: str = "", field: str | None = None, row_key: str = ""
    ) -> QStandardItem:
        item = QStandardItem("" if text is None else str(text))
        item.setEditable(field is not None)
        item.setData(comp_id, COMPETITOR_ROLE)
        if field is not None:
            item.setData(field, FIELD_ROLE)
            ov = self._overridden(comp_id, field)
            if ov is not None:
                item.setBackground(QBrush(OVERRIDE))
                item.setToolTip(f"Corrected by the operator; the source says {ov.original!r}")
                return item
        if (row_key, comp_id) in self._changed:
            item.setBackground(QBrush(CHANGED))
            item.setToolTip("Changed in the last re-import")
        return item

    def _fill_table(self) -> None:
        self._filling = True
        self.table_model.clear()
        kind, ident, event_id = self._current
        comp = self._competition
        try:
            if comp is None or not ident:
                return
            if kind == "race":
                event = comp.event(event_id)
                race = event.race(ident) if event else None
                if race is not None:
                    self._fill_race(race)
            elif kind == "standings":
                table = next((s for s in comp.standings if s.id == ident), None)
                if table is not None:
                    self.table_model.setHorizontalHeaderLabels(
                        ["Rank", "Name", "Given name", "Nation", "Points"]
                    )
                    for st in table.rows:
                        cid = st.competitor.id
                        cells = [self._cell(f"{st.rank}{'=' if st.tie else ''}", cid)]
                        cells += [
                            self._cell(t, cid, f, table.id) for t, f in _name_cells(st.competitor)
                        ]
                        cells.append(self._cell(f"{st.points:g}", cid))
                        self.table_model.appendRow(cells)
        finally:
            self._filling = False
        self.table.resizeColumnsToContents()
        self._apply_filter()

    def _apply_filter(self) -> None:
        """Hide the table's rows that do not hold the filter text (any cell, any case)."""
        words = self.filter_edit.text().casefold().split()
        model = self.table_model
        for row in range(model.rowCount()):
            text = " ".join(
                (model.item(row, c).text() if model.item(row, c) else "")
                for c in range(model.columnCount())
            ).casefold()
            self.table.setRowHidden(row, not all(w in text for w in words))

    def _fill_race(self, race: Race) -> None:
        if race.results:
            self.table_model.setHorizontalHeaderLabels(
                ["Place", "Helmet", "Name", "Given name", "Nation", "Time", "Code", "Qual."]
            )
            for row in race.results:
                cid = row.competitor.id
                place = f"{row.place}{'=' if row.tie else ''}" if row.place else ""
                time = (
                    row.time.display + (row.record.value if row.record else "") if row.time else ""
                )
                codes = [row.status.value] if row.status else []
                code = " ".join(codes + [w.value for w in row.warnings])
                cells = [self._cell(place, cid), self._cell(row.competitor.helmet or "", cid)]
                cells += [self._cell(t, cid, f, race.id) for t, f in _name_cells(row.competitor)]
                cells += [
                    self._cell(time, cid, None, race.id),
                    self._cell(code, cid),
                    self._cell(row.qualification.value if row.qualification else "", cid),
                ]
                self.table_model.appendRow(cells)
        else:
            self.table_model.setHorizontalHeaderLabels(
                ["Start", "Helmet", "Name", "Given name", "Nation"]
            )
            for entry in race.start_list:
                cid = entry.competitor.id
                cells = [
                    self._cell(entry.start_position or "", cid),
                    self._cell(entry.helmet or entry.competitor.helmet or "", cid),
                ]
                cells += [self._cell(t, cid, f, race.id) for t, f in _name_cells(entry.competitor)]
                self.table_model.appendRow(cells)

    def select_race(self, event_id: str, race_id: str) -> None:
        item = self._find_tree_item("race", race_id)
        if item is not None:
            self.tree.setCurrentIndex(item.index())

    # ---- handlers -----------------------------------------------------------------------------
    def _on_tree_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        kind = current.data(KIND_ROLE) or ""
        ident = current.data(ID_ROLE) or ""
        event_id = current.data(EVENT_ROLE) or ""
        self._current = (kind, ident, event_id)
        self._fill_table()
        self._pick(current)

    def _pick(self, index: QModelIndex) -> None:
        """A race or standings table picked: the graphics panel prepares its graphic."""
        kind = index.data(KIND_ROLE) or ""
        ident = index.data(ID_ROLE) or ""
        if kind == "race":
            self.raceSelected.emit(index.data(EVENT_ROLE) or "", ident)
        elif kind == "standings":
            self.standingsSelected.emit(ident, "")

    def _on_tree_clicked(self, index: QModelIndex) -> None:
        # a click on the row that is already current picks it again (after a rundown cue);
        # the graphic editor ignores a pick of what it already shows
        if index == self.tree.currentIndex():
            self._pick(index)

    def _on_table_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        kind, ident, event_id = self._current
        cid = self.table_model.item(current.row(), 0).data(COMPETITOR_ROLE) or ""
        if kind == "race":
            self.rowSelected.emit(event_id, ident, current.row(), cid)
        elif kind == "standings":
            self.standingsSelected.emit(ident, cid)

    def _original(self, comp_id: str, field: str) -> Any:
        """The value as the source spelt it (before any correction)."""
        found: list[Any] = []

        def visit(comp: Athlete | Team) -> None:
            if comp.id == comp_id and hasattr(comp, field) and not found:
                found.append(getattr(comp, field))

        raw = self._raw
        if raw is not None:
            for _, race in raw.races():
                for entry in race.start_list:
                    visit(entry.competitor)
                for row in race.results:
                    visit(row.competitor)
            for table in raw.standings:
                for st in table.rows:
                    visit(st.competitor)
        return found[0] if found else None

    def _on_item_changed(self, item: QStandardItem) -> None:
        if self._filling:
            return
        field = item.data(FIELD_ROLE)
        comp_id = item.data(COMPETITOR_ROLE)
        if not field or not comp_id:
            return
        value: Any = item.text().strip()
        if field == "nation":
            value = value.upper()
        self.overrideRequested.emit(comp_id, field, value, self._original(comp_id, field))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            self.filesDropped.emit(paths)
            event.acceptProposedAction()
