"""Lower third: golden images per theme (single skater, relay team, portrait, mid-animation)
and the details an operator relies on."""

from __future__ import annotations

from collections.abc import Callable

from samples import LOWER_THIRD, LOWER_THIRD_RELAY

from strapline.domain.graphics import Playhead
from strapline.domain.theme import Theme
from strapline.render import TextBox, render_graphic

Golden = Callable[..., None]


def test_golden_skater(theme: Theme, golden: Golden) -> None:
    golden(
        render_graphic("lower-third", LOWER_THIRD, theme, (1280, 720)), f"lower_third_{theme.name}"
    )


def test_golden_relay(theme: Theme, golden: Golden) -> None:
    image = render_graphic("lower-third", LOWER_THIRD_RELAY, theme, (1280, 720))
    golden(image, f"lower_third_relay_{theme.name}")


def test_golden_portrait(theme: Theme, golden: Golden) -> None:
    image = render_graphic("lower-third", LOWER_THIRD, theme, (540, 675), background="theme")
    golden(image, f"lower_third_portrait_{theme.name}")


def test_golden_flying_in(theme: Theme, golden: Golden) -> None:
    head = Playhead(phase="in", t=theme.animation.in_ * 0.4)
    image = render_graphic("lower-third", LOWER_THIRD, theme, (1280, 720), head)
    golden(image, f"lower_third_in_{theme.name}")


def _texts(
    data: dict[str, object], theme: Theme, size: tuple[int, int] = (1920, 1080)
) -> list[str]:
    boxes: list[TextBox] = []
    render_graphic("lower-third", data, theme, size, text_boxes=boxes)
    return [b.text for b in boxes]


def test_every_field_is_shown(theme: Theme) -> None:
    texts = _texts(LOWER_THIRD, theme)
    assert {"27", "ROUSSEL Felix", "CAN", "MEN 500 M · FINAL A · GOLD"} <= set(texts)
    assert LOWER_THIRD["second_line"] in texts
    relay = _texts(LOWER_THIRD_RELAY, theme)
    assert "JANG Sungwoo · PARK Ji Won · KIM Gun Woo · KIM Tae Sung" in relay
    assert {"301", "Korea", "KOR"} <= set(relay)


def test_minimal_data_renders(theme: Theme) -> None:
    texts = _texts({"family_name": "ROUSSEL"}, theme)
    assert texts == ["ROUSSEL"]
    portrait = _texts({"family_name": "ROUSSEL"}, theme, (1080, 1920))
    assert portrait == ["ROUSSEL"]


def test_neutral_athlete_gets_a_neutral_mark(theme: Theme) -> None:
    texts = _texts(dict(LOWER_THIRD, nation="AIN"), theme)
    assert "AIN" in texts  # the code beside the neutral grey mark


def test_scales_with_the_output(theme: Theme) -> None:
    def name(size: tuple[int, int]) -> TextBox:
        boxes: list[TextBox] = []
        render_graphic("lower-third", LOWER_THIRD, theme, size, text_boxes=boxes)
        return next(b for b in boxes if b.text == "ROUSSEL Felix")

    hd, uhd = name((1920, 1080)), name((3840, 2160))
    assert uhd.pixel_size == 2 * hd.pixel_size
    assert abs(uhd.rect.left() - 2 * hd.rect.left()) <= 2
    assert abs(uhd.rect.width() - 2 * hd.rect.width()) <= 0.02 * uhd.rect.width()
