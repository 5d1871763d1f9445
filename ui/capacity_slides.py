"""Fastlegekapasitet's slides: presentation mode for the meeting room, one point per screen.

On with the sidebar toggle or the URL flag `?presentasjon=1`. The sidebar is hidden, type is larger,
and the scenario's key points come one at a time (one message, one chart) with «Forrige»/«Neste» at
the top, the scenario's name on every slide. Before the last slide come the slides the scenario's
other pages declare (ui.presentation.page_slides: Økonomi's and Kommunale legeoppgaver's when the
scenario holds their choices). The 2–4 levers picked for the meeting (ui.meeting, saved with the
scenario) sit under every slide, so a question from the floor is answered on the slide, which stays
where it is. A clicker's keys (PageDown/PageUp, arrows, Space) turn the slides
(ui.meeting.clicker_keys); a new slide starts at its top. «Avslutt presentasjon» goes back to the page
with the same levers.
"""

from __future__ import annotations

import streamlit as st

from core import capacity as cap
from core import economy as eco
from core import fmt
from core.glossary import term_in
from core.i18n import t
from core.usertext import escape_markdown
from ui import (
    capacity_view,
    components,
    economy_view,
    headlines,
    loaders,
    meeting,
    meeting_capacity,
    narrative,
    presentation,
    shell,
    specs,
)
from ui import levers as lever_ui
from ui import scenario as scenario_ui
from ui import verdict_text as vt
from ui.export_view import open_scenario
from ui.presentation import Slide

_SLIDE = "_presentasjon_side"
_TOGGLE = "presentasjon_av_pa"
COVERAGE_CHART = "coverage"  # the capacity page's chart of coverage against the target (ui.specs)

SLIDES = "kapasitet_lysbilder"  # the slides' own reference (ui.meeting): the scenario open when they started


def _start() -> None:
    st.query_params[presentation.FLAG] = "1"
    st.session_state[_SLIDE] = 0
    st.session_state.pop("_mote_referanse:" + SLIDES, None)


def _step(delta: int, count: int) -> None:
    st.session_state[_SLIDE] = min(max(st.session_state.get(_SLIDE, 0) + delta, 0), count - 1)


def hook(knr: str, kommune: str) -> None:
    """Call at the top of Fastlegekapasitet: in presentation mode, show it and stop; else the toggle."""
    if not presentation.active():
        st.sidebar.toggle(t("Presentasjonsmodus"), key=_TOGGLE, value=False, on_change=_start,
                          help=t("For møterommet: skjuler sidepanelet, større skrift, ett budskap og én figur "
                                 "per skjerm, med spakene valgt under «Møtet» på hvert lysbilde. Tastene til en "
                                 "presentasjonsklikker (Page Down/Up, piltaster, mellomrom) blar. Lenken med "
                                 "?presentasjon=1 åpner rett i denne visningen."))
        return
    st.session_state.pop(_TOGGLE, None)
    show(knr, kommune)
    st.stop()


def headline_tiles(base: cap.CapacityBase, params: cap.CapacityParams, result,
                   keys: tuple[str, ...]) -> tuple[headlines.Tile, ...]:
    """The page's tiles (ui.headlines) with these keys, in this order: the same labels, values and colours
    (by what happens to the patients) as on Fastlegekapasitet."""
    by_key = {tile.key: tile for tile in headlines.capacity_headlines(base, params, result).tiles}
    return tuple(by_key[k] for k in keys if k in by_key)


def cost_marks(priced, eco_params: eco.EconomyParams) -> dict[str, str]:
    """« (eksempelkostnader)» for the cost slide's tiles where an example cost moves them, as the page's
    tiles say (ui.economy_view.capacity_cost_tiles: vikar when vacancies change, salary and office when
    lists with a doctor are added)."""
    if priced is None or not len(priced):
        return {"naeringsdrift": "", "fastlonn": ""}
    vikar = (("vikar_day_rate", "vikar_days_per_vacant_list")
             if abs(eco.scenario_summary(priced)["vikar"]) >= 0.5 else ())
    salaried = eco.COST_LEVERS if float(priced["extra_lists_with_gp"].iloc[-1]) > 0 else ()
    return {"naeringsdrift": economy_view.example_mark(eco_params, vikar),
            "fastlonn": economy_view.example_mark(eco_params, (*salaried, *vikar))}


