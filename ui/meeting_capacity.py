"""Fastlegekapasitet in the meeting view (ui.meeting): coverage tiles and chart against the opened scenario."""

from __future__ import annotations

import streamlit as st

from core import capacity as cap
from core import charts, demography
from core.i18n import t
from core.params import Lever
from ui import capacity_view, headlines, loaders, meeting
from ui import levers as lever_ui
from ui.export_view import open_scenario

PAGE = "kapasitet"
DEFAULT_PICK = ("new_hjemler", "new_from_year", "new_list_cap", "recruits_per_year")


def bounds(base: cap.CapacityBase, defaults: cap.CapacityParams) -> dict[str, tuple[float, float]]:
    """Widget bounds for the capacity levers at this starting point: the page's (core.capacity.lever_bounds)."""
    return cap.lever_bounds(base, defaults)


def draw(lv: Lever, base: cap.CapacityBase, defaults: cap.CapacityParams) -> None:
    """One capacity lever's widget, as the page's sidebar draws it."""
    alternatives = {key: t(label) for key, label in demography.ALTERNATIVES.items()}
    lever_ui.widget(lv, getattr(defaults, lv.name), bounds=bounds(base, defaults), options_labels=alternatives)


def sidebar() -> None:
    """The page's «Møtet» box: pick the levers, open the meeting view."""
    meeting.sidebar(PAGE, cap.CapacityParams, DEFAULT_PICK)


def show(knr: str, kommune: str, start: str, base: cap.CapacityBase, defaults: cap.CapacityParams,
         params: cap.CapacityParams) -> None:
    """The meeting view of Fastlegekapasitet for the levers' `params` (read by `hook`)."""
    scope = f"{start}:{base.kommunenummer}"
    ref = meeting.reference(PAGE, scope, params, open_scenario(knr, PAGE)[0])
    result = loaders.capacity_result(base, params)
    ref_result = loaders.capacity_result(base, ref.params)
    y0, y1 = int(result["year"].iloc[0]), int(result["year"].iloc[-1])
    spec = charts.meeting_coverage_spec(result, ref_result, params.target_reserve)
    meeting.screen(
        page=PAGE, knr=knr, title=t("Fastlegekapasitet – {kommune}", kommune=kommune), cls=cap.CapacityParams,
        params=params, ref=ref, scope=scope,
        tiles=headlines.meeting_tiles(base, params, result, ref_result, ref.name),
        chart=spec, source=capacity_view.capacity_source(base, params),
        description=t("Linjediagram {first}–{last}: dekning (plasser på lister med lege per listepasient × 100) "
                      "med endringene, scenarioet som ble åpnet som grå stiplet linje, og målet {target}.",
                      first=y0, last=y1, target=headlines.index_text(params.target_reserve)),
        draw_lever=lambda lv: draw(lv, base, defaults),
        picked_levers=meeting.picked(cap.CapacityParams, DEFAULT_PICK),
        verdict=headlines.capacity_headlines(base, params, result).verdict_text)


def current_start() -> str:
    """The starting point the page last chose (session, else the link); «ssb» if none or unknown."""
    from core.starting_points import REFERENCE_CASES

    start = st.session_state.get("start") or st.query_params.get("start") or "ssb"
    return start if start == "ssb" or start in REFERENCE_CASES else "ssb"


def hook(knr: str, kommune: str) -> None:
    """At the top of Fastlegekapasitet: in the meeting view, show it (no page title, picker or sidebar) and stop."""
    if not meeting.active():
        return
    start = current_start()
    base = loaders.starting_point(start, knr)
    if base is None:
        st.info(t("Det finnes ikke noe utgangspunkt å regne fra for denne kommunen."))
        st.button(t("Avslutt møtevisning"), on_click=meeting.leave, args=(PAGE,), key="mote_slutt")
        st.stop()
    defaults = loaders.capacity_defaults(base)
    params = lever_ui.panel(cap.CapacityParams, defaults, scope=f"{start}:{base.kommunenummer}",
                            bounds=bounds(base, defaults), where=None, fit=lambda p: cap.fit_to_base(p, base))
    show(knr, kommune, start, base, defaults, params)
    st.stop()
