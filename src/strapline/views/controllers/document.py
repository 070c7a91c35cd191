"""The show as a document: new, open, save, the unsaved-changes question, autosave and
recovery. Questions are bars answered later (never a modal dialog); recovery is offered only
after an unclean exit, from one recovery file per show."""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QUndoStack

from strapline.domain.diagnostics import DataError
from strapline.domain.rundown import Show
from strapline.io.showfile import SUFFIX, read_recovery, recovery_path, write_recovery
from strapline.services.show import EditError, ShowService
from strapline.views.operator import Choice, DocumentView, say_error

log = logging.getLogger(__name__)
Recovery = tuple[Path, Show, str | None]  # file, show, the show file it belongs to


class DocumentController:
    def __init__(
        self,
        shows: ShowService,
        undo: QUndoStack,
        view: DocumentView,
        recovery_dir: Path,
        on_file: Callable[[Path], object] = lambda _p: None,
    ) -> None:
        """`on_file` hears of every file opened or saved (the recent files). The owner calls
        `update_title` when the undo stack's index or clean state changes (from bound slots of
        a QObject: a lambda connected here could run while the stack is being deleted)."""
        self.shows = shows
        self.undo = undo
        self.view = view
        self.recovery_dir = recovery_dir
        self.on_file = on_file
        self.closing = False
        self._session = uuid.uuid4().hex[:12]
        self._autosaved_index = -1
        self._recovery_files: set[Path] = set()
        self._recovered_from: Path | None = None

    @property
    def clean(self) -> bool:
        return self.undo.isClean() and not self.shows.dirty

    def update_title(self) -> None:
        path = self.shows.path
        name = path.name if path else self.shows.show.name
        self.view.set_title(f"{'' if self.clean else '•'}{name} — Strapline")

    # ---- new, open, save --------------------------------------------------------------------
    def when_saved(self, proceed: Callable[[], object]) -> None:
        """Run `proceed` now when the show has no unsaved changes; else ask in a bar first
        (Save, then go on; Discard the changes and go on; Cancel). The show goes on meanwhile."""
        if self.clean:
            proceed()
            return

        def save_then() -> None:
            if self.save():
                proceed()

        def discard_then() -> None:
            self.discard_recovery()
            proceed()

        self.view.ask(
            "unsaved",
            "The show has unsaved changes. Save them first?",
            [Choice("&Save", save_then), Choice("&Discard", discard_then), Choice("&Cancel")],
        )

    def new_show(self) -> None:
        self.when_saved(lambda: self.shows.replace(Show(), None))

    def open_show(self, path: Path) -> bool:
        try:
            self.shows.open(path)
        except DataError as exc:
            self.error("Cannot open show", str(exc))
            return False
        self.on_file(path)
        self.undo.setClean()
        return True

    def save(self, ask: bool = False, path: Path | None = None) -> bool:
        target = path or (None if ask else self.shows.path)
        if target is None:
            target = self.view.choose_save_path()
            if target is None:
                return False
        try:
            self.shows.save(target)
        except (OSError, EditError) as exc:
            self.error("Cannot save show", str(exc))
            return False
        self.undo.setClean()
        self.on_file(target)
        self.discard_recovery()
        self.update_title()
        self.view.set_status(f"saved {target}")
        return True

    def request_close(self) -> bool:
        """Whether the window may close now; with unsaved changes it asks in a bar and closes
        the window itself once answered (Save or Discard)."""
        if self.closing or self.clean:
            self.closing = True
            return True

        def close() -> None:
            self.closing = True
            self.view.close_window()

        self.when_saved(close)
        return False

    def error(self, title: str, text: str) -> None:
        """Say what went wrong: the status bar, and a bar to acknowledge (never a dialog)."""
        say_error(self.view, title, text)

    # ---- autosave and recovery --------------------------------------------------------------
    def recovery_file(self) -> Path:
        """This show's recovery file: one per show file (its folder counts: two shows of the
        same name in different folders have one each), one per untitled show of a session."""
        path = self.shows.path
        if path is None:
            key = f"untitled-{self._session}"
        else:
            digest = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:8]
            key = f"{path.stem}-{digest}"
        return recovery_path(self.recovery_dir, key)

    def autosave(self) -> bool:
        """Write the recovery file when the show changed since the last autosave."""
        if self.undo.index() == self._autosaved_index or self.undo.isClean():
            return False
        target = self.recovery_file()
        try:
            write_recovery(self.shows.show, target, self.shows.path)
        except OSError as exc:
            self.view.set_status(f"autosave failed: {exc}", error=True)
            return False
        self._recovery_files.add(target)
        self._autosaved_index = self.undo.index()
        return True

    def discard_recovery(self) -> None:
        """The changes are saved or given up: every recovery file this session wrote (under
        the show's earlier names too, before a Save As) or recovered from goes."""
        for path in {*self._recovery_files, self.recovery_file()}:
            path.unlink(missing_ok=True)
        self._recovery_files.clear()
        if self._recovered_from is not None:
            self._recovered_from.unlink(missing_ok=True)
            self._recovered_from = None
        self._autosaved_index = self.undo.index()

    def pending_recoveries(self) -> list[Path]:
        if not self.recovery_dir.is_dir():
            return []
        return sorted(self.recovery_dir.glob(f"*.recovery{SUFFIX}"))

    def offer_recovery(self, ask: Callable[[Path, str | None], bool] | None = None) -> bool:
        """After a crash: offer each recovery file; restore the first one accepted.

        With `ask`, each file is put to it at once (True: recover); without, each is offered
        in a bar in the window, one after the other, and this returns False."""
        recoveries: list[Recovery] = []
        for rec in self.pending_recoveries():
            try:
                show, of = read_recovery(rec)
            except DataError as exc:
                log.warning("skipping %s", exc)
                continue
            recoveries.append((rec, show, of))
        if ask is None:
            self._offer_next(recoveries)
            return False
        for rec, show, of in recoveries:
            if ask(rec, of):
                self._recover(rec, show, of)
                return True
            rec.unlink(missing_ok=True)
        return False

    def _recover(self, rec: Path, show: Show, of: str | None) -> None:
        self.shows.replace(show, Path(of) if of else None)
        self.shows.dirty = True
        self._recovered_from = rec
        self.update_title()
        self.view.set_status(f"recovered unsaved changes from {rec.name}")

    def _offer_next(self, recoveries: list[Recovery]) -> None:
        if not recoveries:
            return
        (rec, show, of), rest = recoveries[0], recoveries[1:]

        def discard() -> None:
            rec.unlink(missing_ok=True)
            self._offer_next(rest)

        self.view.ask(
            "recovery",
            f"Strapline did not close cleanly. Recover the unsaved changes of "
            f"{of or 'an untitled show'} (autosaved in {rec})?",
            [Choice("&Recover", lambda: self._recover(rec, show, of)), Choice("&Discard", discard)],
        )
