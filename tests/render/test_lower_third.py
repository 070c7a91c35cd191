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


# relay teams of real shapes: particles, hyphenated double names, diacritics, Cyrillic, Han
HARD_TEAMS: list[list[str]] = [
    ["van 't WOUT Jens", "SZCZEPANSKI-WOJCIECHOWSKA Anna", "van 't WOUT Melle",
     "SCHULTING Suzanne"],
    ["DE LA MOTTE-FOUQUÉ Marie-Charlotte", "SZCZEPANSKI-WOJCIECHOWSKA Katarzyna Maria",
     "PIERRE-GILLES Jordan", "SANTOS-GRISWOLD Kristen"],
    ["ЖАҚСЫБЕКОВА-ҚҰДАЙБЕРГЕНОВА Әйгерім", "NGUYỄN Thị Ánh Tuyết", "AZHGALIYEV Abzal",
     "GALIAKHMETOV Adil"],
    ["LIU Shaolin Sándor", "LIU Shaoang", "NOGRÁDI Bence", "VARNAGY Daniel", "KRÉBESZ Botond",
     "BÉKÁSSY Alexandra"],
    ["林孝埈", "宮田将吾", "박지원", "ŠKODOVÁ Kateřina"],
]  # fmt: skip


def test_relay_members_never_cut_at_1080p(theme: Theme) -> None:
    for members in HARD_TEAMS:
        data = dict(LOWER_THIRD_RELAY, team_members=members, second_line="6:41.245")
        for size in ((1920, 1080), (1080, 1350), (1080, 1920)):
            boxes: list[TextBox] = []
            render_graphic("lower-third", data, theme, size, text_boxes=boxes)
            lines = [b for b in boxes if any(m in b.text for m in members)]
            assert not [b.text for b in lines if b.elided], (size, members)
            # every member whole on a line, in order, none split between lines
            drawn = " · ".join(b.text for b in lines).split(" · ")
            assert drawn == members, (size, drawn)
            # one size for every member line, and legible at 720p (>= 15 px there)
            assert len({b.pixel_size for b in lines}) == 1, (size, members)
            assert lines[0].pixel_size * 720 / min(size) >= 15, (size, lines[0].pixel_size)


def test_short_teams_keep_one_line(theme: Theme) -> None:
    boxes: list[TextBox] = []
    render_graphic("lower-third", LOWER_THIRD_RELAY, theme, (1920, 1080), text_boxes=boxes)
    line = " · ".join(LOWER_THIRD_RELAY["team_members"])
    assert [b.text for b in boxes if "JANG" in b.text] == [line]


def test_golden_relay_two_lines(theme: Theme, golden: Golden) -> None:
    data = dict(LOWER_THIRD_RELAY, team_members=HARD_TEAMS[0])
    image = render_graphic("lower-third", data, theme, (1280, 720))
    golden(image, f"lower_third_relay_long_{theme.name}")
