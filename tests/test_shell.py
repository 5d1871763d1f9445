"""ui.shell: how a page is reached. app.py runs the shell, which runs the page the link names (pages/)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest_util import APP, ROOT
from ui import shell


def open_through_pages_folder(path: str, **query: str) -> AppTest:
    """Open `path` from app.py with pages/ beside it, as a server's first run of a link to it does:
    Streamlit's old-style pages/ handling runs the page file alone first (ui/shell.py)."""
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in {"malform": "nb", **query}.items():
        at.query_params[key] = value
    at.switch_page(path)
    at.run()
    assert not at.exception, at.exception[0].message
    return at


def test_every_page_link_is_its_file_name():
    """Streamlit's old-style pages/ run (a server's first runs) finds the page for a link by the file's
    name, and the shell's st.navigation by the link: the two must agree, or a cold link to the page
    would open another one."""
    for path, url in ((p.path, p.url) for p in shell.PAGES):
        assert (ROOT / path).is_file()
        assert Path(path).parent.name == "pages" and Path(path).stem == url


def test_pages_are_the_shells_list():
    """Every file in pages/ is in the shell's list (a file outside it would be reachable only through
    Streamlit's old-style folder run, without the shell)."""
    assert sorted(p.name for p in (ROOT / "pages").glob("*.py")) == sorted(Path(p.path).name for p in shell.PAGES)


@pytest.mark.parametrize("path", [p.path for p in shell.PAGES])
def test_a_page_run_without_the_shell_starts_over_in_app_py(monkeypatch, path):
    """A page file run alone (pages/ as an old-style folder) draws nothing and starts over once; the
    rerun goes through app.py and draws the page inside the shell."""
    calls: list[str] = []
    start_over = shell._start_over_in_app

    def counted():
        calls.append(path)
        start_over()

    monkeypatch.setattr(shell, "_start_over_in_app", counted)
    at = open_through_pages_folder(path, kommune="4631")
    assert calls == [path]
    assert [title.value for title in at.sidebar.title] == ["Legeplan"]
    title = next(p.title for p in shell.PAGES if p.path == path)
    assert at.title[0].value.startswith(title), (at.title[0].value, title)
    assert at.query_params["kommune"] == "4631"


def test_a_page_opened_as_tests_open_it_never_starts_over(monkeypatch):
    """tests/apptest_util opens app.py as the server runs it after its first run: no start-over."""
    from tests.apptest_util import open_page

    def refuse():
        raise AssertionError("the page ran without the shell")

    monkeypatch.setattr(shell, "_start_over_in_app", refuse)
    at = open_page("pages/kapasitet.py", kommune="4631")
    assert at.title[0].value == "Fastlegekapasitet – Alver"
