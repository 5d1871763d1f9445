"""Streamlit glue for Kontorstruktur: the starting table, the office editor, the merger builder,
tiles, tables, sentences and saved plans. The calculations are in core/offices.py."""

from __future__ import annotations

import math
from dataclasses import dataclass

import duckdb
import pandas as pd
import streamlit as st

from core import access, fmt, overlay
from core import offices as of
from core import reference_cases as rc
from core.i18n import N_, t
from core.params import sanitize
from core.usertext import escape_markdown
from ui import auth, components, loaders, number_field
from ui.cache import cached

SOURCE_KEY = "kontor_start"
SAVED = "lagret:"
IMPORTED = "innlastet"  # the offices of the kommune's own figures imported on the Data page
_FLASH = "_kontor_saved_message"
SECRETARY_COST_HELP = N_("Standard: Økonomi-sidens «Kostnad per årsverk hjelpepersonell» (samme sats på begge "
                          "sidene). Det er en eksempelverdi, ikke en offisiell sats: bruk kommunens egen kostnad "
                          "per årsverk, her eller på Økonomi.")


def secretary_cost_per_fte() -> float:
    """The cost of one support-staff FTE as set on Økonomi (its default is an example)."""
    from ui import economy_view

    return float(economy_view.current_params()[0].staff_fte_cost)


@dataclass(frozen=True)
class Start:
    """What the page starts from: an office table, alternative models, their source and notes."""

    table: pd.DataFrame
    models: tuple[of.Model, ...]
    source: str
    notes: tuple[str, ...] = ()
    case: of.ReferenceCase | None = None


@cached(imports=False)
def reference(case_id: str) -> of.ReferenceCase:
    """A bundled reference case (its rows read once from the statistics database), in the målform in force."""
    return of.reference_case(of.reference_rows(loaders.connection(), case_id), case_id)


def _user_db(action, *args):
    """Run a saved-plan function on a short-lived user-database connection; None if it is busy."""
    return components.with_user_db(action, *args, unavailable=t("Modellene gjelder for denne økten."))


def source_picker(knr: str, name: str) -> str:
    """Choose the starting point: the Øyer case, an empty table, or one of the kommune's saved plans."""
    saved = _user_db(of.plan_names, knr) or []
    _, _, imported_year = imported_offices(knr)
    labels = {**({IMPORTED: t("{name}: innlastede kontorer fra kommunens egne tall ({year})", name=name,
                              year=imported_year)} if imported_year else {}),
              "oyer": t("Øyer kommune: referansecase (to kontorer, Tretten og Øyer)"),
              "egne": t("{name}: egne tall (tom tabell)", name=name),
              **{SAVED + n: t("{name}: lagret plan «{plan}»", name=name, plan=n) for n in saved}}
    if st.session_state.get(SOURCE_KEY) not in labels:
        st.session_state[SOURCE_KEY] = IMPORTED if imported_year else of.OYER_CASE if rc.belongs_to(of.OYER_CASE, knr) else "egne"
    return st.selectbox(t("Utgangspunkt"), list(labels), key=SOURCE_KEY, format_func=labels.__getitem__,
                        help=t("Øyer-caset bygger på kommunens saksdokument om organisering av fastlegetjenesten."))


def start(source: str, knr: str) -> Start:
    """The table and models to start from for a choice of `source_picker`."""
    if source == "oyer":
        case = reference(of.OYER_CASE)
        return Start(case.table, case.models, case.source, case.notes, case)
    if source == IMPORTED:
        rows, text, _ = imported_offices(knr)
        if rows:
            return Start(of.table_from_offices([of.Office(**r) for r in rows]), (), text or of.USER_SOURCE)
    if source.startswith(SAVED):
        loaded = _user_db(of.load_plan, knr, source.removeprefix(SAVED))
        if loaded is not None:
            return Start(loaded[0], loaded[1], of.USER_SOURCE)
    return Start(of.empty_table(3), (), of.USER_SOURCE)


