"""«Sammenlign scenarioer» in the meeting room: slides (`?presentasjon=1`) and a meeting view (`?mote=1`).

The slides take the points a committee takes, one per screen: which scenario is best for the patients
in the last shared year (core.compare.rank_for_patients: judged by core.capacity.verdict, never by SSB's
reserve index), coverage side by side, patients without a fastlege, what each costs (when the comparison
prices them) and what each assumes. Every slide names the kommune and the scenarios in its top row with
«n av m», «Forrige», «Neste» and «Avslutt presentasjon»; a clicker's keys turn them (ui.meeting.clicker_keys).

The meeting view puts the compared scenarios' coverage and patients without a fastlege in tiles, the
coverage chart, and the capacity levers picked for the meeting (ui.meeting.picked) on one screen. The
levers move the choices in force («Gjeldende valg», Fastlegekapasitet's levers in this session), drawn
as an extra line and column with ± against the choices when the view opened (a grey ghost line); «Behold
som nytt scenario» saves them, «Forkast endringene» puts them back (ui.meeting.change_buttons).

The page hands over nothing but the kommune: `gather` computes the comparison for the page and for these
views alike.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import streamlit as st

from core import capacity as cap
from core import compare, fmt
from core import duties as du
from core import economy as eco
from core import scenarios as sc
from core.capacity import CapacityParams
from core.glossary import term, term_in
from core.i18n import t
from core.params import from_mapping, levers, sanitize, to_mapping, with_defaults_from
from core.usertext import escape_markdown
from ui import (
    capacity_slides,
    components,
    duties_slides,
    duties_view,
    headlines,
    loaders,
    meeting,
    meeting_capacity,
    narrative,
    presentation,
    state,
)
from ui import levers as lever_ui
from ui import scenario as scenario_ui
from ui import verdict_text as vt
from ui.cache import cached
from ui.export_view import CURRENT

PAGE = "scenarioer"
STANDARD = "standard"  # the comparison's «no change» scenario
CHOICE_KEY = "sammenlign"  # the page's multiselect of scenarios
_CHOSEN = "_sammenlign_valgt"  # the selection, kept while the slides or meeting view hide the multiselect
_SLIDE = "_sammenlign_side"
_TOGGLE = "sammenlign_presentasjon_av_pa"
FRAME = "sammenlign_figur"  # the slides' chart frame, sized to the screen
MEETING_FRAME = "sammenlign_mote_figur"
CURRENT_COLOR, GHOST_COLOR = "#000000", "#8C8C8C"  # Okabe–Ito black for the choices in force; grey ghost

# The slides have no levers under them: the chart takes the height the nav row, title, message and source
# leave. The meeting view's tiles are one row of scenario boxes (two numbers each).
_SLIDE_CSS = "<style>" + meeting.frame_css(FRAME, 365) + "</style>"
_MEETING_CSS = "<style>" + meeting.frame_css(MEETING_FRAME, 420) + """
.st-key-sammenlign_mote_fliser [data-testid="stMetricValue"],
.st-key-sammenlign_mote_fliser [data-testid="stMetricValue"] [data-testid="stMarkdownContainer"] p {
  font-size: clamp(1.4rem, calc(3.4vw - 17px), 3.4rem) !important; line-height: 1.1 !important;
  overflow: visible !important; text-overflow: clip !important; }
.st-key-sammenlign_mote_fliser [data-testid="stMetricLabel"] { min-height: 2.5em; align-items: flex-end; }
.st-key-sammenlign_mote_fliser [data-testid="stMetricLabel"] [data-testid="stMarkdownContainer"] p {
  font-size: clamp(0.8rem, 0.85vw, 1.15rem) !important; }
.st-key-sammenlign_mote_fliser [data-testid="stMarkdown"] [data-testid="stMarkdownContainer"] p { font-size: clamp(0.9rem, 1vw, 1.3rem) !important;
  margin-bottom: 0; }
