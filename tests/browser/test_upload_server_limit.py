"""Finding 9 (issue 24): the 20 MB limit was the browser's only; a direct PUT to /_stcore/upload_file/… of
190 MB was accepted. A real `streamlit run app.py` with a real session (Streamlit's websocket protocol,
bench/ws_client.py) and its XSRF cookie: a small upload is accepted (204), one byte over the importer's
limit in Streamlit's units (server.maxUploadSize MB of 2^20 bytes) is refused by the server itself (413)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import http.client
import re
import uuid
from urllib.parse import urlparse

import pytest

from bench.ws_client import StreamlitSession

pytestmark = pytest.mark.browser

LIMIT_MB = 20  # .streamlit/config.toml server.maxUploadSize; tests/test_upload_budget.py ties it to the importer


def _xsrf_cookie(base_url: str) -> str:
    """The _streamlit_xsrf cookie the server sets (on its health check, as on the page), as a browser holds it."""
    url = urlparse(base_url)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    conn.request("GET", "/_stcore/health")
    response = conn.getresponse()
    response.read()
    cookies = " ".join(v for k, v in response.getheaders() if k.lower() == "set-cookie")
    conn.close()
    m = re.search(r"_streamlit_xsrf=([^;]+)", cookies)
    assert m, f"no XSRF cookie in {cookies!r}"
    return m.group(1)


def _put(base_url: str, session_id: str, body: bytes, xsrf: str) -> int:
    """PUT one file as the frontend does (multipart form, X-Xsrftoken header + cookie); the HTTP status,
    or 413 if the server closed the connection while the body was still being sent."""
    url = urlparse(base_url)
    boundary = uuid.uuid4().hex
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"12005.csv\"\r\n"
            "Content-Type: text/csv\r\n\r\n").encode()
    payload = head + body + f"\r\n--{boundary}--\r\n".encode()
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    try:
        conn.request("PUT", f"/_stcore/upload_file/{session_id}/{uuid.uuid4()}", body=payload, headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}", "X-Xsrftoken": xsrf,
            "Cookie": f"_streamlit_xsrf={xsrf}"})
        response = conn.getresponse()
        response.read()
        return response.status
    except (BrokenPipeError, ConnectionResetError):
        return 413
    finally:
        conn.close()


def test_server_refuses_an_upload_over_the_importers_limit(app_server):
    async def scenario() -> tuple[int, int]:
        session = StreamlitSession(app_server, "/data")
        await session.open()
        try:
            assert session.session_id
            xsrf = await asyncio.to_thread(_xsrf_cookie, app_server)
            small = await asyncio.to_thread(_put, app_server, session.session_id, b"x" * 1000, xsrf)
            big = await asyncio.to_thread(_put, app_server, session.session_id,
                                          b"x" * (LIMIT_MB * 2**20 + 1), xsrf)
            return small, big
        finally:
            await session.close()

    # in a thread of its own: Playwright's sync API may already run an event loop in this one
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        small, big = pool.submit(lambda: asyncio.run(scenario())).result(timeout=300)
    assert small == 204  # the same request, small: accepted, so the refusal below is the size's
    assert big == 413
