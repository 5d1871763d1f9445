"""AppTest: Kommunale legeoppgaver – every tab, every lever, the Stavanger case and bad links."""

from __future__ import annotations

import pytest

from core import duties as du
from core.params import levers, with_defaults_from
from tests import apptest_util
from tests.apptest_util import BAD_SHOWN, metrics, squash, visible_text

PAGE = "pages/legeoppgaver.py"
CLASSES = (du.SharedParams, du.NursingHomeParams, du.LegevaktParams, du.HealthStationParams, du.TotalParams)


def open_page(**query: str):
    return apptest_util.open_page(PAGE, **query)


def widget(at, name: str):
    """The widget of a lever, whatever its kind."""
    return apptest_util.lever(at, name)


def screen(at) -> str:
    """What the user sees: text plus every table."""
    return visible_text(at) + "\n".join(df.value.to_csv() for df in at.dataframe)


def captions(at) -> str:
    return "\n".join(c.value for c in at.caption).replace("\u00a0", " ")


def test_stavanger_case_shows_plus_5_21_and_says_the_norm_table_is_missing():
    at = open_page(kommune="1103")
    assert at.title[0].value == "Kommunale legeoppgaver – Stavanger"
    assert [t.label for t in at.tabs] == ["Sykehjem", "Legevakt", "Helsestasjon", "Samlet"]
    shown = metrics(at)
    # The plan's +5,21 comes from Legeplan's back-solved norm, and every tile from it says so.
    assert shown["Gap mot normen (årsverk) (Legeplans tilbakeregning)"] == "+5,21"
    assert shown["Legeårsverk etter normen (Legeplans tilbakeregning)"] == "24,96"
    assert "Gap mot normen (årsverk)" not in shown and "Legeårsverk etter normen" not in shown
    assert shown["Legeårsverk i dag"] == "19,75"  # the temaplan's own figure: no mark
    note = " ".join(i.value for i in at.info).replace("\u00a0", " ")
    assert "Normtabellen mangler" in note and "798 langtidsplasser" in note
    assert "46,35 minutter" in captions(at) and "Legeforeningens 20 minutter, som gir -4,14" in captions(at)
    assert widget(at, "sh_norm_long_term").value == pytest.approx(46.35)
    assert shown["Fast ansatte legeårsverk"] == "13,5" and shown["Fastleger som går vakt"] == "75,0"
    assert shown["Legeårsverk"] == "4,8" and shown["Leger"] == "25"


def test_stavanger_sourced_norm_beside_the_back_solved_one():
    """Legeforeningen 2002 (20/90 min) gives 585,5 h = 15,61 FTE, −4,14 against 19,75; the back-solved +5,21."""
    at = open_page(kommune="1103")
    shown = metrics(at)
    assert shown["Med Legeforeningens norm 2002 (kilde): årsverk mot i dag"] == "-4,14"
    assert shown["Legeplans tilbakeregning: normen som gir +5,21 årsverk"] == "+5,21"
    first = at.markdown[[m.value.startswith("- Stavanger: med Legeforeningens") for m in at.markdown].index(True)]
    assert "gir plassene 15,61 legeårsverk, -4,14 mot dagens 19,75" in first.value
    assert "Legeplans tilbakeregning: normen som gir +5,21 årsverk, 46,35 minutter" in first.value
    # The lever that holds the back-solved norm is an example with that name, not Legeforeningen's source.
    assert "Legeplans tilbakeregning" in widget(at, "sh_norm_long_term").help
    rows = at.dataframe[-1].value
    row = rows[rows["Forutsetning"].str.startswith("Langtidsplasser (minutter")].iloc[0]
    assert row["Grunnlag"] == "Eksempel uten kilde" and row["Kilde for standardverdien"].startswith("Eksempel – Legeplans")
    row = rows[rows["Forutsetning"] == "Legeårsverk i sykehjem i dag (årsverk)"].iloc[0]
    assert row["Grunnlag"] == "Kilde" and row["Kilde for standardverdien"].startswith("Stavanger kommune: Temaplan")
    # Setting the long-term norm to Legeforeningen's 20 minutes gives the sourced figure on the tiles.
    widget(at, "sh_norm_long_term").set_value("20")
    at.run()
    shown = metrics(at)
    assert shown["Gap mot normen (årsverk) (eksempel)"] == "-4,14"  # aldershjem norm 0 is still an example