.st-key-sammenlign_mote_fliser [data-testid="stVerticalBlockBorderWrapper"] { padding: 0.5rem 0.7rem !important; }
</style>"""


def choices(saved: Sequence[sc.Scenario]) -> dict[str, str]:
    """The scenarios to choose from: id → name, «Uten endringer, standardverdier» first."""
    return {STANDARD: t("Uten endringer, standardverdier"), **{s.id: s.name for s in saved}}


# --- the comparison, computed once for the page and for the meeting room ------------------------------------

@dataclass
class Gathered:
    """The compared scenarios: capacity levers, results with cost and duties, and what the page warns about."""

    runs: list[compare.Compared] = field(default_factory=list)
    results: dict[str, pd.DataFrame] = field(default_factory=dict)
    starts: dict[str, str] = field(default_factory=dict)  # shown name → its starting point (base.label)
    bases: dict[str, cap.CapacityBase] = field(default_factory=dict)
    other_levers: list[tuple] = field(default_factory=list)  # economy levers, rule period, duty levers, duty defaults
    norms: dict[str, str] = field(default_factory=dict)  # the nursing-home norm in force per scenario
    marks: dict[str, dict[str, str]] = field(default_factory=dict)  # cost tiles' example marks per scenario
    messages: list[str] = field(default_factory=list)


def gather(knr: str, kommune: str, chosen: Sequence[str], labels: Mapping[str, str],
           saved: Sequence[sc.Scenario]) -> Gathered:
    """Each chosen scenario's capacity result priced by its Økonomi levers and with its doctor duties, as
    the pages show them when it is opened."""
    by_id = {s.id: s for s in saved}
    out = Gathered()
    for sid in chosen:
        content = by_id[sid].content if sid in by_id else {}
        start = compare.start_of(content)
        base = loaders.starting_point(start, knr) or loaders.starting_point("ssb", knr)
        if base is None:
            out.messages.append(t("«{scenario}»: {kommune} har ingen fastlegestatistikk å regne fra.",
                                  scenario=escape_markdown(sanitize(labels[sid], 80), inline=True), kommune=kommune))
            continue
        shown = sanitize(labels[sid], 80)
        if shown in out.results:
            shown = f"{shown} ({len(out.results) + 1})"
        run = compare.scenario_params(shown, content, base)
        said = escape_markdown(shown, inline=True)  # the messages are shown as markdown (st.warning)
        out.messages += [f"«{said}»: {message}" for message in run.messages]
        if sid in by_id and by_id[sid].data_version != sc.data_version(loaders.connection()):
            out.messages.append(t("«{scenario}» ble laget med eldre statistikk; tallene er regnet på dagens.",
                                  scenario=said))
        result = loaders.capacity_result(base, run.params)
        eco_params, period, eco_messages = compare.economy_params(content, loaders.connection())
        before = loaders.capacity_result(base, cap.without_supply_changes(run.params, loaders.capacity_defaults(base)))
        priced = eco.price_scenario(before, result, eco_params, period)
        duty_defaults, duty_year, list_base = duties_slides.duty_inputs(content, knr, eco_params.personnel_cost)
        duties, duty_messages = compare.duty_outputs(content, duty_defaults, duty_year, list_base,
                                                     result["year"].tolist())
        out.messages += [f"«{said}»: {message}" for message in dict.fromkeys(eco_messages + duty_messages)]
        out.runs.append(run)
        out.results[shown] = compare.with_cost_and_duties(result, priced, duties)
        out.starts[shown] = base.label
        out.bases[shown] = base
        out.other_levers.append((eco_params, period, compare.duty_params(content, duty_defaults)[0], duty_defaults))
        stavanger = duties_view.stavanger() if compare.duty_case(content, knr) == du.STAVANGER_CASE else None
        out.norms[shown] = du.norm_in_force(stavanger, out.other_levers[-1][2][du.NursingHomeParams])
        out.marks[shown] = capacity_slides.cost_marks(priced, eco_params)
    return out


# --- the slides ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Slide:
    """One screen: a title (with its tone for the patients), one message, and a chart, per-scenario tiles
    (groups: scenario, its (label, value) tiles, a note under them) or bullets."""

    title: str
    message: str
    tone: str = vt.NEUTRAL
    spec: dict | None = field(default=None, hash=False, compare=False)
    source: str = ""
    groups: tuple[tuple[str, tuple[tuple[str, str], ...], str], ...] = ()
    bullets: tuple[str, ...] = ()
    note: str = ""


def _quoted(names: Sequence[str]) -> str:
    """«A», «B» og «C»."""
    quoted = [f"«{escape_markdown(n, inline=True)}»" for n in names]  # shown as markdown: names literal
    return quoted[0] if len(quoted) == 1 else t("{first} og {last}", first=", ".join(quoted[:-1]), last=quoted[-1])


def verdict_title(ranking: compare.Ranking, names: Sequence[str]) -> vt.Title:
    """The first slide's title: which scenario is best for the patients (never a worse one)."""
    year = ranking.year
    if len(ranking.best) == len(names):
        return vt.Title(t("Scenarioene er omtrent like for pasientene i {year}", year=year), cap.SAME)
    if len(ranking.best) == 1:
        return vt.Title(t("«{name}» er best for pasientene i {year}", name=ranking.best[0], year=year), cap.BETTER)
    if ranking.best:
        return vt.Title(t("{names} er like gode for pasientene i {year}", names=_quoted(ranking.best), year=year),
                        cap.BETTER)
    return vt.Title(t("Ingen av scenarioene er best på alt for pasientene i {year}", year=year), cap.MIXED)


