"""The preview draws its still once: the hold of the animated timeline costs no rendering."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from test_deferred_render import make

import strapline.render
from strapline.views.controllers.render_host import THUMB_SIZE


def test_hold_frames_reuse_the_still_until_something_changes(
    tmp_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[Any] = []
    real = strapline.render.render_graphic

    def counting(kind: str, data: Any, theme: Any, size: Any, head: Any = None, **kw: Any) -> Any:
        if tuple(size) != THUMB_SIZE:  # the thumbnails draw in their own thread
            calls.append(head)
        return real(kind, data, theme, size, head, **kw)

    monkeypatch.setattr(strapline.render, "render_graphic", counting)
    ctl = make(tmp_path, defer=False)
    qtbot.addWidget(ctl.window)
    ctl.window.rundown.select_cue("lt")
    preview = ctl.window.preview
    qtbot.waitUntil(lambda: preview.monitor.image is not None and not preview._busy, timeout=10_000)
    first = preview.monitor.image
    assert preview.playhead() is None  # the slider rests in the hold
    drawn = len(calls)
    for _ in range(5):  # timeline ticks inside the hold
        preview.slider.setValue(preview.slider.value() + 1)
        qtbot.wait(20)
    assert preview.playhead() is None
    assert len(calls) == drawn  # no new drawing
    assert preview.monitor.image is first

    preview.slider.setValue(0)  # the animation in: drawn every time
    qtbot.waitUntil(lambda: len(calls) > drawn, timeout=10_000)
    assert calls[-1] is not None and calls[-1].phase == "in"

    ctl.window.rundown.select_cue("")  # then a change of data draws a new still
    ctl.editor.set_field("family_name", "ROUSSEL-TEST")
    preview.slider.setValue(preview._hold_position())
    qtbot.waitUntil(lambda: calls[-1] is None and len(calls) > drawn + 1, timeout=10_000)
    ctl.window.close()
