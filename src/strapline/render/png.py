"""PNG stills with straight alpha, written fast, and key/fill pairs for hardware keyers.

Qt's own PNG writer filters every row adaptively and takes 60-300 ms a frame. Broadcast stills
are mostly flat colour and transparency, which deflate well without filters, so this encoder
writes unfiltered RGBA rows at a low zlib level: a few milliseconds at 1080p, and any PNG reader
(Qt's included) loads the file. It is safe to call from a worker thread.
"""

from __future__ import annotations

import itertools
import os
import secrets
import struct
import zlib
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QImage

if TYPE_CHECKING:  # numpy is imported when first needed: it costs the app's cold start ~0.4 s
    import numpy as np
    import numpy.typing as npt

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_RGBA_8BIT = (8, 6, 0, 0, 0)  # bit depth, colour type RGBA, deflate, filter method 0, no interlace


def _chunk(kind: bytes, payload: bytes) -> bytes:
    crc = zlib.crc32(payload, zlib.crc32(kind)) & 0xFFFFFFFF
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)


def pixel_words(image: QImage) -> npt.NDArray[np.uint32]:
    """A 32-bit-per-pixel image's pixels as a (height, width) uint32 view, without a copy:
    valid while the image lives and is not modified."""
    import numpy as np

    h, w, stride = image.height(), image.width(), image.bytesPerLine()
    raw = np.frombuffer(image.constBits(), dtype=np.uint32, count=stride * h // 4)
    return raw.reshape(h, stride // 4)[:, :w]


def nonzero_box(array: npt.NDArray[Any]) -> tuple[int, int, int, int] | None:
    """The box (top, bottom, left, right; bottom and right exclusive) of a 2-D array's
    non-zero entries (a picture's ink, where two pictures differ), or None when there is none."""
    import numpy as np

    rows = np.flatnonzero(array.any(axis=1))
    if not rows.size:
        return None
    top, bottom = int(rows[0]), int(rows[-1]) + 1
    cols = np.flatnonzero(array[top:bottom].any(axis=0))
    return top, bottom, int(cols[0]), int(cols[-1]) + 1


def rgba_array(image: QImage) -> npt.NDArray[np.uint8]:
    """The image as a (height, width, 4) array of straight-alpha RGBA bytes (a copy)."""
    import numpy as np

    if image.isNull():
        raise ValueError("the image is empty")
    rgba = image
    if image.format() != QImage.Format.Format_RGBA8888:
        rgba = image.convertToFormat(QImage.Format.Format_RGBA8888)
    h, w = rgba.height(), rgba.width()
    return pixel_words(rgba).view(np.uint8).reshape(h, w, 4).copy()


def png_bytes(image: QImage, level: int = 2) -> bytes:
    """Encode an image as PNG (RGBA, 8 bits, straight alpha, unfiltered rows).

    Fully transparent rows, most of a lower third's frame, are not deflated one by one: a block
    of blank rows is compressed once per width (a self-contained deflate block, history reset)
    and repeated, and its share of the Adler-32 checksum is computed in closed form.
    """
    import numpy as np

    if not 0 <= level <= 9:
        raise ValueError("the zlib level must be 0-9")
    if image.isNull():
        raise ValueError("the image is empty")
    src = image
    if image.format() not in (
        QImage.Format.Format_ARGB32_Premultiplied,
        QImage.Format.Format_ARGB32,
    ):
        src = image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
    h, w = src.height(), src.width()
    blank: npt.NDArray[np.bool_] = np.logical_not(pixel_words(src).any(axis=1))
    row_len = w * 4 + 1
    parts: list[bytes] = []
    adler = 1
    for start, stop, is_blank in _runs(blank):
        n = stop - start
        if is_blank:
            parts.append(_blank_rows(w, n, level))
            adler = _adler_zeros(adler, n * row_len)
            continue
        rgba = src.copy(0, start, w, n).convertToFormat(QImage.Format.Format_RGBA8888)
        rows = np.empty((n, row_len), dtype=np.uint8)
        rows[:, 0] = 0  # filter type None for every row
        rows[:, 1:] = pixel_words(rgba).view(np.uint8)
        deflate = zlib.compressobj(level, zlib.DEFLATED, -15)
        parts.append(deflate.compress(rows.data) + deflate.flush(zlib.Z_FULL_FLUSH))
        adler = zlib.adler32(rows.data, adler)
    parts.append(zlib.compressobj(level, zlib.DEFLATED, -15).flush(zlib.Z_FINISH))
    stream = b"".join((b"\x78\x01", *parts, struct.pack(">I", adler)))
    header = struct.pack(">IIBBBBB", w, h, *_RGBA_8BIT)
    return b"".join(
        (
            _SIGNATURE,
            _chunk(b"IHDR", header),
            _chunk(b"IDAT", stream),
            _chunk(b"IEND", b""),
        )
    )


_BLANK_BLOCK_ROWS = 64
_ADLER_MOD = 65521


def _runs(flags: npt.NDArray[np.bool_]) -> list[tuple[int, int, bool]]:
    """Split a boolean row mask into (start, stop, value) runs."""
    import numpy as np

    edges = np.flatnonzero(np.diff(flags.astype(np.int8))) + 1
    bounds = [0, *edges.tolist(), len(flags)]
    return [(a, b, bool(flags[a])) for a, b in itertools.pairwise(bounds)]


@lru_cache(maxsize=64)
def _blank_block(width: int, rows: int, level: int) -> bytes:
    """`rows` blank PNG rows (filter byte and zero pixels) as a self-contained deflate block."""
    deflate = zlib.compressobj(level, zlib.DEFLATED, -15)
    zeros = bytes(rows * (width * 4 + 1))
    return deflate.compress(zeros) + deflate.flush(zlib.Z_FULL_FLUSH)


def _blank_rows(width: int, rows: int, level: int) -> bytes:
    full, rest = divmod(rows, _BLANK_BLOCK_ROWS)
    block = _blank_block(width, _BLANK_BLOCK_ROWS, level) * full if full else b""
    return block + (_blank_block(width, rest, level) if rest else b"")


def _adler_zeros(adler: int, count: int) -> int:
    """Adler-32 after appending `count` zero bytes: A stays, B grows by A for each byte."""
    a, b = adler & 0xFFFF, adler >> 16
    return ((b + count * a) % _ADLER_MOD) << 16 | a


def encode_png(image: QImage, path: Path | str, level: int = 2) -> None:
    """Write `image` to `path` as PNG with straight alpha, creating missing folders.

    The file is written beside its final name and renamed into place, so a reader watching the
    folder never sees half a picture. Raises OSError when the file cannot be written.
    """
    target = Path(path)
    data = png_bytes(image, level)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    # os.open with 0o666 lets the user's umask decide the mode, as for any file they write
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def key_fill(image: QImage) -> tuple[QImage, QImage]:
    """Split a graphic into (fill, key) for a hardware keyer.

    The fill is the graphic composited on black (premultiplied colour, opaque); the key is its
    alpha as opaque grey (white where the graphic is solid, black where transparent).
    """
    import numpy as np

    if image.isNull():
        raise ValueError("the image is empty")
    premul = image
    if image.format() != QImage.Format.Format_ARGB32_Premultiplied:
        premul = image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
    px = pixel_words(premul)
    opaque = np.uint32(0xFF000000)
    fill_px = np.ascontiguousarray(px | opaque)
    alpha = px >> np.uint32(24)
    key_px = np.ascontiguousarray(
        opaque | (alpha << np.uint32(16)) | (alpha << np.uint32(8)) | alpha
    )
    return _image_from(fill_px), _image_from(key_px)


def _image_from(pixels: npt.NDArray[np.uint32]) -> QImage:
    h, w = pixels.shape
    # QImage does not own a numpy buffer: copy() detaches it into memory Qt manages.
    return QImage(pixels.data, w, h, w * 4, QImage.Format.Format_RGB32).copy()
