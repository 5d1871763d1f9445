"""A link to a page as the first request of a fresh server: drawn inside the shell, with one menu.

Until some session has called st.navigation, Streamlit treats pages/ as its old-style folder and runs
the page file the link names without app.py (ui/shell.py). Only a fresh server shows that, so each
test starts its own.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import streamlit_server
from ui import shell

pytestmark = pytest.mark.browser

TIMEOUT = 60_000  # ms; the first run of a fresh server loads the data
MENU = [str(p.title) for p in shell.PAGES]  # bokmål titles, in the shell's order


def expect_the_shell(page: Page, heading: str) -> None:
    """The page's heading, the shell's sidebar (title, kommune Alver) and the shell's menu, alone."""
    expect(page.get_by_test_id("stMain").get_by_role("heading", name=heading, exact=True)).to_be_visible(
        timeout=TIMEOUT)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_role("heading", name="Legeplan", exact=True)).to_be_visible(timeout=TIMEOUT)
    expect(sidebar.get_by_role("combobox", name="Kommune")).to_have_value(re.compile(r"^Alver \(4631"),
                                                                         timeout=TIMEOUT)
    links = page.get_by_test_id("stSidebarNav").get_by_role("link")
    expect(links).to_have_count(len(MENU), timeout=TIMEOUT)
    assert [text.split("\n")[-1].strip() for text in links.all_inner_texts()] == MENU
    assert page.get_by_test_id("stSidebarNav").count() == 1
    expect(page.get_by_test_id("stException")).to_have_count(0)


@pytest.mark.parametrize(("first", "heading", "then", "then_heading"), [
    ("kapasitet?kommune=4631", "Fastlegekapasitet – Alver", "okonomi", "Økonomi – Alver"),
    ("okonomi", "Økonomi – Alver", "kapasitet?kommune=4631", "Fastlegekapasitet – Alver"),
])
def test_a_cold_link_to_a_page_opens_it_inside_the_shell(new_page, tmp_path, first, heading, then, then_heading):
    with streamlit_server(tmp_path) as base_url:
        page = new_page()
        page.goto(f"{base_url}/{first}{'&' if '?' in first else '?'}malform=nb")
        expect_the_shell(page, heading)
        expect(page).to_have_url(re.compile(rf"/{first.split('?')[0]}\?"))
        other = new_page()  # a second link on the same server, after st.navigation has taken over
        other.goto(f"{base_url}/{then}{'&' if '?' in then else '?'}malform=nb")
        expect_the_shell(other, then_heading)
        expect(other).to_have_url(re.compile(rf"/{then.split('?')[0]}\?"))
