"""Accessibility in real headless Chromium: axe-core (WCAG 2.0/2.1 A and AA) on every page, the main
flow by keyboard only, and a visible focus indicator on what the keyboard reaches.

axe-core comes from the npm registry, pinned in package.json/package-lock.json (`make test` runs
`npm ci`). Findings we cannot fix because they sit in Streamlit's own markup are in ALLOWED with
the reason; docs/tilgjengelighet.md has the findings before and after the fixes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from core import theme
from tests.browser.test_oversikt_browser import TIMEOUT, squashed, tile_value, wait_idle

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# page → (kommune, heading prefix). Kontor opens Øyer and Tiltak Stavanger: their case documents fill
# every table and chart of those pages.
PAGES = {
    "oversikt": ("4631", "Oversikt"), "kapasitet": ("4631", "Fastlegekapasitet"),
    "befolkning": ("4631", "Befolkning"), "okonomi": ("4631", "Økonomi"),
    "kontor": ("3440", "Kontorstruktur"), "legeoppgaver": ("4631", "Kommunale legeoppgaver"),
    "scenarioer": ("4631", "Sammenlign scenarioer"), "tiltak": ("1103", "Tiltak og prosjekt"),
    "data": ("4631", "Data"),
}

# rule id → [(regex on the node's CSS selector or HTML, why we accept it)]. Only Streamlit's own
# markup belongs here; whatever the app renders itself gets fixed instead.
ALLOWED: dict[str, list[tuple[str, str]]] = {}


def wait_settled(page: Page) -> None:
    """The run has finished and every visible chart has drawn its SVG or canvas."""
    page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-testid="stApp"]');
            if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
            if (document.querySelector('[data-testid="stSkeleton"]')) return false;
            const charts = [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
                .filter(c => c.getClientRects().length > 0);
            return charts.every(c => c.querySelector('svg, canvas'));
        }""", timeout=TIMEOUT)
    page.wait_for_timeout(500)  # let transitions (expander, fade-in) end before colours are read


def open_page(page: Page, base_url: str, name: str) -> None:
    knr, heading = PAGES[name]
    path = "" if name == "oversikt" else name  # Oversikt is the default page, at /
    page.goto(f"{base_url}/{path}?kommune={knr}&malform=nb")
    expect(page.get_by_role("heading", level=1).filter(has_text=re.compile("^" + re.escape(heading))).first
           ).to_be_visible(timeout=TIMEOUT)
    wait_settled(page)


def run_axe(page: Page) -> list[dict]:
    """axe-core's WCAG A/AA violations on the page: [{id, impact, help, nodes: [{target, html, summary}]}]."""
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                                    resultTypes: ['violations']});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 300),
                                          summary: (n.failureSummary || '').slice(0, 400)}))}));
        }""", AXE_TAGS)


def chart_text_problems(page: Page) -> list[str]:
    """Text drawn inside the charts (axes, legends, labels; SVG text, which axe does not check) with
    less than 4.5:1 contrast on white. Labels Vega hides (overlap) have opacity 0 and do not count; a
    chart redrawn after a resize may show text for a moment: only what is still there a second later
    counts."""
    first = _chart_text_problems(page)
    if not first:
        return []
    page.wait_for_timeout(1000)
    return [p for p in _chart_text_problems(page) if p in first]


def _chart_text_problems(page: Page) -> list[str]:
    found = page.evaluate(
        """() => {
            const out = {};
            document.querySelectorAll('[data-testid="stVegaLiteChart"] svg text').forEach(t => {
                const text = t.textContent.trim();
                if (!text || t.getClientRects().length === 0) return;
                const style = getComputedStyle(t);
                const key = style.fill + '|' + style.fillOpacity + '|' + style.opacity;
                const chart = t.closest('[data-testid="stVegaLiteChart"]');
                out[key] = out[key] || text.slice(0, 40) + ' (' + (chart.getAttribute('aria-label') || '').slice(0, 60) + ')';
            });
            return out;
        }""")
    bad = []
    for key, sample in found.items():
        fill, fill_opacity, opacity = key.split("|")
        rgb = [int(float(v)) for v in re.findall(r"[\d.]+", fill)[:3]]
        if len(rgb) < 3:
            continue
        alpha = float(fill_opacity) * float(opacity)
        if alpha == 0:  # hidden label
            continue
        colour = theme.blend("#" + "".join(f"{v:02X}" for v in rgb), alpha)
        ratio = theme.contrast(colour, theme.BACKGROUND)
        if ratio < theme.AA_TEXT:
            bad.append(f"diagramtekst «{sample}» i {colour}: kontrast {ratio:.2f}:1")
    return bad


def unexplained(violations: list[dict]) -> list[str]:
    """Violations not in ALLOWED, one line per node."""
    out = []
    for v in violations:
        patterns = ALLOWED.get(v["id"], [])
        for node in v["nodes"]:
            if any(re.search(p, node["target"]) or re.search(p, node["html"]) for p, _ in patterns):
                continue
            out.append(f"{v['id']} ({v['impact']}): {v['help']}\n    {node['target']}\n    {node['html']}\n"
                       f"    {node['summary']}")
    return out


@pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed (make axe: npm ci)")
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_wcag_violations(new_page, app_server: str, name: str):
    page = new_page()
    open_page(page, app_server, name)
    found = unexplained(run_axe(page)) + chart_text_problems(page)
    tabs = page.get_by_test_id("stMain").get_by_role("tab")
    for i in range(1, tabs.count()):  # every tab of the page, one after the other
        tabs.nth(i).click()
        wait_settled(page)
        found += [f"[fane {i + 1}] {f}" for f in unexplained(run_axe(page)) + chart_text_problems(page)
                  if f not in found]
    closed = page.get_by_test_id("stMain").locator("details:not([open]) > summary").element_handles()
    for summary in closed:  # open every expander: the chart tables, notes, export
        if summary.is_visible():
            summary.click()
    wait_settled(page)
    found += [f"[ekspandert] {f}" for f in unexplained(run_axe(page)) if f not in found]
    assert not found, f"{name}: {len(found)} axe-funn\n" + "\n".join(found)


# --- keyboard ------------------------------------------------------------------------------------

def _active(page: Page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            return {tag: el.tagName, role: el.getAttribute('role'), type: el.getAttribute('type'),
                    label: el.getAttribute('aria-label') || '',
                    text: (el.innerText || '').slice(0, 80)};
        }""")


