"""docs/kontroller-tallene.md: every hand calculation there is what the model computes today.

If a source or the model changes, this test names the figure in the walk-through that must change.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from core import capacity as cap
from core import fmt
from core import starting_points as sp
from core.params import with_defaults_from
from ui import loaders

DOC = (Path(__file__).resolve().parents[1] / "docs" / "kontroller-tallene.md").read_text(encoding="utf-8")
SPACE = "\u00a0"


def shown(x: float, decimals: int = 0) -> str:
    """A number as the doc writes it (normal spaces between thousands)."""
    return fmt.number(x, decimals).replace(SPACE, " ").replace("\u202f", " ")


def in_doc(*texts: str) -> None:
    for text in texts:
        assert text in DOC, f"docs/kontroller-tallene.md mangler «{text}»"


def projected(con, base, **changes):
    params = replace(with_defaults_from(cap.CapacityParams, base), **changes)
    params, _ = cap.fit_to_base(params, base)
    result = cap.project(base, loaders.population(base.kommunenummer, params.alternative, params.own_projection),
                         params)
    return params, result.set_index("year")


@pytest.fixture(scope="module")
def alver(con):
    return sp.from_reference(con, "alver_2021")


@pytest.fixture(scope="module")
def stavanger(con):
    return sp.from_reference(con, "stavanger_2023")


def test_income_per_consultation():
    in_doc("(7 291 mill. kr refusjoner + 2 232 mill. kr egenandeler) / 16 884 831 konsultasjoner",
           "= 563,997… ≈ 564 kr", "(7 459 + 2 031) mill. kr / 16 530 906 = 574 kr")
    assert round((7_291e6 + 2_232e6) / 16_884_831, 3) == 563.997
    assert round((7_459e6 + 2_031e6) / 16_530_906) == 574


def test_alver_economy():
    gross = 1_300_000 * 1.15 * 1.141 + 300_000 + 0.5 * 800_000
    income = 1131 * 3 * 574
    basis = 1000 * 642 + 131 * 526
    in_doc(f"| {shown(gross)} |", f"| {shown(income)} |", f"| {shown(gross - income)} |", f"| {shown(basis)} |",
           f"{shown(income / gross * 100)} %", f"{shown(basis - (gross - income))} kr billigere",
           f"{shown(1131 * 3 * 564)} kr av {shown(gross)} kr",
           f"dekker inntekten {shown(income / (gross - 300_000) * 100)} %")


def test_alver_capacity(con, alver):
    in_doc(f"29 400 / 28 983 × 100 = {shown(29_400 / 28_983 * 100, 1)}")
    params, r = projected(con, alver)
    assert (params.exits_per_year, params.recruits_per_year) == (1.55, 2.55)
    in_doc(f"{shown(r.loc[2021, 'list_patients'])} → {shown(r.loc[2040, 'list_patients'])} i 2040",
           f"faller til {shown(r.loc[2025, 'coverage_index'], 1)} i 2025 og {shown(r.loc[2040, 'coverage_index'], 1)}"
           " i 2040", f"{'to' if r.loc[2040, 'extra_hjemler_needed'] == 2 else '?'} hjemler mangler")
    _, one = projected(con, alver, new_hjemler=1, new_from_year=2022)
    in_doc(f"{shown(one.loc[2022, 'capacity'])} / {shown(one.loc[2022, 'list_patients'])} = "
           f"{shown(one.loc[2022, 'coverage_index'], 1)} i 2022 og {shown(one.loc[2040, 'coverage_index'], 1)} i 2040")


def test_alver_collapse(con, alver):
    _, r = projected(con, alver, new_hjemler=2, exits_per_year=3.0, recruits_per_year=2.0)
    last = r.loc[2040]
    in_doc(f"bare {shown(last['lists_with_gp'])} av {shown(last['hjemler'])} lister som har lege",
           f"| {shown(last['capacity'])} |", f"| {shown(last['patients_without_gp'])} |",
           f"{shown(last['capacity'])} / {shown(last['list_patients'])} × 100 | {shown(last['coverage_index'], 1)}",
           f"{shown(last['capacity'])} / {shown(last['patients_with_gp'])} × 100 | "
           f"{shown(last['reserve_index'], 1)}")
    assert cap.verdict(r.loc[2021], last) == cap.WORSE


def test_stavanger(con, stavanger):
    params, r = projected(con, stavanger)
    assert (params.exits_per_year, params.recruits_per_year) == (3.75, 12.85)
    assert r["patients_without_gp"].max() == 0
    in_doc(f"({shown(r.loc[2023, 'residents'])}", f"{shown(r.loc[2040, 'residents'])} i 2040",
           f"fra {shown(r.loc[2023, 'list_patients'])} til {shown(r.loc[2040, 'list_patients'])}",
           f"faller til {shown(r.loc[2040, 'coverage_index'], 1)} i 2040, og "
           f"{shown(r.loc[2040, 'extra_hjemler_needed'])} nye hjemler")
    _, cut = projected(con, stavanger, cap_change_places=-1750, cap_change_year=2024)
    in_doc(f"153 400 − 1 750 = {shown(cut.loc[2024, 'capacity'])}",
           f"dekning {shown(cut.loc[2024, 'coverage_index'], 1)} i 2024",
           f"Da mangler {shown(cut.loc[2040, 'extra_hjemler_needed'])} hjemler i 2040")


def test_oyer_arithmetic():
    in_doc(f"= {shown(round(6_246_372 / 4_589))} kr per pasient", f"= {shown(round(6_246_372 / 11_900))} kr per",
           f"= {shown(3_693_850 + 3_638_122 - 6_246_372)} kr spart")
