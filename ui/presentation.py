"""Presentation mode for Fastlegekapasitet: slides for the meeting room, one point per screen.

On with the sidebar toggle or the URL flag `?presentasjon=1`. The sidebar is hidden, type is larger,
and the scenario's key points come one at a time (one message, one chart) with «Forrige»/«Neste» at
the top, the scenario's name on every slide. The 2–4 levers picked for the meeting (ui.meeting,
saved with the scenario) sit under every slide, so a question from the floor is answered on the
slide, which stays where it is. A clicker's keys (PageDown/PageUp, arrows, Space) turn the slides
(ui.meeting.clicker_keys); a new slide starts at its top. «Avslutt presentasjon» goes back to the page
with the same levers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import streamlit as st

from core import capacity as cap
from core import compare, fmt
from core import duties as du
from core import economy as eco
from core.glossary import term_in
from core.i18n import t
from ui import capacity_view, components, economy_view, headlines, loaders, meeting, narrative, specs
from ui import levers as lever_ui
from ui import scenario as scenario_ui
from ui import verdict_text as vt
from ui.export_view import open_scenario

FLAG = "presentasjon"
_SLIDE = "_presentasjon_side"
_TOGGLE = "presentasjon_av_pa"
COVERAGE_CHART = "coverage"  # the capacity page's chart of coverage against the target (ui.specs)

# The key figure in 3,2 rem (the rule for text, 1,65 rem, had made it as small as the text), and the source
# line under a chart in its own small size: at 1,65 rem it pushed the tiles and buttons below a 1080 p screen.
_CSS = meeting.room_css(
    "0.5rem 2.5rem 1rem 2.5rem",
    """.stMainBlockContainer p, .stMainBlockContainer li { font-size: clamp(1.2rem, 1.45vw, 1.8rem) !important;
  line-height: 1.4; }
.stMainBlockContainer h1 { font-size: clamp(1.8rem, 2.2vw, 2.8rem) !important; padding: 0.2rem 0 0.4rem 0 !important; }
.stMainBlockContainer [data-testid="stCaptionContainer"] p { font-size: clamp(0.85rem, 0.9vw, 1.1rem) !important;
  line-height: 1.35; }
