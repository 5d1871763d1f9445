"""Backtest of the population projection (core/projection.py) against what really happened.

    python -m bench.projection_backtest --base 2015 --horizon 10
    python -m bench.projection_backtest --base 2015 --horizon 10 --kommuner 0301,4631,1103
    python -m bench.projection_backtest --base 2015 --horizon 10 --sample 40
    python -m bench.projection_backtest --variants        # the method variants that were compared
    python -m bench.projection_backtest --pooling         # number of pooled periods over several bases
    python -m bench.projection_backtest --telemark        # against SSB's 2024 round for Telemark
    python -m bench.projection_backtest --candidates      # candidate improvements over several base years

The projection from BASE uses only registered data up to BASE. SSB's national projections are
all made after any historical base year, so in the backtest the national control is a naive
Hamilton–Perry projection of Norway itself (national_control='naive'), never SSB's. Every kommune
is projected (county damping and the national control need them all); --kommuner / --sample only
restrict which kommuner are scored. Errors: absolute percentage error |projected − registered| /
registered per kommune and age group; the table shows the median and the 90th percentile.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from core import projection as pj

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "data" / "sources"
GROUPS = tuple(g for g in pj.AGE_GROUPS if g[0] in pj.BACKTEST_GROUPS)
GOALS = {"total": 3.0, "67+": 3.0, "80+": 6.0}  # median APE goals (issue) ...
GOAL_CASE = (2015, 10)  # ... for base 2015, horizon 10
TELEMARK = "40"


def load_registered() -> pd.DataFrame:
    """Registered population by single age (data/sources/population_single_age.parquet)."""
    return pd.read_parquet(SOURCES / "population_single_age.parquet")


def load_by_age() -> pd.DataFrame:
    """Registered and projected population by age group (data/sources/population_by_age.csv)."""
    return pd.read_csv(SOURCES / "population_by_age.csv", dtype={"kommunenummer": str})


def chosen_params(base: int, horizon: int) -> pj.ProjectionParams:
    """The method's defaults, with the naive national control the backtest must use."""
    return pj.ProjectionParams(base_year=base, horizon_year=base + horizon, national_control="naive")


def previous_params(base: int, horizon: int) -> pj.ProjectionParams:
    """The method chosen before the migration damping (the candidates below are changes to it)."""
    return replace(chosen_params(base, horizon), migration_damping=0.0)


def candidates(base: int, horizon: int) -> dict[str, pj.ProjectionParams]:
    """Candidate improvements from the small-area literature, each a change to previous_params."""
    prev = previous_params(base, horizon)
    return {
        "forrige valg (uten flyttedemping)": prev,
        "(a) sammensatt: 20 % andel av fylket": replace(prev, composite_weight=0.2, composite_method="county_share"),
        "(a) sammensatt: 20 % uendret": replace(prev, composite_weight=0.2, composite_method="no_change"),
        "(a) sammensatt: 30 % lineær trend 10 år": replace(prev, composite_weight=0.3, composite_method="linear"),
        "(a) sammensatt: 30 % eksp. trend 10 år": replace(prev, composite_weight=0.3, composite_method="exponential"),
        "(a) sammensatt: 50 % eksp. trend 10 år": replace(prev, composite_weight=0.5, composite_method="exponential"),
        "(b) konvergens mot fylket 5 %/år": replace(prev, convergence=0.05, convergence_target="county"),
        "(b) konv. mot fylket 5 %/år, 16–66": replace(prev, convergence=0.05, convergence_target="county",
                                                       convergence_ages=(16, 66)),
        "(b) flyttedemping 5 %/år, 16–66": replace(prev, migration_damping=0.05, migration_ages=(16, 66)),
        "(b) flyttedemping 10 %/år, 16–66": replace(prev, migration_damping=0.10, migration_ages=(16, 66)),
        "(b) flyttedemping 5 %/år, 16–56": replace(prev, migration_damping=0.05),
        "(b) flyttedemping 7,5 %/år, 16–56 = VALGT": chosen_params(base, horizon),
        "(b) flyttedemping 10 %/år, 16–56": replace(prev, migration_damping=0.10),
        "(b) flyttedemping 7,5 %, bare kommunene": replace(prev, migration_damping=0.075,
                                                            migration_damping_national=False),
        "(c) trend i barn per kvinne, 10 år": replace(prev, cwr_trend=True),
        "(c) trend i barn per kvinne, dempet 0,9": replace(prev, cwr_trend=True, cwr_trend_damping=0.9),
        "(c) trend i barn per kvinne, 5 år": replace(prev, cwr_trend=True, cwr_trend_years=5),
        "(d) tak på raten: fylket ±5 %": replace(prev, ratio_cap=0.05),
        "(d) tak på raten: fylket ±2 %": replace(prev, ratio_cap=0.02),
    }