def slides(base: cap.CapacityBase, params: cap.CapacityParams, defaults: cap.CapacityParams, result,
           priced, marks: dict[str, str] | None = None) -> list[Slide]:
    """The scenario's key points, one per screen, in the order a meeting takes them. The titles come
    from ui.verdict_text (judged by the patients, never by the reserve index). `marks`: cost_marks(...)."""
    first, last = result.iloc[0], result.iloc[-1]
    y0, y1 = int(first["year"]), int(last["year"])
    headline, goal_title, without_title = vt.capacity_titles(result, params.target_reserve)
    opening = narrative.describe(base, params, defaults, result)[0]  # what happens to the patients
    out = [Slide(headline.text, opening, "capacity", tone=headline.tone,
                 tiles=headline_tiles(base, params, result, ("coverage_index", "patients_without_gp", "reserve_index")))]
    reached = cap.targets_reached(result, params.target_reserve)
    need = int(last["extra_hjemler_needed"])
    vacant = float(last["vacant_lists"])
    below = cap.falls_below(result, params.target_reserve)
    if below is not None:  # the base meets the target and loses it: when, and what is missing then and at the end
        then = int(result.loc[result["year"] == below, "extra_hjemler_needed"].iloc[0])
        goal = (t("Dekningen faller under målet {target} i {year}.", target=headlines.index_text(params.target_reserve),
                  year=below) + " "
                + ((t("Da trengs {n} hjemmel til.", n=then) if then == 1 else t("Da trengs {n} hjemler til.", n=then))
                   if then == need else
                   t("Da trengs {n} hjemmel til, og {need} i {year}.", n=then, need=need, year=y1) if then == 1 else
                   t("Da trengs {n} hjemler til, og {need} i {year}.", n=then, need=need, year=y1))
                + (" " + t("De {n} listene uten lege er regnet med: de må besettes for å gi plasser.",
                           n=headlines.count_text(vacant)) if vacant >= 0.5 else ""))
    elif reached is None:
        goal = (t("Målet om dekning {target} nås ikke innen {year}.", target=headlines.index_text(params.target_reserve),
                  year=y1) + " "
                + (t("Da trengs {n} hjemmel til.", n=need) if need == 1 else t("Da trengs {n} hjemler til.", n=need))
                + (" " + t("De {n} listene uten lege er regnet med: de må besettes for å gi plasser.",
                           n=headlines.count_text(vacant)) if vacant >= 0.5 else ""))
    else:
        goal = t("Dekningen er {target} eller mer fra {year}.", target=headlines.index_text(params.target_reserve),
                 year=reached)
    out.append(Slide(goal_title.text,
                     goal + " " + t("I {year} er den {value} (i {base_year}: {base_value}).", year=y1,
                                    value=headlines.index_text(last["coverage_index"]), base_year=y0,
                                    base_value=headlines.index_text(first["coverage_index"])),
                     COVERAGE_CHART,
                     tiles=(*headline_tiles(base, params, result, ("coverage_index", "extra_hjemler_needed")),
                            (term_in("vacant_lists", y1), fmt.quantity("vacant_lists", vacant))),
                     tone=goal_title.tone))
    without = last["patients_without_gp"]
    if result["patients_without_gp"].max() >= 0.5:
        out.append(Slide(without_title.text,
                         t("I {year} står {n} pasienter på lister uten fast lege (i {base_year}: {base_n}).",
                           year=y1, n=fmt.number(without), base_year=y0,
                           base_n=fmt.number(first["patients_without_gp"])), "without_gp", tone=without_title.tone))
    else:
        out.append(Slide(without_title.text,
                         t("Ingen pasienter står på lister uten lege i {start}–{end} i dette scenarioet.",
                           start=y0, end=y1), tone=without_title.tone))
    if priced is not None and len(priced):
        s = eco.scenario_summary(priced)
        marks = marks or {}
        examples = any(marks.get(form) for form in ("naeringsdrift", "fastlonn"))
        out.append(Slide(
            t("Hva koster det for kommunen?"),
            t("Endringene i hjemler, leger og listetak koster kommunen {naeringsdrift} i {year} hvis de nye "
              "listene drives i næringsdrift, og {fastlonn} med fastlønn.",
              naeringsdrift=fmt.kroner(s["naeringsdrift"]), year=s["year"], fastlonn=fmt.kroner(s["fastlonn"]))
            + (" " + t("Tallene bygger på eksempelkostnader (lønn, kontor, vikar) til kommunen legger inn egne "
                       "på siden Økonomi.") if examples else ""),
            tiles=((t("Merkostnad {year}, næringsdrift", year=s["year"]) + marks.get("naeringsdrift", ""),
                    fmt.kroner(s["naeringsdrift"])),
                   (t("Merkostnad {year}, fastlønn", year=s["year"]) + marks.get("fastlonn", ""),
                    fmt.kroner(s["fastlonn"])),
                   (term_in("hjemler", y1), fmt.quantity("hjemler", last["hjemler"])))))
    changes = narrative.scenario_changes(params, defaults)
    out.append(Slide(t("Hva scenarioet forutsetter"),
                     t("Scenarioet bygger på {changes}.", changes="; ".join(changes)) if changes
                     else t("Scenarioet har ingen endringer i hjemler, leger eller listetak."),
                     tiles=((t("Planhorisont"), str(params.horizon)),
                            (t("Mål for dekning"), headlines.index_text(params.target_reserve)),
                            (t("Utgangspunkt"), f"{base.year}"))))
    return out


