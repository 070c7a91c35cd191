"""Flags by IOC code, the neutral mark, and theme logos on social stills."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter
from samples import LOWER_THIRD

from strapline.domain.nations import NATIONS
from strapline.domain.theme import Theme
from strapline.render import load_theme, render_graphic, rgba_array
from strapline.render.context import PaintContext
from strapline.render.flags import FLAG_DIR, flag_file, flag_image

SHIPPED = Path(__file__).resolve().parents[2] / "themes"


def test_every_nation_with_a_flag_has_its_file() -> None:
    missing = [ioc for ioc, (_, iso) in NATIONS.items() if iso and flag_file(ioc) is None]
    assert not missing
    assert (FLAG_DIR / "LICENSE").is_file() and (FLAG_DIR / "README.md").is_file()


def test_flags_by_ioc_code_and_alias() -> None:
    assert flag_file("KOR") == FLAG_DIR / "kr.svg"
    assert flag_file("NED") == FLAG_DIR / "nl.svg"
    assert flag_file("SIN") == FLAG_DIR / "sg.svg"  # former code of Singapore
    for code in ("AIN", "EOR", "MIX", "", "??", "XYZ"):
        assert flag_file(code) is None, code


def test_flag_image_is_painted_and_cached() -> None:
    image = flag_image("CAN", 40, 30)
    assert image is not None and (image.width(), image.height()) == (40, 30)
    rgba = rgba_array(image)
    assert rgba[15, 2, :3].tolist()[0] > 200 and rgba[15, 2, 3] == 255  # red band at the hoist
    assert rgba[2, 20, :3].min() > 230  # white middle
    assert flag_image("CAN", 40, 30) is image
    assert flag_image("AIN", 40, 30) is None


def _draw_flag(theme: Theme, nation: str) -> np.ndarray:
    image = QImage(80, 60, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    PaintContext(theme, 1920, 1080).draw_flag(painter, QRectF(0, 0, 80, 60), nation)
    painter.end()
    return rgba_array(image)


def test_neutral_mark_for_codes_without_a_flag(theme: Theme) -> None:
    neutral = _draw_flag(theme, "AIN")
    assert (neutral[..., 3] == 255).all()
    assert len({tuple(p) for p in neutral.reshape(-1, 4)[:, :3]}) > 2  # grey with the code on it
    assert not np.array_equal(neutral, _draw_flag(theme, "KOR"))


def test_logo_on_social_stills(tmp_path: Path) -> None:
    folder = tmp_path / "branded"
    shutil.copytree(SHIPPED / "ice", folder)
    (folder / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="50">'
        '<rect width="200" height="50" fill="#ff0000"/></svg>',
        encoding="utf-8",
    )
    raw = json.loads((folder / "theme.json").read_text(encoding="utf-8"))
    raw.update(name="branded", logo="logo.svg")
    (folder / "theme.json").write_text(json.dumps(raw), encoding="utf-8")
    theme = load_theme(str(folder))
    image = render_graphic("lower-third", LOWER_THIRD, theme, (1080, 1350), background="theme")
    x, y = round(1080 * 0.05) + 20, round(1350 * 0.05) + 10
    assert image.pixelColor(x, y).getRgb() == (255, 0, 0, 255)
    plain = render_graphic("lower-third", LOWER_THIRD, theme, (1080, 1350))
    assert plain.pixelColor(x, y).alpha() == 0  # no logo on a transparent graphic
