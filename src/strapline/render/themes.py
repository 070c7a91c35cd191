"""Finding, loading and validating themes; registering the fonts they ship.

A theme is a folder holding `theme.json` (validated by strapline.domain.theme.Theme), its font
files with their licences and an optional logo. Themes are looked up, in order, in the folders
named by the STRAPLINE_THEME_PATH environment variable (os.pathsep-separated), in `themes/` at
the top of a source checkout, and in the copies shipped inside the installed package
(`strapline/data/themes`) or under `<prefix>/share/strapline/themes`.
"""

from __future__ import annotations

import json
import os
import re
import sys
import threading
from functools import lru_cache
from pathlib import Path

from pydantic import ValidationError
from PySide6.QtCore import QFile, QIODevice
from PySide6.QtGui import QFont, QFontDatabase, QFontMetricsF, QGuiApplication

from strapline.domain.diagnostics import DataError
from strapline.domain.theme import THEME_NAME_PATTERN, Theme
from strapline.render.pictures import svg_problem

THEME_FILE = "theme.json"
_PACKAGE_DIR = Path(__file__).resolve().parents[1]
_lock = threading.Lock()
_registered: dict[str, list[str]] = {}
_theme_families: dict[tuple[str | None, tuple[str, ...]], set[str]] = {}
_app: QGuiApplication | None = None


def ensure_gui() -> None:
    """Make sure a Qt application exists (fonts need one); call it on the main thread.

    Creates one only when none exists: offscreen where there is no display. A process that has
    loaded Qt Widgets gets a widgets QApplication (render/ never imports Qt Widgets itself), so
    windows created later in the same process still work.
    """
    global _app
    if QGuiApplication.instance() is not None:
        return
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    argv = [sys.argv[0] if sys.argv else "strapline"]
    widgets = sys.modules.get("PySide6.QtWidgets")
    app_class = getattr(widgets, "QApplication", QGuiApplication)
    _app = app_class(argv)


def theme_dirs() -> list[Path]:
    """Folders searched for themes, first match wins."""
    dirs = [Path(p) for p in os.environ.get("STRAPLINE_THEME_PATH", "").split(os.pathsep) if p]
    dirs += [
        _PACKAGE_DIR.parents[1] / "themes",  # source checkout: <repo>/src/strapline -> <repo>
        _PACKAGE_DIR / "data" / "themes",
        Path(sys.prefix) / "share" / "strapline" / "themes",
    ]
    return dirs


def available_themes() -> list[str]:
    """Names of the themes that can be loaded by name, sorted."""
    names: set[str] = set()
    for folder in theme_dirs():
        if folder.is_dir():
            names.update(p.parent.name for p in folder.glob(f"*/{THEME_FILE}"))
    return sorted(names)


def _find(name_or_path: str) -> Path:
    path = Path(name_or_path)
    if path.is_file():
        return path
    if path.is_dir():
        if (path / THEME_FILE).is_file():
            return path / THEME_FILE
        raise DataError(str(path), "", f"the folder holds no {THEME_FILE}")
    for folder in theme_dirs():
        candidate = folder / name_or_path / THEME_FILE
        if candidate.is_file():
            return candidate
    known = ", ".join(available_themes()) or "none found"
    raise DataError(name_or_path, "", f"no such theme or theme file (themes: {known})")


def is_theme_name(name: str) -> bool:
    """A theme's name (not a path, not empty): what a show file or the network may give."""
    return bool(name) and re.fullmatch(THEME_NAME_PATTERN, name) is not None


def load_named_theme(name: str) -> Theme:
    """Load a theme by its name only, from the theme folders (never a path: for names that come
    from a show file or over the network). DataError naming only the theme, never a path."""
    if not is_theme_name(name):
        raise DataError(
            repr(name), "", "not a theme name (a theme is named with letters, digits, - and _)"
        )
    for folder in theme_dirs():
        candidate = folder / name / THEME_FILE
        if candidate.is_file():
            try:
                return load_theme(str(candidate))
            except DataError as exc:
                # the reason, unless it names a file by its full path (the sender must not
                # learn where things are)
                message = exc.diagnostic.message
                if re.search(r"""(?:^|[\s'"(=])(?:/|[A-Za-z]:\\)""", message):
                    message = "it cannot be read"
                at = f" at {exc.location}" if exc.location else ""
                raise DataError(name, "", f"the theme cannot be used{at}: {message}") from None
    known = ", ".join(available_themes()) or "none installed"
    raise DataError(name, "", f"no such theme (themes: {known})")


def load_theme(name_or_path: str) -> Theme:
    """Load a theme by name ("ice") or path (a theme folder or its theme.json).

    Validates the file, checks that its fonts and logo exist, and registers its fonts with Qt
    (once per file). Raises DataError naming the file and the field that is wrong.
    """
    file = Path(_find(name_or_path)).resolve()
    try:
        stamp = file.stat().st_mtime_ns
    except OSError as exc:
        raise DataError(str(file), "", f"cannot read the theme: {exc}") from None
    return _load(str(file), stamp)  # an edited theme file is read again


