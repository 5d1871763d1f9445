"""The meeting view (ui.meeting) on Økonomi, Kontorstruktur and Kommunale legeoppgaver: AppTests of each page
with ?mote=1, and exact numbers for the tile helpers (ui.meeting_tiles and the pages' `tiles`)."""

from __future__ import annotations

import pytest

from core import duties as du
from core import economy as eco
from core import offices as of
from core.i18n import t
from tests.apptest_util import button, lever, open_page, visible_text
from ui.export_view import CURRENT
from ui.headlines import BAD, GOOD, NEUTRAL

LEVER_WIDGETS = ("slider", "number_input", "text_input", "toggle", "selectbox")


def _lever_keys(at) -> list[str]:
    """The lever widgets on screen, sorted (a typed field beside a slider counts once)."""
    keys = [w.key for kind in LEVER_WIDGETS for w in getattr(at, kind) if w.key and w.key.startswith("lv_")]
    return sorted(dict.fromkeys(k.removesuffix("__tekst") for k in keys))


def _tile(at, label_start: str):
    found = [m for m in at.metric if str(m.label).startswith(label_start)]
    assert len(found) == 1, [m.label for m in at.metric]
    return found[0]


# --- the tile helper ------------------------------------------------------------------------------------------

def test_against_shows_the_change_as_rounded_and_never_green_for_a_rise_where_lower_is_better():
    from ui.meeting_tiles import against, change_tone, shown_change

    assert shown_change(38.006, 37.96, 1) == 0.0  # 38,0 and 38,0: no change shown
    assert shown_change(46.04, 38.006, 1) == 8.0
    assert change_tone(8.0, True) == BAD and change_tone(-8.0, True) == GOOD and change_tone(8.0, None) == NEUTRAL
    tile = against("k", "Kostnad", "799 800 kr", 799_800.4, 710_906.2, "Alver", unit="kr")
    assert (tile.delta, tile.tone, tile.arrow, tile.note) == ("+88\u00a0894\u00a0kr", BAD, "up", "mot «Alver»")
    same = against("k", "Kostnad", "1", 1.0, 1.4, "Alver")
    assert (same.delta, same.tone, same.arrow, same.note) == ("som i scenarioet", NEUTRAL, "off", None)
    never = against("b", "Selvfinansierende ved", "aldri", None, 1397.0, "Alver", before_value="1 397 pasienter")
    assert (never.delta, never.tone) == ("var 1 397 pasienter", BAD)
    millions = against("c", "Kostnad", "8,9 mill. kr", 8_888_000.0, 4_300_000.0, "S", decimals=1, scale=1e6,
                       unit="mill. kr")
    assert millions.delta == "+4,6\u00a0mill. kr" and millions.tone == BAD


# --- Økonomi: the Alver case ----------------------------------------------------------------------------------

def _alver() -> eco.EconomyParams:
    return eco.defaults_for("2021", list_length=1131)


def test_economy_tiles_alver_case_exact():
    from dataclasses import replace

    from ui.meeting_okonomi import tiles

    period = eco.PERIODS["2021"]
    params = _alver()
    same = tiles(params, params, period, eco.ALVER_CASE, "Alver")
    assert [x.value for x in same] == ["710\u00a0906\u00a0kr", "458\u00a0213\u00a0kr", "700\u00a0000\u00a0kr",
                                       "1\u00a0397 pasienter"]
    assert all(x.delta == "som i scenarioet" and x.tone == NEUTRAL for x in same)
    assert same[1].label == "Fastlønn: netto per år (eksempelkostnader)"
    longer = tiles(replace(params, list_length=1300), params, period, eco.ALVER_CASE, "Alver")
    # 169 more patients: næringsdrift pays more basistilskudd (red), fastlønn earns more (green)
    assert [(x.delta, x.tone) for x in longer[:3]] == [("+88\u00a0894\u00a0kr", BAD), ("-291\u00a0018\u00a0kr", GOOD),
                                                       ("som i scenarioet", NEUTRAL)]
    assert longer[3].delta == "som i scenarioet"  # the break-even does not move with the list


def test_economy_salary_up_is_red():
    from dataclasses import replace

    from ui.meeting_okonomi import tiles

    params = _alver()
    higher = tiles(replace(params, salary=1_500_000), params, eco.PERIODS["2021"], eco.ALVER_CASE, "Alver")
    fastlonn, self_financing = higher[1], higher[3]
    assert fastlonn.tone == BAD and fastlonn.delta.startswith("+") and fastlonn.arrow == "up"
    assert self_financing.tone == BAD and self_financing.delta.startswith("+")


