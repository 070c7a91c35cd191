"""The PNG encoder: valid files (chunks, CRCs, zlib stream), straight alpha, folders, key/fill."""

from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage, QPainter

from strapline.render.png import encode_png, key_fill, png_bytes, rgba_array


def _image(w: int, h: int, rects: list[tuple[QRect, QColor]]) -> QImage:
    image = QImage(w, h, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    for rect, colour in rects:
        p.setBrush(colour)
        p.setPen(QColor(255, 255, 255, 90))
        p.drawEllipse(rect)
    p.end()
    return image


def _chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, out = 8, []
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        payload = data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert crc == zlib.crc32(kind + payload) & 0xFFFFFFFF, f"bad CRC on {kind!r}"
        out.append((kind, payload))
        pos += 12 + length
    return out


@pytest.mark.parametrize(
    ("w", "h", "rects"),
    [
        (64, 48, [(QRect(10, 20, 30, 20), QColor(20, 40, 200, 128))]),  # blank rows both sides
        (33, 17, [(QRect(-5, -5, 60, 40), QColor(250, 10, 10, 200))]),  # no blank row, odd size
        (40, 300, [(QRect(5, 5, 20, 10), QColor(0, 255, 0, 30)),
                   (QRect(5, 250, 20, 30), QColor(0, 0, 0, 255))]),  # several runs, > 64 blank
        (16, 16, []),  # all blank
    ],
)  # fmt: skip
def test_png_is_valid_and_lossless(w: int, h: int, rects: list[tuple[QRect, QColor]]) -> None:
    image = _image(w, h, rects)
    data = png_bytes(image)
    chunks = _chunks(data)
    assert [k for k, _ in chunks] == [b"IHDR", b"IDAT", b"IEND"]
    assert struct.unpack(">IIBBBBB", chunks[0][1]) == (w, h, 8, 6, 0, 0, 0)
    raw = zlib.decompress(chunks[1][1])  # checks the Adler-32 of the whole stream too
    rows = np.frombuffer(raw, dtype=np.uint8).reshape(h, w * 4 + 1)
    assert (rows[:, 0] == 0).all()
    assert np.array_equal(rows[:, 1:].reshape(h, w, 4), rgba_array(image))
    back = QImage.fromData(data)
    assert not back.isNull()
    assert np.array_equal(rgba_array(back), rgba_array(image))


def test_alpha_is_straight_not_premultiplied() -> None:
    image = QImage(4, 4, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor(200, 100, 50, 128))
    rows = zlib.decompress(_chunks(png_bytes(image))[1][1])
    r, g, b, a = rows[1:5]
    assert a == 128
    assert abs(r - 200) <= 2 and abs(g - 100) <= 2 and abs(b - 50) <= 2


def test_encode_png_creates_folders_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "new" / "deeper" / "still.png"
    encode_png(_image(20, 10, []), target)
    assert QImage(str(target)).size().width() == 20
    encode_png(_image(30, 10, []), target)
    assert QImage(str(target)).width() == 30
    assert [p.name for p in target.parent.iterdir()] == ["still.png"]  # no temp file left


def test_empty_image_is_refused() -> None:
    with pytest.raises(ValueError, match="empty"):
        png_bytes(QImage())
    with pytest.raises(ValueError, match="level"):
        png_bytes(_image(4, 4, []), level=12)


def test_key_fill() -> None:
    image = QImage(3, 1, QImage.Format.Format_ARGB32_Premultiplied)
    image.setPixelColor(0, 0, QColor(255, 0, 0, 255))
    image.setPixelColor(1, 0, QColor(0, 0, 255, 128))
    image.setPixelColor(2, 0, QColor(0, 0, 0, 0))
    fill, key = key_fill(image)
    assert fill.pixelColor(0, 0).getRgb() == (255, 0, 0, 255)
    r, g, b, a = fill.pixelColor(1, 0).getRgb()
    assert (r, g, a) == (0, 0, 255) and abs(b - 128) <= 1  # on black
    assert fill.pixelColor(2, 0).getRgb() == (0, 0, 0, 255)
    assert key.pixelColor(0, 0).getRgb() == (255, 255, 255, 255)
    assert key.pixelColor(1, 0).getRgb() == (128, 128, 128, 255)
    assert key.pixelColor(2, 0).getRgb() == (0, 0, 0, 255)


def test_written_file_follows_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        encode_png(_image(8, 8, []), tmp_path / "a.png")
    finally:
        os.umask(old)
    assert (tmp_path / "a.png").stat().st_mode & 0o777 == 0o644
