"""AppTest: which målform a link opens in, and how the sidebar switch and the kommune change it."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.apptest_util import new_app


def _open(**query: str) -> AppTest:
    at = new_app()
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception[0].message
    return at


def _switch(at: AppTest):
    return next(r for r in at.radio if r.key == "malform_valg")


def _sidebar_caption(at: AppTest) -> str:
    return " ".join(str(c.value) for c in at.sidebar.caption)


def test_alver_opens_in_nynorsk_and_stavanger_in_bokmaal():
    alver = _open(kommune="4631")
    assert _switch(alver).value == "nn"
    assert "Tal frå SSB" in _sidebar_caption(alver)
    assert alver.query_params["malform"] == "nn"
    stavanger = _open(kommune="1103")
    assert _switch(stavanger).value == "nb"
    assert "Tall fra SSB" in _sidebar_caption(stavanger)


def test_a_kommune_without_data_opens_in_bokmaal():
    assert _switch(_open(kommune="0301")).value == "nb"


def test_the_link_wins_over_the_kommune():
    at = _open(kommune="4631", malform="nb")
    assert _switch(at).value == "nb"
    assert "Tall fra SSB" in _sidebar_caption(at)


def test_a_bad_malform_in_the_link_gives_a_message_and_the_kommune_default():
    at = _open(kommune="1103", malform="<script>")
    assert _switch(at).value == "nb"
    warnings = " ".join(str(w.value) for w in at.warning)
    assert "er ikke en målform" in warnings
    assert "<script>" not in warnings


def test_without_a_choice_the_malform_follows_the_kommune():
    at = _open(kommune="4631")
    assert _switch(at).value == "nn"
    at.sidebar.selectbox(key="kommune").set_value("1103").run()
    assert _switch(at).value == "nb"
    at.sidebar.selectbox(key="kommune").set_value("4631").run()
    assert _switch(at).value == "nn"


def test_a_choice_in_the_sidebar_sticks_when_the_kommune_changes():
    at = _open(kommune="1103")
    _switch(at).set_value("nn").run()
    assert "Tal frå SSB" in _sidebar_caption(at)
    assert at.query_params["malform"] == "nn"
    at.sidebar.selectbox(key="kommune").set_value("0301").run()
    assert _switch(at).value == "nn"
    _switch(at).set_value("nb").run()
    assert "Tall fra SSB" in _sidebar_caption(at)


def test_the_data_page_names_datasets_in_nynorsk():
    at = _open(kommune="4631")
    at.switch_page("pages/data.py")
    at.run()
    assert not at.exception
    shown = "\n".join(df.value.to_csv(index=False) for df in at.dataframe)
    assert "Fastlegestatistikk per kommune og år" in shown
    assert "ikkje stadfesta" in shown and "ikke bekreftet" not in shown
