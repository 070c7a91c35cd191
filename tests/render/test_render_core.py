"""render_graphic: validation, backgrounds, sizes, animation as a function of time, updates."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QImage
from samples import LOWER_THIRD, PODIUM

from strapline.domain.graphics import LowerThirdData, Playhead
from strapline.domain.theme import Theme
from strapline.render import TextBox, render_graphic, rgba_array

SIZE = (960, 540)


def _premultiplied(image: QImage) -> np.ndarray:
    h, w = image.height(), image.width()
    raw = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.bytesPerLine() * h)
    return raw.reshape(h, image.bytesPerLine())[:, : w * 4].reshape(h, w, 4).astype(int)


def _alpha(image: QImage) -> np.ndarray:
    return rgba_array(image)[:, :, 3]


def test_still_is_premultiplied_and_transparent_outside(theme: Theme) -> None:
    image = render_graphic("lower-third", LOWER_THIRD, theme, SIZE)
    assert image.format() == QImage.Format.Format_ARGB32_Premultiplied
    assert (image.width(), image.height()) == SIZE
    alpha = _alpha(image)
    assert alpha[:100].max() == 0  # the top of the frame is empty
    assert alpha.max() == 255  # the graphic is there


def test_model_and_dict_give_the_same_pixels(theme: Theme) -> None:
    a = render_graphic("lower-third", LOWER_THIRD, theme, SIZE)
    b = render_graphic("lower-third", LowerThirdData.model_validate(LOWER_THIRD), theme, SIZE)
    assert a == b


def test_backgrounds(theme: Theme) -> None:
    opaque = render_graphic("podium", PODIUM, theme, (540, 960), background="theme")
    assert _alpha(opaque).min() == 255
    coloured = render_graphic("lower-third", LOWER_THIRD, theme, SIZE, background="#00FF00")
    assert coloured.pixelColor(2, 2).getRgb() == (0, 255, 0, 255)
    with pytest.raises(ValueError, match="not a colour"):
        render_graphic("lower-third", LOWER_THIRD, theme, SIZE, background="green")


def test_bad_input_is_refused(theme: Theme) -> None:
    with pytest.raises(ValueError, match="unknown graphic"):
        render_graphic("weather", {}, theme, SIZE)
    with pytest.raises(ValueError, match="family_name"):
        render_graphic("lower-third", {"given_name": "Felix"}, theme, SIZE)
    with pytest.raises(ValueError, match="out of range"):
        render_graphic("lower-third", LOWER_THIRD, theme, (0, 540))


def test_in_animation_is_a_function_of_time(theme: Theme) -> None:
    def at(t: float) -> QImage:
        return render_graphic("lower-third", LOWER_THIRD, theme, SIZE, Playhead(phase="in", t=t))

    start, middle, end = at(0.0), at(theme.animation.in_ * 0.4), at(theme.animation.in_)
    assert _alpha(start).sum() < _alpha(middle).sum() < _alpha(end).sum()
    assert start.pixelColor(0, 0).alpha() == 0
    assert end == render_graphic("lower-third", LOWER_THIRD, theme, SIZE)  # landed = the still
    assert at(theme.animation.in_ * 0.4) == middle  # same time, same frame


def test_out_animation_ends_empty(theme: Theme) -> None:
    def at(t: float) -> QImage:
        return render_graphic("podium", PODIUM, theme, SIZE, Playhead(phase="out", t=t))

    assert at(0.0) == render_graphic("podium", PODIUM, theme, SIZE)
    assert 0 < _alpha(at(theme.animation.out * 0.5)).sum() < _alpha(at(0.0)).sum()
    assert _alpha(at(theme.animation.out)).max() == 0


def test_update_cross_fades_only_what_changed(theme: Theme) -> None:
    old = dict(LOWER_THIRD, second_line="41.002")
    new = dict(LOWER_THIRD, second_line="40.986 · First World Cup gold")

    def at(t: float) -> QImage:
        head = Playhead(phase="update", t=t, previous=old)
        return render_graphic("lower-third", new, theme, SIZE, head)

    before = render_graphic("lower-third", old, theme, SIZE)
    after = render_graphic("lower-third", new, theme, SIZE)
    middle = at(theme.animation.update * 0.5)
    assert middle != before and middle != after
    assert at(theme.animation.update) == after
    a, m, b = (_premultiplied(i) for i in (before, middle, after))
    same = (a == b).all(axis=2)
    assert np.abs(m[same] - a[same]).max() <= 2  # unchanged pixels stay put through the fade
    assert not same.all()
    # the fade eases in: its first frame is the old picture itself, and the next ones blend
    assert at(0.001) == before
    first_blend = next(t / 1000 for t in range(1, 300) if at(t / 1000) != before)
    assert first_blend < theme.animation.update * 0.25
    # the frames of the fade, drawn again, are the same (what the fade needs is kept)
    assert at(theme.animation.update * 0.5) == middle


def test_text_boxes_are_reported(theme: Theme) -> None:
    boxes: list[TextBox] = []
    render_graphic("lower-third", LOWER_THIRD, theme, SIZE, text_boxes=boxes)
    texts = [b.text for b in boxes]
    assert "ROUSSEL Felix" in texts and "UNOFFICIAL" in texts and "27" in texts


def test_official_data_has_no_badge(theme: Theme) -> None:
    for kind, data in (("lower-third", LOWER_THIRD), ("podium", PODIUM)):
        for status, label in (
            ("OFFICIAL", None), ("UNOFFICIAL", "UNOFFICIAL"), ("LIVE", "LIVE"),
            ("START_LIST", "START LIST"),
        ):  # fmt: skip
            boxes: list[TextBox] = []
            render_graphic(kind, dict(data, status=status), theme, SIZE, text_boxes=boxes)
            badges = {"UNOFFICIAL", "LIVE", "START LIST"} & {b.text for b in boxes}
            assert badges == ({label} if label else set()), (kind, status)


def test_worker_thread_renders_the_same_pixels(theme: Theme) -> None:
    from concurrent.futures import ThreadPoolExecutor

    here = render_graphic("podium", PODIUM, theme, SIZE)
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [pool.submit(render_graphic, "podium", PODIUM, theme, SIZE) for _ in range(4)]
        images = [f.result() for f in futures]
    assert all(image == here for image in images)
