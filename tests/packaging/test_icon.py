"""The app icon: the committed files are what packaging/icon/make_icon.py draws, and valid."""

from __future__ import annotations

import importlib.util
import struct
import sys
from pathlib import Path
from types import ModuleType

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

ICON_DIR = Path(__file__).resolve().parents[2] / "packaging" / "icon"


def _maker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_icon", ICON_DIR / "make_icon.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_icon"] = module
    spec.loader.exec_module(module)
    return module


def _png_size(data: bytes) -> tuple[int, int]:
    image = QImage.fromData(data, "PNG")
    assert not image.isNull()
    return image.width(), image.height()


def test_ico_holds_every_size_as_png(qapp: QApplication) -> None:
    data = (ICON_DIR / "strapline.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data, 0)
    assert (reserved, kind) == (0, 1)
    sizes = []
    for i in range(count):
        w, h, _, _, _, bpp, length, offset = struct.unpack_from("<BBBBHHII", data, 6 + 16 * i)
        png = data[offset : offset + length]
        assert png.startswith(b"\x89PNG")
        assert _png_size(png) == (w or 256, h or 256)
        assert bpp == 32
        sizes.append(w or 256)
    assert {16, 32, 48, 256} <= set(sizes)


def test_icns_holds_the_sizes_macos_asks_for(qapp: QApplication) -> None:
    data = (ICON_DIR / "strapline.icns").read_bytes()
    assert data[:4] == b"icns"
    assert struct.unpack_from(">I", data, 4)[0] == len(data)
    pos, kinds = 8, {}
    while pos < len(data):
        kind, length = data[pos : pos + 4], struct.unpack_from(">I", data, pos + 4)[0]
        assert length > 8
        kinds[kind] = _png_size(data[pos + 8 : pos + length])
        pos += length
    assert pos == len(data)
    assert kinds[b"ic10"] == (1024, 1024)
    assert kinds[b"ic07"] == (128, 128)
    assert kinds[b"icp4"] == (16, 16)


def test_committed_icon_is_what_the_script_draws(qapp: QApplication, tmp_path: Path) -> None:
    # qapp first: the script must find the suite's QApplication, not make a QGuiApplication
    maker = _maker()
    assert maker.main(tmp_path) == 0
    for name in ("strapline.ico", "strapline.icns"):
        assert (tmp_path / name).read_bytes() == (ICON_DIR / name).read_bytes(), name
    drawn = QImage(str(tmp_path / "strapline.png"))
    committed = QImage(str(ICON_DIR / "strapline.png"))
    assert drawn == committed
    # Transparent corners, opaque centre: a rounded tile, not a square.
    assert committed.pixelColor(2, 2).alpha() == 0
    assert committed.pixelColor(256, 256).alpha() == 255
