"""`strapline send` against a renderer state machine served from another thread."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from strapline.cli import main
from strapline.osc.server import serve
from strapline.renderer.engine import RendererEngine

LT = {"family_name": "ROUSSEL", "given_name": "Felix", "nation": "CAN"}


class Served:
    def __init__(self) -> None:
        self.engine = RendererEngine("cli-test")
        self.ready = threading.Event()
        self.loop = asyncio.new_event_loop()
        self.port = 0
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        assert self.ready.wait(5)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)

        async def start() -> None:
            self.server = await serve(self.engine.handle_packet, "127.0.0.1", 0)
            self.port = self.server.address[1]
            self.ready.set()

        self.loop.run_until_complete(start())
        self.loop.run_forever()
        self.loop.run_until_complete(self.server.close())
        self.loop.close()

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


@pytest.fixture
def renderer() -> Iterator[Served]:
    served = Served()
    yield served
    served.stop()


def send(renderer: Served, *args: str) -> int:
    return main(["send", "--to", f"127.0.0.1:{renderer.port}", *args])


def test_load_play_state_stop(
    renderer: Served, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "lt.json"
    data.write_text(json.dumps(LT), encoding="utf-8")
    assert (
        send(renderer, "--layer", "20", "--wait-ack", "load", "lower-third", "--data", str(data))
        == 0
    )
    assert "ack from cli-test" in capsys.readouterr().out
    assert send(renderer, "--layer", "20", "--wait-ack", "--tcp", "play") == 0
    assert send(renderer, "state") == 0
    state = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert state["layers"][0]["on_air"] is True
    assert state["layers"][0]["data"] == LT
    assert (
        send(renderer, "--layer", "20", "--wait-ack", "update", "--data", '{"family_name": "KIM"}')
        == 0
    )
    assert send(renderer, "--layer", "20", "--wait-ack", "stop", "--immediate") == 0
    assert send(renderer, "--wait-ack", "clear", "--all") == 0
    assert send(renderer, "--wait-ack", "panic") == 0
    assert send(renderer, "ping") == 0
    assert "pong from cli-test" in capsys.readouterr().out
    assert renderer.engine.channel_state(1).layers == []


def test_nack_exits_1(renderer: Served, capsys: pytest.CaptureFixture[str]) -> None:
    assert send(renderer, "--layer", "3", "--wait-ack", "play") == 1
    err = capsys.readouterr().err
    assert "nack from cli-test" in err and "nothing loaded" in err


def test_fire_and_forget(renderer: Served, capsys: pytest.CaptureFixture[str]) -> None:
    assert send(renderer, "panic") == 0
    assert "sent panic" in capsys.readouterr().out


def test_timeout_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["send", "--to", "127.0.0.1:9", "--timeout", "0.3", "--wait-ack", "panic"]) == 1
    assert "timeout: no answer from 127.0.0.1:9" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["load", "lower-third", "--data", "{oops"], "--data: line 1, column 2"),
        (["load", "lower-third", "--data", "missing.json"], "missing.json: no such file"),
        (["load", "lower-third", "--data", '{"given_name": "x"}'], "family_name: Field required"),
        (["load", "hologram", "--data", "{}"], "unknown graphic 'hologram'"),
        (["update", "--data", "[1, 2]"], "must be a JSON object"),
        (["--layer", "-1", "play"], "--layer must be"),
        (
            ["load", "lower-third", "--data", '{"family_name": "A\\ud800", "nation": "CAN"}'],
            "--data: data.family_name: text is not valid Unicode",
        ),
        (["update", "--data", '{"rows": [{"\\udfff": 1}]}'], "data.rows[0] (a key)"),
        (["load", "lower-third", "--data", "{}", "--theme", "../x"], "not a theme name"),
    ],
)
def test_bad_input_is_one_clear_message(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["send", "--to", "127.0.0.1:9", *args]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_bad_target(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["send", "--to", "nowhere", "ping"])
    assert info.value.code == 2
    assert "is not HOST:PORT" in capsys.readouterr().err


def test_tcp_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["send", "--to", "127.0.0.1:9", "--tcp", "--timeout", "0.2", "panic"]) == 1
    assert "cannot connect" in capsys.readouterr().err


def test_data_from_standard_input(
    renderer: Served, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(LT)))
    assert send(renderer, "--wait-ack", "load", "lower-third", "--data", "-") == 0
    assert renderer.engine.channel_state(1).layers[0].data == LT
