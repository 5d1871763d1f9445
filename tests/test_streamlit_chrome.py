"""Streamlit's own English texts (issue 19): the shell's style hides the chart and table toolbars and the
file uploader's English line, and the Data page says the same in Norwegian.

The style selects Streamlit's buttons by their aria-label. The labels are read from the installed
Streamlit's bundle, so an upgrade that renames one makes this test fail instead of letting the English
menu come back unnoticed. What the style does in a browser (hidden toolbars, «Add row» kept, the button
reading «Last opp» with no new axe finding) was checked in Chromium; tests/browser/test_a11y.py runs axe.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import streamlit

from tests.apptest_util import open_page
from ui import components

BUNDLE = Path(streamlit.__file__).parent / "static" / "static" / "js"
HIDDEN = ("Show data", "Download as PNG", "Fullscreen", "Download as CSV", "Search", "Show/hide columns")
IN_A_CHART_TOOLBAR = ("Copy Vega-Lite spec",)  # gone with the chart's whole toolbar
KEPT = ("Add row", "Delete row(s)")  # an editable table's only way to add and remove rows


@pytest.fixture(scope="module")
def bundle() -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="ignore") for p in BUNDLE.glob("*.js"))


def style() -> str:
    return components._WRAP_TILE_TEXT


def test_the_labels_the_style_names_are_streamlits(bundle):
    for label in (*HIDDEN, *KEPT, *IN_A_CHART_TOOLBAR):
        assert f"`{label}`" in bundle, label
    for testid in ("stElementToolbar", "stElementToolbarButton", "stFileUploaderDropzoneInstructions",
                   "stFileUploaderDropzone"):
        assert f"`{testid}`" in bundle, testid


def test_every_english_toolbar_button_is_hidden_but_adding_rows(bundle):
    hidden = set(re.findall(r'button\[aria-label\^="([^"]+)"\]', style()))
    assert set(HIDDEN) <= hidden
    # a toolbar with «Add row» is never hidden whole; its «Add row» button never
    assert ':not(:has(button[aria-label^="Add row"]))' in style()
    assert not re.search(r'stElementToolbarButton"\]:has\(button\[aria-label\^="(Add row|Delete row)', style())


def test_the_uploaders_english_line_goes_and_its_button_says_last_opp():
    assert re.search(r'\[data-testid="stFileUploaderDropzoneInstructions"\] \{ display: none', style())
    assert 'content: "Last opp"' in style()
    # the English word stays in the accessibility tree (axe reads no CSS text): out of sight, not display:none
    assert re.search(r'stMarkdownContainer"\] p \{\s*position: absolute', style())


@pytest.mark.parametrize(("malform", "caption"), [
    ("nb", "Høyst 20 MB per fil: CSV, JSON, TXT, XLSX. Dra filen hit, eller trykk «Last opp» og velg den."),
    ("nn", "Høgst 20 MB per fil: CSV, JSON, TXT, XLSX. Dra fila hit, eller trykk «Last opp» og vel ho."),
])
def test_the_data_page_says_size_and_types_in_norwegian(malform, caption):
    at = open_page("pages/data.py", kommune="4631", malform=malform)
    assert caption in [c.value.replace("\u00a0", " ") for c in at.caption]
    assert at.get("file_uploader")[0].proto.max_upload_size_mb == 20
