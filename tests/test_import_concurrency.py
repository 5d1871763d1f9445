"""Issue 24, finding 13: the command-line importer must not lock the app out of the user database.

- The importer reads and checks the whole file before it opens the user database, and writes it in
  one short transaction (core.import_store.prepare/store), so scenarios saved meanwhile succeed.
- Where a save still meets the importer's lock, the app waits briefly (core.db.LOCK_WAIT) and then
  says «En import pågår – prøv igjen om litt.», never an exception name.
- 20 sessions opening the registers at once on a fresh user database all get them.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from core import db, userdb
from core import import_store as store
from core import scenarios as sc
from core import ssb_readers as ssb
from core import tiltak as tk
from ui import components
from ui import scenario as ui_scenario

ROOT = Path(__file__).resolve().parent.parent
EXCEPTION_WORDS = ("Exception", "Error", "IOException", "Traceback")


def population_csv(con, path: Path, years: range) -> int:
    """An SSB 07459 export (semicolons, cp1252) for every kommune × sex × age 0–105 × year: its rows."""
    kommuner = db.query(con, "SELECT kommunenummer, display_name FROM kommune ORDER BY kommunenummer")
    sexes = ("Menn", "Kvinner")
    ages = [f"{a} år" for a in range(105)] + ["105 år eller eldre"]
    lines = ['"07459: Befolkning, etter region, kjønn, alder, statistikkvariabel og år"', "",
             '"region";"kjønn";"alder";"statistikkvariabel";"år";"Befolkning"']
    n = 0
    for k in kommuner.itertuples():
        region = f'"{k.kommunenummer} {k.display_name}"'
        for year in years:
            for s, sex in enumerate(sexes):
                for a, age in enumerate(ages):
                    lines.append(f'{region};"{sex}";"{age}";"Personer";"{year}";{(a * 7 + s + year) % 500}')
                    n += 1
    path.write_bytes(("\n".join(lines) + "\n").encode("cp1252"))
    return n


@pytest.fixture
def flashes(monkeypatch):
    """What the scenario sidebar would show: (kind, message) of every _safe that failed."""
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(ui_scenario, "_flash", lambda kind, message: shown.append((kind, message)))
    return shown


def _save(knr: str, name: str) -> bool:
    ok, _ = ui_scenario._safe(lambda: ui_scenario._with_store(sc.save, knr, name, "", {"kapasitet": {"x": "1"}}, "v"))
    return ok


def test_scenarios_saved_while_a_large_file_is_imported_succeed_and_the_import_stores_everything(
        con, tmp_path, monkeypatch, flashes):
    user_path = tmp_path / "bruker.duckdb"
    monkeypatch.setenv("LEGEPLAN_USER_DB", str(user_path))
    userdb.connect(user_path).close()
    big = tmp_path / "07459_alle.csv"
    rows = population_csv(con, big, range(2020, 2023))  # 357 kommuner × 2 × 106 × 3 ≈ 227 000 rows
    env = {**os.environ, "LEGEPLAN_USER_DB": str(user_path)}
    monkeypatch.setattr(db, "LOCK_WAIT", 0.2)  # a save that meets the lock gives up soon: counted below
    proc = subprocess.Popen([sys.executable, "-m", "tools.importer", str(big), "--kilde", "stor test"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    during_ok = during_refused = 0
    i = 0
    started = time.monotonic()
    while proc.poll() is None and time.monotonic() - started < 300:  # guard against a hang
        ok = _save("4631", f"Under import {i}")
        running = proc.poll() is None
        if running:
            during_ok += ok
            during_refused += not ok
        i += 1
        time.sleep(0.05)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, (out, err)
    assert "Lagret som innlasting 1" in out
    # Every failed save said so in Norwegian, never with an exception name.
    assert all(message == components.busy_text() for _, message in flashes), flashes
    assert not any(word in message for _, message in flashes for word in EXCEPTION_WORDS)
    # The importer did not hold the database while it read the file: saves went through meanwhile.
    assert during_ok > 0 and during_ok >= during_refused, (during_ok, during_refused)
    with db.connect_user(user_path) as user:
        assert len(store.in_force(user, ssb.POPULATION)) == rows  # the import stored everything
        names = {s.name for s in sc.list_for(user, "4631")}
    assert len(names) == i - len(flashes)  # every save that reported success is there


def _hold_lock(path: Path, seconds: float) -> subprocess.Popen:
    """Another process that keeps the user database open (as a long import used to)."""
    code = ("import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('open', flush=True); "
            "time.sleep(float(sys.argv[2]))")
    proc = subprocess.Popen([sys.executable, "-c", code, str(path), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "open"
    return proc


def test_a_save_that_meets_a_held_lock_waits_then_says_an_import_is_running(tmp_path, monkeypatch, flashes):
    user_path = tmp_path / "bruker.duckdb"
    monkeypatch.setenv("LEGEPLAN_USER_DB", str(user_path))
    userdb.connect(user_path).close()
    monkeypatch.setattr(db, "LOCK_WAIT", 0.3)
    proc = _hold_lock(user_path, 4)
    try:
        assert not _save("4631", "Låst")
    finally:
        proc.wait(timeout=20)
    assert flashes == [("error", "En import pågår – prøv igjen om litt.")]
    assert _save("4631", "Etterpå")  # the lock is gone: the next save works


def test_a_save_waits_out_a_short_lock(tmp_path, monkeypatch, flashes):
    user_path = tmp_path / "bruker.duckdb"
    monkeypatch.setenv("LEGEPLAN_USER_DB", str(user_path))
    userdb.connect(user_path).close()
    proc = _hold_lock(user_path, 0.5)  # shorter than LOCK_WAIT: the save waits and succeeds
    try:
        assert _save("4631", "Venter")
    finally:
        proc.wait(timeout=20)
    assert flashes == []


def test_the_command_line_says_in_norwegian_when_the_database_is_busy(con, tmp_path, monkeypatch, capsys):
    from tools import importer

    user_path = tmp_path / "bruker.duckdb"
    monkeypatch.setenv("LEGEPLAN_USER_DB", str(user_path))
    userdb.connect(user_path).close()
    small = tmp_path / "07459.csv"
    population_csv(con, small, range(2024, 2025))
    monkeypatch.setattr(db, "LOCK_WAIT", 0.2)
    proc = _hold_lock(user_path, 6)
    try:
        assert importer.main([str(small)]) == 2
    finally:
        proc.wait(timeout=20)
    err = capsys.readouterr().err
    assert "Brukerdatabasen er i bruk av en annen prosess" in err
    assert not any(word in err for word in EXCEPTION_WORDS)
    with db.connect_user(user_path) as user:
        assert store.batches(user).empty  # nothing stored


def test_a_malformed_file_is_refused_before_the_user_database_is_opened(con, tmp_path, monkeypatch, capsys):
    """Parsing and checking come first: a refused file never waits for (or touches) the user database."""
    from tools import importer

    user_path = tmp_path / "bruker.duckdb"
    monkeypatch.setenv("LEGEPLAN_USER_DB", str(user_path))
    bad = tmp_path / "feil.csv"
    bad.write_bytes('"region";"statistikkvariabel";"år";"value"\n"9999";"Antall fastlegeavtaler";"2025";3\n'.encode())

    def no_user_db(*args, **kwargs):
        raise AssertionError("the user database was opened for a refused file")

    monkeypatch.setattr(db, "connect_user", no_user_db)
    assert importer.main([str(bad)]) == 1
    assert "Ingenting er lagret" in capsys.readouterr().out


@pytest.mark.parametrize("register", tk.REGISTERS)
def test_20_first_sessions_on_a_fresh_database_all_open_the_registers(con, tmp_path, register):
    """Finding 13: «16 of 20 first sessions on a fresh database fail to open the registers». Each
    session opens its own connection, as ui.tiltak_view does; the first ones seed the register."""
    path = tmp_path / "fersk.duckdb"
    knr = "1103" if register == tk.MEASURES else "4631"
    barrier = threading.Barrier(20)
    lock = threading.Lock()
    got: list[tk.Snapshot] = []
    errors: list[BaseException] = []

    def session() -> None:
        try:
            barrier.wait()
            with db.connect_user(path) as user:
                snap = tk.open_register(user, con, knr, register)
            with lock:
                got.append(snap)
        except BaseException as exc:  # noqa: BLE001 - reported below
            with lock:
                errors.append(exc)

    threads = [threading.Thread(target=session) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == [], errors[:3]
    assert len(got) == 20
    assert all(s.version == 1 and len(s.rows) > 0 for s in got)  # every session sees the one seeded version
    with db.connect_user(path) as user:
        assert tk.load(user, knr, register).version == 1  # seeded once, not once per session
        assert userdb.version(user) == userdb.LATEST
