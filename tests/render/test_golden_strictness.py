"""The golden comparison sees what a viewer would: one changed letter, one changed digit or a
theme colour darkened by 30 levels each fail it, while the same render passes."""

from __future__ import annotations

import copy

import pytest
from golden import mismatch
from samples import LOWER_THIRD, PODIUM

from strapline.domain.theme import Theme
from strapline.render import render_graphic


def test_the_unchanged_render_matches(theme: Theme) -> None:
    image = render_graphic("podium", PODIUM, theme, (1280, 720))
    assert mismatch(image, f"podium_{theme.name}") is None


def test_one_letter_fails(theme: Theme) -> None:
    felik = dict(LOWER_THIRD, given_name="Felik")
    image = render_graphic("lower-third", felik, theme, (1280, 720))
    found = mismatch(image, f"lower_third_{theme.name}")
    assert found is not None, "Felix -> Felik passed the golden comparison"


def test_one_digit_fails(theme: Theme) -> None:
    podium = copy.deepcopy(PODIUM)
    assert podium["entries"][0]["time"] == "40.986"
    podium["entries"][0]["time"] = "48.986"
    image = render_graphic("podium", podium, theme, (1280, 720))
    assert mismatch(image, f"podium_{theme.name}") is not None, "40.986 -> 48.986 passed"


def _darker(value: str, levels: int) -> str:
    digits = value.lstrip("#")
    channels = [max(0, int(digits[i : i + 2], 16) - levels) for i in (0, 2, 4)]
    return "#" + "".join(f"{c:02X}" for c in channels) + digits[6:]


@pytest.mark.parametrize("colour", ["accent", "gold", "panel_alt", "text"])
def test_a_colour_darkened_by_30_levels_fails(theme: Theme, colour: str) -> None:
    value = getattr(theme.colours, colour)
    digits = value.lstrip("#")
    assert max(int(digits[i : i + 2], 16) for i in (0, 2, 4)) >= 30  # it can darken by 30
    colours = theme.colours.model_copy(update={colour: _darker(value, 30)})
    darker = theme.model_copy(update={"colours": colours})
    image = render_graphic("podium", PODIUM, darker, (1280, 720))
    assert mismatch(image, f"podium_{theme.name}") is not None, f"{colour} darkened passed"
