"""Scenarios in real headless Chromium: save in one browser session, open in another."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_oversikt_browser import TIMEOUT, wait_idle

pytestmark = pytest.mark.browser

NEW_HJEMLER = re.compile("^Nye hjemler(?! fra)")


def open_scenarios(page: Page):
    wait_idle(page)
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("Scenarioer", exact=True).click()
    expect(sidebar.get_by_role("textbox", name="Navn på nytt scenario")).to_be_visible(timeout=TIMEOUT)
    return sidebar


def type_name(page: Page, sidebar, name: str) -> None:
    """Type the new scenario's name and let the app take it (Enter) before anything is clicked."""
    box = sidebar.get_by_role("textbox", name="Navn på nytt scenario")
    box.fill(name)
    box.press("Enter")
    wait_idle(page)
    expect(box).to_have_value(name, timeout=TIMEOUT)


def expect_saved(page: Page, sidebar, name: str) -> None:
    """The saved scenario becomes the chosen one; on failure, say what the sidebar showed instead."""
    box = sidebar.get_by_role("combobox", name=re.compile("Lagrede scenarioer"))
    try:
        expect(box).to_have_value(name, timeout=TIMEOUT)
    except AssertionError as exc:
        raise AssertionError(f"{exc}\nThe sidebar showed:\n{sidebar.inner_text()}") from None


def choose(page: Page, combobox, option: str, tries: int = 4) -> None:
    """Open a select box and pick `option`. A rerun that lands just after the click (the page's
    entry rerun on a slow machine) closes the list again, so open it again until the option shows."""
    wanted = page.get_by_role("option", name=option)
    for _ in range(tries - 1):
        wait_idle(page)
        combobox.click()
        try:
            expect(wanted).to_be_visible(timeout=TIMEOUT // 6)
        except AssertionError:
            page.keyboard.press("Escape")
            continue
        wanted.click()
        return
    combobox.click()
    wanted.click()


def test_save_in_one_session_open_in_another(new_page, app_server: str):
    page = new_page()
    page.goto(f"{app_server}/kapasitet?malform=nb&kommune=4631&new_hjemler=2")
    expect(page.get_by_role("heading", name="Fastlegekapasitet – Alver")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_role("slider", name=NEW_HJEMLER)).to_have_value("2", timeout=TIMEOUT)
    sidebar = open_scenarios(page)
    type_name(page, sidebar, "To nye hjemler i nettleseren")
    sidebar.get_by_role("button", name=re.compile("Lagre valgene")).click()
    # The saved scenario becomes the chosen one in the list (the «Lagret …» message shows once).
    expect_saved(page, sidebar, "To nye hjemler i nettleseren")

    other = new_page()  # another person, another session
    other.goto(f"{app_server}/kapasitet?malform=nb&kommune=4631")
    expect(other.get_by_role("slider", name=NEW_HJEMLER)).to_have_value("0", timeout=TIMEOUT)
    sidebar = open_scenarios(other)
    choose(other, sidebar.get_by_role("combobox", name=re.compile("Lagrede scenarioer")),
           "To nye hjemler i nettleseren")
    sidebar.get_by_role("button", name=re.compile("Åpne")).click()
    expect(other.get_by_role("slider", name=NEW_HJEMLER)).to_have_value("2", timeout=TIMEOUT)
    expect(other).to_have_url(re.compile(r"[?&]new_hjemler=2(&|$)"), timeout=TIMEOUT)
