"""ui.shell: how a page is reached. app.py runs the shell, which runs the page the link names (pages/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.apptest_util import APP, open_page
from ui import shell

ROOT = Path(APP).parent


def test_every_page_link_is_its_file_name():
    """Streamlit's old-style pages/ run (a server's first runs, every AppTest run) finds the page for a
    link by the file's name, and the shell's st.navigation by the link: the two must agree, or a cold
    link to the page would open another one."""
    for path, _title, _icon, url in shell.PAGES:
        assert (ROOT / path).is_file()
        assert Path(path).parent.name == "pages" and Path(path).stem == url


def test_pages_are_the_shells_list():
    """Every file in pages/ is in the shell's list (a file outside it would be reachable only through
    Streamlit's old-style folder run, without the shell)."""
    assert sorted(p.name for p in (ROOT / "pages").glob("*.py")) == sorted(Path(p).name for p, *_ in shell.PAGES)


@pytest.mark.parametrize("path", [path for path, *_ in shell.PAGES])
def test_a_page_run_without_the_shell_starts_over_in_app_py(monkeypatch, path):
    """AppTest runs the page file first, without app.py (ui/shell.py: pages/ as an old-style folder):
    the page draws nothing then, the run starts over once, and app.py draws it inside the shell."""
    calls: list[str] = []
    start_over = shell._start_over_in_app

    def counted():
        calls.append(path)
        start_over()

    monkeypatch.setattr(shell, "_start_over_in_app", counted)
    at = open_page(path, kommune="4631")  # asserts no exception and the shell's sidebar
    assert calls == [path]
    title = next(t for p, t, _i, _u in shell.PAGES if p == path)
    assert at.title[0].value.startswith(title), (at.title[0].value, title)
