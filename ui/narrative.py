"""A few sentences in plain Norwegian that say what a capacity scenario means (no streamlit).

The first sentence says what happens to the patients (coverage, patients without a GP), judged by
core.capacity.verdict; each sentence carries a tone (ui.headlines GOOD / BAD / NEUTRAL), so a test
can check that a worse year never opens with, or contains, a sentence that calls it better.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from core import fmt
from core.capacity import (
    BETTER,
    MIXED,
    PATIENT_TOLERANCE,
    SAME,
    WORSE,
    CapacityBase,
    CapacityParams,
    falls_below,
    first_met,
    targets_reached,
    verdict,
)
from core.i18n import t
from ui.headlines import BAD, GOOD, NEUTRAL, count_text, index_text


def _lists(n: int) -> str:
    """«1 liste med lege» or «3 lister med lege»."""
    return t("{n} liste med lege", n=n) if n == 1 else t("{n} lister med lege", n=n)


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
    # Leavers and recruits default to today's national turnover: only a different pace is a change.
    if params.exits_per_year != defaults.exits_per_year:
        n = fmt.number(params.exits_per_year, 2 if params.exits_per_year % 1 else 0)
        out.append(t("{n} lege som slutter hvert år", n=n) if params.exits_per_year == 1
                   else t("{n} leger som slutter hvert år", n=n))
    if params.recruits_per_year != defaults.recruits_per_year:
        n = fmt.number(params.recruits_per_year, 2 if params.recruits_per_year % 1 else 0)
        out.append(t("{n} ledig liste besatt hvert år", n=n) if params.recruits_per_year == 1
                   else t("{n} ledige lister besatt hvert år", n=n))
    if params.cap_change_places:
        out.append(t("sum listetak endret med {change} plasser fra {year}",
                     change=fmt.number(params.cap_change_places, sign=True), year=params.cap_change_year))
    if params.keep_workload:
        out.append(t("hver leges arbeidsmengde holdt konstant"))
    return out


@dataclass(frozen=True)
class Line:
    """One sentence of the narrative and what it says for the patients (a headlines tone)."""

    text: str
    tone: str  # headlines.GOOD, BAD or NEUTRAL
    kind: str  # "patients" (the opening), "ssb", "target", "peak", "demand", "waiting"


@dataclass(frozen=True)
class Narrative:
    """The sentences for the committee, the first about the patients, and the year's verdict."""

    verdict: str  # core.capacity BETTER / SAME / MIXED / WORSE: horizon year against the base year
    lines: tuple[Line, ...]

    @property
    def sentences(self) -> list[str]:
        """The sentences as text."""
        return [line.text for line in self.lines]


VERDICT_TONE = {BETTER: GOOD, WORSE: BAD, MIXED: NEUTRAL, SAME: NEUTRAL}


def _opening(intro: str, judged: str, first: pd.Series, last: pd.Series) -> str:
    """The first sentence: what happens to patients, coverage and patients without a GP."""
    y0, y1 = int(first["year"]), int(last["year"])
    values = {"intro": intro, "first": y0, "last": y1, "c0": index_text(first["coverage_index"]),
              "c1": index_text(last["coverage_index"]), "w0": fmt.number(first["patients_without_gp"]),
              "w1": fmt.number(last["patients_without_gp"])}
    more = float(last["patients_without_gp"]) - float(first["patients_without_gp"])
    if judged == WORSE and more >= PATIENT_TOLERANCE:
        return t("{intro} blir det verre for pasientene: {n} flere står uten fastlege, fra {w0} i {first} til {w1} i "
                 "{last}, og dekningen går fra {c0} til {c1}.", n=fmt.number(more), **values)
    nobody = float(last["patients_without_gp"]) < PATIENT_TOLERANCE
    if judged == WORSE:
        if nobody:
            return t("{intro} blir det verre for pasientene: dekningen faller fra {c0} i {first} til {c1} i {last}, "
                     "så noen listepasienter får ikke plass, selv om ingen står på lister uten lege.", **values)
        return t("{intro} blir det verre for pasientene: dekningen faller fra {c0} i {first} til {c1} i {last}, og "
                 "{w1} står uten fastlege i {last}.", **values)
    if judged == BETTER:
        return t("{intro} blir det bedre for pasientene: dekningen går fra {c0} i {first} til {c1} i {last}, og "
                 "pasienter uten fastlege fra {w0} til {w1}.", **values)
    if judged == MIXED:
        return t("{intro} blir det både bedre og verre for pasientene: færre står uten fastlege (fra {w0} i {first} "
                 "til {w1} i {last}), men dekningen faller fra {c0} til {c1}.", **values)
    if nobody:
        return t("{intro} står pasientene omtrent der de står i dag: dekningen er {c0} i {first} og {c1} i {last}, "
                 "og ingen står uten fastlege.", **values)
    return t("{intro} står pasientene omtrent der de står i dag: dekningen er {c0} i {first} og {c1} i {last}, og "
             "{w1} står uten fastlege i {last}.", **values)