def variants(base: int, horizon: int) -> dict[str, pj.ProjectionParams | None]:
    """The variants compared in the docs (None = no-change forecast)."""
    end = base + horizon
    plain = pj.plain_params(base, end)
    one_year = replace(plain, step_years=1)
    pooled = replace(one_year, n_periods=12, cwr_periods=12)
    damped = replace(pooled, damping=100.0, cwr_periods=1, damping_cwr=3000.0)
    trend = replace(damped, survival_trend=True)
    chosen = chosen_params(base, horizon)
    return {
        "uendret (ingen endring)": None,
        "Hamilton–Perry enkel (1 periode à 5 år)": plain,
        "1-årige steg, 1 periode": one_year,
        "+ inntil 12 perioder slått sammen": pooled,
        "+ demping mot fylke/land": damped,
        "+ trend i overlevelse 70+": trend,
        "+ naiv nasjonal kontroll (forrige valg)": previous_params(base, horizon),
        "+ flyttedemping 7,5 %/år 16–56 = VALGT": chosen,
        "valgt, men uten nasjonal kontroll": replace(chosen, national_control="off"),
        "valgt, men 5-årige steg": replace(chosen, step_years=5),
        "valgt, men 5 perioder": replace(chosen, n_periods=5),
        "valgt, men demping 25": replace(chosen, damping=25.0),
        "valgt, men demping 400": replace(chosen, damping=400.0),
        "valgt, men aldersvindu ±1": replace(chosen, age_window=1),
        "valgt, men konvergens 5 %/år": replace(chosen, convergence=0.05),
        "valgt, men barn/kvinne 3 perioder": replace(chosen, cwr_periods=3),
        "valgt, men trend fra basisåret": replace(chosen, survival_trend_from_midpoint=False),
    }


@dataclass(frozen=True)
class Scores:
    """Percentage errors [kommune, group] of one forecast, with the kommuner scored."""

    codes: np.ndarray
    pct_error: np.ndarray  # (projected − registered) / registered × 100

    def median_ape(self) -> np.ndarray:
        """Median absolute percentage error by group (percent)."""
        return np.nanmedian(np.abs(self.pct_error), axis=0)

    def p90_ape(self) -> np.ndarray:
        """90th percentile of the absolute percentage error by group (percent)."""
        return np.nanpercentile(np.abs(self.pct_error), 90, axis=0)

    def median_error(self) -> np.ndarray:
        """Median signed percentage error by group (percent; + = projected too high)."""
        return np.nanmedian(self.pct_error, axis=0)


def score(registered: pd.DataFrame, params: pj.ProjectionParams | None, base: int, horizon: int,
          kommuner: Sequence[str] | None = None) -> Scores:
    """Errors of a forecast from base to base+horizon for every (or the given) kommune."""
    codes, actual = pj.registered_cube(registered, base, base + horizon)
    if params is None:
        projected = actual[0]
    else:
        got, path = pj.project_arrays(registered, replace(params, base_year=base, horizon_year=base + horizon))
        if list(got) != list(codes):
            raise RuntimeError("projection and registered data list different kommuner")
        projected = path[horizon]
    truth = pj.group_array(actual[horizon], GROUPS)
    with np.errstate(divide="ignore", invalid="ignore"):
        err = np.where(truth > 0, (pj.group_array(projected, GROUPS) - truth) / truth * 100.0, np.nan)
    if kommuner is not None:
        keep = np.isin(codes, list(kommuner))
        codes, err = codes[keep], err[keep]
    return Scores(codes, err)