def _at(result: pd.DataFrame, year: int) -> pd.Series:
    return result.loc[result["year"] == year].iloc[0]


def _values(results: Mapping[str, pd.DataFrame], year: int, key: str) -> str:
    """«A» 97,1; «B» 99,0 – one glossary quantity per scenario in `year`."""
    return "; ".join(f"«{n}» {fmt.quantity(key, _at(r, year)[key])}" for n, r in results.items())


@cached(max_entries=64)
def _chart(long: pd.DataFrame, label: str, order: tuple[str, ...], decimals: int | None,
           colors: tuple[str, ...] | None = None, dashes: tuple[tuple[int, ...], ...] | None = None) -> dict:
    """The overlaid chart as a Vega-Lite dict, kept per data (and målform: ui.cache)."""
    spec = compare.compare_chart(long, label, list(order), decimals, colors, dashes).to_dict()
    for channel in ("color", "strokeDash"):  # the legend in rows of three: six series fit a 1366 px screen
        legend = spec.get("encoding", {}).get(channel, {}).get("legend")
        if isinstance(legend, dict) and len(order) > 3:
            legend["columns"] = 3
    return spec


def _changes(lever_cls: type, params: Any, defaults: Any, skip: Sequence[str] = ()) -> list[str]:
    """«label: value» for every lever that differs from its default."""
    return [f"{lever_ui.label(lv)}: {lever_ui.default_text(lv, getattr(params, lv.name))}"
            for lv in levers(lever_cls)
            if lv.name not in skip and getattr(params, lv.name) != getattr(defaults, lv.name)]


_SUPPLY = ("new_hjemler", "new_from_year", "new_list_cap", "closed_hjemler", "closed_from_year", "exits_per_year",
           "recruits_per_year", "cap_change_places", "cap_change_year", "keep_workload")  # narrative.scenario_changes


def assumptions(g: Gathered) -> list[str]:
    """Per scenario: its starting point and every lever it sets apart from the defaults, in words."""
    out = []
    for run, (eco_params, period, duty_params, duty_defaults) in zip(g.runs, g.other_levers, strict=True):
        defaults = with_defaults_from(CapacityParams, g.bases[run.name])
        parts = narrative.scenario_changes(run.params, defaults)
        parts += _changes(CapacityParams, run.params, defaults, _SUPPLY)
        parts += _changes(eco.EconomyParams, eco_params, eco.defaults_for(period.key))
        for cls in compare.DUTY_CLASSES:
            parts += _changes(cls, duty_params[cls], duty_defaults[cls])
        what = "; ".join(parts) if parts else t("ingen endringer i spakene")
        out.append(t("«{name}» ({start}): {what}", name=run.name, start=g.starts[run.name], what=what))
    return out


