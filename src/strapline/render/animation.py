"""Animation as a pure function of time: a frame at t is the same in a still and on air."""

from __future__ import annotations

from strapline.domain.graphics import Playhead
from strapline.domain.theme import Theme


def clamp01(x: float) -> float:
    return 0.0 if x <= 0.0 else 1.0 if x >= 1.0 else x


def ease_out(x: float) -> float:
    """Cubic ease-out: fast start, soft landing (elements arriving)."""
    x = clamp01(x)
    return 1.0 - (1.0 - x) ** 3


def ease_in(x: float) -> float:
    """Cubic ease-in: soft start, fast exit (elements leaving)."""
    x = clamp01(x)
    return x * x * x


def ease_in_out(x: float) -> float:
    x = clamp01(x)
    return 4 * x * x * x if x < 0.5 else 1 - (-2 * x + 2) ** 3 / 2


def lerp(a: float, b: float, x: float) -> float:
    return a + (b - a) * x


def presence(playhead: Playhead, theme: Theme) -> float:
    """How far the graphic as a whole is on screen: 0 (gone) to 1 (fully in)."""
    if playhead.phase == "in":
        return ease_out(playhead.t / theme.animation.in_)
    if playhead.phase == "out":
        return 1.0 - ease_in(playhead.t / theme.animation.out)
    return 1.0


def mirrored(playhead: Playhead, theme: Theme) -> Playhead:
    """An out at t drawn as the in at the mirrored moment: every out is its in played
    backwards, over the out's duration (the last element in is the first out). Other phases
    are returned as they are."""
    if playhead.phase != "out":
        return playhead
    back = (1.0 - clamp01(playhead.t / theme.animation.out)) * theme.animation.in_
    return Playhead(phase="in", t=back, step=playhead.step)


def element_progress(playhead: Playhead, theme: Theme, index: int, count: int) -> float:
    """Eased progress (0-1) of element `index` of `count`, staggered while flying in.

    Elements start `theme.animation.stagger` seconds apart and all land by the end of the
    in-duration; going out is the in backwards (`mirrored`). Outside in/out every element is
    fully in.
    """
    if playhead.phase == "out":
        playhead = mirrored(playhead, theme)
    if playhead.phase == "in":
        total = theme.animation.in_
        count = max(1, count)
        spread = min(theme.animation.stagger * (count - 1), total * 0.5)
        start = spread * index / (count - 1) if count > 1 else 0.0
        return ease_out((playhead.t - start) / (total - spread))
    return 1.0


def update_mix(playhead: Playhead, theme: Theme) -> float | None:
    """Weight of the new data during an update cross-fade, or None when there is none."""
    if playhead.phase != "update" or playhead.previous is None:
        return None
    mix = ease_in_out(playhead.t / theme.animation.update)
    return None if mix >= 1.0 else mix


def is_gone(playhead: Playhead, theme: Theme) -> bool:
    """True once an out transition has finished: nothing is drawn."""
    return playhead.phase == "out" and playhead.t >= theme.animation.out
