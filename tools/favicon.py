"""Write static/icons/legeplan.svg, the app's page icon, from the Material Symbols font Streamlit ships.

The page icon was `:material/stethoscope:`, which Streamlit's frontend fetches as an SVG from Google's font
servers on every page load (sending each visitor's IP address there). This takes the same glyph from the
Material Symbols Rounded font inside the streamlit wheel (Apache License 2.0; static/icons/PROVENANCE.md) and
writes it as a local SVG; ui/shell.py passes the file to st.set_page_config, which inlines it as a data: URL.

Run once after a Streamlit upgrade (the woff2 needs the `brotli` package, which the app does not):
    pip install brotli && python -m tools.favicon
"""

from __future__ import annotations

from pathlib import Path

import streamlit
from fontTools.pens.svgPathPen import SVGPathPen
from fontTools.pens.transformPen import TransformPen
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "static" / "icons" / "legeplan.svg"
ICON = "stethoscope"
COLOUR = "#0072B2"  # the theme's primaryColor (.streamlit/config.toml)


def font_path() -> Path:
    """The Material Symbols Rounded woff2 in the installed streamlit package."""
    media = Path(streamlit.__file__).parent / "static" / "static" / "media"
    return next(media.glob("MaterialSymbols-Rounded.*.woff2"))


def ligature_glyph(font: TTFont, word: str) -> str:
    """The glyph name the font's ligature table substitutes for `word` (how Material Symbols names icons)."""
    by_glyph = {glyph: chr(code) for code, glyph in font.getBestCmap().items()}
    for lookup in font["GSUB"].table.LookupList.Lookup:
        for sub in lookup.SubTable:
            sub = sub.ExtSubTable if lookup.LookupType == 7 else sub
            for first, ligatures in getattr(sub, "ligatures", {}).items():
                for lig in ligatures:
                    spelled = by_glyph.get(first, "") + "".join(by_glyph.get(c, "\0") for c in lig.Component)
                    if spelled == word:
                        return lig.LigGlyph
    raise LookupError(f"{word!r} is not an icon of {font_path().name}")


def svg(font: TTFont, word: str, colour: str) -> str:
    """The icon as a square SVG, one path, in `colour`."""
    glyph_name = ligature_glyph(font, word)
    glyphs = font.getGlyphSet()
    size = font["head"].unitsPerEm
    pen = SVGPathPen(glyphs)
    # font units grow upwards and the icons are drawn on a 0..unitsPerEm square (480-unit centre);
    # SVG's y grows downwards from the top
    glyphs[glyph_name].draw(TransformPen(pen, (1, 0, 0, -1, 0, size)))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}">'
            f'<path fill="{colour}" d="{pen.getCommands()}"/></svg>\n')


def main() -> None:
    font = TTFont(font_path())
    OUT.write_text(svg(font, ICON, COLOUR), encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {ICON} from {font_path().name} ({font['name'].getDebugName(5)})")


if __name__ == "__main__":
    main()
