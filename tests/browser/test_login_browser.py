"""Login in real headless Chromium against a real OIDC provider (the `oidc-provider-mock` package, started by
this test on a free port): Streamlit's st.login, the group claim mapped to roles in [legeplan_auth]. A reader of
Alver signs in and cannot save a scenario (no save button; core would refuse); a planner of Alver saves, is
named in the audit log, and cannot save in Stavanger. Refused actions leave the store unchanged."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from core import audit, db
from core import scenarios as sc
from tests.browser.conftest import ROOT, START_TIMEOUT, _stop
from tests.browser.test_oversikt_browser import TIMEOUT, wait_idle
from tests.browser.test_scenario_browser import open_scenarios, type_name
from tools.server import free_port, healthy

pytestmark = pytest.mark.browser

READER, PLANNER = "rita@alver.kommune.no", "per@alver.kommune.no"


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    """A real OIDC provider on localhost with two predefined people and their groups."""
    from oidc_provider_mock import User, run_server_in_thread

    users = [User(sub=READER, claims={"email": READER, "name": "Rita Leser", "grupper": ["alver-lesere"]}),
             User(sub=PLANNER, claims={"email": PLANNER, "name": "Per Planlegger", "grupper": ["alver-planleggere"]})]
    with run_server_in_thread(user_claims=users) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def auth_app(provider: str, tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """`streamlit run app.py` with an [auth] section pointing at the provider; yields (base URL, user db)."""
    workdir = tmp_path_factory.mktemp("login")
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    secrets = workdir / "secrets.toml"
    secrets.write_text(f"""[auth]
redirect_uri = "{base_url}/oauth2callback"
cookie_secret = "{os.urandom(16).hex()}"
client_id = "legeplan"
client_secret = "hemmelig"
server_metadata_url = "{provider}/.well-known/openid-configuration"

[legeplan_auth]
group_claim = "grupper"

[legeplan_auth.groups]
alver-lesere = "4631:leser"
alver-planleggere = ["4631:planlegger"]
""", encoding="utf-8")
    user_db = workdir / "brukerdata.duckdb"
    log_path = workdir / "server.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
             "--server.port", str(port), "--server.address", "127.0.0.1", "--server.fileWatcherType", "none",
             "--browser.gatherUsageStats", "false", "--secrets.files", str(secrets)],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env={**os.environ, "LEGEPLAN_USER_DB": str(user_db)}, start_new_session=True)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not healthy(base_url):
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit with [auth] did not start:\n{log_path.read_text()}")
            time.sleep(0.2)
        yield base_url, user_db
    finally:
        _stop(proc)


def sign_in(page: Page, base_url: str, who: str) -> None:
    """Open the app, press «Logg inn», pick the person at the provider, land back in the app signed in (on the
    front page, in Alver's målform: the provider sends the browser back without the query)."""
    page.goto(f"{base_url}/?malform=nb&kommune=4631")
    page.get_by_role("button", name="Logg inn").click(timeout=TIMEOUT)
    page.get_by_role("button", name=who).click(timeout=TIMEOUT)  # the provider's «predefined users»
    expect(page.get_by_test_id("stSidebar").get_by_text(re.compile("^Innlogg(et|a) som"))).to_be_visible(timeout=TIMEOUT)


def store(user_db: Path) -> tuple[list[str], list[tuple[str, str]]]:
    with db.connect_user(user_db) as con:
        names = sorted(s.name for knr in ("4631", "1103") for s in sc.list_for(con, knr))
        log = audit.entries(con)
    return names, list(zip(log["user_id"], log["action"], strict=True))


def test_a_reader_cannot_save_and_a_planner_saves_only_in_their_kommune(new_page, auth_app):
    base_url, user_db = auth_app
    page = new_page()
    page.goto(f"{base_url}/kapasitet?malform=nb&kommune=4631")
    expect(page.get_by_role("button", name="Logg inn")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_role("heading", name=re.compile("Fastlegekapasitet"))).to_have_count(0)  # nothing before login

    sign_in(page, base_url, READER)
    page.goto(f"{base_url}/kapasitet?malform=nb&kommune=4631")
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text("Innlogget som Rita Leser (leser for Alver).")).to_be_visible(timeout=TIMEOUT)
    wait_idle(page)
    sidebar.get_by_text("Scenarioer", exact=True).click()
    expect(sidebar.get_by_text(re.compile("men ikke lagre eller endre dem"))).to_be_visible(timeout=TIMEOUT)
    expect(sidebar.get_by_role("button", name=re.compile("Lagre valgene"))).to_have_count(0)
    assert store(user_db) == ([], [])  # the reader changed nothing

    planner = new_page()
    sign_in(planner, base_url, PLANNER)
    planner.goto(f"{base_url}/kapasitet?malform=nb&kommune=4631")
    sidebar = open_scenarios(planner)
    type_name(planner, sidebar, "Pers plan")
    sidebar.get_by_role("button", name=re.compile("Lagre valgene")).click()
    expect(sidebar.get_by_role("combobox", name=re.compile("Lagrede scenarioer"))).to_have_value("Pers plan",
                                                                                                 timeout=TIMEOUT)
    assert store(user_db) == (["Pers plan"], [(PLANNER, "scenario.lagre")])

    planner.goto(f"{base_url}/kapasitet?malform=nb&kommune=1103")
    sidebar = planner.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text("Innlogget som Per Planlegger (ingen rolle for Stavanger).")).to_be_visible(
        timeout=TIMEOUT)
    wait_idle(planner)
    sidebar.get_by_text("Scenarioer", exact=True).click()
    expect(sidebar.get_by_role("button", name=re.compile("Lagre valgene"))).to_have_count(0)
    assert store(user_db) == (["Pers plan"], [(PLANNER, "scenario.lagre")])
