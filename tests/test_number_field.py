"""Norwegian number fields: «2,5» is two and a half (a number input would make it 25)."""

from __future__ import annotations

import pytest

from core.params import parse_typed_number
from tests.apptest_util import lever, open_page
from ui import number_field

PAGE = "pages/legeoppgaver.py"


@pytest.mark.parametrize(("typed", "integer", "expected"), [
    ("2,5", False, 2.5), ("2.5", False, 2.5), ("1 234,5", False, 1234.5), ("1\u00a0234,5", False, 1234.5),
    ("1.234,56", False, 1234.56), ("1,234.56", False, 1234.56), ("4 000 000 kr", True, 4_000_000),
    ("1.000.000", True, 1_000_000), ("1.000", True, 1000), ("1.000", False, 1.0), ("−3", False, -3),
    (",5", False, 0.5), ("12 %", False, 12),
    ("abc", False, None), ("nan", False, None), ("inf", False, None), ("1e5", False, None), ("", False, None),
    ("1,2,3", False, None), ("-", False, None), ("<b>1</b>", False, None),
])
def test_parse_typed_number(typed, integer, expected):
    assert parse_typed_number(typed, integer=integer) == expected


def test_read_clamps_to_the_bounds_and_says_so():
    value, message = number_field.read("750", 0, 500, 2, "Legeårsverk")
    assert value == 500.0
    assert message == "«Legeårsverk»: 750 er utenfor tillatt område (0 til 500); 500 brukes."
    assert number_field.read("2,5", 0, 10, 0, "Leger") == (None, "«Leger»: skriv et helt tall (ikke «2,5»).")


def test_shown_is_norwegian_without_trailing_zeros():
    assert number_field.shown(19.75, 2) == "19,75"
    assert number_field.shown(5.0, 2) == "5"
    assert number_field.shown(4_000_000, 0) == "4\u00a0000\u00a0000"


def test_a_lever_field_reads_a_comma_as_the_decimal_sign():
    at = open_page(PAGE, kommune="1103")
    field = lever(at, "sh_current_fte")
    field.widget.set_value("12,5").run()
    assert not at.exception
    assert lever(at, "sh_current_fte").value == 12.5
    assert at.query_params["sh_current_fte"] == "12.5"
    assert lever(at, "sh_current_fte").widget.value == "12,5"


def test_a_lever_field_with_text_keeps_the_value_and_says_why():
    at = open_page(PAGE, kommune="1103", sh_current_fte="7.5")
    lever(at, "sh_current_fte").widget.set_value("tolv").run()
    assert not at.exception
    assert any("«tolv» er ikke et tall" in w.value for w in at.warning)
    assert lever(at, "sh_current_fte").value == 7.5
    assert lever(at, "sh_current_fte").widget.value == "7,5"


def test_a_lever_field_out_of_range_goes_to_the_bound():
    at = open_page(PAGE, kommune="1103")
    lever(at, "sh_current_fte").widget.set_value("9 999").run()
    assert any("utenfor tillatt område" in w.value for w in at.warning)
    assert lever(at, "sh_current_fte").value == 500.0


def test_stale_field_text_in_the_same_rerun_as_a_slider_move_does_not_undo_it(monkeypatch):
    """The browser may run the field's callback after the slider has moved in the same rerun (two quick arrow
    presses; the field still held the text from before the first). The slider's value wins."""
    from types import SimpleNamespace

    from ui import number_field as nf

    state = {"lv_x": 2, nf.text_key("lv_x"): "0", nf._RENDERED + "lv_x": 1}  # shown 1, slider now 2, text stale
    monkeypatch.setattr(nf, "st", SimpleNamespace(session_state=state))
    nf._typed("lv_x", 0, 10, 0, "X", None)
    assert state["lv_x"] == 2 and state[nf.text_key("lv_x")] == "2"
    state[nf._RENDERED + "lv_x"] = 2  # the next run showed 2; now the user types 5
    state[nf.text_key("lv_x")] = "5"
    nf._typed("lv_x", 0, 10, 0, "X", None)
    assert state["lv_x"] == 5 and state[nf.text_key("lv_x")] == "5"