.stMainBlockContainer button p { font-size: clamp(1rem, 1.1vw, 1.3rem) !important; }
""",
    meeting.frame_css("presentasjon_figur", 480, min_px=200),
    '.st-key-presentasjon_spaker [data-testid="stWidgetLabel"] p { font-size: clamp(0.95rem, 1vw, 1.2rem) !important; }\n')


@dataclass(frozen=True)
class Slide:
    """One screen: a title, one message, and one chart (capacity spec key, or a spec) or tiles.

    `tone` is the title's judgement (ui.verdict_text: better, same, mixed, worse or neutral). A tile is
    (label, value), or a ui.headlines.Tile drawn as the page draws it (delta coloured by the patients).
    """

    title: str
    message: str
    chart: str | None = None
    tiles: tuple[tuple[str, str] | headlines.Tile, ...] = ()
    spec: dict | None = field(default=None, hash=False, compare=False)
    source: str = ""
    tone: str = vt.NEUTRAL


def active() -> bool:
    """True when the link asks for presentation mode (`?presentasjon=1`)."""
    return st.query_params.get(FLAG) == "1"


SLIDES = "kapasitet_lysbilder"  # the slides' own reference (ui.meeting): the scenario open when they started


def _start() -> None:
    st.query_params[FLAG] = "1"
    st.session_state[_SLIDE] = 0
    st.session_state.pop("_mote_referanse:" + SLIDES, None)


def _stop() -> None:
    if FLAG in st.query_params:
        del st.query_params[FLAG]


def _step(delta: int, count: int) -> None:
    st.session_state[_SLIDE] = min(max(st.session_state.get(_SLIDE, 0) + delta, 0), count - 1)


def hook(knr: str, kommune: str) -> None:
    """Call at the top of Fastlegekapasitet: in presentation mode, show it and stop; else the toggle."""
    if not active():
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


def duty_inputs(content, knr: str, fte_cost: float) -> tuple[dict, int, du.ListBase | None]:
    """Defaults of the duty levers for a scenario (its case), the base year and the list base."""
    from ui import duties_view

    case = compare.duty_case(content, knr)
    base = loaders.starting_point(case if case == du.STAVANGER_CASE else "ssb", knr)
    list_base = du.list_base(base) if base is not None else None
    stavanger = duties_view.stavanger() if case == du.STAVANGER_CASE else None
    return (compare.duty_defaults(fte_cost, list_base, stavanger),
            2023 if stavanger is not None else loaders.latest_year(), list_base)


def other_slides(knr: str, content) -> list[Slide]:
    """Key points from the scenario's other pages: what one hjemmel costs (Økonomi) and the doctor
    duties (Kommunale legeoppgaver), each only when the scenario holds that page's choices."""
    from core import duties_charts

    out = []
    eco_params, period, _ = compare.economy_params(content, loaders.connection())
    if compare.ECONOMY_PAGE in content:
        c = eco.hjemmel_cost(eco_params, period)
        out.append(Slide(
            t("Hva koster én hjemmel?"),
            t("Med {n} pasienter på listen koster én hjemmel kommunen {naeringsdrift} i året ved næringsdrift, "
              "{fastlonn} ved fastlønn og {blandet} ved blandet drift.", n=fmt.number(eco_params.list_length),
              naeringsdrift=fmt.kroner(c.naeringsdrift), fastlonn=fmt.kroner(c.fastlonn),
              blandet=fmt.kroner(c.blandet)),
            tiles=tuple((economy_view.tile_label(form, t("{form}: netto per år", form=t(label)), eco_params),
                         fmt.kroner(getattr(c, form))) for form, label in eco.FORMS.items()),
            spec=economy_view.curve_spec(eco_params, period.key), source=economy_view.source_line(period)))
    if compare.DUTIES_PAGE in content:
        defaults, base_year, list_base = duty_inputs(content, knr, eco_params.personnel_cost)
        params, _ = compare.duty_params(content, defaults)
        nh = du.nursing_home(params[du.NursingHomeParams], params[du.SharedParams])
        years = [base_year]
        total = float(compare.duty_outputs(content, defaults, base_year, list_base, years)[0]["duties_fte"].iloc[0])
        gap = (t("Det mangler {gap} årsverk, om lag {cost} i året.", gap=fmt.number(nh.gap_fte, 2),
                 cost=fmt.kroner(nh.gap_cost)) if nh.gap_fte > 0.005 else
               t("Det er {above} årsverk mer enn normen krever.", above=fmt.number(-nh.gap_fte, 2))
               if nh.gap_fte < -0.005 else t("Det er like mange årsverk som normen krever."))
        from ui import duties_text, duties_view

        case = duties_view.stavanger() if compare.duty_case(content, knr) == du.STAVANGER_CASE else None
        in_force = du.norm_in_force(case, params[du.NursingHomeParams])
        norm = duties_text.norm_label("", in_force, [])
        ref = du.sourced_reference(params[du.NursingHomeParams], params[du.SharedParams])  # the sourced norm beside
        both = " " + duties_text.stavanger_norm_sentence(case, params[du.SharedParams]) if case is not None else ""
        out.append(Slide(
            t("Kommunale legeoppgaver"),
            t("Normen for sykehjem gir {required} legeårsverk mot {current} i dag.", required=fmt.number(
                nh.required_fte, 2), current=fmt.number(nh.current_fte, 2)) + " " + gap + both,
            tiles=((t("Legeårsverk på sykehjem etter normen") + norm, fmt.number(nh.required_fte, 2)),
                   (t("Legeårsverk på sykehjem i dag"), fmt.number(nh.current_fte, 2)),
                   (t("Legeårsverk i alt med flyttede timer"), fmt.number(total, 2))),
            spec=duties_charts.nursing_fte_chart(nh.by_kind, nh.current_fte, ref.by_kind if ref else None,
                                                 in_force).to_dict(),
            source=t("Legeplans modell for kommunale legeoppgaver (docs/legeoppgaver.md)")))
    return out


def _tile(tile: tuple[str, str] | headlines.Tile) -> None:
    if isinstance(tile, headlines.Tile):  # coloured by the patients, as on the page
        components.headline_tile(tile)
    else:
        st.metric(tile[0], tile[1], border=True)


def show(knr: str, kommune: str) -> None:
    """The presentation: the slide's place and scenario with «Forrige», «Neste», «Avslutt presentasjon» on
    top (always on the screen), the slide, and the levers picked for the meeting under it. The keys of a
    clicker (PageDown/PageUp, arrows, Space) turn the slides; a new slide starts at its top."""
    from ui import meeting_capacity

    st.html(_CSS)
    start = meeting_capacity.current_start()
    base = loaders.starting_point(start, knr)
    if base is None:
        st.title(t("Fastlegekapasitet – {kommune}", kommune=kommune))
        st.info(t("Det finnes ikke noe utgangspunkt å regne fra for denne kommunen."))
        st.button(t("Avslutt presentasjon"), on_click=_stop, key="presentasjon_slutt")
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
    shown[-1:-1] = other_slides(knr, scenario_ui.content("kapasitet"))  # before «Hva scenarioet forutsetter»
    index = min(max(int(st.session_state.get(_SLIDE, 0)), 0), len(shown) - 1)
    slide = shown[index]
    scope = f"{start}:{base.kommunenummer}"
    ref = meeting.reference(SLIDES, scope, params, open_scenario(knr)[0])
    name = ref.name + (" · " + t("endret i møtet") if params != ref.params else "")
    meeting.slide_bar(
        place=t("Fastlegekapasitet – {kommune} · {n} av {count}", kommune=kommune, n=index + 1, count=len(shown))
        + " · " + t("Scenario: «{name}»", name=name),
        index=index, count=len(shown), prefix="presentasjon", step=_step, stop=_stop, slide_id=f"kapasitet:{index}")
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
                    _tile(tile)
    elif slide.tiles:
        for col, tile in zip(st.columns(len(slide.tiles)), slide.tiles, strict=True):
            with col:
                _tile(tile)
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
