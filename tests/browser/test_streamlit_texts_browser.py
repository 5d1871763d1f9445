"""Streamlit's own English texts (issue 24, finding 14).

«Page not found»: /oversikt opens the overview, and a link that names no page shows the shell's
Norwegian «Siden finnes ikke» with a link to the overview.

The test starts its own server, so the first request is the cold one (pages/ still Streamlit's
old-style folder, ui/shell.py): /oversikt then. An unknown name as the very first request of a fresh
server still gets Streamlit's dialog (its old-style folder answers before app.py runs; docs/robusthet.md);
every later one is the shell's.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import streamlit_server
from ui import components

pytestmark = pytest.mark.browser

TIMEOUT = 60_000  # ms; the first run of a fresh server loads the data
ENGLISH = ("Page not found", "You have requested page", "does not seem to exist")


def expect_no_english_dialog(page: Page) -> None:
    page.wait_for_timeout(1_500)  # the dialog, if any, comes with the run's first messages
    for text in ENGLISH:
        expect(page.get_by_text(text)).to_have_count(0)
    expect(page.get_by_test_id("stException")).to_have_count(0)


def expect_overview(page: Page) -> None:
    expect(page.get_by_test_id("stMain").get_by_role("heading", name="Oversikt – Alver", exact=True)).to_be_visible(
        timeout=TIMEOUT)


def expect_not_found(page: Page, name: str) -> None:
    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("heading", name="Siden finnes ikke", exact=True)).to_be_visible(timeout=TIMEOUT)
    expect(main.get_by_text(f"Adressen «/{name}» er ikke en side i Legeplan")).to_be_visible()
    expect(main.get_by_role("link", name="Gå til Oversikt")).to_be_visible()


def test_oversikt_and_an_unknown_page_are_answered_in_norwegian(new_page, tmp_path):
    with streamlit_server(tmp_path) as base_url:
        cold = new_page()
        cold.goto(f"{base_url}/oversikt?malform=nb&kommune=4631")
        expect_overview(cold)
        expect_no_english_dialog(cold)
        cold.goto(f"{base_url}/finnesikke?malform=nb&kommune=4631")
        expect_not_found(cold, "finnesikke")
        expect_no_english_dialog(cold)

        warm = new_page()  # the same two links once st.navigation has taken over
        warm.goto(f"{base_url}/oversikt?malform=nb&kommune=4631")
        expect_overview(warm)
        expect_no_english_dialog(warm)
        warm.goto(f"{base_url}/ingen-slik-side?malform=nb&kommune=4631")
        expect_not_found(warm, "ingen-slik-side")
        expect_no_english_dialog(warm)
        warm.get_by_test_id("stMain").get_by_role("link", name="Gå til Oversikt").click()
        expect_overview(warm)
        expect_no_english_dialog(warm)


VISIBLE_ENGLISH = """() => [...document.querySelectorAll("body *")]
    .filter(e => e.children.length === 0 && /File must be|files are not allowed|Error:/.test(e.textContent || "")
                 && e.checkVisibility())
    .map(e => e.textContent)"""
AFTER_TEXT = """() => getComputedStyle(document.querySelector('[data-testid="stFileChips"]'), '::after').content"""


@pytest.mark.parametrize(("malform", "expected"), [("nb", "Filen ble ikke lastet opp: den er større enn 20 MB"),
                                                  ("nn", "Fila vart ikkje lasta opp: ho er større enn 20 MB")])
def test_a_file_over_the_limit_is_refused_in_norwegian_not_english(app_server, page, tmp_path, malform, expected):
    """Streamlit's uploader refuses a file over the limit in the browser with «File must be 20.0MB or
    smaller.» (an alert and a tooltip): the field says it in Norwegian instead, in the målform in force."""
    big = tmp_path / "for_stor.csv"
    big.write_bytes(b"x" * 21_000_000)
    page.goto(f"{app_server}/data?malform={malform}&kommune=4631")
    field = page.get_by_test_id("stFileUploaderDropzoneInput")
    field.wait_for(state="attached", timeout=TIMEOUT)
    field.set_input_files(str(big))
    chip = page.get_by_test_id("stFileChip")
    expect(chip).to_have_attribute("aria-invalid", "true", timeout=TIMEOUT)
    chip.hover()  # the English tooltip would show now
    page.wait_for_timeout(800)
    assert page.evaluate(VISIBLE_ENGLISH) == []
    shown = page.evaluate(AFTER_TEXT)
    assert expected in shown and "File must be" not in shown
    if malform == "nb":
        assert components.upload_refusal_text() in shown
    expect(page.get_by_test_id("stException")).to_have_count(0)