def slides(g: Gathered) -> list[Slide]:
    """The comparison's points, one per screen, in the order a committee takes them."""
    results = g.results
    names = list(results)
    ranking = compare.rank_for_patients(results)
    year = ranking.year
    y0 = max(int(r["year"].min()) for r in results.values())
    source = t("Legeplans kapasitetsmodell med spakene i hvert scenario; statistikk: SSB tabell 12005 eller "
               "referansecasets dokument")
    head = verdict_title(ranking, names)
    message = (t("I {year} har {scenarios}.", year=year, scenarios="; ".join(
        t("«{name}» dekning {coverage} og {n} pasienter uten fastlege", name=n,
          coverage=fmt.quantity("coverage_index", _at(r, year)["coverage_index"]),
          n=fmt.quantity("patients_without_gp", _at(r, year)["patients_without_gp"])) for n, r in results.items())))
    if not ranking.best:
        message = (t("{fewest} har færrest pasienter uten fastlege, {highest} høyest dekning.",
                     fewest=_quoted(ranking.fewest_without), highest=_quoted(ranking.highest_coverage))
                   + " " + message)
    if len(set(g.starts.values())) > 1:
        message += " " + t("Scenarioene regner fra ulike utgangspunkt (se siste lysbilde).")
    against = compare.horizon_verdicts(results)
    groups = tuple(
        (n, ((term_in("coverage_index", year), fmt.quantity("coverage_index", _at(r, year)["coverage_index"])),
             (term_in("patients_without_gp", year),
              fmt.quantity("patients_without_gp", _at(r, year)["patients_without_gp"]))),
         "" if i == 0 else t("{verdict} (mot «{first}»)", verdict=vt.verdict_label(against[n]), first=names[0]))
        for i, (n, r) in enumerate(results.items()))
    out = [Slide(head.text, message, head.tone, groups=groups, note=t(vt.COMPARED_NOTE))]
    label = t(compare.METRICS["coverage_index"][0])
    out.append(Slide(t("Dekningen år for år, {start}–{end}", start=y0, end=year),
                     t("Dekning (plasser på lister med lege per 100 listepasienter) i {year}: {values}.", year=year,
                       values=_values(results, year, "coverage_index")),
                     spec=_chart(compare.long_frame(results, "coverage_index"), label, tuple(names), None),
                     source=source))
    if any(float(r["patients_without_gp"].max()) >= cap.PATIENT_TOLERANCE for r in results.values()):
        label = t(compare.METRICS["patients_without_gp"][0])
        out.append(Slide(t("Pasienter uten fastlege år for år, {start}–{end}", start=y0, end=year),
                         t("Pasienter på lister uten fast lege i {year}: {values}.", year=year,
                           values=_values(results, year, "patients_without_gp")),
                         spec=_chart(compare.long_frame(results, "patients_without_gp"), label, tuple(names), None),
                         source=source))
    if "fastlonn" in compare.shown_metrics(results):
        examples = any(m.get(form) for m in g.marks.values() for form in ("naeringsdrift", "fastlonn"))
        out.append(Slide(
            t("Hva koster scenarioene for kommunen i {year}?", year=year),
            t("Merkostnaden er det endringene i hjemler, leger og listetak koster kommunen i {year} (næringsdrift "
              "eller fastlønn for de nye listene), mot det samme scenarioet uten endringene.", year=year)
            + (" " + t("Tallene bygger på eksempelkostnader (lønn, kontor, vikar) til kommunen legger inn egne på "
                       "siden Økonomi.") if examples else ""),
            groups=tuple((n, ((t("Merkostnad {year}, næringsdrift", year=year) + g.marks[n].get("naeringsdrift", ""),
                               fmt.kroner(_at(r, year)["naeringsdrift"])),
                              (t("Merkostnad {year}, fastlønn", year=year) + g.marks[n].get("fastlonn", ""),
                               fmt.kroner(_at(r, year)["fastlonn"]))), "")
                         for n, r in results.items()),
            note=t("Kilde: Legeplans økonomimodell med økonomispakene i hvert scenario (docs/okonomi.md).")))
    out.append(Slide(t("Hva scenarioene forutsetter"),
                     t("Spakene hvert scenario har satt annerledes enn standard, og utgangspunktet det regner fra:"),
                     bullets=tuple(assumptions(g)),
                     note=t("Standardverdiene og kildene står på sidene selv.")))
    return out


