"""User text at one boundary (issue 24, findings 10 and 11): cleaned when stored, escaped when shown,
made inert when exported."""

from __future__ import annotations

import io
import re
import unicodedata

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from core import db
from core import scenarios as sc
from core import tiltak as tk
from core.usertext import BIDI, clean, escape_markdown, for_cell

LINK = "[Logg inn på nytt](http://evil.example)"
IMAGE = "![p](http://evil.example/pixel.png)"
UNESCAPED_LINK = re.compile(r"(?<!\\)\]\((?=http)|(?<!\\)!\[|(?<![\\])https?:(?=//)")


def test_clean_removes_controls_bidi_nul_and_keeps_lines():
    assert clean("Tiltak \u202efdp.exe") == "Tiltak fdp.exe"
    assert clean("a\u000bb\u000cc\u2028d\u2029e\r\nf\rg") == "a\nb\nc\nd\ne\nf\ng"
    assert clean("a\u0000b\u0007c\u200e\u200fd\u2066e\u2069") == "abcde"
    assert clean("a\nb\tc", multiline=False) == "a b c"
    assert clean("e\u0301") == "\u00e9"  # NFC
    assert clean(None) == "" and clean("  x  ") == "x"
    assert clean("abcdef", max_len=3) == "abc"


def test_escape_markdown_shows_links_images_and_html_literally():
    for text in (LINK, IMAGE, "<img src=x onerror=alert(1)>", "www.evil.example", "**fet** _kursiv_ $x$ :red[x]"):
        escaped = escape_markdown(text)
        assert not UNESCAPED_LINK.search(escaped), escaped
        assert "](" not in escaped.replace("\\]", "")
        assert "<" not in text or "\\<img" in escaped
    assert escape_markdown("# Overskrift\n- punkt\n1. nummer") == "\\# Overskrift  \n\\- punkt  \n1\\. nummer"
    assert escape_markdown("a|b\nc", inline=True) == "a\\|b c"
    assert escape_markdown("Rekruttering 2025–2027, kl. 10:30") == "Rekruttering 2025–2027, kl. 10:30"


def test_for_cell_removes_xml_illegal_and_neutralises_formulas():
    assert for_cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert for_cell("\u0000=1+1") == "'=1+1"
    assert for_cell("a\u000bb") == "ab"
    for start in "=+-@":
        assert for_cell(start + "x").startswith("'")


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_clean_is_idempotent_and_leaves_nothing_hidden(text):
    once = clean(text)
    assert clean(once) == once
    assert unicodedata.is_normalized("NFC", once)
    assert not any(ch in BIDI or (unicodedata.category(ch) == "Cc" and ch not in "\n\t") for ch in once)
    short = clean(text, max_len=10, multiline=False)
    assert len(short) <= 10 and "\n" not in short and clean(short, multiline=False) == short


@pytest.fixture
def ucon(tmp_path):
    con = db.connect_user(tmp_path / "bruker.duckdb")
    yield con
    con.close()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(min_size=1, max_size=80), description=st.text(max_size=300), measure=st.text(max_size=200))
def test_random_text_is_cleaned_stored_read_back_and_exported(ucon, name, description, measure):
    """Random unicode through the scenario and tiltak stores, read back, and out to Excel and markdown."""
    try:
        sid = sc.save(ucon, "4631", name, description, {}, "v")
    except sc.ScenarioError:
        sid = None
    if sid is not None:
        got = sc.get(ucon, sid)
        assert clean(got.name) == got.name and clean(got.description) == got.description
        sc.delete(ucon, sid)
    snap = tk.load(ucon, "4631", tk.MEASURES)
    rows, problems = tk.parse(tk.MEASURES, tk.to_frame(tk.MEASURES, []).reindex([0]).assign(
        priority=1, measure=measure or "x", effect_goal=description), snap.rows)
    if not problems and rows:
        result = tk.save(ucon, "4631", tk.MEASURES, snap.version, rows)
        assert result.ok, result.messages
        stored = tk.load(ucon, "4631", tk.MEASURES).rows
        assert all(clean(r.measure) == r.measure for r in stored)
        frame = tk.export_frame(tk.MEASURES, stored)
        book = load_workbook(io.BytesIO(tk.to_excel({"Tiltak": frame, "Scenario": pd.DataFrame(
            {"Navn": [name], "Beskrivelse": [description]})})))
        for ws in book.worksheets:
            for row in ws.iter_rows():
                assert all(c.data_type != "f" for c in row)
        for line in tk.summary_lines(stored, (), pd.Timestamp("2026-01-01").date()):
            assert "](" not in line.replace("\\]", "")
