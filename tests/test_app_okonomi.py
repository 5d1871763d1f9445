"""AppTest: the Økonomi page, its levers, periods, the Alver case and links."""

from __future__ import annotations

from dataclasses import replace

import pytest

from core import economy as eco
from core import fmt
from core.params import from_mapping, levers
from tests import apptest_util
from tests.apptest_util import BAD_SHOWN, lever, metrics, squash, visible_text
from ui import economy_view as view

PAGE = "pages/okonomi.py"


def open_page(**query: str):
    return apptest_util.open_page(PAGE, **query)


def everything(at) -> str:
    """All visible text and every table, to see whether anything moved."""
    return visible_text(at) + "".join(df.value.to_csv() for df in at.dataframe)


def expected_tiles(params: eco.EconomyParams, period: eco.RulePeriod, case: str = "egen") -> dict[str, str]:
    """Tile label (with the example mark its inputs call for) → value, from the model."""
    c = eco.hjemmel_cost(params, period)
    return {
        view.tile_label("naeringsdrift", "Næringsdrift: netto per år", params, case): squash(fmt.kroner(c.naeringsdrift)),
        view.tile_label("fastlonn", "Fastlønn: netto per år", params, case): squash(fmt.kroner(c.fastlonn)),
        view.tile_label("blandet", "Blandet drift: netto per år", params, case): squash(fmt.kroner(c.blandet)),
        view.tile_label("needed", "Inntekt som trengs per konsultasjon", params, case):
            squash(fmt.kroner(eco.income_needed_per_consultation(params))),
    }


def tile(at, start: str) -> str:
    """The value of the one tile whose label starts with `start` (the example mark may follow)."""
    found = [v for k, v in metrics(at).items() if k.startswith(start)]
    assert len(found) == 1, (start, list(metrics(at)))
    return found[0]


NAERING = "Næringsdrift: netto per år"


def test_page_opens_with_defaults_and_shows_what_the_model_computes():
    at = open_page(kommune="4631")
    assert at.title[0].value == "Økonomi – Alver"
    shown = metrics(at)
    params = eco.defaults_for(eco.DEFAULT_PERIOD)
    for label, value in expected_tiles(params, eco.PERIODS[eco.DEFAULT_PERIOD]).items():
        assert shown[label] == value, label
    assert shown["Næringsdrift: netto per år (eksempelliste)"] == "841800kr"  # 1 000 × 841,80; 1 000 is an example
    assert shown["Fastlønn: netto per år (eksempelkostnader)"] == squash(fmt.kroner(
        2_405_795 - 1000 * 3.0 * 564))  # gross − 3 000 consultations × (432 + 132) kr
    be = eco.break_even_vs_naeringsdrift(params, eco.PERIODS[eco.DEFAULT_PERIOD])
    assert shown["Fastlønn like dyrt som næringsdrift ved (eksempelkostnader)"] == squash(fmt.number(be)) + "pasienter"
    text = visible_text(at)
    assert not BAD_SHOWN.search(text)
    assert "eksempelverdier" in text
    charts = len(at.get("vega_lite_chart"))
    assert charts == 3
    assert sum("Kilde:" in c.value for c in at.caption) >= charts + len(at.dataframe)


def test_alver_case_uses_the_2021_rates_and_the_notats_list():
    at = open_page(kommune="4631", referanse="alver_2021")
    assert lever(at, "list_length").value == 1131  # 29 400 / 26 from the notat
    assert tile(at, NAERING) == squash(fmt.kroner(642_000 + 131 * 526))  # 710 906 kr, no example mark
    assert NAERING in metrics(at)
    # the national figure of 2021: (7 459 + 2 031) mill. kr / 16 530 906 = 574 kr = 451 + 123
    assert (lever(at, "refund_per_consultation").value, lever(at, "copayment_per_consultation").value) == (451, 123)
    assert lever(at, "other_income_per_consultation").value == 0
    assert "Alver 2021: ny 100 % kommunal fastlege" in [s.value for s in at.subheader]
    captions = [c.value for c in at.sidebar.caption]
    assert any("29 400 / 26 heimlar = 1 131" in c for c in captions)


