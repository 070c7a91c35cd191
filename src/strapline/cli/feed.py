"""`strapline feed`: record a timing feed to a file, and replay a recording (or the demo race)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

EPILOG = """\
examples:
  strapline feed record --listen 5555 -o race.feed            # UDP on 127.0.0.1:5555
  strapline feed record --listen 0.0.0.0:5556 --tcp -o lynx.feed
  strapline feed replay race.feed --to 127.0.0.1:5555
  strapline feed replay --demo --to 127.0.0.1:5555 --speed 4
exit status: 0 when done (record: stopped with Ctrl+C or after --duration), 1 on bad input or a
port that cannot be used.
"""


def _listen(text: str) -> tuple[str, int]:
    host, sep, port = text.rpartition(":")
    host = host.strip("[]") if sep else "127.0.0.1"
    return host or "127.0.0.1", _port(port, "--listen", allow_zero=True)


def _target(text: str) -> tuple[str, int]:
    host, sep, port = text.rpartition(":")
    host = host.strip("[]")
    if not sep or not host:
        raise argparse.ArgumentTypeError(f"--to {text!r} is not HOST:PORT, e.g. 127.0.0.1:5555")
    return host, _port(port, "--to")


def _port(text: str, option: str, allow_zero: bool = False) -> int:
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"port {text!r} in {option} is not a number") from None
    low = 0 if allow_zero else 1
    if not low <= number <= 65535:
        raise argparse.ArgumentTypeError(f"port {number} in {option} is out of range ({low}-65535)")
    return number


def _speed(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--speed {text!r} is not a number") from None
    if not 0 < value <= 1000:
        raise argparse.ArgumentTypeError(f"--speed {value:g} is out of range (above 0, up to 1000)")
    return value


def configure(name: str, parser: argparse.ArgumentParser) -> None:
    parser.epilog = EPILOG
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    record = sub.add_parser(
        "record", help="listen like Strapline's feed and write everything that arrives to a file"
    )
    record.add_argument(
        "--listen",
        type=_listen,
        required=True,
        metavar="[HOST:]PORT",
        help="where to listen (host 127.0.0.1 unless given; 0.0.0.0 for every interface)",
    )
    record.add_argument("--tcp", action="store_true", help="listen on TCP instead of UDP")
    record.add_argument("-o", "--output", type=Path, required=True, metavar="FILE",
                        help="the recording to write (replaced if it exists)")  # fmt: skip
    record.add_argument(
        "--duration",
        type=float,
        default=None,
        metavar="S",
        help="stop after S seconds (default: run until Ctrl+C)",
    )
    replay = sub.add_parser("replay", help="send a recording (or the demo race) to a feed")
    source = replay.add_mutually_exclusive_group(required=True)
    source.add_argument("file", nargs="?", type=Path, default=None, metavar="FILE",
                        help="a recording made with 'strapline feed record'")  # fmt: skip
    source.add_argument(
        "--demo",
        action="store_true",
        help="the shipped demo race (invented: men's 1000 m final, 9 laps, five skaters, a fall "
        "and a penalty at the line; JSON-lines)",
    )
    replay.add_argument("--to", type=_target, required=True, metavar="HOST:PORT",
                        help="the feed's address (Strapline's timing feed port)")  # fmt: skip
    replay.add_argument("--tcp", action="store_true", help="send over TCP instead of UDP")
    replay.add_argument("--speed", type=_speed, default=1.0, metavar="X",
                        help="play X times as fast (default 1: real time)")  # fmt: skip


def run(args: argparse.Namespace) -> int:
    if args.action == "record":
        return _record(args)
    return _replay(args)


def _record(args: argparse.Namespace) -> int:
    from strapline.feeds.recording import Recorder, RecordingWriter

    host, port = args.listen
    try:
        out = args.output.open("w", encoding="utf-8")
    except OSError as exc:
        print(f"strapline feed record: cannot write {args.output}: {exc}", file=sys.stderr)
        return 1
    transport = "tcp" if args.tcp else "udp"
    with out:
        writer = RecordingWriter(out, transport)

        async def main() -> None:
            recorder = Recorder(writer, host, port, tcp=args.tcp)
            bound = await recorder.start()
            print(f"recording {transport} {bound[0]}:{bound[1]} to {args.output} "
                  "(Ctrl+C to stop)", flush=True)  # fmt: skip
            try:
                if args.duration is not None:
                    await asyncio.sleep(args.duration)
                else:
                    await asyncio.Event().wait()
            finally:
                await recorder.close()

        try:
            asyncio.run(main())
        except OSError as exc:
            print(f"strapline feed record: cannot listen on {host}:{port}: {exc}", file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            pass
    print(f"recorded {writer.count} {'chunks' if args.tcp else 'datagrams'} to {args.output}")
    return 0


def _replay(args: argparse.Namespace) -> int:
    from strapline.feeds.recording import RecordingError, demo_race_path, read_recording, replay

    path = demo_race_path() if args.demo else args.file
    try:
        recording = read_recording(path)
    except RecordingError as exc:
        print(f"strapline feed replay: {exc}", file=sys.stderr)
        return 1
    host, port = args.to
    if recording.header.get("demo"):
        print(f"demo race: {recording.header.get('note', '')}")
    print(f"replaying {len(recording.entries)} entries ({recording.duration / args.speed:.1f} s) "
          f"to {'tcp' if args.tcp else 'udp'} {host}:{port}", flush=True)  # fmt: skip
    try:
        sent = asyncio.run(replay(recording, host, port, tcp=args.tcp, speed=args.speed))
    except OSError as exc:
        print(f"strapline feed replay: cannot send to {host}:{port}: {exc}", file=sys.stderr)
        return 1
    print(f"sent {sent} entries")
    return 0