def _start() -> None:
    st.query_params[presentation.FLAG] = "1"
    st.session_state[_SLIDE] = 0


def _stop() -> None:
    if presentation.FLAG in st.query_params:
        del st.query_params[presentation.FLAG]


def _step(delta: int, count: int) -> None:
    st.session_state[_SLIDE] = min(max(st.session_state.get(_SLIDE, 0) + delta, 0), count - 1)


def _group(name: str, tiles: Sequence[tuple[str, str]], note: str) -> None:
    with st.container(border=True):
        st.markdown(f"**«{escape_markdown(name, inline=True)}»**")
        for label, value in tiles:
            st.metric(label, value)
        if note:
            st.caption(note)


def show_slides(kommune: str, g: Gathered) -> None:
    """The slides: the place, the kommune and the scenarios with «Forrige», «Neste», «Avslutt presentasjon»
    on top, then the slide. A clicker's keys turn them; a new slide starts at its top."""
    st.html(presentation._CSS + _SLIDE_CSS)
    shown = slides(g)
    index = min(max(int(st.session_state.get(_SLIDE, 0)), 0), len(shown) - 1)
    slide = shown[index]
    meeting.slide_bar(
        place=t("Sammenlign scenarioer – {kommune} · {n} av {count}", kommune=kommune, n=index + 1, count=len(shown))
        + " · " + t("Scenarioer: {names}", names=_quoted(list(g.results))),
        index=index, count=len(shown), prefix="sammenlign", step=_step, stop=_stop, slide_id=f"sammenlign:{index}")
    st.title(slide.title)
    st.markdown(slide.message)
    if slide.spec is not None:
        components.chart(slide.spec, slide.source, slide.message, key=f"sammenlign_lysbilde_{index}",
                         height="stretch", projector=True, frame_key=FRAME, high_contrast=meeting.high_contrast())
    if slide.groups:
        for col, (name, tiles, note) in zip(st.columns(len(slide.groups)), slide.groups, strict=True):
            with col:
                _group(name, tiles, note)
    if slide.bullets:
        st.markdown("\n".join(f"- {b}" for b in slide.bullets))
    if slide.note:
        st.caption(slide.note)


# --- the meeting view ----------------------------------------------------------------------------------

def _open_name(knr: str, link: Mapping[str, str]) -> str:
    """The scenario opened or saved in this session (with «(endret etter lagring)» if Fastlegekapasitet's
    levers have moved since), else «Gjeldende valg»."""
    sid = scenario_ui.open_id()
    found = next((s for s in scenario_ui.saved_for(knr) if s.id == sid), None) if sid else None
    if found is None:
        return t(CURRENT)
    changed = dict(found.content.get(compare.CAPACITY_PAGE, {})) != dict(link)
    return found.name + (" " + t("(endret etter lagring)") if changed else "")


def _keep_in_link(link: Mapping[str, str], params: CapacityParams, defaults: CapacityParams) -> None:
    """Fastlegekapasitet's remembered link and levers take the meeting's values (a new scenario saves them;
    the page opens with them)."""
    names = {lv.name for lv in levers(CapacityParams)}
    values = to_mapping(params, defaults)
    state.set_page_query(compare.CAPACITY_PAGE, {**{k: v for k, v in link.items() if k not in names}, **values})