def tab_to(page: Page, wanted, limit: int = 120) -> dict:
    """Press Tab until the focused element satisfies `wanted(active)`; fail after `limit` presses."""
    seen = []
    wait_idle(page)
    for _ in range(limit):
        page.keyboard.press("Tab")
        active = _active(page)
        if wanted(active):
            return active
        seen.append(f"{active['tag']}[{active['role']}] {' '.join((active['label'] or active['text']).split())}")
    raise AssertionError(f"Tab nådde ikke målet på {limit} trykk; fokus gikk gjennom:\n" + "\n".join(seen))


def focus_is_visible(page: Page) -> bool:
    """The focused element looks different with focus than without (an outline, ring or colour)."""
    box = page.evaluate(
        """() => {
            const r = document.activeElement.getBoundingClientRect();
            return {x: Math.max(r.x - 6, 0), y: Math.max(r.y - 6, 0), width: r.width + 12, height: r.height + 12};
        }""")
    focused = page.screenshot(clip=box, animations="disabled")
    page.evaluate("() => { window.__refocus = document.activeElement; document.activeElement.blur(); }")
    page.wait_for_timeout(200)
    blurred = page.screenshot(clip=box, animations="disabled")
    page.evaluate("() => window.__refocus.focus({focusVisible: true})")
    return focused != blurred


def test_main_flow_by_keyboard_only(page: Page, app_server: str):
    page.goto(f"{app_server}/kapasitet?malform=nb")
    expect(page.get_by_role("heading", name="Fastlegekapasitet – Alver", exact=True)).to_be_visible(timeout=TIMEOUT)
    wait_settled(page)
    page.locator("body").focus()

    # Tab to the kommune picker, type a kommune, Enter.
    tab_to(page, lambda a: a["role"] == "combobox" and "Kommune" in a["label"])
    assert focus_is_visible(page), "kommunevelgeren viser ikke fokus"
    page.keyboard.type("Stavanger")
    expect(page.get_by_role("option", name=re.compile(r"^Stavanger \(1103"))).to_be_visible(timeout=TIMEOUT)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Fastlegekapasitet – Stavanger", exact=True)).to_be_visible(
        timeout=TIMEOUT)
    expect(page).to_have_url(re.compile(r"[?&]kommune=1103(&|$)"), timeout=TIMEOUT)
    wait_settled(page)

    # Tab on to a lever and move it with the arrow keys; the tile follows.
    tile = tile_value(page, "Hjemler 2040")
    expect(tile).not_to_have_text("", timeout=TIMEOUT)
    before = tile.inner_text()
    tab_to(page, lambda a: (a["role"] == "slider" or a["type"] == "range") and a["label"] == "Nye hjemler")
    assert focus_is_visible(page), "spaken viser ikke fokus"
    wait_idle(page)
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(re.compile(r"[?&]new_hjemler=2(&|$)"), timeout=TIMEOUT)
    # Two presses, two reruns: wait for the second one's value (the first gives +1 on the way).
    expect(tile).to_have_text(squashed(str(int(re.sub(r"\D", "", before)) + 2)), timeout=TIMEOUT)


def test_page_links_and_chart_tables_are_reachable_and_show_focus(page: Page, app_server: str):
    page.goto(f"{app_server}/?kommune=4631&malform=nb")
    expect(page.get_by_role("heading", name="Oversikt – Alver", exact=True)).to_be_visible(timeout=TIMEOUT)
    wait_settled(page)
    page.locator("body").focus()
    tab_to(page, lambda a: a["tag"] == "A" and "Befolkning" in a["text"])
    assert focus_is_visible(page), "sidelenken viser ikke fokus"
    tab_to(page, lambda a: a["tag"] == "SUMMARY" and "Vis tallene som tabell" in a["text"], limit=300)
    assert focus_is_visible(page), "«Vis tallene som tabell» viser ikke fokus"
    page.keyboard.press("Enter")
    table = page.get_by_test_id("stTable").first
    expect(table).to_be_visible(timeout=TIMEOUT)
    expect(table.get_by_role("columnheader").first).to_be_visible()


@pytest.mark.parametrize("code", ["nb", "nn"])
def test_page_language_is_the_maalform(page: Page, app_server: str, code: str):
    # Streamlit writes <html lang="en">; a screen reader would read Norwegian as English (WCAG 3.1.1).
    page.goto(f"{app_server}/?kommune=1103&malform={code}")
    expect(page.get_by_role("heading", level=1).first).to_be_visible(timeout=TIMEOUT)
    page.wait_for_function("(code) => document.documentElement.lang === code", arg=code, timeout=TIMEOUT)
