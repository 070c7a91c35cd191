"""The take's datagram leaves inside the key handler, before the event loop runs again."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from osc_receiver import OscReceiver
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from service_fakes import make_competition

from strapline.domain.rundown import Cue, CueBinding, OutputConfig, Show, TargetConfig
from strapline.osc import address as osc
from strapline.osc.client import TargetLink
from strapline.osc.codec import parse_packet
from strapline.services.data import DataService
from strapline.services.outputs import OutputsService
from strapline.services.playout import PlayoutService
from strapline.services.show import ShowService
from strapline.views.controller import AppController

LOWER = Cue(
    id="lt", name="Roussel", graphic="lower-third", binding=CueBinding(event_id="m500", row=0)
)


@pytest.mark.asyncio
async def test_take_hotkey_sends_play_before_the_handler_returns(
    tmp_path: Path, qtbot: QtBot, receiver: OscReceiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[osc.Command] = []
    send_raw = TargetLink.send_raw

    def recording(self: TargetLink, packet: bytes) -> bool:
        for timed in parse_packet(packet):
            sent.append(osc.parse_command(timed.message))
        return send_raw(self, packet)

    monkeypatch.setattr(TargetLink, "send_raw", recording)
    show = Show(
        theme="ice",
        outputs=[
            OutputConfig(targets=[TargetConfig(name="rx", host="127.0.0.1", port=receiver.port)])
        ],
    )
    shows = ShowService(show)
    shows.add_cue(LOWER)
    data = DataService()
    data.set_competition(make_competition())
    outputs = OutputsService(timeout=1.0, heartbeat=0.05, offline_after=0.5)
    playout = PlayoutService(shows, data, outputs.playout)
    ctl = AppController(
        shows,
        data,
        playout,
        outputs,
        settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat),
        recovery_dir=tmp_path / "recovery",
        interactive=False,
    )
    qtbot.addWidget(ctl.window)
    playout.playouts()
    await outputs.ready()
    ctl.window.show()
    ctl.window.activateWindow()
    assert QTest.qWaitForWindowActive(ctl.window, 2000)
    ctl.window.rundown.select_cue("lt")
    assert (await playout.cue("lt")).ok  # preloaded: the take is a play alone
    sent.clear()

    QTest.keyClick(ctl.window.rundown.tree, Qt.Key.Key_F2)
    # no await since the key press: the loop has not run, yet the play has gone
    assert [type(c) for c in sent] == [osc.Play]
    assert sent[0].layer == 20

    for _ in range(200):  # the acknowledgement then puts it on air, as before
        if playout.state_of("lt") == "on-air":
            break
        await asyncio.sleep(0.01)
    assert playout.state_of("lt") == "on-air"
    assert len(receiver.commands(osc.Play)) == 1
    await ctl.shutdown()
