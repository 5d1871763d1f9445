"""Presentation mode (`?presentasjon=1`): slides for the meeting room, one point per screen.

What every deck shares: the link flag, the room's type sizes (`_CSS`), the `Slide`, a slide's tile, and
the slides a scenario's other pages add. A page's own deck is `ui/<topic>_slides.py` (Fastlegekapasitet's
ui/capacity_slides.py, Sammenlign scenarioer's ui/compare_slides.py).

A page adds slides to a scenario's presentation by declaring them in the shell (ui.shell.PAGES,
`slides="ui.<topic>_slides:slides"`, ui.page_entry); `page_slides` asks the page list for them, so this
module imports no page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from ui import components, headlines, meeting
from ui import verdict_text as vt
from ui.page_entry import PageEntry

FLAG = "presentasjon"

# The key figure in 3,2 rem (the rule for text, 1,65 rem, had made it as small as the text), and the source
# line under a chart in its own small size: at 1,65 rem it pushed the tiles and buttons below a 1080 p screen.
_CSS = meeting.room_css(
    "0.5rem 2.5rem 1rem 2.5rem",
    """.stMainBlockContainer p, .stMainBlockContainer li { font-size: clamp(1.2rem, 1.45vw, 1.8rem) !important;
  line-height: 1.4; }
.stMainBlockContainer h1 { font-size: clamp(1.8rem, 2.2vw, 2.8rem) !important; padding: 0.2rem 0 0.4rem 0 !important; }
.stMainBlockContainer [data-testid="stCaptionContainer"] p { font-size: clamp(0.85rem, 0.9vw, 1.1rem) !important;
  line-height: 1.35; }
.stMainBlockContainer button p { font-size: clamp(1rem, 1.1vw, 1.3rem) !important; }
""",
    meeting.frame_css("presentasjon_figur", 480, min_px=200),
    '.st-key-presentasjon_spaker [data-testid="stWidgetLabel"] p { font-size: clamp(0.95rem, 1vw, 1.2rem) !important; }\n')


@dataclass(frozen=True)
class Slide:
    """One screen: a title, one message, and one chart (capacity spec key, or a spec) or tiles.

    `tone` is the title's judgement (ui.verdict_text: better, same, mixed, worse or neutral). A tile is
    (label, value), or a ui.headlines.Tile drawn as the page draws it (delta coloured by the patients).
    """

    title: str
    message: str
    chart: str | None = None
    tiles: tuple[tuple[str, str] | headlines.Tile, ...] = ()
    spec: dict | None = field(default=None, hash=False, compare=False)
    source: str = ""
    tone: str = vt.NEUTRAL


def active() -> bool:
    """True when the link asks for presentation mode (`?presentasjon=1`)."""
    return st.query_params.get(FLAG) == "1"


def stop() -> None:
    """Leave presentation mode (the link loses its flag)."""
    if FLAG in st.query_params:
        del st.query_params[FLAG]


def page_slides(pages: Sequence[PageEntry], knr: str, content: Mapping[str, Any], host: str) -> list[Slide]:
    """The slides the scenario's other pages add, in the shell's order (ui.shell.PAGES): each page's declared
    `slides(knr, content)`, only for a page whose choices the scenario holds (`content`: page link → its
    saved query), never the presenting page's (`host`) own. A page that declares no slides adds none."""
    out: list[Slide] = []
    for page in pages:
        if page.slides and page.url != host and page.url in content:
            out += page.slides_provider()(knr, content)
    return out


def tile(shown: tuple[str, str] | headlines.Tile) -> None:
    """One tile on a slide: a ui.headlines.Tile coloured by the patients, as on the page, or (label, value)."""
    if isinstance(shown, headlines.Tile):  # coloured by the patients, as on the page
        components.headline_tile(shown)
    else:
        st.metric(shown[0], shown[1], border=True)
