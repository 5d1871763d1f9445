"""What Fastlegekapasitet's headline tiles say, as plain data (no streamlit): label, value, delta, tone.

Colours say better or worse by what happens to patients (core.capacity.verdict of the horizon year
against the base year), never by the sign of one number: a tile's change that is good on its own
(more free places, a higher SSB reserve index) is green only when the year is BETTER for the
patients; in a WORSE, MIXED or SAME year it is grey. A change that is bad on its own is red.
ui.components renders the tiles; exports, slides and the comparison can read the same tiles.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from core import fmt
from core.capacity import BETTER, MIXED, SAME, WORSE, CapacityBase, CapacityParams, verdict
from core.glossary import decimals, definition, term_in
from core.i18n import N_, t

GOOD, BAD, NEUTRAL = "good", "bad", "neutral"  # the tone of a tile's delta, for the patients
STREAMLIT_COLOR = {GOOD: "green", BAD: "red", NEUTRAL: "gray"}

VERDICT_TEXT = {
    BETTER: N_("bedre for pasientene"),
    WORSE: N_("verre for pasientene"),
    MIXED: N_("både bedre og verre for pasientene"),
    SAME: N_("omtrent som før for pasientene"),
}


@dataclass(frozen=True)
class Tile:
    """One key-figure tile: what st.metric shows, with the tone of its delta for the patients."""

    key: str  # what it shows (a result column, or e.g. "coverage_target")
    label: str
    value: str
    delta: str | None = None
    tone: str = NEUTRAL  # GOOD (green), BAD (red) or NEUTRAL (grey)
    arrow: str = "off"  # "up", "down" or "off": the direction of the number, not a judgement
    help: str | None = None
    note: str | None = None  # a short text beside the delta (st.metric's delta_description)


@dataclass(frozen=True)
class Headlines:
    """The page's tiles for one scenario and the verdict they are coloured by."""

    verdict: str  # core.capacity BETTER / SAME / MIXED / WORSE: horizon year against the base year
    first_year: int
    last_year: int
    headline: tuple[Tile, ...]  # the first row: what happens to patients
    secondary: tuple[Tile, ...]  # SSB's reserve index, free places, hjemler, GPs, consultations
    start: tuple[Tile, ...]  # the starting point (base year), no deltas

    @property
    def tiles(self) -> tuple[Tile, ...]:
        """Every tile with a delta (headline and secondary rows)."""
        return self.headline + self.secondary

    @property
    def verdict_text(self) -> str:
        """«Sammenlignet med 2025: verre for pasientene» in the målform in force."""
        return t("Sammenlignet med {year}: {verdict}", year=self.first_year, verdict=t(VERDICT_TEXT[self.verdict]))


def index_text(x: float) -> str:
    """An index in running text and a target («mot målet 100»): one decimal where needed, 101,4 but 100.

    Tiles and tables show the quantities with the glossary's decimals (fmt.quantity: 100,0)."""
    if fmt._is_missing(x):
        return fmt.missing()
    rounded = round(float(x), 1)
    return fmt.number(rounded, 0 if rounded == round(rounded) else 1)


def count_text(x: float) -> str:
    """A count that may be fractional in the model (lists): 2 or 1,5."""
    rounded = round(float(x), 1)
    return fmt.number(rounded, 0 if rounded == round(rounded) else 1)


def tone(change: float | None, higher_is_better: bool | None, year_verdict: str, decimals: int = 0) -> str:
    """The tone of a change as shown (rounded to `decimals`) for a tile judged by `year_verdict`.

    Bad on its own → BAD. Good on its own → GOOD only when the year is BETTER for the patients,
    else NEUTRAL. No change, or a figure that is neither good nor bad → NEUTRAL.
    """
    if change is None or higher_is_better is None or round(float(change), decimals) == 0:
        return NEUTRAL
    good = (change > 0) == higher_is_better
    if not good:
        return BAD
    return GOOD if year_verdict == BETTER else NEUTRAL


def _arrow(change: float | None, decimals: int) -> str:
    if change is None or round(float(change), decimals) == 0:
        return "off"
    return "up" if change > 0 else "down"


