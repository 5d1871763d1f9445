"""One vocabulary (core.glossary): a quantity has one name and one rounding on every page.

The AppTests open Oversikt and Fastlegekapasitet for Alver (4631) in both målformer, read every tile
label and value, every year-table header and cell, the tab labels and the options of the select
boxes, and fail when a glossary quantity appears under a synonym («Fastlegelister» for the hjemler,
«Ledig kapasitet» for the free places), when its value is shown with other decimals than the
glossary's, or when a figure of the same year reads differently in a tile and in the year table
(SSB's reserve index «100» on Oversikt and «99,9» in the table of Fastlegekapasitet).
"""

from __future__ import annotations

import re

import pytest

from core import glossary
from core.i18n import BOKMAAL, NYNORSK, catalogue, in_maalform
from tests.apptest_util import open_page, squash

YEAR_AT_END = re.compile(r"\s+(19|20)\d\d$")
NEW_SENTENCE = re.compile(r"[.!?]\s+[A-ZÆØÅ«]")
NUMBER = re.compile(r"^[−-]?\d[\d\s\u00a0\u202f]*(?:,(\d+))?(?:[\s\u00a0]*%)?$")


# --- the registry -------------------------------------------------------------------------------------

def test_the_registry_has_the_terms_the_pages_need():
    for key in ("hjemler", "vacant_lists", "patients_without_gp", "coverage_index", "reserve_index", "free_places",
                "capacity", "list_cap", "list_patients", "residents", "extra_hjemler_needed"):
        assert key in glossary.TERMS, key


def test_one_word_won_for_each_quantity():
    assert glossary.label("hjemler") == "Hjemler"
    assert glossary.label("patients_without_gp") == "Pasienter uten fastlege"
    assert glossary.label("free_places") == "Ledige plasser"
    assert "fastlegelister" in glossary.TERMS["hjemler"].definition  # the other word, in the definition
    assert "KOSantallavtaler0002" in glossary.TERMS["hjemler"].source


def test_term_follows_the_maalform():
    assert glossary.term("hjemler") == "Hjemler"
    assert glossary.term_in("patients_without_gp", 2040) == "Pasienter uten fastlege 2040"
    with in_maalform(NYNORSK):
        assert glossary.term("hjemler") == "Heimlar"
        assert glossary.term_in("patients_without_gp", 2040) == "Pasientar utan fastlege 2040"
        assert glossary.definition("list_patients") == "Alle pasientar på fastlegelister i kommunen, med og utan lege."
    assert glossary.TERMS["vacant_lists"].nynorsk == "Lister utan lege"


def test_decimals():
    assert [glossary.decimals(k) for k in ("coverage_index", "reserve_index", "hjemler", "vacant_lists",
                                           "share_without_gp", "patients_without_gp")] == [1, 1, 0, 1, 1, 0]


def test_every_term_has_both_maalformer_one_sentence_and_a_source():
    nn = catalogue(NYNORSK)
    labels = {term.bokmaal for term in glossary.TERMS.values()}
    for term in glossary.TERMS.values():
        assert nn.get(term.bokmaal, "").strip() and nn.get(term.definition, "").strip(), term.key
        assert term.definition.endswith(".") and not NEW_SENTENCE.search(term.definition), term.definition
        assert term.source and term.decimals >= 0
        assert not labels & set(term.synonyms), term.key  # a synonym is never another term's label


# --- what the pages show ------------------------------------------------------------------------------

def strip_year(label: str) -> str:
    """«Dekning 2040» → «Dekning»."""
    return YEAR_AT_END.sub("", str(label).strip())


def shown_decimals(value: str) -> int | None:
    """How many decimals a shown number has («99,9» → 1, «1 341» → 0), None if it is not a number."""
    match = NUMBER.match(str(value).strip())
    if match is None:
        return None
    return len(match.group(1) or "")


def term_keys(code: str) -> dict[str, str]:
    """Label in målform `code` → glossary key."""
    with in_maalform(code):
        return {glossary.term(key): key for key in glossary.TERMS}


def misnamed(labels: list[str]) -> list[str]:
    """The labels (year stripped) that name a glossary quantity by a synonym."""
    forbidden = glossary.synonyms()
    return [label for label in labels if strip_year(label) in forbidden]


