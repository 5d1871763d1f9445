"""Charts for Kontorstruktur as pure functions: comparison DataFrames → alt.Chart (no streamlit)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from core.charts import NO_LOCALE
from core.i18n import N_, t

# Okabe–Ito, colour-blind safe: one colour per model or office, in order.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999"]
MEASURES = {"cost_per_patient": N_("Per listepasient"), "cost_per_consultation": N_("Per konsultasjon")}


def _finish(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    return chart.configure(locale=NO_LOCALE).configure_axis(labelFontSize=12, titleFontSize=12)


def unit_cost_chart(comparison: pd.DataFrame) -> alt.TopLevelMixin:
    """Grouped bars: cost per list patient and per consultation (whole kr) for each model."""
    models = list(comparison["model"])
    long = comparison.melt(id_vars=["model"], value_vars=list(MEASURES), var_name="measure", value_name="kr")
    long = long.dropna(subset=["kr"])
    measures = {k: t(v) for k, v in MEASURES.items()}
    long["measure"] = long["measure"].map(measures)
    color = alt.Color("model:N", title=t("Modell"), scale=alt.Scale(domain=models, range=PALETTE[:len(models)]),
                      legend=alt.Legend(orient="bottom"))
    base = alt.Chart(long).encode(
        x=alt.X("measure:N", title=None, sort=list(measures.values()), axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("model:N", sort=models),
        y=alt.Y("kr:Q", title=t("Kroner per år"), axis=alt.Axis(format=",.0f")),
        color=color,
        tooltip=[alt.Tooltip("model:N", title=t("Modell")), alt.Tooltip("measure:N", title=t("Kostnad")),
                 alt.Tooltip("kr:Q", title=t("Kroner"), format=",.0f")],
    )
    text = base.mark_text(dy=-6, fontSize=12).encode(text=alt.Text("kr:Q", format=",.0f"), color=alt.value("#333"))
    return _finish((base.mark_bar() + text).properties(height=300))


def closed_days_chart(per_office: pd.DataFrame, example: bool = False) -> alt.TopLevelMixin:
    """Horizontal stacked bars: expected working days per year each model's offices are closed.

    With `example`, the axis title says that the days rest on example absence values.
    """
    models = list(dict.fromkeys(per_office["model"]))
    offices = list(dict.fromkeys(per_office["office"]))
    data = per_office[["model", "office", "closed_days", "one_gp_days"]].copy()
    totals = data.groupby("model", sort=False, as_index=False)["closed_days"].sum()
    colors = PALETTE * (len(offices) // len(PALETTE) + 1)
    bars = alt.Chart(data).mark_bar().encode(
        y=alt.Y("model:N", title=None, sort=models, axis=alt.Axis(labelLimit=260)),
        x=alt.X("closed_days:Q", title=t("Stengte kontordager per år (forventet, eksempelverdier for fravær)")
                if example else t("Stengte kontordager per år (forventet)"), axis=alt.Axis(format=",.0f")),
        color=alt.Color("office:N", title=t("Kontor"), scale=alt.Scale(domain=offices, range=colors[:len(offices)]),
                        legend=alt.Legend(orient="top", direction="horizontal")),
        order=alt.Order("office:N"),
        tooltip=[alt.Tooltip("model:N", title=t("Modell")), alt.Tooltip("office:N", title=t("Kontor")),
                 alt.Tooltip("closed_days:Q", title=t("Stengte dager per år"), format=",.1f"),
                 alt.Tooltip("one_gp_days:Q", title=t("Dager med bare én fastlege"), format=",.1f")],
    )
    text = alt.Chart(totals).mark_text(align="left", dx=4, fontSize=12).encode(
        y=alt.Y("model:N", sort=models), x="closed_days:Q", text=alt.Text("closed_days:Q", format=",.1f"))
    return _finish((bars + text).properties(height=90 + 50 * len(models)))
