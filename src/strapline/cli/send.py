"""`strapline send`: one playout command to a renderer, from scripts and tests."""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

from strapline.domain.theme import THEME_NAME_PATTERN
from strapline.osc import address as osc

EPILOG = """\
examples:
  strapline send --to 127.0.0.1:9100 --layer 20 --wait-ack load lower-third \\
      --data '{"family_name": "ROUSSEL", "given_name": "Felix", "nation": "CAN"}'
  strapline send --to 127.0.0.1:9100 --layer 20 --wait-ack play
  strapline send --to 127.0.0.1:9100 --layer 20 stop --immediate
  strapline send --to 127.0.0.1:9100 state
exit status: 0 when acknowledged (or sent, without --wait-ack), 1 on a nack, a timeout or bad input.
"""


def _target(text: str) -> tuple[str, int]:
    host, sep, port = text.rpartition(":")
    host = host.strip("[]")
    if not sep or not host:
        raise argparse.ArgumentTypeError(f"--to {text!r} is not HOST:PORT, e.g. 127.0.0.1:9100")
    try:
        number = int(port)
    except ValueError:
        raise argparse.ArgumentTypeError(f"port {port!r} in --to is not a number") from None
    if not 1 <= number <= 65535:
        raise argparse.ArgumentTypeError(f"port {number} in --to is out of range (1-65535)")
    return host, number


def configure(name: str, parser: argparse.ArgumentParser) -> None:
    parser.epilog = EPILOG
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument(
        "--to", type=_target, required=True, metavar="HOST:PORT", help="the renderer's address"
    )
    parser.add_argument("--tcp", action="store_true", help="send over TCP (SLIP) instead of UDP")
    parser.add_argument("--channel", type=int, default=1, metavar="N", help="output channel (1)")
    parser.add_argument("--layer", type=int, default=10, metavar="N", help="layer (default 10)")
    parser.add_argument(
        "--wait-ack",
        action="store_true",
        help="retry until the renderer answers; print the ack or nack (state and ping always wait)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=1.0,
        metavar="S",
        help="seconds to wait for an answer, retrying every 0.1 s (default 1)",
    )
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    load = sub.add_parser("load", help="load a graphic with its data on the layer")
    load.add_argument("graphic", help="graphic id: lower-third, podium, standings, ...")
    load.add_argument(
        "--data",
        required=True,
        metavar="FILE_OR_JSON",
        help="the graphic's data: a JSON object, a JSON file, or - for standard input",
    )
    load.add_argument("--theme", default="", help="theme name (default: the renderer's)")
    play = sub.add_parser("play", help="take the loaded graphic in, or go to its next step")
    play.add_argument("--step", type=int, default=None, metavar="K", help="go to step K (0-based)")
    update = sub.add_parser("update", help="new data for the graphic on the layer")
    update.add_argument("--data", required=True, metavar="FILE_OR_JSON", help="as for load")
    stop = sub.add_parser("stop", help="take the graphic out")
    stop.add_argument("--immediate", action="store_true", help="cut, without the out animation")
    clear = sub.add_parser("clear", help="clear the layer at once")
    clear.add_argument("--all", action="store_true", help="clear every layer of the channel")
    sub.add_parser("panic", help="clear every layer of every channel at once")
    sub.add_parser("state", help="print the channel's state as JSON")
    sub.add_parser("ping", help="print the renderer's id, round trip and late frames")


class InputError(Exception):
    pass


def _read_data(text: str) -> dict[str, Any]:
    source = "--data"
    if text == "-":
        raw = sys.stdin.read()
        source = "standard input"
    elif text.lstrip()[:1] in ("{", "["):
        raw = text
    else:
        path = Path(text)
        source = str(path)
        try:
            raw = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise InputError(f"{path}: no such file") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{path}: cannot be read: {exc}") from None
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InputError(f"{source}: line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    if not isinstance(value, dict):
        raise InputError(f"{source}: the data must be a JSON object {{...}}")
    problem = osc.text_problem(value)
    if problem is not None:
        raise InputError(f"{source}: {problem}")
    size = len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode())
    if size > osc.MAX_DATA_BYTES:
        raise InputError(f"{source}: {size} bytes of data, over the {osc.MAX_DATA_BYTES} limit")
    return value


def _check_data(graphic: str, data: dict[str, Any], source: str) -> None:
    from pydantic import ValidationError

    from strapline.domain.graphics import data_model

    try:
        data_model(graphic).model_validate(data)
    except ValidationError as exc:
        lines = [
            f"  {'.'.join(str(p) for p in e['loc']) or '(data)'}: {e['msg']}" for e in exc.errors()
        ]
        raise InputError(f"{source}: does not fit {graphic}:\n" + "\n".join(lines[:10])) from None
    except ValueError as exc:
        raise InputError(str(exc)) from None