def imported_offices(knr: str) -> tuple[list[dict], str | None, int | None]:
    """The kommune's imported offices (Data page, own figures) as office rows, their source and year."""
    own = loaders.imported_own()
    return overlay.own_offices(overlay.select(own, kommunenummer=knr))


def editor_key(scope: str) -> str:
    """Session key of the office editor for a scope (kommune and starting point)."""
    return f"kontor_editor:{scope}"


def office_editor(table: pd.DataFrame, scope: str) -> pd.DataFrame:
    """The editable office table; returns the edited table."""
    config = {}
    for c in of.COLUMNS:
        label = f"{t(c.label)} ({t(c.unit)})" if c.unit and not c.unit.startswith("kr") else (
            f"{t(c.label)} (kr/år)" if c.unit else t(c.label))
        help_text = t(c.help) if c.help else None
        if c.text:
            config[c.key] = st.column_config.TextColumn(label, help=help_text, max_chars=40, default="")
        else:
            config[c.key] = st.column_config.NumberColumn(
                label, help=help_text, default=0.0,
                format="%d" if c.integer or c.unit.startswith("kr") else None)
    return st.data_editor(table, key=editor_key(scope), num_rows="dynamic", hide_index=True,
                          column_config=config, width="stretch")


def show_problems(problems: list[of.Problem]) -> None:
    """One error box listing every invalid cell; the rows with problems are left out."""
    if not problems:
        return
    rows = sorted({p.row for p in problems if p.row is not None})
    shown = ", ".join(str(r) for r in rows)
    st.error(t("**Noen rader er ikke med i beregningen** (rad {rows}). Rett opp, så tas de med:", rows=shown)
             + "\n\n" + "\n".join(f"- {p.message}" for p in problems), icon="✏️")


def models_key(scope: str) -> str:
    """Session key of the alternative models of a scope."""
    return f"kontor_models:{scope}"


def models(scope: str, initial: tuple[of.Model, ...]) -> list[of.Model]:
    """The alternative models of this scope (session state, seeded from the starting point)."""
    return st.session_state.setdefault(models_key(scope), list(initial))


def describe_merger(m: of.Merger) -> str:
    """A merger in one Norwegian line."""
    parts = []
    if m.rent_saving:
        parts.append(t("husleie m.m. {kr} mindre", kr=fmt.kroner(m.rent_saving)))
    if m.equipment_once:
        parts.append(t("felles utstyr kjøpes én gang"))
    if m.secretary_fte_saved:
        parts.append(t("{fte} sekretærårsverk à {kr} spart", fte=fmt.number(m.secretary_fte_saved, 2),
                       kr=fmt.kroner(m.secretary_cost_per_fte)))
    if m.other_saving:
        parts.append(t("drift {kr} mindre", kr=fmt.kroner(m.other_saving)))
    if m.unallocated_saving:
        parts.append(t("samlet innsparing {kr} (ikke fordelt på kostnadstyper)", kr=fmt.kroner(m.unallocated_saving)))
    return f"{' + '.join(m.members)} → **{m.name}**" + (f": {'; '.join(parts)}" if parts else "")


def model_list(scope: str) -> None:
    """The alternatives with a delete button each."""
    current = st.session_state[models_key(scope)]
    for i, model in enumerate(current):
        left, right = st.columns([6, 1])
        with left:
            st.markdown(f"**{escape_markdown(model.name, inline=True)}** – " + "; ".join(describe_merger(m) for m in model.mergers))
        with right:
            if st.button(t("Fjern"), key=f"kontor_remove:{scope}:{i}", icon=":material/delete:"):
                del current[i]
                st.rerun()


