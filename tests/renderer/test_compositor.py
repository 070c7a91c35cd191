"""The renderer's frames: every layer painted over the ones below in one frame, a layer that
cannot be drawn left out whole, the background under everything."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from PySide6.QtGui import QImage, QPainter

from strapline.domain.graphics import Playhead, data_model, graphic_kind
from strapline.render import ensure_gui, render_graphic, rgba_array
from strapline.render import graphics as painters
from strapline.renderer.compositor import Compositor, ThemeCache
from strapline.renderer.engine import LayerFrame, RendererEngine

SIZE = (640, 360)
BUG: dict[str, Any] = {"event": "Men 1000 m", "round": "Final A", "laps_to_go": 4}
LOWER_THIRD: dict[str, Any] = {
    "family_name": "ROUSSEL",
    "given_name": "Felix",
    "nation": "CAN",
    "helmet": 27,
    "info": "Men 500 m · Final A · Gold",
}


@pytest.fixture
def compositor() -> Compositor:
    ensure_gui()
    return Compositor(RendererEngine("test", clock=lambda: 0.0), ThemeCache(), SIZE)


def layer(number: int, kind: str, data: dict[str, Any], t: float = 0.2) -> LayerFrame:
    model = data_model(graphic_kind(kind)).model_validate(data)
    return LayerFrame(number, kind, "", model, Playhead(phase="in", t=t))


def over(top: QImage, bottom: QImage) -> QImage:
    """`top` composited over `bottom` (source over, premultiplied), as separate pictures."""
    out = bottom.copy()
    painter = QPainter(out)
    painter.drawImage(0, 0, top)
    painter.end()
    return out


def pixels(image: QImage) -> np.ndarray:
    return rgba_array(image).astype(np.int16)


def test_layers_are_painted_one_over_the_other(compositor: Compositor) -> None:
    layers = [layer(1, "race-bug", BUG), layer(2, "lower-third", LOWER_THIRD, t=0.3)]
    program, shown = compositor.compose_outputs(layers)
    assert shown is program  # no key and fill: the window shows the program itself
    theme = compositor.themes.get("")
    apart = [render_graphic(f.graphic, f.model, theme, SIZE, f.playhead) for f in layers]
    expected = over(apart[1], apart[0])
    difference = np.abs(pixels(program) - pixels(expected))
    # the same picture as two graphics drawn apart and composed, to rounding
    assert difference.max() <= 2
    assert (pixels(program)[..., 3] > 0).sum() > (pixels(apart[1])[..., 3] > 0).sum()


def test_a_layer_that_fails_is_left_out_whole(
    compositor: Compositor, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = painters.painter_for("lower-third")

    def half_then_fail(painter: QPainter, data: Any, ctx: Any) -> None:
        real(painter, data, ctx)  # ink on the frame, then a bug
        raise RuntimeError("painter bug")

    monkeypatch.setattr(
        "strapline.render.core.painter_for",
        lambda kind: half_then_fail if kind == "lower-third" else painters.painter_for(kind),
    )
    bug = layer(1, "race-bug", BUG)
    program, _ = compositor.compose_outputs([bug, layer(2, "lower-third", LOWER_THIRD)])
    alone, _ = compositor.compose_outputs([bug])
    assert compositor.stats.render_errors == 1
    assert np.array_equal(pixels(program), pixels(alone))  # not a trace of the failed layer
    assert (pixels(alone)[..., 3] > 0).any()


def test_the_background_is_under_every_layer() -> None:
    ensure_gui()
    green = Compositor(
        RendererEngine("test", clock=lambda: 0.0), ThemeCache(), SIZE, background="green"
    )
    program, _ = green.compose_outputs([layer(1, "lower-third", LOWER_THIRD)])
    corner = pixels(program)[0, 0]
    assert corner.tolist() == [0x00, 0xB1, 0x40, 255]
    empty, _ = green.compose_outputs([])
    assert (pixels(empty)[..., 1] == 0xB1).all()


def test_a_layer_at_rest_under_one_that_moves_is_painted_once(
    compositor: Compositor, monkeypatch: pytest.MonkeyPatch
) -> None:
    import strapline.renderer.compositor as module

    painted: list[str] = []
    real = module.render_graphic

    def counting(kind: str, *args: Any, **kwargs: Any) -> QImage:
        painted.append(kind)
        return real(kind, *args, **kwargs)

    monkeypatch.setattr(module, "render_graphic", counting)
    model = data_model(graphic_kind("lower-third")).model_validate(LOWER_THIRD)
    theme = compositor.themes.get("")
    for t in (0.1, 0.2, 0.3):
        resting = LayerFrame(2, "lower-third", "", model, Playhead(phase="hold"), model)
        frame = [layer(1, "race-bug", BUG, t=t), resting]
        program, _ = compositor.compose_outputs(frame)
        bug = render_graphic("race-bug", frame[0].model, theme, SIZE, frame[0].playhead)
        expected = over(render_graphic("lower-third", model, theme, SIZE), bug)
        assert np.abs(pixels(program) - pixels(expected)).max() <= 2
    assert painted == ["lower-third"]  # once, then copied
    # other data on the same layer: painted again
    other = model.model_copy(update={"family_name": "DANDJINOU"})
    compositor.compose_outputs(
        [layer(1, "race-bug", BUG), LayerFrame(2, "lower-third", "", other, Playhead(), other)]
    )
    assert painted == ["lower-third", "lower-third"]


def test_frames_are_used_again_once_nothing_holds_them(compositor: Compositor) -> None:
    bug = layer(1, "race-bug", BUG)
    first, _ = compositor.compose_outputs([bug])
    second, _ = compositor.compose_outputs([layer(1, "race-bug", BUG, t=0.3)])
    assert second is not first  # the first is still held (on air, say): never painted over
    kept = pixels(first)
    third, _ = compositor.compose_outputs([layer(1, "lower-third", LOWER_THIRD)])
    assert np.array_equal(pixels(first), kept)
    made = compositor._frames.made
    del first, second, third
    for t in (0.1, 0.2, 0.3, 0.4):
        compositor.compose_outputs([layer(1, "race-bug", BUG, t=t)])
    assert compositor._frames.made == made  # released frames were used again
    # a frame used again is painted afresh: nothing of what it showed before remains
    again, _ = compositor.compose_outputs([])
    assert not pixels(again)[..., 3].any()
