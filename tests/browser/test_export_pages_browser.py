"""Export from another page in real headless Chromium, in nynorsk: the PDF from Økonomi with ?malform=nn."""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_oversikt_browser import TIMEOUT

pytestmark = pytest.mark.browser
pypdf = pytest.importorskip("pypdf")


def test_download_nynorsk_pdf_from_okonomi(page, app_server: str):
    page.goto(f"{app_server}/okonomi?malform=nn&kommune=4631")
    expect(page.get_by_role("heading", name=re.compile("Økonomi – Alver"))).to_be_visible(timeout=TIMEOUT)
    page.get_by_text("Eksporter til saksframlegg", exact=True).click()
    button = page.get_by_role("button", name=re.compile("PDF-vedlegg"))
    expect(button).to_be_visible(timeout=TIMEOUT)
    with page.expect_download(timeout=90_000) as info:
        button.click()
    download = info.value
    assert re.fullmatch(r"legeplan-okonomi-4631-gjeldande-val\.pdf", download.suggested_filename)
    data = open(download.path(), "rb").read()
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = "\n".join(p.extract_text() for p in reader.pages)
    front = reader.pages[0].extract_text()
    assert "Økonomi – Alver: Gjeldande val" in front
    for word in ("Nøkkeltal", "Hovudpunkt", "Føresetnader", "Kjelder", "Reknestykket for fastløn"):
        assert word in text, word
    for word in ("Nøkkeltall", "Hovedpunkter", "Regnestykket for fastlønn"):
        assert word not in text, word


def test_download_chart_png_from_kontorstruktur(page, app_server: str):
    page.goto(f"{app_server}/kontor?malform=nb&kommune=3440")
    expect(page.get_by_role("heading", name=re.compile("Kontorstruktur – Øyer"))).to_be_visible(timeout=TIMEOUT)
    page.get_by_text("Eksporter til saksframlegg", exact=True).click()
    button = page.get_by_role("button", name=re.compile("Figur som PNG"))
    expect(button).to_be_visible(timeout=TIMEOUT)
    with page.expect_download(timeout=90_000) as info:
        button.click()
    download = info.value
    assert download.suggested_filename == "legeplan-kontor-3440-gjeldende-valg-enhetskostnad.png"
    png = open(download.path(), "rb").read()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(png[16:20], "big") == 1600
