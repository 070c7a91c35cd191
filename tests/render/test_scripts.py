"""Every script from the themes' own fonts: drawn with no system font at all, and checked the
way Qt really chooses glyphs (an empty glyph counts as missing, not only a missing cmap entry)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from strapline.cli import main
from strapline.domain.model import (
    Athlete,
    Competition,
    Event,
    Race,
    ResultRow,
    Round,
    RoundKind,
)
from strapline.domain.theme import Theme
from strapline.render.coverage import data_warnings, glyph_problems

# one name or phrase per script the themes promise
SCRIPTS: dict[str, str] = {
    "Latin Extended": "KUCZYŃSKI Łukasz ŠŽČĆĐ ŐŰ ĄĘ ĞİŞ ØÅÆ ßÞÐ",
    "Vietnamese": "NGUYỄN Thị Ánh Tuyết ĐẶNG Quốc Hưng",
    "Cyrillic": "ЯКОВЛЕВА Алина ЁЖИКОВ Щёкин",
    "Kazakh": "ЖАҚСЫБЕКОВА Әйгерім Нұрсұлтанқызы ҒҢӨҰҮҺІ",
    "Hangul": "박지원 최민정 황대헌 심석희",
    "Han": "林孝埈 宮田将吾 武大靖 范可新 張 黃 鄭",
    "kana": "ひらがな カタカナ ミヤタ ショウゴ ー",
}


@pytest.mark.parametrize("script", list(SCRIPTS))
def test_each_script_comes_from_the_themes_fonts(theme: Theme, script: str) -> None:
    assert glyph_problems(theme, SCRIPTS[script]) == []


def test_an_empty_glyph_is_found_not_only_a_missing_one(theme: Theme) -> None:
    # NanumSquare maps many Han characters to empty glyphs: a theme falling back to it alone
    # would draw 林孝埈 as nothing though the character map says yes
    fonts = theme.fonts.model_copy(update={"fallback": ["NanumSquare"]})
    nanum_only = theme.model_copy(update={"fonts": fonts})
    problems = glyph_problems(nanum_only, "林孝埈")
    assert problems and problems[0].char == "林"
    assert problems[0].problem in ("blank", "system")


def _final(name: Athlete) -> Competition:
    race = Race(
        id="m500-fa", round=Round(kind=RoundKind.FINAL_A),
        results=[ResultRow(competitor=name, place=1)],
    )  # fmt: skip
    return Competition(events=[Event(id="m500", name="Men 500 m", races=[race])])


def test_data_warnings_name_the_row(theme: Theme) -> None:
    snowman = Athlete(id="x", family_name="ROUSSEL", given_name="Felix \u2603", nation="CAN")
    warnings = data_warnings(_final(snowman), [theme])
    assert len(warnings) == 1
    text = str(warnings[0])
    assert "Men 500 m Final A, result row 1" in text and "U+2603" in text
    fine = Athlete(id="l", family_name="林", given_name="孝埈", nation="CHN")
    assert data_warnings(_final(fine), [theme]) == []


def test_check_warns_of_characters_no_theme_can_draw(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "Men 500 m Final A.csv"
    data.write_text(
        "Place,Name,Nation,Time\n1,林孝埈,CHN,40.986\n2,ROUSSEL Felix \u2603,CAN,41.0\n"
    )
    assert main(["check", str(data)]) == 0
    out = capsys.readouterr().out
    assert "result row 2" in out and "U+2603" in out
    # the Han name is drawn from the theme (the importer may still say it has no given name)
    drawing = [line for line in out.splitlines() if "cannot be drawn" in line]
    assert drawing and not [line for line in drawing if "林" in line]


_CHILD = textwrap.dedent(
    """
    import json, sys
    from strapline.render import load_theme, render_graphic, rgba_array
    from strapline.render.coverage import glyph_problems
    from PySide6.QtGui import QFontDatabase
    samples = json.loads(sys.argv[1])
    out = {"system_families": [], "problems": {}, "ink": {}}
    def bar(theme, text):
        data = {"family_name": text, "nation": "KOR"}
        return rgba_array(render_graphic("lower-third", data, theme, (1920, 1080)))

    for name in ("ice", "night"):
        theme = load_theme(name)
        blank = bar(theme, ".")  # the same bar with (almost) no text
        for script, text in samples.items():
            problems = [str(p) for p in glyph_problems(theme, text)]
            differ = (bar(theme, text) != blank).any(axis=2)
            out["problems"][f"{name} {script}"] = problems
            out["ink"][f"{name} {script}"] = int(differ.sum())
    out["system_families"] = sorted(
        f for f in QFontDatabase.families() if not QFontDatabase.isPrivateFamily(f)
    )
    print(json.dumps(out))
    """
)


def test_every_script_renders_with_no_system_font_at_all(tmp_path: Path) -> None:
    """A machine with no fonts: an empty fontconfig (no font folder) in a fresh process."""
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
        f"<fontconfig><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>\n"
    )
    env = dict(os.environ, FONTCONFIG_FILE=str(conf), QT_QPA_PLATFORM="offscreen")
    env.pop("FONTCONFIG_PATH", None)
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, json.dumps(SCRIPTS)],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    # the only families Qt knows are the themes' own (and its generic names for them)
    shipped = ("Inter", "Noto Sans", "NanumSquare", "Strapline CJK SC")
    generic = {"Monospace", "Sans Serif", "Serif"}
    foreign = [f for f in result["system_families"] if not f.startswith(shipped)]
    assert set(foreign) <= generic, foreign
    assert {k: v for k, v in result["problems"].items() if v} == {}
    # and every name is drawn: thousands of pixels differ from the same bar without it
    assert all(v > 3_000 for v in result["ink"].values()), result["ink"]


def test_the_cjk_subset_holds_every_character_it_promises() -> None:
    """GB 2312, JIS X 0208 level 1, KS X 1001 Hanja and kana: in the cmap and with ink."""
    import importlib.util

    from PySide6.QtGui import QRawFont

    root = Path(__file__).resolve().parents[2]
    spec = importlib.util.spec_from_file_location("build", root / "packaging/build_cjk_font.py")
    assert spec is not None and spec.loader is not None
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    wanted = build.characters()
    assert len(wanted) > 9000
    assert {"林", "孝", "埈", "宮", "将", "吾", "ひ", "カ", "ー"} <= wanted
    for weight in ("Regular", "Bold"):
        ice = root / f"themes/ice/fonts/StraplineCJKsc-{weight}.otf"
        night = root / f"themes/night/fonts/StraplineCJKsc-{weight}.otf"
        assert ice.read_bytes() == night.read_bytes()  # one file, one git blob
        raw = QRawFont(str(ice), 32)
        assert raw.familyName() == "Strapline CJK SC"
        lacking = [c for c in wanted if not raw.supportsCharacter(ord(c))]
        glyphs = raw.glyphIndexesForString("".join(sorted(wanted)))
        blank = [g for g in glyphs if raw.pathForGlyph(g).isEmpty()]
        assert lacking == [] and len(blank) <= 2, (lacking[:10], len(blank))  # U+3000 spaces
