"""Streamlit glue for Kommunale legeoppgaver: case picker, lever blocks, cached inputs, tiles, tables."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from types import SimpleNamespace
from typing import Any

import pyarrow as pa
import streamlit as st

from core import duties as du
from core import fmt
from core import reference_cases as rc
from core.i18n import N_, t
from core.params import EXAMPLE, SOURCED, Lever, levers, sanitize, with_defaults_from
from core.usertext import escape_markdown
from ui import components, economy_view, loaders, state
from ui import levers as lever_ui
from ui.cache import cached

CASE_KEY = "legecase"
CASES = {"egne": N_("Egne tall (eksempelverdier)"), du.STAVANGER_CASE: N_("Stavanger 2023 (temaplan 2024–2027)")}
PARTNER_KEY = "vakt_kommuner"
STAVANGER_PARTNERS = ("Sola", "Randaberg")  # «vertskommunesamarbeid med Sola og Randaberg» (temaplan)
MODEL_SOURCE = N_("Legeplans modell for kommunale legeoppgaver (docs/legeoppgaver.md)")
CLASSES = (du.SharedParams, du.NursingHomeParams, du.LegevaktParams, du.HealthStationParams, du.TotalParams)

# What the Stavanger case's lever defaults rest on (they replace the registry's example values): the
# temaplan's own figures, or – for the long-term norm – Legeplan's back-solved assumption.
_DOC = N_("Stavanger kommune: Temaplan for allmennlegetjenesten 2024–2027")
_PLACES = N_("Stavanger kommune: Temaplan for allmennlegetjenesten 2024–2027 oppgir 1 011 plasser, av dem 213 "
             "korttidsplasser; Legeplan regner resten som langtidsplasser og ingen andre typer")
_DUTYBOUND = N_("Stavanger kommune: Temaplan for allmennlegetjenesten 2024–2027 oppgir 70–80 vaktpliktige "
                "fastleger per periode; her brukes midten")
BACKSOLVED_SOURCE = N_("Eksempel – Legeplans tilbakeregning: normen som gir +5,21 årsverk. Temaplanen trykker ikke "
                       "Stavangers normtabell; Legeforeningens utkast fra 2002 (kilde) gir 20 minutter")
STAVANGER_BASIS: dict[str, tuple[str, str]] = {
    "sh_long_term": (SOURCED, _PLACES), "sh_short_term": (SOURCED, _DOC), "sh_rehab": (SOURCED, _PLACES),
    "sh_palliative": (SOURCED, _PLACES), "sh_dementia": (SOURCED, _PLACES), "sh_aldershjem": (SOURCED, _DOC),
    "sh_norm_long_term": (EXAMPLE, BACKSOLVED_SOURCE), "sh_current_fte": (SOURCED, _DOC),
    "sh_current_doctors": (SOURCED, _DOC), "vakt_salaried_fte": (SOURCED, _DOC),
    "vakt_salaried_doctors": (SOURCED, _DOC), "vakt_dutybound_gps": (SOURCED, _DUTYBOUND),
    "hs_fte": (SOURCED, _DOC), "hs_doctors": (SOURCED, _DOC),
}


@cached
def stavanger() -> du.StavangerCase:
    """The Stavanger reference case from the database."""
    return du.stavanger_case(loaders.connection())


@cached(max_entries=256)
def populations(codes: tuple[str, ...], year: int) -> dict[str, float]:
    """Residents 1 January `year` by kommunenummer."""
    return du.populations(loaders.connection(), list(codes), year)


@cached(max_entries=256)
def ssb_list_length(kommunenummer: str) -> du.SsbListLength | None:
    """SSB's list length with and without the correction for municipal hours."""
    return du.ssb_list_length(loaders.connection(), kommunenummer)