def merger_form(scope: str, offices: tuple[of.Office, ...]) -> None:
    """A form to add an alternative: which offices merge, and the user's estimate of the savings."""
    current = st.session_state[models_key(scope)]
    names = [o.name for o in offices]
    rents = "; ".join(f"{o.name} {fmt.kroner(o.rent_cost)}" for o in offices)
    with st.form(f"kontor_merge:{scope}", clear_on_submit=False):
        st.markdown(t("**Nytt alternativ: slå sammen kontorer**"))
        members = st.multiselect(t("Kontorer som slås sammen"), names, default=names if len(names) <= 3 else None)
        c1, c2 = st.columns(2)
        model_name = c1.text_input(t("Navn på alternativet"), value=t("Alternativ {n}", n=len(current) + 1))
        office_name = c2.text_input(t("Navn på det samlede kontoret"), value=t("Samlet kontor"))
        c1, c2 = st.columns(2)
        fields = {  # name: (label, value, decimals, help); Norwegian number fields (ui.number_field)
            "rent": (t("Sparte utgifter til husleie, FDV, vask og energi (kr per år)"), 0.0, 0,
                     t("Dagens utgifter: {rents}.", rents=rents)),
            "other": (t("Annen innsparing i drift (kr per år)"), 0.0, 0, None),
            "fte": (t("Helsesekretærårsverk som spares"), 0.0, 2, None),
            "fte_cost": (t("Kostnad per helsesekretærårsverk (kr per år, eksempel)"), secretary_cost_per_fte(), 0,
                         t(SECRETARY_COST_HELP)),
        }
        typed = {name: number_field.form_field(label, None, value, 0, None, decimals, help=help, container=col)
                 for (name, (label, value, decimals, help)), col in zip(fields.items(), (c1, c2, c1, c2),
                                                                       strict=True)}
        once = st.checkbox(t("Felles utstyr kjøpes bare én gang (det dyreste settet beholdes)"), value=True)
        if st.form_submit_button(t("Legg til alternativet"), icon=":material/add:"):
            if len(members) < 2:
                st.error(t("Velg minst to kontorer som skal slås sammen."))
                return
            numbers = {}
            for name, (label, _, decimals, _) in fields.items():
                numbers[name], problem = number_field.read(typed[name], 0, None, decimals, label)
                if problem:
                    (st.error if numbers[name] is None else st.warning)(problem)
            if any(v is None for v in numbers.values()):
                return
            merger = of.Merger(members=tuple(members), name=sanitize(office_name, 40),
                               rent_saving=float(numbers["rent"]), equipment_once=once,
                               secretary_fte_saved=float(numbers["fte"]),
                               secretary_cost_per_fte=float(numbers["fte_cost"]), other_saving=float(numbers["other"]))
            taken = {m.name for m in current} | {t(of.TODAY)}
            name = sanitize(model_name, 40)
            while name in taken:
                name += t(" (ny)")
            current.append(of.Model(name=name, mergers=(merger,)))
            st.rerun()


def kr(x: float, missing: str | None = None) -> str:
    """Kroner, or a word (default «ikke tilgjengelig» in the målform in force) when it does not exist."""
    if missing is None:
        missing = fmt.missing()
    return missing if x is None or (isinstance(x, float) and math.isnan(x)) else fmt.kroner(x)


def closed_label(label: str, absence: of.AbsenceParams) -> str:
    """A label of a closed-days figure that says «(eksempel)» while the absence is example values."""
    return t("{label} (eksempel)", label=label) if of.absence_examples(absence) else label


def example_note(absence: of.AbsenceParams) -> None:
    """A caption under the tiles: the closed days rest on example absence values (while they do)."""
    examples = of.absence_examples(absence)
    if examples:
        st.caption(":material/edit_note: " + t(
            "**Eksempel:** Stengte kontordager bygger på {days} fraværsdager per fastlege, og {names} er "
            "eksempelverdier uten kilde. Skriv inn kontorenes eget fravær i sidepanelet.",
            days=absence.absence_days, names=", ".join(f"«{t(lv.label)}»" for lv in examples)))


