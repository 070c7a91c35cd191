"""Contrast of text on its background, as WCAG 2 measures it, for the pairs a theme declares.

A theme lists every text/background pair of colours it draws (`Theme.contrast_pairs`); each must
reach 4.5:1, or 3:1 where the pair only carries bold text of 24 px or more on the 1080p grid
(WCAG's "large text"). A translucent colour is judged where it is weakest: composited over white
and over black (the brightest ice and the darkest crowd), so a glass panel passes only if its
text reads over anything.
"""

from __future__ import annotations

from dataclasses import dataclass

from strapline.domain.theme import ContrastPair, Theme

NORMAL, LARGE = 4.5, 3.0
_UNDER = ((255.0, 255.0, 255.0), (0.0, 0.0, 0.0))


def _rgba(value: str) -> tuple[float, float, float, float]:
    digits = value.lstrip("#")
    r, g, b = (int(digits[i : i + 2], 16) for i in (0, 2, 4))
    a = int(digits[6:8], 16) / 255 if len(digits) == 8 else 1.0
    return float(r), float(g), float(b), a


def _over(colour: str, under: tuple[float, float, float]) -> tuple[float, float, float]:
    r, g, b, a = _rgba(colour)
    return (r * a + under[0] * (1 - a), g * a + under[1] * (1 - a), b * a + under[2] * (1 - a))


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(v: float) -> float:
        v /= 255
        return v / 12.92 if v <= 0.03928 else float(((v + 0.055) / 1.055) ** 2.4)

    r, g, b = rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def ratio(text: str, background: str) -> float:
    """The lower WCAG contrast ratio of `text` on `background` over white and over black."""
    worst = 21.0
    for under in _UNDER:
        bg = _over(background, under)
        fg = _over(text, bg)
        hi, lo = sorted((_luminance(fg), _luminance(bg)), reverse=True)
        worst = min(worst, (hi + 0.05) / (lo + 0.05))
    return worst


@dataclass(frozen=True)
class ContrastResult:
    pair: ContrastPair
    text: str
    background: str
    ratio: float
    needed: float

    @property
    def ok(self) -> bool:
        return self.ratio >= self.needed

    def __str__(self) -> str:
        where = f" ({self.pair.where})" if self.pair.where else ""
        return (
            f"{self.pair.text} {self.text} on {self.pair.background} {self.background}{where}: "
            f"{self.ratio:.2f}:1, needs {self.needed}:1"
        )


def check(theme: Theme) -> list[ContrastResult]:
    """Every pair the theme declares, measured."""
    results = []
    for pair in theme.contrast_pairs:
        text = str(getattr(theme.colours, pair.text))
        background = str(getattr(theme.colours, pair.background))
        needed = LARGE if pair.large else NORMAL
        results.append(ContrastResult(pair, text, background, ratio(text, background), needed))
    return results
