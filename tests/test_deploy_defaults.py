"""Deployment defaults a municipal IT department checks (issue 23; docs/drift.md): the app listens on this
machine only unless told otherwise, XSRF protection is on, and other sites get no cross-origin access.

Three levels: the project's config file says so; Streamlit's effective config, read the way `streamlit run`
reads it from the project folder, says so; and a real `streamlit run app.py`, started with nothing but the
project's config, listens on 127.0.0.1 only, refuses a cross-origin upload without the XSRF cookie, grants
no other origin CORS access and refuses another site's WebSocket.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.cookies import SimpleCookie
from pathlib import Path

import pytest

from tools.server import free_port, healthy

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / ".streamlit" / "config.toml"
EVIL = "http://evil.example"
START_TIMEOUT = 60.0
OPTIONS = ("server.address", "server.enableXsrfProtection", "server.enableCORS", "server.corsAllowedOrigins",
           "server.enableAgentApi", "server.enableStaticServing")


def _clean_env(tmp: Path, **extra: str) -> dict[str, str]:
    """The environment without any STREAMLIT_* override and with an empty home (no ~/.streamlit/config.toml)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}
    return {**env, "HOME": str(tmp), **extra}


def _effective(tmp: Path, **env: str) -> dict[str, object]:
    """Streamlit's effective options as `streamlit run` in the project folder sees them (own process:
    the config is global state)."""
    code = ("import json, streamlit.config as c; c.get_config_options(force_reparse=True); "
            f"print(json.dumps({{k: c.get_option(k) for k in {list(OPTIONS)!r}}}))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_clean_env(tmp, **env),
                         capture_output=True, text=True, timeout=60, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_config_file_says_localhost_xsrf_on_and_no_cross_origin_access():
    server = tomllib.loads(CONFIG.read_text(encoding="utf-8"))["server"]
    assert server["address"] == "127.0.0.1"
    assert server["enableXsrfProtection"] is True
    assert server["enableCORS"] is True  # Streamlit's «CORS protection»: no Access-Control-Allow-Origin: *
    assert "corsAllowedOrigins" not in server


def test_streamlit_reads_the_same_defaults_from_the_project_folder(tmp_path):
    options = _effective(tmp_path)
    assert options["server.address"] == "127.0.0.1"
    assert options["server.enableXsrfProtection"] is True
    assert options["server.enableCORS"] is True
    assert options["server.corsAllowedOrigins"] == []
    assert options["server.enableAgentApi"] is False


@contextlib.contextmanager
def _server(tmp: Path, **env: str) -> Iterator[tuple[str, int]]:
    """`streamlit run app.py` with the project's config only (no --server.address) and `env`;
    yields (base URL, port)."""
    port = free_port()
    base_url = f"http://{env.get('STREAMLIT_SERVER_ADDRESS', '127.0.0.1')}:{port}"
    log_path = tmp / "server.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
             "--server.fileWatcherType", "none"],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env=_clean_env(tmp, LEGEPLAN_USER_DB=str(tmp / "brukerdata.duckdb"), **env), start_new_session=True)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not healthy(base_url):
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not start on {base_url}:\n{log_path.read_text()}")
            time.sleep(0.2)
        yield base_url, port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[str, int]]:
    with _server(tmp_path_factory.mktemp("deploy")) as started:
        yield started


def _listening(port: int) -> list[str]:
    """The local addresses of the sockets in LISTEN state on `port` (Linux /proc/net/tcp and tcp6)."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(FileNotFoundError), open(table) as f:
            for line in f.read().splitlines()[1:]:
                local, state = line.split()[1], line.split()[3]
                address, hex_port = local.split(":")
                if state == "0A" and int(hex_port, 16) == port:  # 0A = TCP_LISTEN
                    found.append(address)
    return found


def test_the_server_listens_on_loopback_only(server):
    _, port = server
    if not os.path.exists("/proc/net/tcp"):
        pytest.skip("no /proc/net/tcp on this system to read listening addresses from")
    # 127.0.0.1 in /proc/net/tcp's little-endian hex; nothing on 0.0.0.0 (00000000) or any IPv6 address
    assert _listening(port) == ["0100007F"]


def test_an_administrator_can_listen_elsewhere_with_the_documented_variable(tmp_path):
    """README and docs/drift.md: STREAMLIT_SERVER_ADDRESS (like --server.address) overrides the default.
    Shown with another loopback address, 127.0.0.2, so the test never listens on a real network."""
    if not os.path.exists("/proc/net/tcp"):
        pytest.skip("no /proc/net/tcp on this system to read listening addresses from")
    with _server(tmp_path, STREAMLIT_SERVER_ADDRESS="127.0.0.2") as (_, port):
        assert _listening(port) == ["0200007F"]


def _request(url: str, method: str = "GET", headers: dict[str, str] | None = None,
             data: bytes | None = None) -> tuple[int, dict[str, str]]:
    """Status and headers (lower-case names) of one request; error statuses are returned, not raised."""
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}


def _multipart(name: str, content: bytes) -> tuple[bytes, str]:
    boundary = "legeplan-test-boundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            f"Content-Type: text/csv\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def test_a_cross_origin_upload_without_the_xsrf_cookie_is_refused(server):
    base_url, _ = server
    body, content_type = _multipart("fastlegelister.csv", b"kommune;lister\n0301;1\n")
    url = f"{base_url}/_stcore/upload_file/some-session/some-file"
    status, _ = _request(url, "PUT", {"Origin": EVIL, "Content-Type": content_type}, body)
    assert status == 403

    # The refusal is the XSRF check: with the app's own cookie and token the same PUT gets past it
    # (and is then refused for its made-up session, 400, not 403).
    status, headers = _request(f"{base_url}/_stcore/health")  # where the frontend gets its cookie
    assert status == 200
    cookie = SimpleCookie(headers.get("set-cookie", ""))["_streamlit_xsrf"].value
    status, _ = _request(url, "PUT", {"Content-Type": content_type, "Cookie": f"_streamlit_xsrf={cookie}",
                                      "X-Xsrftoken": cookie}, body)
    assert status == 400


def test_another_site_gets_no_cross_origin_access(server):
    base_url, port = server
    # (Streamlit sends «Access-Control-Allow-Origin: *» on /app/static/ files, which are public and read
    # without cookies; the proxy drops it: deploy/nginx/legeplan.conf, tests/test_proxy_headers.py.)
    for path in ("/_stcore/health", "/_stcore/host-config", "/oversikt"):
        status, headers = _request(f"{base_url}{path}", headers={"Origin": EVIL})
        assert status == 200, path
        assert headers.get("access-control-allow-origin") in (None, f"http://localhost:{port}",
                                                              f"http://127.0.0.1:{port}"), path
    _, headers = _request(f"{base_url}/_stcore/upload_file/s/f", "OPTIONS", {"Origin": EVIL})
    assert headers.get("access-control-allow-origin", "") not in ("*", EVIL)


def test_another_sites_websocket_is_refused(server):
    """A page on another site cannot open the app's session (cross-site WebSocket hijacking)."""
    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect

    base_url, _ = server
    ws_url = base_url.replace("http://", "ws://") + "/_stcore/stream"
    with pytest.raises(InvalidStatus) as refused:
        connect(ws_url, origin=EVIL, subprotocols=["streamlit"], open_timeout=10).close()
    assert refused.value.response.status_code == 403
    with connect(ws_url, origin=base_url, subprotocols=["streamlit"], open_timeout=10):
        pass  # the app's own origin is accepted
