"""The proxy config a kommune deploys (deploy/nginx/legeplan.conf, docs/drift.md), run by Debian's nginx on
loopback in front of a real `streamlit run app.py` (tools/proxy.py replaces only the placeholders):
every response carries the security headers, the CSP allows only the app's own origin (plus what
Streamlit's frontend needs, tests/browser/test_proxy_csp_browser.py), plain HTTP redirects to HTTPS,
sessions stick to one process, and the app works through it (WebSocket included).
"""

from __future__ import annotations

import base64
import hashlib
import re
import ssl
import tomllib
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit

from tests.browser.conftest import streamlit_server
from tools import proxy
from tools.server import free_port

ROOT = Path(__file__).resolve().parent.parent
CONF_TEXT = proxy.CONF.read_text(encoding="utf-8")
EXPECTED = {  # header: a pattern its value must match
    "content-security-policy": r"default-src 'self';.*frame-ancestors 'none'",
    "x-frame-options": r"^DENY$",
    "strict-transport-security": r"^max-age=(\d{8,});? ?(includeSubDomains)?$",
    "referrer-policy": r"^no-referrer$",
    "x-content-type-options": r"^nosniff$",
    "permissions-policy": r"camera=\(\)",
    "cross-origin-opener-policy": r"^same-origin$",
}


def _csp() -> dict[str, list[str]]:
    """The CSP of the config file, directive → sources."""
    value = re.search(r'add_header Content-Security-Policy "([^"]+)" always;', CONF_TEXT)
    assert value, "no Content-Security-Policy in deploy/nginx/legeplan.conf"
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in value.group(1).split(";")) if d}


def test_the_csp_allows_only_the_apps_own_origin():
    csp = _csp()
    assert csp["default-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"] and csp["object-src"] == ["'none'"]
    for directive, sources in csp.items():
        hosts = [s for s in sources if not s.startswith("'") and s not in ("data:", "blob:")]
        assert not hosts, f"{directive} allows other hosts: {hosts}"
    assert "'unsafe-eval'" not in csp["script-src"] and "'unsafe-inline'" not in csp["script-src"]


def test_the_csp_names_the_inline_script_of_the_installed_streamlit():
    """Streamlit's index.html has one inline script; its hash in the CSP must follow Streamlit upgrades."""
    html = (Path(streamlit.__file__).parent / "static" / "index.html").read_text(encoding="utf-8")
    inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, re.DOTALL)
    assert inline, "Streamlit's index.html has no inline script any more: drop its hash from the CSP"
    for script in inline:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in _csp()["script-src"], f"the CSP lacks the hash of {script.strip()!r}"


def test_the_proxy_lets_through_every_upload_the_app_accepts():
    """client_max_body_size ≥ Streamlit's server.maxUploadSize (else nginx answers 413 in English)."""
    size = re.search(r"client_max_body_size (\d+)m;", CONF_TEXT)
    assert size, "no client_max_body_size in megabytes"
    app = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))["server"]
    assert int(size.group(1)) >= app.get("maxUploadSize", 200)  # 200: Streamlit's default


def test_every_process_listed_and_the_upstream_sticky():
    upstream = re.search(r"upstream legeplan \{(.*?)\}", CONF_TEXT, re.DOTALL)
    assert upstream
    assert re.search(r"^\s*hash \$legeplan_route consistent;", upstream.group(1), re.MULTILINE)
    assert len(re.findall(r"^\s*server 127\.0\.0\.1:\d+;", upstream.group(1), re.MULTILINE)) >= 2


@pytest.fixture(scope="module")
def proxied(tmp_path_factory) -> Iterator[tuple[str, str]]:
    """One Streamlit process behind the deployed nginx config; yields (https URL, http URL)."""
    if (reason := proxy.missing()) is not None:
        pytest.skip(reason)
    workdir = tmp_path_factory.mktemp("proxy")
    with streamlit_server(workdir) as app_url:
        tls_port, http_port = free_port(), free_port()
        with proxy.nginx(workdir, [int(app_url.rsplit(":", 1)[1])], tls_port, http_port):
            yield f"https://127.0.0.1:{tls_port}", f"http://127.0.0.1:{http_port}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_TLS = ssl.create_default_context()
_TLS.check_hostname = False
_TLS.verify_mode = ssl.CERT_NONE  # the test's self-signed certificate
_OPENER = urllib.request.build_opener(urllib.request.HTTPSHandler(context=_TLS), _NoRedirect())


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, list[str]]]:
    """Status and headers (lower-case name → every value) of a GET; errors returned, not raised."""
    try:
        response = _OPENER.open(urllib.request.Request(url, headers=headers or {}), timeout=15)
    except urllib.error.HTTPError as error:
        response = error
    with response:
        found: dict[str, list[str]] = {}
        for name, value in response.headers.items():
            found.setdefault(name.lower(), []).append(value)
        return response.status, found


@pytest.mark.parametrize("path", ["/", "/oversikt", "/_stcore/health", "/app/static/icons/legeplan.svg",
                                  "/static/js/no-such-file.js"])
def test_every_response_carries_the_security_headers_once(proxied, path: str):
    https_url, _ = proxied
    status, headers = _get(f"{https_url}{path}")
    assert status in (200, 404), path
    for name, pattern in EXPECTED.items():
        values = headers.get(name, [])
        assert len(values) == 1, f"{path}: {name} sent {len(values)} times: {values}"
        assert re.search(pattern, values[0]), f"{path}: {name}: {values[0]!r}"
    max_age = re.search(EXPECTED["strict-transport-security"], headers["strict-transport-security"][0])
    assert max_age and int(max_age.group(1)) >= 180 * 24 * 3600  # HSTS for at least half a year
    assert "access-control-allow-origin" not in headers, f"{path}: {headers['access-control-allow-origin']}"
    assert "server" not in headers or headers["server"] == ["nginx"]  # no version number


def test_plain_http_redirects_to_https(proxied):
    _, http_url = proxied
    status, headers = _get(f"{http_url}/kapasitet?kommune=4631")
    assert status == 301
    assert headers["location"][0].startswith("https://") and headers["location"][0].endswith("/kapasitet?kommune=4631")


def test_a_browser_gets_one_route_cookie_and_keeps_it(proxied):
    https_url, _ = proxied
    _, first = _get(f"{https_url}/_stcore/health")
    cookies = [c for c in first.get("set-cookie", []) if c.startswith("legeplan_route=")]
    assert len(cookies) == 1
    route = cookies[0].split(";")[0]
    assert re.fullmatch(r"legeplan_route=[0-9a-f]{32}", route)
    assert all(flag in cookies[0] for flag in ("Secure", "HttpOnly", "SameSite=Lax"))
    _, again = _get(f"{https_url}/_stcore/health", {"Cookie": route})
    assert not [c for c in again.get("set-cookie", []) if c.startswith("legeplan_route=")]


def test_the_apps_websocket_works_through_the_proxy(proxied):
    from websockets.sync.client import connect

    https_url, _ = proxied
    ws_url = https_url.replace("https://", "wss://") + "/_stcore/stream"
    with connect(ws_url, origin=https_url, subprotocols=["streamlit"], ssl=_TLS, open_timeout=15) as ws:
        assert ws.subprotocol == "streamlit"
