"""Stream framing: SLIP (OSC 1.1) and size-prefixed (OSC 1.0) decoders."""

from __future__ import annotations

from strapline.osc.transport import LengthPrefixDecoder, SlipDecoder, slip_encode


def test_slip_round_trip_with_escapes_and_split_reads() -> None:
    packets = [b"/a\x00\x00", b"\xc0\xdb\xc0x", b"/b\x00\x00,i\x00\x00\x00\x00\x00\x01"]
    stream = b"".join(slip_encode(p) for p in packets)
    assert slip_encode(b"\xc0\xdb") == b"\xc0\xdb\xdc\xdb\xdd\xc0"
    decoder = SlipDecoder()
    got: list[bytes] = []
    for i in range(0, len(stream), 3):  # arrives in small pieces
        got.extend(decoder.feed(stream[i : i + 3]))
    assert got == packets


def test_slip_drops_bad_escapes_and_oversized_frames() -> None:
    decoder = SlipDecoder(max_frame=8)
    assert decoder.feed(b"\xc0\xdb\x01\xc0" + b"\xc0" + b"x" * 20 + b"\xc0" + b"\xc0ok\xc0") == [
        b"ok"
    ]
    assert decoder.dropped == 2


def test_length_prefixed_stream() -> None:
    decoder = LengthPrefixDecoder()
    stream = b"\x00\x00\x00\x04/a\x00\x00" + b"\x00\x00\x00\x08/bc\x00,\x00\x00\x00"
    assert decoder.feed(stream[:6]) == []
    assert decoder.feed(stream[6:]) == [b"/a\x00\x00", b"/bc\x00,\x00\x00\x00"]
    assert decoder.feed(b"\x00\x00\x00\x05abcde") == []
    assert decoder.broken and decoder.feed(b"\x00\x00\x00\x04/a\x00\x00") == []
