"""Befolkning's export: residents now and projected, as a Report for the case documents (ui.export_pages)."""

from __future__ import annotations

import pandas as pd

from core import catalog, fmt
from core import charts as core_charts
from core import demography as dem
from core import export as ex
from core.i18n import N_, t
from ui import loaders
from ui.export_pages import PageExport, page_export
from ui.export_pages import column as _col
from ui.page_entry import PageEntry

_GROUPS = ((N_("0–15 år"), 0, 16), (N_("16–66 år"), 16, 67), (N_("67–79 år"), 67, 80), (N_("80 år og eldre"), 80, None))


def befolkning_report_fields(kommune: str, alternative: str, year: int, base_year: int, now, later,
                             old: pd.DataFrame, method: str) -> dict:
    """Residents now and in the chosen year, 67+ and 80+ year by year with the band, the choices."""
    def total(persons, lo: int, hi: int | None = None) -> float:
        return float(persons[:, lo:hi].sum())

    figures = []
    for label, lo in ((N_("Innbyggere"), 0), (N_("67 år og eldre"), 67), (N_("80 år og eldre"), 80)):
        a, b = total(now, lo), total(later, lo)
        figures.append((t("{label} 1.1.{year}", label=t(label), year=year),
                        t("{value} ({change} fra {base_year})", value=fmt.number(b),
                          change=fmt.number(b - a, sign=True), base_year=base_year)))
    a, b = total(now, 0), total(later, 0)
    a80, b80 = total(now, 80), total(later, 80)
    points = (t("{kommune} har {now} innbyggere 1.1.{base_year}; framskrivingen gir {later} i {year}.",
                kommune=kommune, now=fmt.number(a), base_year=base_year, later=fmt.number(b), year=year),
              t("80 år og eldre: {now} i {base_year} og {later} i {year} ({change}).", now=fmt.number(a80),
                base_year=base_year, later=fmt.number(b80), year=year,
                change=fmt.percent((b80 - a80) / a80, 0, sign=True) if a80 else "–"))
    wide = {}
    for col in ("persons", "lower", "upper"):
        wide[col] = old.pivot_table(index="year", columns="age_group", values=col, dropna=False)
    yrs = [int(y) for y in wide["persons"].index]
    years = [_col(t("År"), None, yrs)]
    for group in ("67+", "80+"):
        years.append(_col(t("{group} år", group=group), 0, wide["persons"][group].tolist()))
        for col, label in (("lower", N_("nedre")), ("upper", N_("øvre"))):
            values = wide[col][group].tolist() if group in wide[col] else [None] * len(yrs)
            years.append(_col(t("{group} år, {bound} grense", group=group, bound=t(label)), 0, values))
    statistics = tuple(ex.Statistic(t("Innbyggere {group} 1.1.", group=t(label)), total(now, lo, hi), t("personer"),
                                    base_year, catalog.SSB_07459) for label, lo, hi in _GROUPS)
    alt_label = t(dem.ALTERNATIVES.get(alternative, alternative))
    assumptions = (ex.Assumption(t("Befolkning"), t("Valg"), t("Framskriving"), alt_label,
                                 t(dem.ALTERNATIVES["main"]), "", "@", method, alt_label,
                                 t(dem.ALTERNATIVES["main"])),
                   ex.Assumption(t("Befolkning"), t("Valg"), t("Sammenlign med år"), year, 2040, t("år"), ex.YEAR,
                                 t("Valgt på siden"), str(year), "2040"))
    return dict(starting_point=t("Registrert folketall 1.1.{year} (SSB 07459)", year=base_year),
                key_figures=tuple(figures), key_points=points, assumptions=assumptions,
                years=tuple(years), statistics=statistics,
                years_about=t("Innbyggere 67 år og eldre og 80 år og eldre i {kommune} 1.1. hvert år {start}–{end}, "
                              "registrert og framskrevet ({alternative}), med nedre og øvre grense for "
                              "usikkerheten. Kilde: {source}; {method}", kommune=kommune, start=min(yrs),
                              end=max(yrs), alternative=alt_label, source=catalog.SSB_07459, method=method),
                sources=(f"{catalog.SSB_07459}", method), pdf_columns=())


def export(page: PageEntry, knr: str, kommune: str, alternative: str, year: int, base_year: int, now, later,
           old: pd.DataFrame, method: str) -> PageExport:
    """«Eksporter til saksframlegg» on Befolkning (declared in ui.shell.PAGES)."""
    def pyramid():
        return core_charts.pyramid_chart(dem.pyramid(now), dem.pyramid(later),
                                         t("1.1.{year} (registrert)", year=base_year),
                                         t("1.1.{year} (framskrevet)", year=year))

    def old_age():
        return core_charts.old_age_chart(old, loaders.ssb_old_age(knr, alternative))

    charts = {
        "pyramide": (t("Alderspyramide {base_year} og {year}", base_year=base_year, year=year), pyramid,
                     t("Registrert folketall {base_year} og framskrevet {year}. Kilde: {source}; {method}",
                       base_year=base_year, year=year, source=catalog.SSB_07459, method=method)),
        "eldre": (t("67 år og eldre, 80 år og eldre"), old_age,
                  t("Registrert og framskrevet, med usikkerhetsbånd. Kilde: {source}; {method}",
                    source=catalog.SSB_07459, method=method)),
    }
    return page_export(page, knr, kommune, charts,
                       lambda: befolkning_report_fields(kommune, alternative, year, base_year, now, later, old, method))