def _command(args: argparse.Namespace, seq: int) -> osc.Command:
    ch, layer = args.channel, args.layer
    match args.action:
        case "load":
            return osc.Load(seq, ch, layer, args.graphic, args.theme, args.data_value)
        case "play":
            return osc.Play(seq, ch, layer, osc.NEXT_STEP if args.step is None else args.step)
        case "update":
            return osc.Update(seq, ch, layer, args.data_value)
        case "stop":
            return osc.Stop(seq, ch, layer, args.immediate)
        case "clear":
            return osc.ClearChannel(seq, ch) if args.all else osc.ClearLayer(seq, ch, layer)
        case "panic":
            return osc.Panic(seq)
        case "state":
            return osc.GetState(seq, ch)
    return osc.Ping(seq, time.monotonic())


async def _send(args: argparse.Namespace) -> int:
    from strapline.domain.playout import OutcomeKind
    from strapline.osc.client import TargetConfig, TargetLink

    host, port = args.to
    link = TargetLink(
        TargetConfig(host, port, tcp=args.tcp), timeout=args.timeout, retry_interval=0.1
    )
    await link.start(heartbeats=False)
    try:
        if not link.connected:
            print(f"strapline send: cannot connect to {host}:{port} over TCP", file=sys.stderr)
            return 1
        if args.action == "ping":
            return await _ping(link, args.timeout)
        command = _command(args, link.next_seq())
        if not (args.wait_ack or args.action == "state"):
            link.send_raw(osc.build(command))
            await asyncio.sleep(0)  # let the write go out before the socket closes
            print(f"sent {args.action} (seq {command.seq}) to {host}:{port}")
            return 0
        outcome = await link.request(command)
        who = link.renderer_id or outcome.target
        if outcome.kind is OutcomeKind.ACK:
            if args.action == "state":
                state = link.states.get(args.channel)
                print(json.dumps(state.model_dump(mode="json") if state else {}, indent=2))
            else:
                rtt = f", {outcome.rtt_ms:.2f} ms" if outcome.rtt_ms is not None else ""
                print(f"ack from {who} (seq {outcome.seq}{rtt}, {outcome.attempts} attempt(s))")
            return 0
        if outcome.kind is OutcomeKind.NACK:
            print(f"nack from {who} (seq {outcome.seq}): {outcome.reason}", file=sys.stderr)
        else:
            print(f"{outcome.kind.value}: {outcome.reason}", file=sys.stderr)
        return 1
    finally:
        await link.close()


async def _ping(link: Any, timeout: float) -> int:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while loop.time() < end:
        link.send_raw(osc.build(osc.Ping(link.next_seq(), time.monotonic())))
        await asyncio.sleep(0.1)
        h = link.health
        if h.online:
            up = time.time() - h.started if h.started else 0.0
            print(
                f"pong from {h.renderer_id}: round trip {h.rtt_ms:.2f} ms, "
                f"late frames {h.late_frames}, up {up:.0f} s"
            )
            return 0
    print(f"timeout: no pong from {link.config.label} in {timeout:g} s", file=sys.stderr)
    return 1


def run(args: argparse.Namespace) -> int:
    try:
        if not 1 <= args.channel <= osc.MAX_CHANNEL:
            raise InputError(f"--channel must be 1-{osc.MAX_CHANNEL}")
        if not 0 <= args.layer <= osc.MAX_LAYER:
            raise InputError(f"--layer must be 0-{osc.MAX_LAYER}")
        if not 0.05 <= args.timeout <= 600:
            raise InputError("--timeout must be 0.05-600 seconds")
        if args.action == "play" and args.step is not None and args.step < 0:
            raise InputError("--step must be 0 or more")
        if args.action in ("load", "update"):
            args.data_value = _read_data(args.data)
        if args.action == "load":
            problem = osc.text_problem(args.graphic, "graphic") or osc.text_problem(
                args.theme, "--theme"
            )
            if problem is not None:
                raise InputError(problem)
            if not re.fullmatch(THEME_NAME_PATTERN, args.theme):
                raise InputError(
                    f"--theme {args.theme!r} is not a theme name (letters, digits, - and _)"
                )
            _check_data(args.graphic, args.data_value, "--data")
    except InputError as exc:
        print(f"strapline send: {exc}", file=sys.stderr)
        return 1
    try:
        return asyncio.run(_send(args))
    except OSError as exc:
        print(f"strapline send: cannot send to {args.to[0]}:{args.to[1]}: {exc}", file=sys.stderr)
        return 1