def case_picker(knr: str) -> str:
    """Own figures or the Stavanger case (kept in the URL); choosing Stavanger switches kommune."""
    if (st.session_state.get("_duties_kommune") not in (None, knr)
            and rc.kommune_of(st.session_state.get(CASE_KEY, "")) not in (None, knr)):
        st.session_state[CASE_KEY] = "egne"
    case = state.url_choice(t("Tall"), list(CASES), key=CASE_KEY, format_func=lambda c: t(CASES[c]),
                            default=du.STAVANGER_CASE if rc.belongs_to(du.STAVANGER_CASE, knr) else "egne",
                            help=t("Stavanger-caset bygger på kommunens temaplan; de andre tallene er "
                                   "eksempelverdier som du erstatter med kommunens egne."))
    state.follow_case_kommune(rc.kommune_of(case), knr, "_duties_kommune")
    return case


@dataclass(frozen=True)
class Setup:
    """Everything the page needs before the levers: defaults per class and the list base."""

    case: str
    knr: str
    base_year: int
    population_year: int
    list_base: du.ListBase | None
    capacity_start: str
    defaults: dict[type, Any]
    stavanger: du.StavangerCase | None
    overrides: dict[str, Lever] = field(default_factory=dict)  # levers whose default the case sources

    @property
    def scope(self) -> str:
        """The levers' scope: another case or kommune sets them back to its defaults."""
        return f"duties:{self.case}:{self.knr}"

    def lever(self, lv: Lever) -> Lever:
        """The lever as this case shows it: its basis and source where the case gives the default."""
        return self.overrides.get(lv.name, lv)

    def example_in_force(self, params: Any, *names: str) -> list[Lever]:
        """The levers among `names` (all when none) that stand on an example default (no source)."""
        out = []
        for lv in levers(params):
            shown = self.lever(lv)
            if (not names or lv.name in names) and shown.is_example and \
                    getattr(params, lv.name) == getattr(self.defaults[type(params)], lv.name):
                out.append(shown)
        return out


def setup(case: str, knr: str) -> Setup:
    """Lever defaults (Stavanger figures or examples, cost from Økonomi, places per hour from the list base)."""
    start = case if case == du.STAVANGER_CASE else "ssb"
    base = loaders.starting_point(start, knr)
    lb = du.list_base(base) if base is not None else None
    eco_params, _ = economy_view.current_params()
    sources: SimpleNamespace = du.shared_defaults(eco_params.personnel_cost, lb.avg_cap if lb else None)
    ref = stavanger() if case == du.STAVANGER_CASE else None
    if ref is not None:
        sources = SimpleNamespace(**vars(sources), **vars(du.stavanger_defaults(ref)))
    defaults = {cls: with_defaults_from(cls, sources) for cls in CLASSES}
    latest = loaders.latest_year()
    base_year = 2023 if ref is not None else latest
    overrides = {}
    if ref is not None:
        for cls in CLASSES:
            for lv in levers(cls):
                if lv.name in STAVANGER_BASIS:
                    basis, source = STAVANGER_BASIS[lv.name]
                    overrides[lv.name] = replace(lv, basis=basis, source=source)
    return Setup(case, knr, base_year, base_year if ref is not None else latest + 1, lb, start, defaults, ref,
                 overrides)


def lever_block(cls: type, defaults: Any, title: str = N_("Spaker"), expanded: bool = True,
                columns: int = 2, setup_: Setup | None = None) -> None:
    """A class's levers in an expander, grouped, in columns; defaults and sources in the tooltips.

    With `setup_`, a lever whose default the case sources (Stavanger) is shown with that source.
    """
    with st.expander(t(title), expanded=expanded):
        groups = list(dict.fromkeys(lv.group for lv in levers(cls)))
        cols = st.columns(min(columns, len(groups)))
        for i, group in enumerate(groups):
            with cols[i % len(cols)]:
                st.markdown(f"**{t(group)}**")
                for lv in levers(cls):
                    if lv.group == group:
                        shown = setup_.lever(lv) if setup_ is not None else lv
                        lever_ui.widget(shown, getattr(defaults, lv.name), options_labels=du.SERVICES)