def wrongly_rounded(cells: list[tuple[str, str]], code: str) -> list[str]:
    """(label, shown value) pairs of glossary quantities not shown with the glossary's decimals."""
    keys = term_keys(code)
    bad = []
    for label, value in cells:
        key = keys.get(strip_year(label))
        if key is None:
            continue
        got = shown_decimals(value)
        if got is not None and got != glossary.decimals(key):
            bad.append(f"{label}: {value} ({got} desimaler, ordlisten sier {glossary.decimals(key)})")
    return bad


def test_the_checks_catch_what_issue_19_found():
    assert misnamed(["Fastlegelister", "Hjemler 2040", "Ledig kapasitet", "Hjemler som mangler 2040"]) == [
        "Fastlegelister", "Ledig kapasitet", "Hjemler som mangler 2040"]
    assert wrongly_rounded([("Reservekapasitet (SSB)", "100"), ("Reservekapasitet (SSB) 2040", "99,9"),
                            ("Hjemler 2040", "32"), ("Konsultasjoner per lege", "2 944")], BOKMAAL) == [
        "Reservekapasitet (SSB): 100 (0 desimaler, ordlisten sier 1)"]
    assert shown_decimals("4,6\u00a0%") == 1 and shown_decimals("-26") == 0 and shown_decimals("ikke tilgjengelig") is None


def page_labels(at) -> list[str]:
    """Tile labels, year-table headers, tab labels and select-box options."""
    labels = [str(m.label) for m in at.metric]
    for frame in at.dataframe:
        labels += [str(c) for c in frame.value.columns]
    labels += [str(tab.label) for tab in at.tabs]
    for box in at.selectbox:
        labels += [str(o) for o in box.options]
    return labels


def tile_cells(at) -> list[tuple[str, str]]:
    return [(str(m.label), str(m.value)) for m in at.metric]


def table_cells(at) -> list[tuple[str, str]]:
    cells = []
    for frame in at.dataframe:
        for column in frame.value.columns:
            cells += [(str(column), str(v)) for v in frame.value[column].tolist()]
    return cells


@pytest.fixture(scope="module", params=[BOKMAAL, NYNORSK])
def pages(request):
    code = request.param
    return code, {page: open_page(f"pages/{page}.py", kommune="4631", malform=code)
                  for page in ("oversikt", "kapasitet")}


def test_no_quantity_under_a_second_name(pages):
    code, opened = pages
    bad = {page: misnamed(page_labels(at)) for page, at in opened.items()}
    assert not any(bad.values()), f"({code}) synonymer i stedet for ordlistens navn: {bad}"


def test_each_quantity_rounded_the_glossarys_way(pages):
    code, opened = pages
    bad = {page: wrongly_rounded(tile_cells(at) + table_cells(at), code) for page, at in opened.items()}
    assert not any(bad.values()), f"({code}) avrundet annerledes enn ordlisten: {bad}"


def test_oversikt_tiles_read_as_the_capacity_table_of_the_same_year(pages):
    """Oversikt's tiles (latest SSB year) and Fastlegekapasitet's year table start from the same SSB figures."""
    code, opened = pages
    keys = term_keys(code)
    table = opened["kapasitet"].dataframe[0].value
    first = table.iloc[0]
    year_column = next(c for c in table.columns if str(first[c]).strip().isdigit() and len(str(first[c])) == 4)
    assert first[year_column] == "2025"
    compared = {}
    for label, value in tile_cells(opened["oversikt"]):
        key = keys.get(strip_year(label))
        if key is None or label not in table.columns and glossary.term(key) not in table.columns:
            continue
        with in_maalform(code):
            column = glossary.term(key)
        compared[key] = (squash(value), squash(first[column]))
    assert {"hjemler", "patients_without_gp", "coverage_index", "reserve_index", "free_places",
            "list_patients"} <= set(compared), compared
    differ = {key: pair for key, pair in compared.items() if pair[0] != pair[1]}
    assert not differ, f"Oversikt-flis og år-for-år-tabell viser samme tall ulikt: {differ}"


def test_the_data_page_lists_the_glossary_in_the_maalform():
    from ui import data_view

    with in_maalform(NYNORSK):
        rows = data_view.glossary_rows()
    assert len(rows) == len(glossary.TERMS)
    assert rows[0] == {"Ord": "Heimlar",
                       "Tyding": "Fastlegeheimlar i alt, med og utan lege: éin heimel er éi fastlegeliste, og SSB "
                                 "kallar dei fastlegelister (fastlegeavtalar i alt).",
                       "Kjelde": "SSB 12005 KOSantallavtaler0002 (fastlegeavtalar i alt, inkludert lister utan fast lege)"}
