"""Kommunale legeoppgaver in the meeting view (ui.meeting): the nursing-home doctors the norm asks for, the gap
to today and its cost, with ± against the opened scenario, and the requirement year by year with its ghost.

The page has five parameter classes (ui.duties_view.CLASSES); the meeting's reference holds all five, in order.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import streamlit as st

from core import duties as du
from core import fmt, meeting_charts
from core import reference_cases as rc
from core.duties_charts import norm_series
from core.i18n import t
from core.params import Lever, levers
from ui import duties_text as text
from ui import duties_view as view
from ui import levers as lever_ui
from ui import meeting
from ui.cache import cached
from ui.export_view import open_scenario
from ui.headlines import GOOD, NEUTRAL, Tile
from ui.meeting_tiles import COMPACT_CSS, against

PAGE = "legeoppgaver"
# Stavanger's question (temaplan 2024–2027, the norm adopted 15.06.2023: +5,21 FTE): the norm in minutes per
# long- and short-term place, today's doctor FTE, and new long-term places as the elderly grow in number.
DEFAULT_PICK = ("sh_norm_long_term", "sh_norm_short_term", "sh_current_fte", "sh_new_long_term")
CLASSES = view.CLASSES


def sidebar() -> None:
    """The page's «Møtet» box: pick the levers, open the meeting view."""
    meeting.sidebar(PAGE, CLASSES, DEFAULT_PICK)


def tiles(nh: du.NursingHomeResult, before: du.NursingHomeResult, growth_last: dict[str, float],
          before_last: dict[str, float], norm: str, examples: list[Lever], cost_examples: list[Lever],
          before_name: str) -> tuple[Tile, ...]:
    """The page's nursing-home tiles (ui.duties_text.nursing_tiles: labels, example marks, decimals) with ±
    against the opened scenario, and the gap in the plan's last year. Higher required FTE is neither good nor
    bad (grey); a larger gap or its cost is worse (red), a smaller one better (green) – unless the norm asks
    for less than before (then grey: a lower norm is no gain for the patients)."""
    out = [against("required_fte", text.norm_label(t("Legeårsverk etter normen"), norm, examples),
                   fmt.number(nh.required_fte, 2), nh.required_fte, before.required_fte, before_name, decimals=2,
                   lower_is_better=None),
           against("gap_fte", text.norm_label(t("Gap mot normen (årsverk)"), norm, examples),
                   fmt.number(nh.gap_fte, 2, sign=True), nh.gap_fte, before.gap_fte, before_name, decimals=2)]
    label = t("Kostnad av gapet per år") if nh.gap_cost >= 0 else t("Kostnad ut over normen per år")
    same_side = (nh.gap_cost >= 0) == (before.gap_cost >= 0)
    # Above the norm (a negative gap) the tile shows the cost over the norm: its change is neither good nor bad.
    out.append(against("gap_cost", text.marked(label, examples + cost_examples), text._mill(abs(nh.gap_cost)),
                       abs(nh.gap_cost) if same_side else nh.gap_cost,
                       abs(before.gap_cost) if same_side else before.gap_cost, before_name, decimals=1, scale=1e6,
                       unit=t("mill. kr"), lower_is_better=True if nh.gap_cost >= 0 or not same_side else None))
    year = int(growth_last["year"])
    out.append(against("gap_fte_last", text.norm_label(t("Gap mot normen {year} (årsverk)", year=year), norm,
                                                       examples),
                       fmt.number(growth_last["gap_fte"], 2, sign=True), growth_last["gap_fte"],
                       before_last["gap_fte"], before_name, decimals=2,
                       help=t("Gapet i planens siste år, med de nye plassene per år fra «Nye plasser fra år».")))
    # A gap that shrinks because the norm asks for less doctor time is no better for the patients: grey, not green.
    if round(nh.required_fte, 2) < round(before.required_fte, 2) or \
            round(growth_last["required_fte"], 2) < round(before_last["required_fte"], 2):
        out = [replace(tile, tone=NEUTRAL) if tile.tone == GOOD else tile for tile in out]
    return tuple(out)


