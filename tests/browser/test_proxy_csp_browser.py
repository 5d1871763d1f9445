"""Every view of the app in Chromium through the deployed proxy (deploy/nginx/legeplan.conf, run by Debian's
nginx with tools/proxy.py) under its Content-Security-Policy: the app draws (its WebSocket goes through the
proxy) and the browser reports no CSP violation, in the page or in the console. This is how the policy's
exceptions for Streamlit's frontend were found; a Streamlit upgrade that needs more fails here, naming
the directive and the blocked resource.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import VIEWPORT, streamlit_server
from tests.browser.test_no_third_party_browser import SETTLE_MS, _views
from tests.browser.test_oversikt_browser import TIMEOUT, wait_idle
from tools import proxy
from tools.server import free_port

pytestmark = pytest.mark.browser

# Collects the page's CSP violation reports before any of the app's scripts runs.
_LISTEN = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(
  `${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile || '?'}:${e.lineNumber}`));
"""


@pytest.fixture(scope="module")
def proxied_url(tmp_path_factory) -> Iterator[str]:
    """One Streamlit process behind the deployed nginx config; yields its https URL."""
    if (reason := proxy.missing()) is not None:
        pytest.skip(reason)
    workdir = tmp_path_factory.mktemp("proxy")
    with streamlit_server(workdir) as app_url:
        tls_port = free_port()
        with proxy.nginx(workdir, [int(app_url.rsplit(":", 1)[1])], tls_port, free_port()):
            yield f"https://127.0.0.1:{tls_port}"


@pytest.fixture
def tls_page(browser):
    """A page in its own context that accepts the proxy's self-signed certificate."""
    context = browser.new_context(viewport=VIEWPORT, locale="nb-NO", ignore_https_errors=True)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("view", _views())
def test_a_view_draws_through_the_proxy_without_csp_violations(tls_page, proxied_url: str, view: str):
    page = tls_page
    console: list[str] = []
    page.on("console", lambda msg: console.append(msg.text))
    page.on("pageerror", lambda error: console.append(str(error)))
    page.add_init_script(_LISTEN)

    response = page.goto(f"{proxied_url}{view}")
    assert response is not None and "'self'" in (response.headers.get("content-security-policy") or "")
    expect(page.get_by_test_id("stSidebar").get_by_role("heading", name="Legeplan")).to_be_attached(timeout=TIMEOUT)
    expect(page.get_by_test_id("stMain").get_by_test_id("stVerticalBlock").first).to_be_visible(timeout=TIMEOUT)
    wait_idle(page)
    page.wait_for_timeout(SETTLE_MS)
    wait_idle(page)

    violations = page.evaluate("window.__cspViolations")
    refused = [m for m in console if "Content Security Policy" in m or "Content-Security-Policy" in m]
    assert not violations and not refused, (
        f"{view} under the proxy's CSP:\n" + "\n".join(violations + refused))


def test_downloads_and_uploads_work_through_the_proxy(tls_page, proxied_url: str):
    """A file from the app (a /media/ download) and a file to it (the upload PUT with its XSRF cookie,
    reaching the process that holds the session through the route cookie), under the CSP."""
    page = tls_page
    page.add_init_script(_LISTEN)
    page.goto(f"{proxied_url}/data?malform=nb&kommune=4631")
    button = page.get_by_role("button", name=re.compile("Last ned mal for egne tall \\(CSV\\)"))
    expect(button).to_be_visible(timeout=TIMEOUT)
    wait_idle(page)
    with page.expect_download(timeout=TIMEOUT) as info:
        button.click()
    template = Path(info.value.path()).read_bytes()
    assert template.strip(), "the downloaded template is empty"

    with page.expect_response(lambda r: "/_stcore/upload_file/" in r.url and r.request.method == "PUT",
                              timeout=TIMEOUT) as put:
        page.locator("input[type=file]").set_input_files(
            files=[{"name": "legeplan_egne_tall.csv", "mimeType": "text/csv", "buffer": template}])
    assert put.value.ok, f"the upload through the proxy was refused: {put.value.status}"
    wait_idle(page)
    assert not page.evaluate("window.__cspViolations")
