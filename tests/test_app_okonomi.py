"""AppTest: the Økonomi page, its levers, periods, the Alver case and links."""

from __future__ import annotations

from dataclasses import replace

import pytest

from core import economy as eco
from core.params import levers
from tests import apptest_util
from tests.apptest_util import BAD_SHOWN, lever, metrics, squash, visible_text
from ui import fmt

PAGE = "pages/okonomi.py"


def open_page(**query: str):
    return apptest_util.open_page(PAGE, **query)


def everything(at) -> str:
    """All visible text and every table, to see whether anything moved."""
    return visible_text(at) + "".join(df.value.to_csv() for df in at.dataframe)


def expected_tiles(params: eco.EconomyParams, period: eco.RulePeriod) -> dict[str, str]:
    c = eco.hjemmel_cost(params, period)
    return {
        "Næringsdrift: netto per år": squash(fmt.kroner(c.naeringsdrift)),
        "Fastlønn: netto per år": squash(fmt.kroner(c.fastlonn)),
        "Blandet drift: netto per år": squash(fmt.kroner(c.blandet)),
        "Inntekt som trengs per konsultasjon": squash(fmt.kroner(eco.income_needed_per_consultation(params))),
    }


def test_page_opens_with_defaults_and_shows_what_the_model_computes():
    at = open_page(kommune="4631")
    assert at.title[0].value == "Økonomi – Alver"
    shown = metrics(at)
    params = eco.defaults_for(eco.DEFAULT_PERIOD)
    for label, value in expected_tiles(params, eco.PERIODS[eco.DEFAULT_PERIOD]).items():
        assert shown[label] == value, label
    assert shown["Næringsdrift: netto per år"] == "841800kr"  # 1 000 × 841,80
    be = eco.break_even_vs_naeringsdrift(params, eco.PERIODS[eco.DEFAULT_PERIOD])
    assert shown["Fastlønn like dyrt som næringsdrift ved"] == squash(fmt.number(be))
    text = visible_text(at)
    assert not BAD_SHOWN.search(text)
    assert "eksempelverdier" in text
    charts = len(at.get("vega_lite_chart"))
    assert charts == 3
    assert sum("Kilde:" in c.value for c in at.caption) >= charts + len(at.dataframe)


def test_alver_case_uses_the_2021_rates():
    at = open_page(kommune="4631", referanse="alver_2021")
    shown = metrics(at)
    assert shown["Næringsdrift: netto per år"] == "642000kr"  # 1 000 × 642
    assert lever(at, "copayment_per_consultation").value == 160
    assert "Alver 2021: ny 100 % kommunal fastlege" in [s.value for s in at.subheader]


def test_choosing_the_alver_case_switches_the_period():
    at = open_page(kommune="0301")
    at.selectbox(key="referanse").set_value("alver_2021")
    at.run()
    assert not at.exception
    assert at.selectbox(key="periode").value == "2021"
    assert metrics(at)["Næringsdrift: netto per år"] == "642000kr"


@pytest.mark.parametrize(("period", "basis"), [("2016", "442000kr"), ("2021", "642000kr"),
                                               ("2022", "675000kr"), ("2023", "841800kr")])
def test_each_rule_period(period, basis):
    at = open_page(kommune="4631")
    at.selectbox(key="periode").set_value(period)
    at.run()
    assert not at.exception
    assert metrics(at)["Næringsdrift: netto per år"] == basis
    assert lever(at, "copayment_per_consultation").value == eco.PERIODS[period].copayment


def test_tier_break_at_1000_on_screen():
    at = open_page(kommune="4631", periode="2021", list_length="1200")
    assert metrics(at)["Næringsdrift: netto per år"] == squash(fmt.kroner(642_000 + 200 * 526))


def test_a_changed_lever_survives_a_period_change():
    at = open_page(kommune="4631")
    lever(at, "salary").set_value(1_500_000)
    at.run()
    at.selectbox(key="periode").set_value("2021")
    at.run()
    assert lever(at, "salary").value == 1_500_000
    assert lever(at, "copayment_per_consultation").value == 160


def test_tiles_follow_several_levers():
    at = open_page(kommune="4631")
    lever(at, "list_length").set_value(1400)
    lever(at, "other_income_per_consultation").set_value(250)
    lever(at, "salary").set_value(1_600_000)
    lever(at, "mixed_gp_payment").set_value(200_000)
    at.run()
    assert not at.exception
    params = replace(eco.defaults_for(eco.DEFAULT_PERIOD), list_length=1400, other_income_per_consultation=250,
                     salary=1_600_000, mixed_gp_payment=200_000)
    shown = metrics(at)
    for label, value in expected_tiles(params, eco.PERIODS[eco.DEFAULT_PERIOD]).items():
        assert shown[label] == value, label
    self_fin = eco.break_even_self_financing(params)
    assert shown["Fastlønn selvfinansierende ved"] == (
        squash(fmt.number(self_fin)) if self_fin <= 2500 else "over2500")


def _other_value(lv, current):
    if lv.kind == "bool":
        return not current
    scale = lv.display_scale
    hi = lv.max * scale
    step = (lv.step or 1) * scale
    return current + step * 5 if current + step * 5 <= hi else current - step * 5


