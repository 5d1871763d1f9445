"""No request leaves for a third party (issue 23, «Deployment defaults»): every page of the app, its
presentation and its meeting view, loaded in real Chromium, asks only the app's own host.

Every request the page makes is recorded (`page.on("request")`); requests to any other host are also
aborted by a route, so the test gives the same answer offline and never sends anything out. A visitor's
IP address reaching Google's font servers (the page icon Streamlit draws from `:material/…:` names is
fetched from fonts.gstatic.com) is what this guards against.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Route, expect

from tests.browser.test_oversikt_browser import TIMEOUT, wait_idle
from ui import meeting, presentation
from ui.shell import PAGES

pytestmark = pytest.mark.browser

KOMMUNE = "4631"  # Alver
# The presentation (scenario slides) and the meeting view of the pages that have one (ui/meeting_*.py).
MEETING_PAGES = ("kapasitet", "okonomi", "kontor", "legeoppgaver")
SETTLE_MS = 1500  # after the run: lazy chunks, charts and the page icon are fetched once the page is drawn


def _views() -> list[str]:
    """Every link to check: each page of the shell, the presentation and each meeting view."""
    views = [f"/{p.url}?malform=nb&kommune={KOMMUNE}" for p in PAGES]
    views += [f"/kapasitet?malform=nb&kommune={KOMMUNE}&{presentation.FLAG}=1",
              f"/scenarioer?malform=nb&kommune={KOMMUNE}&{presentation.FLAG}=1"]
    views += [f"/{url}?malform=nb&kommune={KOMMUNE}&{meeting.FLAG}=1" for url in MEETING_PAGES]
    return views


def _own(url: str, base_url: str) -> bool:
    """True for the app's own origin (and for URLs that name no host: data:, blob:, about:)."""
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about", "chrome-extension"):
        return True
    own = urlsplit(base_url)
    return (parts.scheme in ("http", "https", "ws", "wss")
            and parts.hostname == own.hostname and parts.port == own.port)


def _watch(page: Page, base_url: str) -> tuple[list[str], list[str]]:
    """Record every request of `page`; abort those to another host. Returns (all, foreign) URLs."""
    seen: list[str] = []
    foreign: list[str] = []

    def record(url: str) -> None:
        seen.append(url)
        if not _own(url, base_url):
            foreign.append(url)

    def route(r: Route) -> None:
        if _own(r.request.url, base_url):
            r.continue_()
        else:
            r.abort("blockedbyclient")

    page.on("request", lambda request: record(request.url))
    page.on("websocket", lambda ws: record(ws.url))  # not routed; the app's own /_stcore/stream
    page.context.route("**/*", route)
    return seen, foreign


def test_the_own_origin_check_tells_hosts_apart():
    base = "http://127.0.0.1:8501"
    assert _own("http://127.0.0.1:8501/_stcore/health", base)
    assert _own("ws://127.0.0.1:8501/_stcore/stream", base)
    assert _own("data:image/svg+xml,<svg/>", base)
    assert not _own("https://fonts.gstatic.com/s/i/short-term/release/x/24px.svg", base)
    assert not _own("http://127.0.0.1:8502/", base)
    assert not _own("http://localhost.example.com:8501/", base)


@pytest.mark.parametrize("view", _views())
def test_a_view_asks_only_the_apps_own_host(new_page, app_server: str, view: str):
    page = new_page()
    seen, foreign = _watch(page, app_server)
    page.goto(f"{app_server}{view}")
    # the shell's sidebar title is drawn in every view (the meeting view has no heading in the main area)
    expect(page.get_by_test_id("stSidebar").get_by_role("heading", name="Legeplan")).to_be_attached(timeout=TIMEOUT)
    expect(page.get_by_test_id("stMain").get_by_test_id("stVerticalBlock").first).to_be_visible(timeout=TIMEOUT)
    wait_idle(page)
    page.wait_for_timeout(SETTLE_MS)
    wait_idle(page)
    assert any("/_stcore/stream" in url for url in seen), "the app's own requests were not recorded"
    icon = page.locator("link[rel='shortcut icon']").get_attribute("href") or ""
    assert icon.startswith("data:image/svg+xml"), f"the tab icon is not the inline local SVG: {icon[:120]}"
    assert not foreign, f"{view} sent requests to other hosts:\n" + "\n".join(sorted(set(foreign)))