def pick_kommuner(registered: pd.DataFrame, kommuner: str | None, sample: int | None,
                  seed: int) -> list[str] | None:
    """The kommuner to score: a list from --kommuner, a random --sample, or None (all)."""
    if kommuner:
        return [k.strip() for k in kommuner.split(",") if k.strip()]
    if sample:
        codes = sorted(set(registered["kommunenummer"].astype(str)) - {pj.NATIONAL})
        rng = np.random.default_rng(seed)
        return sorted(rng.choice(codes, size=min(sample, len(codes)), replace=False).tolist())
    return None


def main_table(registered: pd.DataFrame, base: int, horizon: int, kommuner: list[str] | None) -> str:
    """The backtest table: ours vs no-change vs plain Hamilton–Perry, by age group."""
    ours = score(registered, chosen_params(base, horizon), base, horizon, kommuner)
    same = score(registered, None, base, horizon, kommuner)
    plain = score(registered, pj.plain_params(base, base + horizon), base, horizon, kommuner)
    eff = pj.effective_params(chosen_params(base, horizon))
    lines = [
        f"Tilbakeprøving: framskrevet fra {base} (kun data t.o.m. {base}), sammenlignet med registrert "
        f"{base + horizon}; {len(ours.codes)} kommuner.",
        f"Metode: 1-årige steg, {eff.n_periods} perioder slått sammen, demping {eff.damping:g} personer "
        f"(barn/kvinne {eff.damping_cwr:g} kvinner), trend i overlevelse {eff.survival_trend_age}+, "
        f"flyttedemping {eff.migration_damping * 100:g} %/år for {eff.migration_ages[0]}–{eff.migration_ages[1]} år, "
        "naiv nasjonal kontroll (ikke SSB).",
        "Absolutt prosentavvik (APE): median / 90-persentil; skjevhet = median fortegnsavvik (+ = for høyt).",
        "",
        f"{'gruppe':8s} | {'vår metode':>21s} | {'uendret':>14s} | {'H–P enkel':>14s} | vurdering",
        f"{'':8s} | {'median':>6s} {'p90':>6s} {'skjevh':>7s} | {'median':>6s} {'p90':>7s} | "
        f"{'median':>6s} {'p90':>7s} |",
    ]
    om, op, ob = ours.median_ape(), ours.p90_ape(), ours.median_error()
    sm, sp = same.median_ape(), same.p90_ape()
    pm, pp = plain.median_ape(), plain.p90_ape()
    goals = GOALS if (base, horizon) == GOAL_CASE else {}
    for i, (label, _, _) in enumerate(GROUPS):
        goal = goals.get(label)
        beats = om[i] < sm[i] and om[i] < pm[i]
        note = (f"≤ {goal:.1f} % {'oppfylt' if om[i] <= goal else 'IKKE oppfylt'}; " if goal else "") + \
            ("bedre enn begge naive" if beats else "IKKE bedre enn begge naive")
        lines.append(f"{label:8s} | {om[i]:6.2f} {op[i]:6.1f} {ob[i]:+7.1f} | {sm[i]:6.2f} {sp[i]:7.1f} | "
                     f"{pm[i]:6.2f} {pp[i]:7.1f} | {note}")
    return "\n".join(lines)


def variants_table(registered: pd.DataFrame, base: int, horizon: int, kommuner: list[str] | None) -> str:
    """Median APE by age group (and p90 for total) for each variant."""
    header = f"{'variant':40s} " + " ".join(f"{g[0]:>7s}" for g in GROUPS) + f" {'p90 tot':>8s}"
    lines = [f"Varianter, base {base}, horisont {horizon} år: median APE (%) per aldersgruppe", header]
    for name, params in variants(base, horizon).items():
        s = score(registered, params, base, horizon, kommuner)
        lines.append(f"{name:40s} " + " ".join(f"{v:7.2f}" for v in s.median_ape()) + f" {s.p90_ape()[0]:8.1f}")
    return "\n".join(lines)