def summary(base: CapacityBase, params: CapacityParams, defaults: CapacityParams,
            result: pd.DataFrame) -> Narrative:
    """The narrative with its tones: patients first (coverage, patients without a GP), then SSB's
    reserve index named as SSB's, the target, the worst year on the way, demand and the waiting list."""
    first, last = result.iloc[0], result.iloc[-1]
    y0, y1 = int(first["year"]), int(last["year"])
    judged = verdict(first, last)
    target = index_text(params.target_reserve)
    changes = scenario_changes(params, defaults)
    intro = t("Med {changes}", changes=_join(changes)) if changes else t("Med dagens utskifting av leger og uten andre endringer")
    lines = [Line(_opening(intro, judged, first, last), VERDICT_TONE[judged], "patients")]

    without_last = float(last["patients_without_gp"])
    ssb = {"r0": index_text(first["reserve_index"]), "r1": index_text(last["reserve_index"]),
           "free0": fmt.number(first["free_places"]), "free1": fmt.number(last["free_places"]), "first": y0,
           "last": y1}
    if without_last >= PATIENT_TOLERANCE:
        lines.append(Line(t("SSBs reservekapasitet går fra {r0} til {r1} og ledige plasser fra {free0} til {free1}, men "
                            "begge regner bare pasientene på lister med lege: de {n} på lister uten lege i {last} er "
                            "ikke med.", n=fmt.number(without_last), **ssb), NEUTRAL, "ssb"))
    else:
        lines.append(Line(t("SSBs reservekapasitet går fra {r0} i {first} til {r1} i {last}, og ledige plasser fra "
                            "{free0} til {free1}.", **ssb), NEUTRAL, "ssb"))

    reached = targets_reached(result, params.target_reserve)
    need = int(last["extra_hjemler_needed"])
    below = falls_below(result, params.target_reserve)
    if below is not None:  # the base meets the target and loses it: say when, not «never»
        need_then = int(result.loc[result["year"] == below, "extra_hjemler_needed"].iloc[0])
        met = first_met(result, params.target_reserve)
        values = {"target": target, "first": y0, "c0": index_text(first["coverage_index"]), "year": below,
                  "lists": _lists(need_then), "cap": fmt.number(params.new_list_cap), "met": met}
        if met == y0:
            text = (t("Dekningen er {c0} i {first}, men faller under målet {target} i {year}: da trengs {lists} til "
                      "(listetak {cap})", **values) if need_then == need else
                    t("Dekningen er {c0} i {first}, men faller under målet {target} i {year}: da trengs {lists} til, "
                      "og {need} i {last} (listetak {cap})", need=need, last=y1, **values))
        else:
            text = (t("Dekningen når målet {target} i {met}, men faller under igjen i {year}: da trengs {lists} til "
                      "(listetak {cap})", **values) if need_then == need else
                    t("Dekningen når målet {target} i {met}, men faller under igjen i {year}: da trengs {lists} til, "
                      "og {need} i {last} (listetak {cap})", need=need, last=y1, **values))
    elif reached is None:
        values = {"target": target, "year": y1, "need": need, "cap": fmt.number(params.new_list_cap)}
        text = (t("Målet om dekning {target} nås ikke innen {year}: da trengs {need} liste med lege til (listetak "
                  "{cap})", **values) if need == 1 else
                t("Målet om dekning {target} nås ikke innen {year}: da trengs {need} lister med lege til (listetak "
                  "{cap})", **values))
    if reached is None:
        vacant = float(last["vacant_lists"])
        if vacant >= 0.05 and need > 0 and below is not None:  # the sentence already has an «og»
            text += t(". I {year} kan {n} av dem være ledige lister som besettes.", year=y1,
                      n=count_text(min(vacant, need)))
        elif vacant >= 0.05 and need > 0:
            text += t(", og {n} av dem kan være ledige lister som besettes.", n=count_text(min(vacant, need)))
        else:
            text += "."
        lines.append(Line(text, BAD, "target"))
    else:
        worse = judged == WORSE
        if reached == y0:
            text = t("Målet om dekning {target} er nådd fra {year} og holder hele perioden", target=target, year=y0)
        else:
            text = t("Dere når målet om dekning {target} i {year}, og det holder ut {last}", target=target,
                     year=reached, last=y1)
        text += (t(", men det veier ikke opp for at flere står uten fastlege.") if worse
                 and float(last["patients_without_gp"]) - float(first["patients_without_gp"]) >= PATIENT_TOLERANCE
                 else t(", men dekningen faller.") if worse else ".")
        lines.append(Line(text, NEUTRAL if worse or judged != BETTER else GOOD, "target"))

    without = result["patients_without_gp"].to_numpy(dtype=float)
    peak = int(without.argmax())
    if without[peak] >= max(without[0], without[-1]) + PATIENT_TOLERANCE:
        lines.append(Line(t("Underveis er det verst i {year}: da står {n} uten fastlege.",
                            year=int(result["year"].iloc[peak]), n=fmt.number(without[peak])), BAD, "peak"))

    growth = (last["list_patients"] / first["list_patients"] - 1) if first["list_patients"] else 0.0
    lines.append(Line(
        t("Listepasientene endres fra {patients0} til {patients1} ({change}), og forventede konsultasjoner per "
          "innbygger fra {rate0} til {rate1} med befolkningens alderssammensetning.",
          patients0=fmt.number(first["list_patients"]), patients1=fmt.number(last["list_patients"]),
          change=fmt.percent(growth, 1, sign=True), rate0=fmt.number(first["consultations_per_resident"], 2),
          rate1=fmt.number(last["consultations_per_resident"], 2)), NEUTRAL, "demand"))
    if base.waiting_list:
        lines.append(Line(t("Utgangspunktet har {n} personer på venteliste ({year}); ventelisten er ikke "
                            "framskrevet.", n=fmt.number(base.waiting_list), year=y0), NEUTRAL, "waiting"))
    return Narrative(judged, tuple(lines))


def describe(base: CapacityBase, params: CapacityParams, defaults: CapacityParams,
             result: pd.DataFrame) -> list[str]:
    """The narrative's sentences (summary(...).sentences): patients first, never good news in a worse year."""
    return summary(base, params, defaults, result).sentences