@pytest.mark.parametrize(("malform", "today", "sourced", "backsolved", "heading"), [
    ("nb", "I dag", "Legeforeningens norm 2002 (kilde)", "Legeplans tilbakeregning (antakelse)",
     "Legeårsverk i dag og etter normen: Legeforeningens norm 2002 (kilde) og Legeplans tilbakeregning (antakelse)"),
    ("nn", "I dag", "Norma til Legeforeningen 2002 (kjelde)", "Tilbakerekninga til Legeplan (føresetnad)",
     "Legeårsverk i dag og etter norma: norma til Legeforeningen 2002 (kjelde) og tilbakerekninga til Legeplan "
     "(føresetnad)"),
])
def test_stavanger_charts_draw_the_sourced_norm_beside_the_back_solved_one(malform, today, sourced, backsolved,
                                                                           heading):
    """The FTE chart's table: today 19,75, Legeforeningen 2002 15,61 (585,5 h), the back-solved norm 24,96."""
    at = open_page(kommune="1103", **({"malform": "nn"} if malform == "nn" else {}))
    assert heading in [s.value for s in at.subheader]
    apptest_util.open_expander(at, "tabell_sh_fte_chart")
    apptest_util.open_expander(at, "tabell_sh_growth_chart")
    tables = [tb.value for tb in at.table]
    totals = next(tb for tb in tables if list(tb.columns) == ["Stolpe", "Legeårsverk i alt"])
    assert dict(zip(totals["Stolpe"], totals["Legeårsverk i alt"], strict=True)) == {
        today: "19,75", sourced: "15,61", backsolved: "24,96"}
    series = next(tb for tb in tables if "Serie" in tb.columns)
    last = series[series.iloc[:, 0] == "2040"]
    assert dict(zip(last["Serie"], last["Legeårsverk"], strict=True))[sourced] == "15,61"
    assert dict(zip(last["Serie"], last["Legeårsverk"], strict=True))[backsolved] == "24,96"
    described = "\n".join(m.value for m in at.markdown)
    assert f"{sourced}: 15,61. {backsolved}: 24,96." in described  # the chart's text alternative
    # Setting Legeforeningen's norm: one norm bar again, «Etter normen».
    widget(at, "sh_norm_long_term").set_value("20")
    at.run()
    apptest_util.open_expander(at, "tabell_sh_fte_chart")
    totals = next(tb.value for tb in at.table if list(tb.value.columns) == ["Stolpe", "Legeårsverk i alt"])
    assert len(totals) == 2 and totals.iloc[1, 1] == "15,61"


def test_legevakt_and_health_station_tiles_say_example():
    at = open_page(kommune="1103")
    shown = metrics(at)
    assert shown["Vakter per lege per 6 mnd. (eksempel)"] == "6,2"  # 468 / 75
    assert shown["Vakter per lege per måned (eksempel)"] == "1,04"
    assert shown["Fastlegetimer i bistilling per uke (eksempel)"] == "162,0"  # 4,8 × 0,9 × 37,5
    assert "**Eksempel:** Vaktbelastningen bygger på eksempelverdier uten kilde – Vakter per periode" in captions(at)
    # Own shift plan: the legevakt marks go; the tiles from other examples keep theirs.
    at = open_page(kommune="1103", vakt_evening="120", vakt_night="2", vakt_weekend="100", vakt_doctors_evening="1",
                   vakt_doctors_night="2", vakt_doctors_weekend="1", vakt_hours_evening="4", vakt_hours_night="9",
                   vakt_hours_weekend="7")
    shown = metrics(at)
    assert shown["Vakter per lege per 6 mnd."] == "3,0"  # (120 × 1 + 2 × 2 + 100 × 1) / 75 = 2,99
    assert "Vaktbelastningen bygger" not in captions(at)
    # Other kommuner: the example values themselves are marked.
    shown = metrics(open_page(kommune="4631"))
    assert shown["Fastleger som går vakt (eksempel)"] == "20,0" and shown["Legeårsverk (eksempel)"] == "1,0"
    assert shown["Legeårsverk i dag (eksempel)"] == "2,00"


