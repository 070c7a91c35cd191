"""Wires the main window to the services and the desk's controllers.

The desk's behaviour is split by concern (views/controllers/): playout (transport actions, the
new-data question, the tally, each cue's state), the show document (save, the unsaved-changes
question, autosave, recovery), the data (import, corrections, file watching), the outputs
(targets, health, local renderer, what Program may claim) and the render host (themes,
preview, thumbnails, program monitors, export). Each speaks to the window only through an
operator-view protocol (views/operator.py) and is tested with a fake view. What stays here is
the wiring, the recent files, Preferences and the feedback to button panels. Every show edit
goes through the ShowService and onto the QUndoStack; playout actions run as asyncio tasks on
the qasync loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSettings, QStandardPaths, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QUndoStack
from PySide6.QtWidgets import QApplication, QFileDialog

from strapline.domain.graphics import GraphicKind
from strapline.domain.model import RaceStatus
from strapline.domain.rundown import Cue, DataSource
from strapline.domain.theme import Theme
from strapline.io.showfile import SUFFIX
from strapline.services.data import DataService, DataState
from strapline.services.eager import start_now
from strapline.services.editor import GraphicEditor
from strapline.services.export import ExportReport
from strapline.services.feedback import DeskFeedback, FeedbackSender, FeedbackTarget, parse_target
from strapline.services.outputs import OutputsService
from strapline.services.playout import ActionResult, PlayoutService
from strapline.services.show import Edit, EditError, ShowChange, ShowService
from strapline.views.controllers.data import DataController
from strapline.views.controllers.document import DocumentController
from strapline.views.controllers.outputs import OutputsController
from strapline.views.controllers.playout import PlayoutController
from strapline.views.controllers.render_host import RenderHost
from strapline.views.data_panel import MARK_CHOICES
from strapline.views.desk_view import DeskView
from strapline.views.main_window import MainWindow
from strapline.views.preferences import PreferencesDialog
from strapline.views.rundown_model import RundownModel
from strapline.views.transport_keys import TransportKeys
from strapline.views.undo import EditCommand

log = logging.getLogger(__name__)
DATA_FILTER = "Data files (*.csv *.txt *.xlsx *.xml *.json *.evt *.EVT);;All files (*)"
SHOW_FILTER = f"Strapline shows (*{SUFFIX});;All files (*)"
MAX_RECENT = 8


class AppController(QObject):
    """Creates the window and connects it to the services it is given."""

    pendingUpdateAsked = Signal(str)  # cue id whose new data waits for the operator
    renderReady = Signal()  # the renderer is loaded: preview, thumbnails and monitors draw
    windowPainted = Signal()  # the window's first paint (only when the renderer is deferred)

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
        self.undo = QUndoStack(self)
        self.model = RundownModel(shows, self._cue_status, self.countdown)
        self.window = MainWindow(self.model, self.undo)
        self.prompts = self.window.prompts
        self.preferences_dialog: PreferencesDialog | None = None
        self.feedback: DeskFeedback | None = None
        self._cli_feedback: list[FeedbackTarget] = []
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
        # the desk's behaviour, one controller per concern, speaking to the window through
        # the operator-view protocols (views/operator.py)
        self.view = DeskView(self.window, interactive)
        self.document = DocumentController(
            shows, self.undo, self.view, self.recovery_dir, on_file=self._add_recent
        )
        self.data_ctl = DataController(shows, data, self.undo, self.view, self.push)
        self.watcher = self.data_ctl.watcher
        self.outputs_ctl = OutputsController(
            shows, outputs, self.view, self.push, ensure_playouts=playout.playouts
        )
        self.launcher = self.outputs_ctl.launcher
        self.playout_ctl = PlayoutController(
            playout,
            self.view,
            self.spawn,
            renderers_online=self.outputs_ctl.any_online,
            confirmed=self.outputs_ctl.confirmed,
        )
        self.render_host = RenderHost(
            shows,
            data,
            self.editor,
            playout,
            self.view,
            self.spawn,
            confirmed=self.outputs_ctl.confirmed,
            loaded=not defer_render,
            parent=self,
        )
        self.render_host.renderReady.connect(self.renderReady.emit)
        self.thumbs_timer = self.render_host.thumbs_timer
        self._tasks: set[asyncio.Task[Any]] = set()
        self.safe_area_default = bool(self.settings.value("preview/safe_area", False, bool))
        self._wire()
        self._on_show_changed(ShowChange("show"))
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
        return self.render_host.loaded

    def load_render_in_background(self) -> None:
        """Import strapline.render in a thread; `renderReady` follows on the GUI thread."""
        self.render_host.load_in_background()

    # ---- wiring -------------------------------------------------------------------------------
    def _wire(self) -> None:
        w = self.window
        self.shows.changed.connect(self._on_show_changed)
        self.data.changed.connect(self._on_data_changed)
        self.editor.changed.connect(self.render_host.refresh_graphic)
        self.playout.tally_changed.connect(self._on_tally)
        self.playout.message.connect(lambda level, text: w.set_status(text, error=level == "error"))
        self.playout.pending_update.connect(self._on_pending_update)
        self.playout.selection_changed.connect(lambda cue_id: w.rundown.select_cue(cue_id))
        # bound slots of this QObject: Qt drops them before the stack (a child) is deleted
        self.undo.cleanChanged.connect(self._on_undo_changed)
        self.undo.indexChanged.connect(self._on_undo_changed)
        w.playoutRequested.connect(self.request)
        w.clock.timeout.connect(self._tick_countdowns)
        w.closeRequested.connect(self._on_close)
        a = w.actions_
        a["new"].triggered.connect(self.new_show)
        a["open"].triggered.connect(self._ask_open)
        a["save"].triggered.connect(lambda: self.save())
        a["save_as"].triggered.connect(lambda: self.save(ask=True))
        a["import"].triggered.connect(lambda: self._ask_import())
        a["import_replace"].triggered.connect(lambda: self._ask_import(replace=True))
        a["export_png"].triggered.connect(self.render_host.ask_export_png)
        a["export_rundown"].triggered.connect(self.render_host.ask_export_rundown)
        a["quit"].triggered.connect(w.close)
        a["preferences"].triggered.connect(self.open_preferences)
        a["launch_renderer"].triggered.connect(
            lambda: self.launch_renderer(w.outputs.port_spin.value())
        )

        r = w.rundown
        r.cueSelected.connect(self._on_cue_selected)
        r.addGroupRequested.connect(lambda: self._guard(lambda: self.shows.add_group("Group")))
        r.duplicateRequested.connect(
            lambda ids: self._guard(lambda: self.shows.duplicate_cues(ids))
        )
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
        d.set_mark_lookup(self.data.race_mark)
        d.raceMarkRequested.connect(self.mark_race)
        for _text, status in MARK_CHOICES:
            a[f"mark_race_{status.lower() or 'file'}"].triggered.connect(
                lambda _c=False, s=status: self.mark_race(d.current_race(), s)
            )
        d.openRequested.connect(lambda: self._ask_import())
        d.reloadRequested.connect(self.reload_data)
        d.filesDropped.connect(self.import_files)
        d.overrideRequested.connect(self.data_ctl.correct)
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

        w.preview.exportPngRequested.connect(self.render_host.ask_export_png)
        w.preview.set_renderer(self.render_host.render_preview)
        w.outputs.launchRendererRequested.connect(self.launch_renderer)
        w.outputs.targetAdded.connect(self._add_target)
        w.outputs.targetRemoved.connect(self._remove_target)
        w.outputs.targetChanged.connect(self.outputs_ctl.change_target)
        w.outputs.syncLeadChanged.connect(self.outputs_ctl.set_sync_lead)

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
        """A transport action (a hotkey, a button, a menu item): see PlayoutController."""
        return self.playout_ctl.request(action)

    def countdown(self, cue: Cue) -> float | None:
        """Seconds left before an on-air cue with out-after goes out by itself."""
        return self.playout_ctl.countdown(cue)

    def _tick_countdowns(self) -> None:
        if any(t.auto_out is not None for t in self.playout.tally.values()):
            self.model.refresh_states()

    def _cue_status(self, cue: Cue) -> tuple[str, str]:
        return self.playout_ctl.cue_status(cue)

    def _on_cue_selected(self, cue_id: str) -> None:
        self.playout.select(cue_id or None)
        if cue_id:
            self.editor.edit_cue(cue_id)

    def _on_tally(self) -> None:
        self.model.refresh_states()
        self.render_host.refresh_program()
        if self.outputs is not None:
            with contextlib.suppress(RuntimeError):  # no running loop: no state to ask for
                self.spawn(self._ask_states())

    async def _ask_states(self) -> None:
        """Ask the renderers what they show, then redraw the program monitors from it."""
        assert self.outputs is not None
        await self.outputs.request_states()
        self.render_host.refresh_program()

    def _on_pending_update(self, cue_id: str) -> None:
        self.model.refresh_states()
        self.pendingUpdateAsked.emit(cue_id)

    # ---- show -----------------------------------------------------------------------------------
    def _on_show_changed(self, change: ShowChange) -> None:
        show = self.shows.show
        if change.of("show", "outputs"):
            w = self.window
            names = self.render_host.theme_names()
            w.rundown.set_choices([k.value for k in GraphicKind], names, show.outputs)
            w.program.set_outputs([(o.id, o.name, o.size) for o in show.outputs])
            if show.outputs:
                w.preview.set_output_size(show.outputs[0].size)
            self.outputs_ctl.open_outputs()
        if change.of("show", "theme"):
            self.window.graphics.set_themes(self.render_host.theme_names(), show.theme)
        if change.of("show", "hotkeys"):
            self.window.set_hotkeys(show.hotkeys)
        if change.of("show", "overrides"):
            self.data.set_overrides(show.overrides)
        if change.of("show", "race_marks"):
            self.data.set_race_marks(show.race_marks)
        if change.of("show", "data"):
            self._load_sources(show.data)
        if change.of("show"):
            self.undo.clear()
            self.editor.edit_cue(None)
        self._update_title()
        if change.touches(self.editor.cue_id):  # an edit of another cue leaves the preview be
            self.render_host.refresh_graphic()

    # ---- the show document (views/controllers/document.py) -----------------------------------
    def new_show(self) -> None:
        self.document.new_show()

    def open_show(self, path: Path) -> bool:
        return self.document.open_show(path)

    def save(self, ask: bool = False, path: Path | None = None) -> bool:
        return self.document.save(ask, path)

    def when_saved(self, proceed: Callable[[], object]) -> None:
        self.document.when_saved(proceed)

    def recovery_file(self) -> Path:
        return self.document.recovery_file()

    def autosave(self) -> bool:
        return self.document.autosave()

    def pending_recoveries(self) -> list[Path]:
        return self.document.pending_recoveries()

    def offer_recovery(self, ask: Callable[[Path, str | None], bool] | None = None) -> bool:
        return self.document.offer_recovery(ask)

    def _update_title(self) -> None:
        self.document.update_title()

    def _on_undo_changed(self, _value: object) -> None:
        self.document.update_title()

    def _ask_open(self) -> None:
        def choose() -> None:
            name, _ = QFileDialog.getOpenFileName(self.window, "Open show", "", SHOW_FILTER)
            if name:
                self.open_show(Path(name))

        self.when_saved(choose)

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

    # ---- data -----------------------------------------------------------------------------------
    def _load_sources(self, sources: list[DataSource]) -> None:
        self.data_ctl.load_sources(sources)

    def reload_data(self) -> None:
        self.data_ctl.reload()

    def import_files(self, paths: list[str], replace: bool = False) -> None:
        self.data_ctl.import_files(paths, replace)

    def mark_race(self, race_id: str, status: str) -> None:
        """Mark a race official or unofficial ("": the data file's status counts again)."""
        if not race_id:
            self.window.set_status("Pick a race in the Data panel to mark it", error=True)
            return
        self.data_ctl.mark_race(race_id, RaceStatus(status) if status else None)

    def _ask_import(self, replace: bool = False) -> None:
        title = "Replace the show's data with" if replace else "Import data"
        names, _ = QFileDialog.getOpenFileNames(self.window, title, "", DATA_FILTER)
        if names:
            self.import_files(names, replace=replace)

    def _on_data_changed(self, state: DataState) -> None:
        self.window.data.set_state(state)
        self.model.refresh_states()
        self.render_host.refresh_graphic()
        if state.error is None:
            self.thumbs_timer.start()

    # ---- graphics, preview, thumbnails, program (views/controllers/render_host.py) ---------
    def theme(self, name: str) -> Theme:
        """The named theme (the show's, or the default); ThemeUnavailable when none loads."""
        return self.render_host.theme(name)

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
        if self.outputs_ctl.tick():  # a renderer came or went: Program and tally say so at once
            self.model.refresh_states()
            self.render_host.refresh_program()
            self.playout_ctl.refresh_tally()
            if self.feedback is not None:
                self.feedback.publish()  # and the buttons, without waiting for their tick
        if self.outputs is not None and self.outputs_ctl._ticks % 4 == 0:
            with contextlib.suppress(RuntimeError):
                self.spawn(self._ask_states())

    def launch_renderer(self, port: int, window: bool = True) -> None:
        ndi = self.window.outputs.ndi_edit.text().strip()
        self.outputs_ctl.launch_renderer(port, window, ndi=ndi)

    def _add_target(
        self, host: str, port: int, transport: str = "udp", flat_fields: bool = False
    ) -> None:
        self.outputs_ctl.add_target(host, port, transport, flat_fields)

    def _remove_target(self, label: str) -> None:
        self.outputs_ctl.remove_target(label)

    # ---- export (views/controllers/render_host.py) ---------------------------------------------
    def export_preview(self, path: Path) -> None:
        self.render_host.export_preview(path)

    async def export_rundown(
        self,
        folder: Path,
        progress: Callable[[int, int, str], object] | None = None,
        cancel: threading.Event | None = None,
    ) -> ExportReport:
        return await self.render_host.export_rundown(folder, progress, cancel)

    def start_export_rundown(self, folder: Path) -> asyncio.Task[Any] | None:
        return self.render_host.start_export_rundown(folder)

    # ---- misc -----------------------------------------------------------------------------------
    def open_preferences(self) -> PreferencesDialog:
        """Preferences in a window of its own, not modal: the show goes on while it is open
        (its key editors record keys; elsewhere the transport keys act)."""
        dialog = self.preferences_dialog
        if dialog is None:
            dialog = PreferencesDialog(
                self.shows.show.hotkeys,
                self.safe_area_default,
                self.window,
                feedback=self.saved_feedback(),
            )
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
        with contextlib.suppress(ValueError):  # the dialog refuses a bad target
            saved = dialog.feedback()
            self.settings.setValue("feedback/targets", [t.label for t in saved])
            if self.feedback is not None:
                self.feedback.sender.set_targets([*self._cli_feedback, *saved])
                self.feedback.publish()

    # ---- feedback to Stream Deck / Companion ------------------------------------------------
    def saved_feedback(self) -> list[FeedbackTarget]:
        """The feedback targets kept in Preferences (a bad entry is skipped)."""
        value = self.settings.value("feedback/targets", [])
        items: list[object] = (
            [value] if isinstance(value, str) else list(value) if isinstance(value, list) else []
        )
        targets = []
        for item in items:
            with contextlib.suppress(ValueError):
                targets.append(parse_target(str(item)))
        return targets

    async def start_feedback(self, cli: Sequence[FeedbackTarget] = ()) -> DeskFeedback:
        """Feedback to the targets given on the command line and those kept in Preferences."""
        self._cli_feedback = list(cli)
        targets = list(dict.fromkeys([*self._cli_feedback, *self.saved_feedback()]))
        sender = FeedbackSender(targets)
        await sender.start()
        outputs = self.outputs
        self.feedback = DeskFeedback(
            self.playout,
            sender,
            online=(lambda oid: outputs.confirmed(oid)[0]) if outputs is not None else None,
        )
        self.feedback.start()
        return self.feedback

    def _forget_preferences(self, dialog: PreferencesDialog) -> None:
        if self.preferences_dialog is dialog:
            self.preferences_dialog = None
            dialog.deleteLater()

    def _error(self, title: str, text: str) -> None:
        """Say what went wrong: the status bar, and a bar to acknowledge (never a dialog)."""
        self.document.error(title, text)

    def _on_close(self, event: QCloseEvent) -> None:
        if self.interactive and not self.document.request_close():
            event.ignore()  # asked in a bar; the window closes once answered
            return
        self.document.closing = True
        self.window.save_layout(self.settings)
        self.document.discard_recovery()  # a clean exit: nothing to recover next time
        if self.preferences_dialog is not None:
            self.preferences_dialog.close()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.transport_keys)
        self.autosave_timer.stop()
        self.health_timer.stop()
        self.window.preview.shutdown()
        self.render_host.shutdown()
        event.accept()

    async def shutdown(self) -> None:
        """Stop background work: watcher, tasks, sockets (the renderer we started keeps running
        only if the operator launched it for air: it is stopped too)."""
        await self.watcher.stop()
        if self.feedback is not None:
            await self.feedback.stop()
            self.feedback.sender.close()
        self.window.preview.shutdown()
        self.render_host.shutdown()
        for task in list(self._tasks):
            task.cancel()
        if self.outputs is not None:
            await self.outputs.close()
        self.launcher.stop()
