"""Concurrent writers from several processes on one user store: saves lost, refused, and how fast.

    python -m bench.store_writers [--processes 2] [--threads 10] [--saves 50] [--store postgres|duckdb]

Every writer thread (processes × threads of them) saves SAVES scenarios with names of its own, all at
once, each on its own connection (as the app's sessions do). Reported: saves that succeeded, that failed
(and why), that are missing from the store afterwards (lost), the throughput, and the p50/p95 time of one
save.

--store postgres (default) starts a throw-away PostgreSQL server from Debian's package (tests/pg_server.py),
or uses LEGEPLAN_USER_DB_URL when it is set. --store duckdb points every process at one DuckDB file: the
embedded default, where a second process cannot open the file while the first has it open (issue 23:
«Two processes on one user database: 370 of 500 saves failed»).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from core import db
from core import scenarios as sc


def _connect(store: str, location: str):
    return db.connect_user(Path(location)) if store == "duckdb" else db.connect_user()


def _process(store: str, location: str, p: int, threads: int, saves: int, start, results) -> None:
    if store == "postgres":
        os.environ[db.USER_DB_URL] = location
    lock = threading.Lock()
    times: list[float] = []
    ok: list[str] = []
    failed: Counter[str] = Counter()
    barrier = threading.Barrier(threads)

    def writer(i: int) -> None:
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            return
        for j in range(saves):
            name = f"Skriver {p}-{i} nr {j}"
            t0 = time.perf_counter()
            try:
                con = _connect(store, location)
                try:
                    sc.save(con, "4631", name, "", {"kapasitet": {"new_hjemler": str(j)}}, "bench")
                finally:
                    con.close()
            except Exception as exc:  # noqa: BLE001 - counted by kind
                with lock:
                    failed[type(exc).__name__] += 1
                continue
            with lock:
                times.append(time.perf_counter() - t0)
                ok.append(name)

    start.wait()
    t0 = time.perf_counter()
    pool = [threading.Thread(target=writer, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    results.put({"ok": ok, "failed": dict(failed), "times": times, "wall": time.perf_counter() - t0})


def run(store: str, location: str, processes: int, threads: int, saves: int) -> dict[str, object]:
    if store == "postgres":
        os.environ[db.USER_DB_URL] = location
    with _connect(store, location) as con:  # the schema first, as a running app would have it
        sc.list_for(con, "4631")
    ctx = multiprocessing.get_context("spawn")
    start, results = ctx.Barrier(processes), ctx.Queue()
    procs = [ctx.Process(target=_process, args=(store, location, p, threads, saves, start, results))
             for p in range(processes)]
    for proc in procs:
        proc.start()
    got = [results.get(timeout=1800) for _ in procs]
    for proc in procs:
        proc.join()
    with _connect(store, location) as con:
        stored = {s.name for s in sc.list_for(con, "4631")}
    ok = [n for g in got for n in g["ok"]]
    times = sorted(t for g in got for t in g["times"])
    failed: Counter[str] = Counter()
    for g in got:
        failed.update(g["failed"])
    wall = max(g["wall"] for g in got)
    return {
        "attempted": processes * threads * saves, "saved": len(ok), "failed": dict(failed),
        "lost": len(set(ok) - stored), "saves_per_s": len(ok) / wall if wall else 0.0,
        "p50_ms": 1000 * statistics.median(times) if times else None,
        "p95_ms": 1000 * times[int(0.95 * (len(times) - 1))] if times else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--threads", type=int, default=10)
    parser.add_argument("--saves", type=int, default=50)
    parser.add_argument("--store", choices=["postgres", "duckdb"], default="postgres")
    args = parser.parse_args(argv)
    server = None
    with tempfile.TemporaryDirectory() as tmp:
        if args.store == "duckdb":
            location = str(Path(tmp) / "bruker.duckdb")
        elif db.user_db_url():
            location = db.user_db_url() or ""
        else:
            from tests.pg_server import PgServer

            server = PgServer()
            location = server.start()
        try:
            result = run(args.store, location, args.processes, args.threads, args.saves)
        finally:
            if server is not None:
                from core import pgstore

                pgstore.close_pool()
                server.stop()
    print(f"{args.store}: {args.processes} processes × {args.threads} threads × {args.saves} saves")
    for key, value in result.items():
        print(f"  {key}: {value:.1f}" if isinstance(value, float) else f"  {key}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
