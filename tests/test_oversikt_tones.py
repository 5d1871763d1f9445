"""Oversikt's tiles: no tile is green in a year when the share of patients without a GP rose (issue 18)."""

from __future__ import annotations

from dataclasses import replace

from core import indicators as ind
from core.indicators import latest_year
from ui import components


def _figures(con, knr: str) -> list[ind.Figure]:
    return ind.key_figures(con, knr, latest_year(con))


def test_a_rising_reserve_index_is_not_green_when_more_patients_lost_their_gp(con):
    figures = _figures(con, "4631")
    by_name = {f.indicator.name: f for f in figures}
    reserve = replace(by_name["reserve_capacity"], change=3.0)
    without = replace(by_name[components.WITHOUT_GP], change=0.012)
    assert components.figure_delta_color(reserve, worse_for_patients=False) == "normal"  # green on its own
    assert components.patients_worse([reserve, without])
    assert components.figure_delta_color(reserve, worse_for_patients=True) == "off"
    assert components.figure_delta_color(without, worse_for_patients=True) == "inverse"  # the rise stays red


def test_every_kommune_no_green_tile_in_a_worse_year(con):
    checked = worse_years = 0
    for knr in con.sql("SELECT kommunenummer FROM kommune").fetchall():
        figures = _figures(con, knr[0])
        worse = components.patients_worse(figures)
        worse_years += worse
        for f in figures:
            color = components.figure_delta_color(f, worse)
            good = (f.change is not None and f.indicator.higher_is_better is not None
                    and round(f.change, 4) != 0 and (f.change > 0) == f.indicator.higher_is_better)
            if worse and good:
                assert color == "off", (knr, f.indicator.name)
            checked += 1
    assert checked > 1000 and worse_years > 0  # the rule was exercised on real kommuner
