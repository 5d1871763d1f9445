"""A few sentences in plain Norwegian that say what a capacity scenario means (no streamlit)."""

from __future__ import annotations

import pandas as pd

from core.capacity import CapacityBase, CapacityParams, targets_reached
from core.i18n import t
from ui import fmt


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " og " + parts[-1]


def scenario_changes(params: CapacityParams, defaults: CapacityParams) -> list[str]:
    """The supply levers that differ from the starting point, as short Norwegian phrases."""
    out = []
    if params.new_hjemler:
        values = {"n": params.new_hjemler, "year": params.new_from_year, "cap": fmt.number(params.new_list_cap)}
        out.append(t("{n} ny hjemmel fra {year} (listetak {cap})", **values) if params.new_hjemler == 1
                   else t("{n} nye hjemler fra {year} (listetak {cap})", **values))
    if params.closed_hjemler:
        values = {"n": params.closed_hjemler, "year": params.closed_from_year}
        out.append(t("{n} nedlagt hjemmel fra {year}", **values) if params.closed_hjemler == 1
                   else t("{n} nedlagte hjemler fra {year}", **values))
    if params.exits_per_year:
        n = fmt.number(params.exits_per_year, 2 if params.exits_per_year % 1 else 0)
        out.append(t("{n} lege som slutter hvert år", n=n) if params.exits_per_year == 1
                   else t("{n} leger som slutter hvert år", n=n))
    if params.recruits_per_year:
        n = fmt.number(params.recruits_per_year, 1 if params.recruits_per_year % 1 else 0)
        out.append(t("{n} ledig liste besatt hvert år", n=n) if params.recruits_per_year == 1
                   else t("{n} ledige lister besatt hvert år", n=n))
    if params.cap_change:
        out.append(t("listetaket endret med {change} per liste fra {year}",
                     change=fmt.number(params.cap_change, sign=True), year=params.cap_change_year))
    if params.keep_workload:
        out.append(t("hver leges arbeidsmengde holdt konstant"))
    return out


def describe(base: CapacityBase, params: CapacityParams, defaults: CapacityParams,
             result: pd.DataFrame) -> list[str]:
    """Sentences for the committee: reserve capacity, the target, demand and patients without a GP."""
    first, last = result.iloc[0], result.iloc[-1]
    y0, y1 = int(first["year"]), int(last["year"])
    target = fmt.number(params.target_reserve)
    changes = scenario_changes(params, defaults)
    intro = t("Med {changes}", changes=_join(changes)) if changes else t("Uten endringer i hjemler, leger og listetak")
    sentences = [
        t("{intro} går reservekapasiteten fra {reserve0} i {first} til {reserve1} i {last}, og ledige plasser fra "
          "{free0} til {free1}.", intro=intro, reserve0=fmt.number(first["reserve_index"]), first=y0,
          reserve1=fmt.number(last["reserve_index"]), last=y1, free0=fmt.number(first["free_places"]),
          free1=fmt.number(last["free_places"]))
    ]
    reached = targets_reached(result, params.target_reserve)
    need = int(last["extra_hjemler_needed"])
    if reached is None:
        values = {"target": target, "year": y1, "need": need, "cap": fmt.number(params.new_list_cap)}
        sentences.append(
            (t("Målet om {target} nås ikke innen {year}: da trengs {need} hjemmel til med listetak {cap}", **values)
             if need == 1 else
             t("Målet om {target} nås ikke innen {year}: da trengs {need} hjemler til med listetak {cap}", **values))
            + (t(", i tillegg til å besette {n} ledige lister.", n=fmt.number(last["vacant_lists"], 1))
               if last["vacant_lists"] >= 0.5 else "."))
    elif reached == y0:
        sentences.append(t("Målet om {target} er nådd fra {year} og holder hele perioden.", target=target, year=y0))
    else:
        sentences.append(t("Dere når målet om {target} i {year}, og det holder ut {last}.", target=target,
                           year=reached, last=y1))
    growth = (last["list_patients"] / first["list_patients"] - 1) if first["list_patients"] else 0.0
    sentences.append(
        t("Listepasientene endres fra {patients0} til {patients1} ({change}), og forventede konsultasjoner per "
          "innbygger fra {rate0} til {rate1} med befolkningens alderssammensetning.",
          patients0=fmt.number(first["list_patients"]), patients1=fmt.number(last["list_patients"]),
          change=fmt.percent(growth, 1, sign=True), rate0=fmt.number(first["consultations_per_resident"], 2),
          rate1=fmt.number(last["consultations_per_resident"], 2)))
    if last["patients_without_gp"] >= 0.5:
        sentences.append(t("I {year} står {n} pasienter på lister uten lege.", year=y1,
                           n=fmt.number(last["patients_without_gp"])))
    elif first["patients_without_gp"] >= 0.5:
        sentences.append(t("I {year} har alle listepasienter fast lege.", year=y1))
    if base.waiting_list:
        sentences.append(t("Utgangspunktet har {n} personer på venteliste ({year}); ventelisten er ikke "
                           "framskrevet.", n=fmt.number(base.waiting_list), year=y0))
    return sentences
