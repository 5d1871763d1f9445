"""Comparing scenarios: the capacity model, its cost and the municipal doctor duties, side by side.

A scenario holds every page's link values (core/scenarios.py). The capacity levers are the ones it
saved for Fastlegekapasitet, the economy levers those for Økonomi (which price the capacity
changes year by year, as the capacity page's cost line does), and the duty levers those for
Kommunale legeoppgaver (the nursing-home norm FTE year by year, and the FTE of every service). All
are parsed exactly as a link is (core.params.from_mapping), so a scenario compared here shows the
same numbers as the pages do when it is opened.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from core import duties as du
from core import economy as eco
from core import glossary
from core import reference_cases as rc
from core.capacity import (
    BETTER,
    COVERAGE_TOLERANCE,
    PATIENT_TOLERANCE,
    SAME,
    CapacityBase,
    CapacityParams,
    fit_to_base,
    lever_bounds,
    verdict,
)
from core.charts import _finish
from core.i18n import N_, t
from core.params import from_mapping, levers, with_defaults_from
from core.theme import line_legend

CAPACITY_PAGE = "kapasitet"
ECONOMY_PAGE = "okonomi"
DUTIES_PAGE = "legeoppgaver"
MAX_SCENARIOS = 4
# Okabe–Ito: colour-blind safe, distinct in greyscale by the dash pattern as well.
COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7")
DASHES = ((1, 0), (6, 3), (2, 2), (8, 3, 2, 3))

# Coverage and patients without a fastlege first: SSB's reserve index rises when lists lose their doctor.
METRICS: dict[str, tuple[str, int]] = {  # output column → (Norwegian label, decimals)
    # the glossary's quantities: label and decimals from core.glossary
    **{key: (glossary.label(key), glossary.decimals(key))
       for key in ("coverage_index", "patients_without_gp", "reserve_index", "free_places", "capacity", "hjemler",
                   "vacant_lists", "list_patients", "extra_hjemler_needed")},
    "consultations_per_gp": (N_("Konsultasjoner per lege"), 0),
    # from Økonomi: the capacity changes priced year by year (economy.price_scenario)
    "naeringsdrift": (N_("Merkostnad næringsdrift (kr)"), 0),
    "fastlonn": (N_("Merkostnad fastlønn (kr)"), 0),
    # from Kommunale legeoppgaver
    "nh_required_fte": (N_("Legeårsverk på sykehjem etter normen"), 2),
    "nh_gap_cost": (N_("Kostnad av gapet (kr per år)"), 0),
    "duties_fte": (N_("Legeårsverk i alt med flyttede timer"), 2),
}
ECONOMY_METRICS = ("naeringsdrift", "fastlonn")
DUTY_METRICS = ("nh_required_fte", "nh_gap_cost", "duties_fte")
NORM_METRICS = ("nh_required_fte", "nh_gap_cost")  # outputs of the nursing-home norm


def metric_labels(norms: Mapping[str, str]) -> dict[str, str]:
    """Labels of the norm's outputs that name Legeplan's back-solved norm where a scenario holds it.

    `norms`: scenario → norm in force (core.duties.norm_in_force). Every scenario back-solved:
    «… (Legeplans tilbakeregning)»; some: «… (Legeplans tilbakeregning i «A»)»; none: no entry.
    """
    backsolved = [name for name, norm in norms.items() if norm == du.BACKSOLVED_NORM]
    if not backsolved:
        return {}
    which = (t("Legeplans tilbakeregning") if len(backsolved) == len(norms) else
             t("Legeplans tilbakeregning i {scenarios}", scenarios=", ".join(f"«{n}»" for n in backsolved)))
    return {m: f"{t(METRICS[m][0])} ({which})" for m in NORM_METRICS}


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
    params, messages = from_mapping(CapacityParams, raw, base=defaults, bounds=lever_bounds(base, defaults))
    params, fit = fit_to_base(params, base)
    return Compared(name, start_of(content), params, tuple(messages) + tuple(fit))


def economy_params(content: Mapping[str, Mapping[str, str]], con: Any = None,
                   ) -> tuple[eco.EconomyParams, eco.RulePeriod, list[str]]:
    """The Økonomi levers and rule period a scenario saved (defaults where it saved none).

    With `con`, a reference case's list length comes from its document, as on Økonomi (Alver: 1 131).
    """
    raw = dict(content.get(ECONOMY_PAGE, {}))
    case = raw.get("referanse")
    default_period = "2021" if case == "alver_2021" else eco.DEFAULT_PERIOD
    period = raw.get("periode") or default_period
    period = period if period in eco.PERIODS else default_period
    fixed = {}
    if con is not None and case == "alver_2021" and (length := eco.reference_list_length(con, case)) is not None:
        fixed["list_length"] = length
    params, messages = from_mapping(eco.EconomyParams, raw, base=eco.defaults_for(period, **fixed))
    return params, eco.PERIODS[period], list(messages)


def duty_case(content: Mapping[str, Mapping[str, str]], knr: str) -> str:
    """The duties page's case a scenario saved: 'egne' or the Stavanger case (its default in Stavanger)."""
    default = du.STAVANGER_CASE if rc.belongs_to(du.STAVANGER_CASE, knr) else "egne"
    case = content.get(DUTIES_PAGE, {}).get("legecase", default)
    return case if case in ("egne", du.STAVANGER_CASE) else default