def tiles(comparison: pd.DataFrame, absence: of.AbsenceParams | None = None) -> None:
    """One column of tiles per model: cost per year, per patient, per consultation, closed days.

    The closed-days tile says «(eksempel)» while the absence levers stand on example values.
    """
    absence = absence if absence is not None else of.AbsenceParams()
    cols = st.columns(len(comparison))
    today = comparison.iloc[0]
    for col, r in zip(cols, comparison.itertuples(), strict=True):
        first = r.Index == 0
        with col:
            st.markdown(f"**{r.model}**")
            change = None if first else t("{change} kr mot i dag", change=fmt.number(-r.saving, sign=True))
            st.metric(t("{model}: kostnad per år", model=r.model), kr(r.total_cost), border=True, delta=change,
                      delta_color="inverse")
            st.metric(t("{model}: per listepasient", model=r.model), kr(r.cost_per_patient), border=True)
            st.metric(t("{model}: per konsultasjon", model=r.model), kr(r.cost_per_consultation), border=True)
            st.metric(closed_label(t("{model}: stengte kontordager per år", model=r.model), absence),
                      fmt.number(r.closed_days, 1),
                      border=True,
                      delta=None if first else fmt.number(r.closed_days - today["closed_days"], 1, sign=True),
                      delta_color="inverse")


def sentences(comparison: pd.DataFrame, per_office: pd.DataFrame, absence: of.AbsenceParams) -> list[str]:
    """What the comparison means, in plain Norwegian."""
    today = comparison.iloc[0]
    out = [t("**I dag** koster kontorene {total} i året for {patients} listepasienter og {consultations} "
             "konsultasjoner: {per_patient} per listepasient og {per_consultation} per konsultasjon.",
             total=kr(today.total_cost), patients=fmt.number(today.list_patients),
             consultations=fmt.number(today.consultations), per_patient=kr(today.cost_per_patient),
             per_consultation=kr(today.cost_per_consultation))]
    for r in comparison.iloc[1:].itertuples():
        text = (t("**{model}** koster {total} i året, {diff} mindre enn i dag: {per_patient} per listepasient og "
                  "{per_consultation} per konsultasjon.") if r.saving >= 0 else
                t("**{model}** koster {total} i året, {diff} mer enn i dag: {per_patient} per listepasient og "
                  "{per_consultation} per konsultasjon."))
        out.append(text.format(model=r.model, total=kr(r.total_cost), diff=fmt.kroner(abs(r.saving)),
                               per_patient=kr(r.cost_per_patient), per_consultation=kr(r.cost_per_consultation)))
    worst = per_office[per_office["model"] == today.model].sort_values("closed_days").iloc[-1:]
    example = bool(of.absence_examples(absence))
    for w in worst.itertuples():
        lis1 = " " + t("LIS1 kan da heller ikke ta imot pasienter.") if w.lis1 else ""
        text = (t("Med {absence} fraværsdager per fastlege av {working} arbeidsdager (eksempelverdier uten kilde) "
                  "må **{office}** regne med å holde stengt om lag **{closed} dager i året** fordi ingen fastlege er "
                  "til stede, og ha bare én fastlege på jobb om lag {one} dager.") if example else
                t("Med {absence} fraværsdager per fastlege av {working} arbeidsdager må **{office}** regne med å "
                  "holde stengt om lag **{closed} dager i året** fordi ingen fastlege er til stede, og ha bare én "
                  "fastlege på jobb om lag {one} dager."))
        out.append(text.format(absence=absence.absence_days, working=absence.working_days, office=w.office,
                               closed=fmt.number(w.closed_days, 1), one=fmt.number(w.one_gp_days, 0)) + lis1)
    for r in comparison.iloc[1:].itertuples():
        out.append(t("I **{model}** er kontorene stengt om lag {closed} dager i året til sammen (i dag {today}).",
                     model=r.model, closed=fmt.number(r.closed_days, 1), today=fmt.number(today.closed_days, 1)))
    return out


