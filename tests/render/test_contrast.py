"""Every text/background pair each theme declares reads: 4.5:1, or 3:1 for large bold text."""

from __future__ import annotations

from strapline.domain.theme import Theme
from strapline.render.contrast import check, ratio

# pairs every theme must declare: what the painters draw text in, on what
REQUIRED = {
    ("text", "panel"), ("text_muted", "panel"), ("text_alt", "panel_alt"),
    ("text_muted", "panel_alt"), ("accent_text", "accent"), ("plate_text", "plate"),
    ("header_text", "header"), ("header_accent", "header"), ("medal_text", "gold"),
    ("medal_text", "silver"), ("medal_text", "bronze"), ("badge_text", "unofficial"),
    ("badge_text", "live"), ("badge_text", "start_list"), ("background_text", "background"),
}  # fmt: skip


def test_every_declared_pair_reads(theme: Theme) -> None:
    results = check(theme)
    assert {(r.pair.text, r.pair.background) for r in results} >= REQUIRED
    failures = [str(r) for r in results if not r.ok]
    assert failures == []


def test_column_labels_are_legible_at_720p(theme: Theme) -> None:
    # the label size on the 1080p grid, scaled to 720p, stays above 13 px
    assert theme.sizes.label * 720 / 1080 >= 13


def test_the_ratio_is_wcag_and_judges_glass_at_its_weakest() -> None:
    assert round(ratio("#FFFFFF", "#000000"), 1) == 21.0
    assert round(ratio("#777777", "#FFFFFF"), 2) == 4.48
    # white on a half-transparent dark panel: fine over black, poor over white ice
    assert ratio("#FFFFFF", "#00000080") < 4.5 < ratio("#FFFFFF", "#000000")
    # the failures: white on cyan, white on amber
    assert ratio("#FFFFFF", "#00A8E1") < 3 and ratio("#FFFFFF", "#F2A900") < 3
