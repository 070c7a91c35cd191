"""The render host against a fake operator view: no window at all. What the preview says it
shows, frames and thumbnails that a newer request superseded, themes that cannot load, Program
with no renderer online, and an export's progress and Cancel, all as the view is told them.
(The preview's own drawing thread is tested on the preview panel alone, at the end.)"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from service_fakes import RecordingPlayout, make_competition

import strapline.views.controllers.render_host as render_host
from strapline.domain.graphics import GraphicKind
from strapline.domain.playout import ChannelState
from strapline.domain.rundown import Cue, CueBinding, OutputConfig, Show
from strapline.services.data import DataService
from strapline.services.editor import GraphicEditor
from strapline.services.playout import PlayoutService
from strapline.services.show import ShowService
from strapline.views.controllers.render_host import (
    EMPTY_PREVIEW,
    NOT_IN_RUNDOWN,
    RenderHost,
    ThemeUnavailable,
)
from strapline.views.operator import Choice, Level

LOWER = Cue(
    id="lt", name="Roussel", graphic="lower-third", binding=CueBinding(event_id="m500", row=0)
)


class FakeRenderView:
    """The RenderView protocol, recording what the host told it."""

    def __init__(self) -> None:
        self.bars: dict[str, tuple[str, Level]] = {}
        self.status: tuple[str, bool] = ("", False)
        self.source: tuple[str, bool] = ("", False)
        self.graphic: tuple[str, str, str] = ("", "", "")  # kind, problem, target
        self.timing: tuple[float, float] | None = None
        self.themes: list[str] = []
        self.thumbnails: list[tuple[str, bool, str]] = []  # kind, has an image, note
        self.program: dict[str, tuple[str, bool, bool, str, float | None]] = {}
        self.preview_refreshes = 0
        self.progress: list[tuple[int, int, str]] | None = None  # None: no progress shown
        self.on_cancel: Callable[[], object] | None = None

    # PromptView
    def ask(self, key: str, text: str, choices: Sequence[Choice], level: Level = "question") -> Any:
        self.bars[key] = (text, level)

    def tell(self, key: str, text: str, level: Level = "info") -> Any:
        self.bars[key] = (text, level)

    def dismiss(self, key: str) -> None:
        self.bars.pop(key, None)

    def asked(self) -> list[str]:
        return list(self.bars)

    def set_status(self, text: str, error: bool = False) -> None:
        self.status = (text, error)

    # RenderView
    def show_themes(self, names: list[str], show_theme: str, outputs: list[OutputConfig]) -> None:
        self.themes = names

    def show_graphic(
        self,
        kind: str,
        theme: str,
        values: dict[str, Any],
        typed: set[str],
        problem: str,
        target: str,
    ) -> None:
        self.graphic = (kind, problem, target)

    def show_preview_source(self, text: str, in_rundown: bool) -> None:
        self.source = (text, in_rundown)

    def set_preview_timing(self, t_in: float, t_out: float, safe_area: tuple[float, float]) -> None:
        self.timing = (t_in, t_out)

    def refresh_preview(self) -> None:
        self.preview_refreshes += 1

    def show_thumbnail(self, kind: str, image: Any, note: str) -> None:
        self.thumbnails.append((kind, image is not None, note))

    def show_program(
        self,
        output_id: str,
        caption: str,
        on_air: bool,
        image: Any,
        message: str,
        on_air_since: float | None,
    ) -> None:
        self.program[output_id] = (caption, on_air, image is not None, message, on_air_since)

    def choose_png_path(self) -> Path | None:
        return None

    def choose_export_folder(self) -> Path | None:
        return None

    def progress_running(self) -> bool:
        return self.progress is not None

    def start_progress(self, text: str, on_cancel: Callable[[], object]) -> None:
        self.progress = []
        self.on_cancel = on_cancel

    def report_progress(self, done: int, total: int, text: str) -> None:
        assert self.progress is not None, "progress reported after it finished"
        self.progress.append((done, total, text))

    def finish_progress(self) -> None:
        self.progress = None
        self.on_cancel = None


class Host:
    """A render host over real services, as the desk wires it (the editor drives the preview)."""

    def __init__(self, *cues: Cue, online: bool = True, loaded: bool = True) -> None:
        self.shows = ShowService(Show())
        for cue in cues:
            self.shows.add_cue(cue)
        self.data = DataService()
        self.data.set_competition(make_competition())
        self.rec = RecordingPlayout()
        self.playout = PlayoutService(self.shows, self.data, lambda _o: self.rec)
        self.editor = GraphicEditor(self.shows, self.data)
        self.view = FakeRenderView()
        self.online = online
        self.tasks: list[asyncio.Task[Any]] = []
        self.host = RenderHost(
            self.shows,
            self.data,
            self.editor,
            self.playout,
            self.view,
            self.spawn,
            confirmed=self.confirmed,
            loaded=loaded,
        )
        self.editor.changed.connect(self.host.refresh_graphic)

    def spawn(self, coro: Any) -> asyncio.Task[Any]:
        task: asyncio.Task[Any] = asyncio.ensure_future(coro)
        self.tasks.append(task)
        return task

    def confirmed(self, _output_id: str) -> tuple[bool, ChannelState | None]:
        return self.online, None


# ---- what the preview shows ---------------------------------------------------------------------
def test_preview_of_a_selected_cue_is_what_take_sends() -> None:
    h = Host(LOWER)
    h.playout.select("lt")
    h.editor.edit_cue("lt")
    assert h.view.source == ("CUE #1 · Roussel · Take sends this", True)
    assert h.view.graphic == ("lower-third", "", "Cue #1: Roussel")
    assert h.view.timing is not None  # the theme's in and out
    job = h.host.render_preview(None, (384, 216))
    assert job is not None
    assert job().width() == 384
    assert h.playout.selected == "lt"  # Take would send this cue
    h.host.shutdown()


def test_preview_of_a_data_selection_is_not_in_the_rundown() -> None:
    h = Host(LOWER)
    h.playout.select("lt")
    h.editor.edit_cue("lt")
    h.editor.pick_row("m500", "m500-fa", 1, "can-pierre")  # a skater in Data
    assert h.view.source == (NOT_IN_RUNDOWN, False)
    assert h.view.graphic[2] == "New graphic (from the data selection)"
    # no rundown cue stays selected behind the operator's back: Take sends nothing
    assert h.playout.selected is None
    assert h.host.render_preview(None, (384, 216)) is not None
    h.host.shutdown()


def test_preview_with_nothing_picked_says_how_to_start() -> None:
    h = Host()
    h.host.refresh_graphic()
    assert h.view.source == ("Nothing prepared", False)
    assert h.view.graphic[1] == ""  # no problem shown for nothing
    with pytest.raises(ValueError, match="Nothing to preview yet"):
        h.host.render_preview(None, (384, 216))
    assert EMPTY_PREVIEW.startswith("Nothing to preview yet")
    h.host.shutdown()


def test_preview_still_of_an_earlier_selection_is_never_shown_again() -> None:
    h = Host()
    h.editor.pick_row("m500", "m500-fa", 0, "can-roussel")
    job = h.host.render_preview(None, (384, 216))
    assert job is not None
    first = job()
    again = h.host.render_preview(None, (384, 216))
    assert again is not None and again() is first  # the hold is drawn once
    h.editor.pick_row("m500", "m500-fa", 1, "can-pierre")
    job = h.host.render_preview(None, (384, 216))
    assert job is not None
    second = job()
    assert second is not first
    assert second != first  # another skater: other pixels
    h.host.shutdown()


def test_preview_before_the_renderer_is_loaded_says_so() -> None:
    h = Host(LOWER, loaded=False)
    h.editor.edit_cue("lt")
    assert h.view.source == ("CUE #1 · Roussel · Take sends this", True)
    assert h.view.timing is None  # no theme read yet
    assert h.view.preview_refreshes  # the preview says it is on its way
    with pytest.raises(ValueError, match="Preparing the preview"):
        h.host.render_preview(None, (384, 216))
    assert h.host.theme_names() == ["ice"]  # the show's own theme, until the renderer is here
    h.host.refresh_thumbnails()
    assert not h.view.thumbnails  # drawn once the renderer is loaded
    h.host.ensure_render()  # an export needs it at once
    assert h.host.loaded and h.view.timing is not None
    assert "night" in h.view.themes
    h.host.shutdown()


# ---- thumbnails ---------------------------------------------------------------------------------
def test_superseded_thumbnails_are_never_shown(qtbot: QtBot) -> None:
    h = Host()
    h.editor.pick_race("m500", "m500-fa")
    h.host.refresh_thumbnails()
    first = h.host.thumb_generation
    # the first request's thumbnails are drawn; their reports wait in the GUI thread's queue
    h.host._thumb_pool.submit(lambda: None).result()
    h.view.thumbnails.clear()
    h.host.refresh_thumbnails()  # a newer request (say the selection changed) before they land
    assert h.host.thumb_generation == first + 1
    kinds = {k.value for k in GraphicKind}
    qtbot.waitUntil(lambda: {k for k, _, _ in h.view.thumbnails} == kinds, timeout=30_000)
    h.host._thumb_pool.submit(lambda: None).result()
    qtbot.wait(0)  # anything left in the queue lands now
    shown = [k for k, _, _ in h.view.thumbnails]
    assert sorted(shown) == sorted(kinds), "a thumbnail of the first request was shown"
    assert any(image for _, image, _ in h.view.thumbnails)
    h.host.shutdown()


# ---- themes that cannot load ------------------------------------------------------------------
def test_a_theme_that_cannot_load_says_so_and_falls_back() -> None:
    broken = LOWER.model_copy(update={"theme": "no-such-theme"})
    h = Host(broken)
    h.editor.edit_cue("lt")
    text, error = h.view.status
    assert error and "no-such-theme" in text
    assert h.host.theme("no-such-theme").name == h.host.theme("ice").name  # the default
    job = h.host.render_preview(None, (384, 216))
    assert job is not None and job().width() == 384
    h.host.shutdown()


def test_no_theme_at_all_is_said_everywhere_and_nothing_crashes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(render_host, "DEFAULT_THEME", "no-default-here")
    h = Host(LOWER)
    h.editor.edit_cue("lt")  # the preview is refreshed: no timing, no crash
    assert h.view.timing is None
    assert "no-default-here" in h.view.status[0] and h.view.status[1]
    with pytest.raises(ThemeUnavailable, match="no-default-here"):
        h.host.render_preview(None, (384, 216))  # a ValueError: the preview shows it
    h.host.refresh_thumbnails()
    assert {k for k, _, _ in h.view.thumbnails} == {k.value for k in GraphicKind}
    assert all(not image and "no-default-here" in note for _, image, note in h.view.thumbnails)
    h.host.shutdown()


# ---- program monitors ---------------------------------------------------------------------------
@pytest.mark.asyncio
async def test_program_never_says_on_air_with_no_renderer_online() -> None:
    h = Host(LOWER)
    assert (await h.playout.take("lt")).ok
    h.host.refresh_program()
    caption, on_air, image, _, since = h.view.program["program"]
    assert (caption, on_air, image) == ("Program · ON AIR · tally (no renderer state)", True, True)
    assert since is not None
    h.online = False
    h.host.refresh_program()
    assert h.view.program["program"] == (
        "Program · NO RENDERER ONLINE",
        False,
        False,
        "No renderer online: what air shows is not known",
        None,
    )
    h.host.shutdown()


# ---- export -------------------------------------------------------------------------------------
@pytest.mark.asyncio
async def test_export_reports_progress_then_what_was_written(tmp_path: Path) -> None:
    second = Cue(
        id="lt2", name="Pierre", graphic="lower-third", binding=CueBinding(event_id="m500", row=1)
    )
    h = Host(LOWER, second)
    task = h.host.start_export_rundown(tmp_path / "stills")
    assert task is not None
    assert h.view.progress == [] and h.view.on_cancel is not None
    assert h.host.start_export_rundown(tmp_path / "other") is None  # one at a time
    assert h.view.status == ("an export is already under way", True)
    seen = h.view.progress
    await task
    assert seen == [
        (0, 2, "Writing 001-roussel.png"),
        (1, 2, "Writing 002-pierre.png"),
        (2, 2, "Done"),
    ]
    assert h.view.progress is None  # finished
    assert h.view.bars["export"] == ("Export rundown: 2 PNG written", "info")
    assert sorted(p.name for p in (tmp_path / "stills").glob("*.png")) == [
        "001-roussel.png",
        "002-pierre.png",
    ]
    h.host.shutdown()


@pytest.mark.asyncio
async def test_export_cancelled_from_the_view_writes_nothing_more(tmp_path: Path) -> None:
    h = Host(LOWER)
    task = h.host.start_export_rundown(tmp_path / "stills")
    assert task is not None and h.view.on_cancel is not None
    h.view.on_cancel()  # the operator presses Cancel before the first file
    await task
    assert h.view.progress is None
    assert h.view.bars["export"] == ("Export rundown: 0 PNG written (cancelled)", "info")
    assert not list((tmp_path / "stills").glob("*.png"))
    h.host.shutdown()


@pytest.mark.asyncio
async def test_export_that_cannot_write_says_why_and_ends_its_progress(tmp_path: Path) -> None:
    h = Host(LOWER)
    blocker = tmp_path / "stills"
    blocker.write_text("a file where the folder should be")
    task = h.host.start_export_rundown(blocker)
    assert task is not None
    await task
    assert h.view.progress is None
    text, level = h.view.bars["error"]
    assert level == "error" and text.startswith("Cannot export the rundown:")
    assert h.view.status[1]
    h.host.shutdown()


def test_export_preview_writes_the_graphic_being_edited(tmp_path: Path) -> None:
    h = Host(LOWER)
    h.editor.edit_cue("lt")
    h.host.export_preview(tmp_path / "lt.png")
    assert (tmp_path / "lt.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    h.host.shutdown()


def test_no_thread_is_left_running_after_shutdown() -> None:
    h = Host()
    h.editor.pick_race("m500", "m500-fa")
    h.host.refresh_thumbnails()
    h.host.shutdown()
    assert not [t for t in threading.enumerate() if t.name.startswith("thumbnails")]


# ---- the preview's own thread -------------------------------------------------------------------
def test_a_superseded_preview_frame_is_never_shown(qtbot: QtBot) -> None:
    """The preview draws the host's jobs in its own thread: a frame asked for before a newer
    one (the operator picked another skater meanwhile) is dropped when it lands."""
    from PySide6.QtGui import QColor, QImage

    from strapline.views.monitors import PreviewPanel

    panel = PreviewPanel()
    qtbot.addWidget(panel)
    shown: list[QImage | None] = []
    set_image = panel.monitor.set_image

    def record(image: QImage | None, message: str = "") -> None:
        shown.append(image)
        set_image(image, message)

    panel.monitor.set_image = record  # type: ignore[method-assign]
    release = threading.Event()

    def image(colour: str) -> QImage:
        frame = QImage(16, 9, QImage.Format.Format_ARGB32_Premultiplied)
        frame.fill(QColor(colour))
        return frame

    old, new = image("red"), image("green")

    def slow_old() -> QImage:
        release.wait(30)
        return old

    jobs = iter([lambda: slow_old, lambda: lambda: new])
    panel.set_renderer(lambda _head, _size: next(jobs)())  # the old frame starts drawing
    panel.refresh()  # a newer frame is asked for while the old one draws
    release.set()
    qtbot.waitUntil(lambda: bool(shown), timeout=30_000)
    assert shown == [new]
    panel.shutdown()
