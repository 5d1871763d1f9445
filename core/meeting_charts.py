"""The meeting view's charts for Økonomi, Kontorstruktur and Kommunale legeoppgaver (ui.meeting): the page's
main chart with the scenario the meeting opened drawn beside it, as pure functions → Vega-Lite dicts.

The opened scenario is a grey dashed ghost where the chart has lines (Økonomi, legeoppgaver), and a grey bar
beside each bar where it has bars (Kontorstruktur). No height: the meeting view fits the chart to the screen.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from core.charts import OTHER_COLOR, _finish
from core.economy_charts import FORM_COLORS
from core.i18n import N_, t
from core.theme import line_legend

NOW = N_("Med endringene")
BEFORE = N_("I scenarioet som ble åpnet")
GHOST_DASH = [6, 4]
NOW_COLOR = "#0072B2"
TEXT_COLOR = "#333333"


def _serie_scales() -> tuple[list[str], alt.Scale, alt.Scale]:
    domain = [t(NOW), t(BEFORE)]
    return domain, alt.Scale(domain=domain, range=[[1, 0], GHOST_DASH]), alt.Scale(domain=domain, range=[4, 2.5])


def economy_curve(now: pd.DataFrame, before: pd.DataFrame, marks: list[tuple[str, float]], chosen: float,
                  before_chosen: float) -> dict:
    """Net cost per year against list length by operating form (core.economy.cost_curve), the levers as they
    are now in full colour and the opened scenario's curves dashed and faint; the break-even `marks` and the
    chosen list length as rules, and the scenario's list length as a grey dashed rule where it differs."""
    domain, dash, width = _serie_scales()
    data = pd.concat([before.assign(serie=domain[1]), now.assign(serie=domain[0])], ignore_index=True)
    lo, hi = float(data["list_length"].min()), float(data["list_length"].max())
    forms = [t(k) for k in FORM_COLORS]
    lines = alt.Chart(data).mark_line().encode(
        x=alt.X("list_length:Q", title=t("Pasienter på listen"), axis=alt.Axis(format=",.0f"),
                scale=alt.Scale(domain=[lo, hi])),
        # short enough for the projector's 20 px title at 1366×768 (the page's long title was cut)
        y=alt.Y("kr:Q", title=t("Netto kr per år"), axis=alt.Axis(format=",.0f")),
        color=alt.Color("form:N", title=None, scale=alt.Scale(domain=forms, range=list(FORM_COLORS.values())),
                        legend=alt.Legend(**line_legend())),
        strokeDash=alt.StrokeDash("serie:N", title=None, scale=dash, legend=alt.Legend(**line_legend())),
        strokeWidth=alt.StrokeWidth("serie:N", scale=width, legend=None),
        opacity=alt.Opacity("serie:N", scale=alt.Scale(domain=domain, range=[1.0, 0.55]), legend=None),
        detail="serie:N",
        tooltip=[alt.Tooltip("serie:N", title=t("Serie")), alt.Tooltip("form:N", title=t("Driftsform")),
                 alt.Tooltip("list_length:Q", title=t("Pasienter"), format=",.0f"),
                 alt.Tooltip("kr:Q", title=t("Kr per år"), format=",.0f")])
    zero = alt.Chart(pd.DataFrame({"kr": [0.0]})).mark_rule(color="#666666").encode(y="kr:Q")
    rows = [{"label": label, "list_length": float(x), "ghost": False} for label, x in marks if lo <= x <= hi]
    rows.append({"label": t("Valgt listelengde"), "list_length": float(chosen), "ghost": False})
    if round(before_chosen) != round(chosen):
        rows.append({"label": t("Listelengde i scenarioet"), "list_length": float(before_chosen), "ghost": True})
    rules = pd.DataFrame(rows).sort_values("list_length", kind="stable").reset_index(drop=True)
    rules["row"] = range(len(rules))
    rule = alt.Chart(rules).mark_rule(strokeWidth=2).encode(
        x="list_length:Q",
        color=alt.condition("datum.ghost", alt.value(OTHER_COLOR), alt.value("#444444")),
        strokeDash=alt.condition("datum.ghost", alt.value(GHOST_DASH), alt.value([4, 3])),
        tooltip=[alt.Tooltip("label:N", title=t("Linje")),
                 alt.Tooltip("list_length:Q", title=t("Pasienter"), format=",.0f")])
    chart = lines + zero + rule
    for i in range(len(rules)):  # one line of text per rule, top down left to right: close labels never overlap
        chart += alt.Chart(rules).transform_filter(alt.datum.row == i).mark_text(
            align="left", dx=5, baseline="top", color=TEXT_COLOR).encode(
            x="list_length:Q", y=alt.value(6 + 24 * i), text="label:N")
    return _finish(chart).to_dict()