@pytest.mark.parametrize("malform", ["nb", "nn"])
def test_alver_case_shows_the_arithmetic_and_reaches_the_notats_conclusion(malform):
    at = open_page(kommune="4631", referanse="alver_2021", malform=malform)
    assert not at.exception
    text = squash(visible_text(at))
    params = eco.defaults_for("2021", list_length=1131)
    v = eco.salaried_verdict(params, eco.PERIODS["2021"])
    income, gross = squash(fmt.number(v.income / 1e6, 2)), squash(fmt.number(v.gross / 1e6, 2))
    assert (income, gross) == ("1,95", "2,41")  # 1 131 × 3,0 × 574 = 1 947 582 kr of 2 405 795 kr
    assert squash("(7 459 + 2 031) mill. kr / 16 530 906") in text
    assert squash("Kommunen har ledige lokaler i etablert legekontor i helsehuset.") in text
    if malform == "nb":
        assert squash("1 131 pasienter × 3,0 konsultasjoner × 574 kr per konsultasjon = 1 947 582 kr") in text
        assert squash(f"betaler listens inntekter {income} mill. kr av {gross} mill. kr (81 %) – hjemmelen er i "
                      "hovedsak finansiert av behandlingsinntektene, slik notatet sier") in text
        assert squash("koster fastlønn 252 693 kr mindre i året") in text  # 2 405 795 − 1 947 582 − 710 906
        assert "regnestykkettarlikevelmed300000krforlokaler" in text
    else:
        assert squash("1 131 pasientar × 3,0 konsultasjonar × 574 kr per konsultasjon = 1 947 582 kr") in text
        assert squash(f"betaler inntektene frå lista {income} mill. kr av {gross} mill. kr (81 %) – heimelen er i "
                      "hovudsak finansiert av behandlingsinntektene, slik notatet seier") in text
        assert squash("kostar fastløn 252 693 kr mindre i året") in text


def test_the_alver_conclusion_is_computed_not_written():
    at = open_page(kommune="4631", referanse="alver_2021", refund_per_consultation="100",
                   copayment_per_consultation="50")
    text = squash(visible_text(at))
    # 1 131 × 3,0 × 150 = 508 950 kr of 2 405 795 kr: 21 %, the notat's premise does not hold
    assert squash("betaler listens inntekter bare 0,51 mill. kr av 2,41 mill. kr (21 %) – hjemmelen er ikke i "
                  "hovedsak finansiert") in text
    assert squash("Regnestykket bruker kommunens egne tall: 150 kr per konsultasjon (landssnittet: 574 kr)") in text


def test_income_per_consultation_is_the_national_figure_with_its_arithmetic():
    at = open_page(kommune="4631")
    assert (lever(at, "refund_per_consultation").value, lever(at, "copayment_per_consultation").value) == (432, 132)
    text = squash(visible_text(at))
    assert squash("(7 291 + 2 232) mill. kr / 16 884 831 konsultasjoner = 564 kr per konsultasjon i 2023") in text
    assert "tabellV5.2(KUHR)" in text and "SSB" in text
    assert squash("For 2024 mangler landstall for refusjoner, egenandeler eller konsultasjoner; regelen bruker "
                  "nærmeste år med tall, 2023.") in text
    assert squash("Det er grunntaksten alene, ikke snittet") in text  # takst 2ad only as an explanation
    assert squash("«Andre inntekter» står på 0, fordi landssnittet allerede dekker alle takster") in text


def test_example_costs_are_marked_in_the_fastlonn_table():
    at = open_page(kommune="4631")
    table = next(df.value for df in at.dataframe if "Post" in df.value.columns)
    posts = list(table["Post"])
    assert posts[0] == "Lønn (eksempelkostnader)" and posts[3] == "Lokaler, utstyr og IKT (eksempelkostnader)"
    assert posts[5] == "Helfo-refusjon (eksempelliste)"  # 1 000 patients is an example; 432 kr is sourced
    assert posts[8] == "Netto kostnad fastlønn (eksempelkostnader)"
    own = open_page(kommune="4631", salary="1400000", office_cost="0", list_length="1131")
    posts = list(next(df.value for df in own.dataframe if "Post" in df.value.columns)["Post"])
    assert posts[0] == "Lønn" and posts[3] == "Lokaler, utstyr og IKT" and posts[5] == "Helfo-refusjon"
    assert posts[1] == "Pensjon (eksempelkostnader)"  # the pension share is still the example


