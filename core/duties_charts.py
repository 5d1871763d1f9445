"""Charts for Kommunale legeoppgaver as pure functions: model DataFrames → alt.Chart (no streamlit)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from core import duties as du
from core.charts import _finish
from core.i18n import N_, t
from core.theme import dash_scale, line_legend

# Okabe–Ito, colour-blind safe.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999"]
TODAY_COLOR = "#999999"
NORM_COLOR = "#0072B2"
AFTER_COLOR = "#E69F00"
SOURCED_COLOR = "#009E73"  # Legeforeningen's 2002 norm beside the levers' norm (growth chart)


# Bar and line names when the sourced norm is drawn beside the levers' norm: which is the source, which
# the assumption (core.duties.norm_in_force). Without a comparison the levers' norm is «Etter normen».
SOURCED_SERIES = N_("Legeforeningens norm 2002 (kilde)")
NORM_SERIES = {du.BACKSOLVED_NORM: N_("Legeplans tilbakeregning (antakelse)"), du.OWN_NORM: N_("Egen norm"),
               du.SOURCED_NORM: N_("Egen norm")}  # sourced long-term norm, another kind changed: the levers' own


def norm_series(norm: str, compared: bool) -> str:
    """The name of the levers' norm in a chart (translated): «Etter normen» alone, named beside the source."""
    return t(NORM_SERIES[norm]) if compared else t("Etter normen")


def nursing_fte_chart(by_kind: pd.DataFrame, current_fte: float, sourced: pd.DataFrame | None = None,
                      norm: str = du.OWN_NORM) -> alt.TopLevelMixin:
    """Horizontal bars: today's doctor FTE, and the norm's FTE stacked by kind of place.

    `by_kind` has columns label, places, fte (core.duties.nursing_home(...).by_kind); kinds without
    places or hours are left out. With `sourced` (the by_kind of core.duties.sourced_reference) a bar
    «Legeforeningens norm 2002 (kilde)» stands between today and the levers' norm, which is named by
    `norm` (Legeplans tilbakeregning (antakelse) in the Stavanger case).
    """
    compared = sourced is not None
    mine = norm_series(norm, compared)
    bars_in = [(t(SOURCED_SERIES), sourced)] if compared else []
    bars_in.append((mine, by_kind))
    rows = [{"bar": t("I dag"), "kind": t("Dagens legeårsverk"), "fte": float(current_fte)}]
    kinds: list[str] = []
    for bar, frame in bars_in:
        shown = frame[(frame["places"] > 0) & (frame["fte"] > 0)]
        rows += [{"bar": bar, "kind": t(r.label), "fte": float(r.fte)} for r in shown.itertuples()]
        kinds += [t(label) for label in shown["label"] if t(label) not in kinds]
    data = pd.DataFrame(rows)
    order = [t("I dag"), *(bar for bar, _ in bars_in)]
    domain = [t("Dagens legeårsverk"), *kinds]
    colors = [TODAY_COLOR, *(PALETTE * 2)[:len(kinds)]]
    bars = alt.Chart(data).mark_bar().encode(
        y=alt.Y("bar:N", title=None, sort=order, axis=alt.Axis(labelLimit=260)),
        x=alt.X("fte:Q", title=t("Legeårsverk"), axis=alt.Axis(format=",.2~f"), stack="zero"),  # no «0,1 0,1»
        color=alt.Color("kind:N", title=None, scale=alt.Scale(domain=domain, range=colors),
                        legend=alt.Legend(orient="bottom", columns=3, labelLimit=260)),
        order=alt.Order("kind:N"),
        tooltip=[alt.Tooltip("bar:N", title=t("Stolpe")), alt.Tooltip("kind:N", title=t("Del")),
                 alt.Tooltip("fte:Q", title=t("Legeårsverk"), format=",.2f")])
    totals = data.groupby("bar", as_index=False, sort=False)["fte"].sum()
    text = alt.Chart(totals).mark_text(align="left", dx=5, fontSize=13, fontWeight="bold").encode(
        y=alt.Y("bar:N", sort=order), x="fte:Q", text=alt.Text("fte:Q", format=",.2f"),
        tooltip=[alt.Tooltip("bar:N", title=t("Stolpe")),  # the table of totals (ui.chart_table) with titles
                 alt.Tooltip("fte:Q", title=t("Legeårsverk i alt"), format=",.2f")])
    return _finish((bars + text).properties(height=alt.Step(48)))


