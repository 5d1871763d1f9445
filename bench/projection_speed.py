"""Timing of the population projection (core/projection.py): median of repeated runs.

    python -m bench.projection_speed [--repeat 15] [--kommune 4631]

Goals (issue "Befolkningsframskriving"): all kommuner to 2050 under 1 s; one kommune under 20 ms.
The data are read once, before timing; the timed calls start from an in-memory DataFrame.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Sequence

from bench.projection_backtest import load_by_age, load_registered
from core import projection as pj


def median_seconds(fn: Callable[[], object], repeat: int) -> float:
    """Median wall time of fn() over `repeat` runs after one warm-up run (seconds)."""
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the timings; returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--kommune", default="4631")
    args = parser.parse_args(argv)
    registered = load_registered()
    national = load_by_age()
    base = int(registered["year"].max())
    params = pj.ProjectionParams(base_year=base, horizon_year=2050)
    factors = pj.national_control_factors(registered, params, national)
    county = args.kommune[:2]
    codes = registered["kommunenummer"].astype(str)
    county_rows = registered[codes.str.startswith(county) | (codes == pj.NATIONAL)]
    off = pj.ProjectionParams(base_year=base, horizon_year=2050, national_control="off")
    cases = {
        "alle kommuner → 2050, kontroll mot SSB, DataFrame": lambda: pj.project_population(registered, params, national),
        "alle kommuner → 2050, kontroll mot SSB, numpy-tabell": lambda: pj.project_arrays(registered, params, national),
        "alle kommuner → 2050, høyt alternativ, DataFrame": lambda: pj.project_population(
            registered, pj.ProjectionParams(base_year=base, alternative="high"), national),
        "kontrollfaktorer (én gang per parametersett)": lambda: pj.national_control_factors(registered, params, national),
        f"én kommune ({args.kommune}), hele tabellen inn, med faktorer": lambda: pj.project_population(
            registered, params, national, kommuner=[args.kommune], control_factors=factors),
        f"én kommune ({args.kommune}), fylkets rader + 0000 inn, med faktorer": lambda: pj.project_population(
            county_rows, params, national, kommuner=[args.kommune], control_factors=factors),
        f"én kommune ({args.kommune}), fylkets rader + 0000 inn, uten kontroll": lambda: pj.project_population(
            county_rows, off, kommuner=[args.kommune]),
    }
    rows = f"{len(registered):,}".replace(",", " ")
    print(f"Median av {args.repeat} kjøringer, basisår {base}, {rows} registrerte rader")
    for name, fn in cases.items():
        print(f"{name:62s} {median_seconds(fn, args.repeat) * 1000:8.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
