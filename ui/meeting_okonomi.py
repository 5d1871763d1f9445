"""Økonomi in the meeting view (ui.meeting): the net cost of one hjemmel by operating form and the list length
where fastlønn finances itself, with ± against the opened scenario, and the cost curve with its ghost."""

from __future__ import annotations

import streamlit as st

from core import economy as eco
from core import fmt, meeting_charts
from core.i18n import t
from core.params import Lever
from ui import economy_view as view
from ui import headlines, meeting
from ui import levers as lever_ui
from ui.cache import cached
from ui.export_view import open_scenario
from ui.meeting_tiles import COMPACT_CSS, against

PAGE = "okonomi"
# The Alver case's question: does the list's income carry a salaried GP? List length, salary, the office the
# notat says already exists, and the support staff around the doctor.
DEFAULT_PICK = ("list_length", "salary", "office_cost", "staff_fte")


def sidebar() -> None:
    """The page's «Møtet» box: pick the levers, open the meeting view."""
    meeting.sidebar(PAGE, eco.EconomyParams, DEFAULT_PICK)


def tiles(params: eco.EconomyParams, before: eco.EconomyParams, period: eco.RulePeriod, case: str,
          before_name: str) -> tuple[headlines.Tile, ...]:
    """The page's key figures – net cost per year by operating form (kr) and the list length where fastlønn
    finances itself – with the page's labels, example marks and rounding; ± against `before`. Lower is better
    for the kommune: a cost that rises is red."""
    now_cost, before_cost = eco.hjemmel_cost(params, period), eco.hjemmel_cost(before, period)
    help_net = t("Netto kostnad for kommunen for én hjemmel med {n} pasienter.", n=fmt.number(params.list_length))
    out = [against(form, view.tile_label(form, t("{form}: netto per år", form=t(eco.FORMS[form])), params, case),
                   view.kr(getattr(now_cost, form)), getattr(now_cost, form), getattr(before_cost, form), before_name,
                   unit="kr", help=help_net)
           for form in eco.FORMS]
    now_self, before_self = eco.break_even_self_financing(params), eco.break_even_self_financing(before)
    out.append(against("break_even", view.tile_label("break_even", t("Fastlønn selvfinansierende ved"), params, case),
                       view.persons(now_self), now_self, before_self, before_name, before_value=view.persons(before_self),
                       help=t("Listelengden der inntektene (refusjon, egenandel, andre inntekter) dekker alle "
                              "kostnadene ved fastlønn.")))
    return tuple(out)


@cached(max_entries=128)
def _chart(params: eco.EconomyParams, before: eco.EconomyParams, period_key: str) -> dict:
    period = eco.PERIODS[period_key]
    return meeting_charts.economy_curve(eco.cost_curve(params, period), eco.cost_curve(before, period),
                                        view.break_even_marks(params, period), params.list_length, before.list_length)


def current_case() -> tuple[str, str]:
    """The case and rule period the page last chose (session, else the link), without drawing the pickers."""
    case = st.session_state.get(view.CASE_KEY) or st.query_params.get(view.CASE_KEY)
    case = case if case in view.CASES else "egen"
    period = st.session_state.get(view.PERIOD_KEY) or st.query_params.get(view.PERIOD_KEY)
    period = period if period in eco.PERIODS else view.CASE_PERIOD.get(case, eco.DEFAULT_PERIOD)
    st.query_params[view.CASE_KEY], st.query_params[view.PERIOD_KEY] = case, period  # the link keeps them
    return case, period


def draw(lv: Lever, defaults: eco.EconomyParams, case: str) -> None:
    """One lever as the page's sidebar draws it: the widget and its default caption (example or source)."""
    lever_ui.widget(lv, getattr(defaults, lv.name), mark_example=False)
    st.caption(view.lever_caption(case)(lv, getattr(defaults, lv.name)))


def hook(knr: str, kommune: str) -> None:
    """At the top of Økonomi: in the meeting view, show it (no title, pickers or sidebar levers) and stop."""
    if not meeting.active():
        return
    case, period_key = current_case()
    period = eco.PERIODS[period_key]
    defaults = view.case_defaults(case, period_key)
    params = view.panel(defaults, case, where=None)
    scope = f"{case}:{period_key}"
    ref = meeting.reference(PAGE, scope, params, open_scenario(knr, PAGE)[0])
    n = fmt.number(params.list_length)
    st.html(COMPACT_CSS)
    meeting.screen(
        page=PAGE, knr=knr, title=t("Økonomi – {name}", name=kommune) + " · " + t(view.CASES[case]),
        cls=eco.EconomyParams, params=params, ref=ref, scope=scope,
        tiles=tiles(params, ref.params, period, case, ref.name),
        chart=_chart(params, ref.params, period_key), source=view.source_line(period),
        description=t("Linjediagram: netto kostnad per år for kommunen mot antall pasienter på listen, for "
                      "næringsdrift, fastlønn og blandet drift, med endringene i farger og scenarioet som ble "
                      "åpnet stiplet og blekt; stiplede loddrette linjer markerer balansepunktene og valgt "
                      "listelengde ({n}).", n=n),
        draw_lever=lambda lv: draw(lv, defaults, case),
        picked_levers=meeting.picked(eco.EconomyParams, DEFAULT_PICK))
    st.stop()