def growth_chart(growth: pd.DataFrame, sourced: pd.DataFrame | None = None,
                 norm: str = du.OWN_NORM) -> alt.TopLevelMixin:
    """Lines by year: doctor FTE the norm asks for against today's FTE (core.duties.nursing_home_growth).

    With `sourced` (the growth under Legeforeningen's 2002 norm) a third line names the source, and the
    levers' norm is named by `norm`, as in nursing_fte_chart.
    """
    mine = norm_series(norm, sourced is not None)
    lines_in = [(t(SOURCED_SERIES), sourced)] if sourced is not None else []
    lines_in.append((mine, growth))
    long = pd.concat([
        *(pd.DataFrame({"year": frame["year"], "serie": name, "fte": frame["required_fte"],
                        "places": frame["places"]}) for name, frame in lines_in),
        pd.DataFrame({"year": growth["year"], "serie": t("Dagens legeårsverk"), "fte": growth["current_fte"],
                      "places": growth["places"]}),
    ])
    names = [name for name, _ in lines_in] + [t("Dagens legeårsverk")]
    palette = ([SOURCED_COLOR] if sourced is not None else []) + [NORM_COLOR, TODAY_COLOR]
    # The series names say which norm is the source and which the assumption: never cut, one per row.
    legend = line_legend(labelLimit=500, columns=1) if sourced is not None else line_legend()
    color = alt.Color("serie:N", title=None, legend=alt.Legend(**legend),
                      scale=alt.Scale(domain=names, range=palette))
    lines = alt.Chart(long).mark_line(point=True, strokeWidth=2.5).encode(
        x=alt.X("year:O", title=t("År"), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("fte:Q", title=t("Legeårsverk i sykehjem"), axis=alt.Axis(format=",.1f"),
                scale=alt.Scale(zero=True)),
        color=color,
        strokeDash=alt.StrokeDash("serie:N", title=None, legend=alt.Legend(**legend),  # greyscale
                                  scale=dash_scale(names)),
        tooltip=[alt.Tooltip("year:O", title=t("År")), alt.Tooltip("serie:N", title=t("Serie")),
                 alt.Tooltip("fte:Q", title=t("Legeårsverk"), format=",.2f"),
                 alt.Tooltip("places:Q", title=t("Sykehjemsplasser"), format=",.0f")])
    return _finish(lines.properties(height=330 if sourced is not None else 280))  # room for the legend's rows


def exemption_chart(series: pd.DataFrame, current_share: float, current_value: float) -> alt.TopLevelMixin:
    """Shifts per duty-bound GP per month as the share with exemption grows; today's share marked.

    `series` has columns exemption_share, shifts_per_gp_month, shifts_per_gp (core.duties.exemption_series).
    """
    line = alt.Chart(series).mark_line(strokeWidth=2.5, color=NORM_COLOR).encode(
        x=alt.X("exemption_share:Q", title=t("Andel av de vaktpliktige med fritak"), axis=alt.Axis(format=".0%")),
        y=alt.Y("shifts_per_gp_month:Q", title=t("Vakter per fastlege per måned"), axis=alt.Axis(format=",.1f")),
        tooltip=[alt.Tooltip("exemption_share:Q", title=t("Andel med fritak"), format=".0%"),
                 alt.Tooltip("active_gps:Q", title=t("Fastleger som går vakt"), format=",.1f"),
                 alt.Tooltip("shifts_per_gp_month:Q", title=t("Vakter per lege per måned"), format=",.2f"),
                 alt.Tooltip("shifts_per_gp:Q", title=t("Vakter per lege per periode"), format=",.1f")])
    now = pd.DataFrame({"exemption_share": [float(current_share)], "shifts_per_gp_month": [float(current_value)],
                        "label": [t("Valgt andel")]})
    point = alt.Chart(now).mark_point(size=120, filled=True, color=AFTER_COLOR).encode(
        x="exemption_share:Q", y="shifts_per_gp_month:Q",
        tooltip=[alt.Tooltip("label:N", title=""), alt.Tooltip("shifts_per_gp_month:Q", format=",.2f",
                                                                 title=t("Vakter per lege per måned"))])
    text = alt.Chart(now).mark_text(align="left", dx=8, dy=-8, color="#333333").encode(
        x="exemption_share:Q", y="shifts_per_gp_month:Q", text="label:N")
    return _finish((line + point + text).properties(height=280))


def shares_chart(shares: pd.DataFrame) -> alt.TopLevelMixin:
    """Horizontal bars: each kommune's share of the legevakt cost by population (core.duties.cost_shares)."""
    order = list(shares.sort_values("share", ascending=False)["kommune"])
    base = alt.Chart(shares).encode(
        y=alt.Y("kommune:N", title=None, sort=order, axis=alt.Axis(labelLimit=220)),
        x=alt.X("share:Q", title=t("Andel av kostnaden (etter innbyggertall)"), axis=alt.Axis(format=".0%"),
                scale=alt.Scale(domain=[0, 1])),
        tooltip=[alt.Tooltip("kommune:N", title=t("Kommune")),
                 alt.Tooltip("population:Q", title=t("Innbyggere"), format=",.0f"),
                 alt.Tooltip("share:Q", title=t("Andel"), format=".1%"),
                 alt.Tooltip("kr:Q", title=t("Kroner per år"), format=",.0f")])
    bars = base.mark_bar(color=NORM_COLOR, height=24)
    text = base.mark_text(align="left", dx=4, fontSize=12).encode(text=alt.Text("share:Q", format=".1%"))
    return _finish((bars + text).properties(height=60 + 40 * len(shares)))


def total_chart(picture: pd.DataFrame) -> alt.TopLevelMixin:
    """Grouped horizontal bars: doctor FTE by service today and after the moved hours (core.duties.whole_picture)."""
    order = [t(label) for label in picture["label"]]
    long = pd.concat([
        pd.DataFrame({"label": order, "when": t("I dag"), "fte": picture["today"]}),
        pd.DataFrame({"label": order, "when": t("Med flyttede timer"), "fte": picture["after"]}),
    ])
    base = alt.Chart(long).encode(
        y=alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelLimit=240)),
        yOffset=alt.YOffset("when:N", sort=[t("I dag"), t("Med flyttede timer")]),
        x=alt.X("fte:Q", title=t("Legeårsverk"), axis=alt.Axis(format=",.0f")),
        color=alt.Color("when:N", title=None, legend=alt.Legend(orient="bottom"),
                        scale=alt.Scale(domain=[t("I dag"), t("Med flyttede timer")], range=[TODAY_COLOR, AFTER_COLOR])),
        tooltip=[alt.Tooltip("label:N", title=t("Tjeneste")), alt.Tooltip("when:N", title=""),
                 alt.Tooltip("fte:Q", title=t("Legeårsverk"), format=",.2f")])
    text = base.mark_text(align="left", dx=4, fontSize=11).encode(text=alt.Text("fte:Q", format=",.1f"),
                                                                   color=alt.value("#333333"))
    return _finish((base.mark_bar() + text).properties(height=70 + 48 * len(picture)))