def show(knr: str, kommune: str) -> None:
    """The presentation: the slide's place and scenario with «Forrige», «Neste», «Avslutt presentasjon» on
    top (always on the screen), the slide, and the levers picked for the meeting under it. The keys of a
    clicker (PageDown/PageUp, arrows, Space) turn the slides; a new slide starts at its top."""
    st.html(presentation._CSS)
    start = meeting_capacity.current_start()
    base = loaders.starting_point(start, knr)
    if base is None:
        st.title(t("Fastlegekapasitet – {kommune}", kommune=kommune))
        st.info(t("Det finnes ikke noe utgangspunkt å regne fra for denne kommunen."))
        st.button(t("Avslutt presentasjon"), on_click=presentation.stop, key="presentasjon_slutt")
        return
    defaults = loaders.capacity_defaults(base)
    params = lever_ui.panel(cap.CapacityParams, defaults, scope=f"{start}:{base.kommunenummer}",
                            bounds=meeting_capacity.bounds(base, defaults), where=None,
                            fit=lambda p: cap.fit_to_base(p, base), messages=False)
    result = loaders.capacity_result(base, params)
    eco_params, period = economy_view.current_params()
    priced = eco.price_scenario(loaders.capacity_result(base, cap.without_supply_changes(params, defaults)),
                                result, eco_params, period)
    shown = slides(base, params, defaults, result, priced, cost_marks(priced, eco_params))
    shown[-1:-1] = presentation.page_slides(shell.PAGES, knr, scenario_ui.content("kapasitet"), "kapasitet")  # before «Hva scenarioet forutsetter»
    index = min(max(int(st.session_state.get(_SLIDE, 0)), 0), len(shown) - 1)
    slide = shown[index]
    scope = f"{start}:{base.kommunenummer}"
    ref = meeting.reference(SLIDES, scope, params, open_scenario(knr)[0])
    name = escape_markdown(ref.name, inline=True) + (" · " + t("endret i møtet") if params != ref.params else "")
    meeting.slide_bar(
        place=t("Fastlegekapasitet – {kommune} · {n} av {count}", kommune=kommune, n=index + 1, count=len(shown))
        + " · " + t("Scenario: «{name}»", name=name),
        index=index, count=len(shown), prefix="presentasjon", step=_step, stop=presentation.stop, slide_id=f"kapasitet:{index}")
    st.title(slide.title)
    st.markdown(slide.message)
    spec = specs.capacity_charts(base, params).get(slide.chart) if slide.chart else None
    if spec is not None or slide.spec is not None:
        # chart and tiles side by side: on a 16:9 screen the chart keeps its height and the tiles stay in view
        chart_col, tile_col = st.columns([2.3, 1], gap="medium") if slide.tiles else (st.container(), None)
        with chart_col:
            if spec is not None:
                components.chart(spec, capacity_view.capacity_source(base, params), slide.message,
                                 key=f"presentasjon_{slide.chart}", height="stretch", projector=True,
                                 frame_key="presentasjon_figur", high_contrast=meeting.high_contrast())
            else:
                components.chart(slide.spec, slide.source, slide.message, key=f"presentasjon_{index}",
                                 height="stretch", projector=True, frame_key="presentasjon_figur",
                                 high_contrast=meeting.high_contrast())
        if tile_col is not None:
            with tile_col:
                for tile in slide.tiles:
                    presentation.tile(tile)
    elif slide.tiles:
        for col, tile in zip(st.columns(len(slide.tiles)), slide.tiles, strict=True):
            with col:
                presentation.tile(tile)
    picked = meeting.picked(cap.CapacityParams, meeting_capacity.DEFAULT_PICK)
    if picked:  # a question from the floor is answered on the slide, and kept or thrown away there
        with st.container(key="presentasjon_spaker"):
            *cols, buttons = st.columns([*([1] * len(picked)), 0.9])
            for col, lv in zip(cols, picked, strict=True):
                with col:
                    meeting_capacity.draw(lv, base, defaults)
            with buttons:
                meeting.change_buttons(knr=knr, page="kapasitet", cls=cap.CapacityParams, params=params, ref=ref,
                                       scope=scope, view=SLIDES, prefix="presentasjon")