def current_case(knr: str) -> str:
    """Own figures or the Stavanger case, as the page's picker would choose, without drawing it."""
    case = st.session_state.get(view.CASE_KEY) or st.query_params.get(view.CASE_KEY)
    if case not in view.CASES:
        case = du.STAVANGER_CASE if rc.belongs_to(du.STAVANGER_CASE, knr) else "egne"
    if rc.kommune_of(case) not in (None, knr):
        case = "egne"
    st.query_params[view.CASE_KEY] = case
    return case


def draw(lv: Lever, setup: view.Setup) -> None:
    """One lever as the page's tabs draw it: with the case's own source where it gives the default."""
    owner = next(cls for cls in CLASSES if lv.name in {x.name for x in levers(cls)})
    lever_ui.widget(setup.lever(lv), getattr(setup.defaults[owner], lv.name), options_labels=du.SERVICES)


@cached(max_entries=128)
def _chart(nh_p: du.NursingHomeParams, before_p: du.NursingHomeParams, shared: du.SharedParams,
           before_shared: du.SharedParams, base_year: int, norm_name: str) -> dict:
    growth = du.nursing_home_growth(nh_p, shared, base_year)
    before = du.nursing_home_growth(before_p, before_shared, base_year)
    sourced = (du.nursing_home_growth(du.sourced_norm_params(nh_p), shared, base_year)
               if du.sourced_reference(nh_p, shared) is not None else None)
    return meeting_charts.nursing_growth(growth, before, sourced, norm_name)


def _last(growth: Any) -> dict[str, float]:
    return {k: float(v) for k, v in growth.iloc[-1].items()}


def hook(knr: str, kommune: str) -> None:
    """At the top of Kommunale legeoppgaver: in the meeting view, show it (no title, picker, tabs or sidebar
    levers) and stop."""
    if not meeting.active():
        return
    case = current_case(knr)
    setup = view.setup(case, knr)
    params = view.panel(setup, where=None)
    now = tuple(params[cls] for cls in CLASSES)
    scope = f"{case}:{knr}"
    ref = meeting.reference(PAGE, scope, now, open_scenario(knr, PAGE)[0])
    before = dict(zip(CLASSES, ref.params, strict=True))
    shared, nh_p = params[du.SharedParams], params[du.NursingHomeParams]
    before_shared, before_nh = before[du.SharedParams], before[du.NursingHomeParams]
    nh, nh_before = du.nursing_home(nh_p, shared), du.nursing_home(before_nh, before_shared)
    norm = du.norm_in_force(setup.stavanger, nh_p)
    examples = view.nursing_examples(setup, nh_p)
    cost_examples = setup.example_in_force(shared, "felles_fte_cost")
    compared = du.sourced_reference(nh_p, shared) is not None
    growth = du.nursing_home_growth(nh_p, shared, setup.base_year)
    growth_before = du.nursing_home_growth(before_nh, before_shared, setup.base_year)
    heading = text.compared_label(t("Legeårsverk i sykehjem"), norm, examples) if compared else \
        text.norm_label(t("Legeårsverk i sykehjem"), norm, examples)
    st.html(COMPACT_CSS)
    meeting.screen(
        page=PAGE, knr=knr, title=t("Kommunale legeoppgaver – {name}", name=kommune) + " · " + heading,
        cls=CLASSES, params=now, ref=ref, scope=scope,
        tiles=tiles(nh, nh_before, _last(growth), _last(growth_before), norm, examples, cost_examples, ref.name),
        chart=_chart(nh_p, before_nh, shared, before_shared, setup.base_year, norm_series(norm, compared)),
        source=text.nursing_source(setup),
        description=t("Linjediagram {first}–{last}: legeårsverk i sykehjem etter normen med endringene, det samme "
                      "i scenarioet som ble åpnet som grå stiplet linje, og dagens legeårsverk.",
                      first=setup.base_year, last=int(growth["year"].iloc[-1])),
        draw_lever=lambda lv: draw(lv, setup), picked_levers=meeting.picked(CLASSES, DEFAULT_PICK))
    st.stop()
