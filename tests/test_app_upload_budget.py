"""AppTest: the Data page parses an upload once (issue 24, finding 8), in a child process within the upload
budget, and shows a hostile file's refusal in Norwegian with no «Bekreft» (the upload is put in session state:
AppTest cannot drive st.file_uploader)."""

from __future__ import annotations

import pytest

from core import upload_budget
from tests import apptest_util
from tests.apptest_util import visible_text
from tests.test_app_data import _alver_upload
from tests.test_upload_budget import jsonstat_bomb
from ui import data_view

PAGE = "pages/data.py"


@pytest.fixture(autouse=True)
def user_db(tmp_path, monkeypatch):
    path = tmp_path / "bruker.duckdb"
    monkeypatch.setenv("LEGEPLAN_USER_DB", str(path))
    return path


@pytest.fixture
def parses(monkeypatch) -> list[str]:
    """The file names parse_isolated was called with, while the real parse still runs."""
    calls: list[str] = []
    real = upload_budget.parse_isolated

    def counting(parse, data, file_name, *args, **kwargs):
        calls.append(file_name)
        return real(parse, data, file_name, *args, **kwargs)

    monkeypatch.setattr(upload_budget, "parse_isolated", counting)
    return calls


def test_upload_parsed_once_across_reruns(con, parses):
    at = apptest_util.open_page(PAGE, kommune="4631")
    at.session_state[data_view.PENDING] = ("12005_alver.csv", _alver_upload(con))
    at.run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Endrede"] == "1"
    for _ in range(3):  # reruns: a widget change, a plain rerun
        at.text_input[0].input("SSB, lastet ned 5.12.2026").run()
        assert not at.exception
        assert {m.label: m.value for m in at.metric}["Endrede"] == "1"
    assert parses == ["12005_alver.csv"]
    changed = _alver_upload(con).replace(b'"4631 Alver";', b'"4631 Alver" ;', 1)  # other content: parsed anew
    at.session_state[data_view.PENDING] = ("12005_alver_2.csv", changed)
    at.run()
    assert parses == ["12005_alver.csv", "12005_alver_2.csv"]


def test_hostile_upload_refused_on_the_page_in_norwegian(parses):
    at = apptest_util.open_page(PAGE, kommune="4631")
    at.session_state[data_view.PENDING] = ("12005.json", jsonstat_bomb())
    at.run()
    assert not at.exception
    text = visible_text(at) + " ".join(e.value for e in at.error)
    assert "JSON-stat-filen oppgir 5\u00a0000\u00a0000 celler" in text or any(
        "JSON-stat-filen oppgir 5\u00a0000\u00a0000 celler" in df.value.to_string() for df in at.dataframe)
    assert not [b for b in at.button if "Bekreft" in b.label]
    at.run()
    assert parses == ["12005.json"]
