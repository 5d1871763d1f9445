"""Charts as pure functions: DataFrame → alt.Chart, Norwegian number format, no streamlit."""

from __future__ import annotations

import functools

import altair as alt
import numpy as np
import pandas as pd

from core import fmt
from core.i18n import N_, in_maalform, maalform, t
from core.theme import CHART_TEXT, NBSP, NO_LOCALE, line_legend  # noqa: F401  (NO_LOCALE: Norwegian Vega locale)

# Colour-blind safe (Okabe–Ito): the chosen kommune, the nation, and the rest.
KOMMUNE_COLOR = "#0072B2"
NATIONAL_COLOR = "#E69F00"
OTHER_COLOR = "#999999"


def _finish(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    return chart.configure(locale=NO_LOCALE).configure_axis(labelFontSize=12, titleFontSize=12)


def axis_format(unit: str) -> str:
    """d3 format string for a unit: percent values with one decimal, counts as integers."""
    return {"pct": ",.1f", "share": ".1%", "per resident": ",.2f", "coverage index": ",.1f"}.get(unit, ",.0f")


# Where a coverage point of the kommune's trend comes from (core.indicators.coverage_by_year).
COVERAGE_FROM_COUNTS = N_("SSB tabell 12005: sum listetak / alle listepasienter")
COVERAGE_DERIVED = N_("Avledet av SSB tabell 12005: reservekapasitet × (1 − andel uten lege), ± ca. 0,5")


def trend_chart(kommune: pd.DataFrame, national: pd.DataFrame, kommune_name: str, title: str,
                unit: str) -> alt.TopLevelMixin:
    """Line chart of one metric over years: the kommune (solid) and the nation (dashed points).

    `kommune` and `national` have columns year, value (national also source); a `from_counts` column in
    `kommune` (coverage) says per year whether the value is computed from the counts or derived.
    """
    k = kommune.assign(serie=kommune_name, kilde="SSB tabell 12005")
    if "from_counts" in kommune.columns and kommune["from_counts"].notna().all() and len(kommune):
        k["kilde"] = np.where(kommune["from_counts"].astype(bool), t(COVERAGE_FROM_COUNTS), t(COVERAGE_DERIVED))
    n = national.assign(serie="Landet").rename(columns={"source": "kilde"})
    data = pd.concat([k[["year", "value", "serie", "kilde"]], n[["year", "value", "serie", "kilde"]]])
    fmt = axis_format(unit)
    color = alt.Color("serie:N", title=None,
                      scale=alt.Scale(domain=[kommune_name, "Landet"],
                                      range=[KOMMUNE_COLOR, NATIONAL_COLOR]),
                      legend=alt.Legend(**line_legend()))
    base = alt.Chart(data).encode(
        x=alt.X("year:O", title="År", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("value:Q", title=title, axis=alt.Axis(format=fmt), scale=alt.Scale(zero=False)),
        color=color,
        strokeDash=alt.StrokeDash("serie:N", title=None, legend=alt.Legend(**line_legend()),  # one legend
                                  scale=alt.Scale(domain=[kommune_name, "Landet"],
                                                  range=[[1, 0], [5, 3]])),
        tooltip=[alt.Tooltip("serie:N", title="Serie"), alt.Tooltip("year:O", title="År"),
                 alt.Tooltip("value:Q", title=title, format=fmt),
                 alt.Tooltip("kilde:N", title="Kilde")],
    )
    chart = (base.mark_line(strokeWidth=2.5) + base.mark_point(size=60, filled=True)).properties(
        height=260)
    return _finish(chart)


def comparison_chart(comp: pd.DataFrame, indicator: str, title: str, unit: str) -> alt.TopLevelMixin:
    """Horizontal bars: kommune, county, KOSTRA group and nation for one indicator."""
    data = comp[["level", "label", "n_kommuner", indicator]].rename(columns={indicator: "value"})
    data = data.dropna(subset=["value"])
    fmt = axis_format(unit)
    color = alt.condition(alt.datum.level == "kommune", alt.value(KOMMUNE_COLOR), alt.value(OTHER_COLOR))
    bars = alt.Chart(data).mark_bar().encode(
        y=alt.Y("label:N", title=None, sort=None),
        x=alt.X("value:Q", title=title, axis=alt.Axis(format=fmt)),
        color=color,
        tooltip=[alt.Tooltip("label:N", title="Område"),
                 alt.Tooltip("value:Q", title=title, format=fmt),
                 alt.Tooltip("n_kommuner:Q", format=",.0f", title="Kommuner med tall")],
    )
    text = bars.mark_text(align="left", dx=4).encode(text=alt.Text("value:Q", format=fmt),
                                                     color=alt.value("#333333"))
    return _finish((bars + text).properties(height=40 * max(len(data), 1) + 20))


def peer_chart(peers: pd.DataFrame, indicator: str, title: str, unit: str) -> alt.TopLevelMixin:
    """Every kommune in the peer group as a bar, sorted, the chosen one highlighted."""
    data = peers[["display_name", "kommunenummer", "is_selected", "population_2026", indicator]]
    data = data.rename(columns={indicator: "value"}).dropna(subset=["value"])
    fmt = axis_format(unit)
    chart = alt.Chart(data).mark_bar().encode(
        x=alt.X("display_name:N", sort="-y", title=None, axis=alt.Axis(labelAngle=-60)),
        y=alt.Y("value:Q", title=title, axis=alt.Axis(format=fmt)),
        color=alt.condition(alt.datum.is_selected, alt.value(KOMMUNE_COLOR), alt.value(OTHER_COLOR)),
        tooltip=[alt.Tooltip("display_name:N", title="Kommune"),
                 alt.Tooltip("value:Q", title=title, format=fmt),
                 alt.Tooltip("population_2026:Q", title="Folketall 1.1.2026", format=",.0f")],
    ).properties(height=260)
    return _finish(chart)


GEO_URL = "app/static/kommuner.geojson"  # written by data/build.py, served by Streamlit
MAP_SELECTION = "velg_kommune"  # point selection on the map: a click chooses a kommune
MAP_COLORS = ("#440154", "#3b528b", "#21918c", "#5ec962", "#fde725")  # viridis, 5 classes


def class_breaks(values: pd.Series, classes: int = 5) -> list[float]:
    """Up to classes-1 increasing break points: quintiles where distinct, else equal steps."""
    v = values.dropna().astype(float)
    if v.empty or v.min() == v.max():
        return []
    qs = sorted({float(x) for x in v.quantile([i / classes for i in range(1, classes)])})
    qs = [q for q in qs if v.min() < q <= v.max()]
    if len(qs) >= 3:
        return qs
    step = (v.max() - v.min()) / classes
    return [float(v.min() + step * i) for i in range(1, classes)]


def norway_map(values: pd.DataFrame, indicator: str, title: str, unit: str, selected: str,
               geo_url: str = GEO_URL) -> alt.TopLevelMixin:
    """Choropleth of one indicator per kommune, the selected kommune outlined.

    The polygons are fetched by the browser from `geo_url` (a GeoJSON FeatureCollection with
    properties.kommunenummer); `values` (kommunenummer, display_name, indicator) is joined to
    them in Vega with a lookup, so the chart spec stays small. Kommuner without a value are grey.
    """
    data = values[["kommunenummer", "display_name", indicator]].rename(
        columns={"display_name": "navn", indicator: "verdi"}).astype({"verdi": float})
    fmt = axis_format(unit)
    breaks = class_breaks(data["verdi"]) or [float(data["verdi"].max() or 0.0)]
    projection = {"type": "transverseMercator", "rotate": [-15, -65, 0]}
    geo = alt.Data(url=geo_url, format=alt.DataFormat(property="features", type="json"))
    base = alt.Chart(data).mark_geoshape(stroke="white", strokeWidth=0.3).transform_lookup(
        lookup="kommunenummer", from_=alt.LookupData(data=geo, key="properties.kommunenummer"),
        as_="geo",
    ).encode(
        shape="geo:G",
        color=alt.condition("isValid(datum.verdi)",
                            alt.Color("verdi:Q", title=title,
                                      scale=alt.Scale(type="threshold", domain=breaks,
                                                      range=list(MAP_COLORS[:len(breaks) + 1])),
                                      legend=alt.Legend(format=fmt, orient="top-left", title=title)),
                            alt.value("#bdbdbd")),
        tooltip=[alt.Tooltip("navn:N", title="Kommune"),
                 alt.Tooltip("kommunenummer:N", title="Nummer"),
                 alt.Tooltip("verdi:Q", title=title, format=fmt)],
    ).add_params(
        alt.selection_point(name=MAP_SELECTION, fields=["kommunenummer"], on="click", clear=False),
    ).project(**projection)
    if not (selected.isdigit() and len(selected) == 4):
        raise ValueError(f"not a kommune number: {selected!r}")
    # aria=False: the outline is decoration for screen readers (the chart's alt text names the kommune)
    outline = alt.Chart(geo).mark_geoshape(fillOpacity=0, stroke="#d55e00", strokeWidth=3, aria=False).transform_filter(
        f"datum.properties.kommunenummer === '{selected}'").project(**projection)
    return _finish((base + outline).properties(height=560))


SURPLUS_COLOR = "#009E73"
SHORTAGE_COLOR = "#D55E00"


# --- Fastlegekapasitet: specs from templates -------------------------------------------------------
# A lever change redraws three charts. Building and validating them with Altair costs tens of
# milliseconds each, so each chart's Vega-Lite spec is built by Altair once, on named datasets, and
# every scenario only fills in the data (`_with_data`). The output is the same Vega-Lite.


def _with_data(template: dict, **datasets: list[dict]) -> dict:
    """A copy of a cached spec template with its named datasets (lists of records) filled in."""
    spec = dict(template)
    spec["datasets"] = datasets
    return spec


def _records(result: pd.DataFrame, columns: list[str]) -> list[dict]:
    """Rows of `result` as plain dicts of Python numbers (years as int), skipping NaN rows."""
    arrays = [result[c].to_numpy(dtype=float).tolist() for c in columns]
    rows = []
    for values in zip(*arrays, strict=True):
        if any(v != v for v in values):  # NaN
            continue
        rows.append({c: (int(v) if c == "year" else v) for c, v in zip(columns, values, strict=True)})
    return rows


def _capacity_template(code: str | None = None) -> dict:
    """The capacity chart without data, in målform `code` (default: the one in force)."""
    return _capacity_template_in(code or maalform())


@functools.cache
def _capacity_template_in(code: str) -> dict:
    with in_maalform(code):
        return _build_capacity_template()


def _build_capacity_template() -> dict:
    x = alt.X("year:O", title=t("År"), axis=alt.Axis(labelAngle=0))
    fmt = ",.0f"
    area = alt.NamedData(name="kapasitet")
    # The bands are drawn against ALL list patients (as «Dekning»): against patients on lists with a
    # doctor (SSB's reserve) a collapse showed a green band of «free places» while lists lost their doctor.
    surplus = alt.Chart(area).mark_area(color=SURPLUS_COLOR, opacity=0.25).encode(
        x=x, y=alt.Y("list_patients:Q"), y2="top:Q")
    shortage = alt.Chart(area).mark_area(color=SHORTAGE_COLOR, opacity=0.3).encode(
        x=x, y=alt.Y("capacity:Q"), y2="top:Q")
    domain = [t(label) for label in CAPACITY_SERIES.values()]
    lines = alt.Chart(alt.NamedData(name="kapasitet_serier")).mark_line(strokeWidth=2.5, point=True).encode(
        x=x,
        y=alt.Y("personer:Q", title=t("Personer"), scale=alt.Scale(zero=False), axis=alt.Axis(format=fmt)),
        color=alt.Color("serie:N", title=None, scale=alt.Scale(domain=domain,
                        range=[KOMMUNE_COLOR, "#333333", "#999999"]), legend=alt.Legend(**line_legend())),
        strokeDash=alt.StrokeDash("serie:N", scale=alt.Scale(domain=domain, range=[[1, 0], [1, 0], [4, 3]]),
                                  title=None, legend=alt.Legend(**line_legend())),  # one legend: colour and dash
        tooltip=[alt.Tooltip("year:O", title=t("År")), alt.Tooltip("serie:N", title=t("Serie")),
                 alt.Tooltip("personer:Q", title=t("Personer"), format=fmt)],
    )
    return _finish((surplus + shortage + lines).properties(height=320)).to_dict()


CAPACITY_SERIES = {"capacity": N_("Sum listetak"), "list_patients": N_("Alle listepasienter"),
                   "patients_with_gp": N_("Pasienter på lister med lege")}


def capacity_spec(result: pd.DataFrame) -> dict:
    """Sum of list caps (places on lists with a doctor) against all list patients, year by year, gap shaded.

    Green band: places beyond all list patients (coverage over 100); orange band: list patients without
    a place, those on lists without a doctor included (coverage under 100). Patients on lists with a
    doctor (SSB's reserve index divides by them) as a dotted line. Returns a Vega-Lite spec.
    """
    area = _records(result, ["year", "capacity", "patients_with_gp", "list_patients"])
    for row in area:
        row["top"] = max(row["capacity"], row["list_patients"])
    long = [{"year": row["year"], "serie": t(label), "personer": row[col]}
            for col, label in CAPACITY_SERIES.items() for row in area]
    return _with_data(_capacity_template(), kapasitet=area, kapasitet_serier=long)


COVERAGE_SERIES = {"coverage_index": N_("Dekning (alle listepasienter)"),
                   "reserve_index": N_("Reservekapasitet (SSB, bare pasienter på lister med lege)")}


def _coverage_template(code: str | None = None) -> dict:
    """The coverage chart without data, in målform `code` (default: the one in force)."""
    return _coverage_template_in(code or maalform())


@functools.cache
def _coverage_template_in(code: str) -> dict:
    with in_maalform(code):
        return _build_coverage_template()


def _target_rule(dataset: str, dy: int) -> tuple[alt.Chart, alt.Chart]:
    """The coverage target as a dashed rule and its label «Mål 100» at the right edge, under the rule (in
    the middle, above it, SSB's dashed line ran through the label); data: named dataset `dataset`."""
    target = alt.NamedData(name=dataset)
    rule = alt.Chart(target).mark_rule(color=SHORTAGE_COLOR, strokeDash=[6, 4], strokeWidth=2).encode(
        y="mål:Q", tooltip=[alt.Tooltip("mål:Q", title=t("Mål for dekning"), format=",.0f")])
    label = alt.Chart(target).mark_text(align="right", dx=-4, dy=dy, color=CHART_TEXT).encode(
        x=alt.value("width"), y="mål:Q", text="tekst:N")
    return rule, label


def _build_coverage_template() -> dict:
    x = alt.X("year:O", title=t("År"), axis=alt.Axis(labelAngle=0))
    domain = [t(label) for label in COVERAGE_SERIES.values()]
    lines = alt.Chart(alt.NamedData(name="dekning")).mark_line(point=True).encode(
        x=x,
        # a title that fits the chart's height (the longer one was cut at 260 px)
        y=alt.Y("indeks:Q", title=t("Plasser per 100 pasienter"), scale=alt.Scale(zero=False),
                axis=alt.Axis(format=",.0f")),
        # one series per row: side by side, SSB's long name was cut in a half-width chart at 1366 px
        color=alt.Color("serie:N", title=None, scale=alt.Scale(domain=domain, range=[KOMMUNE_COLOR, OTHER_COLOR]),
                        legend=alt.Legend(**line_legend(labelLimit=420, columns=1))),
        strokeDash=alt.StrokeDash("serie:N", scale=alt.Scale(domain=domain, range=[[1, 0], [4, 3]]), title=None,
                                  legend=alt.Legend(**line_legend(labelLimit=420, columns=1))),
        strokeWidth=alt.StrokeWidth("serie:N", scale=alt.Scale(domain=domain, range=[3, 1.5]), legend=None),
        tooltip=[alt.Tooltip("year:O", title=t("År")), alt.Tooltip("serie:N", title=t("Serie")),
                 alt.Tooltip("indeks:Q", title=t("Indeks"), format=",.1f")])
    rule, label = _target_rule("dekning_mål", dy=10)
    # 300 px: with the legend in two rows under it, 260 px left the axis title no room (cut at 1366 px)
    return _finish((lines + rule + label).properties(height=300)).to_dict()


def coverage_spec(result: pd.DataFrame, target: float) -> dict:
    """Coverage (places on lists with a doctor / all list patients × 100) per year against the target
    (dashed rule), with SSB's reserve index as a thin dashed grey line. Returns a Vega-Lite spec."""
    rows = _records(result, ["year", *COVERAGE_SERIES])
    long = [{"year": row["year"], "serie": t(label), "indeks": row[col]}
            for col, label in COVERAGE_SERIES.items() for row in rows]
    goal = [{"mål": float(target), "tekst": t("Mål {target}", target=fmt.number(target))}]
    return _with_data(_coverage_template(), dekning=long, dekning_mål=goal)


MEETING_SERIES = {"now": N_("Dekning med endringene"), "before": N_("Dekning i scenarioet som ble åpnet")}


@functools.cache
def _meeting_template_in(code: str) -> dict:
    with in_maalform(code):
        x = alt.X("year:O", title=t("År"), axis=alt.Axis(labelAngle=0))
        domain = [t(label) for label in MEETING_SERIES.values()]
        legend = alt.Legend(**line_legend(labelLimit=0, columns=2))
        lines = alt.Chart(alt.NamedData(name="møte")).mark_line(point=True).encode(
            x=x,
            y=alt.Y("indeks:Q", title=t("Plasser per 100 pasienter"), scale=alt.Scale(zero=False),
                    axis=alt.Axis(format=",.0f", tickMinStep=1)),
            # the opened scenario as a grey dashed ghost under the changed line
            color=alt.Color("serie:N", title=None, scale=alt.Scale(domain=domain,
                            range=[KOMMUNE_COLOR, OTHER_COLOR]), legend=legend),
            strokeDash=alt.StrokeDash("serie:N", scale=alt.Scale(domain=domain, range=[[1, 0], [6, 4]]), title=None,
                                      legend=legend),
            strokeWidth=alt.StrokeWidth("serie:N", scale=alt.Scale(domain=domain, range=[4, 2.5]), legend=None),
            tooltip=[alt.Tooltip("year:O", title=t("År")), alt.Tooltip("serie:N", title=t("Serie")),
                     alt.Tooltip("indeks:Q", title=t("Dekning"), format=",.1f")])
        rule, label = _target_rule("møte_mål", dy=14)  # 14: the projector's 18 px label under the rule
        return _finish(lines + rule + label).to_dict()


def meeting_coverage_spec(result: pd.DataFrame, reference: pd.DataFrame, target: float) -> dict:
    """The meeting view's chart: coverage year by year with the levers as they are now, the opened
    scenario's coverage as a grey dashed ghost line, and the target as a dashed rule. Vega-Lite spec
    without a height (the meeting view fits it to the screen)."""
    rows = [{"year": r["year"], "serie": t(MEETING_SERIES["now"]), "indeks": r["coverage_index"]}
            for r in _records(result, ["year", "coverage_index"])]
    ghost = [{"year": r["year"], "serie": t(MEETING_SERIES["before"]), "indeks": r["coverage_index"]}
             for r in _records(reference, ["year", "coverage_index"])]
    goal = [{"mål": float(target), "tekst": t("Mål {target}", target=fmt.number(target))}]
    return _with_data(_meeting_template_in(maalform()), **{"møte": ghost + rows, "møte_mål": goal})


def _reserve_template(code: str | None = None) -> dict:
    """The reserve chart without data, in målform `code` (default: the one in force)."""
    return _reserve_template_in(code or maalform())


@functools.cache
def _reserve_template_in(code: str) -> dict:
    with in_maalform(code):
        return _build_reserve_template()


def _build_reserve_template() -> dict:
    x = alt.X("year:O", title=t("År"), axis=alt.Axis(labelAngle=0))
    line = alt.Chart(alt.NamedData(name="reserve")).mark_line(strokeWidth=2.5, point=True,
                                                              color=KOMMUNE_COLOR).encode(
        x=x, y=alt.Y("reserve_index:Q", title=t("Reservekapasitet (SSB, indeks)"), scale=alt.Scale(zero=False),
                     axis=alt.Axis(format=",.0f")),
        tooltip=[alt.Tooltip("year:O", title=t("År")),
                 alt.Tooltip("reserve_index:Q", title=t("Reservekapasitet (SSB)"), format=",.1f")])
    target = alt.NamedData(name="reserve_mål")
    rule = alt.Chart(target).mark_rule(color=SHORTAGE_COLOR, strokeDash=[6, 4], strokeWidth=2).encode(
        y="mål:Q", tooltip=[alt.Tooltip("mål:Q", title=t("Mål"), format=",.0f")])
    # the label in dark text: vermillion text would have 3,9:1 contrast, under WCAG's 4,5:1
    label = alt.Chart(target).mark_text(align="left", dx=4, dy=-6, color=CHART_TEXT).encode(
        y="mål:Q", text="tekst:N")
    return _finish((line + rule + label).properties(height=260)).to_dict()


def reserve_spec(result: pd.DataFrame, target: float) -> dict:
    """SSB's reserve capacity index per year against the target (dashed rule). Returns a Vega-Lite spec.

    Not on the page (coverage_spec is): SSB's index leaves out patients on lists without a doctor, so it
    rises when lists lose their doctor. Kept for exports that show SSB's own measure."""
    goal = [{"mål": float(target), "tekst": t("Mål {target}", target=fmt.number(target))}]
    return _with_data(_reserve_template(), reserve=_records(result, ["year", "reserve_index"]), reserve_mål=goal)


def _without_gp_template(code: str | None = None) -> dict:
    """The chart of patients without a GP without data, in målform `code` (default: the one in force)."""
    return _without_gp_template_in(code or maalform())


@functools.cache
def _without_gp_template_in(code: str) -> dict:
    with in_maalform(code):
        return _build_without_gp_template()


def _build_without_gp_template() -> dict:
    chart = alt.Chart(alt.NamedData(name="uten_lege")).mark_bar(color=SHORTAGE_COLOR).encode(
        x=alt.X("year:O", title=t("År"), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("patients_without_gp:Q", title=t("Pasienter uten fastlege"), axis=alt.Axis(format=",.0f")),
        tooltip=[alt.Tooltip("year:O", title=t("År")),
                 alt.Tooltip("patients_without_gp:Q", title=t("Pasienter uten fastlege"), format=",.0f"),
                 alt.Tooltip("vacant_lists:Q", title=t("Lister uten lege"), format=",.1f")])
    return _finish(chart.properties(height=260)).to_dict()


def without_gp_spec(result: pd.DataFrame) -> dict:
    """Patients without a GP (on lists without a doctor) per year (bars). Returns a Vega-Lite spec."""
    return _with_data(_without_gp_template(),
                      uten_lege=_records(result, ["year", "patients_without_gp", "vacant_lists"]))


WOMEN_COLOR = "#CC79A7"
MEN_COLOR = "#56B4E9"


def pyramid_chart(today: pd.DataFrame, later: pd.DataFrame, today_label: str,
                  later_label: str) -> alt.TopLevelMixin:
    """Population pyramid: men left, women right; `today` as bars, `later` as a black outline.

    Both frames: age_band, age_from, sex ('Kvinner'/'Menn'), persons.
    """
    def signed(df: pd.DataFrame, label: str) -> pd.DataFrame:
        out = df.copy()
        out["x"] = np.where(out["sex"] == "Menn", -out["persons"], out["persons"])
        out["tidspunkt"] = label
        return out

    data = pd.concat([signed(today, today_label), signed(later, later_label)])
    sexes = {"Kvinner": t("Kvinner"), "Menn": t("Menn")}
    data["sex"] = data["sex"].map(sexes)
    order = list(dict.fromkeys(today.sort_values("age_from", ascending=False)["age_band"]))
    y = alt.Y("age_band:N", sort=order, title=t("Alder"))
    x = alt.X("x:Q", title=t("Personer (menn til venstre, kvinner til høyre)"),
              axis=alt.Axis(labelExpr="format(abs(datum.value), ',')"))
    tooltip = [alt.Tooltip("tidspunkt:N", title=t("År")), alt.Tooltip("sex:N", title=t("Kjønn")),
               alt.Tooltip("age_band:N", title=t("Alder")),
               alt.Tooltip("persons:Q", title=t("Personer"), format=",.0f")]
    bars = alt.Chart(data[data["tidspunkt"] == today_label]).mark_bar(opacity=0.75).encode(
        x=x, y=y, tooltip=tooltip,
        color=alt.Color("sex:N", title=None, scale=alt.Scale(domain=list(sexes.values()),
                                                              range=[WOMEN_COLOR, MEN_COLOR]),
                        legend=alt.Legend(orient="bottom")))
    outline = alt.Chart(data[data["tidspunkt"] == later_label]).mark_bar(
        fillOpacity=0, stroke="#222222", strokeWidth=1.5).encode(x=x, y=y, tooltip=tooltip)
    return _finish((bars + outline).properties(height=420))


def old_age_chart(paths: pd.DataFrame, ssb: pd.DataFrame | None = None) -> alt.TopLevelMixin:
    """67+ and 80+ per year: registered (solid), projected (dashed) with the band, SSB's line if any."""
    x = alt.X("year:O", title=t("År (1. januar)"),
              axis=alt.Axis(labelAngle=0, values=list(range(2005, 2051, 5))))
    # blue and orange: apart also in greyscale (the dashes tell registered from projected)
    color = alt.Color("age_group:N", title=t("Aldersgruppe"), scale=alt.Scale(domain=["67+", "80+"],
                      range=[KOMMUNE_COLOR, NATIONAL_COLOR]), legend=alt.Legend(orient="bottom"))
    fmt = ",.0f"
    future = paths[paths["kind"] == "framskrevet"]
    history = paths[paths["kind"] == "registrert"]
    if not future.empty and not history.empty:  # the dashed line starts where the solid one ends
        last = history[history["year"] == history["year"].max()]
        joint = last.assign(kind="framskrevet", lower=last["persons"], upper=last["persons"])
        future = pd.concat([joint, future], ignore_index=True)
        paths = pd.concat([history, future, paths[~paths["kind"].isin(["registrert", "framskrevet"])]],
                          ignore_index=True)
    kinds = {"registrert": t("registrert"), "framskrevet": t("framskrevet"), "SSB": "SSB"}
    paths = paths.assign(kind=paths["kind"].map(kinds).fillna(paths["kind"]))
    future = future.assign(kind=future["kind"].map(kinds).fillna(future["kind"]))
    band = alt.Chart(future).mark_area(opacity=0.2).encode(
        x=x, y=alt.Y("lower:Q"), y2="upper:Q", color=color,
        tooltip=[alt.Tooltip("year:O", title=t("År")), alt.Tooltip("age_group:N", title=t("Gruppe")),
                 alt.Tooltip("lower:Q", title=t("Nedre"), format=fmt),
                 alt.Tooltip("upper:Q", title=t("Øvre"), format=fmt)])
    lines = alt.Chart(paths).mark_line(strokeWidth=2.5).encode(
        x=x, y=alt.Y("persons:Q", title=t("Personer"), axis=alt.Axis(format=fmt)), color=color,
        strokeDash=alt.StrokeDash("kind:N", title=None, scale=alt.Scale(
            domain=list(kinds.values()), range=[[1, 0], [6, 3], [2, 2]])),
        detail="kind:N",
        tooltip=[alt.Tooltip("year:O", title=t("År")), alt.Tooltip("age_group:N", title=t("Gruppe")),
                 alt.Tooltip("kind:N", title=t("Serie")),
                 alt.Tooltip("persons:Q", title=t("Personer"), format=fmt)])
    layers = [band, lines]
    if ssb is not None and not ssb.empty:
        layers.append(alt.Chart(ssb.assign(kind="SSB")).mark_line(strokeWidth=1.5, strokeDash=[2, 2]).encode(
            x=x, y="persons:Q", color=color, detail="kind:N",
            tooltip=[alt.Tooltip("year:O", title=t("År")), alt.Tooltip("age_group:N", title=t("Gruppe")),
                     alt.Tooltip("persons:Q", title="SSB", format=fmt)]))
    return _finish(alt.layer(*layers).properties(height=340))
