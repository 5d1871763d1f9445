"""Economy charts as pure functions: DataFrame → alt.Chart (Norwegian number format, no streamlit)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from core import fmt
from core.charts import _finish
from core.i18n import t
from core.theme import dash_scale, line_legend

FORM_COLORS = {"Næringsdrift": "#E69F00", "Fastlønn": "#0072B2", "Blandet drift": "#009E73"}


def cost_curve_chart(curve: pd.DataFrame, marks: list[tuple[str, float]], chosen: float) -> alt.TopLevelMixin:
    """Net cost per year against list length, one line per operating form, break-even lines marked.

    `curve` has columns list_length, form, kr (core.economy.cost_curve); `marks` are (label, list
    length) for vertical rules (only those inside the x range are drawn); `chosen` is the lever's
    list length, drawn as a dotted rule.
    """
    lo, hi = float(curve["list_length"].min()), float(curve["list_length"].max())
    color = alt.Color("form:N", title=None, scale=alt.Scale(domain=[t(k) for k in FORM_COLORS],
                                                            range=list(FORM_COLORS.values())),
                      legend=alt.Legend(**line_legend()))
    lines = alt.Chart(curve).mark_line(strokeWidth=2.5).encode(
        x=alt.X("list_length:Q", title=t("Pasienter på listen"), axis=alt.Axis(format=",.0f"),
                scale=alt.Scale(domain=[lo, hi])),
        y=alt.Y("kr:Q", title=t("Netto kostnad for kommunen (kr per år)"), axis=alt.Axis(format=",.0f")),
        color=color,
        strokeDash=alt.StrokeDash("form:N", title=None, scale=dash_scale([t(k) for k in FORM_COLORS]),
                                  legend=alt.Legend(**line_legend())),  # one legend: colour and dash
        tooltip=[alt.Tooltip("form:N", title=t("Driftsform")),
                 alt.Tooltip("list_length:Q", title=t("Pasienter"), format=",.0f"),
                 alt.Tooltip("kr:Q", title=t("Kr per år"), format=",.0f")])
    zero = alt.Chart(pd.DataFrame({"kr": [0.0]})).mark_rule(color="#666666").encode(y="kr:Q")
    rules = pd.DataFrame([{"label": label, "list_length": x} for label, x in marks if lo <= x <= hi]
                         + [{"label": t("Valgt listelengde"), "list_length": float(chosen)}])
    # One line of text per rule, top down from left to right: close rules' labels no longer overlap.
    rules = rules.sort_values("list_length", kind="stable").reset_index(drop=True)
    rules["row"] = range(len(rules))
    rule = alt.Chart(rules).mark_rule(strokeDash=[4, 3], color="#444444").encode(
        x="list_length:Q",
        tooltip=[alt.Tooltip("label:N", title=t("Linje")),
                 alt.Tooltip("list_length:Q", title=t("Pasienter"), format=",.0f")])
    chart = lines + zero + rule
    for i in range(len(rules)):
        chart += alt.Chart(rules).transform_filter(alt.datum.row == i).mark_text(
            align="left", dx=4, dy=-6, baseline="bottom", color="#333333", angle=0).encode(
            x="list_length:Q", y=alt.value(12 + 14 * i), text="label:N")
    return _finish(chart.properties(height=320))


def tornado_chart(frame: pd.DataFrame, share: float, metric_label: str) -> alt.TopLevelMixin:
    """Horizontal bars: the metric with each input lowered and raised by `share`, around the base.

    `frame` has columns label, low, high, base, swing (core.economy.tornado), largest swing first.
    """
    pct = fmt.number(share * 100)
    sides = [t("Forutsetning −{pct} %", pct=pct), t("Forutsetning +{pct} %", pct=pct)]
    rows = []
    for r in frame.itertuples():
        rows.append({"label": r.label, "side": sides[0], "from": r.base, "to": r.low})
        rows.append({"label": r.label, "side": sides[1], "from": r.base, "to": r.high})
    data = pd.DataFrame(rows)
    order = list(frame["label"])
    bars = alt.Chart(data).mark_bar(height=16).encode(
        y=alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelLimit=280, labelOverlap=False)),
        x=alt.X("from:Q", title=t("{metric} (kr per år)", metric=metric_label), axis=alt.Axis(format=",.0f"),
                scale=alt.Scale(zero=False)),
        x2="to:Q",
        color=alt.Color("side:N", title=None, scale=alt.Scale(domain=sides, range=["#56B4E9", "#D55E00"]),
                        legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("label:N", title=t("Forutsetning")), alt.Tooltip("side:N", title=t("Endring")),
                 alt.Tooltip("to:Q", title=metric_label, format=",.0f")])
    base = alt.Chart(pd.DataFrame({"base": [float(frame["base"].iloc[0])]})).mark_rule(
        color="#333333").encode(x="base:Q", tooltip=[alt.Tooltip("base:Q", title=t("Med valgte tall"),
                                                                 format=",.0f")])
    return _finish((bars + base).properties(height=max(200, 36 * len(order))))


def ramp_chart(ramp: pd.DataFrame) -> alt.TopLevelMixin:
    """Grouped bars: net cost per year of operation by operating form while the list fills."""
    labels = {"naeringsdrift": t("Næringsdrift"), "fastlonn": t("Fastlønn"), "blandet": t("Blandet drift")}
    data = ramp.melt(id_vars=["year", "avg_list"], value_vars=list(labels), var_name="form", value_name="kr")
    data["form"] = data["form"].map(labels)
    data["år"] = [t("År {year}", year=y) for y in data["year"].astype(str)]
    return _finish(alt.Chart(data).mark_bar().encode(
        x=alt.X("år:N", title=t("Driftsår"), axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("form:N", sort=[t(k) for k in FORM_COLORS]),
        y=alt.Y("kr:Q", title=t("Netto kostnad (kr)"), axis=alt.Axis(format=",.0f")),
        color=alt.Color("form:N", title=None, scale=alt.Scale(domain=[t(k) for k in FORM_COLORS],
                                                              range=list(FORM_COLORS.values())),
                        legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("år:N", title=t("Driftsår")), alt.Tooltip("form:N", title=t("Driftsform")),
                 alt.Tooltip("avg_list:Q", title=t("Snitt pasienter"), format=",.0f"),
                 alt.Tooltip("kr:Q", title=t("Kr"), format=",.0f")]).properties(height=260))