def test_tier_break_at_1000_on_screen():
    at = open_page(kommune="4631", periode="2021", list_length="1200")
    assert metrics(at)[NAERING] == squash(fmt.kroner(642_000 + 200 * 526))


def test_a_changed_lever_survives_a_period_change():
    at = open_page(kommune="4631")
    lever(at, "salary").set_value(1_500_000)
    at.run()
    at.selectbox(key="periode").set_value("2021")
    at.run()
    assert lever(at, "salary").value == 1_500_000
    assert lever(at, "copayment_per_consultation").value == 123  # 2021: 2 031 mill. kr / 16 530 906


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
    assert shown["Fastlønn selvfinansierende ved (eksempelkostnader)"] == (
        squash(fmt.number(self_fin)) + "pasienter" if self_fin <= 2500 else "over2500pasienter")


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
    assert tile(at, NAERING).endswith("kr")


def test_clamped_link_value_is_used():
    at = open_page(kommune="4631", salary="-5")
    assert lever(at, "salary").value == 0
    shown = metrics(at)
    params = replace(eco.defaults_for(eco.DEFAULT_PERIOD), salary=0)
    label = "Fastlønn: netto per år (eksempelkostnader)"  # pension, office and staff are still examples
    assert shown[label] == expected_tiles(params, eco.PERIODS["2024"])[label]


def test_shared_link_reproduces_levers_and_reset_restores_defaults():
    at = open_page(kommune="4631", list_length="1500", employer_tax="0.106", periode="2022")
    assert lever(at, "list_length").value == 1500
    assert lever(at, "employer_tax").value == pytest.approx(10.6)
    assert metrics(at)[NAERING] == squash(fmt.kroner(675_000 + 500 * 544))
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


OWN_COSTS = {"salary": "1400000", "pension_share": "0.12", "employer_tax": "0.106", "office_cost": "250000",
             "staff_fte": "0.6", "staff_fte_cost": "750000", "vikar_day_rate": "9000",
             "vikar_days_per_vacant_list": "150"}


@pytest.mark.parametrize("query", [{}, {"periode": "2016", "salary": "1500000", "vikar_day_rate": "8000"}, OWN_COSTS])
def test_capacity_cost_tiles_follow_the_economy_levers(query):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_cost_tiles_app, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    period = eco.PERIODS[query.get("periode", eco.DEFAULT_PERIOD)]
    params, _ = from_mapping(eco.EconomyParams, {k: v for k, v in query.items() if k != "periode"},
                             base=eco.defaults_for(period.key))
    gross = params.fastlonn_gross
    vikar = -1 * params.vikar_days_per_vacant_list * params.vikar_day_rate
    fast = gross - 1000 * 3.0 * params.income_per_consultation + vikar  # one new list of 1 000, 3 per patient
    naering = eco.basistilskudd(11_000, period) - eco.basistilskudd(10_000, period) + vikar
    shown = metrics(at)
    # While an example cost or vikar figure stands at its default, the tile says so on itself.
    mark = "" if query is OWN_COSTS else " (eksempelkostnader)"
    assert shown["Merkostnad 2030, fastlønn" + mark] == squash(fmt.kroner(fast))
    assert shown["Merkostnad 2030, næringsdrift" + mark] == squash(fmt.kroner(naering))
    assert shown["Vikar for ledige lister 2030" + mark] == squash(fmt.kroner(vikar))
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
    remembered = at.session_state["_page_query:okonomi"]  # Økonomi's link, kept for the session (ui.state)
    assert remembered["salary"] == "1500000" and remembered["periode"] == "2021"
    at.switch_page(PAGE)
    at.run()
    assert not at.exception
    assert lever(at, "salary").value == 1_500_000
    assert metrics(at)[NAERING + " (eksempelliste)"] == "642000kr"