def test_list_place_tiles_say_example_only_when_hours_move():
    shown = metrics(open_page(kommune="1103"))
    assert shown["Reservekapasitet"] == "100,0" and shown["Endring i listeplasser"] == "±0"
    at = open_page(kommune="1103", sum_moved_hours="10")
    shown = metrics(at)
    assert shown["Endring i listeplasser (eksempel)"] == "-315"  # 10 × 1 180 / 37,5 = 314,7
    assert "Listeplasser per ukentlig time" in captions(at)
    shown = metrics(open_page(kommune="1103", sum_moved_hours="10", felles_places_per_hour="20"))
    assert shown["Endring i listeplasser"] == "-200"


@pytest.mark.parametrize("knr", ["1103", "0301", "5514"])
def test_every_tab_renders_with_sources_and_nothing_missing(knr):
    at = open_page(kommune=knr)
    text = screen(at)
    assert not BAD_SHOWN.search(text), BAD_SHOWN.search(text)
    charts = len(at.get("vega_lite_chart")) + len(at.get("arrow_vega_lite_chart"))
    assert charts == 6
    sources = sum(c.value.startswith("Kilde:") for c in at.caption)
    assert sources >= charts + len(at.dataframe) - 1  # every chart and table (assumptions: one caption)
    for tab_text in ("Normen gir", "legevakter per periode", "leger deler", "listeplasser"):
        assert tab_text in text


def test_other_kommune_starts_on_labelled_examples():
    at = open_page(kommune="4631")
    assert any("eksempelverdier" in i.value for i in at.info)
    assert at.selectbox(key="legecase").value == "egne"


def test_choosing_the_stavanger_case_switches_kommune():
    at = open_page(kommune="0301")
    at.selectbox(key="legecase").set_value(du.STAVANGER_CASE)
    at.run()
    assert not at.exception
    assert at.title[0].value == "Kommunale legeoppgaver – Stavanger"
    assert metrics(at)["Gap mot normen (årsverk) (Legeplans tilbakeregning)"] == "+5,21"


def test_covering_the_gap_with_bistillinger_costs_list_places(con):
    from core import starting_points

    at = open_page(kommune="1103", sum_cover_gap="1")
    case = du.stavanger_case(con)
    lb = du.list_base(starting_points.from_reference(con, "stavanger_2023"))
    shared = with_defaults_from(du.SharedParams, du.shared_defaults(1_000_000, lb.avg_cap))
    nursing = du.nursing_home(with_defaults_from(du.NursingHomeParams, du.stavanger_defaults(case)), shared)
    link = du.capacity_link(nursing.gap_fte * 37.5, shared, lb)
    from core import fmt

    shown = metrics(at)
    assert shown["Timer flyttet fra listene per uke"] == "195,3"  # 5,2088 × 37,5
    assert shown["Endring i listeplasser (eksempel)"] == squash(fmt.number(link.places_change)) == "-6147"
    assert shown["Ledige listeplasser (2023) (eksempel)"] == squash(fmt.number(link.free_after))
    assert any("Fastlegekapasitet med denne endringen" in m.value and "cap_change_places=-6147" in m.value
               for m in at.markdown)


def test_exemptions_raise_the_shifts_per_gp():
    at = open_page(kommune="1103")
    shown = metrics(at)
    first = float(shown["Vakter per lege per måned (eksempel)"].replace(",", "."))
    widget(at, "vakt_exemption_share").set_value(50.0)
    at.run()
    second = float(metrics(at)["Vakter per lege per måned (eksempel)"].replace(",", "."))
    assert first == pytest.approx(468 / 75 / 6, abs=0.005)
    assert second == pytest.approx(468 / 37.5 / 6, abs=0.005)


def test_partner_kommuner_share_the_cost_by_population():
    at = open_page(kommune="1103")
    assert at.multiselect(key="vakt_kommuner").value == ["1124", "1127"]
    shares = at.dataframe[3].value
    assert list(shares["Kommune"]) == ["Stavanger", "Sola", "Randaberg"]
    assert list(shares["Andel"].str.replace("\u00a0", " ")) == ["78,5 %", "15,2 %", "6,3 %"]
    at.multiselect(key="vakt_kommuner").unselect("1127")
    at.run()
    assert at.query_params["vakt_kommuner"] in ("1124", ["1124"])
    assert list(at.dataframe[3].value["Kommune"]) == ["Stavanger", "Sola"]


