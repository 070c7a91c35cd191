"""Can a theme draw this text from its own fonts? Asked of Qt's own font choice.

Qt picks a font for every character: the theme's family, then its fallback families, then
whatever the system has. A character can go wrong three ways, and each is found here by laying
the text out as the painters do and reading back the glyphs Qt chose (`QTextLayout.glyphRuns`):

- **missing**: no font has it, Qt draws the missing-glyph box (glyph 0), a tofu;
- **blank**: the font Qt chose maps it to an empty glyph (NanumSquare does this for many Han
  characters), so the character silently vanishes;
- **system**: Qt drew it from a font the theme does not ship, so it looks different on every
  machine and is missing on a machine without that font.

`glyph_problems(theme, text)` checks one text in every weight the theme uses;
`data_warnings(competition, themes)` checks every name and title of the sports data and names
the row; `strapline check` calls `shipped_theme_warnings` (every theme it can load).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from PySide6.QtGui import QTextLayout

from strapline.domain.diagnostics import Diagnostic
from strapline.domain.model import Athlete, Competition, Team
from strapline.domain.theme import WEIGHT_ROLES, Theme
from strapline.render.themes import ensure_gui, register_fonts, theme_font

Problem = Literal["missing", "blank", "system"]
_FLAGS = (
    QTextLayout.GlyphRunRetrievalFlag.RetrieveGlyphIndexes
    | QTextLayout.GlyphRunRetrievalFlag.RetrieveStringIndexes
)
# characters drawn as nothing on purpose: spaces, joiners, marks of direction
_INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\ufeff", "\u00ad"}


@dataclass(frozen=True)
class GlyphProblem:
    """A character the theme cannot draw from its own fonts, and why."""

    char: str
    problem: Problem
    family: str  # the family Qt chose for it

    def __str__(self) -> str:
        code = f"U+{ord(self.char):04X} {self.char!r}"
        if self.problem == "missing":
            return f"{code} is in none of the theme's fonts (it would show as a box)"
        if self.problem == "blank":
            return f"{code} is an empty glyph in {self.family} (it would vanish)"
        return f"{code} would come from the system font {self.family}, not the theme's"


def glyph_problems(theme: Theme, text: str) -> list[GlyphProblem]:
    """Every character of `text` the theme cannot draw from its own fonts, in any weight."""
    if not text or (text.isascii() and text.isprintable()):
        # the themes' Latin families cover printable ASCII: skip the layout for speed
        return []
    ensure_gui()
    families = frozenset(register_fonts(theme))
    fonts = (theme.folder, theme.fonts.family, *theme.fonts.fallback, *theme.fonts.files)
    found: dict[str, GlyphProblem] = {}
    for cluster in _clusters(text):
        if cluster[0] in found or (cluster.isascii() and cluster.isprintable()):
            continue
        key = (fonts, cluster)
        if key not in _CHECKED:  # a weekend's names share a few hundred characters
            if len(_CHECKED) > 65536:
                _CHECKED.pop(next(iter(_CHECKED)))
            _CHECKED[key] = _problem(theme, cluster, families)
        problem = _CHECKED[key]
        if problem is not None:
            found[cluster[0]] = problem
    return list(found.values())


# what was found per (theme fonts, character with its marks)
_CHECKED: dict[tuple[tuple[str | None, ...], str], GlyphProblem | None] = {}


def _problem(theme: Theme, cluster: str, families: frozenset[str]) -> GlyphProblem | None:
    """The first problem of a character in any of the theme's weights, or None."""
    for role in WEIGHT_ROLES:
        problem = _cluster_problem(theme, role, cluster, families)
        if problem is not None:
            return problem
    return None


def _clusters(text: str) -> Iterator[str]:
    """Each visible character with the combining marks that follow it ('ễ' as e + marks)."""
    cluster = ""
    for char in text:
        if cluster and unicodedata.category(char).startswith("M"):
            cluster += char
            continue
        if cluster:
            yield cluster
        cluster = "" if char.isspace() or char in _INVISIBLE else char
    if cluster:
        yield cluster


def _cluster_problem(
    theme: Theme, role: str, cluster: str, families: frozenset[str]
) -> GlyphProblem | None:
    """Lay out one character (and its marks) as a painter would; what Qt chose for it."""
    layout = QTextLayout(cluster, theme_font(theme, role, 48))
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    inked = False
    family = ""
    for run in layout.glyphRuns(0, len(cluster), _FLAGS):
        raw = run.rawFont()
        family = raw.familyName()
        for glyph in run.glyphIndexes():
            if glyph == 0:
                return GlyphProblem(cluster[0], "missing", family)
            if family not in families:
                return GlyphProblem(cluster[0], "system", family)
            inked = inked or not raw.pathForGlyph(glyph).isEmpty()
    if not inked:
        return GlyphProblem(cluster[0], "blank", family)
    return None


def _names(comp: Athlete | Team) -> Iterator[str]:
    if isinstance(comp, Athlete):
        yield comp.family_name
        yield comp.given_name
    else:
        yield comp.name
        for member in comp.members:
            yield from _names(member)


def _texts(competition: Competition) -> Iterator[tuple[str, str]]:
    """(where, text) for every name and title a graphic may show."""
    yield "competition", competition.name
    for event in competition.events:
        yield f"event {event.id}", event.name
        for race in event.races:
            where = f"{event.name} {race.label}"
            yield where, race.label
            for i, row in enumerate(race.results):
                for text in _names(row.competitor):
                    yield f"{where}, result row {i + 1}", text
            for i, entry in enumerate(race.start_list):
                for text in _names(entry.competitor):
                    yield f"{where}, start list row {i + 1}", text
    for table in competition.standings:
        yield f"standings {table.id}", table.title
        for i, standing in enumerate(table.rows):
            for text in _names(standing.competitor):
                yield f"standings {table.title}, row {i + 1}", text


def data_warnings(competition: Competition, themes: Iterable[Theme]) -> list[Diagnostic]:
    """A warning for every character of the data's names and titles that a theme cannot draw
    from its own fonts, naming the row (one warning per row, text and theme)."""
    warnings: list[Diagnostic] = []
    for theme in themes:
        for where, text in _texts(competition):
            problems = glyph_problems(theme, text)
            if problems:
                details = "; ".join(str(p) for p in problems)
                warnings.append(
                    Diagnostic(
                        location=where,
                        message=f"{text!r} cannot be drawn in theme {theme.name!r}: {details}",
                    )
                )
    return warnings


def shipped_theme_warnings(competition: Competition) -> list[Diagnostic]:
    """`data_warnings` against every theme Strapline can load by name."""
    from strapline.render.themes import available_themes, load_theme

    return data_warnings(competition, [load_theme(name) for name in available_themes()])
