"""Every lever of every page: its default has a named source, is visibly an example, or is a neutral choice.

Issue 18: an assumption without a source must never drive a headline unmarked. The registries are
found by walking core/ (a new page's levers are covered without touching this file).
"""

from __future__ import annotations

import re

import pytest

from core.params import BASES, CHOICE, EXAMPLE, SOURCED, Lever, levers
from tools.lever_docs import lever_classes

CLASSES = list(lever_classes().values())
ALL = [(cls, lv) for cls in CLASSES for lv in levers(cls)]

# A sourced default names where it comes from: a publisher, a statistics table, a law or regulation,
# or the kommune's own document or statistics.
NAMED_SOURCE = re.compile(
    r"SSB|Helsedirektoratet|Helfo|\bKS\b|Legeforeningen|Normaltariffen|Skatteetaten|Lovdata|forskrift|"
    r"lov\b|loven|temaplan|notat|Øyer|Alver|Stavanger|prisliste|legesenter|legekontor|kommunens|"
    r"utgangspunkt|basisåret|KUHR|Statistikk|tabell",
    re.IGNORECASE)
UNSOURCED_WORDS = re.compile(r"ingen (offentlig )?kilde|eksempel", re.IGNORECASE)


def _id(item: tuple[type, Lever]) -> str:
    cls, lv = item
    return f"{cls.__name__}.{lv.name}"


def test_the_walk_finds_every_page_registry():
    names = {cls.__name__ for cls in CLASSES}
    assert {"CapacityParams", "EconomyParams", "AbsenceParams", "NursingHomeParams", "LegevaktParams"} <= names


@pytest.mark.parametrize("item", ALL, ids=[_id(i) for i in ALL])
def test_every_default_is_sourced_an_example_or_a_choice(item):
    cls, lv = item
    assert lv.basis in BASES, f"{_id(item)}: ukjent grunnlag {lv.basis!r}"
    assert lv.source.strip(), f"{_id(item)}: standardverdien har ingen kildetekst"
    if lv.basis == EXAMPLE:
        assert lv.source.lstrip().lower().startswith("eksempel"), (
            f"{_id(item)}: en eksempelverdi skal si det først i kildeteksten: {lv.source!r}")
    elif lv.basis == SOURCED:
        assert NAMED_SOURCE.search(lv.source), f"{_id(item)}: kilden navngir ingen kilde: {lv.source!r}"
        assert not UNSOURCED_WORDS.search(lv.source.split(";")[0]), (
            f"{_id(item)}: kildeteksten sier selv at verdien er et eksempel – merk den basis=EXAMPLE: {lv.source!r}")
    else:
        assert lv.basis == CHOICE
        neutral = lv.default in (0, 0.0, False) or lv.unit == "år" or lv.source.lstrip().startswith("Valg")
        assert neutral, (f"{_id(item)}: et valg uten kilde må være nøytralt (0, av, et år) eller si at det er "
                         f"et valg: {lv.default!r}, {lv.source!r}")


def test_example_levers_say_so_in_the_app():
    """The caption under an example lever and the assumptions table's «Grunnlag» column say «eksempel»."""
    from core.i18n import in_maalform
    from ui import levers as lever_ui

    examples = [(cls, lv) for cls, lv in ALL if lv.is_example]
    assert examples, "ingen eksempelverdier funnet – merket forsvant?"
    for code in ("nb", "nn"):
        with in_maalform(code):
            assert re.search(r"eksempel", lever_ui.example_caption(), re.IGNORECASE)
            cls, lv = examples[0]
            rows = lever_ui.assumptions_table(cls(), cls())
            row = next(r for r in rows if r[next(iter(r))] == lever_ui._t(lv.group)
                       and lever_ui.label(lv) in r.values())
            assert any(re.search(r"eksempel|døme", v, re.IGNORECASE) for v in row.values())