DUTY_CLASSES = (du.SharedParams, du.NursingHomeParams, du.LegevaktParams, du.HealthStationParams, du.TotalParams)


def duty_defaults(fte_cost: float, list_base: du.ListBase | None,
                  stavanger: du.StavangerCase | None) -> dict[type, Any]:
    """Each duty class's defaults, as the page sets them (cost per FTE from Økonomi, Stavanger's figures)."""
    sources: SimpleNamespace = du.shared_defaults(fte_cost, list_base.avg_cap if list_base else None)
    if stavanger is not None:
        sources = SimpleNamespace(**vars(sources), **vars(du.stavanger_defaults(stavanger)))
    return {cls: with_defaults_from(cls, sources) for cls in DUTY_CLASSES}


def duty_params(content: Mapping[str, Mapping[str, str]],
                defaults: Mapping[type, Any]) -> tuple[dict[type, Any], list[str]]:
    """Each duty class's levers as the scenario saved them for Kommunale legeoppgaver, and messages."""
    raw = content.get(DUTIES_PAGE, {})
    params, messages = {}, []
    for cls in DUTY_CLASSES:
        params[cls], notes = from_mapping(cls, raw, base=defaults[cls])
        messages += notes
    return params, list(dict.fromkeys(messages))


def duty_outputs(content: Mapping[str, Mapping[str, str]], defaults: Mapping[type, Any], base_year: int,
                 list_base: du.ListBase | None, years: Sequence[int]) -> tuple[pd.DataFrame, list[str]]:
    """The duties a scenario saved, per year of `years`: norm FTE and gap cost on nursing homes (the
    plan's last year carries on), and every service's FTE with the moved hours (the page's «Samlet»)."""
    params, messages = duty_params(content, defaults)
    shared, nh_p = params[du.SharedParams], params[du.NursingHomeParams]
    vakt_p, hs_p, tot_p = params[du.LegevaktParams], params[du.HealthStationParams], params[du.TotalParams]
    nh = du.nursing_home(nh_p, shared)
    growth = du.nursing_home_growth(nh_p, shared, base_year).set_index("year")
    hours = du.moved_hours(tot_p, nh, shared)
    link = du.capacity_link(hours, shared, list_base)
    to_service = "sykehjem" if tot_p.sum_cover_gap and tot_p.sum_moved_hours == 0 else tot_p.sum_moved_to
    picture = du.whole_picture(nh, du.legevakt(vakt_p, shared), du.health_station(hs_p, shared), list_base,
                               link, to_service)
    y = np.asarray(years, dtype=int)
    at = np.clip(y, growth.index.min(), growth.index.max())
    known = y >= growth.index.min()
    return pd.DataFrame({
        "year": y,
        "nh_required_fte": np.where(known, growth["required_fte"].reindex(at).to_numpy(), np.nan),
        "nh_gap_cost": np.where(known, growth["gap_cost"].reindex(at).to_numpy(), np.nan),
        "duties_fte": float(picture["after"].sum()),
    }), list(dict.fromkeys(messages))