def test_nynorsk_shows_the_same_numbers_with_nynorsk_labels():
    """?malform=nn: the tiles have nynorsk labels and the same numbers as in bokmål."""
    nb = metrics(open_page(kommune="4631"))
    at = open_page(kommune="4631", malform="nn")
    nn = metrics(at)
    assert nn["Fastløn: netto per år (eksempelkostnader)"] == nb["Fastlønn: netto per år (eksempelkostnader)"]
    assert nn["Blanda drift: netto per år (eksempelkostnader)"] == nb["Blandet drift: netto per år (eksempelkostnader)"]
    assert (nn["Fastløn like dyrt som næringsdrift ved (eksempelkostnader)"].removesuffix("pasientar")
            == nb["Fastlønn like dyrt som næringsdrift ved (eksempelkostnader)"].removesuffix("pasienter"))
    assert nn["Fastløn like dyrt som næringsdrift ved (eksempelkostnader)"].endswith("pasientar")
    assert (nn["Inntekt som trengst per konsultasjon (eksempelkostnader)"]
            == nb["Inntekt som trengs per konsultasjon (eksempelkostnader)"])
    assert nn["Næringsdrift: netto per år (eksempelliste)"] == "841800kr"
    assert at.title[0].value == "Økonomi – Alver"
    assert any(s.value.startswith("Éin heimel med ") and s.value.endswith(" pasientar") for s in at.subheader)
    assert squash("(7 291 + 2 232) mill. kr / 16 884 831 konsultasjonar = 564 kr per konsultasjon i 2023") in squash(
        visible_text(at))


def test_chart_headings_say_example_costs_until_the_kommune_types_its_own():
    at = open_page(kommune="4631")
    headings = [s.value for s in at.subheader]
    assert "Netto kostnad etter listelengde (eksempelkostnader)" in headings
    assert "Hva betyr mest? Følsomhet for fastlønn (eksempelkostnader)" in headings
    assert any(m.value == "**Opptrapping: 0 måneder til full liste (eksempelkostnader)**" for m in at.markdown)
    own = open_page(kommune="4631", list_length="1131", **OWN_COSTS)
    headings = [s.value for s in own.subheader]
    assert "Netto kostnad etter listelengde" in headings
    assert "Hva betyr mest? Følsomhet for fastlønn" in headings
    assert any(m.value == "**Opptrapping: 0 måneder til full liste**" for m in own.markdown)
    assert not any("(eksempel" in label for label in metrics(own))  # and the tiles lose their marks too


def test_the_last_table_row_says_what_its_sign_means():
    at = open_page(kommune="4631")  # 1 000 patients, national income: fastlønn 128 005 kr cheaper
    table = next(df.value for df in at.dataframe if "Post" in df.value.columns)
    assert table["Post"].iloc[-1] == ("Merkostnad fastlønn mot næringsdrift (eksempelkostnader) – negativ: fastlønn er "
                                      "billigere")
    assert squash(table["Kroner per år"].iloc[-1]) == "-128005"
    dear = open_page(kommune="4631", salary="1600000")  # 2 799 440 − 1 692 000 − 841 800 = +265 640
    table = next(df.value for df in dear.dataframe if "Post" in df.value.columns)
    assert table["Post"].iloc[-1].endswith("– positiv: fastlønn er dyrere")
    assert squash(table["Kroner per år"].iloc[-1]) == "265640"


def test_the_basistilskudd_sentence_says_whose_rate_it_uses():
    text = squash(visible_text(open_page(kommune="0301")))
    assert squash("841 800 kr i basistilskudd (pasienttilpasset basistilskudd med landets snittsats 841,80 kr per "
                  "listeinnbygger; kommunens egen sats avhenger av pasientene).") in text
    assert "kommunens snittsats per listeinnbygger))" not in text  # the old nested, misleading phrase
    own = squash(visible_text(open_page(kommune="0301", basis_average_rate="900")))
    assert squash("900 000 kr i basistilskudd (pasienttilpasset basistilskudd med kommunens snittsats 900,00 kr per "
                  "listeinnbygger).") in own


def test_tile_labels_wrap_so_the_example_mark_is_not_cut_off():
    at = open_page(kommune="4631")
    styles = [h.proto.body for h in at.get("html")]
    assert any('[data-testid="stMetricLabel"]' in s and "white-space: normal" in s for s in styles)
