"""`strapline feed record` and `strapline feed replay`: a round trip through real sockets
(ports bound to 0), and bad recordings refused with the file and line named."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from strapline.cli import main
from strapline.feeds.recording import RecordingError, demo_race_path, read_recording


def _start_recorder(out: Path, *extra: str) -> tuple[subprocess.Popen[str], int]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "strapline", "feed", "record", "--listen", "127.0.0.1:0",
         "-o", str(out), "--duration", "20", *extra],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.startswith("recording "), line
    port = int(line.split()[2].rsplit(":", 1)[1])
    return proc, port


@pytest.mark.parametrize("tcp", [False, True])
def test_record_then_replay_the_demo_race_round_trip(tmp_path: Path, tcp: bool) -> None:
    out = tmp_path / "race.feed"
    proc, port = _start_recorder(out, *(["--tcp"] if tcp else []))
    try:
        code = main(["feed", "replay", "--demo", "--to", f"127.0.0.1:{port}", "--speed", "400",
                     *(["--tcp"] if tcp else [])])  # fmt: skip
        assert code == 0
        demo = read_recording(demo_race_path())
        expected = b"".join(e.data + (b"\n" if tcp else b"") for e in demo.entries)
        # wait until everything has arrived (the recorder flushes every entry)
        for _ in range(400):
            got = read_recording(out)
            joined = b"".join(e.data for e in got.entries) if tcp else None
            if (tcp and joined == expected) or (not tcp and len(got.entries) == len(demo.entries)):
                break
            subprocess.run(["sleep", "0.02"], check=True)
    finally:
        proc.terminate()
        proc.communicate(timeout=10)
    got = read_recording(out)
    assert got.transport == ("tcp" if tcp else "udp")
    if tcp:
        assert b"".join(e.data for e in got.entries) == expected
    else:
        assert [e.data for e in got.entries] == [e.data for e in demo.entries]
        # played 400 times as fast: the 99 s race in about a quarter of a second
        assert got.duration < demo.duration / 400 + 2.0


def test_recordings_keep_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    from strapline.feeds.recording import RecordingWriter

    path = tmp_path / "lynx.feed"
    ticks = iter([0.0, 0.5, 1.25])
    with path.open("w", encoding="utf-8") as out:
        writer = RecordingWriter(out, "tcp", clock=lambda: next(ticks))
        writer.write(b"SLX|R|1|1|117|KUCZY\xd1SKI|POL|||5.91|5.91|4\r\n")
        writer.write(b"SLX|T|R|12.3\r\n")
    got = read_recording(path)
    assert [e.t for e in got.entries] == [0.5, 1.25]
    assert got.entries[0].data == b"SLX|R|1|1|117|KUCZY\xd1SKI|POL|||5.91|5.91|4\r\n"


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("", "empty, not a feed recording"),
        ('{"x": 1}\n', "line 1: not a Strapline feed recording"),
        ('{"strapline_feed_recording": 1}\n{"t": 1, "data": "a"}\n{"t": 0.5, "data": "b"}\n',
         "line 3: 't' 0.5 goes back in time"),
        ('{"strapline_feed_recording": 1}\n{"t": 1, "data": 5}\n', "line 2: an entry needs"),
        ('{"strapline_feed_recording": 1}\n{"t": -1, "data": "a"}\n', "line 2: 't' must be"),
        ('{"strapline_feed_recording": 1}\n{"t": 1, "data": "a"\n', "line 2, column"),
    ],
)  # fmt: skip
def test_bad_recordings_name_file_and_line(
    tmp_path: Path, text: str, what: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.feed"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RecordingError, match=r"bad\.feed") as info:
        read_recording(path)
    assert what in str(info.value)
    assert main(["feed", "replay", str(path), "--to", "127.0.0.1:9"]) == 1
    assert what in capsys.readouterr().err


def test_options_are_checked(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["feed", "replay", "--demo", "--to", "nowhere"])
    assert "is not HOST:PORT" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["feed", "replay", "--demo", "--to", "127.0.0.1:5555", "--speed", "0"])
    assert "--speed 0 is out of range" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["feed", "record", "--listen", "70000", "-o", "x"])
    assert "port 70000 in --listen is out of range" in capsys.readouterr().err


def test_demo_recording_is_marked_as_demo() -> None:
    header = json.loads(demo_race_path().read_text("utf-8").splitlines()[0])
    assert header["demo"] is True and "DEMO DATA" in header["note"]


def test_export_renders_the_live_race_from_a_recording(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    feed = str(demo_race_path())
    out = tmp_path / "laps.png"
    assert main(["export", "--feed", feed, "--graphic", "lap-chart", "-o", str(out)]) == 0
    assert out.stat().st_size > 10_000
    code = main(["export", "--feed", feed, "--graphic", "finish-card", "--at", "60", "-o",
                 str(tmp_path / "x.png")])  # fmt: skip
    assert code == 1 and "no winner yet" in capsys.readouterr().err
    code = main(["export", "--feed", feed, "--graphic", "podium", "-o", str(tmp_path / "x.png")])
    assert code == 1 and "--graphic race-clock, positions" in capsys.readouterr().err


def test_race_at_reads_a_finishlynx_tcp_recording_split_anywhere(tmp_path: Path) -> None:
    from strapline.domain.live_race import Phase, elapsed_ms
    from strapline.feeds.recording import race_at

    stream = (
        b"SLX|LH|UNOFFICIAL|Men 500 m|12|1|1|2\r\nSLX|L||1|117|NIKISHA Denis|KAZ|||||\r\n"
        b"SLX|L||2|161|ROUSSEL Felix|CAN|||||\r\nSLX|LE\r\nSLX|T|R|1.0\r\nSLX|T|R|2.0\r\n"
        b"SLX|BAD\r\nSLX|T|S|41.48\r\n"
    )
    path = tmp_path / "lynx.feed"
    # as 'strapline feed record' writes it: no protocol in the header (it is recognised)
    lines = [json.dumps({"strapline_feed_recording": 1, "transport": "tcp"})]
    for i in range(0, len(stream), 13):  # chunks that cut records in two
        lines.append(json.dumps({"t": i / 10, "data": stream[i : i + 13].decode()}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    state, errors = race_at(read_recording(path))
    assert state.race == "12-1-1" and state.phase is Phase.FINISHED
    assert elapsed_ms(state, 1e6) == 41_480
    assert len(errors) == 1 and "unknown record type 'BAD'" in errors[0]