@pytest.mark.parametrize("lv", levers(eco.EconomyParams), ids=lambda lv: lv.name)
def test_every_lever_moves_what_is_shown(lv):
    at = open_page(kommune="4631", months_to_full="24")  # so that grunntilskudd matters too
    before = everything(at)
    widget = lever(at, lv.name)
    widget.set_value(_other_value(lv, widget.value))
    at.run()
    assert not at.exception
    after = everything(at)
    assert not BAD_SHOWN.search(visible_text(at))
    assert after != before, lv.name


@pytest.mark.parametrize(("key", "raw"), [("list_length", "abc"), ("salary", "-5"), ("employer_tax", "nan"),
                                          ("grunntilskudd", "<script>"), ("months_to_full", "1e308"),
                                          ("periode", "1999"), ("referanse", "<b>x</b>")])
def test_bad_link_values_get_a_norwegian_message_and_a_safe_value(key, raw):
    at = open_page(kommune="4631", **{key: raw})
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert warnings, "a message about the bad value"
    assert "<script>" not in warnings and "<b>" not in warnings
    assert any(word in warnings for word in ("standard", "Standard", "brukes"))
    assert not BAD_SHOWN.search(visible_text(at).replace(warnings, ""))  # the message may quote the link
    assert metrics(at)["Næringsdrift: netto per år"].endswith("kr")


def test_clamped_link_value_is_used():
    at = open_page(kommune="4631", salary="-5")
    assert lever(at, "salary").value == 0
    shown = metrics(at)
    params = replace(eco.defaults_for(eco.DEFAULT_PERIOD), salary=0)
    assert shown["Fastlønn: netto per år"] == expected_tiles(params, eco.PERIODS["2024"])["Fastlønn: netto per år"]


def test_shared_link_reproduces_levers_and_reset_restores_defaults():
    at = open_page(kommune="4631", list_length="1500", employer_tax="0.106", periode="2022")
    assert lever(at, "list_length").value == 1500
    assert lever(at, "employer_tax").value == pytest.approx(10.6)
    assert metrics(at)["Næringsdrift: netto per år"] == squash(fmt.kroner(675_000 + 500 * 544))
    apptest_util.button(at, "Tilbakestill").click()
    at.run()
    assert lever(at, "list_length").value == 1000
    assert lever(at, "employer_tax").value == pytest.approx(14.1)


def _cost_tiles_app():
    import pandas as pd

    from ui import economy_view

    def frame(lists, vacant, patients):
        return pd.DataFrame({"year": [2030], "lists_with_gp": [lists], "vacant_lists": [vacant],
                             "patients_with_gp": [patients], "list_patients": [11_000.0],
                             "consultations": [33_000.0]})

    economy_view.capacity_cost_tiles(frame(10.0, 1.0, 10_000.0), frame(11.0, 0.0, 11_000.0))


@pytest.mark.parametrize("query", [{}, {"periode": "2016", "salary": "1500000", "vikar_day_rate": "8000"}])
def test_capacity_cost_tiles_follow_the_economy_levers(query):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_cost_tiles_app, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    period = eco.PERIODS[query.get("periode", eco.DEFAULT_PERIOD)]
    params = eco.defaults_for(period.key, **{k: int(v) for k, v in query.items() if k != "periode"})
    gross = params.fastlonn_gross
    vikar = -1 * params.vikar_days_per_vacant_list * params.vikar_day_rate
    fast = gross - 1000 * 3.0 * params.income_per_consultation + vikar  # one new list of 1 000, 3 per patient
    naering = eco.basistilskudd(11_000, period) - eco.basistilskudd(10_000, period) + vikar
    shown = metrics(at)
    assert shown["Merkostnad 2030, fastlønn"] == squash(fmt.kroner(fast))
    assert shown["Merkostnad 2030, næringsdrift"] == squash(fmt.kroner(naering))
    assert shown["Vikar for ledige lister 2030"] == squash(fmt.kroner(vikar))
    assert any("Kilde:" in c.value for c in at.caption)


def test_levers_are_remembered_for_other_pages():
    at = open_page(kommune="4631")
    lever(at, "salary").set_value(1_500_000)
    at.selectbox(key="periode").set_value("2021")
    at.run()
    at.switch_page("pages/oversikt.py")
    at.run()
    at.run()  # a rerun on the other page: Streamlit has dropped the Økonomi widgets by now
    assert not at.exception
    params, period = at.session_state["_okonomi_params"]
    assert params.salary == 1_500_000 and period == "2021"
    at.switch_page(PAGE)
    at.run()
    assert not at.exception
    assert lever(at, "salary").value == 1_500_000
    assert metrics(at)["Næringsdrift: netto per år"] == "642000kr"


def test_nynorsk_shows_the_same_numbers_with_nynorsk_labels():
    """?malform=nn: the tiles have nynorsk labels and the same numbers as in bokmål."""
    nb = metrics(open_page(kommune="4631"))
    at = open_page(kommune="4631", malform="nn")
    nn = metrics(at)
    assert nn["Fastløn: netto per år"] == nb["Fastlønn: netto per år"]
    assert nn["Blanda drift: netto per år"] == nb["Blandet drift: netto per år"]
    assert nn["Fastløn like dyrt som næringsdrift ved"] == nb["Fastlønn like dyrt som næringsdrift ved"]
    assert nn["Inntekt som trengst per konsultasjon"] == nb["Inntekt som trengs per konsultasjon"]
    assert nn["Næringsdrift: netto per år"] == "841800kr"
    assert at.title[0].value == "Økonomi – Alver"
    assert any(s.value.startswith("Éin heimel med ") and s.value.endswith(" pasientar") for s in at.subheader)