def _change_tile(key: str, label: str, value: str, change: float | None, suffix: str, year_verdict: str,
                 higher_is_better: bool | None = True, decimals: int = 0, help: str | None = None,
                 note: str | None = None) -> Tile:
    delta = None if change is None else fmt.number(change, decimals, sign=True) + suffix
    return Tile(key, label, value, delta, tone(change, higher_is_better, year_verdict, decimals),
                _arrow(change, decimals), help, note)


def capacity_headlines(base: CapacityBase, params: CapacityParams, result: pd.DataFrame) -> Headlines:
    """The tiles of a scenario: horizon year (last row) against the base year (first row)."""
    first, last = result.iloc[0], result.iloc[-1]
    return headlines_for(base, params, first, last)


def headlines_for(base: CapacityBase, params: CapacityParams, first: Mapping[str, float],
                  last: Mapping[str, float]) -> Headlines:
    """The tiles for year `last` against year `first` (two rows of core.capacity.project)."""
    y0, y1 = int(first["year"]), int(last["year"])
    judged = verdict(first, last)
    since = " " + t("fra {year}", year=y0)
    target = float(params.target_reserve)
    coverage = float(last["coverage_index"])
    gap = round(coverage, 1) - target
    if round(gap, 1) < 0:
        coverage_tone = BAD
    else:
        coverage_tone = GOOD if judged == BETTER else NEUTRAL
    need = int(last["extra_hjemler_needed"])
    need0 = int(first["extra_hjemler_needed"])
    vacant = float(last["vacant_lists"])
    vacancies_in_need = min(vacant, float(need))
    headline = (
        Tile("coverage_index", term_in("coverage_index", y1), fmt.quantity("coverage_index", coverage),
             fmt.number(gap, 1, sign=True) + " " + t("mot målet {target}", target=index_text(target)),
             coverage_tone, _arrow(gap, 1),
             t("Sum listetak på lister med lege / alle listepasienter × 100. 100 betyr en plass på en liste med "
               "lege for hver listepasient; under 100 mangler noen plass. Pasienter på lister uten lege teller med, "
               "slik at dekningen faller når lister mister legen. Målet er en spak (standard 100, SSB).")),
        _change_tile("patients_without_gp", term_in("patients_without_gp", y1),
                     fmt.quantity("patients_without_gp", last["patients_without_gp"]),
                     float(last["patients_without_gp"]) - float(first["patients_without_gp"]), since, judged,
                     higher_is_better=False,
                     help=definition("patients_without_gp")),
        _change_tile("extra_hjemler_needed", term_in("extra_hjemler_needed", y1),
                     fmt.quantity("extra_hjemler_needed", need),
                     float(need - need0), since, judged, higher_is_better=False,
                     help=t("Lister med lege som mangler for å nå dekning {target} i {year}: lister uten lege som må "
                            "besettes og nye hjemler med listetak {cap}. En liste uten lege gir ingen plass.",
                            target=index_text(target), year=y1, cap=fmt.number(params.new_list_cap)),
                     note=(t("inkl. {n} lister uten lege", n=count_text(vacancies_in_need))
                           if need > 0 and vacancies_in_need >= 0.05 else None)),
        _change_tile("capacity", term_in("capacity", y1), fmt.quantity("capacity", last["capacity"]),
                     float(last["capacity"]) - float(first["capacity"]), since, judged,
                     help=t("Plassene på lister med lege. En liste uten lege gir ingen plass.")),
    )
    secondary = (
        _change_tile("reserve_index", term_in("reserve_index", y1), fmt.quantity("reserve_index", last["reserve_index"]),
                     round(float(last["reserve_index"]), decimals("reserve_index"))
                     - round(float(first["reserve_index"]), decimals("reserve_index")), since,
                     judged, decimals=decimals("reserve_index"),
                     help=t("SSBs mål: sum listetak / pasienter på lister med lege × 100. Pasienter på lister uten "
                            "lege er ikke med, så tallet kan stige mens lister mister legen. Se «Dekning».")),
        _change_tile("free_places", term_in("free_places", y1), fmt.quantity("free_places", last["free_places"]),
                     float(last["free_places"]) - float(first["free_places"]), since, judged,
                     help=t("Sum listetak minus pasienter på lister med lege (som SSB). Pasienter på lister uten "
                            "lege er ikke med.")),
        _change_tile("hjemler", term_in("hjemler", y1), fmt.quantity("hjemler", last["hjemler"]),
                     float(last["hjemler"]) - float(first["hjemler"]), since, judged, higher_is_better=None,
                     help=definition("hjemler")),
        _change_tile("gps_per_1000", t("Leger per 1 000 innb. {year}", year=y1), fmt.number(last["gps_per_1000"], 2),
                     float(last["gps_per_1000"]) - float(first["gps_per_1000"]), since, judged, decimals=2,
                     help=t("Lister med lege per 1 000 innbyggere i kommunen.")),
        _change_tile("consultations_per_gp", t("Konsultasjoner per lege {year}", year=y1),
                     fmt.number(last["consultations_per_gp"]),
                     float(last["consultations_per_gp"]) - float(first["consultations_per_gp"]), since, judged,
                     higher_is_better=False,
                     help=t("Forventede konsultasjoner (alder × SSBs rater) for listepasientene / leger.")),
    )
    start = [Tile("coverage_index", term_in("coverage_index", y0),
                  fmt.quantity("coverage_index", first["coverage_index"])),
             Tile("patients_without_gp", term_in("patients_without_gp", y0),
                  fmt.quantity("patients_without_gp", base.patients_without_gp)),
             Tile("hjemler", term_in("hjemler", y0), fmt.quantity("hjemler", base.hjemler)),
             Tile("capacity", term_in("capacity", y0), fmt.quantity("capacity", base.list_capacity)),
             Tile("free_places", term_in("free_places", y0),
                  fmt.quantity("free_places", base.list_capacity - base.patients_with_gp))]
    if base.waiting_list is not None:
        start.append(Tile("waiting_list", t("Venteliste {year}", year=y0), fmt.number(base.waiting_list)))
    if base.lis1_places is not None:
        start.append(Tile("lis1_places", t("LIS1-plasser {year}", year=y0), fmt.number(base.lis1_places)))
    return Headlines(judged, y0, y1, headline, secondary, tuple(start))