def pooling_table(registered: pd.DataFrame) -> str:
    """Median APE (mean over base years) for 5, 9, 12 and 15 pooled periods, horizons 10 and 5."""
    lines = ["Antall perioder slått sammen (valgt metode ellers): snitt av median APE (%) over basisårene",
             f"{'basisår, horisont':28s} {'perioder':>8s} " + " ".join(f"{g[0]:>7s}" for g in GROUPS)]
    for bases, horizon in ((range(2012, 2017), 10), (range(2018, 2022), 5), (range(2021, 2022), 5)):
        for n in (5, 9, 12, 15):
            med = np.mean([score(registered, replace(chosen_params(b, horizon), n_periods=n), b, horizon)
                           .median_ape() for b in bases], axis=0)
            label = f"{bases[0]}–{bases[-1]}, {horizon} år"
            lines.append(f"{label:28s} {n:8d} " + " ".join(f"{v:7.2f}" for v in med))
    lines.append("(perioder utover det dataene fra 2006 gir, kuttes: fra 2015 er det 9)")
    return "\n".join(lines)


def diagnosed(registered: pd.DataFrame, params: pj.ProjectionParams, base: int, horizon: int,
              kommuner: Sequence[str] | None = None) -> np.ndarray:
    """Median APE by group of params (no control) scaled to the REGISTERED national persons by sex and age at base+horizon."""
    codes, actual = pj.registered_cube(registered, base, base + horizon)
    p = replace(params, base_year=base, horizon_year=base + horizon, national_control="off")
    _, path = pj.project_arrays(registered, p)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(path[horizon].sum(axis=0) > 0, actual[horizon].sum(axis=0) / path[horizon].sum(axis=0), 1.0)
    projected = path[horizon] * scale[None]
    truth = pj.group_array(actual[horizon], GROUPS)
    err = (pj.group_array(projected, GROUPS) - truth) / truth * 100.0
    if kommuner is not None:
        err = err[np.isin(codes, kommuner)]
    return np.nanmedian(np.abs(err), axis=0)


def diagnose_table(registered: pd.DataFrame, base: int, horizon: int, kommuner: list[str] | None) -> str:
    """DIAGNOSIS, not a forecast: the chosen method scaled to the registered national total by age group at base+horizon."""
    med = diagnosed(registered, chosen_params(base, horizon), base, horizon, kommuner)
    return ("Diagnose (IKKE en prognose: bruker fasit for landet i " f"{base + horizon}): median APE med riktige "
            "landstall per ettårig alder og kjønn\n" + " ".join(f"{g[0]}: {v:.2f}" for g, v in zip(GROUPS, med, strict=True)))


CANDIDATE_CASES = ((2015, 10), (2012, 10), (2016, 10), (2021, 5), (2024, 2))
CANDIDATE_MEANS = ((range(2011, 2017), 10), (range(2016, 2022), 5))


def candidates_table(registered: pd.DataFrame) -> str:
    """Median APE by group for each candidate at several base years and horizons, plus means over base years."""
    cache: dict[tuple[str, int, int], np.ndarray] = {}

    def med(name: str, params: pj.ProjectionParams, base: int, horizon: int) -> np.ndarray:
        if (name, base, horizon) not in cache:
            cache[(name, base, horizon)] = score(registered, params, base, horizon).median_ape()
        return cache[(name, base, horizon)]

    names = list(candidates(2015, 10))
    lines = ["Kandidater (endringer av forrige valg): median APE (%) total / 0–15 / 16–66 / 67+ / 80+, "
             "naiv nasjonal kontroll"]
    cols = [f"{b}→{b + h}" for b, h in CANDIDATE_CASES] + [f"snitt {r[0]}–{r[-1]}, {h} år" for r, h in CANDIDATE_MEANS]
    lines.append(f"{'kandidat':44s} | " + " | ".join(f"{c:>29s}" for c in cols))
    for name in names:
        cells = [med(name, candidates(b, h)[name], b, h) for b, h in CANDIDATE_CASES]
        cells += [np.mean([med(name, candidates(b, h)[name], b, h) for b in r], axis=0) for r, h in CANDIDATE_MEANS]
        lines.append(f"{name:44s} | " + " | ".join(" ".join(f"{v:5.2f}" for v in c) for c in cells))
    lines += ["", "Diagnose (IKKE en prognose: landstallene per kjønn og alder satt lik fasit), median APE (%) "
              "total / 0–15 / 16–66 / 67+ / 80+"]
    for name, make in (("forrige valg", previous_params), ("valgt", chosen_params)):
        cells = [diagnosed(registered, make(b, h), b, h) for b, h in CANDIDATE_CASES]
        lines.append(f"{name:44s} | " + " | ".join(" ".join(f"{v:5.2f}" for v in c) for c in cells))
    return "\n".join(lines)


