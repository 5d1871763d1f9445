"""What a capacity scenario means for the patients, in words: slide titles, verdict labels (no streamlit).

Every headline is judged by `core.capacity.verdict` (more patients without a fastlege is always
worse), never by the sign of SSB's reserve index, which rises when lists lose their doctor. Each
title carries its tone as data (`Title.tone`), so a test can check the judgement, not only words.
Used by the presentation slides (ui/capacity_slides.py, ui/compare_slides.py), the export
(ui/capacity_export.py) and the scenario comparison (pages/scenarioer.py, ui/compare_export.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from core import capacity as cap
from core import fmt
from core.capacity import falls_below, first_met  # noqa: F401 – the slides' words use them; tests call them here
from core.i18n import N_, t
from ui.headlines import VERDICT_TEXT, index_text

NEUTRAL = "neutral"  # a title that judges nothing (what it costs, what the scenario assumes)

HEADLINES = {  # the first slide's title: the horizon year against the base year
    cap.BETTER: N_("Bedre for pasientene i {year} enn i {base_year}"),
    cap.SAME: N_("Omtrent som i {base_year} for pasientene i {year}"),
    cap.MIXED: N_("Både bedre og verre for pasientene i {year}: færre uten fastlege, men lavere dekning"),
    cap.WORSE: N_("Verre for pasientene i {year} enn i {base_year}"),
}


@dataclass(frozen=True)
class Title:
    """A slide title and its judgement: cap.BETTER, SAME, MIXED, WORSE, or NEUTRAL."""

    text: str
    tone: str


def verdict_label(verdict: str) -> str:
    """«Bedre for pasientene», «Verre for pasientene» … (ui.headlines' words, capitalised) in the målform in force."""
    text = t(VERDICT_TEXT[verdict])
    return text[:1].upper() + text[1:]


def headline_title(result: pd.DataFrame) -> Title:
    """The first slide's title: better, the same, mixed or worse for the patients, horizon against base."""
    first, last = result.iloc[0], result.iloc[-1]
    verdict = cap.verdict(first, last)
    return Title(t(HEADLINES[verdict], year=int(last["year"]), base_year=int(first["year"])), verdict)


def target_title(result: pd.DataFrame, target: float) -> Title:
    """The target slide's title: whether coverage reaches `target` and stays there (never «better» while
    patients lose their fastlege). A base that meets the target and loses it says when, not «never»."""
    first, last = result.iloc[0], result.iloc[-1]
    y0, y1, goal = int(first["year"]), int(last["year"]), index_text(target)
    reached = cap.targets_reached(result, target)
    below = falls_below(result, target)
    if below is not None:
        return Title(t("Dekningen faller under målet {target} i {year}", target=goal, year=below), cap.WORSE)
    if reached is None:
        return Title(t("Dekningen når ikke målet {target} innen {year}", target=goal, year=y1), cap.WORSE)
    if cap.verdict(first, last) == cap.WORSE:
        return Title(t("Dekningen holder målet {target}, men blir dårligere fram mot {year}", target=goal,
                       year=y1), cap.WORSE)
    if reached == y0:
        return Title(t("Dekningen er {target} eller mer hele perioden {start}–{end}", target=goal, start=y0,
                       end=y1), NEUTRAL)
    return Title(t("Dekningen når målet {target} i {year}", target=goal, year=reached), NEUTRAL)


def without_title(result: pd.DataFrame) -> Title:
    """The patients slide's title: more, fewer or as many patients without a fastlege as in the base year."""
    first, last = result.iloc[0], result.iloc[-1]
    y0, y1 = int(first["year"]), int(last["year"])
    change = float(last["patients_without_gp"]) - float(first["patients_without_gp"])
    if change >= cap.PATIENT_TOLERANCE:
        return Title(t("{n} flere pasienter uten fastlege i {year} enn i {base_year}", n=fmt.number(change),
                       year=y1, base_year=y0), cap.WORSE)
    if change <= -cap.PATIENT_TOLERANCE:
        return Title(t("{n} færre pasienter uten fastlege i {year} enn i {base_year}", n=fmt.number(-change),
                       year=y1, base_year=y0), cap.BETTER)
    if float(result["patients_without_gp"].max()) < cap.PATIENT_TOLERANCE:
        return Title(t("Alle listepasienter har fastlege i {start}–{end}", start=y0, end=y1), cap.SAME)
    return Title(t("Like mange pasienter uten fastlege i {year} som i {base_year}", year=y1, base_year=y0),
                 cap.SAME)


def capacity_titles(result: pd.DataFrame, target: float) -> tuple[Title, Title, Title]:
    """The capacity slides' titles in order: the headline, coverage against the target, patients without
    a fastlege."""
    return headline_title(result), target_title(result, target), without_title(result)


def compared_rows(results: Mapping[str, pd.DataFrame]) -> list[dict[str, str]]:
    """One row per compared scenario: its last shared year judged for the patients against the first
    scenario and against its own starting year (core.compare.horizon_verdicts / base_verdicts)."""
    from core import compare

    names = list(results)
    last = min(int(r["year"].max()) for r in results.values())
    against_first, against_base = compare.horizon_verdicts(results), compare.base_verdicts(results)
    first_header = t("Mot «{first}» i {year}", first=names[0], year=last)
    base_header = t("{year} mot utgangsåret", year=last)
    return [{t("Scenario"): name,
             first_header: "–" if i == 0 else verdict_label(against_first[name]),
             base_header: t("{verdict} (mot {year})", verdict=verdict_label(against_base[name]),
                            year=int(results[name]["year"].iloc[0]))}
            for i, name in enumerate(names)]


COMPARED_NOTE = N_("Flere pasienter uten fastlege er alltid verre; ellers avgjør dekningen (plasser på lister med "
                   "lege / alle listepasienter). SSBs reservekapasitet avgjør ikke: den stiger når lister mister legen.")