def test_shared_link_reproduces_levers():
    at = open_page(kommune="4631", sh_long_term="120", vakt_dutybound_gps="30", felles_hours_per_fte="40")
    assert widget(at, "sh_long_term").value == 120
    assert widget(at, "vakt_dutybound_gps").value == 30
    assert widget(at, "felles_hours_per_fte").value == 40.0
    # 120 × 20 + 15 × 90 + 2 × 300 + 8 × 30 minutes = 4 590 minutes = 76,5 hours / 40 = 1,91 FTE
    assert metrics(at)["Legeårsverk etter normen (eksempel)"] == "1,91"


@pytest.mark.parametrize(("key", "raw"), [
    ("sh_long_term", "abc"), ("felles_hours_per_fte", "1e308"), ("vakt_exemption_share", "nan"),
    ("sum_moved_to", "<script>"), ("sum_cover_gap", "kanskje"), ("sh_norm_short_term", "-5"),
    ("legecase", "oslo_2099"), ("vakt_kommuner", "9999,abc"),
])
def test_bad_link_values_get_a_norwegian_message_and_a_safe_value(key, raw):
    at = open_page(kommune="4631", **{key: raw})
    warnings = " ".join(w.value for w in at.warning)
    assert warnings, "a message about the bad value"
    assert "<script>" not in warnings
    shown = screen(at)
    for w in at.warning:  # the message quotes the bad value itself (e.g. «nan»); the rest must be clean
        shown = shown.replace(w.value, "")
    assert not BAD_SHOWN.search(shown)
    assert any(label.startswith("Legeårsverk etter normen") for label in metrics(at))
    if key == "felles_hours_per_fte":
        assert widget(at, key).value == 45.0
    if key == "sh_norm_short_term":
        assert widget(at, key).value == 0.0


def test_reset_returns_to_defaults():
    at = open_page(kommune="4631", sh_long_term="300")
    assert widget(at, "sh_long_term").value == 300
    apptest_util.button(at, "Tilbakestill").click()
    at.run()
    assert widget(at, "sh_long_term").value == 60


PREREQUISITES = {"sh_plan_from": {"sh_new_long_term": 5}, "sum_moved_to": {"sum_moved_hours": 10.0}}


def _other_value(lv, current):
    if lv.kind == "bool":
        return not current
    if lv.kind == "choice":
        return next(o for o in lv.options if o != current)
    if lv.unit == "år":
        return 2030
    scale = lv.display_scale
    step = (lv.step or 1) * scale * (5 if lv.kind == "int" else 50)
    lo, hi = lv.min * scale, lv.max * scale
    value = current + step if current + step <= hi else max(current - step, lo)  # a slider only goes so far
    return int(value) if lv.kind == "int" else value


ALL_LEVERS = [lv for cls in CLASSES for lv in levers(cls)]


@pytest.mark.parametrize("lv", ALL_LEVERS, ids=lambda lv: lv.name)
def test_every_lever_moves_the_page(lv):
    at = open_page(kommune="1103", **{k: str(v) for k, v in PREREQUISITES.get(lv.name, {}).items()})
    if lv.name == "sh_norm_aldershjem":
        widget(at, "sh_aldershjem").set_value(10)  # Stavanger's 64 places are outside the norm (0)
        at.run()
    before = screen(at)
    w = widget(at, lv.name)
    w.set_value(_other_value(lv, w.value))
    at.run()
    assert not at.exception, at.exception[0].message
    after = screen(at)
    assert not BAD_SHOWN.search(after)
    assert after != before, lv.name
    assert lv.name in at.query_params, "the lever is in the link"


# --- målform: the page in nynorsk ------------------------------------------------------------------

def _chart_texts(at) -> list[str]:
    """Every text in the charts: titles, sort orders, legend domains and the data's text columns."""
    import json

    import pyarrow as pa

    found: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "locale":  # number and date formats (core.charts), not text of this page
                    continue
                if key in ("title", "sort", "domain") and value is not None:
                    found.extend(str(v) for v in (value if isinstance(value, list) else [value]))
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for el in at.get("arrow_vega_lite_chart") + at.get("vega_lite_chart"):
        walk(json.loads(el.proto.spec))
        for ds in el.proto.datasets:
            table = pa.ipc.open_stream(ds.data.data).read_all()
            for column in table.columns:
                if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
                    found += [str(v) for v in column.to_pylist()]
    return found


