"""Kontorstruktur's export: the office models side by side, as a Report for the case documents (ui.export_pages)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from core import export as ex
from core import fmt, office_charts
from core import offices as of
from core.i18n import N_, t
from ui import kontor_view as view
from ui import levers as lever_ui
from ui.export_pages import PageExport, page_export
from ui.export_pages import column as _col
from ui.export_pages import unit as _unit
from ui.page_entry import PageEntry

_MODEL_COLUMNS = (  # comparison column → (header, decimals)
    ("offices", N_("Kontorer"), 0), ("gps", N_("Fastleger"), 0), ("total_cost", N_("Kostnad per år (kr)"), 0),
    ("saving", N_("Innsparing mot i dag (kr)"), 0), ("list_patients", N_("Listepasienter"), 0),
    ("consultations", N_("Konsultasjoner"), 0), ("cost_per_patient", N_("Per listepasient (kr)"), 0),
    ("cost_per_consultation", N_("Per konsultasjon (kr)"), 0),
    ("closed_days", N_("Stengte dager per år"), 1), ("one_gp_days", N_("Dager med én fastlege"), 0),
)
_OFFICE_COLUMNS = (
    ("gps", N_("Fastleger"), 0), ("gp_fte", N_("Fastlegeårsverk"), 2), ("lis1", N_("LIS1-leger"), 0),
    ("secretary_fte", N_("Helsesekretærer (årsverk)"), 2), ("total_cost", N_("Kostnad per år (kr)"), 0),
    ("list_patients", N_("Listepasienter"), 0), ("consultations", N_("Konsultasjoner"), 0),
    ("closed_days", N_("Stengte dager per år"), 1),
)


def kontor_report_fields(comparison: pd.DataFrame, per_office: pd.DataFrame, absence: of.AbsenceParams,
                         sentences: Sequence[str], model_source: str, start_source: str) -> dict:
    """Models side by side, each office in each model, the absence levers, and the sources."""
    figures = []
    for _, row in comparison.iterrows():
        figures.append((t("{model}: kostnad per år", model=row["model"]), fmt.kroner(row["total_cost"])))
        figures.append((t("{model}: per listepasient / per konsultasjon", model=row["model"]),
                        f"{fmt.kroner(row['cost_per_patient'])} / {fmt.kroner(row['cost_per_consultation'])}"))
        figures.append((t("{model}: stengte dager per år", model=row["model"])
                        + (t(" (eksempelverdier for fravær)") if of.absence_examples(absence) else ""),
                        fmt.number(row["closed_days"], 1)))
    models = ex.Table(t("Modellene"), (_col(t("Modell"), None, [str(m) for m in comparison["model"]]),
                                       *(_col(t(h), d, comparison[c].tolist()) for c, h, d in _MODEL_COLUMNS)),
                      t("Kilde: {source}", source=model_source),
                      about=t("Kontormodellene side om side: kontorer, fastleger, kostnad per år, innsparing mot i dag, "
                              "listepasienter, konsultasjoner, kostnad per listepasient og per konsultasjon (hele "
                              "kroner) og stengte dager per år."))
    offices = ex.Table(t("Kontor i hver modell"), (
        _col(t("Modell"), None, [str(m) for m in per_office["model"]]),
        _col(t("Kontor"), None, [str(m) for m in per_office["office"]]),
        *(_col(t(h), d, per_office[c].tolist()) for c, h, d in _OFFICE_COLUMNS)),
        about=t("Hvert kontor i hver modell: fastleger, årsverk, LIS1-leger, helsesekretærer, kostnad per år "
                "(hele kroner), listepasienter, konsultasjoner og stengte dager per år. Kilde: {source}.",
                source=model_source))
    return dict(
        starting_point=start_source, key_figures=tuple(figures),
        key_points=tuple(sentences),
        assumptions=tuple(ex.lever_rows(absence, of.AbsenceParams(), t("Fravær per fastlege"),
                                        lever_ui.default_text, _unit)),
        years=(), tables=(models, offices), statistics=(),
        sources=(model_source, t("Fravær: spakene (eksempelverdier)"), t("Metoden: docs/kontorstruktur.md i Legeplan")),
    )


def export(page: PageEntry, knr: str, kommune: str, comparison: pd.DataFrame, per_office: pd.DataFrame,
           absence: of.AbsenceParams, model_source: str, start_source: str) -> PageExport:
    """«Eksporter til saksframlegg» on Kontorstruktur (declared in ui.shell.PAGES)."""
    charts = {
        "enhetskostnad": (t("Kostnad per listepasient og per konsultasjon"),
                          lambda: office_charts.unit_cost_chart(comparison),
                          t("Kostnad per listepasient og per konsultasjon for hver modell, hele kroner. Kilde: "
                            "{source}", source=model_source)),
        "stengt": (t("Stengte kontordager"),
                   lambda: office_charts.closed_days_chart(per_office, example=bool(of.absence_examples(absence))),
                   t("Forventet antall arbeidsdager per år da kontoret må stenge, per modell og kontor. "
                     "Kilde: {source}", source=model_source)),
    }
    return page_export(page, knr, kommune, charts,
                       lambda: kontor_report_fields(comparison, per_office, absence,
                                                    view.sentences(comparison, per_office, absence), model_source,
                                                    start_source))