def panel(setup_: Setup, where: Any = st.sidebar) -> dict[type, Any]:
    """Every class's levers, read and put in the link: the shared ones drawn in the sidebar (the tabs draw the
    others, `lever_block`), the reset button setting every lever and the partner kommuner back. `where=None`
    draws nothing (the meeting view)."""
    return lever_ui.panel(CLASSES, setup_.defaults, scope=setup_.scope, where=where, shown=(du.SharedParams,),
                          layout=lever_ui.HEADINGS, on_reset=forget_partners)


def forget_partners() -> None:
    """The legevakt partner kommuner back to the case's own (the reset button)."""
    st.session_state.pop(PARTNER_KEY, None)


# --- legevakt partners ----------------------------------------------------------------------------

def _default_partners(case: str) -> list[str]:
    if case != du.STAVANGER_CASE:
        return []
    k = loaders.kommuner()
    return [str(c) for c in k.loc[k["display_name"].isin(STAVANGER_PARTNERS), "kommunenummer"]]


def partner_picker(setup_: Setup) -> list[str]:
    """The other kommuner in the host-kommune arrangement (multiselect, kept in the URL)."""
    options = [c for c in loaders.kommune_labels() if c != setup_.knr]
    default = _default_partners(setup_.case)
    scope = f"{setup_.case}:{setup_.knr}"
    if st.session_state.get("_partner_scope") != scope or PARTNER_KEY not in st.session_state:
        chosen = default
        raw = st.query_params.get(PARTNER_KEY)
        if raw is not None and st.session_state.get("_partner_scope") in (None, scope):
            codes = [c.strip() for c in str(raw).split(",") if c.strip()]
            bad = [c for c in codes if c not in options]
            if bad:
                st.warning(t("«{codes}» er ikke kommunenummer for andre kommuner; de er utelatt fra "
                             "legevaktsamarbeidet.", codes=escape_markdown(sanitize(",".join(bad)), inline=True)), icon="⚠️")
            chosen = [c for c in codes if c in options][:20]
        st.session_state[PARTNER_KEY] = chosen
        st.session_state["_partner_scope"] = scope
    labels = loaders.kommune_labels()
    chosen = st.multiselect(t("Samarbeidskommuner i legevaktdistriktet"), options, key=PARTNER_KEY,
                            format_func=labels.__getitem__, max_selections=20,
                            help=t("Vertskommunemodell: kommunen din er vertskommune, de valgte kommunene er "
                                   "med. Innbyggertall fra SSB (1. januar)."))
    if chosen == default:
        if PARTNER_KEY in st.query_params:
            del st.query_params[PARTNER_KEY]
    else:
        st.query_params[PARTNER_KEY] = ",".join(chosen)
    return list(chosen)


def kommune_name(code: str) -> str:
    """A kommune's display name."""
    k = loaders.kommuner()
    return str(k.loc[k["kommunenummer"] == code, "display_name"].iloc[0])


# --- tables ---------------------------------------------------------------------------------------

def nursing_table(result: du.NursingHomeResult) -> pa.Table:
    """Places, norm and FTE by kind of place, with a total row (text, Norwegian format)."""
    df = result.by_kind
    rows = {t("Type plass"): [t(x) for x in df["label"]] + [t("Sum sykehjem (uten aldershjem)")],
            t("Plasser"): [fmt.number(v) for v in df["places"]] + [fmt.number(result.places)],
            t("Norm (minutter per plass per uke)"): [fmt.number(v, 0 if float(v).is_integer() else 2)
                                                     for v in df["norm_minutes"]] + [""],
            t("Timer per plass per uke"): [fmt.number(v / 60, 3) for v in df["norm_minutes"]]
            + [fmt.number(result.hours_per_place_norm, 3)],
            t("Legetimer per uke"): [fmt.number(v, 1) for v in df["hours_per_week"]]
            + [fmt.number(result.required_hours, 1)],
            t("Legeårsverk"): [fmt.number(v, 2) for v in df["fte"]] + [fmt.number(result.required_fte, 2)]}
    return pa.table(rows)