def capacity_chart(series: pd.DataFrame, hours: float, value: float, has_base: bool) -> alt.TopLevelMixin:
    """Free list places (or the change in places) against weekly hours moved to municipal duties.

    `series` has columns hours, free_places (core.duties.capacity_series); the chosen hours are marked.
    """
    title = t("Ledige listeplasser") if has_base else t("Endring i listeplasser")
    line = alt.Chart(series).mark_line(strokeWidth=2.5, color=NORM_COLOR).encode(
        x=alt.X("hours:Q", title=t("Timer per uke flyttet fra lister til kommunale oppgaver"),
                axis=alt.Axis(format=",.0f")),
        y=alt.Y("free_places:Q", title=title, axis=alt.Axis(format=",.0f")),
        tooltip=[alt.Tooltip("hours:Q", title=t("Timer per uke"), format=",.1f"),
                 alt.Tooltip("free_places:Q", title=title, format=",.0f")])
    zero = alt.Chart(pd.DataFrame({"y": [0.0]})).mark_rule(color="#666666").encode(y="y:Q")
    now = pd.DataFrame({"hours": [float(hours)], "free_places": [float(value)], "label": [t("Valgt")]})
    point = alt.Chart(now).mark_point(size=120, filled=True, color=AFTER_COLOR).encode(
        x="hours:Q", y="free_places:Q",
        tooltip=[alt.Tooltip("hours:Q", title=t("Timer per uke"), format=",.1f"),
                 alt.Tooltip("free_places:Q", title=title, format=",.0f")])
    return _finish((line + zero + point).properties(height=280))
