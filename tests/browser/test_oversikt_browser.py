"""The Oversikt page in real headless Chromium against a running `streamlit run app.py`.

What AppTest cannot show: the sidebar search, the URL the browser ends up with, the map's
GeoJSON arriving over /app/static, and a copied link reproducing the view in a new session.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.browser

TIMEOUT = 30_000  # ms; the first page of a fresh server loads the data and the charts
MAP_POLYGONS = 300  # the map draws one path per kommune (357), far more than any other chart


def title(page: Page, name: str) -> Locator:
    return page.get_by_role("heading", name=f"Oversikt – {name}", exact=True)


def tile_value(page: Page, label: str) -> Locator:
    """The shown value of the st.metric tile whose label is exactly `label`."""
    label_el = page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    return page.get_by_test_id("stMetric").filter(has=label_el).get_by_test_id("stMetricValue")



def wait_idle(page: Page) -> None:
    """Wait until the app has finished its run (a key press or click during a run can be overtaken)."""
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"stApp\"]')?.getAttribute('data-test-script-state')"
        " === 'notRunning'", timeout=TIMEOUT)

def squashed(value: str) -> re.Pattern[str]:
    """Match `value` with any whitespace (incl. no-break spaces) removed or added between characters."""
    chars = [re.escape(c) for c in re.sub(r"\s+", "", value)]
    return re.compile(r"^\s*" + r"\s*".join(chars) + r"\s*$")


def expect_tile(page: Page, label: str, value: str) -> None:
    expect(tile_value(page, label)).to_have_text(squashed(value), timeout=TIMEOUT)


def test_default_is_alver(page: Page, app_server: str):
    page.goto(f"{app_server}/?malform=nb")
    expect(title(page, "Alver")).to_be_visible(timeout=TIMEOUT)
    expect_tile(page, "Hjemler", "32")


def test_pick_kommune_by_typing_its_name(page: Page, app_server: str):
    page.goto(f"{app_server}/?malform=nb")
    expect(title(page, "Alver")).to_be_visible(timeout=TIMEOUT)
    expect_tile(page, "Hjemler", "32")
    picker = page.get_by_test_id("stSidebar").get_by_role("combobox", name="Kommune")
    picker.click()
    page.keyboard.type("Stavanger")
    expect(page.get_by_role("option", name=re.compile(r"^Stavanger \(1103"))).to_be_visible(timeout=TIMEOUT)
    page.keyboard.press("Enter")
    expect(title(page, "Stavanger")).to_be_visible(timeout=TIMEOUT)
    expect_tile(page, "Hjemler", "139")
    expect_tile(page, "Listepasienter", "162 339")
    expect(page).to_have_url(re.compile(r"[?&]kommune=1103(&|$)"), timeout=TIMEOUT)


def test_unknown_kommune_in_link_falls_back_to_alver(page: Page, app_server: str):
    page.goto(f"{app_server}/?malform=nb&kommune=9999")
    expect(page.get_by_test_id("stAlert").filter(has_text="Viser Alver i stedet")).to_be_visible(
        timeout=TIMEOUT)
    expect(title(page, "Alver")).to_be_visible(timeout=TIMEOUT)


def test_map_draws_kommune_polygons_from_static_geojson(page: Page, app_server: str):
    # Vega fetches the geometry from /app/static in the browser; without it the map has no shapes.
    with page.expect_response(lambda r: r.url.endswith("/app/static/kommuner.geojson"),
                              timeout=TIMEOUT) as geojson:
        page.goto(f"{app_server}/?malform=nb&kommune=4631")
    assert geojson.value.ok, geojson.value.status
    expect(title(page, "Alver")).to_be_visible(timeout=TIMEOUT)
    page.wait_for_function(
        """(minimum) => {
            const charts = document.querySelectorAll('[data-testid="stVegaLiteChart"]');
            return charts.length > 0 && charts[charts.length - 1].querySelectorAll('path').length > minimum;
        }""",
        arg=MAP_POLYGONS, timeout=TIMEOUT,
    )


def test_copied_link_reproduces_the_view(new_page, app_server: str):
    page = new_page()
    page.goto(f"{app_server}/?kommune=1103&kart=share_without_gp")
    expect(title(page, "Stavanger")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_role("combobox", name="Farg kartet etter")).to_have_value(
        "Andel uten fastlege", timeout=TIMEOUT)
    expect_tile(page, "Hjemler", "139")
    expect(page).to_have_url(re.compile(r"[?&]kommune=1103(&|$)"), timeout=TIMEOUT)
    expect(page).to_have_url(re.compile(r"[?&]kart=share_without_gp(&|$)"), timeout=TIMEOUT)


def test_dekning_leads_tiles_trend_and_map(page: Page, app_server: str):
    """Issue 18: «Dekning» (list caps on lists with a doctor / all list patients) beside SSB's reserve, first trend
    tab and the map's default; SSB's index stays, named as SSB's."""
    page.goto(f"{app_server}/?malform=nb&kommune=1859")
    expect(title(page, "Flakstad")).to_be_visible(timeout=TIMEOUT)
    expect_tile(page, "Dekning", "60,0")
    expect_tile(page, "Reservekapasitet (SSB)", "133,3")  # one decimal, as the glossary and the year table (core.glossary)
    tabs = page.get_by_test_id("stMain").get_by_role("tab")
    expect(tabs.first).to_have_text(re.compile(r"^\s*Dekning\s*$"), timeout=TIMEOUT)
    expect(tabs.nth(1)).to_have_text(re.compile(r"^\s*Reservekapasitet \(SSB\)\s*$"), timeout=TIMEOUT)
    expect(page.get_by_role("combobox", name="Farg kartet etter")).to_have_value("Dekning", timeout=TIMEOUT)