def with_cost_and_duties(result: pd.DataFrame, priced: pd.DataFrame | None,
                         duties: pd.DataFrame | None) -> pd.DataFrame:
    """The capacity result with the scenario's cost per year and its duty FTE as extra columns."""
    out = result.copy()
    for frame, columns in ((priced, ECONOMY_METRICS), (duties, DUTY_METRICS)):
        by_year = {} if frame is None else {int(y): i for i, y in enumerate(frame["year"].tolist())}
        for col in columns:
            values = [] if frame is None else frame[col].tolist()
            out[col] = [round(float(values[by_year[int(y)]]), 6) if int(y) in by_year else np.nan
                        for y in out["year"]]  # no floating-point dust (1e-10 kr) drawn as a zigzag
    return out


def changed_levers(compared: Sequence[Compared], defaults: CapacityParams) -> pd.DataFrame:
    """One row per capacity lever that differs from its default in any scenario."""
    return changed_values(CapacityParams, [c.name for c in compared], [c.params for c in compared], defaults)


def changed_values(cls: type, names: Sequence[str], values: Sequence[Any], defaults: Any) -> pd.DataFrame:
    """One row per lever of `cls` that differs from its default in any scenario: name, label, unit,
    default and the value per scenario (`values[i]` is scenario `names[i]`'s parameters)."""
    rows = []
    for lv in levers(cls):
        shown = [getattr(v, lv.name) for v in values]
        if all(v == getattr(defaults, lv.name) for v in shown):
            continue
        rows.append({"name": lv.name, "lever": lv.label, "unit": lv.unit, "default": getattr(defaults, lv.name),
                     **dict(zip(names, shown, strict=True))})
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


