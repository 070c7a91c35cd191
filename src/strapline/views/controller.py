"""Wires the main window to the services: the only place where views and services meet.

Every show edit goes through the ShowService and onto the QUndoStack; playout actions run as
asyncio tasks on the qasync loop; data files are watched and re-imported; the show is autosaved
to a recovery file; program monitors show what the renderers report.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import threading
import uuid
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import ModuleType
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSettings, QStandardPaths, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QImage, QPainter, QUndoStack
from PySide6.QtWidgets import QApplication, QFileDialog

from strapline.domain.diagnostics import DataError
from strapline.domain.graphics import GraphicKind, Playhead, Selection, bind
from strapline.domain.rundown import Action, DataSource, Override, Show, TargetConfig
from strapline.domain.theme import Theme
from strapline.io.showfile import SUFFIX, read_recovery, recovery_path, write_recovery
from strapline.services.data import DataService, DataState, FileWatcher
from strapline.services.eager import start_now
from strapline.services.editor import GraphicEditor
from strapline.services.export import ExportReport, plan_rundown
from strapline.services.outputs import OutputsService, RendererLauncher
from strapline.services.playout import ActionResult, PlayoutService
from strapline.services.show import Edit, EditError, ShowService
from strapline.views.main_window import MainWindow
from strapline.views.preferences import PreferencesDialog
from strapline.views.prompts import Choice
from strapline.views.rundown_model import RundownModel
from strapline.views.transport_keys import TransportKeys
from strapline.views.undo import EditCommand, ReplaceDataCommand

log = logging.getLogger(__name__)
DEFAULT_THEME = "ice"
DATA_FILTER = "Data files (*.csv *.txt *.xlsx *.xml *.json *.evt *.EVT);;All files (*)"
SHOW_FILTER = f"Strapline shows (*{SUFFIX});;All files (*)"
MAX_RECENT = 8
THUMB_SIZE = (384, 216)
EMPTY_PREVIEW = (
    "Nothing to preview yet: pick a cue in the rundown, or a skater, race or standings table "
    "in Data"
)
NOT_IN_RUNDOWN = (
    "NOT IN THE RUNDOWN · prepared from the data: Take sends nothing until you add it "
    "(Add to rundown)"
)


def _same_host(host: str) -> str:
    """A host as a target compares: the names of this machine are one."""
    host = host.strip().lower()
    return "127.0.0.1" if host in ("localhost", "127.0.0.1", "::1") else host


class ThemeUnavailable(ValueError):
    """No theme could be loaded (the named one nor the default)."""


def _render() -> ModuleType:
    """strapline.render (with Qt fonts, painters and numpy), imported on first use."""
    import strapline.render

    return strapline.render


class _FromThread(QObject):
    """What a worker thread reports, as signals of a child of the controller.

    The thread holds this object and never the controller: Python would delete the controller
    on the thread that drops the last reference to it, and a Qt object deleted off the GUI
    thread takes the process down. The child belongs to the controller (Qt deletes it with its
    parent, on the GUI thread); a report after that is dropped."""

    renderLoaded = Signal(str)  # error text ("" when loaded)


class AppController(QObject):
    """Creates the window and connects it to the services it is given."""

    pendingUpdateAsked = Signal(str)  # cue id whose new data waits for the operator
    renderReady = Signal()  # the renderer is loaded: preview, thumbnails and monitors draw
    windowPainted = Signal()  # the window's first paint (only when the renderer is deferred)
    _thumbReady = Signal(int, str, object, str)  # generation, kind, QImage or None, note

    def __init__(
        self,
        shows: ShowService,
        data: DataService,
        playout: PlayoutService,
        outputs: OutputsService | None = None,
        settings: QSettings | None = None,
        recovery_dir: Path | None = None,
        interactive: bool = True,
        defer_render: bool = False,
    ) -> None:
        """With `defer_render`, the renderer (strapline.render, the slowest part to import) is
        loaded in a background thread once the window has first painted, so the window comes
        up and takes keys sooner; the preview, thumbnails and program monitors draw from then
        on (an export asked for earlier loads it at once)."""
        super().__init__()
        self.shows = shows
        self.data = data
        self.playout = playout
        self.outputs = outputs
        self.settings = settings or QSettings("Strapline", "Strapline")
        self.interactive = interactive
        self.recovery_dir = (
            recovery_dir
            or Path(
                QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
                or Path.home() / ".strapline"
            )
            / "recovery"
        )
        self.editor = GraphicEditor(shows, data)
        self.launcher = RendererLauncher()
        self.undo = QUndoStack(self)
        self.model = RundownModel(shows, self._cue_status)
        self.window = MainWindow(self.model, self.undo)
        self.prompts = self.window.prompts
        self.preferences_dialog: PreferencesDialog | None = None
        # transport keys act while a file dialog is open; Escape in a text field: the rundown
        self.transport_keys = TransportKeys(
            self.window,
            lambda: self.shows.show.hotkeys,
            self.request,
            self.window.rundown.tree.setFocus,
        )
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.transport_keys)
        self.watcher = FileWatcher(self._on_files_changed)
        self._tasks: set[asyncio.Task[Any]] = set()
        self._themes: dict[str, Theme] = {}
        # the preview's last still: kind, theme, size, data, image
        self._still: tuple[str, Theme, tuple[int, int], dict[str, Any], QImage] | None = None
        self._render_loaded = not defer_render
        self._render_loading = False
        self._render_error = ""
        self._from_thread = _FromThread(self)
        self._from_thread.renderLoaded.connect(self._on_render_loaded)
        self._thumb_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="thumbnails")
        self._thumb_generation = 0
        self._thumbReady.connect(self._on_thumbnail)
        self._autosaved_index = -1
        self._session = uuid.uuid4().hex[:12]
        self._recovery_files: set[Path] = set()
        self._recovered_from: Path | None = None
        self._closing = False
        self.safe_area_default = bool(self.settings.value("preview/safe_area", False, bool))
        self.thumbs_timer = QTimer(self)  # thumbnails are drawn once the window is up
        self.thumbs_timer.setSingleShot(True)
        self.thumbs_timer.setInterval(0)
        self.thumbs_timer.timeout.connect(self._refresh_thumbnails)
        self._wire()
        self._on_show_changed("show")
        self._on_data_changed(data.state)
        self._refresh_recent()
        self.window.restore_layout(self.settings)
        self.window.preview.set_safe_area_visible(self.safe_area_default)

        self.autosave_timer = QTimer(self)
        self.autosave_timer.setInterval(5000)
        self.autosave_timer.timeout.connect(self.autosave)
        self.autosave_timer.start()
        self.health_timer = QTimer(self)
        self.health_timer.setInterval(250)
        self.health_timer.timeout.connect(self._on_health_tick)
        self.health_timer.start()
        self._ticks = 0
        self._online: frozenset[tuple[str, str]] = frozenset()
        if defer_render:
            self.window.installEventFilter(self)  # until its first paint

    # ---- the renderer, loaded after the window is up ------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # the window's first UpdateRequest is its first paint: then load the renderer
        if watched is self.window and event.type() == QEvent.Type.UpdateRequest:
            self.window.removeEventFilter(self)
            QTimer.singleShot(0, self.load_render_in_background)
            QTimer.singleShot(0, self.windowPainted.emit)
        return False

    @property
    def render_loaded(self) -> bool:
        return self._render_loaded

    def load_render_in_background(self) -> None:
        """Import strapline.render in a thread; `renderReady` follows on the GUI thread."""
        if self._render_loaded or self._render_loading:
            return
        self._render_loading = True
        report = self._from_thread  # the thread holds this, never `self` (see _FromThread)

        def work() -> None:
            error = ""
            try:
                _render()
            except Exception as exc:  # reported on the status bar; the app keeps running
                log.exception("cannot load the renderer")
                error = str(exc) or type(exc).__name__
            with contextlib.suppress(RuntimeError):  # the controller is already gone
                report.renderLoaded.emit(error)

        threading.Thread(target=work, name="load-renderer", daemon=True).start()

    def _ensure_render(self) -> ModuleType:
        """strapline.render now (an export needs it at once), finishing the deferred start."""
        module = _render()
        if not self._render_loaded:
            self._on_render_loaded("")
        return module

    def _on_render_loaded(self, error: str) -> None:
        if self._render_loaded:
            return
        self._render_loading = False
        if error:
            self._render_error = f"The preview cannot start: {error}"
            self.window.set_status(self._render_error, error=True)
            self.window.preview.refresh()  # says so
            return
        self._render_loaded = True
        show = self.shows.show
        names = self._theme_names()
        self.window.rundown.set_choices([k.value for k in GraphicKind], names, show.outputs)
        self.window.graphics.set_themes(names, show.theme)
        self._refresh_graphic()  # timing and the preview's first frame
        self._refresh_program()
        self.thumbs_timer.start()
        self.renderReady.emit()

    # ---- wiring -------------------------------------------------------------------------------
    def _wire(self) -> None:
        w = self.window
        self.shows.changed.connect(self._on_show_changed)
        self.data.changed.connect(self._on_data_changed)
        self.editor.changed.connect(self._refresh_graphic)
        self.playout.tally_changed.connect(self._on_tally)
        self.playout.message.connect(lambda level, text: w.set_status(text, error=level == "error"))
        self.playout.pending_update.connect(self._on_pending_update)
        self.playout.selection_changed.connect(lambda cue_id: w.rundown.select_cue(cue_id))
        # bound slots of this QObject: Qt drops them before the stack (a child) is deleted
        self.undo.cleanChanged.connect(self._on_undo_clean)
        self.undo.indexChanged.connect(self._on_undo_index)

        w.playoutRequested.connect(self.request)
        w.closeRequested.connect(self._on_close)
        a = w.actions_
        a["new"].triggered.connect(self.new_show)
        a["open"].triggered.connect(self._ask_open)
        a["save"].triggered.connect(lambda: self.save())
        a["save_as"].triggered.connect(lambda: self.save(ask=True))
        a["import"].triggered.connect(lambda: self._ask_import())
        a["import_replace"].triggered.connect(lambda: self._ask_import(replace=True))
        a["export_png"].triggered.connect(self._ask_export_png)
        a["export_rundown"].triggered.connect(self._ask_export_rundown)
        a["quit"].triggered.connect(w.close)
        a["preferences"].triggered.connect(self.open_preferences)
        a["launch_renderer"].triggered.connect(
            lambda: self.launch_renderer(w.outputs.port_spin.value())
        )

        r = w.rundown
        r.cueSelected.connect(self._on_cue_selected)
        r.addGroupRequested.connect(lambda: self._guard(lambda: self.shows.add_group("Group")))
        r.duplicateRequested.connect(lambda cid: self._guard(lambda: self.shows.duplicate_cue(cid)))
        r.lockRequested.connect(lambda cid, on: self._guard(lambda: self.shows.set_locked(cid, on)))
        r.deleteRequested.connect(lambda ids: self._guard(lambda: self.shows.remove_cues(ids)))
        r.cueEdited.connect(
            lambda cid, fields: self._guard(lambda: self.shows.update_cue(cid, **fields))
        )
        self.model.moveRequested.connect(
            lambda cid, gid, i: self._guard(lambda: self.shows.move_cue(cid, gid, i))
        )

        d = w.data
        d.set_override_lookup(self.data.overridden)
        d.openRequested.connect(lambda: self._ask_import())
        d.reloadRequested.connect(self.reload_data)
        d.filesDropped.connect(self.import_files)
        d.overrideRequested.connect(self.correct)
        d.rowSelected.connect(self.editor.pick_row)
        d.raceSelected.connect(self.editor.pick_race)
        d.standingsSelected.connect(self.editor.pick_standings)

        g = w.graphics
        g.kindChosen.connect(lambda kind: self._guard(lambda: self.editor.set_kind(kind)))
        g.themeChosen.connect(lambda theme: self._guard(lambda: self.editor.set_theme(theme)))
        g.fieldEdited.connect(
            lambda name, value: self._guard(lambda: self.editor.set_field(name, value))
        )
        g.fieldReset.connect(lambda name: self._guard(lambda: self.editor.reset_field(name)))
        g.addToRundownRequested.connect(self.add_to_rundown)
        g.newGraphicRequested.connect(lambda: self.editor.edit_cue(None))

        w.preview.exportPngRequested.connect(self._ask_export_png)
        w.preview.set_renderer(self.render_preview)
        w.outputs.launchRendererRequested.connect(self.launch_renderer)
        w.outputs.targetAdded.connect(self._add_target)
        w.outputs.targetRemoved.connect(self._remove_target)

    def push(self, edit: Edit | None) -> None:
        """Put a done edit on the undo stack (no-op for None)."""
        if isinstance(edit, Edit):
            self.undo.push(EditCommand(self.shows, edit))

    def _guard(self, fn: Callable[[], Edit | None]) -> None:
        try:
            self.push(fn())
        except (EditError, ValueError) as exc:
            self.window.set_status(str(exc), error=True)

    # ---- playout --------------------------------------------------------------------------------
    def spawn(self, coro: Coroutine[Any, Any, Any], now: bool = False) -> asyncio.Task[Any]:
        """Run `coro` as a task; with `now`, its first step runs here (see services.eager)."""
        if now:
            try:
                task = start_now(coro)
            except RuntimeError:  # no running loop yet: the task starts when it runs
                task = asyncio.ensure_future(coro)
        else:
            task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            exc = task.exception()
            log.error("action failed", exc_info=exc)
            self.window.set_status(f"action failed: {exc}", error=True)

    def request(self, action: str) -> asyncio.Task[ActionResult] | None:
        """Run a playout action (a hotkey, a button, a menu item) as an asyncio task, started
        in this slot: its OSC datagram leaves before the slot returns (the wait for the
        renderer's acknowledgement goes on in the task)."""
        act = Action(action)
        svc = self.playout
        if act in (Action.CUE, Action.TAKE) and svc.selected is None:
            self.window.set_status(
                "Nothing to take: the preview is not in the rundown. Add it (Add to rundown) "
                "or pick a cue.",
                error=True,
            )
            return None
        if act is Action.CUE:
            return self.spawn(svc.cue(), now=True)
        if act is Action.TAKE:
            return self.spawn(svc.take(), now=True)
        if act is Action.NEXT:
            return self.spawn(svc.next(), now=True)
        if act is Action.OUT:
            return self.spawn(svc.out(), now=True)
        if act is Action.UPDATE:
            return self.spawn(svc.update(), now=True)
        if act is Action.CLEAR:
            return self.spawn(svc.clear(), now=True)
        return self.spawn(svc.panic(), now=True)

    def _cue_status(self, cue: Any) -> tuple[str, str]:
        state = self.playout.state_of(cue.id)
        problem = "" if state in ("on-air", "cued", "ready") else self.playout.resolve(cue).problem
        if state == "pending":
            problem = "New data has arrived: press Update to put it on air"
        return state, problem

    def _on_cue_selected(self, cue_id: str) -> None:
        self.playout.select(cue_id or None)
        if cue_id:
            self.editor.edit_cue(cue_id)

    def _on_tally(self) -> None:
        self.model.refresh_states()
        self._dismiss_answered_updates()
        self._refresh_tally_label()
        self._refresh_program()
        if self.outputs is not None:
            with contextlib.suppress(RuntimeError):  # no running loop: no state to ask for
                self.spawn(self._ask_states())

    def _refresh_tally_label(self) -> None:
        """The status bar's tally: what the renderers acknowledged, unless none is online."""
        on_air = []
        for cid in self.playout.on_air_cues():
            cue = self.shows.show.rundown.cue(cid)
            on_air.append(cue.title if cue else cid)
        unconfirmed = self.outputs is not None and not any(
            s.online for s in self.outputs.statuses()
        )
        if on_air and unconfirmed:
            self.window.set_tally(f"NO RENDERER ONLINE (last taken: {', '.join(on_air)})", False)
        else:
            self.window.set_tally(
                f"ON AIR: {', '.join(on_air)}" if on_air else "nothing on air", bool(on_air)
            )

    async def _ask_states(self) -> None:
        """Ask the renderers what they show, then redraw the program monitors from it."""
        assert self.outputs is not None
        await self.outputs.request_states()
        self._refresh_program()

    def _on_pending_update(self, cue_id: str) -> None:
        self.model.refresh_states()
        cue = self.shows.show.rundown.cue(cue_id)
        title = cue.title if cue else cue_id
        self.window.set_status(f"New data for on-air {title}: press Update to air it")
        self.prompts.ask(
            f"update:{cue_id}",
            f"New data for “{title}”, now on air. Update air now?",
            [
                Choice("&Update air", lambda: self.spawn(self.playout.update(cue_id))),
                Choice("&Keep air as it is", lambda: self.playout.dismiss_update(cue_id)),
            ],
        )
        self.pendingUpdateAsked.emit(cue_id)

    def _dismiss_answered_updates(self) -> None:
        """A question about new data goes once that data is on air or declined."""
        for key in [k for k in self.prompts.bars if k.startswith("update:")]:
            if self.playout.state_of(key.removeprefix("update:")) != "pending":
                self.prompts.dismiss(key)

    # ---- show -----------------------------------------------------------------------------------
    def _on_show_changed(self, part: str) -> None:
        show = self.shows.show
        if part in ("show", "outputs"):
            w = self.window
            w.rundown.set_choices([k.value for k in GraphicKind], self._theme_names(), show.outputs)
            w.program.set_outputs([(o.id, o.name, o.size) for o in show.outputs])
            if show.outputs:
                w.preview.set_output_size(show.outputs[0].size)
            if self.outputs is not None:
                self.outputs.retain(show.outputs)
                self._open_outputs()
        if part in ("show", "theme"):
            self.window.graphics.set_themes(self._theme_names(), show.theme)
        if part in ("show", "hotkeys"):
            self.window.set_hotkeys(show.hotkeys)
        if part in ("show", "overrides"):
            self.data.set_overrides(show.overrides)
        if part in ("show", "data"):
            self._load_sources(show.data)
        if part == "show":
            self.undo.clear()
            self.editor.edit_cue(None)
        self._update_title()
        self._refresh_graphic()

    def _theme_names(self) -> list[str]:
        """The themes to offer (until the renderer is loaded: the show's own theme)."""
        if self._render_loaded:
            names: list[str] = _render().available_themes()
            return names
        return [self.shows.show.theme or DEFAULT_THEME]

    def _on_undo_clean(self, _clean: bool) -> None:
        self._update_title()

    def _on_undo_index(self, _index: int) -> None:
        self._update_title()

    def _update_title(self) -> None:
        path = self.shows.path
        name = path.name if path else self.shows.show.name
        dirty = "•" if not self.undo.isClean() or self.shows.dirty else ""
        self.window.setWindowTitle(f"{dirty}{name} — Strapline")

    def new_show(self) -> None:
        self.when_saved(lambda: self.shows.replace(Show(), None))

    def open_show(self, path: Path) -> bool:
        try:
            self.shows.open(path)
        except DataError as exc:
            self._error("Cannot open show", str(exc))
            return False
        self._add_recent(path)
        self.undo.setClean()
        return True

    def _ask_open(self) -> None:
        def choose() -> None:
            name, _ = QFileDialog.getOpenFileName(self.window, "Open show", "", SHOW_FILTER)
            if name:
                self.open_show(Path(name))

        self.when_saved(choose)

    def save(self, ask: bool = False, path: Path | None = None) -> bool:
        target = path or (None if ask else self.shows.path)
        if target is None:
            if not self.interactive:
                return False
            name, _ = QFileDialog.getSaveFileName(self.window, "Save show", "", SHOW_FILTER)
            if not name:
                return False
            target = Path(name if name.endswith(SUFFIX) else name + SUFFIX)
        try:
            self.shows.save(target)
        except (OSError, EditError) as exc:
            self._error("Cannot save show", str(exc))
            return False
        self.undo.setClean()
        self._add_recent(target)
        self._discard_recovery()
        self._update_title()
        self.window.set_status(f"saved {target}")
        return True

    def when_saved(self, proceed: Callable[[], object]) -> None:
        """Run `proceed` now when the show has no unsaved changes; else ask in a bar first
        (Save, then go on; Discard the changes and go on; Cancel). The show goes on meanwhile."""
        if self.undo.isClean() and not self.shows.dirty:
            proceed()
            return

        def save_then() -> None:
            if self.save():
                proceed()

        def discard_then() -> None:
            self._discard_recovery()
            proceed()

        self.prompts.ask(
            "unsaved",
            "The show has unsaved changes. Save them first?",
            [Choice("&Save", save_then), Choice("&Discard", discard_then), Choice("&Cancel")],
        )

    # recent files
    def recent(self) -> list[str]:
        value = self.settings.value("recent", [])
        if isinstance(value, str):
            items: list[object] = [value]
        elif isinstance(value, list | tuple):
            items = list(value)
        else:
            items = []
        return [str(v) for v in items if v]

    def _add_recent(self, path: Path) -> None:
        items = [str(path)] + [p for p in self.recent() if p != str(path)]
        self.settings.setValue("recent", items[:MAX_RECENT])
        self._refresh_recent()

    def _refresh_recent(self) -> None:
        menu = self.window.recent_menu
        menu.clear()
        for p in self.recent():
            act = menu.addAction(p)
            act.triggered.connect(
                lambda _c=False, p=p: self.when_saved(lambda: self.open_show(Path(p)))
            )
        menu.setEnabled(bool(self.recent()))

    # autosave and recovery
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
            self.window.set_status(f"autosave failed: {exc}", error=True)
            return False
        self._recovery_files.add(target)
        self._autosaved_index = self.undo.index()
        return True

    def _discard_recovery(self) -> None:
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
        recoveries: list[tuple[Path, Show, str | None]] = []
        for rec in self.pending_recoveries():
            try:
                show, of = read_recovery(rec)
            except DataError as exc:
                log.warning("skipping %s", exc)
                continue
            recoveries.append((rec, show, of))
        if ask is None:
            self._offer_next_recovery(recoveries)
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
        self._update_title()
        self.window.set_status(f"recovered unsaved changes from {rec.name}")

    def _offer_next_recovery(self, recoveries: list[tuple[Path, Show, str | None]]) -> None:
        if not recoveries:
            return
        (rec, show, of), rest = recoveries[0], recoveries[1:]

        def discard() -> None:
            rec.unlink(missing_ok=True)
            self._offer_next_recovery(rest)

        self.prompts.ask(
            "recovery",
            f"Strapline did not close cleanly. Recover the unsaved changes of "
            f"{of or 'an untitled show'} (autosaved in {rec})?",
            [Choice("&Recover", lambda: self._recover(rec, show, of)), Choice("&Discard", discard)],
        )

    # ---- data -----------------------------------------------------------------------------------
    def _load_sources(self, sources: list[DataSource]) -> None:
        base = self.data.base  # data given with no file (the demo): files add to it
        self.window.data.set_sources(
            [s.path for s in sources],
            built_in=(base.name or "competition") if base is not None else "",
            demo=base.demo if base is not None else False,
        )
        if sources or self.data.sources:
            self.data.load(sources)
        self.watcher.watch([Path(s.path) for s in sources if s.watch])
        if sources:
            with contextlib.suppress(RuntimeError):  # no running loop: no watching
                self.watcher.start()

    def _on_files_changed(self) -> None:
        state = self.data.reload()
        if state.error is not None:
            self.window.set_status(f"re-import failed, last good data kept: {state.error}", True)
        else:
            self.window.set_status(f"re-imported; {len(state.changed)} rows changed")

    def reload_data(self) -> None:
        self._on_files_changed()

    def import_files(self, paths: list[str], replace: bool = False) -> None:
        """Add files to the show's data, or with `replace` put them in place of all of it
        (the files, and data given with no file such as the demo's). One undoable edit that
        undo restores exactly; a bad file changes nothing."""
        new = [DataSource(path=str(Path(p).resolve())) for p in paths]
        if replace:
            sources = new
        else:
            known = {s.path for s in self.shows.show.data}
            sources = list(self.shows.show.data) + [s for s in new if s.path not in known]
        probe = DataService(self.data._loader)
        state = probe.load(sources)
        if state.error is not None:
            self._error("Cannot import", str(state.error))
            return
        if replace and self.data.base is not None:
            base = self.data.base
            self.data.base = None  # before the edit: the files are loaded alone
            edit = self.shows.set_data_sources(sources)
            self.undo.push(ReplaceDataCommand(self.shows, self.data, edit, base))
            return
        self.push(self.shows.set_data_sources(sources))

    def _ask_import(self, replace: bool = False) -> None:
        title = "Replace the show's data with" if replace else "Import data"
        names, _ = QFileDialog.getOpenFileNames(self.window, title, "", DATA_FILTER)
        if names:
            self.import_files(names, replace=replace)

    def correct(self, competitor_id: str, field: str, value: Any, original: Any) -> None:
        """The operator corrected a cell: keep it as an override (undoable)."""
        if value == original or value in ("", None):
            if self.data.overridden(competitor_id, field) is not None:
                self._guard(lambda: self.shows.remove_override(competitor_id, field))
            else:
                self._on_data_changed(self.data.state)
            return
        if field == "helmet":
            try:
                value = int(value)
            except ValueError:
                self.window.set_status(f"helmet {value!r} is not a number", error=True)
                self._on_data_changed(self.data.state)
                return
        self._guard(
            lambda: self.shows.set_override(
                Override.model_validate(
                    {
                        "competitor_id": competitor_id,
                        "field": field,
                        "value": value,
                        "original": original,
                    }
                )
            )
        )

    def _on_data_changed(self, state: DataState) -> None:
        self.window.data.set_state(state)
        self.model.refresh_states()
        self._refresh_graphic()
        if state.error is None:
            self.thumbs_timer.start()

    # ---- graphics, preview, thumbnails ----------------------------------------------------------
    def theme(self, name: str) -> Theme:
        """The named theme (the show's, or the default); ThemeUnavailable when none loads."""
        name = name or self.shows.show.theme or DEFAULT_THEME
        theme = self._themes.get(name)
        if theme is None:
            try:
                theme = _render().load_theme(name)
            except DataError as exc:
                self.window.set_status(f"theme {name!r}: {exc}", True)
                if name == DEFAULT_THEME:
                    raise ThemeUnavailable(f"theme {name!r}: {exc}") from None
                return self.theme(DEFAULT_THEME)
            self._themes[name] = theme
        return theme

    def _preview_is_empty(self) -> bool:
        """Nothing picked yet: a scratch graphic bound to nothing, with nothing typed."""
        cue = self.editor.cue
        return (
            not self.editor.editing_cue
            and (cue.binding is None or cue.binding.is_empty)
            and (not cue.data)
        )

    def _refresh_graphic(self) -> None:
        cue = self.editor.cue
        editing = self.editor.editing_cue
        if not editing and self.playout.selected is not None:
            # the preview shows what Take sends: a graphic prepared from the data is not in
            # the rundown, so no rundown cue stays selected for Take behind its back
            self.playout.select(None)
        res = self.editor.resolved()
        values = res.data or dict(cue.data)
        number = [c.id for c in self.shows.show.rundown.cues()].index(cue.id) + 1 if editing else 0
        target = (
            f"Cue #{number}: {cue.title}" if editing else "New graphic (from the data selection)"
        )
        empty = self._preview_is_empty()
        self.window.graphics.set_graphic(
            cue.graphic, cue.theme, values, set(cue.data), "" if empty else res.problem, target
        )
        if editing:
            self.window.preview.set_source(f"CUE #{number} · {cue.title} · Take sends this", True)
        elif empty:
            self.window.preview.set_source("Nothing prepared", False)
        else:
            self.window.preview.set_source(NOT_IN_RUNDOWN, False)
        if not self._render_loaded:
            self.window.preview.refresh()  # says it is on its way
            return
        try:
            theme = self.theme(self.editor.theme())
        except ThemeUnavailable:
            pass  # the preview says why
        else:
            a = theme.animation
            self.window.preview.set_timing(
                a.in_, a.out, (theme.safe_area.action, theme.safe_area.graphics)
            )
        self.window.preview.refresh()

    def render_preview(
        self, head: Playhead | None, size: tuple[int, int]
    ) -> Callable[[], QImage] | None:
        """On the GUI thread: snapshot the graphic; the returned job draws it anywhere."""
        if not self._render_loaded:
            raise ValueError(self._render_error or "Preparing the preview…")
        if self._preview_is_empty():
            raise ValueError(EMPTY_PREVIEW)
        res = self.editor.resolved()
        if res.data is None:
            raise ValueError(res.problem or "no data")
        kind, data = self.editor.cue.graphic, res.data
        theme = self.theme(self.editor.theme())  # loads (and registers fonts) here
        render_graphic = _render().render_graphic
        if head is not None:
            return lambda: render_graphic(kind, data, theme, size, head)
        # the still (the hold, most of the animated timeline) is drawn once, not every tick:
        # the preview thread then leaves the GUI thread the GIL while an operator takes
        still = self._still
        if (
            still is not None
            and still[0] == kind
            and still[1] is theme
            and still[2] == size
            and still[3] == data
        ):
            image = still[4]
            return lambda: image

        def draw() -> QImage:
            image: QImage = render_graphic(kind, data, theme, size, None)
            self._still = (kind, theme, size, data, image)
            return image

        return draw

    def _refresh_thumbnails(self) -> None:
        """Bind every kind here; draw them in the thumbnail thread (they arrive one by one)."""
        if not self._render_loaded:
            return  # drawn once the renderer is loaded
        self._thumb_generation += 1
        comp = self.data.competition
        b = self.editor.cue.binding
        sel = Selection(**b.model_dump()) if b is not None else Selection()
        try:
            theme = self.theme(self.editor.theme())
        except ThemeUnavailable as exc:
            for kind in GraphicKind:
                self.window.graphics.set_thumbnail(kind.value, None, str(exc))
            return
        jobs: list[tuple[str, Any]] = []
        for kind in GraphicKind:
            if comp is None:
                self.window.graphics.set_thumbnail(kind.value, None, "no data loaded")
                continue
            try:
                jobs.append((kind.value, bind(kind.value, comp, sel)))
            except ValueError as exc:
                self.window.graphics.set_thumbnail(kind.value, None, str(exc))
        if jobs:
            with contextlib.suppress(RuntimeError):  # shut down: the window is closing
                self._thumb_pool.submit(self._draw_thumbnails, self._thumb_generation, jobs, theme)

    def _draw_thumbnails(self, generation: int, jobs: list[tuple[str, Any]], theme: Theme) -> None:
        """In the thumbnail thread; stops early when newer thumbnails were asked for."""
        render_graphic = _render().render_graphic
        for kind, data in jobs:
            if generation != self._thumb_generation:
                return
            try:
                image = render_graphic(kind, data, theme, THUMB_SIZE, background="theme")
                note = ""
            except ValueError as exc:
                image, note = None, str(exc)
            with contextlib.suppress(RuntimeError):  # the controller is already gone
                self._thumbReady.emit(generation, kind, image, note)

    def _on_thumbnail(self, generation: int, kind: str, image: QImage | None, note: str) -> None:
        if generation == self._thumb_generation:
            self.window.graphics.set_thumbnail(kind, image, note)

    def add_to_rundown(self) -> None:
        cue = self.editor.new_cue()
        rundown = self.shows.show.rundown
        if not rundown.groups:
            self.push(self.shows.add_group("Rundown"))
        sel = self.playout.selected
        group_id, index = None, None
        if sel:
            found = rundown.find(sel)
            if found is not None:
                group_id, index = found[0].id, found[1] + 1
        self._guard(lambda: self.shows.add_cue(cue, group_id, index))
        self.window.rundown.select_cue(cue.id)

    # ---- program, outputs -----------------------------------------------------------------------
    def _on_health_tick(self) -> None:
        if self.outputs is None:
            return
        self._ticks += 1
        code = self.launcher.exited()
        if code is not None:
            text = f"The local renderer stopped (exit code {code}): its window and air are gone"
            self.window.outputs.show_error(text)
            self._error("Local renderer", text)
        statuses = self.outputs.sample()
        self.window.outputs.set_statuses(statuses)
        online = frozenset((s.output, s.target) for s in statuses if s.online)
        if online != self._online:  # a renderer came or went: Program says so at once
            self._online = online
            self._refresh_program()
            self._refresh_tally_label()
        if self._ticks % 2 == 0:
            self.window.outputs.set_history(dict(self.outputs.history))
        if self._ticks % 4 == 0:
            with contextlib.suppress(RuntimeError):
                self.spawn(self._ask_states())

    def _open_outputs(self) -> None:
        """The outputs' playouts for the targets as they are now, and the table at once (an
        added or removed target shows without waiting for a take)."""
        if self.outputs is None:
            return
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return  # made when the loop runs (the app opens them once the window is up)
        self.playout.playouts()
        self.window.outputs.set_statuses(self.outputs.statuses())

    def _refresh_program(self) -> None:
        """Each output's monitor: what its online renderers report; with none online, it says
        so and never ON AIR (the app does not know what air shows)."""
        for out in self.shows.show.outputs:
            online, state = True, None
            if self.outputs is not None:
                online, state = self.outputs.confirmed(out.id)
            layers: list[tuple[int, str, str, dict[str, Any], int]] = []
            source = "renderer"
            if not online:
                self.window.program.set_program(
                    out.id,
                    f"{out.name} · NO RENDERER ONLINE",
                    False,
                    None,
                    "No renderer online: what air shows is not known",
                )
                continue
            if state is not None:
                for layer in state.layers:
                    if layer.on_air and layer.graphic:
                        layers.append(
                            (layer.layer, layer.graphic, layer.theme, layer.data, layer.step)
                        )
            else:
                source = "tally (no renderer state)"
                for tl in self.playout.tally.values():
                    if tl.output == out.id and tl.on_air and tl.data is not None:
                        cue = self.shows.show.rundown.cue(tl.on_air)
                        if cue is not None:
                            layers.append((tl.layer, cue.graphic, cue.theme, tl.data, tl.step))
            image: QImage | None = None
            message = ""
            if layers and not self._render_loaded:
                message = "Preparing the monitor…"
            elif layers:
                render_graphic = _render().render_graphic
                image = QImage(
                    out.width // 4, out.height // 4, QImage.Format.Format_ARGB32_Premultiplied
                )
                image.fill(0)
                painter = QPainter(image)
                try:
                    for _, graphic, theme, data, step in sorted(layers, key=lambda x: x[0]):
                        try:
                            frame = render_graphic(
                                graphic,
                                data,
                                self.theme(theme),
                                (image.width(), image.height()),
                                Playhead(step=step),
                            )
                        except ValueError as exc:
                            message = str(exc)
                            continue
                        painter.drawImage(0, 0, frame)
                finally:
                    painter.end()
            caption = f"{out.name} · {'ON AIR' if layers else 'clear'} · {source}"
            if not layers and not message:
                message = "Nothing on air"
            self.window.program.set_program(out.id, caption, bool(layers), image, message)

    def launch_renderer(self, port: int, window: bool = True) -> None:
        try:
            ndi = self.window.outputs.ndi_edit.text().strip()
            pid = self.launcher.launch(port, window, ndi=ndi)
        except OSError as exc:
            self.window.outputs.show_error(f"Cannot start the local renderer: {exc}")
            self._error("Cannot start the local renderer", str(exc))
            return
        outputs = self.shows.show.outputs
        if outputs and not any(
            t.host in ("127.0.0.1", "localhost") and t.port == port for t in outputs[0].targets
        ):
            self._add_target("127.0.0.1", port)
        self.window.set_status(f"local renderer started (process {pid}) on port {port}")

    def _add_target(self, host: str, port: int) -> None:
        outs = [o.model_copy(deep=True) for o in self.shows.show.outputs]
        if not outs:
            return
        same = _same_host(host)
        for out in outs:
            for t in out.targets:
                if _same_host(t.host) == same and t.port == port:
                    text = (
                        f"{host}:{port} is already a target of {out.name or out.id} "
                        f"({t.label}): each take would reach it twice"
                    )
                    self.window.outputs.show_error(text)
                    self.window.set_status(text, error=True)
                    return
        outs[0].targets.append(TargetConfig(host=host, port=port))
        self.window.outputs.show_error("")
        self._guard(lambda: self.shows.set_outputs(outs))

    def _remove_target(self, label: str) -> None:
        outs = [o.model_copy(deep=True) for o in self.shows.show.outputs]
        for out in outs:
            out.targets = [
                t for t in out.targets if t.label != label and f"{t.host}:{t.port}" != label
            ]
        self._guard(lambda: self.shows.set_outputs(outs))

    # ---- export ---------------------------------------------------------------------------------
    def export_preview(self, path: Path) -> None:
        res = self.editor.resolved()
        if res.data is None:
            raise ValueError(res.problem)
        out = self.shows.show.output(self.editor.cue.output)
        size = out.size if out else (1920, 1080)
        render = self._ensure_render()
        image = render.render_graphic(
            self.editor.cue.graphic, res.data, self.theme(self.editor.theme()), size
        )
        render.encode_png(image, path)

    def _ask_export_png(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self.window, "Export PNG", "", "PNG (*.png)")
        if not name:
            return
        try:
            self.export_preview(Path(name if name.lower().endswith(".png") else name + ".png"))
        except (ValueError, OSError) as exc:
            self._error("Cannot export", str(exc))
            return
        self.window.set_status(f"exported {name}")

    async def export_rundown(
        self,
        folder: Path,
        progress: Callable[[int, int, str], object] | None = None,
        cancel: threading.Event | None = None,
    ) -> ExportReport:
        """Plan on the GUI thread, render and write in a worker thread."""
        from strapline.views.export import export_stills  # imports strapline.render

        self._ensure_render()
        stills, report = plan_rundown(self.playout, DEFAULT_THEME)
        themes: dict[str, Theme] = {}
        for still in stills:  # fonts register on the GUI thread
            with contextlib.suppress(ThemeUnavailable):
                themes[still.theme] = self.theme(still.theme)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            None, export_stills, stills, themes, folder, report, progress, cancel
        )

    def _ask_export_rundown(self) -> None:
        name = QFileDialog.getExistingDirectory(self.window, "Export rundown to folder")
        if name:
            self.start_export_rundown(Path(name))

    def start_export_rundown(self, folder: Path) -> asyncio.Task[Any] | None:
        """Export in the background: a progress panel with Cancel, then a bar saying what was
        written. Nothing waits for the operator: the show goes on meanwhile."""
        panel = self.prompts.progress
        if panel.isVisibleTo(self.prompts):
            self.window.set_status("an export is already under way", error=True)
            return None
        cancel = threading.Event()
        panel.cancelRequested.connect(cancel.set)
        panel.start(f"Exporting the rundown to {folder}…")
        loop = asyncio.get_running_loop()

        def progress(done: int, total: int, file: str) -> None:
            loop.call_soon_threadsafe(
                panel.report, done, total, f"Writing {file}" if file else "Done"
            )

        async def run() -> None:
            try:
                report = await self.export_rundown(folder, progress, cancel)
            except (OSError, ValueError) as exc:
                self._error("Cannot export the rundown", str(exc))
                return
            finally:
                panel.finish()
                panel.cancelRequested.disconnect(cancel.set)
            skipped = "; ".join(f"{t}: {why}" for t, why in report.skipped[:10])
            self.prompts.tell(
                "export", f"Export rundown: {report.summary}" + (f" ({skipped})" if skipped else "")
            )
            self.window.set_status(f"Export rundown: {report.summary}")

        return self.spawn(run())

    # ---- misc -----------------------------------------------------------------------------------
    def open_preferences(self) -> PreferencesDialog:
        """Preferences in a window of its own, not modal: the show goes on while it is open
        (its key editors record keys; elsewhere the transport keys act)."""
        dialog = self.preferences_dialog
        if dialog is None:
            dialog = PreferencesDialog(self.shows.show.hotkeys, self.safe_area_default, self.window)
            dialog.accepted.connect(lambda: self._apply_preferences(dialog))
            dialog.finished.connect(lambda _r: self._forget_preferences(dialog))
            self.preferences_dialog = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def _apply_preferences(self, dialog: PreferencesDialog) -> None:
        self._guard(lambda: self.shows.set_hotkeys(dialog.hotkeys()))
        self.safe_area_default = dialog.safe_area()
        self.settings.setValue("preview/safe_area", self.safe_area_default)
        self.window.preview.set_safe_area_visible(self.safe_area_default)

    def _forget_preferences(self, dialog: PreferencesDialog) -> None:
        if self.preferences_dialog is dialog:
            self.preferences_dialog = None
            dialog.deleteLater()

    def _error(self, title: str, text: str) -> None:
        """Say what went wrong: the status bar, and a bar to acknowledge (never a dialog)."""
        self.window.set_status(text, error=True)
        self.prompts.tell("error", f"{title}: {text}", level="error")

    def _on_close(self, event: QCloseEvent) -> None:
        if (
            not self._closing
            and self.interactive
            and not (self.undo.isClean() and not self.shows.dirty)
        ):
            event.ignore()  # asked in a bar; the window closes once answered

            def close() -> None:
                self._closing = True
                self.window.close()

            self.when_saved(close)
            return
        self._closing = True
        self.window.save_layout(self.settings)
        self._discard_recovery()  # a clean exit: nothing to recover next time
        if self.preferences_dialog is not None:
            self.preferences_dialog.close()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.transport_keys)
        self.autosave_timer.stop()
        self.health_timer.stop()
        self.window.preview.shutdown()
        self._thumb_pool.shutdown(wait=True, cancel_futures=True)
        event.accept()

    async def shutdown(self) -> None:
        """Stop background work: watcher, tasks, sockets (the renderer we started keeps running
        only if the operator launched it for air: it is stopped too)."""
        await self.watcher.stop()
        self.window.preview.shutdown()
        self._thumb_generation += 1  # a drawing under way stops after its current thumbnail
        self._thumb_pool.shutdown(wait=True, cancel_futures=True)
        for task in list(self._tasks):
            task.cancel()
        if self.outputs is not None:
            await self.outputs.close()
        self.launcher.stop()
