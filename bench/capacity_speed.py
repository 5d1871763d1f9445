"""Speed of the capacity model: one kommune to 2040, and every kommune at once (python -m bench.capacity_speed).

Reports medians and ratios to a baseline measured in the same run (building a small DataFrame),
because the machines are shared and noisy. Goals (issue Fastlegekapasitet): one kommune < 5 ms,
all kommuner < 200 ms.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import pandas as pd

from core import capacity, db, demography, starting_points


def _median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def main(argv: list[str] | None = None) -> int:
    """Print the medians and ratios."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args(argv)
    con = db.connect()
    t0 = time.perf_counter()
    projected = demography.project_groups(con, "main")
    projection_s = time.perf_counter() - t0

    bases = [b for k in projected.codes if (b := starting_points.from_statistics(con, k)) is not None]
    params = capacity.CapacityParams(horizon=2040, new_hjemler=2, new_from_year=2027,
                                     exits_per_year=1.0, recruits_per_year=1.0, keep_workload=True)
    # residents at the end of year Y = 1 January Y+1
    years = np.arange(bases[0].year, params.horizon + 1)
    idx = [projected.codes.index(b.kommunenummer) for b in bases]
    rows = [int(np.where(projected.years == y + 1)[0][0]) for y in years]
    population = projected.persons[rows][:, idx, :]

    alver = next(b for b in bases if b.kommunenummer == "4631")
    alver_path = demography.population_path(demography.registered_groups(con, "4631"),
                                            projected.for_kommune("4631"))

    baseline = _median_ms(lambda: pd.DataFrame({"year": years, "x": np.zeros(len(years))}), args.runs)
    one = _median_ms(lambda: capacity.project(alver, alver_path, params), args.runs)
    many = _median_ms(lambda: capacity.project_many(bases, population, years, params), max(10, args.runs // 5))

    print(f"population projection, all kommuner to 2051: {projection_s * 1000:.0f} ms (once per alternative)")
    print(f"baseline (small DataFrame):         {baseline:7.3f} ms")
    print(f"one kommune (Alver) 2025–2040:      {one:7.3f} ms   ratio {one / baseline:6.1f}   goal < 5 ms")
    print(f"all {len(bases)} kommuner at once 2025–2040: {many:7.3f} ms   ratio {many / baseline:6.1f}   "
          f"goal < 200 ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
