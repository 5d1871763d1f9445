"""The headline property over many random lever sets and every kommune (python -m bench.headline_property).

The property (tests/test_capacity_headlines.py, `headline_violations`): whenever patients without a
GP rise — from the base year to the horizon, or from one year to the next — the verdict is WORSE,
no tile on Fastlegekapasitet is green, no slide title and no narrative line (the first one least of all) calls the
year better. Each lever set draws every CapacityParams lever within its bounds (each lever moved
from its default with probability --move, else left at the default).

Per lever set:
1. every kommune with SSB figures is projected at once (core.capacity.project_many);
2. the verdict rule is checked for every kommune: each pair of years (base → horizon, and each year →
   the next) where patients without a GP rise must be WORSE;
3. the full check (tiles, narrative, year-to-year tiles) runs on --sample kommuner: the one where
   patients without a GP rise most, the one where SSB's reserve index rises most while they rise (the
   pattern that misled), and random ones.
Prints the counts (sets, kommune scenarios, rising pairs, full checks, violations — must be 0) and time.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter

import numpy as np
import pandas as pd

from core import capacity as cap
from core import db, demography, starting_points
from core.params import levers, with_defaults_from
from tests.test_capacity_headlines import headline_violations

TOL = cap.PATIENT_TOLERANCE


def random_levers(rng: np.random.Generator, base_year: int, move: float) -> dict:
    """One lever set: every lever within its bounds, each moved from its default with probability `move`."""
    values: dict = {}
    for lv in levers(cap.CapacityParams):
        if lv.name != "horizon" and rng.random() >= move:
            continue
        if lv.kind == "bool":
            values[lv.name] = bool(rng.integers(0, 2))
        elif lv.kind == "choice":
            values[lv.name] = str(rng.choice(lv.options))
        elif lv.name == "horizon":
            values[lv.name] = int(rng.integers(max(int(lv.min), base_year + 1), cap.LAST_MODEL_YEAR + 1))
        elif lv.name in cap.YEAR_LEVERS:
            values[lv.name] = int(rng.integers(base_year, cap.LAST_MODEL_YEAR + 1))
        elif lv.kind == "int":
            values[lv.name] = int(rng.integers(int(lv.min), int(lv.max) + 1))
        else:
            edge = rng.random()
            values[lv.name] = (float(lv.min) if edge < 0.05 else float(lv.max) if edge < 0.1
                               else float(rng.uniform(lv.min, lv.max)))
    return values


def _frame(out: dict[str, np.ndarray], years: np.ndarray, i: int) -> pd.DataFrame:
    frame = pd.DataFrame({k: v[:, i] for k, v in out.items()})
    frame.insert(0, "year", years)
    return frame


def main(argv: list[str] | None = None) -> int:
    """Run the property and print the counts."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--sets", type=int, default=10_000)
    parser.add_argument("--sample", type=int, default=3, help="kommuner per set given the full check")
    parser.add_argument("--move", type=float, default=0.3, help="chance that a lever leaves its default")
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args(argv)

    t_setup = time.perf_counter()
    con = db.connect()
    projected = demography.project_groups(con, "main")
    bases = [b for k in projected.codes if (b := starting_points.from_statistics(con, k)) is not None]
    base_year = bases[0].year
    all_years = np.arange(base_year, cap.LAST_MODEL_YEAR + 1)
    rows = [int(np.where(projected.years == y + 1)[0][0]) for y in all_years]  # end of Y = 1 January Y+1
    idx = [projected.codes.index(b.kommunenummer) for b in bases]
    population = projected.persons[rows][:, idx, :]
    setup_s = time.perf_counter() - t_setup

    rng = np.random.default_rng(args.seed)
    counts: Counter = Counter()
    violations: list[tuple[int, str, str]] = []
    t0 = time.perf_counter()
    model_s = 0.0
    for set_no in range(args.sets):
        values = random_levers(rng, base_year, args.move)
        params = with_defaults_from(cap.CapacityParams, bases[0], **values)
        params, _ = cap.fit_to_base(params, bases[0])
        years = all_years[: params.horizon - base_year + 1]
        t_model = time.perf_counter()
        out = cap.project_many(bases, population[: len(years)], years, params)
        model_s += time.perf_counter() - t_model
        w, cov = out["patients_without_gp"], out["coverage_index"]
        counts["sets"] += 1
        counts["kommune scenarios"] += w.shape[1]

        # 2. the verdict of every rising pair, every kommune
        pairs = [(0, len(years) - 1)] + [(i, i + 1) for i in range(len(years) - 1)]
        for a, b in pairs:
            for k in np.flatnonzero(w[b] - w[a] >= TOL):
                counts["rising pairs"] += 1
                judged = cap.verdict({"patients_without_gp": w[a, k], "coverage_index": cov[a, k]},
                                     {"patients_without_gp": w[b, k], "coverage_index": cov[b, k]})
                if judged != cap.WORSE:
                    violations.append((set_no, bases[k].kommunenummer, f"{years[a]}→{years[b]} {judged}"))

        # 3. the full check on a few kommuner
        rise = w[-1] - w[0]
        reserve_rise = np.where(rise >= TOL, out["reserve_index"][-1] - out["reserve_index"][0], -np.inf)
        picks = {int(rise.argmax())}
        if np.isfinite(reserve_rise.max()):
            picks.add(int(np.nan_to_num(reserve_rise, nan=-np.inf).argmax()))
        while len(picks) < min(args.sample, len(bases)):
            picks.add(int(rng.integers(0, len(bases))))
        for k in picks:
            base = bases[k]
            defaults = with_defaults_from(cap.CapacityParams, base)
            kommune_params = with_defaults_from(cap.CapacityParams, base, **values)
            kommune_params, _ = cap.fit_to_base(kommune_params, base)
            if kommune_params != params:  # default_from levers differ per kommune: project it alone
                kommune_out = cap.project_many([base], population[: len(years), k:k + 1], years, kommune_params)
                result = _frame(kommune_out, years, 0)
            else:
                result = _frame(out, years, k)
            counts["full checks"] += 1
            counts["full checks where patients without a GP rise"] += bool(
                result["patients_without_gp"].iloc[-1] - result["patients_without_gp"].iloc[0] >= TOL)
            for v in headline_violations(base, kommune_params, defaults, result):
                violations.append((set_no, base.kommunenummer, v))
    total_s = time.perf_counter() - t0

    print(f"setup (projection of every kommune, {len(bases)} bases): {setup_s:.1f} s")
    for key, value in counts.items():
        print(f"{key}: {value}")
    print(f"violations: {len(violations)}")
    for set_no, knr, text in violations[:20]:
        print(f"  set {set_no}, {knr}: {text}")
    print(f"time: {total_s:.1f} s ({total_s / max(counts['sets'], 1) * 1000:.1f} ms per set; "
          f"model {model_s:.1f} s)")
    return 1 if violations else 0


if __name__ == "__main__":
    raise SystemExit(main())