def telemark_comparison(registered: pd.DataFrame, by_age: pd.DataFrame, base: int = 2024,
                        target: int = 2026) -> str:
    """SSB's 2024 round vs ours from base 2024, both against the registered target-year population of the 17 Telemark kommuner."""
    ssb = by_age[(by_age["kind"] == "projection_MMMM") & (by_age["projection_vintage"] == base)
                 & (by_age["year"] == target) & (by_age["region_level"] == "kommune")
                 & by_age["kommunenummer"].str.startswith(TELEMARK)]
    ssb_groups = pd.DataFrame({label: ssb[(ssb["age_from"] >= lo) & (ssb["age_from"] <= hi)]
                              .groupby("kommunenummer")["population"].sum() for label, lo, hi in GROUPS})
    kommuner = sorted(ssb_groups.index)
    codes, actual = pj.registered_cube(registered, target, target)
    truth = pd.DataFrame(pj.group_array(actual[0], GROUPS), index=codes,
                         columns=[g[0] for g in GROUPS]).loc[kommuner]
    rows = {"SSB 2024-runden (hovedalternativet)": ssb_groups.loc[kommuner]}
    for name, control, national in (("vår, kontroll mot SSB nasjonal 2024", "ssb", by_age),
                                    ("vår, naiv nasjonal kontroll", "naive", None),
                                    ("vår, uten nasjonal kontroll", "off", None)):
        params = pj.ProjectionParams(base_year=base, horizon_year=target, national_control=control)
        got, path = pj.project_arrays(registered, params, national)
        frame = pd.DataFrame(pj.group_array(path[target - base], GROUPS), index=got, columns=truth.columns)
        rows[name] = frame.loc[kommuner]
    same = pd.DataFrame(pj.group_array(pj.registered_cube(registered, base, base)[1][0], GROUPS),
                        index=codes, columns=truth.columns).loc[kommuner]
    rows["uendret fra 2024"] = same
    lines = [f"Telemark: framskrevet {base} → {target} mot registrert {target}, {len(kommuner)} kommuner. "
             "Median APE (%) / 90-persentil",
             f"{'':40s} " + " ".join(f"{g[0]:>13s}" for g in GROUPS)]
    for name, frame in rows.items():
        ape = (frame - truth).abs() / truth * 100
        lines.append(f"{name:40s} " + " ".join(f"{ape[c].median():6.2f}/{ape[c].quantile(0.9):5.1f}"
                                               for c in truth.columns))
    return "\n".join(lines)


def band_table(registered: pd.DataFrame, base_years: range) -> str:
    """The empirical band's slopes by size class (total and 67+), from backtests over base_years."""
    params = replace(pj.ProjectionParams(base_year=base_years[-1]), national_control="naive")
    errors = pj.backtest_errors(registered, params, base_years)
    band = pj.empirical_band(errors)
    band = band.set_index(["size_class", "age_group"])
    lines = [f"Empirisk bånd (80 %), tilbakeprøving fra basisår {base_years[0]}–{base_years[-1]} med naiv "
             "nasjonal kontroll: registrert/framskrevet etter 10 år (nedre .. øvre)",
             f"{'størrelse (basisår)':20s} " + " ".join(f"{g:>17s}" for g in pj.BACKTEST_GROUPS)]
    for size, _ in pj.SIZE_CLASSES:
        cells = []
        for group in pj.BACKTEST_GROUPS:
            row = band.loc[(size, group)]
            lo, hi = np.expm1(row["lower_slope"] * 10) * 100, np.expm1(row["upper_slope"] * 10) * 100
            cells.append(f"{lo:+6.1f} .. {hi:+5.1f} %")
        lines.append(f"{size:20s} " + " ".join(cells))
    return "\n".join(lines)


