"""Panels on their own: the generated form, the preview timeline, the pending-update prompt."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from service_fakes import RecordingPlayout, make_competition
from test_app_controller import LOWER, _show_to, make

from strapline.domain.graphics import LowerThirdData, PodiumData
from strapline.views.monitors import PreviewPanel
from strapline.views.schema_form import SchemaForm, field_kind


def test_form_generated_from_the_schema(qtbot: QtBot) -> None:
    form = SchemaForm(LowerThirdData)
    qtbot.addWidget(form)
    edited: list[tuple[str, object]] = []
    form.fieldEdited.connect(lambda n, v: edited.append((n, v)))
    form.set_values(
        {"family_name": "ROUSSEL", "helmet": 121, "team_members": ["A", "B"]}, {"helmet"}
    )
    helmet = form.editor("helmet")
    assert helmet.text() == "121"  # type: ignore[attr-defined]
    assert form.editor("team_members").text() == "A; B"  # type: ignore[attr-defined]
    assert edited == []  # filling the form is not an edit
    helmet.setText("")  # type: ignore[attr-defined]
    helmet.editingFinished.emit()  # type: ignore[attr-defined]
    assert edited == [("helmet", None)]  # optional number left blank


def test_rows_of_a_podium_edit_as_a_table(qtbot: QtBot) -> None:
    form = SchemaForm(PodiumData)
    qtbot.addWidget(form)
    assert field_kind(PodiumData.model_fields["entries"].annotation)[0] == "rows"
    edited: list[tuple[str, object]] = []
    form.fieldEdited.connect(lambda n, v: edited.append((n, v)))
    form.set_values({"title": "Men 500 m", "entries": [{"place": 1, "name": "Felix ROUSSEL"}]})
    table = form.editor("entries")
    column = [n for n, _ in table.fields].index("name")  # type: ignore[attr-defined]
    table.item(0, column).setText("Félix ROUSSEL")  # type: ignore[attr-defined]
    name, rows = edited[-1]
    assert name == "entries" and rows[0]["place"] == 1  # type: ignore[index]
    assert (
        PodiumData.model_validate({"title": "x", "entries": rows}).entries[0].name
        == "Félix ROUSSEL"
    )


def test_preview_timeline_scrubs_through_in_hold_out(qtbot: QtBot) -> None:
    panel = PreviewPanel()
    qtbot.addWidget(panel)
    panel.set_timing(0.5, 0.5, (0.035, 0.05))
    panel.slider.setValue(10)
    head = panel.playhead()
    assert head is not None and head.phase == "in"
    panel.slider.setValue(500)
    assert panel.playhead() is None  # the still
    panel.slider.setValue(1000)
    head = panel.playhead()
    assert head is not None and head.phase == "out"
    panel.safe_check.setChecked(True)
    assert panel.monitor.safe == (0.035, 0.05)
    panel.shutdown()


@pytest.mark.asyncio
async def test_preview_is_the_exact_render(tmp_path: Path, qtbot: QtBot) -> None:
    ctl = make(tmp_path, _show_to(9, LOWER), make_competition())
    qtbot.addWidget(ctl.window)
    ctl.window.rundown.select_cue("lt")
    ctl.window.preview.slider.setValue(500)
    image = ctl.window.preview.render_now()
    assert image is not None and (image.width(), image.height()) == (1920, 1080)
    from strapline.render import render_graphic

    res = ctl.editor.resolved()
    assert res.data is not None
    same = render_graphic("lower-third", res.data, ctl.theme(""), (1920, 1080))
    assert image == same
    for _ in range(100):  # the worker thread's frame reaches the monitor
        if ctl.window.preview.monitor.image is not None:
            break
        await asyncio.sleep(0.02)
    assert ctl.window.preview.monitor.image is not None
    await ctl.shutdown()


@pytest.mark.asyncio
async def test_new_data_for_an_on_air_cue_asks_first(tmp_path: Path, qtbot: QtBot) -> None:
    rec = RecordingPlayout()
    ctl = make(tmp_path, _show_to(9, LOWER), make_competition(), factory=rec)
    qtbot.addWidget(ctl.window)
    asked: list[str] = []
    ctl.pendingUpdateAsked.connect(asked.append)
    assert (await ctl.playout.take("lt")).ok
    ctl.data.set_competition(make_competition(roussel_time=40_100))
    assert asked == ["lt"]
    assert rec.names() == ["load", "play"]  # nothing went to air by itself
    assert "Update" in ctl.window.status.text()
    await ctl.shutdown()
