"""QUndoStack glue: every show edit is a service `Edit`, undone and redone by the service."""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from strapline.domain.model import Competition
from strapline.services.data import DataService
from strapline.services.show import Edit, ShowService


class EditCommand(QUndoCommand):
    """Wraps an Edit that is already applied; the first redo() (from push) does nothing."""

    def __init__(self, shows: ShowService, edit: Edit) -> None:
        super().__init__(edit.label)
        self._shows = shows
        self._edit = edit
        self._done = True

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._shows.apply(self._edit)

    def undo(self) -> None:
        self._shows.revert(self._edit)


class ReplaceDataCommand(EditCommand):
    """The show's data files replaced, and the data given with no file (the demo's) dropped;
    undo brings both back."""

    def __init__(
        self, shows: ShowService, data: DataService, edit: Edit, base: Competition
    ) -> None:
        super().__init__(shows, edit)
        self._data = data
        self._base = base

    def redo(self) -> None:
        if not self._done:
            self._data.base = None
        super().redo()

    def undo(self) -> None:
        self._data.base = self._base  # before the files are put back: they add to it again
        super().undo()
