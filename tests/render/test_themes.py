"""Themes: the shipped ones load; bad theme files are refused with the file and the field;
every glyph of the names we show comes from the fonts the theme ships, never from the system."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from PySide6.QtGui import QRawFont, QTextLayout
from samples import GLYPH_SAMPLES

from strapline.domain.diagnostics import DataError
from strapline.domain.theme import WEIGHT_ROLES, Theme
from strapline.render import available_themes, load_theme
from strapline.render.themes import theme_font

SHIPPED = Path(__file__).resolve().parents[2] / "themes"


def test_shipped_themes_are_available() -> None:
    assert {"ice", "night"} <= set(available_themes())


def test_theme_by_folder_and_file(tmp_path: Path) -> None:
    assert load_theme(str(SHIPPED / "ice")).name == "ice"
    assert load_theme(str(SHIPPED / "night" / "theme.json")).name == "night"


def test_theme_animation_and_safe_area(theme: Theme) -> None:
    assert 0 < theme.animation.in_ <= 1 and 0 < theme.animation.out <= 1
    assert theme.safe_area.graphics == 0.05 and theme.safe_area.action == 0.035
    assert theme.folder is not None and "folder" not in theme.model_dump()


def _copy_theme(tmp_path: Path, edit: dict[str, object] | None = None, text: str = "") -> Path:
    folder = tmp_path / "custom"
    shutil.copytree(SHIPPED / "ice", folder)
    raw = json.loads((folder / "theme.json").read_text(encoding="utf-8"))
    raw["name"] = "custom"
    raw.update(edit or {})
    (folder / "theme.json").write_text(text or json.dumps(raw), encoding="utf-8")
    return folder


def test_unknown_theme_lists_the_known_ones() -> None:
    with pytest.raises(DataError, match=r"no such theme.*ice"):
        load_theme("no-such-theme")


def test_bad_json_names_line_and_column(tmp_path: Path) -> None:
    folder = _copy_theme(tmp_path, text='{\n  "name": "x",\n  oops\n}')
    with pytest.raises(DataError) as err:
        load_theme(str(folder))
    assert err.value.location.startswith("line 3")
    assert str(folder / "theme.json") in str(err.value)


def test_bad_colour_names_the_field(tmp_path: Path) -> None:
    raw = json.loads((SHIPPED / "ice" / "theme.json").read_text(encoding="utf-8"))
    colours = {**raw["colours"], "accent": "cyan"}
    folder = _copy_theme(tmp_path, {"colours": colours})
    with pytest.raises(DataError) as err:
        load_theme(str(folder))
    assert err.value.location == "colours.accent"


def test_missing_font_file_is_reported(tmp_path: Path) -> None:
    folder = _copy_theme(tmp_path)
    (folder / "fonts" / "Inter-Bold.otf").unlink()
    with pytest.raises(DataError, match=r"Inter-Bold\.otf"):
        load_theme(str(folder))


def test_family_not_shipped_is_reported(tmp_path: Path) -> None:
    raw = json.loads((SHIPPED / "ice" / "theme.json").read_text(encoding="utf-8"))
    folder = _copy_theme(tmp_path, {"fonts": {**raw["fonts"], "family": "Comic Sans MS"}})
    with pytest.raises(DataError, match="Comic Sans MS"):
        load_theme(str(folder))


def test_files_outside_the_folder_are_refused(tmp_path: Path) -> None:
    folder = _copy_theme(tmp_path, {"logo": "../../etc/passwd"})
    with pytest.raises(DataError) as err:
        load_theme(str(folder))
    assert err.value.location == "logo"


def _shipped_fonts(theme: Theme) -> list[QRawFont]:
    folder = Path(theme.folder or "")
    return [QRawFont(str(folder / name), 32) for name in theme.fonts.files]


@pytest.mark.parametrize("text", GLYPH_SAMPLES)
def test_every_character_is_in_the_shipped_fonts(theme: Theme, text: str) -> None:
    fonts = _shipped_fonts(theme)
    missing = [
        c for c in text if not c.isspace() and not any(f.supportsCharacter(ord(c)) for f in fonts)
    ]
    assert not missing, f"{theme.name}: no shipped font has {missing}"


@pytest.mark.parametrize("role", WEIGHT_ROLES)
def test_text_is_drawn_with_shipped_fonts_only(theme: Theme, role: str) -> None:
    """Lay out every sample as the renderer does: each glyph run must come from a family the
    theme ships (no system fallback) and no glyph may be the missing-glyph box (index 0)."""
    shipped = {theme.fonts.family, *theme.fonts.fallback, *theme.fonts.faces.values()}
    for text in GLYPH_SAMPLES:
        layout = QTextLayout(text, theme_font(theme, role, 40))
        layout.beginLayout()
        layout.createLine()
        layout.endLayout()
        for run in layout.glyphRuns():
            assert run.rawFont().familyName() in shipped, (text, run.rawFont().familyName())
            assert 0 not in run.glyphIndexes(), f"{theme.name}/{role}: box in {text!r}"


def test_every_hangul_syllable_is_covered(theme: Theme) -> None:
    fonts = _shipped_fonts(theme)
    missing = [
        cp for cp in range(0xAC00, 0xD7A4) if not any(f.supportsCharacter(cp) for f in fonts)
    ]
    assert not missing, f"{len(missing)} Hangul syllables missing, e.g. {chr(missing[0])}"


def test_weights_resolve_to_distinct_faces(theme: Theme) -> None:
    styles = set()
    for role in WEIGHT_ROLES:
        layout = QTextLayout("ROUSSEL", theme_font(theme, role, 40))
        layout.beginLayout()
        layout.createLine()
        layout.endLayout()
        (run,) = layout.glyphRuns()
        styles.add((run.rawFont().familyName(), run.rawFont().styleName()))
    assert len(styles) == len(WEIGHT_ROLES), styles


def test_an_edited_theme_is_read_again(tmp_path: Path) -> None:
    folder = _copy_theme(tmp_path)
    assert load_theme(str(folder)).label == "Ice"
    file = folder / "theme.json"
    raw = json.loads(file.read_text(encoding="utf-8"))
    raw["label"] = "Ice (edited)"
    file.write_text(json.dumps(raw), encoding="utf-8")
    stat = file.stat()
    os.utime(file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert load_theme(str(folder)).label == "Ice (edited)"
