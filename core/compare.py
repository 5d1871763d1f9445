"""Comparing scenarios: the capacity model run for each saved scenario, side by side.

A scenario's capacity levers are the link values it saved for the Fastlegekapasitet page
(core/scenarios.py); they are parsed exactly as a link is (core.params.from_mapping), so a
scenario compared here shows the same numbers as the page does when it is opened.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import altair as alt
import pandas as pd

from core.capacity import CapacityBase, CapacityParams, fit_to_base
from core.charts import _finish
from core.i18n import N_, t
from core.params import from_mapping, levers, with_defaults_from

CAPACITY_PAGE = "kapasitet"
MAX_SCENARIOS = 4
# Okabe–Ito: colour-blind safe, distinct in greyscale by the dash pattern as well.
COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7")
DASHES = ((1, 0), (6, 3), (2, 2), (8, 3, 2, 3))

METRICS: dict[str, tuple[str, int]] = {  # output column → (Norwegian label, decimals)
    "reserve_index": (N_("Reservekapasitet"), 1),
    "free_places": (N_("Ledige plasser"), 0),
    "patients_without_gp": (N_("Pasienter uten lege"), 0),
    "capacity": (N_("Sum listetak"), 0),
    "hjemler": (N_("Hjemler"), 0),
    "vacant_lists": (N_("Lister uten lege"), 1),
    "list_patients": (N_("Listepasienter"), 0),
    "extra_hjemler_needed": (N_("Hjemler som mangler for målet"), 0),
    "consultations_per_gp": (N_("Konsultasjoner per lege"), 0),
}


@dataclass(frozen=True)
class Compared:
    """One scenario to compare: its name, starting point key, levers and messages from parsing."""

    name: str
    start: str
    params: CapacityParams
    messages: tuple[str, ...] = ()


def start_of(content: Mapping[str, Mapping[str, str]]) -> str:
    """The starting point a scenario's capacity page used ('ssb' or a reference case id)."""
    return str(content.get(CAPACITY_PAGE, {}).get("start", "ssb"))


def scenario_params(name: str, content: Mapping[str, Mapping[str, str]], base: CapacityBase) -> Compared:
    """The capacity levers of a saved scenario on its starting point, as a link would give them."""
    defaults = with_defaults_from(CapacityParams, base)
    raw = content.get(CAPACITY_PAGE, {})
    params, messages = from_mapping(CapacityParams, raw, base=defaults)
    params, fit = fit_to_base(params, base)
    return Compared(name, start_of(content), params, tuple(messages) + tuple(fit))


def changed_levers(compared: Sequence[Compared], defaults: CapacityParams) -> pd.DataFrame:
    """One row per lever that differs from its default in any scenario: label, unit, value per scenario."""
    rows = []
    for lv in levers(CapacityParams):
        values = [getattr(c.params, lv.name) for c in compared]
        if all(v == getattr(defaults, lv.name) for v in values):
            continue
        rows.append({"name": lv.name, "lever": lv.label, "unit": lv.unit, "default": getattr(defaults, lv.name),
                     **{c.name: v for c, v in zip(compared, values, strict=True)}})
    return pd.DataFrame(rows)


def long_frame(results: Mapping[str, pd.DataFrame], metric: str) -> pd.DataFrame:
    """year, scenario, value of one output for every scenario (the years they share)."""
    frames = [pd.DataFrame({"year": r["year"].astype(int), "scenario": name, "value": r[metric].astype(float)})
              for name, r in results.items()]
    out = pd.concat(frames, ignore_index=True)
    shared = out.groupby("year")["scenario"].nunique()
    return out[out["year"].isin(shared[shared == len(results)].index)].reset_index(drop=True)


def wide_frame(results: Mapping[str, pd.DataFrame], metric: str) -> pd.DataFrame:
    """Year × scenario for one output (columns in the given order)."""
    return long_frame(results, metric).pivot(index="year", columns="scenario", values="value")[list(results)]


def horizon_summary(results: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Every key output in the last shared year: one row per output, one column per scenario."""
    last = min(int(r["year"].max()) for r in results.values())
    rows = {t(METRICS[m][0]): [float(r.loc[r["year"] == last, m].iloc[0]) for r in results.values()]
            for m in METRICS}
    return pd.DataFrame(rows, index=list(results)).T.rename_axis(t("I {year}", year=last))


def differs_from_first(wide: pd.DataFrame, decimals: int) -> pd.DataFrame:
    """True where a scenario's value, rounded as shown, differs from the first scenario's."""
    rounded = wide.round(decimals)
    return rounded.ne(rounded.iloc[:, 0], axis=0)


def compare_chart(long: pd.DataFrame, label: str, order: Sequence[str]) -> alt.TopLevelMixin:
    """One line per scenario for one output, coloured and dashed per scenario."""
    n = len(order)
    fmt = ",.1f" if label in (METRICS["reserve_index"][0], t(METRICS["reserve_index"][0])) else ",.0f"
    chart = alt.Chart(long).mark_line(strokeWidth=2.5, point=True).encode(
        x=alt.X("year:O", title=t("År"), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("value:Q", title=label, scale=alt.Scale(zero=False), axis=alt.Axis(format=",.0f")),
        color=alt.Color("scenario:N", title=t("Scenario"), sort=list(order),
                        scale=alt.Scale(domain=list(order), range=list(COLORS[:n])),
                        legend=alt.Legend(orient="bottom", labelLimit=400)),
        strokeDash=alt.StrokeDash("scenario:N", sort=list(order), legend=None,
                                  scale=alt.Scale(domain=list(order), range=[list(d) for d in DASHES[:n]])),
        tooltip=[alt.Tooltip("year:O", title=t("År")), alt.Tooltip("scenario:N", title=t("Scenario")),
                 alt.Tooltip("value:Q", title=label, format=fmt)],
    )
    return _finish(chart.properties(height=340))