def comparison_table(comparison: pd.DataFrame) -> pd.DataFrame:
    """Models side by side, as the user reads them (Norwegian headers and numbers)."""
    n = t("ikke oppgitt")
    return pd.DataFrame({
        t("Modell"): comparison["model"],
        t("Kontorer"): [fmt.number(v) for v in comparison["offices"]],
        t("Fastleger"): [fmt.number(v) for v in comparison["gps"]],
        t("Kostnad per år"): [kr(v) for v in comparison["total_cost"]],
        t("Innsparing mot i dag"): [fmt.kroner(v) for v in comparison["saving"]],
        t("Uten husleie m.m."): [kr(v, n) for v in comparison["cost_excl_rent"]],
        t("Listepasienter"): [fmt.number(v) for v in comparison["list_patients"]],
        t("Konsultasjoner"): [fmt.number(v) for v in comparison["consultations"]],
        t("Per listepasient"): [kr(v) for v in comparison["cost_per_patient"]],
        t("Per listepasient uten husleie"): [kr(v, n) for v in comparison["cost_per_patient_excl_rent"]],
        t("Per konsultasjon"): [kr(v) for v in comparison["cost_per_consultation"]],
        t("Stengte dager per år"): [fmt.number(v, 1) for v in comparison["closed_days"]],
        t("Dager med én fastlege"): [fmt.number(v, 0) for v in comparison["one_gp_days"]],
    })


def office_table(per_office: pd.DataFrame) -> pd.DataFrame:
    """Every model's offices, one row each (Norwegian headers and numbers)."""
    n = t("ikke oppgitt")
    return pd.DataFrame({
        t("Modell"): per_office["model"], t("Kontor"): per_office["office"],
        t("Fastleger"): [fmt.number(v) for v in per_office["gps"]],
        t("Årsverk"): [fmt.number(v, 1) for v in per_office["gp_fte"]],
        "LIS1": [fmt.number(v) for v in per_office["lis1"]],
        t("Listepasienter"): [fmt.number(v) for v in per_office["list_patients"]],
        t("Konsultasjoner"): [fmt.number(v) for v in per_office["consultations"]],
        t("Kostnad per år"): [kr(v) for v in per_office["total_cost"]],
        t("Uten husleie m.m."): [kr(v, n) for v in per_office["cost_excl_rent"]],
        t("Per listepasient"): [kr(v) for v in per_office["cost_per_patient"]],
        t("Per listepasient uten husleie"): [kr(v, n) for v in per_office["cost_per_patient_excl_rent"]],
        t("Per konsultasjon"): [kr(v) for v in per_office["cost_per_consultation"]],
        t("Stengte dager per år"): [fmt.number(v, 1) for v in per_office["closed_days"]],
        t("Dager med én fastlege"): [fmt.number(v, 0) for v in per_office["one_gp_days"]],
    })


def concerns(comparison: pd.DataFrame, absence: of.AbsenceParams | None = None) -> pd.DataFrame:
    """The document's three concerns as facts per model (no score): rows are concerns.

    The vulnerability rows say «(eksempel)» while the absence levers stand on example values.
    """
    absence = absence if absence is not None else of.AbsenceParams()
    closed = closed_label(t("Sårbarhet: stengte kontordager per år"), absence)
    idle = closed_label(t("Medisinsk faglig: LIS1-dager uten fastlege til stede"), absence)
    rows: dict[str, dict[str, str]] = {}
    for r in comparison.itertuples():
        facts = {
            t("Medisinsk faglig: fagmiljø"): t("{gps} fastleger på {offices} kontor; minste kontor {smallest}, "
                                               "største {largest}", gps=fmt.number(r.gps),
                                               offices=fmt.number(r.offices),
                                               smallest=fmt.number(r.smallest_office_gps),
                                               largest=fmt.number(r.largest_office_gps)),
            t("Medisinsk faglig: LIS1"): (t("ingen LIS1") if r.lis1 == 0 else
                                          t("{lis1} LIS1; {alone} på kontor med under to fastlegeårsverk",
                                            lis1=fmt.number(r.lis1), alone=fmt.number(r.lis1_under_two_fte))),
            idle: fmt.number(r.lis1_idle_days, 1),
            closed: fmt.number(r.closed_days, 1),
            t("Økonomi: kostnad per år"): kr(r.total_cost),
            t("Økonomi: per listepasient"): kr(r.cost_per_patient),
            t("Nærhet: tjenestesteder"): fmt.number(r.offices),
        }
        for k, v in facts.items():
            rows.setdefault(k, {})[r.model] = v
    return pd.DataFrame([{t("Hensyn"): k, **v} for k, v in rows.items()])