def horizon_summary(results: Mapping[str, pd.DataFrame], labels: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Every key output in the last shared year: one row per output, one column per scenario.

    `labels` replaces an output's label (metric_labels: the back-solved norm named)."""
    last = min(int(r["year"].max()) for r in results.values())
    at_last = [r.loc[r["year"] == last].iloc[0] for r in results.values()]  # one row per scenario
    labels = labels or {}
    rows = {labels.get(m, t(METRICS[m][0])): [float(row[m]) for row in at_last] for m in shown_metrics(results)}
    return pd.DataFrame(rows, index=list(results)).T.rename_axis(t("I {year}", year=last))


def horizon_verdicts(results: Mapping[str, pd.DataFrame]) -> dict[str, str]:
    """Each scenario in the last shared year against the first scenario, for the patients: cap.BETTER,
    SAME, MIXED or WORSE (core.capacity.verdict: more patients without a fastlege is always WORSE)."""
    last = min(int(r["year"].max()) for r in results.values())
    rows = {name: r.loc[r["year"] == last].iloc[0] for name, r in results.items()}
    first = next(iter(rows.values()))
    return {name: verdict(first, row) for name, row in rows.items()}


def base_verdicts(results: Mapping[str, pd.DataFrame]) -> dict[str, str]:
    """Each scenario's last shared year against its own starting year, for the patients."""
    last = min(int(r["year"].max()) for r in results.values())
    return {name: verdict(r.iloc[0], r.loc[r["year"] == last].iloc[0]) for name, r in results.items()}


@dataclass(frozen=True)
class Ranking:
    """The compared scenarios in the last shared year, judged for the patients (core.capacity.verdict)."""

    year: int
    best: tuple[str, ...]  # better than or as good as every other scenario (several only when alike)
    fewest_without: tuple[str, ...]  # fewest patients without a fastlege (within PATIENT_TOLERANCE)
    highest_coverage: tuple[str, ...]  # highest coverage (within COVERAGE_TOLERANCE)


def rank_for_patients(results: Mapping[str, pd.DataFrame]) -> Ranking:
    """Which scenario is best for the patients in the last shared year: one that every other scenario
    judges BETTER or SAME against (core.capacity.verdict), so a scenario with more patients without a
    fastlege, or lower coverage, is never best. None when the top ones are mixed (fewer without a fastlege
    in one, higher coverage in another)."""
    last = min(int(r["year"].max()) for r in results.values())
    rows = {name: r.loc[r["year"] == last].iloc[0] for name, r in results.items()}
    best = tuple(s for s in rows if all(verdict(rows[o], rows[s]) in (BETTER, SAME) for o in rows if o != s))
    without = {s: float(r["patients_without_gp"]) for s, r in rows.items()}
    coverage = {s: float(r["coverage_index"]) for s, r in rows.items()}
    fewest = tuple(s for s, v in without.items() if v - min(without.values()) < PATIENT_TOLERANCE)
    highest = tuple(s for s, v in coverage.items() if max(coverage.values()) - v < COVERAGE_TOLERANCE)
    return Ranking(last, best, fewest, highest)


def shown_metrics(results: Mapping[str, pd.DataFrame]) -> list[str]:
    """The outputs every scenario has a value for in some year (cost and duties only when computed)."""
    return [m for m in METRICS if all(m in r.columns and r[m].notna().any() for r in results.values())]


def differs_from_first(wide: pd.DataFrame, decimals: int) -> pd.DataFrame:
    """True where a scenario's value, rounded as shown, differs from the first scenario's."""
    rounded = wide.round(decimals)
    return rounded.ne(rounded.iloc[:, 0], axis=0)


def compare_chart(long: pd.DataFrame, label: str, order: Sequence[str],
                  decimals: int | None = None, colors: Sequence[str] | None = None,
                  dashes: Sequence[Sequence[int]] | None = None) -> alt.TopLevelMixin:
    """One line per scenario for one output, coloured and dashed per scenario (`colors`/`dashes`: one per
    name in `order`, default COLORS and DASHES)."""
    n = len(order)
    colors = list(colors or COLORS[:n])
    dashes = [list(d) for d in (dashes or DASHES[:n])]
    if decimals is None:
        one = [METRICS[m][0] for m in ("coverage_index", "reserve_index")]
        decimals = 1 if label in one + [t(x) for x in one] else 0
    fmt = f",.{decimals}f"
    chart = alt.Chart(long).mark_line(strokeWidth=2.5, point=True).encode(
        x=alt.X("year:O", title=t("År"), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("value:Q", title=label, scale=alt.Scale(zero=False),
                axis=alt.Axis(format=",.0f" if decimals < 2 else ",.1f")),
        color=alt.Color("scenario:N", title=t("Scenario"), sort=list(order),
                        scale=alt.Scale(domain=list(order), range=colors),
                        legend=alt.Legend(**line_legend(labelLimit=400))),
        strokeDash=alt.StrokeDash("scenario:N", sort=list(order), title=t("Scenario"),  # one legend: colour and dash
                                  legend=alt.Legend(**line_legend(labelLimit=400)),
                                  scale=alt.Scale(domain=list(order), range=dashes)),
        tooltip=[alt.Tooltip("year:O", title=t("År")), alt.Tooltip("scenario:N", title=t("Scenario")),
                 alt.Tooltip("value:Q", title=label, format=fmt)],
    )
    return _finish(chart.properties(height=340))
