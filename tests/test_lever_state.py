"""lever_ui.panel (the whole lever sequence in one call) on a tiny registry, and the one home of lever
state: no module but ui/state.py and ui/levers.py names the session keys where levers are kept."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest_util import button, lever

ROOT = Path(__file__).resolve().parent.parent


def _app():
    """A one-page app with a lever panel and a second page without it; flags in the session steer it."""
    import streamlit as st

    from tests import tiny_levers as tl
    from ui import levers as lever_ui
    from ui import state

    page = st.session_state.get("test_page", "levers")
    state.restore_page_query(page)  # as the shell does around every page
    if page == "levers":
        defaults = tl.Tiny(rate=st.session_state.get("test_rate", 500.0))
        scope = st.session_state.get("test_scope", "a")
        if st.session_state.get("test_several"):
            st.session_state["test_params"] = lever_ui.panel(
                (tl.Tiny, tl.Other), {tl.Tiny: defaults, tl.Other: tl.Other()}, scope=scope, shown=(tl.Tiny,),
                layout=lever_ui.HEADINGS, on_reset=lambda: st.session_state.update(test_reset=True))
        else:
            st.session_state["test_params"] = lever_ui.panel(
                tl.Tiny, defaults, scope=scope, where=st.sidebar if st.session_state.get("test_draw", True) else None,
                expanded=(tl.FIRST,), fit=tl.fit, messages=st.session_state.get("test_messages", True))
    state.remember_page_query(page)


def _open(**query: str) -> AppTest:
    at = AppTest.from_function(_app, default_timeout=30)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception[0].message
    return at


def _run(at: AppTest, **flags) -> AppTest:
    for key, value in flags.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, at.exception[0].message
    return at


def _params(at: AppTest):
    return at.session_state["test_params"]


def test_panel_draws_heading_reset_button_and_levers_by_group_and_returns_the_defaults():
    from tests.tiny_levers import Tiny

    at = _open()
    assert [h.value for h in at.sidebar.header] == ["Spaker"]
    assert [b.label for b in at.sidebar.button] == ["Tilbakestill spakene"]
    assert [(e.label, e.proto.expanded) for e in at.sidebar.expander] == [("Første", True), ("Andre", False)]
    # each lever gets the widget its registry entry declares (Lever.widget_kind)
    assert [s.label for s in at.sidebar.slider] == ["Antall (personer)", "Andel (%)"]
    assert lever(at, "rate").label == "Sats (kr)" and lever(at, "on").label == "På"
    assert _params(at) == Tiny()
    assert not {"count", "share", "rate", "on"} & set(at.query_params)


def test_a_moved_lever_goes_to_the_link_and_the_reset_button_brings_the_defaults_back():
    from tests.tiny_levers import Tiny

    at = _open()
    lever(at, "count").set_value(7)
    lever(at, "share").set_value(50.0)
    lever(at, "on").set_value(True)
    at.run()
    assert _params(at) == Tiny(count=7, share=0.5, on=True)
    assert (at.query_params["count"], at.query_params["share"], at.query_params["on"]) == ("7", "0.5", "1")
    button(at, "Tilbakestill spakene").click().run()
    assert _params(at) == Tiny() and lever(at, "count").value == 3
    assert not {"count", "share", "on"} & set(at.query_params)


def test_an_old_name_in_a_link_is_read_into_the_renamed_lever_and_never_comes_back_after_a_reset():
    """Lever(aliases=...): a link written before a lever was renamed opens with its value; the link then carries
    the current name only, so resetting the lever cannot bring the old value back from the old key."""
    from tests.tiny_levers import Tiny

    at = _open(antall_gammel="6")
    assert _params(at) == Tiny(count=6) and lever(at, "count").value == 6
    assert at.query_params["count"] == "6" and "antall_gammel" not in at.query_params
    button(at, "Tilbakestill spakene").click().run()
    assert _params(at) == Tiny() and not {"count", "antall_gammel"} & set(at.query_params)
    at.session_state["test_page"] = "other"
    at.run()
    at.session_state["test_page"] = "levers"
    at.run()  # back on the page: the remembered link must not hold the old key either
    assert _params(at) == Tiny()


def test_a_link_seeds_the_levers_once_with_a_message_for_a_bad_value():
    from tests.tiny_levers import Tiny

    at = _open(count="5", share="0.4", rate="mange")
    assert _params(at) == Tiny(count=5, share=0.4)
    assert lever(at, "share").value == pytest.approx(40.0)
    assert any("«Sats»" in w.value and "ikke et tall" in w.value for w in at.warning)
    lever(at, "count").set_value(6).run()  # the link was read once: the widget now decides
    assert _params(at).count == 6 and at.query_params["count"] == "6"
    assert not at.warning  # the message was shown once


def test_remembered_values_survive_a_visit_to_another_page():
    at = _open()
    lever(at, "count").set_value(7).run()
    _run(at, test_page="other")
    _run(at)  # a second run on the other page: Streamlit has dropped the lever widgets by now
    assert "count" not in at.query_params  # the other page's link is its own
    assert not at.slider
    _run(at, test_page="levers")
    assert lever(at, "count").value == 7 and _params(at).count == 7
    assert at.query_params["count"] == "7"


def test_a_new_scope_sets_the_levers_back_to_its_defaults():
    at = _open()
    lever(at, "count").set_value(7).run()
    _run(at, test_scope="b")
    assert lever(at, "count").value == 3 and "count" not in at.query_params


def test_a_lever_whose_default_follows_the_starting_point_moves_with_it_until_the_user_moves_it():
    at = _open()
    _run(at, test_rate=600.0)  # the starting point's rate changes, same scope
    assert _params(at).rate == 600.0 and "rate" not in at.query_params
    lever(at, "rate").set_value(700).run()
    _run(at, test_rate=650.0)  # the user's own value stays
    assert _params(at).rate == 700.0 and at.query_params["rate"] == "700"


def test_the_pages_fit_applies_and_its_message_is_shown_unless_the_caller_shows_messages_itself():
    at = _open(count="9")
    assert _params(at).count == 8 and at.query_params["count"] == "8"
    assert [w.value for w in at.warning] == ["Antall er satt ned til 8."]
    quiet = AppTest.from_function(_app, default_timeout=30)
    quiet.session_state["test_messages"] = False
    quiet.query_params["count"] = "9"
    quiet.run()
    assert _params(quiet).count == 8 and not quiet.warning


def test_without_a_container_the_levers_are_read_and_kept_in_the_link_but_not_drawn():
    at = AppTest.from_function(_app, default_timeout=30)
    at.session_state["test_draw"] = False
    at.query_params["count"] = "4"
    at.run()
    assert not at.exception
    assert not at.slider and not at.button and not at.header
    assert _params(at).count == 4 and at.query_params["count"] == "4"


def test_several_classes_draw_the_shown_ones_read_all_and_reset_all():
    from tests.tiny_levers import Other, Tiny

    at = AppTest.from_function(_app, default_timeout=30)
    at.session_state["test_several"] = True
    at.query_params["extra"] = "4"
    at.run()
    assert not at.exception
    assert [m.value for m in at.sidebar.markdown] == ["**Første**", "**Andre**"]  # HEADINGS, Tiny's only
    assert _params(at) == {Tiny: Tiny(), Other: Other(extra=4)}
    lever(at, "count").set_value(2).run()
    button(at, "Tilbakestill spakene").click().run()
    assert _params(at) == {Tiny: Tiny(), Other: Other()}
    assert "extra" not in at.query_params and at.session_state["test_reset"] is True


# --- one home for lever state ---------------------------------------------------------------------------

HOME = {ROOT / "ui" / "state.py", ROOT / "ui" / "levers.py"}
# The session keys levers and page links are kept under, and the old ones they replaced.
PRIVATE = re.compile(r"""["'](lv_|_lever_scope|_lever_values|_page_query|_last_page|_okonomi_params|_okonomi_period)"""
                     r"""|_remembered_key|\b(state|lever_ui|scenario|scenario_ui)\._[A-Za-z]""")


def _app_modules() -> list[Path]:
    """The app's own code (tests and bench drive widgets by key, as a user would, and are left out)."""
    return sorted([ROOT / "app.py", *ROOT.glob("core/*.py"), *ROOT.glob("ui/*.py"), *ROOT.glob("pages/*.py"),
                   *ROOT.glob("tools/*.py")])


def test_no_module_but_ui_state_and_ui_levers_names_the_lever_state_keys():
    found = [f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
             for path in _app_modules() if path not in HOME
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if PRIVATE.search(line)]
    assert not found, "use ui.state's lever API (lever_key, page_query, set_page_query, …):\n" + "\n".join(found)


def test_the_widget_a_lever_gets_is_decided_by_the_registry_only():
    """ui/levers.py draws what Lever.widget_kind says; no step count or range decides it in ui/."""
    source = (ROOT / "ui" / "levers.py").read_text(encoding="utf-8")
    assert "lv.widget_kind" in source
    for path in ROOT.glob("ui/*.py"):
        text = path.read_text(encoding="utf-8")
        assert "MAX_SLIDER_STEPS" not in text, path.name
        if path.name not in ("levers.py", "number_field.py"):
            assert not re.search(r"\.(slider|number_input)\(", text), f"{path.name} draws a lever widget itself"
