"""The meeting as a kommunalsjef walks it (issue 19, «Done when»), in real headless Chromium at 1366×768:
open a saved Alver scenario in slides, answer «two more hjemler from 2027» with the keyboard only, see
tiles, chart and the lever on one screen, keep it as a new scenario, export it, and find the scenario's
name on every slide and on every page of the PDF."""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_oversikt_browser import TIMEOUT, wait_idle
from tests.browser.test_scenario_browser import NEW_HJEMLER, open_scenarios, type_name

pytestmark = pytest.mark.browser
pypdf = pytest.importorskip("pypdf")

LAPTOP = {"width": 1366, "height": 768}
NAME = "Alver i komiteen"


def _press_until_focused(page: Page, target, key: str = "Tab", limit: int = 60) -> None:
    """Press Tab until `target` has the keyboard focus (as a presenter without a mouse would)."""
    for _ in range(limit):
        if target.evaluate("el => el === document.activeElement || el.contains(document.activeElement)"):
            return
        page.keyboard.press(key)
    raise AssertionError("the element never got the keyboard focus")


def _on_screen(page: Page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= page.viewport_size["height"] + 1


def _slide_place(page: Page) -> str:
    return page.get_by_text(re.compile(r"Fastlegekapasitet – Alver · \d+ av \d+")).inner_text()


def test_a_question_from_the_floor_answered_with_the_keyboard_kept_and_exported(new_page, app_server: str):
    page = new_page()
    page.set_viewport_size(LAPTOP)
    page.goto(f"{app_server}/kapasitet?malform=nb&kommune=4631")
    expect(page.get_by_role("heading", name="Fastlegekapasitet – Alver")).to_be_visible(timeout=TIMEOUT)
    sidebar = open_scenarios(page)
    type_name(page, sidebar, NAME)
    sidebar.get_by_role("button", name=re.compile("Lagre valgene")).click()
    expect(sidebar.get_by_role("combobox", name=re.compile("Lagrede scenarioer"))).to_have_value(NAME, timeout=TIMEOUT)

    page.get_by_test_id("stSidebar").get_by_text("Presentasjonsmodus", exact=True).click()
    expect(page.get_by_text(re.compile(r"· 1 av \d+"))).to_be_visible(timeout=TIMEOUT)
    wait_idle(page)
    expect(page.get_by_text(f"Scenario: «{NAME}»", exact=False)).to_be_visible()
    neste = page.get_by_role("button", name="Neste")
    assert _on_screen(page, neste)  # on a laptop the way on is on the screen

    # a clicker: PageDown to the next slide, which starts at its top; PageUp back
    page.mouse.click(5, 400)  # the focus on the page itself, not on a widget
    page.keyboard.press("PageDown")
    expect(page.get_by_text(re.compile(r"· 2 av \d+"))).to_be_visible(timeout=TIMEOUT)
    wait_idle(page)
    assert _on_screen(page, page.get_by_role("heading").first)
    page.keyboard.press("PageUp")
    expect(page.get_by_text(re.compile(r"· 1 av \d+"))).to_be_visible(timeout=TIMEOUT)
    wait_idle(page)

    # «two more hjemler from 2027», keyboard only: Tab to each slider, arrows to the value
    hjemler = page.get_by_role("slider", name=NEW_HJEMLER)
    _press_until_focused(page, hjemler)
    page.keyboard.press("ArrowRight")
    wait_idle(page)
    page.keyboard.press("ArrowRight")
    expect(hjemler).to_have_value("2", timeout=TIMEOUT)
    wait_idle(page)
    # the app has the two hjemler (its link says so) before the presenter goes on to the year, as one does who
    # watches the screen: the slider shows 2 as soon as the key is pressed, before the app has run with it
    expect(page).to_have_url(re.compile(r"[?&]new_hjemler=2(&|$)"), timeout=TIMEOUT)
    assert "1 av" in _slide_place(page)  # arrows on a slider move the slider, not the slides
    year = page.get_by_role("slider", name=re.compile("^Nye hjemler fra år"))
    _press_until_focused(page, year)
    page.keyboard.press("ArrowRight")
    expect(year).to_have_value("2027", timeout=TIMEOUT)
    wait_idle(page)
    expect(page).to_have_url(re.compile(r"[?&]new_hjemler=2(&|$)"), timeout=TIMEOUT)
    expect(page).to_have_url(re.compile(r"[?&]new_from_year=2027(&|$)"), timeout=TIMEOUT)
    expect(page.get_by_text("Med 2 nye hjemler fra 2027", exact=False)).to_be_visible(timeout=TIMEOUT)

    # tiles, chart and the lever on one screen
    assert _on_screen(page, page.get_by_test_id("stMetric").first)
    assert _on_screen(page, page.get_by_test_id("stVegaLiteChart").first)
    assert _on_screen(page, hjemler)

    # keep it as a new scenario (keyboard: Tab to the button, Enter)
    keep = page.get_by_role("button", name="Behold som nytt scenario")
    expect(keep).to_be_enabled(timeout=TIMEOUT)
    _press_until_focused(page, keep)
    page.keyboard.press("Enter")
    kept = re.compile(re.escape(f"Scenario: «{NAME} – endret i møtet") + r" \d\d\.\d\d\.\d{4} \d\d:\d\d»")
    expect(page.get_by_text(kept)).to_be_visible(timeout=TIMEOUT)
    new_name = re.search(r"«(.+?)»", page.get_by_text(kept).inner_text()).group(1)

    # the new scenario's name on every slide
    count = int(re.search(r"av (\d+)", _slide_place(page)).group(1))
    for n in range(1, count + 1):
        expect(page.get_by_text(re.compile(rf"· {n} av {count}"))).to_be_visible(timeout=TIMEOUT)
        wait_idle(page)
        assert f"Scenario: «{new_name}»" in _slide_place(page)
        if n < count:
            page.mouse.click(5, 400)
            page.keyboard.press("PageDown")

    # back on the page: export the PDF; the name on every page
    page.get_by_role("button", name=re.compile("Avslutt presentasjon")).click()
    expect(page.get_by_role("heading", name="Fastlegekapasitet – Alver")).to_be_visible(timeout=TIMEOUT)
    page.get_by_text("Eksporter til saksframlegg", exact=True).click()
    button = page.get_by_role("button", name=re.compile("PDF-vedlegg"))
    expect(button).to_be_visible(timeout=TIMEOUT)
    with page.expect_download(timeout=90_000) as info:
        button.click()
    reader = pypdf.PdfReader(io.BytesIO(open(info.value.path(), "rb").read()))
    assert len(reader.pages) >= 2
    wanted = re.sub(r"\s+", "", new_name)
    for number, pdf_page in enumerate(reader.pages, start=1):
        assert wanted in re.sub(r"\s+", "", pdf_page.extract_text()), f"page {number} lacks the scenario's name"
