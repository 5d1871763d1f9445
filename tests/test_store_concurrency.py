"""Two processes on one PostgreSQL store (LEGEPLAN_USER_DB_URL), as two Streamlit processes behind a proxy:
2 processes × 10 threads × 50 scenario operations at once. Every save of a name of its own is kept (0 lost),
each of five shared names is saved exactly once and every other save of it is refused with the message
(0 duplicate names), and every versioned update either applies to the version its writer read or is
refused as stale (0 lost silently). The same rules as the 20 × 50 test on one DuckDB file in
tests/test_scenarios.py, here across processes (DuckDB's file cannot be shared by two processes)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import traceback
from pathlib import Path

from core import db
from core import scenarios as sc

PROCESSES, THREADS, OPERATIONS = 2, 10, 50
NAMES = [f"Navn {k}" for k in range(5)]


def _process(url: str, target: str, p: int) -> dict:
    """One process: THREADS writers, each OPERATIONS operations; returns what happened. It prints «klar» when
    it is ready and starts when a line comes on stdin, so that both processes begin together."""
    os.environ[db.USER_DB_URL] = url
    lock = threading.Lock()
    own: list[str] = []
    saved: list[str] = []
    refused = [0]
    updated: list[tuple[int, int, str]] = []
    stale = [0]
    errors: list[str] = []
    barrier = threading.Barrier(THREADS)

    def writer(i: int) -> None:
        w = p * THREADS + i
        try:
            con = db.connect_user()
            try:
                barrier.wait()
                old = 1
                for j in range(OPERATIONS):
                    if j % 4 == 0:  # a name of its own: must be kept
                        name = f"Eget {w}-{j}"
                        sc.save(con, "4631", name, "", {"k": {"w": str(w)}}, "v")
                        with lock:
                            own.append(name)
                    elif j % 4 == 2:  # one of five shared names: saved once, refused otherwise
                        name = NAMES[(w + j) % 5]
                        try:
                            sc.save(con, "4631", name.upper() if w % 2 else name, "", {"k": {"w": str(w)}}, "v")
                            with lock:
                                saved.append(name.lower())
                        except sc.StaleScenario:
                            raise
                        except sc.ScenarioError as exc:
                            assert "finnes allerede" in str(exc), str(exc)
                            with lock:
                                refused[0] += 1
                    else:  # an update of the shared scenario, given the version read (every fifth an old one)
                        read = sc.get(con, target).version
                        expected = old if j % 5 == 0 else read
                        old = read
                        marker = f"{w}-{j}"
                        try:
                            new = sc.update_content(con, target, {"kapasitet": {"writer": marker}}, "v",
                                                    expected_version=expected)
                            with lock:
                                updated.append((expected, new, marker))
                        except sc.StaleScenario:
                            with lock:
                                stale[0] += 1
            finally:
                con.close()
        except BaseException:  # noqa: BLE001 - sent back and reported by the test
            with lock:
                errors.append(traceback.format_exc())

    with db.connect_user() as con:  # connected and imported: ready
        sc.get(con, target)
    print("klar", flush=True)
    sys.stdin.readline()
    threads = [threading.Thread(target=writer, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"own": own, "saved": saved, "refused": refused[0], "updated": updated, "stale": stale[0],
            "errors": errors}


def test_two_processes_20_writers_50_operations_lose_nothing(pg_url, monkeypatch, tmp_path):
    monkeypatch.setenv(db.USER_DB_URL, pg_url)
    setup = db.connect_user()
    target = sc.save(setup, "4631", "Felles", "", {"kapasitet": {"writer": "start"}}, "v")
    # fresh interpreters (python -m tests.test_store_concurrency): nothing shared but the store
    root = Path(__file__).resolve().parent.parent
    logs = [tmp_path / f"prosess-{p}.log" for p in range(PROCESSES)]
    procs = [subprocess.Popen([sys.executable, "-m", "tests.test_store_concurrency", pg_url, target, str(p)],
                              cwd=root, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=logs[p].open("w"), text=True) for p in range(PROCESSES)]
    try:
        for proc, log in zip(procs, logs, strict=True):
            assert proc.stdout is not None
            line = "-"
            while line and line.strip() != "klar":
                line = proc.stdout.readline()
            assert line.strip() == "klar", log.read_text()[-3000:]
        for proc in procs:  # go: both at once
            assert proc.stdin is not None
            proc.stdin.write("\n")
            proc.stdin.flush()
        outputs = [proc.communicate(timeout=240)[0] for proc in procs]
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
    assert [proc.returncode for proc in procs] == [0] * PROCESSES, [log.read_text()[-2000:] for log in logs]
    got = [json.loads(out.strip().splitlines()[-1]) for out in outputs]
    errors = [e for g in got for e in g["errors"]]
    assert not errors, errors[:3]

    own = [n for g in got for n in g["own"]]
    saved = [n for g in got for n in g["saved"]]
    refused = sum(g["refused"] for g in got)
    updated = [tuple(u) for g in got for u in g["updated"]]
    stale = sum(g["stale"] for g in got)
    writers = PROCESSES * THREADS
    live = sc.list_for(setup, "4631")
    lowered = [s.name.lower() for s in live]
    assert len(lowered) == len(set(lowered))  # 0 duplicate names
    assert len(own) == writers * len(range(0, OPERATIONS, 4))  # every save of its own name succeeded …
    assert set(own) <= {s.name for s in live}  # … and is there: 0 lost
    assert sorted(saved) == [n.lower() for n in NAMES]  # each shared name saved exactly once …
    assert len(saved) + refused == writers * len(range(2, OPERATIONS, 4))  # … every other save refused
    assert len(updated) + stale == writers * len(range(1, OPERATIONS, 2))  # every update applied or refused
    assert sorted(new for _, new, _ in updated) == list(range(2, len(updated) + 2))  # one writer per version
    assert all(new == read + 1 for read, new, _ in updated)  # each applied to the version its writer read
    final = sc.get(setup, target)
    assert final.version == 1 + len(updated)
    assert final.content == {"kapasitet": {"writer": max(updated, key=lambda u: u[1])[2]}}  # the last one won
    assert len(live) == 1 + len(own) + len(saved)
    setup.close()
    print(f"{PROCESSES} processes × {THREADS} threads × {OPERATIONS}: {len(own)} own saves kept, "
          f"shared names {len(saved)} saved / {refused} refused; updates {len(updated)} applied / {stale} stale")


if __name__ == "__main__":  # a child process of the test above
    print(json.dumps(_process(sys.argv[1], sys.argv[2], int(sys.argv[3]))), flush=True)