def test_stavanger_in_nynorsk_shows_plus_5_21_with_a_nynorsk_label():
    from tests.test_i18n import all_text, bokmaal_leaks

    at = open_page(kommune="1103", malform="nn")
    assert at.title[0].value == "Kommunale legeoppgåver – Stavanger"
    assert [t.label for t in at.tabs] == ["Sjukeheim", "Legevakt", "Helsestasjon", "Samla"]
    shown = metrics(at)
    assert shown["Gap mot norma (årsverk) (tilbakerekninga til Legeplan)"] == "+5,21"
    assert shown["Legeårsverk etter norma (tilbakerekninga til Legeplan)"] == "24,96"
    assert shown["Med norma til Legeforeningen 2002 (kjelde): årsverk mot i dag"] == "-4,14"
    assert shown["Tilbakerekninga til Legeplan: norma som gir +5,21 årsverk"] == "+5,21"
    assert shown["Vakter per lege per 6 mnd. (eksempel)"] == "6,2"
    assert shown["Legar"] == "25" and shown["Fastlegar som går vakt"] == "75,0"
    note = " ".join(i.value for i in at.info).replace("\u00a0", " ")
    assert "Normtabellen manglar" in note
    assert "46,35 minutt" in captions(at) and "**Eksempel:** Vaktbelastninga byggjer på" in captions(at)
    assert "Gap mot normen (årsverk)" not in shown
    tables = "\n".join(df.value.to_csv() for df in at.dataframe)
    assert "Sum sjukeheim (utan aldersheim)" in tables and "Langtidsplassar" in tables
    charts = _chart_texts(at)
    assert "Tilbakerekninga til Legeplan (føresetnad)" in charts and "Legeårsverk i sjukeheim" in charts
    assert "Norma til Legeforeningen 2002 (kjelde)" in charts
    leaks = bokmaal_leaks("\n".join([all_text(at), tables, *charts]))
    assert not leaks, "bokmål på nynorsk side:\n" + "\n".join(leaks[:40])


def test_the_capacity_link_keeps_nynorsk():
    at = open_page(kommune="1103", sum_cover_gap="1", malform="nn")
    link = next(m.value for m in at.markdown if "Opne Fastlegekapasitet" in m.value)
    assert "cap_change_places=-6147" in link and "malform=nn" in link
    assert metrics(at)["Timar flytta frå listene per veke"] == "195,3"


def test_stavanger_gap_sentence_names_the_back_solved_norm_and_the_example_cost():
    """The gap's cost rests on Økonomi's example cost per FTE, and the gap on Legeplan's back-solved norm."""
    at = open_page(kommune="1103")
    text = squash(visible_text(at))
    # 5,21 × 1 705 795 kr = 8 885 145 kr ≈ 8,9 mill. kr; no «om lag» with eight exact digits
    assert squash("Med Legeplans tilbakeregnede norm mangler det 5,21 årsverk, som koster om lag 8,9 mill. kr i "
                  "året med 1 705 795 kr per årsverk (eksempelkostnad).") in text
    assert squash("om lag 8 885 145 kr") not in text
    # Legevakt: 13,5 × 1 705 795 = 23 028 232 kr ≈ 23,0 mill. kr, an example cost; Stavanger's 78,5 % ≈ 18,1 mill.
    assert squash("Legevakten koster om lag 23,0 mill. kr i året (eksempelkostnad)") in text
    assert squash("betaler Stavanger 78,5 % = 18,1 mill. kr") in text
    # The norm table shows whole minutes without decimals and Legeplan's 46,35 with them.
    table = next(df.value for df in at.dataframe if "Norm (minutter per plass per uke)" in df.value.columns)
    norms = dict(zip(table["Type plass"], table["Norm (minutter per plass per uke)"], strict=True))
    assert norms["Langtidsplasser"] == "46,35" and norms["Korttidsplasser"] == "90" and norms["Aldershjem"] == "0"


def test_an_own_cost_per_fte_drops_the_example_mark_from_the_sentences():
    at = open_page(kommune="1103", felles_fte_cost="1500000")
    text = squash(visible_text(at))
    assert squash("som koster om lag 7,8 mill. kr i året med 1 500 000 kr per årsverk.") in text  # 5,21 × 1,5 mill.
    assert "(eksempelkostnad)" not in text
