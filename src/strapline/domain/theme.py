"""A broadcast look: colours, fonts, sizes, safe areas, logo and animation timing.

A theme is plain data, kept in `themes/<name>/theme.json` beside the font files it ships (see
docs/graphics.md). Every size is in pixels of the 1920x1080 design grid; the renderer scales them
to the output. Colours are CSS hex strings, `#RRGGBB` or `#RRGGBBAA` (alpha last).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Colour = Annotated[
    str,
    Field(
        pattern=r"^#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$",
        description="CSS hex colour, #RRGGBB or #RRGGBBAA",
    ),
]
Px = Annotated[float, Field(ge=0, description="Pixels on the 1920x1080 design grid")]
#: A theme is named, never given as a path, wherever the name comes from a show file or the
#: network: letters, digits, '-' and '_' (the name of its folder in a theme folder); "" means
#: the default theme.
THEME_NAME_PATTERN = r"^(?:[A-Za-z0-9][A-Za-z0-9_-]{0,63})?$"
ThemeName = Annotated[
    str,
    Field(
        pattern=THEME_NAME_PATTERN,
        description="A theme's name (letters, digits, - and _); empty for the default theme",
    ),
]
Weight = Annotated[int, Field(ge=100, le=900, description="CSS font weight, 100-900")]


class ThemeModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Colours(ThemeModel):
    """The palette. Panels may be translucent; text colours should be opaque."""

    panel: Colour = Field(description="Main panel fill")
    panel_edge: Colour = Field(description="A hairline at the panel's top edge")
    panel_alt: Colour = Field(description="Secondary panel: info strip, table stripes")
    text: Colour = Field(description="Main text on the panel")
    text_muted: Colour = Field(description="Secondary text on the panel")
    text_alt: Colour = Field(description="Text on the secondary panel")
    accent: Colour = Field(description="Accent bar and highlights")
    accent_text: Colour = Field(description="Text on the accent colour")
    plate: Colour = Field(description="Number plates: helmet numbers, places")
    plate_text: Colour = Field(description="Text on a number plate")
    header: Colour = Field(default="#0A1D37", description="Title bars of cards and tables")
    header_text: Colour = Field(default="#FFFFFF", description="Title text on the header")
    header_accent: Colour = Field(default="#00A8E1", description="Subtitle text on the header")
    gold: Colour = "#D4AF37"
    silver: Colour = "#B8C2CC"
    bronze: Colour = "#C0804A"
    medal_text: Colour = "#10151C"
    live: Colour = Field(default="#E0262E", description="Badge for live data")
    unofficial: Colour = Field(default="#F2A900", description="Badge for unofficial results")
    start_list: Colour = Field(default="#5B6B7F", description="Badge for start lists")
    badge_text: Colour = "#FFFFFF"
    background: Colour = Field(description="Opaque background for social-media stills")
    background_alt: Colour = Field(description="Second stop of the background gradient")
    background_text: Colour = Field(default="#FFFFFF", description="Text on the background")
    shadow: Colour = "#00000040"
    outline: Colour = Field(
        default="#00000000",
        description="A hairline just outside every card, so light panels part from a light "
        "picture (white ice) and dark ones from a dark crowd; transparent for none",
    )


WEIGHT_ROLES = ("regular", "medium", "bold", "heavy")


class Fonts(ThemeModel):
    """Typefaces. `files` ship in the theme folder and are registered at run time."""

    files: list[str] = Field(
        min_length=1, description="Font files, relative to the theme folder (fonts/...)"
    )
    family: str = Field(min_length=1, description="Family for Latin, Cyrillic and Greek text")
    fallback: list[str] = Field(
        default_factory=list,
        description="Families tried for characters the main family lacks (Hangul...)",
    )
    faces: dict[str, str] = Field(
        default_factory=dict,
        description="Family per weight role, where a font registers each weight as a family "
        "of its own ('heavy': 'Noto Sans Condensed ExtraBold'); other roles use `family`",
    )
    regular: Weight = 400
    medium: Weight = 500
    bold: Weight = 700
    heavy: Weight = 800
    caps_tracking: float = Field(
        default=2.0, description="Extra letter spacing for all-caps labels, percent of size"
    )

    @field_validator("files")
    @classmethod
    def _inside_folder(cls, value: list[str]) -> list[str]:
        for name in value:
            _check_inside(name)
        return value

    @field_validator("faces")
    @classmethod
    def _known_roles(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(WEIGHT_ROLES))
        if unknown:
            raise ValueError(f"unknown weight roles {unknown}; use {list(WEIGHT_ROLES)}")
        return value

    def face(self, role: str) -> tuple[str, int]:
        """Family and CSS weight of a weight role (regular, medium, bold, heavy)."""
        if role not in WEIGHT_ROLES:
            raise ValueError(f"unknown weight role {role!r}; use {list(WEIGHT_ROLES)}")
        weight: int = getattr(self, role)
        return self.faces.get(role, self.family), weight


class Sizes(ThemeModel):
    """Type sizes (pixel height of the em) and spacing, on the 1920x1080 grid."""

    name: Px = 46
    info: Px = 28
    small: Px = 22
    label: Px = 18
    min_text: Px = Field(default=16, description="Text never shrinks below this before eliding")
    helmet: Px = 34
    padding: Px = 24
    gap: Px = 14
    radius: Px = 6
    accent_bar: Px = 8
    edge: Px = 2
    flag_height: Px = 30


class SafeArea(ThemeModel):
    """Title-safe areas as fractions of width and height from each edge (EBU R 95)."""

    graphics: Annotated[float, Field(ge=0, lt=0.5)] = 0.05
    action: Annotated[float, Field(ge=0, lt=0.5)] = 0.035

    @model_validator(mode="after")
    def _graphics_inside_action(self) -> SafeArea:
        if self.graphics < self.action:
            raise ValueError("the graphics-safe area must lie inside the action-safe area")
        return self


class Animation(ThemeModel):
    """Durations in seconds."""

    in_: Annotated[float, Field(gt=0, le=10, alias="in")] = 0.5
    out: Annotated[float, Field(gt=0, le=10)] = 0.35
    update: Annotated[float, Field(gt=0, le=10)] = 0.3
    stagger: Annotated[float, Field(ge=0, le=1)] = Field(
        default=0.06, description="Delay between successive elements flying in"
    )

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class ContrastPair(ThemeModel):
    """A text colour drawn on a background colour (both names of `Colours` fields)."""

    text: str = Field(description="Colour of the text, e.g. 'accent_text'")
    background: str = Field(description="Colour under it, e.g. 'accent'")
    large: bool = Field(
        default=False, description="Only bold text of 24 px or more (on the 1080p grid) uses it"
    )
    where: str = Field(default="", description="Where the pair is drawn, for messages")

    @field_validator("text", "background")
    @classmethod
    def _known_colour(cls, value: str) -> str:
        if value not in Colours.model_fields:
            raise ValueError(f"{value!r} is not a colour of the theme")
        return value


class Theme(ThemeModel):
    """A complete look; `folder` is where it was loaded from (not part of the file)."""

    name: str = Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    label: str = ""
    description: str = ""
    colours: Colours
    fonts: Fonts
    sizes: Sizes = Field(default_factory=Sizes)
    safe_area: SafeArea = Field(default_factory=SafeArea)
    logo: str | None = Field(default=None, description="SVG or PNG file in the theme folder")
    panel_style: str = Field(
        default="solid", pattern=r"^(solid|glass)$", description="solid or glass (gradient)"
    )
    animation: Animation = Field(default_factory=Animation)
    name_order: str = Field(
        default="family-given",
        pattern=r"^(family-given|given-family)$",
        description="How every graphic writes a person's name: 'family-given' (ROUSSEL Felix, "
        "the ISU's order) or 'given-family' (Felix ROUSSEL); team names are left as they are",
    )
    contrast_pairs: list[ContrastPair] = Field(
        default_factory=list,
        description="Every text/background pair of colours this theme draws; checked against "
        "WCAG 2 contrast (4.5:1, or 3:1 where the text is bold and 24 px or more)",
    )
    folder: str | None = Field(default=None, exclude=True)

    @field_validator("logo")
    @classmethod
    def _relative_logo(cls, value: str | None) -> str | None:
        return None if value is None else _check_inside(value)


def _check_inside(name: str) -> str:
    """A theme refers only to files inside its own folder."""
    parts = name.replace("\\", "/").split("/")
    if not name or name.startswith(("/", "\\")) or ".." in parts or ":" in parts[0]:
        raise ValueError(f"{name!r} must be a relative path inside the theme folder")
    return name
