"""Exact datagram bytes of every message of the address space, and strict parsing."""

from __future__ import annotations

import struct

import pytest
from pythonosc.osc_bundle_builder import OscBundleBuilder
from pythonosc.osc_message import OscMessage
from pythonosc.osc_message_builder import OscMessageBuilder

from strapline.osc import address as osc
from strapline.osc.codec import (
    IMMEDIATELY,
    Message,
    OscDecodeError,
    build_bundle,
    build_message,
    parse_message,
    parse_packet,
    timetag_to_unix,
    unix_to_timetag,
)


def test_load_bytes() -> None:
    dgram = osc.build(osc.Load(7, 1, 20, "lower-third", "ice", {"family_name": "KIM"}))
    assert dgram == (
        b"/strapline/v1/channel/1/layer/20/load\x00\x00\x00"
        b",isss\x00\x00\x00"
        b"\x00\x00\x00\x07"
        b"lower-third\x00"
        b"ice\x00"
        b'{"family_name":"KIM"}\x00\x00\x00'
    )


def test_play_update_stop_clear_bytes() -> None:
    assert osc.build(osc.Play(1, 2, 3, 4)) == (
        b"/strapline/v1/channel/2/layer/3/play\x00\x00\x00\x00,ii\x00"
        b"\x00\x00\x00\x01\x00\x00\x00\x04"
    )
    assert osc.build(osc.Play(1, 2, 3)) == (
        b"/strapline/v1/channel/2/layer/3/play\x00\x00\x00\x00,ii\x00"
        b"\x00\x00\x00\x01\xff\xff\xff\xff"
    )
    assert osc.build(osc.Update(9, 1, 10, {"a": 1})) == (
        b'/strapline/v1/channel/1/layer/10/update\x00,is\x00\x00\x00\x00\x09{"a":1}\x00'
    )
    assert osc.build(osc.Stop(5, 1, 10, True)) == (
        b"/strapline/v1/channel/1/layer/10/stop\x00\x00\x00,iT\x00\x00\x00\x00\x05"
    )
    assert osc.build(osc.Stop(5, 1, 10, False)) == (
        b"/strapline/v1/channel/1/layer/10/stop\x00\x00\x00,iF\x00\x00\x00\x00\x05"
    )
    assert osc.build(osc.ClearLayer(6, 1, 10)) == (
        b"/strapline/v1/channel/1/layer/10/clear\x00\x00,i\x00\x00\x00\x00\x00\x06"
    )
    assert osc.build(osc.ClearChannel(6, 3)) == (
        b"/strapline/v1/channel/3/clear\x00\x00\x00,i\x00\x00\x00\x00\x00\x06"
    )


def test_channel_and_global_bytes() -> None:
    assert osc.build(osc.GetState(2, 1)) == (
        b"/strapline/v1/channel/1/state/get\x00\x00\x00,i\x00\x00\x00\x00\x00\x02"
    )
    assert osc.build(osc.SetState(2, 1, {"channel": 1, "layers": []})) == (
        b"/strapline/v1/channel/1/state/set\x00\x00\x00,is\x00\x00\x00\x00\x02"
        b'{"channel":1,"layers":[]}\x00\x00\x00'
    )
    assert osc.build(osc.Panic(3)) == b"/strapline/v1/panic\x00,i\x00\x00\x00\x00\x00\x03"
    assert osc.build(osc.Ping(4, 1.5)) == (
        b"/strapline/v1/ping\x00\x00,id\x00\x00\x00\x00\x04" + struct.pack(">d", 1.5)
    )


def test_reply_bytes() -> None:
    assert osc.build_reply(osc.Ack(7, "r1")) == (
        b"/strapline/v1/ack\x00\x00\x00,is\x00\x00\x00\x00\x07r1\x00\x00"
    )
    assert osc.build_reply(osc.Nack(7, "r1", "no")) == (
        b"/strapline/v1/nack\x00\x00,iss\x00\x00\x00\x00\x00\x00\x00\x07r1\x00\x00no\x00\x00"
    )
    assert osc.build_reply(osc.StateReport(0, "r1", 1, {"channel": 1, "layers": []})) == (
        b"/strapline/v1/channel/1/state\x00\x00\x00,iss\x00\x00\x00\x00\x00\x00\x00\x00"
        b'r1\x00\x00{"channel":1,"layers":[]}\x00\x00\x00'
    )
    assert osc.build_reply(osc.Pong(1, 2.0, "r", 3.0, 4.0, 5)) == (
        b"/strapline/v1/pong\x00\x00,idsddi\x00"
        b"\x00\x00\x00\x01"
        + struct.pack(">d", 2.0)
        + b"r\x00\x00\x00"
        + struct.pack(">d", 3.0)
        + struct.pack(">d", 4.0)
        + b"\x00\x00\x00\x05"
    )


