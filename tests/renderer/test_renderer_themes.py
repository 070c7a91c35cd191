"""Themes reach the renderer by name only: nothing sent over the network or written in a show
file is opened as a path, refusals name no file, SVG logos cannot pull in other files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from strapline.domain.diagnostics import DataError
from strapline.domain.rundown import Cue, Show
from strapline.osc import address as osc
from strapline.osc.codec import parse_packet
from strapline.render import load_named_theme
from strapline.render.pictures import picture
from strapline.renderer.compositor import ThemeCache
from strapline.renderer.engine import RendererEngine

LT = {"family_name": "ROUSSEL", "given_name": "Felix", "nation": "CAN"}
SHIPPED = Path(__file__).resolve().parents[2] / "themes"


def answer(engine: RendererEngine, command: osc.Command) -> Any:
    out = [
        osc.parse_reply(parse_packet(d)[0].message)
        for d in engine.handle_packet(osc.build(command), ("127.0.0.1", 5))
    ]
    return next(r for r in out if not isinstance(r, osc.StateReport))


@pytest.mark.parametrize(
    "theme",
    ["/etc/shadow", "../themes/ice", str(SHIPPED / "ice"), "ice/../night", "/", ".", "C:x"],
)
def test_a_theme_sent_as_a_path_is_refused_without_naming_a_file(theme: str) -> None:
    themes = ThemeCache()
    engine = RendererEngine("r1", check_theme=themes.check)
    nack = answer(engine, osc.Load(1, 1, 1, "lower-third", theme, LT))
    assert isinstance(nack, osc.Nack) and "not a theme name" in nack.reason
    assert "/" not in nack.reason.replace(repr(theme), "")  # only the name it was sent
    assert engine.channel_state(1).layers == []


def test_unknown_and_known_theme_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    themes = ThemeCache()
    engine = RendererEngine("r1", check_theme=themes.check)
    nack = answer(engine, osc.Load(1, 1, 1, "lower-third", "shadow", LT))
    # the same answer whether or not a folder of that name exists anywhere: no probing
    assert isinstance(nack, osc.Nack) and nack.reason.startswith("theme 'shadow': no such theme")
    assert "ice" in nack.reason and "/" not in nack.reason
    assert answer(engine, osc.Load(2, 1, 1, "lower-third", "night", LT)) == osc.Ack(2, "r1")


def test_a_theme_file_cannot_reach_outside_its_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "themes"
    shutil.copytree(SHIPPED / "ice", folder / "sly")
    raw = json.loads((folder / "sly" / "theme.json").read_text(encoding="utf-8"))
    outside = tmp_path / "elsewhere.ttf"
    shutil.copy(folder / "sly" / raw["fonts"]["files"][0], outside)
    (folder / "sly" / "fonts" / "link.ttf").symlink_to(outside)
    raw["fonts"]["files"] = ["fonts/link.ttf", *raw["fonts"]["files"][1:]]
    (folder / "sly" / "theme.json").write_text(json.dumps(raw), encoding="utf-8")
    monkeypatch.setenv("STRAPLINE_THEME_PATH", str(folder))
    with pytest.raises(DataError) as caught:
        load_named_theme("sly")
    assert "fonts.files" in str(caught.value) and str(tmp_path) not in str(caught.value)


def test_an_svg_logo_that_refers_to_a_file_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG not really")
    svg = tmp_path / "logo.svg"
    svg.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="10" height="10"><image xlink:href="file://{secret}" width="10" height="10"/>'
        "</svg>",
        encoding="utf-8",
    )
    assert picture(str(svg), 10, 10) is None
    folder = tmp_path / "themes"
    shutil.copytree(SHIPPED / "ice", folder / "sly")
    shutil.copy(svg, folder / "sly" / "logo.svg")
    raw = json.loads((folder / "sly" / "theme.json").read_text(encoding="utf-8"))
    raw["logo"] = "logo.svg"
    (folder / "sly" / "theme.json").write_text(json.dumps(raw), encoding="utf-8")
    monkeypatch.setenv("STRAPLINE_THEME_PATH", str(folder))
    with pytest.raises(DataError, match="refers to something outside"):
        load_named_theme("sly")


def test_a_show_file_names_its_themes() -> None:
    with pytest.raises(ValidationError):
        Show(theme="/etc")
    with pytest.raises(ValidationError):
        Cue(graphic="lower-third", theme="../../elsewhere")
    assert Show(theme="night").theme == "night" and Cue(graphic="podium", theme="").theme == ""
