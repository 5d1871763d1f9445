"""The meeting view and the slides under axe-core (WCAG 2.1 A/AA), in normal and high contrast; high
contrast also meets WCAG's enhanced contrast (AAA, 7:1) for the text the app draws itself."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_a11y import AXE, chart_text_problems, run_axe, unexplained, wait_settled
from tests.browser.test_oversikt_browser import TIMEOUT

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed")]

VIEWS = {"mote": "kapasitet?kommune=4631&malform=nb&mote=1",
         "lysbilder": "kapasitet?kommune=4631&malform=nb&presentasjon=1",
         "mote_okonomi": "okonomi?kommune=4631&malform=nb&mote=1"}


def _open(page: Page, base_url: str, path: str) -> None:
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{base_url}/{path}")
    expect(page.get_by_role("button", name="Høy kontrast").or_(page.get_by_role("checkbox", name="Høy kontrast"))
           .or_(page.get_by_text("Høy kontrast")).first).to_be_visible(timeout=TIMEOUT)
    wait_settled(page)


def _enhanced_contrast(page: Page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async () => {
            const r = await axe.run(document, {runOnly: {type: 'rule', values: ['color-contrast-enhanced']},
                                               resultTypes: ['violations']});
            return r.violations.flatMap(v => v.nodes.map(n => n.target.join(' ') + ' ' + (n.failureSummary || '')
                                                                      .slice(0, 200)));
        }""")
    # Streamlit's own slider min/max tick labels and the disabled button text are not the app's colours
    return [f for f in found if "stSliderTick" not in f and "disabled" not in f]


@pytest.mark.parametrize("view", list(VIEWS))
def test_meeting_views_pass_axe_in_normal_and_high_contrast(new_page, app_server: str, view: str):
    page = new_page()
    _open(page, app_server, VIEWS[view])
    assert unexplained(run_axe(page)) + chart_text_problems(page) == []
    page.get_by_text("Høy kontrast", exact=True).click()
    wait_settled(page)
    assert page.locator("[data-testid='stMetric']").first.evaluate(
        "e => getComputedStyle(e).borderTopWidth") == "3px"  # the high-contrast style is on
    assert unexplained(run_axe(page)) + chart_text_problems(page) == []
    assert _enhanced_contrast(page) == []
