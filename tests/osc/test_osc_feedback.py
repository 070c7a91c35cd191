"""Feedback to Stream Deck / Companion: both forms, exact bytes, only changes sent."""

from __future__ import annotations

import asyncio

import pytest

from strapline.osc.codec import build_message, parse_packet
from strapline.osc.feedback import (
    CueFeedback,
    Feedback,
    FeedbackSender,
    FeedbackTarget,
    OutputFeedback,
    companion_values,
    feedback_messages,
    parse_target,
)
from strapline.osc.transport import open_udp

FB = Feedback(
    selected="Podium · Men 500 m",
    selected_id="pod",
    next="Winner · Men 500 m",
    next_id="lt",
    outputs=(
        OutputFeedback("program", "Winner · Men 500 m", "lt", "", "", True),
        OutputFeedback("stadium screen", "", "", "Podium · Men 500 m", "pod", False),
    ),
    cues=(
        CueFeedback(1, "lt", "Winner · Men 500 m", "on-air"),
        CueFeedback(2, "pod", "Podium", "cued"),
    ),
)


def test_companion_custom_variables() -> None:
    values = companion_values(FB)
    assert values["strapline_program_on_air"] == "Winner · Men 500 m"
    assert values["strapline_program_online"] == "1"
    assert values["strapline_stadium_screen_cued"] == "Podium · Men 500 m"  # a space is not a name
    assert values["strapline_stadium_screen_online"] == "0"
    assert values["strapline_cue_1_tally"] == "on-air"
    assert values["strapline_cue_2_name"] == "Podium"
    assert values["strapline_on_air"] == "1"
    assert values["strapline_next"] == "Winner · Men 500 m"


def test_feedback_bytes_in_both_forms() -> None:
    messages = feedback_messages(FB)
    address = "/custom-variable/strapline_program_online/value"
    assert build_message(address, [messages[address]]) == (
        b"/custom-variable/strapline_program_online/value\x00,s\x00\x001\x00\x00\x00"
    )
    own = "/strapline/v1/feedback/output/program/online"
    assert build_message(own, [messages[own]]) == (
        b"/strapline/v1/feedback/output/program/online\x00\x00\x00\x00,i\x00\x00\x00\x00\x00\x01"
    )
    assert messages["/strapline/v1/feedback/cue/2/tally"] == ("s", "cued")
    assert messages["/strapline/v1/feedback/next_id"] == ("s", "lt")


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("127.0.0.1:12321", FeedbackTarget("127.0.0.1", 12321)),
        ("[::1]:9", FeedbackTarget("::1", 9)),
    ],
)
def test_parse_target(text: str, target: FeedbackTarget) -> None:
    assert parse_target(text) == target


@pytest.mark.parametrize("text", ["12321", "host:", "host:70000", ":12321", "host:abc"])
def test_parse_target_refuses(text: str) -> None:
    with pytest.raises(ValueError, match=r"HOST:PORT|port must be"):
        parse_target(text)


@pytest.mark.asyncio
async def test_sender_sends_only_what_changed() -> None:
    got: list[tuple[str, tuple[object, ...]]] = []

    def on_packet(data: bytes, _peer: object) -> None:
        for item in parse_packet(data):
            got.append((item.message.address, tuple(item.message.args)))

    rx = await open_udp(on_packet, local=("127.0.0.1", 0))
    sender = FeedbackSender([FeedbackTarget(*rx.local_address)])
    await sender.start()
    try:
        first = sender.publish(FB)
        assert first == len(feedback_messages(FB))
        changed = Feedback(
            selected=FB.selected,
            selected_id=FB.selected_id,
            next=FB.next,
            next_id=FB.next_id,
            outputs=(FB.outputs[0], OutputFeedback("stadium screen", online=True)),
            cues=FB.cues,
        )
        for _ in range(100):
            if len(got) >= first:
                break
            await asyncio.sleep(0.01)
        got.clear()
        # Companion: cued and online; Strapline: cued, cued_id and online
        assert sender.publish(changed) == 5
        for _ in range(100):
            if len(got) >= 5:
                break
            await asyncio.sleep(0.01)
        assert ("/custom-variable/strapline_stadium_screen_online/value", ("1",)) in got
        assert ("/strapline/v1/feedback/output/stadium_screen/online", (1,)) in got
        assert sender.publish(changed) == 0  # nothing new, nothing sent
    finally:
        sender.close()
        rx.close()
