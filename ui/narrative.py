"""A few sentences in plain Norwegian that say what a capacity scenario means (no streamlit)."""

from __future__ import annotations

import pandas as pd

from core.capacity import CapacityBase, CapacityParams, targets_reached
from ui import fmt


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " og " + parts[-1]


def scenario_changes(params: CapacityParams, defaults: CapacityParams) -> list[str]:
    """The supply levers that differ from the starting point, as short Norwegian phrases."""
    out = []
    if params.new_hjemler:
        word = "ny hjemmel" if params.new_hjemler == 1 else "nye hjemler"
        out.append(f"{params.new_hjemler} {word} fra {params.new_from_year} "
                   f"(listetak {fmt.number(params.new_list_cap)})")
    if params.closed_hjemler:
        out.append(f"{params.closed_hjemler} nedlagte hjemler fra {params.closed_from_year}")
    if params.exits_per_year:
        out.append(f"{fmt.number(params.exits_per_year, 2 if params.exits_per_year % 1 else 0)} "
                   "leger som slutter hvert år")
    if params.recruits_per_year:
        out.append(f"{fmt.number(params.recruits_per_year, 1 if params.recruits_per_year % 1 else 0)} "
                   "ledige lister besatt hvert år")
    if params.cap_change:
        out.append(f"listetaket endret med {fmt.number(params.cap_change, sign=True)} per liste fra "
                   f"{params.cap_change_year}")
    if params.keep_workload:
        out.append("hver leges arbeidsmengde holdt konstant")
    return out


def describe(base: CapacityBase, params: CapacityParams, defaults: CapacityParams,
             result: pd.DataFrame) -> list[str]:
    """Sentences for the committee: reserve capacity, the target, demand and patients without a GP."""
    first, last = result.iloc[0], result.iloc[-1]
    y0, y1 = int(first["year"]), int(last["year"])
    target = fmt.number(params.target_reserve)
    changes = scenario_changes(params, defaults)
    intro = f"Med {_join(changes)}" if changes else "Uten endringer i hjemler, leger og listetak"
    sentences = [
        f"{intro} går reservekapasiteten fra {fmt.number(first['reserve_index'])} i {y0} til "
        f"{fmt.number(last['reserve_index'])} i {y1}, og ledige plasser fra "
        f"{fmt.number(first['free_places'])} til {fmt.number(last['free_places'])}."
    ]
    reached = targets_reached(result, params.target_reserve)
    need = int(last["extra_hjemler_needed"])
    if reached is None:
        sentences.append(
            f"Målet om {target} nås ikke innen {y1}: da trengs {need} "
            f"{'hjemmel' if need == 1 else 'hjemler'} til med listetak {fmt.number(params.new_list_cap)}"
            + (f", i tillegg til å besette {fmt.number(last['vacant_lists'], 1)} ledige lister."
               if last["vacant_lists"] >= 0.5 else "."))
    elif reached == y0:
        sentences.append(f"Målet om {target} er nådd fra {y0} og holder hele perioden.")
    else:
        sentences.append(f"Dere når målet om {target} i {reached}, og det holder ut {y1}.")
    growth = (last["list_patients"] / first["list_patients"] - 1) if first["list_patients"] else 0.0
    sentences.append(
        f"Listepasientene endres fra {fmt.number(first['list_patients'])} til "
        f"{fmt.number(last['list_patients'])} ({fmt.percent(growth, 1, sign=True)}), og forventede "
        f"konsultasjoner per innbygger fra {fmt.number(first['consultations_per_resident'], 2)} til "
        f"{fmt.number(last['consultations_per_resident'], 2)} med befolkningens alderssammensetning.")
    if last["patients_without_gp"] >= 0.5:
        sentences.append(
            f"I {y1} står {fmt.number(last['patients_without_gp'])} pasienter på lister uten lege.")
    elif first["patients_without_gp"] >= 0.5:
        sentences.append(f"I {y1} har alle listepasienter fast lege.")
    if base.waiting_list:
        sentences.append(f"Utgangspunktet har {fmt.number(base.waiting_list)} personer på venteliste "
                         f"({y0}); ventelisten er ikke framskrevet.")
    return sentences
