"""The budget per upload (issue 24, findings 6–8), measured as ratios to a baseline in the same run.

    python -m bench.upload_budget [--years 3] [--reruns 5] [--json PATH]

Four parts; the machines are shared and noisy, so each figure is set next to its baseline measured in the
same process, and the ratio is what to read:

* resolve: kommune.resolve of an unknown region with the lookup built once per table (now) against the
  old way, rebuilding it on every call (the function as it was, kept here as the baseline); and parsing a
  file of 20 000 unknown regions both ways (finding 6: a 20 MB file of them took ~38 minutes);
* isolation: a normal upload (Alver's 12005 for one year; and 07459 for every kommune, see --years) parsed
  in the budget's child process (core.upload_budget.parse_isolated) against the same parse in-process;
* refusals: how long the budget takes to refuse the hostile files of tests/test_upload_budget.py;
* reruns: the Data page (AppTest) with 07459 for every kommune pending, rerun as a widget change does:
  parsed once (now) against parsed and diffed again on every rerun (the old page, simulated by dropping the
  kept parse before each run), next to the same page with no upload and bench/baseline_app.py's rerun
  (finding 8).

Reports medians in ms. Always exits 0: it is a report, not a test.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from core import db, kommune, upload_budget
from core import import_store as store
from core.i18n import t
from core.params import sanitize

ROOT = Path(__file__).resolve().parent.parent


def old_resolve(raw: object, kommuner: pd.DataFrame, default: str = kommune.DEFAULT_KOMMUNE) -> tuple[str, str | None]:
    """kommune.resolve as it was before issue 24: every call builds its sets and dicts from the table."""
    numbers = set(kommuner["kommunenummer"])
    hit = kommuner.loc[kommuner["kommunenummer"] == default, "display_name"]
    default_name = str(hit.iloc[0]) if len(hit) else default
    if raw is None or str(raw).strip() == "":
        return default, None
    text = str(raw).strip()
    if text.isdigit() and len(text) <= 4:
        candidate = text.zfill(4)
        if candidate in numbers:
            return candidate, None
        return default, t("Fant ingen kommune med nummer {number} i kommuneinndelingen fra 2024. "
                          "Viser {name} i stedet.", number=sanitize(text), name=default_name)
    by_name = {str(n).casefold(): k for k, n in zip(kommuner["kommunenummer"], kommuner["display_name"], strict=True)}
    by_name.update({str(n).casefold(): k for k, n in zip(kommuner["kommunenummer"], kommuner["name"], strict=True)})
    if text.casefold() in by_name:
        return by_name[text.casefold()], None
    return default, t("«{value}» er ikke et gyldig kommunenummer eller kommunenavn. Viser {name} i stedet.",
                      value=sanitize(text), name=default_name)


def timed(f: Callable[[], object], n: int = 1) -> tuple[float, object]:
    """(median ms over n calls, the last result)."""
    times, result = [], None
    for _ in range(n):
        t0 = time.perf_counter()
        result = f()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), result


def population_file(kommuner: pd.DataFrame, years: int) -> bytes:
    """07459 as SSB exports it for every kommune: sex × single age × `years` years (~76 000 rows a year)."""
    lines = ['"07459: Befolkning, etter region, kjønn, alder, statistikkvariabel og år"', "",
             '"region";"kjønn";"alder";"statistikkvariabel";"år";"Befolkning"']
    for knr, name in zip(kommuner["kommunenummer"], kommuner["display_name"], strict=True):
        for year in range(2025 - years + 1, 2026):
            for sex in ("Menn", "Kvinner"):
                for age in range(106):
                    label = "105 år eller eldre" if age == 105 else f"{age} år"
                    lines.append(f'"{knr} {name}";"{sex}";"{label}";"Personer";"{year}";{(age * 7 + year) % 300}')
    return "\n".join(lines).encode("utf-8")


def alver_file(con) -> bytes:
    rows = db.query(con, "SELECT metric, value FROM fastlege WHERE kommunenummer = '4631' AND year = 2025")
    from core.ssb_readers import FASTLEGE_METRICS
    labels = {m: label for m, _, label, _ in FASTLEGE_METRICS}
    lines = ['"region";"statistikkvariabel";"år";"Fastlegelister og fastlegekonsultasjoner"']
    lines += [f'"4631 Alver";"{labels[r.metric]}";"2025";{str(r.value).replace(".", ",")}' for r in rows.itertuples()]
    return "\n".join(lines).encode("utf-8")


def bench_resolve(kommuner: pd.DataFrame) -> dict:
    calls = 500
    old_ms, _ = timed(lambda: [old_resolve(f"Ukjent sted {i}", kommuner, default="") for i in range(calls)])
    new_ms, _ = timed(lambda: [kommune.resolve(f"Ukjent sted {i}", kommuner, default="") for i in range(calls)], 5)
    rows = 20_000
    data = ("region;statistikkvariabel;år;value\n" + "".join(
        f"Ukjent sted {i};Antall fastlegeavtaler;2025;{i % 90}\n" for i in range(rows))).encode()
    new_file_ms, parsed = timed(lambda: store.parse_upload(data, "u.csv", kommuner))
    real = kommune.resolve
    kommune.resolve = old_resolve
    try:
        old_file_ms, _ = timed(lambda: store.parse_upload(data, "u.csv", kommuner))
    finally:
        kommune.resolve = real
    return {"per_call_ms_old": old_ms / calls, "per_call_ms_new": new_ms / calls,
            "per_call_ratio": (old_ms / calls) / (new_ms / calls),
            "file_rows": rows, "file_ms_old": old_file_ms, "file_ms_new": new_file_ms,
            "file_ratio": old_file_ms / new_file_ms, "file_errors": len(parsed.errors)}


def bench_isolation(kommuner: pd.DataFrame, files: dict[str, bytes]) -> dict:
    upload_budget.parse_isolated(store.parse_upload, files["alver"], "warm.csv", kommuner)  # starts the forkserver
    out = {}
    for name, data in files.items():
        n = 7 if len(data) < 100_000 else 3
        inproc, parsed = timed(lambda data=data, name=name: store.parse_upload(data, f"{name}.csv", kommuner), n)
        child, isolated = timed(lambda data=data, name=name: upload_budget.parse_isolated(store.parse_upload, data,
                                                                               f"{name}.csv", kommuner), n)
        assert isolated.frame.equals(parsed.frame), name
        out[name] = {"bytes": len(data), "rows": len(parsed.frame), "in_process_ms": inproc, "child_ms": child,
                     "overhead_ms": child - inproc, "ratio": child / inproc}
    return out


def bench_refusals(kommuner: pd.DataFrame) -> dict:
    from tests import test_upload_budget as hostile

    out = {}
    for name, (make, file_name, _) in hostile.HOSTILE.items():
        data = make()
        ms, parsed = timed(lambda data=data, file_name=file_name: upload_budget.parse_isolated(
            store.parse_upload, data, file_name, kommuner))
        out[name] = {"bytes": len(data), "ms": ms, "refused": not parsed.ok}
    return out


def bench_reruns(data: bytes, reruns: int) -> dict:
    from streamlit import config
    from streamlit.testing.v1 import AppTest

    from tests import apptest_util
    from ui import data_view

    config.set_option("global.minCachedMessageSize", 1e12)

    def runs(drop: bool | None) -> list[float]:
        at = apptest_util.open_page("pages/data.py", kommune="4631")
        if drop is not None:  # None: the page with no upload pending
            at.session_state[data_view.PENDING] = ("07459_alle.csv", data)
            at.run()  # the first parse: the same either way
        times = []
        for i in range(reruns):
            if drop:  # the old page: nothing kept, everything parsed and diffed again
                for key in (data_view.PARSED, data_view.PREVIEW):
                    if key in at.session_state:
                        del at.session_state[key]
            t0 = time.perf_counter()
            at.text_input[0].input(f"SSB {i}").run()
            times.append((time.perf_counter() - t0) * 1000)
            assert not at.exception, at.exception
        return times

    baseline = AppTest.from_file(str(ROOT / "bench" / "baseline_app.py"), default_timeout=60)
    baseline.run()
    base_times = []
    for i in range(reruns):
        t0 = time.perf_counter()
        baseline.slider[0].set_value(baseline.slider[0].min if i % 2 else baseline.slider[0].max).run()
        base_times.append((time.perf_counter() - t0) * 1000)
    empty = statistics.median(runs(None))
    once = statistics.median(runs(False))
    every = statistics.median(runs(True))
    base = statistics.median(base_times)
    return {"baseline_rerun_ms": base, "data_page_no_upload_rerun_ms": empty, "parse_once_rerun_ms": once, "parse_every_rerun_ms": every,
            "once_to_baseline": once / base, "every_to_baseline": every / base, "every_to_once": every / once}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.upload_budget")
    parser.add_argument("--years", type=int, default=3, help="years of 07459 for every kommune (~76 000 rows each)")
    parser.add_argument("--reruns", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    con = db.connect()
    kommuner = db.query(con, "SELECT * FROM kommune")
    population = population_file(kommuner, args.years)
    report: dict = {}
    report["resolve"] = bench_resolve(kommuner)
    print(json.dumps({"resolve": report["resolve"]}, indent=1), flush=True)
    report["isolation"] = bench_isolation(kommuner, {"alver": alver_file(con), "07459_alle": population})
    print(json.dumps({"isolation": report["isolation"]}, indent=1), flush=True)
    report["refusals"] = bench_refusals(kommuner)
    print(json.dumps({"refusals": report["refusals"]}, indent=1), flush=True)
    try:
        report["reruns"] = bench_reruns(population, args.reruns)
    except Exception as exc:  # noqa: BLE001 - a report, not a test
        report["reruns"] = {"error": repr(exc)}
    print(json.dumps({"reruns": report["reruns"]}, indent=1), flush=True)
    if args.json:
        args.json.write_text(json.dumps(report, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
