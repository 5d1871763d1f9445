"""Export in real headless Chromium: download the PDF vedlegg from Fastlegekapasitet and read it."""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_oversikt_browser import TIMEOUT

pytestmark = pytest.mark.browser
pypdf = pytest.importorskip("pypdf")


def test_download_pdf_from_capacity_page(page, app_server: str):
    page.goto(f"{app_server}/kapasitet?malform=nb&kommune=4631&new_hjemler=2")
    expect(page.get_by_role("heading", name="Fastlegekapasitet – Alver")).to_be_visible(timeout=TIMEOUT)
    page.get_by_text("Eksporter til saksframlegg", exact=True).click()
    button = page.get_by_role("button", name=re.compile("PDF-vedlegg"))
    expect(button).to_be_visible(timeout=TIMEOUT)
    with page.expect_download(timeout=90_000) as info:
        button.click()
    download = info.value
    assert re.fullmatch(r"legeplan-kapasitet-4631-gjeldende-valg\.pdf", download.suggested_filename)
    data = open(download.path(), "rb").read()
    assert data[:5] == b"%PDF-"
    reader = pypdf.PdfReader(io.BytesIO(data))
    front = " ".join(reader.pages[0].extract_text().split())  # a long sentence may break anywhere
    assert "Vedlegg til saksframlegg" in front
    assert "Fastlegekapasitet – Alver: Gjeldende valg" in front
    assert "Med 2 nye hjemler" in front  # the levers in the link reach the file
    assert len(reader.pages) >= 4
