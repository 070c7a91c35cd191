"""QUndoStack glue: every show edit is a service `Edit`, undone and redone by the service."""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

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
