"""The outputs panel: the table follows adds and removes at once, a target is never added
twice, and a local renderer that cannot start says so in the window."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot
from service_fakes import make_competition

from strapline.domain.rundown import OutputConfig, Show, TargetConfig
from strapline.services.data import DataService
from strapline.services.outputs import OutputsService
from strapline.services.playout import PlayoutService
from strapline.services.show import ShowService
from strapline.views.controller import AppController


def _ctl(tmp_path: Path) -> tuple[AppController, OutputsService]:
    show = Show(outputs=[OutputConfig(targets=[TargetConfig(host="127.0.0.1", port=9)])])
    shows = ShowService(show)
    data = DataService()
    data.set_competition(make_competition())
    outputs = OutputsService(timeout=0.2)
    playout = PlayoutService(shows, data, outputs.playout)
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    ctl = AppController(
        shows, data, playout, outputs, settings=settings, recovery_dir=tmp_path, interactive=False
    )
    return ctl, outputs


def _targets(ctl: AppController) -> list[str]:
    table = ctl.window.outputs.table
    return [table.item(r, 1).text() for r in range(table.rowCount())]


@pytest.mark.asyncio
async def test_add_and_remove_refresh_the_table_and_duplicates_are_refused(
    tmp_path: Path, qtbot: QtBot
) -> None:
    ctl, outputs = _ctl(tmp_path)
    qtbot.addWidget(ctl.window)
    panel = ctl.window.outputs
    panel.target_edit.setText("127.0.0.1:9301")
    panel._on_add()
    assert _targets(ctl) == ["127.0.0.1:9", "127.0.0.1:9301"]  # at once, before any take
    panel.target_edit.setText("localhost:9301")  # the same renderer by another name
    panel._on_add()
    panel._on_add()
    assert [t.port for t in ctl.shows.show.outputs[0].targets] == [9, 9301]
    assert "already a target" in panel.error.text()
    assert _targets(ctl) == ["127.0.0.1:9", "127.0.0.1:9301"]
    panel.table.selectRow(1)
    panel._on_remove()
    assert _targets(ctl) == ["127.0.0.1:9"]
    ctl.undo.undo()
    assert _targets(ctl) == ["127.0.0.1:9", "127.0.0.1:9301"]
    await outputs.ready()
    await ctl.shutdown()


@pytest.mark.asyncio
async def test_a_renderer_port_in_use_is_said_in_the_window(tmp_path: Path, qtbot: QtBot) -> None:
    ctl, outputs = _ctl(tmp_path)
    qtbot.addWidget(ctl.window)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as busy:
        busy.bind(("127.0.0.1", 0))
        port = busy.getsockname()[1]
        ctl.launch_renderer(port, window=False)
    assert ctl.launcher.process is None  # nothing started
    assert f"port {port} is in use" in ctl.window.outputs.error.text()
    bar = ctl.prompts.bars["error"]
    assert f"port {port} is in use" in bar.text
    await outputs.ready()
    await ctl.shutdown()


@pytest.mark.asyncio
async def test_the_client_gets_transport_flat_fields_and_sync_lead(
    tmp_path: Path, qtbot: QtBot
) -> None:
    ctl, outputs = _ctl(tmp_path)
    qtbot.addWidget(ctl.window)
    panel = ctl.window.outputs
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # a TCP renderer to reach
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    tcp_port = listener.getsockname()[1]
    panel.target_edit.setText(f"127.0.0.1:{tcp_port}")
    panel.transport_combo.setCurrentIndex(panel.transport_combo.findData("tcp"))
    panel._on_add()
    panel.target_edit.setText("127.0.0.1:9303")
    panel.transport_combo.setCurrentIndex(panel.transport_combo.findData("udp"))
    panel.flat_check.setChecked(True)
    panel._on_add()
    panel.lead_spin.setValue(120)
    panel._on_lead()
    out = ctl.shows.show.outputs[0]
    assert out.sync_lead_ms == 120
    pl = outputs.playout(out)
    links = {link.config.port: link.config for link in pl.links}  # type: ignore[attr-defined]
    assert links[tcp_port].tcp and not links[tcp_port].flat
    assert links[9303].flat and not links[9303].tcp
    assert pl.sync_lead_s == pytest.approx(0.12)  # type: ignore[attr-defined]
    await outputs.ready()
    await ctl.shutdown()
    listener.close()


@pytest.mark.asyncio
async def test_quitting_never_hangs_on_an_unreachable_tcp_renderer(
    tmp_path: Path, qtbot: QtBot
) -> None:
    import time

    ctl, _outputs = _ctl(tmp_path)
    qtbot.addWidget(ctl.window)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]  # nothing listens there once closed
    ctl.outputs_ctl.add_target("127.0.0.1", closed_port, "tcp")
    started = time.monotonic()
    await ctl.shutdown()
    assert time.monotonic() - started < 3.0