def office_closed_days(now: pd.DataFrame, before: pd.DataFrame, example: bool) -> dict:
    """Expected closed office days per year for each model's offices (core.offices.model_offices): a bar with
    the levers as they are now beside a grey bar for the opened scenario, the value at the end of each."""
    domain = [t(NOW), t(BEFORE)]
    rows = []
    for serie, frame in ((domain[1], before), (domain[0], now)):
        rows += [{"office": t("{model}: {office}", model=r.model, office=r.office), "serie": serie,
                  "closed_days": float(r.closed_days)} for r in frame.itertuples()]
    data = pd.DataFrame(rows)
    order = list(dict.fromkeys(data["office"]))
    title = (t("Stengte kontordager per år (forventet, eksempelverdier for fravær)") if example
             else t("Stengte kontordager per år (forventet)"))
    base = alt.Chart(data).encode(
        y=alt.Y("office:N", title=None, sort=order, axis=alt.Axis(labelLimit=520)),
        yOffset=alt.YOffset("serie:N", sort=domain),
        x=alt.X("closed_days:Q", title=title, axis=alt.Axis(format=",.0f")),
        tooltip=[alt.Tooltip("office:N", title=t("Kontor")), alt.Tooltip("serie:N", title=t("Serie")),
                 alt.Tooltip("closed_days:Q", title=t("Stengte dager per år"), format=",.1f")])
    bars = base.mark_bar().encode(
        color=alt.Color("serie:N", title=None, scale=alt.Scale(domain=domain, range=[NOW_COLOR, "#BBBBBB"]),
                        legend=alt.Legend(orient="bottom", symbolType="square")))
    labels = base.mark_text(align="left", dx=5, color=TEXT_COLOR).encode(text=alt.Text("closed_days:Q", format=",.1f"))
    return _finish(bars + labels).to_dict()


SOURCED = N_("Legeforeningens norm 2002 (kilde)")
TODAY = N_("Dagens legeårsverk")


def nursing_growth(now: pd.DataFrame, before: pd.DataFrame, sourced: pd.DataFrame | None, norm_name: str) -> dict:
    """Nursing-home doctor FTE by year (core.duties.nursing_home_growth): what the levers' norm asks for now
    (named `norm_name`), the same in the opened scenario as a grey dashed ghost, Legeforeningen's 2002 norm
    where the levers' norm is another (`sourced`), and today's FTE (its ghost too, where it was moved)."""
    series = [(norm_name, now, "required_fte", NOW_COLOR, [1, 0], 4.0),
              (t("{norm} i scenarioet som ble åpnet", norm=norm_name), before, "required_fte", OTHER_COLOR,
               GHOST_DASH, 2.5)]
    if sourced is not None:
        series.append((t(SOURCED), sourced, "required_fte", "#009E73", [10, 4], 3.0))
    series.append((t(TODAY), now, "current_fte", "#222222", [1, 0], 2.5))
    if not now["current_fte"].round(2).equals(before["current_fte"].round(2)):
        series.append((t("{today} i scenarioet som ble åpnet", today=t(TODAY)), before, "current_fte", OTHER_COLOR,
                       [2, 3], 2.5))
    data = pd.concat([pd.DataFrame({"year": frame["year"].astype(int), "serie": name, "fte": frame[column],
                                    "places": frame["places"]}) for name, frame, column, *_ in series],
                     ignore_index=True)
    names = [s[0] for s in series]
    legend = alt.Legend(**line_legend(labelLimit=0, columns=2))
    lines = alt.Chart(data).mark_line(point=True).encode(
        x=alt.X("year:O", title=t("År"), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("fte:Q", title=t("Legeårsverk i sykehjem"), axis=alt.Axis(format=",.0f"), scale=alt.Scale(zero=True)),
        color=alt.Color("serie:N", title=None, scale=alt.Scale(domain=names, range=[s[3] for s in series]),
                        legend=legend),
        strokeDash=alt.StrokeDash("serie:N", title=None, scale=alt.Scale(domain=names, range=[s[4] for s in series]),
                                  legend=legend),
        strokeWidth=alt.StrokeWidth("serie:N", scale=alt.Scale(domain=names, range=[s[5] for s in series]),
                                    legend=None),
        tooltip=[alt.Tooltip("year:O", title=t("År")), alt.Tooltip("serie:N", title=t("Serie")),
                 alt.Tooltip("fte:Q", title=t("Legeårsverk"), format=",.2f"),
                 alt.Tooltip("places:Q", title=t("Sykehjemsplasser"), format=",.0f")])
    return _finish(lines).to_dict()
