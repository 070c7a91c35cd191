"""A form generated from a graphic's pydantic data model: one editor per field.

str -> line edit, int/float (optional or not) -> line edit with a validator (blank is None),
bool -> check box, enum -> combo box, list[str] -> line edit separated by ';',
list[model] -> a table with one column per field of the row model. Fields the operator typed
(which win over the bound data) are marked, and can be reset to follow the data again.
"""

from __future__ import annotations

import types
from enum import Enum
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDoubleValidator, QIntValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QWidget,
)

from strapline.views.style import OVERRIDE

SEP = "; "


def _strip_optional(annotation: Any) -> tuple[Any, bool]:
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return annotation, False


def field_kind(annotation: Any) -> tuple[str, Any, bool]:
    """("str"|"int"|"float"|"bool"|"enum"|"list_str"|"rows", inner type, optional)."""
    inner, optional = _strip_optional(annotation)
    if get_origin(inner) is list:
        (item,) = get_args(inner) or (str,)
        if isinstance(item, type) and issubclass(item, BaseModel):
            return "rows", item, optional
        return "list_str", item, optional
    if isinstance(inner, type):
        if issubclass(inner, bool):
            return "bool", inner, optional
        if issubclass(inner, Enum):
            return "enum", inner, optional
        if issubclass(inner, int):
            return "int", inner, optional
        if issubclass(inner, float):
            return "float", inner, optional
    return "str", inner, optional


def _to_text(kind: str, value: Any) -> str:
    if value is None:
        return ""
    if kind == "list_str":
        return SEP.join(str(v) for v in value)
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _from_text(kind: str, text: str, optional: bool) -> Any:
    text = text.strip()
    if kind == "list_str":
        return [p.strip() for p in text.split(";") if p.strip()]
    if kind in ("int", "float"):
        if not text:
            return None if optional else 0
        try:
            return int(text) if kind == "int" else float(text.replace(",", "."))
        except ValueError:
            return text  # let the model's validation say what is wrong
    return text


class _RowsTable(QTableWidget):
    """A list of row models as a table; edits come back as a list of dicts."""

    def __init__(self, row_model: type[BaseModel], parent: QWidget | None = None) -> None:
        self.fields = list(row_model.model_fields.items())
        super().__init__(0, len(self.fields), parent)
        self.setHorizontalHeaderLabels([name.replace("_", " ") for name, _ in self.fields])
        self.verticalHeader().setDefaultSectionSize(22)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setMinimumHeight(120)

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.blockSignals(True)
        self.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, (name, info) in enumerate(self.fields):
                kind, _, _ = field_kind(info.annotation)
                value = row.get(name)
                text = _to_text(kind, value) if kind != "bool" else ("yes" if value else "")
                self.setItem(r, c, QTableWidgetItem(text))
        self.resizeColumnsToContents()
        self.blockSignals(False)

    def rows(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for r in range(self.rowCount()):
            row: dict[str, Any] = {}
            for c, (name, info) in enumerate(self.fields):
                item = self.item(r, c)
                text = item.text() if item is not None else ""
                kind, _, optional = field_kind(info.annotation)
                if kind == "bool":
                    row[name] = text.strip().lower() in ("yes", "true", "1", "x")
                elif kind == "rows":
                    continue
                elif kind == "enum" or kind == "str":
                    row[name] = text.strip()
                else:
                    row[name] = _from_text(kind, text, optional)
            out.append(row)
        return out


class SchemaForm(QWidget):
    """Editors for every field of `model`; `fieldEdited(name, value)` when the operator types."""

    fieldEdited = Signal(str, object)
    fieldReset = Signal(str)

    def __init__(self, model: type[BaseModel], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self._editors: dict[str, tuple[str, bool, QWidget, QToolButton]] = {}
        self._loading = False
        layout = QFormLayout(self)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for name, info in model.model_fields.items():
            kind, inner, optional = field_kind(info.annotation)
            editor = self._make_editor(name, kind, inner, optional, info)
            reset = QToolButton(self)
            reset.setText("↺")
            reset.setToolTip("Typed by the operator: click to follow the data again")
            reset.setAutoRaise(True)
            reset.setVisible(False)
            reset.clicked.connect(lambda _c=False, n=name: self.fieldReset.emit(n))
            row = QWidget(self)
            box = QHBoxLayout(row)
            box.setContentsMargins(0, 0, 0, 0)
            box.addWidget(editor, 1)
            box.addWidget(reset, 0, Qt.AlignmentFlag.AlignTop)
            label = QLabel(name.replace("_", " ").capitalize(), self)
            label.setToolTip(info.description or "")
            layout.addRow(label, row)
            self._editors[name] = (kind, optional, editor, reset)

    def _make_editor(
        self, name: str, kind: str, inner: Any, optional: bool, info: FieldInfo
    ) -> QWidget:
        tip = info.description or ""
        if kind == "bool":
            check = QCheckBox(self)
            check.toggled.connect(lambda on: self._emit(name, bool(on)))
            check.setToolTip(tip)
            return check
        if kind == "enum":
            combo = QComboBox(self)
            for member in inner:
                combo.addItem(str(member.value), member.value)
            combo.activated.connect(lambda _i: self._emit(name, combo.currentData()))
            combo.setToolTip(tip)
            return combo
        if kind == "rows":
            table = _RowsTable(inner, self)
            table.itemChanged.connect(lambda _item: self._emit(name, table.rows()))
            table.setToolTip(tip)
            return table
        edit = QLineEdit(self)
        edit.setObjectName(f"field_{name}")
        edit.setToolTip(tip + (" (separate items with ';')" if kind == "list_str" else ""))
        edit.setPlaceholderText("(none)" if optional else "")
        if kind == "int":
            edit.setValidator(QIntValidator(edit))
        elif kind == "float":
            edit.setValidator(QDoubleValidator(edit))
        edit.editingFinished.connect(
            lambda: self._emit(name, _from_text(kind, edit.text(), optional))
        )
        return edit

    def _emit(self, name: str, value: Any) -> None:
        if not self._loading:
            self.fieldEdited.emit(name, value)

    def editor(self, name: str) -> QWidget:
        return self._editors[name][2]

    def set_values(self, values: dict[str, Any], typed: set[str] | None = None) -> None:
        """Show `values`; fields in `typed` are marked as the operator's own."""
        typed = typed or set()
        self._loading = True
        try:
            for name, (kind, _optional, editor, reset) in self._editors.items():
                value = values.get(name)
                if isinstance(editor, QCheckBox):
                    editor.setChecked(bool(value))
                elif isinstance(editor, QComboBox):
                    editor.setCurrentIndex(max(0, editor.findData(value)))
                elif isinstance(editor, _RowsTable):
                    editor.set_rows(list(value or []))
                elif isinstance(editor, QLineEdit) and editor.text() != _to_text(kind, value):
                    editor.setText(_to_text(kind, value))
                mine = name in typed
                reset.setVisible(mine)
                editor.setStyleSheet(
                    f"background: {OVERRIDE.name()};"
                    if mine and not isinstance(editor, QCheckBox)
                    else ""
                )
        finally:
            self._loading = False
