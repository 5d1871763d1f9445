"""Cached Vega-Lite specs: each chart is built (and validated by Altair) once per input, then reused.

Building an Altair chart and checking it against the schema costs tens of milliseconds; a rerun that
only reads a cached dict costs almost nothing. Keys are plain values (kommune, metric, indicator) or
frozen parameter objects, and (ui.cache) the version of the imports in force, so an import or a restore
gives new charts at the next run, and the målform in force (the charts hold text).
"""

from __future__ import annotations

from core import catalog, charts
from core import indicators as ind
from core.capacity import CapacityBase, CapacityParams
from core.i18n import t
from ui import loaders
from ui.cache import cached


@cached(max_entries=2048)
def trend(kommunenummer: str, metric: str, name: str) -> dict:
    """Trend of one metric of catalog.OVERSIKT_TRENDS (coverage or an SSB series) for a kommune against the
    nation (imported values in force included)."""
    series = loaders.trend(kommunenummer)
    national = loaders.national_trend()
    return charts.trend_chart(series[series["metric"] == metric], national[national["metric"] == metric],
                              name, t(catalog.TREND_LABELS[metric]), catalog.TREND_UNITS[metric]).to_dict()


@cached(max_entries=2048)
def comparison(kommunenummer: str, year: int, indicator: str) -> dict:
    """Kommune, county, KOSTRA group and nation for one indicator."""
    i = ind.INDICATORS_BY_NAME[indicator]
    return charts.comparison_chart(loaders.comparison(kommunenummer, year), indicator, t(i.label), i.unit).to_dict()


@cached(max_entries=2048)
def peers(kommunenummer: str, year: int, indicator: str) -> dict:
    """Every kommune of the KOSTRA group for one indicator."""
    i = ind.INDICATORS_BY_NAME[indicator]
    return charts.peer_chart(loaders.peers(kommunenummer, year), indicator, t(i.label), i.unit).to_dict()


@cached(max_entries=2048)
def norway_map(year: int, indicator: str, selected: str) -> dict:
    """The map of one indicator with the selected kommune outlined."""
    i = ind.INDICATORS_BY_NAME[indicator]
    return charts.norway_map(loaders.map_values(year), indicator, t(i.label), i.unit, selected).to_dict()


@cached(shared=True, max_entries=512)
def capacity_charts(base: CapacityBase, params: CapacityParams) -> dict[str, dict]:
    """The capacity page's charts for one scenario: 'capacity', 'coverage' (against the target, with SSB's
    reserve index beside it), 'without_gp', and 'reserve' (SSB's index alone, for exports of SSB's measure).

    Shared without copying: components.chart copies a spec before it changes anything in it.
    The målform in force is part of the key: the charts' titles, legends and tooltips are text.
    """
    result = loaders.capacity_result(base, params)
    return {"capacity": charts.capacity_spec(result),
            "coverage": charts.coverage_spec(result, params.target_reserve),
            "reserve": charts.reserve_spec(result, params.target_reserve),
            "without_gp": charts.without_gp_spec(result)}
