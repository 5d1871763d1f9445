"""The upload budget in a real `streamlit run app.py` and headless Chromium (issue 24, findings 6–8): a good
12005 file is read in the parse child process and previewed; a JSON-stat file declaring 5 million cells is
refused in Norwegian with no «Bekreft», and the server goes on serving other pages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_oversikt_browser import TIMEOUT
from tests.test_upload_budget import jsonstat_bomb

pytestmark = pytest.mark.browser

GOOD = ('"region";"statistikkvariabel";"år";"Fastlegelister og fastlegekonsultasjoner"\n'
        '"4631 Alver";"Antall fastlegeavtaler";"2025";31\n')


def test_good_file_previewed_and_bomb_refused(page: Page, app_server: str):
    page.goto(f"{app_server}/data?kommune=4631&malform=nb")
    expect(page.get_by_role("heading", name="Last inn nye tall")).to_be_visible(timeout=TIMEOUT)
    chooser = page.locator("input[type=file]")
    chooser.set_input_files(files=[{"name": "12005_alver.csv", "mimeType": "text/csv", "buffer": GOOD.encode()}])
    expect(page.get_by_text(re.compile(r"1 gyldige rader"))).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_role("button", name=re.compile("Bekreft og last inn"))).to_be_visible(timeout=TIMEOUT)
    chooser.set_input_files(files=[{"name": "12005.json", "mimeType": "application/json", "buffer": jsonstat_bomb()}])
    expect(page.get_by_text(re.compile(r"1 feil"))).to_be_visible(timeout=TIMEOUT)
    # the message is a cell of the problem table (a data grid: its cells are in the page, drawn on a canvas)
    expect(page.get_by_text(re.compile(r"JSON-stat-filen oppgir 5\s000\s000 celler")).first).to_be_attached(
        timeout=TIMEOUT)
    expect(page.get_by_role("button", name=re.compile("Bekreft og last inn"))).to_have_count(0)
    page.goto(f"{app_server}/?kommune=4631&malform=nb")  # the server still answers
    expect(page.get_by_role("heading", name=re.compile("Alver"))).to_be_visible(timeout=TIMEOUT)
