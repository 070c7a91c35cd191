"""Build the CJK font subset the themes ship: Han characters and kana from Noto Sans CJK.

The themes draw every script from their own fonts, never from the system's. Noto Sans CJK
(SIL Open Font License 1.1) covers Chinese, Japanese and Korean Han characters, but the whole
font is 20 MB a weight; this keeps the characters of:

- GB 2312 (the 6,763 Hanzi of simplified Chinese, levels 1 and 2),
- JIS X 0208 level 1 (2,965 Kanji) and its row 1 (Japanese punctuation, the long-vowel mark),
- the 4,888 Hanja of KS X 1001,
- Hiragana and Katakana (JIS X 0208 rows 4 and 5, and the rest of the two Unicode blocks),
- CJK punctuation (U+3000-303F) and the full-width forms (U+FF01-FF5E),

from the Simplified Chinese face (one regional face: a name needs one set of glyph shapes),
Regular and Bold. Hangul stays with NanumSquare, which the themes already ship.

The subset is renamed "Strapline CJK SC" (Noto Sans CJK declares no Reserved Font Name): with
its own family name Qt can never take a system copy of Noto Sans CJK for it, so the pixels are
the theme's on every machine.

Run on a machine with Debian's fonts-noto-cjk and fontTools (`pip install fonttools`):

    python packaging/build_cjk_font.py [--source /usr/share/fonts/opentype/noto]

It writes themes/ice/fonts/StraplineCJKsc-{Regular,Bold}.otf and copies them into
themes/night/fonts (the same bytes: git keeps one copy). The build is reproducible: the same
source font gives the same files.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
THEMES = [ROOT / "themes" / "ice" / "fonts", ROOT / "themes" / "night" / "fonts"]
FACE = 2  # index of "Noto Sans CJK SC" in Debian's NotoSansCJK-*.ttc collections
WEIGHTS = ("Regular", "Bold")


def _double_byte(codec: str, leads: range, trails: range = range(0xA1, 0xFF)) -> set[str]:
    """The characters of a double-byte character set, from its EUC code rows."""
    found: set[str] = set()
    for lead in leads:
        for trail in trails:
            try:
                text = bytes([lead, trail]).decode(codec)
            except UnicodeDecodeError:
                continue
            if len(text) == 1:
                found.add(text)
    return found


def characters() -> set[str]:
    """Every character the subset keeps (see the module doc)."""
    chars = _double_byte("gb2312", range(0xB0, 0xF8))  # GB 2312 Hanzi, rows 16-87
    chars |= _double_byte("euc_jp", range(0xB0, 0xD0))  # JIS X 0208 level 1 Kanji, rows 16-47
    chars |= _double_byte("euc_jp", range(0xA1, 0xA2))  # JIS X 0208 row 1: punctuation
    chars |= _double_byte("euc_kr", range(0xCA, 0xFE))  # KS X 1001 Hanja, rows 42-93
    chars |= {chr(c) for c in range(0x3041, 0x3097)}  # Hiragana
    chars |= {chr(c) for c in range(0x3099, 0x30A0)}  # kana marks, iteration marks
    chars |= {chr(c) for c in range(0x30A0, 0x3100)}  # Katakana
    chars |= {chr(c) for c in range(0x3000, 0x3040)}  # CJK punctuation
    chars |= {chr(c) for c in range(0xFF01, 0xFF5F)}  # full-width forms
    # Latin, Greek and Cyrillic stay with the themes' own Latin fonts
    return {c for c in chars if ord(c) >= 0x2E80}


FAMILY = "Strapline CJK SC"


def _rename(font: object, weight: str) -> None:
    """Give the subset a family name of its own (see the module doc)."""
    name = font["name"]  # type: ignore[index]
    postscript = f"{FAMILY.replace(' ', '')}-{weight}"
    for record in list(name.names):
        if record.nameID in (1, 16):
            record.string = FAMILY
        elif record.nameID in (2, 17):
            record.string = weight
        elif record.nameID == 4:
            record.string = f"{FAMILY} {weight}"
        elif record.nameID == 6:
            record.string = postscript
        elif record.nameID == 3:
            record.string = f"{postscript}; subset of Noto Sans CJK SC {weight} 2.004"
    cff = font["CFF "].cff  # type: ignore[index]
    cff.fontNames = [postscript]
    top = cff.topDictIndex[0]
    top.FullName = f"{FAMILY} {weight}"
    top.FamilyName = FAMILY


def build(source: Path) -> list[Path]:
    from fontTools import subset
    from fontTools.ttLib import TTCollection

    text = "".join(sorted(characters()))
    written: list[Path] = []
    for weight in WEIGHTS:
        collection = TTCollection(str(source / f"NotoSansCJK-{weight}.ttc"))
        font = collection.fonts[FACE]
        options = subset.Options()
        options.layout_features = ["kern", "palt", "vert", "locl"]
        options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # copyright, names, version, licence
        options.name_languages = [0x409]
        options.hinting = False
        options.notdef_outline = True
        options.glyph_names = False
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=text)
        subsetter.subset(font)
        _rename(font, weight)
        out = THEMES[0] / f"StraplineCJKsc-{weight}.otf"
        font.recalcTimestamp = False  # keep the source's dates: the same input, the same bytes
        font.save(str(out), reorderTables=True)
        written.append(out)
        for folder in THEMES[1:]:
            shutil.copyfile(out, folder / out.name)
            written.append(folder / out.name)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--source",
        type=Path,
        default=Path("/usr/share/fonts/opentype/noto"),
        help="folder holding NotoSansCJK-Regular.ttc and NotoSansCJK-Bold.ttc",
    )
    args = parser.parse_args(argv)
    for path in build(args.source):
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size / 1e6:.2f} MB")
    print(f"{len(characters())} characters")
    return 0


if __name__ == "__main__":
    sys.exit(main())