MEETING_KEYS = ("coverage_index", "patients_without_gp", "extra_hjemler_needed", "capacity")
_MEETING_DIRECTION = {"coverage_index": True, "patients_without_gp": False, "extra_hjemler_needed": False,
                      "capacity": True, "hjemler": None}


def meeting_tiles(base: CapacityBase, params: CapacityParams, result: pd.DataFrame, reference: pd.DataFrame,
                  reference_name: str, keys: tuple[str, ...] = MEETING_KEYS) -> tuple[Tile, ...]:
    """The meeting view's tiles: the horizon year as the page shows it, with the change against the
    scenario the meeting opened (`reference`, its name in the note), not against the base year.

    The colour is judged like the page's (core.capacity.verdict, now against the opened scenario's
    horizon year): a change good on its own is green only when the patients are better off; no change
    is grey with no arrow."""
    now_last, ref_last = result.iloc[-1], reference.iloc[-1]
    judged = verdict(ref_last, now_last)
    page = {tile.key: tile for tile in capacity_headlines(base, params, result).tiles}
    out = []
    for key in keys:
        shown = page.get(key)
        if shown is None:
            continue
        places = decimals(key)
        change = round(float(now_last[key]), places) - round(float(ref_last[key]), places)
        if key == "extra_hjemler_needed":
            change = float(int(now_last[key]) - int(ref_last[key]))
        if round(change, places) == 0:
            out.append(Tile(key, shown.label, shown.value, t("som i scenarioet"), NEUTRAL, "off", shown.help, None))
            continue
        out.append(Tile(key, shown.label, shown.value, fmt.number(change, places, sign=True),
                        tone(change, _MEETING_DIRECTION[key], judged, places), _arrow(change, places), shown.help,
                        t("mot «{name}»", name=reference_name)))
    return tuple(out)