def meeting_frame(results: Mapping[str, pd.DataFrame], current: pd.DataFrame, reference: pd.DataFrame | None,
                  current_name: str, reference_name: str) -> tuple[pd.DataFrame, tuple[str, ...], tuple[str, ...],
                                                                    tuple[tuple[int, ...], ...]]:
    """Coverage per year of the compared scenarios, the choices in force and (when they differ) the
    choices when the meeting opened: the long frame, the series order, their colours and dashes."""
    series = {**results, current_name: current}
    if reference is not None:
        series[reference_name] = reference
    n = len(results)
    colors = (*compare.COLORS[:n], CURRENT_COLOR) + ((GHOST_COLOR,) if reference is not None else ())
    dashes = (*compare.DASHES[:n], (1, 0)) + (((3, 3),) if reference is not None else ())
    return compare.long_frame(series, "coverage_index"), tuple(series), colors, tuple(tuple(d) for d in dashes)


def _metric(tile: headlines.Tile, label: str) -> None:
    """A meeting tile without its help icon and note (the narrow box keeps its label on one or two lines)."""
    st.metric(label, tile.value, delta=tile.delta, delta_color=headlines.STREAMLIT_COLOR[tile.tone],
              delta_arrow=tile.arrow)  # what the ± is against stands in the box's heading


def show_meeting(knr: str, kommune: str, g: Gathered) -> None:
    """The meeting view: the scenarios' numbers in a row, the coverage chart beside the picked levers."""
    st.html(meeting.CSS + _MEETING_CSS)
    content = scenario_ui.content(PAGE)
    link = dict(content.get(compare.CAPACITY_PAGE, {}))
    start = compare.start_of(content)
    base = loaders.starting_point(start, knr) or loaders.starting_point("ssb", knr)
    defaults = loaders.capacity_defaults(base)
    bounds = meeting_capacity.bounds(base, defaults)
    from_link, _ = cap.fit_to_base(from_mapping(CapacityParams, link, base=defaults, bounds=bounds)[0], base)
    scope = f"{start}:{base.kommunenummer}"
    held = st.session_state.get(meeting._REF + PAGE)
    if held is None or held[0] != scope:  # the view opens: the levers start from Fastlegekapasitet's choices
        lever_ui.reset(CapacityParams, from_link)
    params, _ = cap.fit_to_base(lever_ui.read(CapacityParams, from_link), base)
    _keep_in_link(link, params, defaults)
    ref = meeting.reference(PAGE, scope, params, _open_name(knr, link))
    changed = params != ref.params
    now_name = t(CURRENT)
    result = loaders.capacity_result(base, params)
    ref_result = loaders.capacity_result(base, ref.params)
    year = min(int(r["year"].max()) for r in (*g.results.values(), result))

    head, contrast, end = st.columns([4.4, 0.9, 1], vertical_alignment="center")
    with contrast:
        meeting.contrast_toggle()
    head.markdown(f"**{t('Sammenlign scenarioer – {kommune}', kommune=kommune)}** · "
                  + t("Scenarioer: {names}", names=_quoted(list(g.results)))
                  + (" · " + t("«{now}» startet som «{name}»", now=escape_markdown(now_name, inline=True),
                                 name=escape_markdown(ref.name, inline=True)) if ref.name != now_name
                     else "")
                  + (" · " + t("endret i møtet") if changed else ""))
    end.button(t("Avslutt møtevisning"), icon=":material/close:", on_click=meeting.leave, args=(PAGE,),
               key="mote_slutt", width="stretch")
    keys = ("coverage_index", "patients_without_gp")
    with st.container(key="sammenlign_mote_fliser"):
        cols = st.columns([1] * len(g.results) + [1.3])
        for col, (name, r) in zip(cols, g.results.items(), strict=False):
            with col, st.container(border=True):
                st.markdown(f"**«{escape_markdown(name, inline=True)}»** · {year}")
                for left, key in zip(st.columns([1, 1.35]), keys, strict=True):
                    left.metric(term(key), fmt.quantity(key, _at(r, year)[key]))
        with cols[-1], st.container(border=True):
            st.markdown(f"**«{escape_markdown(now_name, inline=True)}»** · {year} · " + t("± mot da møtet startet"))
            tiles = headlines.meeting_tiles(base, params, result[result["year"] <= year],
                                            ref_result[ref_result["year"] <= year], ref.name, keys)
            for left, tile in zip(st.columns([1, 1.35]), tiles, strict=True):
                with left:
                    _metric(tile, term(tile.key))
    long, order, colors, dashes = meeting_frame(g.results, result, ref_result if changed else None, now_name,
                                                t("{name} (da møtet startet)", name=ref.name))
    label = t(compare.METRICS["coverage_index"][0])
    left, right = st.columns([2.6, 1.4], gap="medium")
    with left:
        components.chart(_chart(long, label, order, None, colors, dashes),
                         t("Legeplans kapasitetsmodell med spakene i hvert scenario; statistikk: SSB tabell 12005 "
                           "eller referansecasets dokument"),
                         t("Linjediagram: dekning per år for {n} scenarioer og «{now}» (svart){ghost}.",
                           n=len(g.results), now=now_name,
                           ghost=t(", med valgene da møtet startet som grå stiplet linje") if changed else ""),
                         key="sammenlign_mote", height="stretch", projector=True, frame_key=MEETING_FRAME,
                         high_contrast=meeting.high_contrast())
    with right, st.container(key="mote_spaker"):
        for lv in meeting.picked(CapacityParams, meeting_capacity.DEFAULT_PICK):
            meeting_capacity.draw(lv, base, defaults)
        meeting.change_buttons(knr=knr, page=PAGE, cls=CapacityParams, params=params, ref=ref, scope=scope)