# --- Kontorstruktur: Øyer --------------------------------------------------------------------------------------

def _oyer(absence: of.AbsenceParams):
    from core import db

    con = db.connect()
    try:
        case = of.reference_case(of.reference_rows(con, of.OYER_CASE), of.OYER_CASE)
    finally:
        con.close()
    offices, _ = of.parse_offices(case.table)
    models = (of.Model(t(of.TODAY), source=case.source), *case.models)
    return of.compare(offices, models, absence)[0]


def test_office_tiles_oyer_exact():
    from dataclasses import replace

    from ui.meeting_kontor import tiles

    before = _oyer(of.AbsenceParams())
    same = tiles(before, before, of.AbsenceParams(), "Øyer")
    assert [x.value for x in same] == ["7\u00a0331\u00a0972\u00a0kr", "6\u00a0246\u00a0372\u00a0kr", "38,0", "0,4"]
    assert same[1].delta == "-1\u00a0085\u00a0600 kr mot i dag" and same[1].tone == NEUTRAL  # a fact, not a verdict
    assert same[2].label == "I dag: stengte kontordager per år (eksempel)"
    nights = replace(of.AbsenceParams(), night_rest_days=20)
    more = tiles(_oyer(nights), before, nights, "Øyer")
    assert [(x.value, x.delta, x.tone) for x in more[2:]] == [("46,0", "+8,0", BAD), ("0,7", "+0,3", BAD)]
    assert more[1].value == "6\u00a0246\u00a0372\u00a0kr"  # absence moves no cost


def test_edited_table_applies_the_editor_state():
    import pandas as pd

    from ui.meeting_kontor import edited_table

    table = pd.DataFrame({"name": ["A", "B"], "gps": [2.0, 3.0]})
    out = edited_table(table, {"edited_rows": {"1": {"gps": 4.0}}, "added_rows": [{"name": "C", "gps": 1.0}],
                               "deleted_rows": [0]})
    assert out.to_dict("list") == {"name": ["B", "C"], "gps": [4.0, 1.0]}
    assert edited_table(table, None) is table


# --- Kommunale legeoppgaver: Stavanger ------------------------------------------------------------------------

def _stavanger():
    from core import db
    from core.params import with_defaults_from

    con = db.connect()
    try:
        case = du.stavanger_case(con)
    finally:
        con.close()
    shared = du.SharedParams()
    nh_p = with_defaults_from(du.NursingHomeParams, du.stavanger_defaults(case))
    return case, shared, nh_p


def _last(growth):
    return {k: float(v) for k, v in growth.iloc[-1].items()}


def test_nursing_tiles_stavanger_norms_exact():
    from dataclasses import replace

    from ui.meeting_legeoppgaver import tiles

    case, shared, nh_p = _stavanger()
    nh = du.nursing_home(nh_p, shared)
    growth = du.nursing_home_growth(nh_p, shared, 2023)
    norm = du.norm_in_force(case, nh_p)
    same = tiles(nh, nh, _last(growth), _last(growth), norm, [], [], "Stavanger")
    assert [x.value for x in same] == ["24,96", "+5,21", "8,9\u00a0mill.\u00a0kr", "+5,21"]
    assert same[0].label == "Legeårsverk etter normen (Legeplans tilbakeregning)"
    # Legeforeningen's 2002 norm (20 minutes per long-term place): less than today – the gap shrinks, but
    # because the norm asks for less: grey, never green
    sourced = du.sourced_norm_params(nh_p)
    low = du.nursing_home(sourced, shared)
    lower = tiles(low, nh, _last(du.nursing_home_growth(sourced, shared, 2023)), _last(growth),
                  du.norm_in_force(case, sourced), [], [], "Stavanger")
    # (798 × 20 + 213 × 90) / 60 = 585,5 hours / 37,5 = 15,61 FTE; 15,61 − 19,75 = −4,14; −4,14 − 5,21 = −9,35
    assert lower[0].value == "15,61" and lower[1].value == "-4,14"
    assert lower[1].delta == "-9,35" and lower[1].tone == NEUTRAL and lower[0].tone == NEUTRAL
    assert lower[2].label == "Kostnad ut over normen per år"
    # two more doctor FTE today: the gap shrinks with the norm unchanged – green; its cost 5,21 × 1 705 795 kr =
    # 8,9 mill. → 3,21 × 1 705 795 kr = 5,5 mill.
    staffed = replace(nh_p, sh_current_fte=nh_p.sh_current_fte + 2)
    more = tiles(du.nursing_home(staffed, shared), nh, _last(du.nursing_home_growth(staffed, shared, 2023)),
                 _last(growth), norm, [], [], "Stavanger")
    assert [(x.delta, x.tone) for x in more] == [("som i scenarioet", NEUTRAL), ("-2,00", GOOD),
                                                 ("-3,4\u00a0mill. kr", GOOD), ("-2,00", GOOD)]


