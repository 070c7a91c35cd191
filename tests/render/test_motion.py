"""Motion: outs are the ins backwards, pages turn instead of cutting, and an update that changes
a label never moves or double-exposes what did not change."""

from __future__ import annotations

import numpy as np
import pytest
from samples import LOWER_THIRD, PODIUM
from test_graphics_tables import RACE_BUG, SAMPLES, STANDINGS

from strapline.domain.graphics import Playhead, RaceBugData, StandingsData
from strapline.domain.theme import Theme
from strapline.render import TextBox, render_graphic, rgba_array

ALL = {**SAMPLES, "lower-third": LOWER_THIRD, "podium": PODIUM}
SIZE = (960, 540)


@pytest.mark.parametrize("kind", list(ALL))
def test_an_out_is_the_in_backwards(kind: str, theme: Theme) -> None:
    a = theme.animation
    for share in (0.2, 0.5, 0.8):
        out = render_graphic(kind, ALL[kind], theme, SIZE, Playhead(phase="out", t=share * a.out))
        back = Playhead(phase="in", t=(1 - share) * a.in_)
        into = render_graphic(kind, ALL[kind], theme, SIZE, back)
        assert np.array_equal(rgba_array(out), rgba_array(into)), (kind, share)


def _turn(theme: Theme, share: float) -> tuple[np.ndarray, set[str]]:
    data = StandingsData.model_validate(STANDINGS)
    head = Playhead(
        phase="update", t=share * theme.animation.update, step=1, previous=data.model_dump()
    )
    boxes: list[TextBox] = []
    image = render_graphic("standings", data, theme, (1920, 1080), head, text_boxes=boxes)
    return rgba_array(image), {b.text for b in boxes}


def test_a_page_turns_instead_of_cutting(theme: Theme) -> None:
    page1 = rgba_array(render_graphic("standings", STANDINGS, theme, (1920, 1080)))
    page2 = rgba_array(
        render_graphic("standings", STANDINGS, theme, (1920, 1080), Playhead(step=1))
    )
    early, early_texts = _turn(theme, 0.2)
    late, late_texts = _turn(theme, 0.8)
    done, _ = _turn(theme, 1.0)
    assert not np.array_equal(early, page1) and not np.array_equal(early, page2)
    assert not np.array_equal(late, page2)
    assert np.array_equal(done, page2)  # the turn lands exactly on the still of page 2
    # one page at a time: never the rows of both pages together (no double exposure)
    assert "1" in early_texts and "7" not in early_texts
    assert "7" in late_texts and "1" not in late_texts


def test_a_lap_update_keeps_the_bug_still(theme: Theme) -> None:
    two = dict(RACE_BUG, laps_to_go=2.0)
    one = dict(RACE_BUG, laps_to_go=1.0)
    old = rgba_array(render_graphic("race-bug", two, theme, (1920, 1080)))
    new = rgba_array(render_graphic("race-bug", one, theme, (1920, 1080)))

    def box(img: np.ndarray) -> tuple[int, int, int, int]:
        ys, xs = np.nonzero(img[:, :, 3])
        return int(xs.min()), int(xs.max()), int(ys.min()), int(ys.max())

    assert box(old) == box(new)  # "LAPS" -> "LAP" does not resize the bug
    head = Playhead(
        phase="update", t=0.5 * theme.animation.update,
        previous=RaceBugData.model_validate(two).model_dump(),
    )  # fmt: skip
    mid = rgba_array(render_graphic("race-bug", one, theme, (1920, 1080), head))
    same = np.all(old == new, axis=2)
    # what did not change (event, round, leader, the panel) is exactly as it was mid-update
    assert same.sum() > 0.99 * same.size
    assert np.array_equal(mid[same], new[same])
