"""The Fastlegekapasitet page in real headless Chromium: a shared link with levers set shows the
same numbers as the model, and a lever moved in the browser lands in a link that reproduces it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from core import capacity as cap
from core import db, demography, fmt, starting_points
from core.params import with_defaults_from
from tests.browser.test_oversikt_browser import TIMEOUT, expect_tile, squashed, tile_value, wait_idle

pytestmark = pytest.mark.browser


def heading(page: Page, name: str):
    return page.get_by_role("heading", name=f"Fastlegekapasitet – {name}", exact=True)


def no_break(text: str) -> str:
    return text.replace("\u00a0", " ")


def expected_free_places_2040(knr: str, start: str = "ssb", **levers) -> str:
    """Free places in 2040 as the model computes them for the starting point and the levers."""
    con = db.connect()
    base = (starting_points.from_statistics(con, knr) if start == "ssb"
            else starting_points.from_reference(con, start))
    params = with_defaults_from(cap.CapacityParams, base, **levers)
    path = demography.population_path(demography.registered_groups(con, knr),
                                      demography.project_groups(con).for_kommune(knr))
    last = cap.project(base, path, params).iloc[-1]
    assert int(last["year"]) == 2040
    return fmt.number(last["free_places"])


def test_shared_link_with_levers_shows_the_model_numbers(new_page, app_server: str):
    page = new_page()
    page.goto(f"{app_server}/kapasitet?malform=nb&kommune=4631&start=alver_2021&new_hjemler=1&new_list_cap=1000"
              "&new_from_year=2021")
    expect(heading(page, "Alver")).to_be_visible(timeout=TIMEOUT)
    # The note's figures, and one new hjemmel of cap 1 000 from 2021: 417 + 1 000 free places.
    expect_tile(page, "Sum listetak 2021", "29 400")
    expect_tile(page, "Venteliste 2021", "779")
    table = page.get_by_test_id("stDataFrame").first
    expect(table).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text(re.compile(r"1 ny hjemmel fra 2021"))).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_role("slider", name=re.compile("^Nye hjemler(?! fra)"))).to_have_value(
        "1", timeout=TIMEOUT)
    expected = expected_free_places_2040("4631", "alver_2021", new_hjemler=1, new_list_cap=1000,
                                         new_from_year=2021)
    expect_tile(page, "Ledige plasser 2040", expected)
    expect(page).to_have_url(re.compile(r"[?&]new_hjemler=1(&|$)"), timeout=TIMEOUT)


def test_moved_lever_gives_a_link_that_reproduces_the_numbers(new_page, app_server: str):
    page = new_page()
    page.goto(f"{app_server}/kapasitet?kommune=1103")
    expect(heading(page, "Stavanger")).to_be_visible(timeout=TIMEOUT)
    tile = tile_value(page, "Ledige plasser 2040")
    expect(tile).not_to_have_text("", timeout=TIMEOUT)
    before = no_break(tile.inner_text())
    slider = page.get_by_role("slider", name=re.compile("^Nye hjemler(?! fra)"))
    wait_idle(page)
    slider.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    expect(page).to_have_url(re.compile(r"[?&]new_hjemler=3(&|$)"), timeout=TIMEOUT)
    expect(tile).not_to_have_text(squashed(before), timeout=TIMEOUT)
    after = no_break(tile.inner_text())
    expected = expected_free_places_2040("1103", new_hjemler=3)
    assert re.sub(r"\s", "", after) == re.sub(r"\s", "", expected)

    copied = new_page()
    copied.goto(page.url)
    expect(heading(copied, "Stavanger")).to_be_visible(timeout=TIMEOUT)
    expect(tile_value(copied, "Ledige plasser 2040")).to_have_text(squashed(after), timeout=TIMEOUT)


def test_levers_survive_a_visit_to_another_page(page: Page, app_server: str):
    # Streamlit drops the widgets of a page the user leaves; the levers must come back as they were.
    page.goto(f"{app_server}/kapasitet?kommune=1103&new_hjemler=4")
    expect(heading(page, "Stavanger")).to_be_visible(timeout=TIMEOUT)
    expect_tile(page, "Hjemler 2040", "143")
    nav = page.get_by_test_id("stSidebarNav")
    nav.get_by_text("Oversikt", exact=True).click()
    expect(page.get_by_role("heading", name="Oversikt – Stavanger", exact=True)).to_be_visible(timeout=TIMEOUT)
    nav.get_by_text("Fastlegekapasitet", exact=True).click()
    expect(heading(page, "Stavanger")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_role("slider", name=re.compile("^Nye hjemler(?! fra)"))).to_have_value(
        "4", timeout=TIMEOUT)
    expect_tile(page, "Hjemler 2040", "143")
    expect(page).to_have_url(re.compile(r"[?&]new_hjemler=4(&|$)"), timeout=TIMEOUT)


def test_cost_tile_follows_a_lever(page: Page, app_server: str):
    page.goto(f"{app_server}/kapasitet?kommune=1103")
    expect(heading(page, "Stavanger")).to_be_visible(timeout=TIMEOUT)
    expect(tile_value(page, "Merkostnad 2040, fastlønn")).to_have_text(squashed("0 kr"), timeout=TIMEOUT)
    # with new salaried lists the example salary moves the figure, and the tile says so on itself
    tile = tile_value(page, "Merkostnad 2040, fastlønn (eksempelkostnader)")
    slider = page.get_by_role("slider", name=re.compile("^Nye hjemler(?! fra)"))
    wait_idle(page)
    slider.focus()
    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(re.compile(r"[?&]new_hjemler=1(&|$)"), timeout=TIMEOUT)
    expect(tile).not_to_have_text(squashed("0 kr"), timeout=TIMEOUT)
    wait_idle(page)
    one = re.sub(r"\D", "", tile.inner_text())
    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(re.compile(r"[?&]new_hjemler=2(&|$)"), timeout=TIMEOUT)
    expect(tile).not_to_have_text(re.compile(r"^\s*" + "".join(c + r"\s*" for c in one) + "kr"), timeout=TIMEOUT)
    two = int(re.sub(r"\D", "", tile.inner_text()))
    assert two > int(one) > 0  # a second salaried hjemmel costs more than one
