"""Draw Strapline's app icon and write it as PNG (Linux), ICO (Windows) and ICNS (macOS).

The mark: a rounded square of deep ice blue holding a white lower-third strap with a red
accent block at its left, the shape operators see on air. Each size is painted directly at its
pixel size (not scaled down from one big image), so the small sizes stay crisp.

    python packaging/icon/make_icon.py          # rewrites the files beside this script

The ICO and ICNS containers hold PNG images, which Windows Vista+ and macOS 10.7+ read; both
are written here by hand because Qt's writers store a single size only.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QGuiApplication,
    QImage,
    QLinearGradient,
    QPainter,
    QPainterPath,
)

HERE = Path(__file__).resolve().parent
NAME = "strapline"

BLUE_TOP = QColor("#1f5fa8")
BLUE_BOTTOM = QColor("#0b2748")
STRAP = QColor("#ffffff")
ACCENT = QColor("#e63946")
RULE = QColor(255, 255, 255, 150)

PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS element types holding PNG data, by pixel size (the @2x types reuse the same pixels).
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"icp6", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic09", 512),
    (b"ic10", 1024),
    (b"ic11", 32),
    (b"ic12", 64),
    (b"ic13", 256),
    (b"ic14", 512),
)


def paint(size: int) -> QImage:
    """The icon at `size` x `size` pixels, transparent outside its rounded square."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = float(size)
    margin = 0.0 if size <= 32 else s * 0.06  # small sizes use the whole square
    tile = QRectF(margin, margin, s - 2 * margin, s - 2 * margin)
    w = tile.width()

    grad = QLinearGradient(QPointF(0, tile.top()), QPointF(0, tile.bottom()))
    grad.setColorAt(0.0, BLUE_TOP)
    grad.setColorAt(1.0, BLUE_BOTTOM)
    path = QPainterPath()
    path.addRoundedRect(tile, w * 0.2, w * 0.2)
    p.fillPath(path, QBrush(grad))

    # The strap: a white bar in the lower third, the red accent block at its left.
    strap = QRectF(tile.left() + w * 0.14, tile.top() + w * 0.56, w * 0.72, w * 0.17)
    radius = strap.height() * 0.18 if size > 24 else 0.0
    bar = QPainterPath()
    bar.addRoundedRect(strap, radius, radius)
    p.fillPath(bar, STRAP)
    accent = QRectF(strap.left(), strap.top(), strap.height() * 0.9, strap.height())
    block = QPainterPath()
    block.addRoundedRect(accent, radius, radius)
    p.fillPath(block, ACCENT)
    if radius:  # square off the accent's right edge where it meets the white bar
        p.fillRect(
            QRectF(accent.center().x(), accent.top(), accent.width() / 2, accent.height()), ACCENT
        )

    # A thinner rule above the strap (the name line's caption) where there is room for it.
    if size >= 32:
        rule = QRectF(strap.left(), tile.top() + w * 0.43, w * 0.42, max(1.0, w * 0.07))
        line = QPainterPath()
        line.addRoundedRect(rule, rule.height() * 0.3, rule.height() * 0.3)
        p.fillPath(line, RULE)
    p.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buf, "PNG"):
        raise RuntimeError("Qt could not encode the icon as PNG")
    buf.close()
    return bytes(data.data())


def ico_bytes(images: dict[int, bytes]) -> bytes:
    """An ICO file whose entries are PNG images (one per size, smallest first)."""
    sizes = sorted(images)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = 6 + 16 * len(sizes)
    entries = b""
    payload = b""
    for size in sizes:
        data = images[size]
        dim = 0 if size >= 256 else size  # 0 means 256 in an ICO directory entry
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset)
        payload += data
        offset += len(data)
    return header + entries + payload


def icns_bytes(images: dict[int, bytes]) -> bytes:
    """An ICNS file with PNG elements for every size macOS asks for."""
    body = b""
    for kind, size in ICNS_TYPES:
        data = images[size]
        body += kind + struct.pack(">I", 8 + len(data)) + data
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main(out: Path = HERE) -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    images = {size: png_bytes(paint(size)) for size in PNG_SIZES}
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{NAME}.png").write_bytes(images[512])
    for size in (16, 32, 48, 64, 128, 256, 512):
        hicolor = out / "hicolor" / f"{size}x{size}" / "apps"
        hicolor.mkdir(parents=True, exist_ok=True)
        (hicolor / f"{NAME}.png").write_bytes(images[size])
    (out / f"{NAME}.ico").write_bytes(ico_bytes({s: images[s] for s in ICO_SIZES}))
    (out / f"{NAME}.icns").write_bytes(icns_bytes(images))
    del app
    print(f"icon written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE))