def grid_table(registered: pd.DataFrame) -> str:
    """The chosen method with other county damping, age window and CWR damping: mean median APE over base years."""
    grid = {"valgt (demping 100)": {}, "demping 25": {"damping": 25.0}, "demping 50": {"damping": 50.0},
            "demping 200": {"damping": 200.0}, "aldersvindu ±1": {"age_window": 1},
            "barn/kvinne demping 1 000": {"damping_cwr": 1000.0}}
    lines = ["Rutenett med flyttedemping på: snitt av median APE (%) total / 0–15 / 16–66 / 67+ / 80+",
             f"{'variant':28s} | {'basisår 2011–2016, 10 år':>29s} | {'basisår 2016–2021, 5 år':>29s}"]
    for name, change in grid.items():
        cells = [np.mean([score(registered, replace(chosen_params(b, h), **change), b, h).median_ape()
                          for b in bases], axis=0) for bases, h in CANDIDATE_MEANS]
        lines.append(f"{name:28s} | " + " | ".join(" ".join(f"{v:5.2f}" for v in c) for c in cells))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the backtest from the command line; returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=int, default=2015, help="basisår (1. januar)")
    parser.add_argument("--horizon", type=int, default=10, help="år fram fra basisåret")
    parser.add_argument("--kommuner", help="kommunenumre, kommaseparert (bare disse scores)")
    parser.add_argument("--sample", type=int, help="score et tilfeldig utvalg på N kommuner")
    parser.add_argument("--seed", type=int, default=1, help="frø for --sample")
    parser.add_argument("--variants", action="store_true", help="sammenlign metodevarianter")
    parser.add_argument("--pooling", action="store_true", help="sammenlign antall perioder over flere basisår")
    parser.add_argument("--diagnose", action="store_true", help="feil med fasit for landet (diagnose)")
    parser.add_argument("--telemark", action="store_true", help="sammenlign med SSBs 2024-runde i Telemark")
    parser.add_argument("--band", action="store_true", help="vis det empiriske usikkerhetsbåndet")
    parser.add_argument("--candidates", action="store_true", help="kandidatforbedringer over flere basisår")
    parser.add_argument("--grid", action="store_true", help="demping og aldersvindu på nytt, over flere basisår")
    args = parser.parse_args(argv)
    registered = load_registered()
    last = int(registered["year"].max())
    if args.base + args.horizon > last:
        parser.error(f"base + horizon must be ≤ {last} (last registered year)")
    kommuner = pick_kommuner(registered, args.kommuner, args.sample, args.seed)
    if kommuner is not None:
        unknown = set(kommuner) - set(registered["kommunenummer"].astype(str))
        if unknown:
            parser.error(f"unknown kommunenummer: {sorted(unknown)}")
    print(main_table(registered, args.base, args.horizon, kommuner))
    if args.variants:
        print()
        print(variants_table(registered, args.base, args.horizon, kommuner))
    if args.pooling:
        print()
        print(pooling_table(registered))
    if args.diagnose:
        print()
        print(diagnose_table(registered, args.base, args.horizon, kommuner))
    if args.telemark:
        print()
        print(telemark_comparison(registered, load_by_age()))
    if args.band:
        print()
        print(band_table(registered, range(2011, last)))
    if args.candidates:
        print()
        print(candidates_table(registered))
    if args.grid:
        print()
        print(grid_table(registered))
    return 0


if __name__ == "__main__":
    sys.exit(main())
