"""Kontorstruktur in real headless Chromium: build a merger of Øyer's two offices and see the saving."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_oversikt_browser import TIMEOUT, squashed, tile_value

pytestmark = pytest.mark.browser


def test_build_a_merger_and_see_the_saving(page: Page, app_server: str):
    page.goto(f"{app_server}/kontor?kommune=3440")
    expect(page.get_by_role("heading", name="Kontorstruktur – Øyer", exact=True)).to_be_visible(timeout=TIMEOUT)
    expect(tile_value(page, "I dag: kostnad per år")).to_have_text(squashed("7 331 972 kr"), timeout=TIMEOUT)
    form = page.get_by_test_id("stForm")
    name = form.get_by_role("textbox", name="Navn på alternativet")
    name.fill("Felles kontor, spart husleie")
    rent = form.get_by_role("textbox", name="Sparte utgifter til husleie, FDV, vask og energi (kr per år)")
    rent.fill("500 000")  # as a Norwegian writes it (a number field read "2,5" as 25)
    rent.press("Tab")
    form.get_by_role("button", name=re.compile("Legg til alternativet")).click()
    tile = tile_value(page, "Felles kontor, spart husleie: kostnad per år")
    # The two offices' 7 331 972 kr, minus the 500 000 kr the user expects to save on premises.
    expect(tile).to_have_text(squashed("6 831 972 kr"), timeout=TIMEOUT)
    delta = page.get_by_test_id("stMetric").filter(
        has=page.get_by_text("Felles kontor, spart husleie: kostnad per år", exact=True)
    ).get_by_test_id("stMetricDelta")
    expect(delta).to_contain_text(re.compile(r"500\s000"), timeout=TIMEOUT)
