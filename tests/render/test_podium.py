"""Podium card: golden images per theme (individual, tie, relay, portrait) and the details."""

from __future__ import annotations

from collections.abc import Callable

from samples import PODIUM, PODIUM_RELAY, PODIUM_TIE

from strapline.domain.theme import Theme
from strapline.render import TextBox, render_graphic
from strapline.render.context import PaintContext

Golden = Callable[..., None]


def test_golden_final(theme: Theme, golden: Golden) -> None:
    golden(render_graphic("podium", PODIUM, theme, (1280, 720)), f"podium_{theme.name}")


def test_golden_tie(theme: Theme, golden: Golden) -> None:
    golden(render_graphic("podium", PODIUM_TIE, theme, (1280, 720)), f"podium_tie_{theme.name}")


def test_golden_relay(theme: Theme, golden: Golden) -> None:
    image = render_graphic("podium", PODIUM_RELAY, theme, (1280, 720))
    golden(image, f"podium_relay_{theme.name}")


def test_golden_portrait(theme: Theme, golden: Golden) -> None:
    image = render_graphic("podium", PODIUM, theme, (540, 675), background="theme")
    golden(image, f"podium_portrait_{theme.name}")


def test_golden_tall(theme: Theme, golden: Golden) -> None:
    image = render_graphic("podium", PODIUM, theme, (540, 960), background="theme")
    golden(image, f"podium_tall_{theme.name}")


def test_golden_tall_relay(theme: Theme, golden: Golden) -> None:
    image = render_graphic("podium", PODIUM_RELAY, theme, (540, 960), background="theme")
    golden(image, f"podium_tall_relay_{theme.name}")


def _boxes(data: dict[str, object], theme: Theme, size: tuple[int, int]) -> list[TextBox]:
    boxes: list[TextBox] = []
    render_graphic("podium", data, theme, size, text_boxes=boxes)
    return boxes


def test_tall_fills_the_frame_inside_graphics_safe(theme: Theme) -> None:
    safe = PaintContext(theme, 1080, 1920).safe
    for data in (PODIUM, PODIUM_RELAY, PODIUM_TIE):
        boxes = _boxes(data, theme, (1080, 1920))
        assert all(safe.adjusted(-1, -1, 1, 1).contains(b.rect) for b in boxes)
        top = min(b.rect.top() for b in boxes)
        bottom = max(b.rect.bottom() for b in boxes)
        # the 4:5 layout centred used about half of it: text now spans most of the safe height
        assert bottom - top > 0.75 * safe.height(), data["title"]
        # and reads large: a medallist's name at 720x1280 is at least 40 px
        name = next(b for b in boxes if b.text in ("ROUSSEL", "Korea", "VELZEBOER"))
        assert name.pixel_size * 1280 / 1920 >= 40


def test_tall_relay_members_whole_and_alike(theme: Theme) -> None:
    long = dict(PODIUM_RELAY)
    long["entries"] = [
        dict(e, team_members=["van 't WOUT Jens", "SZCZEPANSKI-WOJCIECHOWSKA Anna",
                              "DE LA MOTTE-FOUQUÉ Marie-Charlotte", "LIU Shaolin Sándor"])
        if i == 1 else e
        for i, e in enumerate(PODIUM_RELAY["entries"])
    ]  # fmt: skip
    for data in (PODIUM_RELAY, long):
        boxes = _boxes(data, theme, (1080, 1920))
        members = {m for e in data["entries"] for m in e["team_members"]}
        drawn = [b for b in boxes if b.text in members]
        assert {b.text for b in drawn} == members  # every member, whole
        assert not any(b.elided for b in boxes)
        assert len({b.pixel_size for b in drawn}) == 1  # one size for every member
        assert drawn[0].pixel_size * 1280 / 1920 >= 14  # legible at 720p


def _texts(data: dict[str, object], theme: Theme) -> list[str]:
    boxes: list[TextBox] = []
    render_graphic("podium", data, theme, (1920, 1080), text_boxes=boxes)
    return [b.text for b in boxes]


def test_rows_places_times_and_note(theme: Theme) -> None:
    texts = _texts(PODIUM, theme)
    for expected in ("MEN 500 M", "FINAL A", "ROUSSEL Felix", "PIERRE-GILLES Jordan",
                     "KUCZYŃSKI Łukasz", "40.986", "41.102", "NR", "NIKISHA (KAZ) penalised",
                     "UNOFFICIAL", "1", "2", "3"):  # fmt: skip
        assert expected in texts, expected


def test_tie_shows_two_seconds_and_no_third(theme: Theme) -> None:
    texts = _texts(PODIUM_TIE, theme)
    assert texts.count("=2") == 2 and "3" not in texts and "2" not in texts
    assert "UNOFFICIAL" not in texts


def test_relay_shows_members(theme: Theme) -> None:
    texts = _texts(PODIUM_RELAY, theme)
    # two lines a team, none cut
    assert {"JANG Sungwoo · PARK Ji Won", "KIM Gun Woo · KIM Tae Sung"} <= set(texts)
    assert {"Korea", "Japan", "Hungary", "6:41.245"} <= set(texts)


def test_times_use_tabular_figures(theme: Theme) -> None:
    boxes: list[TextBox] = []
    render_graphic("podium", PODIUM_TIE, theme, (1920, 1080), text_boxes=boxes)
    widths = {round(b.rect.width(), 1) for b in boxes if b.text in ("1:28.431", "1:28.502")}
    assert len(widths) == 1  # same digits count, same width: the columns line up