@pytest.mark.parametrize(
    "command",
    [
        osc.Load(1, 1, 0, "podium", "", {"title": "Men 500 m", "entries": []}),
        osc.Play(2, 1, 5, 0),
        osc.Play(2, 1, 5),
        osc.Update(3, 999, 9999, {"x": "Łódź 한국"}),
        osc.Stop(4, 1, 1, True),
        osc.ClearLayer(5, 1, 1),
        osc.ClearChannel(6, 2),
        osc.GetState(7, 1),
        osc.SetState(8, 1, {"channel": 1, "layers": []}),
        osc.Panic(9),
        osc.Ping(10, 123.25),
    ],
)
def test_commands_round_trip(command: osc.Command) -> None:
    dgram = osc.build(command)
    (timed,) = parse_packet(dgram)
    assert timed.at is None
    assert osc.parse_command(timed.message) == command
    # python-osc reads the same datagram to the same arguments
    theirs = OscMessage(dgram)
    assert theirs.address == timed.message.address
    assert list(theirs.params) == list(timed.message.args)


@pytest.mark.parametrize(
    "reply",
    [
        osc.Ack(1, "a"),
        osc.Nack(2, "a", "reason"),
        osc.StateReport(3, "a", 2, {"channel": 2, "layers": []}),
        osc.Pong(4, 1.0, "a", 2.0, 3.0, 4),
    ],
)
def test_replies_round_trip(reply: osc.Reply) -> None:
    (timed,) = parse_packet(osc.build_reply(reply))
    assert osc.parse_reply(timed.message) == reply


def test_bundle_matches_python_osc() -> None:
    m1 = osc.build(osc.Play(1, 1, 10, 0))
    m2 = osc.build(osc.Play(2, 1, 20, 0))
    at = 1_800_000_000.25
    ours = build_bundle([m1, m2], at)
    builder = OscBundleBuilder(at)
    builder.add_content(OscMessage(m1))  # type: ignore[arg-type]
    builder.add_content(OscMessage(m2))  # type: ignore[arg-type]
    assert ours == builder.build().dgram
    parsed = parse_packet(ours)
    assert [t.message.address for t in parsed] == [
        "/strapline/v1/channel/1/layer/10/play",
        "/strapline/v1/channel/1/layer/20/play",
    ]
    assert parsed[0].at == pytest.approx(at, abs=1e-6)
    assert build_bundle([m1])[8:16] == struct.pack(">Q", IMMEDIATELY)
    assert parse_packet(build_bundle([m1]))[0].at is None


def test_timetag_conversion() -> None:
    assert timetag_to_unix(unix_to_timetag(0.0)) == 0.0
    assert unix_to_timetag(0.0) == 2_208_988_800 << 32
    assert timetag_to_unix(IMMEDIATELY) is None


def test_build_message_matches_builder_and_refuses_other_types() -> None:
    b = OscMessageBuilder("/x")
    b.add_arg(1, "h")
    assert build_message("/x", [("h", 1)]) == b.build().dgram
    with pytest.raises(ValueError, match="outside the address space"):
        build_message("/x", [("r", 1)])


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "empty"),
        (b"/ab", "multiple of 4"),
        (b"abc\x00", "start with '/'"),
        (b"/abc", "NUL"),
        (b"/a\x00\x00,r\x00\x00\x00\x00\x00\x01", "type 'r'"),
        (b"/a\x00\x00,i\x00\x00", "truncated"),
        (b"/a\x00\x00i\x00\x00\x00", "does not start with ','"),
        (b"/a\x00\x00,b\x00\x00\x00\x00\x00\x09", "claims 9 bytes"),
        (b"/a\x00\x00,\x00\x00\x00\x00\x00\x00\x01", "left over"),
        (b"/\xff\x00\x00", "UTF-8"),
        (b"#bundle\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x05/a\x00\x00", "claims 5"),
    ],
)
def test_malformed_packets_are_named(data: bytes, fragment: str) -> None:
    with pytest.raises(OscDecodeError, match=fragment):
        parse_packet(data)


def test_deep_bundles_are_refused() -> None:
    inner = osc.build(osc.Panic(1))
    for _ in range(6):
        inner = build_bundle([inner])
    with pytest.raises(OscDecodeError, match="nested"):
        parse_packet(inner)


@pytest.mark.parametrize(
    ("message", "fragment"),
    [
        (Message("/strapline/v1/channel/1/layer/1/load", "iss", (1, "a", "b")), "',isss'"),
        (Message("/strapline/v1/channel/1/layer/1/load", "isss", (1, "", "", "{}")), "empty"),
        (Message("/strapline/v1/channel/1/layer/1/load", "isss", (1, "a", "", "[1]")), "object"),
        (Message("/strapline/v1/channel/1/layer/1/load", "isss", (1, "a", "", "{")), "JSON"),
        (
            Message("/strapline/v1/channel/1/layer/1/update", "is", (1, "x" * 70000)),
            "over the 65536 byte limit",
        ),
        (Message("/strapline/v1/channel/0/clear", "i", (1,)), "channel must be"),
        (Message("/strapline/v1/channel/1/layer/1/play", "ii", (1, -2)), "negative"),
        (Message("/strapline/v1/channel/1/layer/1/stop", "is", (1, "x")), "',iT'"),
        (Message("/strapline/v1/bogus", "i", (1,)), "unknown address"),
        (Message("/other", "", ()), "outside"),
    ],
)
def test_invalid_commands_are_named(message: Message, fragment: str) -> None:
    with pytest.raises(osc.ProtocolError, match=fragment) as info:
        osc.parse_command(message)
    if message.types.startswith("i"):
        assert info.value.seq == 1


def test_parse_message_offsets() -> None:
    dgram = osc.build(osc.Panic(3))
    assert parse_message(b"xxxx" + dgram, 4).args == (3,)
