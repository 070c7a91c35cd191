"""The control listener (Stream Deck / Companion) and its feedback."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from strapline.osc.codec import Message, build_message, parse_packet
from strapline.osc.control import (
    ControlListener,
    FeedbackTarget,
    feedback_messages,
    parse_control,
)
from strapline.osc.transport import Peer, open_udp


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []

    async def next(self) -> None:
        self.calls.append(("next", None))

    async def previous(self) -> None:
        self.calls.append(("previous", None))

    async def take(self) -> None:
        await asyncio.sleep(0.01)  # a slow take still runs before the next command
        self.calls.append(("take", None))

    async def out(self) -> None:
        self.calls.append(("out", None))

    async def cue(self, ref: str | int) -> None:
        self.calls.append(("cue", ref))

    async def update(self) -> None:
        raise RuntimeError("no data yet")

    async def clear(self) -> None:
        self.calls.append(("clear", None))

    async def panic(self) -> None:
        self.calls.append(("panic", None))


P = "/strapline/v1/control/"


@pytest.mark.parametrize(
    ("types", "args", "expected"),
    [
        ("", (), ("take", None)),
        ("i", (1,), ("take", None)),
        ("f", (1.0,), ("take", None)),
        ("T", (True,), ("take", None)),
        ("i", (0,), None),
        ("F", (False,), None),
    ],
)
def test_press_and_release(types: str, args: tuple[Any, ...], expected: Any) -> None:
    assert parse_control(Message(P + "take", types, args)) == expected


def test_cue_by_id_or_number() -> None:
    assert parse_control(Message(P + "cue", "s", ("podium-500m",))) == ("cue", "podium-500m")
    assert parse_control(Message(P + "cue", "i", (3,))) == ("cue", 3)
    with pytest.raises(ValueError, match="cue id"):
        parse_control(Message(P + "cue", "s", ("",)))
    with pytest.raises(ValueError, match="expects a cue id"):
        parse_control(Message(P + "cue", "", ()))
    with pytest.raises(ValueError, match="unknown control"):
        parse_control(Message(P + "explode", "", ()))
    with pytest.raises(ValueError, match="a press is"):
        parse_control(Message(P + "next", "i", (7,)))


@pytest.mark.asyncio
async def test_listener_runs_commands_in_order_and_sends_feedback() -> None:
    got: list[tuple[str, tuple[Any, ...]]] = []

    def sink(data: bytes, peer: Peer) -> None:
        for t in parse_packet(data):
            got.append((t.message.address, t.message.args))

    own = await open_udp(sink, local=("127.0.0.1", 0))
    companion = await open_udp(sink, local=("127.0.0.1", 0))
    handler = Recorder()
    listener = ControlListener(
        handler,
        port=0,
        feedback=[
            FeedbackTarget(*own.local_address, style="strapline"),
            FeedbackTarget(*companion.local_address, style="companion", variable_prefix="gfx"),
        ],
    )
    async with listener:
        sender = await open_udp(lambda d, p: None, remote=listener.address)
        for address, args in [
            ("take", [("i", 1)]),
            ("take", [("i", 0)]),  # release
            ("next", []),
            ("cue", [("s", "lt-7")]),
            ("update", []),  # the handler fails: counted, the listener goes on
            ("panic", [("T", True)]),
        ]:
            sender.send(build_message(P + address, args))
        sender.send(b"garbage!")
        loop = asyncio.get_running_loop()
        end = loop.time() + 2
        while listener.counters.commands + listener.counters.failed < 5 and loop.time() < end:
            await asyncio.sleep(0.01)
        assert handler.calls == [("take", None), ("next", None), ("cue", "lt-7"), ("panic", None)]
        c = listener.counters
        assert (c.releases, c.failed, c.malformed) == (1, 1, 1)
        listener.send_feedback("LT Roussel", "Podium 500 m", True)
        while len(got) < 6 and loop.time() < end:
            await asyncio.sleep(0.01)
        sender.close()
    own.close()
    companion.close()
    assert sorted(got) == sorted(
        [
            ("/strapline/v1/feedback/current", ("LT Roussel",)),
            ("/strapline/v1/feedback/next", ("Podium 500 m",)),
            ("/strapline/v1/feedback/on_air", (1,)),
            ("/custom-variable/gfx_current/value", ("LT Roussel",)),
            ("/custom-variable/gfx_next/value", ("Podium 500 m",)),
            ("/custom-variable/gfx_on_air/value", ("1",)),
        ]
    )


def test_feedback_bytes() -> None:
    (m1, _, m3) = feedback_messages(FeedbackTarget(style="strapline"), "A", "B", False)
    assert (
        build_message(*m3) == b"/strapline/v1/feedback/on_air\x00\x00\x00,i\x00\x00\x00\x00\x00\x00"
    )
    assert build_message(*m1) == b"/strapline/v1/feedback/current\x00\x00,s\x00\x00A\x00\x00\x00"
