"""The desk's render host: the renderer (loaded after the window is up), the themes, what the
preview shows and draws, the thumbnails, the program monitors and the exports.

It speaks to the window only through the RenderView protocol (views/operator.py), so it is
tested with a fake view and no window. Drawing goes on in worker threads (the preview's own,
the thumbnails' and the export's); what a thread reports comes back to the GUI thread as a
signal, and a report that a newer request superseded is dropped (generation counters).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import ModuleType
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QImage, QPainter

from strapline.domain.diagnostics import DataError
from strapline.domain.graphics import GraphicKind, Playhead, Selection, bind
from strapline.domain.playout import ChannelState
from strapline.domain.theme import Theme
from strapline.services.data import DataService
from strapline.services.editor import GraphicEditor
from strapline.services.export import ExportReport, plan_rundown
from strapline.services.playout import PlayoutService
from strapline.services.show import ShowService
from strapline.views.operator import RenderView, say_error

log = logging.getLogger(__name__)
DEFAULT_THEME = "ice"
THUMB_SIZE = (384, 216)
EMPTY_PREVIEW = (
    "Nothing to preview yet: pick a cue in the rundown, or a skater, race or standings table "
    "in Data"
)
NOT_IN_RUNDOWN = (
    "NOT IN THE RUNDOWN · prepared from the data: Take sends nothing until you add it "
    "(Add to rundown)"
)


class ThemeUnavailable(ValueError):
    """No theme could be loaded (the named one nor the default)."""


def _render() -> ModuleType:
    """strapline.render (with Qt fonts, painters and numpy), imported on first use."""
    import strapline.render

    return strapline.render


class _FromThread(QObject):
    """What a worker thread reports, as signals of a child of the host.

    The thread holds this object and never the host: Python would delete the host on the
    thread that drops the last reference to it, and a Qt object deleted off the GUI thread
    takes the process down. The child belongs to the host (Qt deletes it with its parent, on
    the GUI thread); a report after that is dropped."""

    renderLoaded = Signal(str)  # error text ("" when loaded)


class RenderHost(QObject):
    renderReady = Signal()  # the renderer is loaded: preview, thumbnails and monitors draw
    _thumbReady = Signal(int, str, object, str)  # generation, kind, QImage or None, note

    def __init__(
        self,
        shows: ShowService,
        data: DataService,
        editor: GraphicEditor,
        playout: PlayoutService,
        view: RenderView,
        spawn: Callable[[Coroutine[Any, Any, Any]], asyncio.Task[Any]],
        confirmed: Callable[[str], tuple[bool, ChannelState | None]],
        loaded: bool = True,
        parent: QObject | None = None,
    ) -> None:
        """`confirmed(output_id)`: any renderer of the output online, and what one reports
        (Program's truth); `loaded` False: the renderer is loaded later (load_in_background)."""
        super().__init__(parent)
        self.shows = shows
        self.data = data
        self.editor = editor
        self.playout = playout
        self.view = view
        self._spawn = spawn
        self._confirmed = confirmed
        self._themes: dict[str, Theme] = {}
        # the preview's last still: kind, theme, size, data, image
        self._still: tuple[str, Theme, tuple[int, int], dict[str, Any], QImage] | None = None
        self._loaded = loaded
        self._loading = False
        self._load_error = ""
        self._from_thread = _FromThread(self)
        self._from_thread.renderLoaded.connect(self._on_loaded)
        self._thumb_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="thumbnails")
        self.thumb_generation = 0
        self._thumbReady.connect(self._on_thumbnail)
        self.thumbs_timer = QTimer(self)  # thumbnails are drawn once the window is up
        self.thumbs_timer.setSingleShot(True)
        self.thumbs_timer.setInterval(0)
        self.thumbs_timer.timeout.connect(self.refresh_thumbnails)

    # ---- the renderer, loaded after the window is up ------------------------------------------
    @property
    def loaded(self) -> bool:
        return self._loaded

    def load_in_background(self) -> None:
        """Import strapline.render in a thread; `renderReady` follows on the GUI thread."""
        if self._loaded or self._loading:
            return
        self._loading = True
        report = self._from_thread  # the thread holds this, never `self` (see _FromThread)

        def work() -> None:
            error = ""
            try:
                _render()
            except Exception as exc:  # reported on the status bar; the app keeps running
                log.exception("cannot load the renderer")
                error = str(exc) or type(exc).__name__
            with contextlib.suppress(RuntimeError):  # the host is already gone
                report.renderLoaded.emit(error)

        threading.Thread(target=work, name="load-renderer", daemon=True).start()

    def ensure_render(self) -> ModuleType:
        """strapline.render now (an export needs it at once), finishing the deferred start."""
        module = _render()
        if not self._loaded:
            self._on_loaded("")
        return module

    def _on_loaded(self, error: str) -> None:
        if self._loaded:
            return
        self._loading = False
        if error:
            self._load_error = f"The preview cannot start: {error}"
            self.view.set_status(self._load_error, error=True)
            self.view.refresh_preview()  # says so
            return
        self._loaded = True
        show = self.shows.show
        self.view.show_themes(self.theme_names(), show.theme, show.outputs)
        self.refresh_graphic()  # timing and the preview's first frame
        self.refresh_program()
        self.thumbs_timer.start()
        self.renderReady.emit()

    # ---- themes ---------------------------------------------------------------------------------
    def theme_names(self) -> list[str]:
        """The themes to offer (until the renderer is loaded: the show's own theme)."""
        if self._loaded:
            names: list[str] = _render().available_themes()
            return names
        return [self.shows.show.theme or DEFAULT_THEME]

    def theme(self, name: str) -> Theme:
        """The named theme (the show's, or the default); ThemeUnavailable when none loads."""
        name = name or self.shows.show.theme or DEFAULT_THEME
        theme = self._themes.get(name)
        if theme is None:
            try:
                theme = _render().load_theme(name)
            except DataError as exc:
                self.view.set_status(f"theme {name!r}: {exc}", True)
                if name == DEFAULT_THEME:
                    raise ThemeUnavailable(f"theme {name!r}: {exc}") from None
                return self.theme(DEFAULT_THEME)
            self._themes[name] = theme
        return theme

    # ---- the preview ----------------------------------------------------------------------------
    def preview_is_empty(self) -> bool:
        """Nothing picked yet: a scratch graphic bound to nothing, with nothing typed."""
        cue = self.editor.cue
        return (
            not self.editor.editing_cue
            and (cue.binding is None or cue.binding.is_empty)
            and (not cue.data)
        )

    def refresh_graphic(self) -> None:
        """The graphic's form, what the preview shows (a rundown cue, or a graphic prepared
        from the data that is not in the rundown) and its frame."""
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
        empty = self.preview_is_empty()
        self.view.show_graphic(
            cue.graphic, cue.theme, values, set(cue.data), "" if empty else res.problem, target
        )
        if editing:
            self.view.show_preview_source(f"CUE #{number} · {cue.title} · Take sends this", True)
        elif empty:
            self.view.show_preview_source("Nothing prepared", False)
        else:
            self.view.show_preview_source(NOT_IN_RUNDOWN, False)
        if not self._loaded:
            self.view.refresh_preview()  # says it is on its way
            return
        try:
            theme = self.theme(self.editor.theme())
        except ThemeUnavailable:
            pass  # the preview says why
        else:
            a = theme.animation
            self.view.set_preview_timing(
                a.in_, a.out, (theme.safe_area.action, theme.safe_area.graphics)
            )
        self.view.refresh_preview()

    def render_preview(
        self, head: Playhead | None, size: tuple[int, int]
    ) -> Callable[[], QImage] | None:
        """On the GUI thread: snapshot the graphic; the returned job draws it anywhere. A
        ValueError says why there is nothing to draw (the preview shows it)."""
        if not self._loaded:
            raise ValueError(self._load_error or "Preparing the preview…")
        if self.preview_is_empty():
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

    # ---- thumbnails -------------------------------------------------------------------------
    def refresh_thumbnails(self) -> None:
        """Bind every kind here; draw them in the thumbnail thread (they arrive one by one).
        Thumbnails of an earlier request that arrive late are dropped."""
        if not self._loaded:
            return  # drawn once the renderer is loaded
        self.thumb_generation += 1
        comp = self.data.competition
        b = self.editor.cue.binding
        sel = Selection.model_validate(b.selection()) if b is not None else Selection()
        try:
            theme = self.theme(self.editor.theme())
        except ThemeUnavailable as exc:
            for kind in GraphicKind:
                self.view.show_thumbnail(kind.value, None, str(exc))
            return
        jobs: list[tuple[str, Any]] = []
        for kind in GraphicKind:
            if comp is None:
                self.view.show_thumbnail(kind.value, None, "no data loaded")
                continue
            try:
                jobs.append((kind.value, bind(kind.value, comp, sel)))
            except ValueError as exc:
                self.view.show_thumbnail(kind.value, None, str(exc))
        if jobs:
            with contextlib.suppress(RuntimeError):  # shut down: the window is closing
                self._thumb_pool.submit(self._draw_thumbnails, self.thumb_generation, jobs, theme)

    def _draw_thumbnails(self, generation: int, jobs: list[tuple[str, Any]], theme: Theme) -> None:
        """In the thumbnail thread; stops early when newer thumbnails were asked for."""
        render_graphic = _render().render_graphic
        for kind, data in jobs:
            if generation != self.thumb_generation:
                return
            try:
                image = render_graphic(kind, data, theme, THUMB_SIZE, background="theme")
                note = ""
            except ValueError as exc:
                image, note = None, str(exc)
            with contextlib.suppress(RuntimeError):  # the host is already gone
                self._thumbReady.emit(generation, kind, image, note)

    def _on_thumbnail(self, generation: int, kind: str, image: QImage | None, note: str) -> None:
        if generation == self.thumb_generation:
            self.view.show_thumbnail(kind, image, note)

    # ---- program monitors -----------------------------------------------------------------------
    def refresh_program(self) -> None:
        """Each output's monitor: what its online renderers report; with none online, it says
        so and never ON AIR (the app does not know what air shows)."""
        for out in self.shows.show.outputs:
            online, state = self._confirmed(out.id)
            layers: list[tuple[int, str, str, dict[str, Any], int]] = []
            source = "renderer"
            if not online:
                self.view.show_program(
                    out.id,
                    f"{out.name} · NO RENDERER ONLINE",
                    False,
                    None,
                    "No renderer online: what air shows is not known",
                    None,
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
            if layers and not self._loaded:
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
            taken = [
                t.taken_at for t in self.playout.tally.values() if t.output == out.id and t.on_air
            ]
            if not layers and not message:
                message = "Nothing on air"
            since = min(taken) if layers and taken else None
            self.view.show_program(out.id, caption, bool(layers), image, message, since)

    # ---- export ---------------------------------------------------------------------------------
    def export_preview(self, path: Path) -> None:
        """The graphic being edited as a PNG at its output's size."""
        res = self.editor.resolved()
        if res.data is None:
            raise ValueError(res.problem)
        out = self.shows.show.output(self.editor.cue.output)
        size = out.size if out else (1920, 1080)
        render = self.ensure_render()
        image = render.render_graphic(
            self.editor.cue.graphic, res.data, self.theme(self.editor.theme()), size
        )
        render.encode_png(image, path)

    def ask_export_png(self) -> None:
        path = self.view.choose_png_path()
        if path is None:
            return
        try:
            self.export_preview(path)
        except (ValueError, OSError) as exc:
            say_error(self.view, "Cannot export", str(exc))
            return
        self.view.set_status(f"exported {path}")

    async def export_rundown(
        self,
        folder: Path,
        progress: Callable[[int, int, str], object] | None = None,
        cancel: threading.Event | None = None,
    ) -> ExportReport:
        """Plan on the GUI thread, render and write in a worker thread."""
        from strapline.views.export import export_stills  # imports strapline.render

        self.ensure_render()
        stills, report = plan_rundown(self.playout, DEFAULT_THEME)
        themes: dict[str, Theme] = {}
        for still in stills:  # fonts register on the GUI thread
            with contextlib.suppress(ThemeUnavailable):
                themes[still.theme] = self.theme(still.theme)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            None, export_stills, stills, themes, folder, report, progress, cancel
        )

    def ask_export_rundown(self) -> None:
        folder = self.view.choose_export_folder()
        if folder is not None:
            self.start_export_rundown(folder)

    def start_export_rundown(self, folder: Path) -> asyncio.Task[Any] | None:
        """Export in the background: progress with Cancel, then a bar saying what was
        written. Nothing waits for the operator: the show goes on meanwhile."""
        if self.view.progress_running():
            self.view.set_status("an export is already under way", error=True)
            return None
        cancel = threading.Event()
        self.view.start_progress(f"Exporting the rundown to {folder}…", cancel.set)
        loop = asyncio.get_running_loop()
        view = self.view

        def progress(done: int, total: int, file: str) -> None:
            loop.call_soon_threadsafe(
                view.report_progress, done, total, f"Writing {file}" if file else "Done"
            )

        async def run() -> None:
            try:
                report = await self.export_rundown(folder, progress, cancel)
            except (OSError, ValueError) as exc:
                say_error(self.view, "Cannot export the rundown", str(exc))
                return
            finally:
                view.finish_progress()
            skipped = "; ".join(f"{t}: {why}" for t, why in report.skipped[:10])
            view.tell(
                "export", f"Export rundown: {report.summary}" + (f" ({skipped})" if skipped else "")
            )
            view.set_status(f"Export rundown: {report.summary}")

        return self._spawn(run())

    # ---- shutdown -------------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop the thumbnails: a drawing under way stops after its current thumbnail."""
        self.thumb_generation += 1
        self._thumb_pool.shutdown(wait=True, cancel_futures=True)
