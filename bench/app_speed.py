"""Speed of the Streamlit app as a user feels it, measured with AppTest against a baseline page.

    python -m bench.app_speed [--runs 30] [--cold-runs 5] [--json PATH]

Two numbers, each next to the same number for bench/baseline_app.py (one slider, one Altair chart)
measured in the same run; the machines are shared and noisy, so the ratios matter more than the
absolute times:

* cold start: a fresh Python process imports AppTest and runs app.py with ?kommune=4631 once
  (empty caches, as after a server restart); the first run() and the whole process are timed;
* rerun: in one process, after a first run, the chosen kommune alternates between 1103 and 4631
  (the baseline's slider between its min and max) and every run() is timed;
* lever: the Fastlegekapasitet page for 1103, "Nye hjemler" set to a new value each time (the
  model, charts and table computed afresh), every run() timed.
  Goal (issues Foundation and Fastlegekapasitet): each rerun within 3× the baseline's.

Reports medians and interquartile ranges (IQR) in ms. Always exits 0: it is a report, not a test.
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"  # cold start: a server's first run (Streamlit's old-style pages/ path, ui/shell.py)
# Reruns: app.py as the server runs it after its first run (AppTest would take the first-run path every run)
RERUN_APP = ROOT / "tests" / "entry" / "app.py"
BASELINE = ROOT / "bench" / "baseline_app.py"
APP_QUERY = {"kommune": "4631", "malform": "nb"}  # bokmål, as measured before målform existed
APP_TITLES = {"4631": "Oversikt – Alver", "1103": "Oversikt – Stavanger"}
BASELINE_TITLE = "Baseline"
RERUN_GOAL = 3.0

# Run in a fresh interpreter: import AppTest, run the script once, print the timings as JSON.
COLD_CHILD = """\
import json, sys, time
t0 = time.perf_counter()
from streamlit import config
config.set_option("global.minCachedMessageSize", 1e12)
from streamlit.testing.v1 import AppTest
t1 = time.perf_counter()
at = AppTest.from_file(sys.argv[1], default_timeout=300)
for key, value in json.loads(sys.argv[2]).items():
    at.query_params[key] = value
