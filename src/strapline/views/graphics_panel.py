"""The graphics panel: pick a graphic and a theme, edit its data in a generated form, see
thumbnails of every graphic for the current selection, and add it to the rundown."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from strapline.domain.graphics import GraphicKind, data_model
from strapline.views.schema_form import SchemaForm

THUMB = QSize(192, 108)


class GraphicsPanel(QWidget):
    kindChosen = Signal(str)
    themeChosen = Signal(str)
    fieldEdited = Signal(str, object)
    fieldReset = Signal(str)
    addToRundownRequested = Signal()
    newGraphicRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("graphicsPanel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)

        self.thumbs = QListWidget(self)
        self.thumbs.setObjectName("thumbnails")
        self.thumbs.setViewMode(QListView.ViewMode.IconMode)
        self.thumbs.setFlow(QListView.Flow.LeftToRight)
        self.thumbs.setWrapping(False)
        self.thumbs.setIconSize(THUMB)
        self.thumbs.setFixedHeight(THUMB.height() + 44)
        self.thumbs.setMovement(QListView.Movement.Static)
        for kind in GraphicKind:
            item = QListWidgetItem(kind.value)
            item.setData(Qt.ItemDataRole.UserRole, kind.value)
            item.setSizeHint(QSize(THUMB.width() + 12, THUMB.height() + 34))
            self.thumbs.addItem(item)
        self.thumbs.itemClicked.connect(
            lambda item: self.kindChosen.emit(item.data(Qt.ItemDataRole.UserRole))
        )
        layout.addWidget(self.thumbs)

        head = QFormLayout()
        self.kind_combo = QComboBox(self)
        self.kind_combo.setObjectName("kindCombo")
        for kind in GraphicKind:
            self.kind_combo.addItem(kind.value, kind.value)
        self.theme_combo = QComboBox(self)
        self.theme_combo.setObjectName("themeCombo")
        self.target_label = QLabel(self)
        self.target_label.setWordWrap(True)
        head.addRow("Editing", self.target_label)
        head.addRow("Graphic", self.kind_combo)
        head.addRow("Theme", self.theme_combo)
        layout.addLayout(head)
        self.kind_combo.activated.connect(
            lambda _i: self.kindChosen.emit(self.kind_combo.currentData())
        )
        self.theme_combo.activated.connect(
            lambda _i: self.themeChosen.emit(self.theme_combo.currentData())
        )

        self.problem = QLabel(self)
        self.problem.setObjectName("errorBanner")
        self.problem.setWordWrap(True)
        self.problem.hide()
        layout.addWidget(self.problem)

        self.stack = QStackedWidget(self)
        self.forms: dict[str, SchemaForm] = {}
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.stack)
        layout.addWidget(scroll, 1)

        buttons = QHBoxLayout()
        self.new_button = QPushButton("New from data", self)
        self.new_button.setToolTip("Stop editing the rundown cue; prepare a new graphic")
        self.add_button = QPushButton("Add to rundown", self)
        self.add_button.setObjectName("addToRundownButton")
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        buttons.addWidget(self.add_button)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self.addToRundownRequested.emit)
        self.new_button.clicked.connect(self.newGraphicRequested.emit)

    def form(self, kind: str) -> SchemaForm:
        form = self.forms.get(kind)
        if form is None:
            form = SchemaForm(data_model(kind), self.stack)
            form.setObjectName(f"form_{kind}")
            form.fieldEdited.connect(self.fieldEdited.emit)
            form.fieldReset.connect(self.fieldReset.emit)
            self.stack.addWidget(form)
            self.forms[kind] = form
        return form

    # ---- setters ------------------------------------------------------------------------------
    def set_themes(self, themes: list[str], show_theme: str) -> None:
        self.theme_combo.clear()
        self.theme_combo.addItem(f"(show theme: {show_theme or 'default'})", "")
        for name in themes:
            self.theme_combo.addItem(name, name)

    def set_graphic(
        self,
        kind: str,
        theme: str,
        values: dict[str, Any],
        typed: set[str],
        problem: str,
        target: str,
    ) -> None:
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(kind)))
        self.theme_combo.setCurrentIndex(max(0, self.theme_combo.findData(theme)))
        form = self.form(kind)
        self.stack.setCurrentWidget(form)
        form.set_values(values, typed)
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        self.target_label.setText(target)
        self.add_button.setText(
            "Add a copy to rundown" if target.startswith("Cue") else "Add to rundown"
        )
        for i in range(self.thumbs.count()):
            item = self.thumbs.item(i)
            item.setSelected(item.data(Qt.ItemDataRole.UserRole) == kind)

    def set_thumbnail(self, kind: str, image: QImage | None, note: str = "") -> None:
        for i in range(self.thumbs.count()):
            item = self.thumbs.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == kind:
                if image is None:
                    pix = QPixmap(THUMB)
                    pix.fill(Qt.GlobalColor.black)
                    item.setIcon(QIcon(pix))
                else:
                    item.setIcon(QIcon(QPixmap.fromImage(image)))
                item.setToolTip(note or kind)
                item.setText(kind if not note else f"{kind} (waiting)")