# --- the pages (AppTest) -------------------------------------------------------------------------------------

PAGES = [
    ("pages/okonomi.py", {"kommune": "4631", "referanse": "alver_2021"},
     ["lv_list_length", "lv_salary", "lv_office_cost", "lv_staff_fte"], "Fastlønn: netto per år", "salary", 1_400_000),
    ("pages/kontor.py", {"kommune": "3440"},
     ["lv_night_rest_days", "lv_municipal_days", "lv_holiday_days", "lv_course_days"],
     "I dag: stengte kontordager", "night_rest_days", 20),
    ("pages/legeoppgaver.py", {"kommune": "1103"},
     ["lv_sh_norm_long_term", "lv_sh_norm_short_term", "lv_sh_current_fte", "lv_sh_new_long_term"],
     "Gap mot normen (årsverk)", "sh_current_fte", 21.75),
]


@pytest.mark.parametrize(("page", "query", "keys", "tile", "name", "value"), PAGES,
                         ids=["okonomi", "kontor", "legeoppgaver"])
def test_meeting_view_shows_the_picked_levers_and_answers_against_the_scenario(page, query, keys, tile, name, value):
    at = open_page(page, mote="1", **query)
    assert _lever_keys(at) == sorted(keys)  # only the picked levers; no sidebar levers, no page pickers
    assert not at.main.title and len(at.get("vega_lite_chart")) == 1
    assert f"Scenario: «{CURRENT}»" in visible_text(at)
    assert _tile(at, tile).delta == "som i scenarioet"
    assert button(at, "Behold som nytt scenario").disabled and button(at, "Forkast endringene").disabled
    before = _tile(at, tile).value
    lever(at, name).set_value(value).run()
    assert not at.exception
    changed = _tile(at, tile)
    assert changed.value != before and str(changed.delta)[0] in "+-" and "endret i møtet" in visible_text(at)
    assert name in at.query_params
    button(at, "Forkast endringene").click().run()
    assert _tile(at, tile).value == before and _tile(at, tile).delta == "som i scenarioet"
    assert name not in at.query_params


def test_picked_levers_across_the_duties_classes_are_part_of_the_link():
    at = open_page("pages/legeoppgaver.py", kommune="1103", motespaker="felles_fte_cost,vakt_evening,hs_fte")
    picker = next(w for w in at.sidebar.multiselect if w.key == "motespaker_valg")
    assert picker.value == ["felles_fte_cost", "vakt_evening", "hs_fte"]
    button(at, "Møtevisning").click().run()
    assert at.query_params["mote"] == "1"
    assert _lever_keys(at) == ["lv_felles_fte_cost", "lv_hs_fte", "lv_vakt_evening"]
    button(at, "Avslutt møtevisning").click().run()
    assert "mote" not in at.query_params and at.title[0].value == "Kommunale legeoppgaver – Stavanger"


@pytest.mark.parametrize(("page", "query", "words"), [
    ("pages/okonomi.py", {"kommune": "4631", "referanse": "alver_2021"}, ["Fastløn: netto per år", "pasientar"]),
    ("pages/kontor.py", {"kommune": "3440"}, ["I dag: stengde kontordagar per år"]),
    ("pages/legeoppgaver.py", {"kommune": "1103"}, ["Legeårsverk etter norma"]),
], ids=["okonomi", "kontor", "legeoppgaver"])
def test_meeting_views_in_nynorsk(page, query, words):
    at = open_page(page, mote="1", malform="nn", **query)
    text = visible_text(at)
    assert "som i scenarioet" in text and button(at, "Behald som nytt scenario").disabled
    for word in words:
        assert word in text, word
    chart = at.get("vega_lite_chart")[0]
    assert "scenarioet som vart opna" in str(chart.proto.spec)  # the ghost's name in the legend