t2 = time.perf_counter()
at.run()
t3 = time.perf_counter()
print(json.dumps({
    "import_ms": (t1 - t0) * 1000,
    "first_run_ms": (t3 - t2) * 1000,
    "title": at.title[0].value if len(at.title) else None,
    "errors": [e.message for e in at.exception],
}))
"""


def summary(values_ms: Sequence[float]) -> dict[str, float | int | None]:
    """Median, interquartile range, min and count of a list of times in ms."""
    values = [float(v) for v in values_ms]
    if not values:
        return {"median": None, "iqr": None, "min": None, "n": 0}
    if len(values) >= 2:
        q1, _, q3 = statistics.quantiles(values, n=4, method="inclusive")
        iqr = q3 - q1
    else:
        iqr = 0.0
    return {"median": statistics.median(values), "iqr": iqr, "min": min(values), "n": len(values)}


def ratio(a: dict, b: dict) -> float | None:
    if not a.get("median") or not b.get("median"):
        return None
    return a["median"] / b["median"]


# --- cold start ----------------------------------------------------------------------------------

def cold_start_once(script: Path, query: dict[str, str], expected_title: str) -> dict:
    """One fresh process: returns import, first-run and whole-process times in ms."""
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", COLD_CHILD, str(script), json.dumps(query)],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
    )
    wall_ms = (time.perf_counter() - start) * 1000
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"{script.name} exited {proc.returncode}: {proc.stderr.strip()[-2000:]}")
    result = json.loads(lines[-1])
    if result["errors"]:
        raise RuntimeError(f"{script.name} raised: {result['errors'][0]}")
    if result["title"] != expected_title:
        raise RuntimeError(f"{script.name} showed title {result['title']!r}, expected {expected_title!r}")
    result["wall_ms"] = wall_ms
    return result


def cold_start(runs: int, log: Callable[[str], None]) -> dict:
    """App and baseline alternately, `runs` fresh processes each."""
    samples: dict[str, dict[str, list[float]]] = {
        name: {"first_run_ms": [], "wall_ms": [], "import_ms": []} for name in ("app", "baseline")}
    cases = (("app", APP, APP_QUERY, APP_TITLES[APP_QUERY["kommune"]]),
             ("baseline", BASELINE, {}, BASELINE_TITLE))
    for i in range(runs):
        for name, script, query, title in cases:
            result = cold_start_once(script, query, title)
            for key in samples[name]:
                samples[name][key].append(result[key])
        log(f"  cold start {i + 1}/{runs}: app {samples['app']['first_run_ms'][-1]:.0f} ms, "
            f"baseline {samples['baseline']['first_run_ms'][-1]:.0f} ms")
    return {name: {key: {**summary(vals), "samples": vals} for key, vals in per.items()}
            for name, per in samples.items()}


# --- rerun ---------------------------------------------------------------------------------------

def rerun(runs: int, log: Callable[[str], None]) -> dict:
    """Reruns in one process, app and baseline interleaved so both see the same machine load."""
    from streamlit import config

    config.set_option("global.minCachedMessageSize", 1e12)
    from streamlit.testing.v1 import AppTest

    # Setting widget state between runs happens outside a script run; Streamlit warns every time.
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(logging.ERROR)

    app = AppTest.from_file(str(RERUN_APP), default_timeout=300)
    for key, value in APP_QUERY.items():
        app.query_params[key] = value
    app.run()
    base = AppTest.from_file(str(BASELINE), default_timeout=60)
    base.run()
    slider = base.slider(key="faktor")
    low, high = slider.min, slider.max

    def check(at: AppTest, title: str) -> None:
        if at.exception:
            raise RuntimeError(f"exception in rerun: {at.exception[0].message}")
        shown = at.title[0].value if len(at.title) else None
        if shown != title:
            raise RuntimeError(f"rerun showed {shown!r}, expected {title!r}")

    def app_step(knr: str) -> float:
        app.session_state["valgt_kommune"] = knr
        t0 = time.perf_counter()
        app.run()
        elapsed = (time.perf_counter() - t0) * 1000
        check(app, APP_TITLES[knr])
        return elapsed

    def base_step(value: int) -> float:
        base.slider(key="faktor").set_value(value)
        t0 = time.perf_counter()
        base.run()
        elapsed = (time.perf_counter() - t0) * 1000
        check(base, BASELINE_TITLE)
        return elapsed

    # The capacity page for Stavanger; every timed step sets "Nye hjemler" to a value not used before,
    # so the model, the charts and the table are all computed afresh (no cache hits).
    cap = AppTest.from_file(str(RERUN_APP), default_timeout=300)
    cap.query_params["kommune"] = "1103"
    cap.run()
    cap.switch_page(str(ROOT / "pages" / "kapasitet.py"))  # the shell names its pages by absolute path
    cap.run()

    def lever_step(value: int) -> float:
        cap.slider(key="lv_new_hjemler").set_value(value)
        t0 = time.perf_counter()
        cap.run()
        elapsed = (time.perf_counter() - t0) * 1000
        check(cap, "Fastlegekapasitet – Stavanger")
        return elapsed

    # The first switch to Stavanger fills the per-kommune caches: reported on its own, not in the median.
    first_switch = app_step("1103")
    app_step("4631")
    base_step(high)
    base_step(low)
    top = int(cap.slider(key="lv_new_hjemler").max)  # the kommune's range (core.capacity.lever_bounds): 47
    lever_step(top)

    app_ms: list[float] = []
    lever_ms: list[float] = []
    base_ms: list[float] = []
    for i in range(runs):
        app_ms.append(app_step("1103" if i % 2 == 0 else "4631"))
        base_ms.append(base_step(high if i % 2 == 0 else low))
        lever_ms.append(lever_step(1 + i % (top - 1)))
        base_ms.append(base_step(low if i % 2 == 0 else high))
        if (i + 1) % 10 == 0 or i + 1 == runs:
            log(f"  rerun {i + 1}/{runs}")
    return {"app": {**summary(app_ms), "samples": app_ms},
            "lever": {**summary(lever_ms), "samples": lever_ms},
            "baseline": {**summary(base_ms), "samples": base_ms},
            "app_first_switch_ms": first_switch}


# --- report --------------------------------------------------------------------------------------

def _ms(stats: dict | None) -> str:
    if not stats or stats.get("median") is None:
        return f"{'n/a':>9} {'':>9} {'':>4}"
    return f"{stats['median']:7.0f} ms {stats['iqr']:6.0f} ms {stats['n']:4d}"


def _ratio(value: float | None) -> str:
    return f"{value:7.2f} ×" if value is not None else f"{'n/a':>9}"


def main(argv: Sequence[str] | None = None) -> int:
    """Measure, print the table (and write JSON if asked); always returns 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="timed reruns per app (default 30)")
    parser.add_argument("--cold-runs", type=int, default=5, help="fresh processes per app (default 5)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the numbers as JSON")
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    args = parser.parse_args(argv)

    def log(message: str) -> None:
        if not args.quiet:
            print(message, file=sys.stderr, flush=True)

    results: dict = {"runs": args.runs, "cold_runs": args.cold_runs, "python": sys.version.split()[0],
                     "errors": {}}
    # Cold starts first, in child processes, so this process has not imported Streamlit yet.
    log(f"cold start: {args.cold_runs} fresh processes each …")
    try:
        results["cold_start"] = cold_start(max(1, args.cold_runs), log)
    except Exception as exc:  # a report: show what failed and carry on
        results["errors"]["cold_start"] = "".join(traceback.format_exception_only(exc)).strip()
    log(f"rerun: {args.runs} timed reruns each …")
    try:
        results["rerun"] = rerun(max(1, args.runs), log)
    except Exception as exc:
        results["errors"]["rerun"] = "".join(traceback.format_exception_only(exc)).strip()

    cold = results.get("cold_start", {})
    cold_app, cold_base = cold.get("app", {}), cold.get("baseline", {})
    re_ = results.get("rerun", {})
    ratios = {
        "cold_first_run": ratio(cold_app.get("first_run_ms", {}), cold_base.get("first_run_ms", {})),
        "cold_process": ratio(cold_app.get("wall_ms", {}), cold_base.get("wall_ms", {})),
        "rerun": ratio(re_.get("app", {}), re_.get("baseline", {})),
        "lever": ratio(re_.get("lever", {}), re_.get("baseline", {})),
    }
    results["ratios"] = ratios
    results["rerun_goal_met"] = None if ratios["rerun"] is None else ratios["rerun"] <= RERUN_GOAL
    results["lever_goal_met"] = None if ratios["lever"] is None else ratios["lever"] <= RERUN_GOAL

    width = 44
    print()
    print(f"{'Legeplan app speed (AppTest)':<{width}} {'median':>10} {'IQR':>9} {'n':>4}")
    print("-" * (width + 26))
    print(f"{'cold start, first run() – app ?kommune=4631':<{width}} {_ms(cold_app.get('first_run_ms'))}")
    print(f"{'cold start, first run() – baseline':<{width}} {_ms(cold_base.get('first_run_ms'))}")
    print(f"{'  ratio app / baseline':<{width}} {_ratio(ratios['cold_first_run'])}")
    print(f"{'cold start, whole process – app':<{width}} {_ms(cold_app.get('wall_ms'))}")
    print(f"{'cold start, whole process – baseline':<{width}} {_ms(cold_base.get('wall_ms'))}")
    print(f"{'  ratio app / baseline':<{width}} {_ratio(ratios['cold_process'])}")
    print(f"{'rerun, kommune 1103 ⇄ 4631 – app':<{width}} {_ms(re_.get('app'))}")
    print(f"{'rerun, slider min ⇄ max – baseline':<{width}} {_ms(re_.get('baseline'))}")
    goal = {True: "goal ≤ 3× met", False: "goal ≤ 3× NOT met", None: ""}[results["rerun_goal_met"]]
    print(f"{'  ratio app / baseline':<{width}} {_ratio(ratios['rerun'])}   {goal}")
    print(f"{'rerun, kapasitet: new lever value – app':<{width}} {_ms(re_.get('lever'))}")
    goal = {True: "goal ≤ 3× met", False: "goal ≤ 3× NOT met", None: ""}[results["lever_goal_met"]]
    print(f"{'  ratio app / baseline':<{width}} {_ratio(ratios['lever'])}   {goal}")
    if "app_first_switch_ms" in re_:
        print(f"{'(first switch to 1103, per-kommune caches cold)':<{width}} "
              f"{re_['app_first_switch_ms']:7.0f} ms")
    for section, message in results["errors"].items():
        print(f"ERROR in {section}: {message}")
    print()
    if ratios["rerun"] is not None:
        print(f"rerun ratio {ratios['rerun']:.1f} (app {re_['app']['median']:.0f} ms, "
              f"baseline {re_['baseline']['median']:.0f} ms)")
    else:
        print("rerun ratio n/a (see errors above)")

    if args.json:
        try:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        except OSError as exc:
            print(f"could not write {args.json}: {exc}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    try:
        main()
    except SystemExit as exc:  # argparse --help / bad arguments
        raise SystemExit(0 if exc.code in (None, 0) else exc.code) from None
    except Exception:
        traceback.print_exc()
    raise SystemExit(0)