def growth_table(growth, sourced=None, norm: str = du.OWN_NORM) -> pa.Table:
    """The requirement year by year (text); with `sourced`, Legeforeningen's norm beside the levers' one."""
    from core import duties_charts as charts

    if sourced is None:
        required = {t("Legeårsverk etter normen"): [fmt.number(v, 2) for v in growth["required_fte"]]}
    else:
        required = {t("Legeårsverk, {norm}", norm=t(charts.SOURCED_SERIES)):
                    [fmt.number(v, 2) for v in sourced["required_fte"]],
                    t("Legeårsverk, {norm}", norm=charts.norm_series(norm, True)):
                    [fmt.number(v, 2) for v in growth["required_fte"]]}
    return pa.table({
        t("År"): [str(int(y)) for y in growth["year"]],
        t("Sykehjemsplasser"): [fmt.number(v) for v in growth["places"]],
        **required,
        t("Legeårsverk i dag"): [fmt.number(v, 2) for v in growth["current_fte"]],
        t("Gap (årsverk)"): [fmt.number(v, 2, sign=True) for v in growth["gap_fte"]],
        t("Kostnad av gapet (kr per år)"): [fmt.number(v) for v in growth["gap_cost"]],
    })


def shifts_table(result: du.LegevaktResult) -> pa.Table:
    """Shifts, doctors per shift, doctor shifts and hours by kind, with a total row."""
    df = result.by_kind
    return pa.table({
        t("Vakt"): [t(x) for x in df["label"]] + [t("Sum")],
        t("Vakter per periode"): [fmt.number(v) for v in df["shifts"]] + [fmt.number(df["shifts"].sum())],
        t("Leger per vakt"): [fmt.number(v) for v in df["doctors_per_shift"]] + [""],
        t("Legevakter som skal fylles"): [fmt.number(v) for v in df["slots"]] + [fmt.number(result.slots)],
        t("Legetimer per periode"): [fmt.number(v) for v in df["hours"]] + [fmt.number(result.gp_hours)],
    })


def shares_table(shares) -> pa.Table:
    """Cost shares by kommune (text)."""
    return pa.table({
        t("Kommune"): list(shares["kommune"]),
        t("Innbyggere"): [fmt.number(v) for v in shares["population"]],
        t("Andel"): [fmt.percent(v, 1) for v in shares["share"]],
        t("Kostnad (kr per år)"): [fmt.number(v) for v in shares["kr"]],
    })


def picture_table(picture) -> pa.Table:
    """Doctor FTE by service today and after the moved hours (text), with a total row."""
    return pa.table({
        t("Tjeneste"): [t(x) for x in picture["label"]] + [t("Sum")],
        t("Legeårsverk i dag"): [fmt.number(v, 2) for v in picture["today"]]
        + [fmt.number(picture["today"].sum(), 2)],
        t("Med flyttede timer"): [fmt.number(v, 2) for v in picture["after"]]
        + [fmt.number(picture["after"].sum(), 2)],
    })


def show_table(table: pa.Table, source: str) -> None:
    """A text table and its source line."""
    st.dataframe(table, hide_index=True, width="stretch")
    st.caption(t("Kilde: {source}", source=source))


def assumptions(params: dict[type, Any], setup_: Setup) -> None:
    """Every lever's value, default and source."""
    rows = []
    for cls in CLASSES:
        rows += case_rows(params[cls], setup_)
    components.table(rows)


def nursing_examples(setup_: Setup, params: du.NursingHomeParams) -> list[Lever]:
    """The nursing-home levers at an example default that move the figures (a norm only where there are places)."""
    return [lv for lv in setup_.example_in_force(params)
            if not (lv.name.startswith("sh_norm_") and params.places(lv.name.removeprefix("sh_norm_")) == 0)]


def case_rows(params: Any, setup_: Setup) -> list[dict[str, str]]:
    """The assumptions table of one class, with the case's own basis and source where it gives the default."""
    rows = lever_ui.assumptions_table(params, setup_.defaults[type(params)])
    for row, lv in zip(rows, levers(params), strict=True):
        shown = setup_.lever(lv)
        if shown is not lv:
            row[t("Grunnlag")] = t(lever_ui.BASIS_LABELS[shown.basis])
            row[t("Kilde for standardverdien")] = t(shown.source)
    return rows