@lru_cache(maxsize=32)
def _load(file: str, stamp: int) -> Theme:
    path = Path(file)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(file, "", f"cannot read the theme: {exc}") from None
    except json.JSONDecodeError as exc:
        raise DataError(file, f"line {exc.lineno}, column {exc.colno}", exc.msg) from None
    if not isinstance(raw, dict):
        raise DataError(file, "", "a theme file holds one JSON object")
    raw.pop("folder", None)
    try:
        theme = Theme.model_validate({**raw, "folder": str(path.parent)})
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "(top level)"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise DataError(file, where, f"{err['msg']}{more}") from None
    for name in theme.fonts.files:
        _inside(path.parent, name, file, "fonts.files", "font")
    if theme.logo is not None:
        _inside(path.parent, theme.logo, file, "logo", "logo")
        if theme.logo.lower().endswith(".svg"):
            problem = svg_problem((path.parent / theme.logo).read_bytes())
            if problem is not None:
                raise DataError(file, "logo", f"the SVG logo cannot be drawn: {problem}")
    families = register_fonts(theme)
    wanted = {theme.fonts.family, *theme.fonts.fallback, *theme.fonts.faces.values()}
    for family in sorted(wanted):
        if family not in families:
            shipped = ", ".join(sorted(families))
            raise DataError(
                file, "fonts", f"family {family!r} is not in the theme's fonts ({shipped})"
            )
    return theme


def _inside(folder: Path, name: str, file: str, where: str, what: str) -> None:
    """A file the theme names must exist inside its own folder, links resolved."""
    target = (folder / name).resolve()
    if not target.is_relative_to(folder.resolve()):
        raise DataError(file, where, f"{what} file {name!r} lies outside the theme folder")
    if not target.is_file():
        raise DataError(file, where, f"{what} file {name!r} is missing")


def register_fonts(theme: Theme) -> set[str]:
    """Register the theme's font files with Qt; returns the families they provide."""
    key = (theme.folder, tuple(theme.fonts.files))
    known = _theme_families.get(key)
    if known is not None:
        return known
    ensure_gui()
    folder = Path(theme.folder or ".")
    families: set[str] = set()
    with _lock:
        for name in theme.fonts.files:
            file = str((folder / name).resolve())
            if file not in _registered:
                _registered[file] = _add_font(file)
            families.update(_registered[file])
        _theme_families[key] = families
    return families


def _add_font(file: str) -> list[str]:
    handle = QFile(file)
    if not handle.open(QIODevice.OpenModeFlag.ReadOnly):
        raise DataError(file, "", "cannot open the font file")
    data = handle.readAll()
    handle.close()
    font_id = QFontDatabase.addApplicationFontFromData(data)
    if font_id < 0:
        raise DataError(file, "", "not a font Qt can read")
    return list(QFontDatabase.applicationFontFamilies(font_id))


def theme_font(
    theme: Theme, role: str, pixel_size: int, tracking: float = 0.0, tabular: bool = False
) -> QFont:
    """A font of the theme at a weight role (regular, medium, bold, heavy), with the theme's
    fallback families for scripts its main family lacks (Hangul...). `tracking` adds letter
    spacing (percent); `tabular` asks for equal-width figures, so times align. A copy."""
    return QFont(theme_font_metrics(theme, role, pixel_size, tracking, tabular)[0])


# a font as the text cache knows it: (families, CSS weight, tracking %, tabular figures)
FaceKey = tuple[tuple[str, ...], int, float, bool]


def face_key(theme: Theme, role: str, tracking: float = 0.0, tabular: bool = False) -> FaceKey:
    """The theme's face for a weight role, as a hashable key for `font_for`/`metrics_for`."""
    family, weight = theme.fonts.face(role)
    return ((family, *theme.fonts.fallback), weight, tracking, tabular)


def font_for(face: FaceKey, pixel_size: int) -> QFont:
    """The shared font of a face at a pixel size, for this thread: never to modify."""
    families, weight, tracking, tabular = face
    return _font(families, weight, max(1, pixel_size), tracking, tabular, threading.get_ident())


def metrics_for(face: FaceKey, pixel_size: int) -> QFontMetricsF:
    """The shared metrics of a face at a pixel size, for this thread."""
    families, weight, tracking, tabular = face
    return _metrics(families, weight, max(1, pixel_size), tracking, tabular, threading.get_ident())


def theme_font_metrics(
    theme: Theme, role: str, pixel_size: int, tracking: float = 0.0, tabular: bool = False
) -> tuple[QFont, QFontMetricsF]:
    """The shared (cached) font and its metrics: for painting and measuring, never to modify."""
    family, weight = theme.fonts.face(role)
    # per thread: a QFont resolves its font engine for the thread that uses it, so exports on a
    # worker thread never share one with the GUI thread
    key = (
        (family, *theme.fonts.fallback),
        weight,
        max(1, pixel_size),
        tracking,
        tabular,
        threading.get_ident(),
    )
    return _font(*key), _metrics(*key)


@lru_cache(maxsize=1024)
def _font(
    families: tuple[str, ...],
    weight: int,
    pixel_size: int,
    tracking: float,
    tabular: bool,
    thread: int,
) -> QFont:
    font = QFont()
    font.setFamilies(list(families))
    font.setPixelSize(pixel_size)
    font.setWeight(QFont.Weight(weight))
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    font.setStyleStrategy(QFont.StyleStrategy.PreferAntialias)
    font.setKerning(True)
    if tracking:
        font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 100.0 + tracking)
    if tabular:
        font.setFeature(QFont.Tag("tnum"), 1)
    return font


@lru_cache(maxsize=1024)
def _metrics(
    families: tuple[str, ...],
    weight: int,
    pixel_size: int,
    tracking: float,
    tabular: bool,
    thread: int,
) -> QFontMetricsF:
    return QFontMetricsF(_font(families, weight, pixel_size, tracking, tabular, thread))