def conclusion(check: of.ConclusionCheck, absence: of.AbsenceParams) -> str:
    """The document's recommendation and whether Legeplan's figures point the same way (markdown)."""
    figures = t("samling koster {saving} {direction} i året; minste fagmiljø {smallest_today} → {smallest} fastleger; "
                "kontorene er stengt om lag {closed_today} → {closed} dager i året, og LIS1 står uten fastlege "
                "{idle_today} → {idle} dager{example}.",
                saving=fmt.kroner(abs(check.saving)), direction=t("mindre") if check.cheaper else t("mer"),
                smallest_today=check.smallest_today, smallest=check.smallest_model,
                closed_today=fmt.number(check.closed_today, 1), closed=fmt.number(check.closed_model, 1),
                idle_today=fmt.number(check.lis1_idle_today, 1), idle=fmt.number(check.lis1_idle_model, 1),
                example=t(" (fravær: eksempelverdier)") if of.absence_examples(absence) else "")
    verdict = (t("**Legeplans tall peker samme vei:** {figures}", figures=figures) if check.agrees else
               t("**Legeplans tall peker ikke entydig samme vei med valgene over:** {figures}", figures=figures))
    return t("**Dokumentets konklusjon:** {recommendation}.", recommendation=t(of.OYER_RECOMMENDATION)) + \
        " " + t(of.OYER_LIS1) + ".\n\n" + verdict


def document_check(case: of.ReferenceCase, per_office: pd.DataFrame) -> pd.DataFrame:
    """The document's figures beside Legeplan's, formatted."""
    check = of.check_against_document(case.figures, per_office)
    decimals = lambda m: 1 if m == "gp_fte" else 0  # noqa: E731
    return pd.DataFrame({
        t("Kontor"): check["entity"], t("Tall"): [t(label) for label in check["label"]],
        t("Dokumentet"): [fmt.number(v, decimals(m)) for v, m in zip(check["document"], check["metric"], strict=True)],
        "Legeplan": [fmt.number(v, decimals(m)) for v, m in zip(check["computed"], check["metric"], strict=True)],
        t("Samsvar"): [t("ja") if e else t("nei") for e in check["equal"]],
    })


def _save(con: duckdb.DuckDBPyConnection, *args) -> bool:
    try:
        of.save_plan(con, *args, actor=auth.current())
    except access.AccessDenied as exc:  # the button is hidden for a reader; core refuses anyway
        st.error(str(exc), icon=":material/lock:")
        return False
    return True


def save_box(knr: str, name: str, table: pd.DataFrame, scope: str) -> None:
    """Save the table and the alternatives as a named plan for the kommune."""
    if not access.allowed(auth.current(), access.Action.OFFICE_PLAN_SAVE, knr):
        st.caption(t("Du kan ikke lagre kontorplaner for {name} (det krever rollen planlegger).", name=name))
        return
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    plan = c1.text_input(t("Navn på planen"), value=t("Kontorstruktur"), key=f"kontor_plan_name:{scope}",
                         max_chars=40)
    if c2.button(t("Lagre for {name}", name=name), icon=":material/save:", key=f"kontor_save:{scope}"):
        plan_name = sanitize(plan, 40)
        if _user_db(_save, knr, plan_name, table, st.session_state[models_key(scope)]):
            st.session_state[_FLASH] = t("Planen «{plan}» er lagret for {name}. Velg den under «Utgangspunkt» for "
                                         "å hente den.", plan=plan_name, name=name)
            st.rerun()  # so the plan appears among the starting points at once
    if _FLASH in st.session_state:
        st.success(st.session_state.pop(_FLASH), icon=":material/check:")