# --- the page's hook -----------------------------------------------------------------------------------------

def _keep_choice(labels: Mapping[str, str]) -> None:
    """Remember the page's selection (the multiselect is not drawn in slides or the meeting view, and Streamlit
    forgets a widget it did not draw); put it back when the page shows again."""
    if CHOICE_KEY in st.session_state:
        st.session_state[_CHOSEN] = list(st.session_state[CHOICE_KEY])
    elif _CHOSEN in st.session_state:
        st.session_state[CHOICE_KEY] = [c for c in st.session_state[_CHOSEN] if c in labels][:compare.MAX_SCENARIOS]


def hook(knr: str, kommune: str) -> None:
    """At the top of the page: in slides (`?presentasjon=1`) or the meeting view (`?mote=1`) show them and
    stop; else the sidebar's «Presentasjonsmodus» and «Møtet»."""
    saved = scenario_ui.saved_for(knr)
    labels = choices(saved)
    if not (presentation.active() or meeting.active()):
        _keep_choice(labels)
        st.sidebar.toggle(t("Presentasjonsmodus"), key=_TOGGLE, value=False, on_change=_start,
                          help=t("For møterommet: skjuler sidepanelet, større skrift og ett budskap per skjerm: "
                                 "hvilket scenario som er best for pasientene, dekningen side om side, kostnaden "
                                 "og hva hvert scenario forutsetter. Tastene til en presentasjonsklikker (Page "
                                 "Down/Up, piltaster, mellomrom) blar."))
        meeting.sidebar(PAGE, CapacityParams, meeting_capacity.DEFAULT_PICK)
        return
    st.session_state.pop(_TOGGLE, None)
    kept = [c for c in st.session_state.get(_CHOSEN, list(labels)[:compare.MAX_SCENARIOS]) if c in labels]
    g = gather(knr, kommune, kept[:compare.MAX_SCENARIOS], labels, saved)
    if len(g.results) < 2:
        st.title(t("Sammenlign scenarioer – {kommune}", kommune=kommune))
        st.info(t("Velg minst to scenarioer å sammenligne."))
        if presentation.active():
            st.button(t("Avslutt presentasjon"), on_click=_stop, key="sammenlign_slutt")
        else:
            st.button(t("Avslutt møtevisning"), on_click=meeting.leave, args=(PAGE,), key="mote_slutt")
        st.stop()
    if presentation.active():
        show_slides(kommune, g)
    else:
        show_meeting(knr, kommune, g)
    st.stop()
