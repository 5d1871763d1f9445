"""A committee opens the same link at once: N real browser sessions against `streamlit run`.

    python -m bench.load [--sessions 1,5,10,20] [--moves 5] [--savers 3] [--think 0] [--json PATH]

Starts `streamlit run app.py` on a free local port (LEGEPLAN_USER_DB at a temporary file) and
headless Debian Chromium (Playwright, one browser, one context per session). For each N, N
sessions open the shared capacity link LINK at the same moment, wait for the tile TILE, then
each moves the «Nye hjemler» slider MOVES times with the keyboard; timed is the span from sending
the key press to a script in the page seeing the tile's text change (polled every animation
frame). The first `--savers` sessions then save a scenario through the sidebar with a unique name
while the others still move their levers; after the run every saved name must be in the user
database.

Reports per N: median and 95th percentile of lever → tile (ms), CPU time per lever change of the
server and of the client side (Chromium, Playwright; from /proc), the server's RSS (whole process
tree, from /proc, sampled every 0.5 s) at its peak during the round, minus the RSS before, per
session, and errors (timeouts, exceptions shown on the page, tracebacks in the server log, lost
saves).
Goal (issue 12): p95 at 20 within 2× the single-session p95, no errors, < 50 MB per session.
Client and server share the machine, so the browsers' own work is in the figures too (see the CPU
columns). --think T pauses about T s (0.5–1.5 T) before each move, as a person reading the result;
the default 0 moves as fast as the app answers, the worst case.
Always exits 0: it is a report, not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from tools.server import free_port, healthy

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
KOMMUNE = "1103"
LINK = f"/kapasitet?kommune={KOMMUNE}&new_hjemler=2"
HEADING = "Fastlegekapasitet – Stavanger"
TILE = "Ledige plasser 2040"
SLIDER = re.compile(r"Nye hjemler \(hjemler\)")
TIMEOUT_MS = 120_000
GOAL_RATIO, GOAL_MB = 2.0, 50.0


# --- the server ------------------------------------------------------------------------------------


def start_server(workdir: Path) -> tuple[subprocess.Popen, str, Path]:
    """`streamlit run app.py` in its own process group; (process, base URL, log path)."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log_path = workdir / "server.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
             "--server.port", str(port), "--server.address", "127.0.0.1",
             "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env={**os.environ, "LEGEPLAN_USER_DB": str(workdir / "brukerdata.duckdb")},
            start_new_session=True)
    deadline = time.monotonic() + 90
    while not healthy(base_url):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"streamlit did not start:\n{log_path.read_text()}")
        time.sleep(0.2)
    return proc, base_url, log_path


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def _descendants(pid: int) -> list[int]:
    """A process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += children.get(p, [])
    return out


def tree_cpu_s(pid: int) -> float:
    """CPU time (user + system, seconds) used so far by a process and its living descendants."""
    total = 0
    for p in _descendants(pid):
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, IndexError, ValueError):
            continue
    return total / os.sysconf("SC_CLK_TCK")


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants (MB), from /proc."""
    total_kb = 0
    for p in _descendants(pid):
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total_kb += int(line.split()[1])
        except OSError:
            continue
    return total_kb / 1024


# --- one session -----------------------------------------------------------------------------------


@dataclass
class Session:
    index: int
    times_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    saved: str | None = None
    page: object = None
    context: object = None


_WAIT_CHANGE = """([el, before]) => new Promise((resolve) => {
  const t0 = performance.now();
  const tick = () => {
    if (el.isConnected && el.innerText !== before) { resolve(performance.now() - t0); return; }
    requestAnimationFrame(tick);
  };
  tick();
})"""


async def open_session(browser, base_url: str, s: Session) -> None:
    """A fresh context opens the shared link and waits for the capacity tile."""
    from playwright.async_api import expect

    s.context = await browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nb-NO")
    page = s.page = await s.context.new_page()
    await page.goto(base_url + LINK, timeout=TIMEOUT_MS)
    await expect(page.get_by_role("heading", name=HEADING, exact=True)).to_be_visible(timeout=TIMEOUT_MS)
    await expect(page.get_by_role("slider", name=SLIDER)).to_have_value("2", timeout=TIMEOUT_MS)
    await expect(tile(page)).not_to_have_text("", timeout=TIMEOUT_MS)


def tile(page):
    label = page.get_by_test_id("stMetricLabel").get_by_text(TILE, exact=True)
    return page.get_by_test_id("stMetric").filter(has=label).get_by_test_id("stMetricValue")


async def move_levers(s: Session, moves: int, think: float = 0.0) -> None:
    """Press → on the slider `moves` times; time each press until the tile shows the new value."""
    from playwright.async_api import expect

    page = s.page
    slider = page.get_by_role("slider", name=SLIDER)
    for i in range(moves):
        value = 3 + i
        if think:  # a person reads the result before moving again
            await asyncio.sleep(random.uniform(0.5 * think, 1.5 * think))
        await slider.focus()
        handle = await tile(page).element_handle(timeout=TIMEOUT_MS)
        before = await handle.inner_text()
        t0 = time.perf_counter()
        await page.keyboard.press("ArrowRight")
        try:
            # Measured in the browser from the press to the tile's new text; the wall clock is a
            # fallback if Streamlit replaced the tile's element.
            await asyncio.wait_for(page.evaluate(_WAIT_CHANGE, [handle, before]), TIMEOUT_MS / 1000)
            s.times_ms.append((time.perf_counter() - t0) * 1000)
            await expect(slider).to_have_value(str(value), timeout=TIMEOUT_MS)
        except Exception as e:  # noqa: BLE001 - a load run counts errors, it does not stop
            s.errors.append(f"session {s.index} move {i + 1}: {type(e).__name__}: {str(e)[:120]}")
            return
    if await page.get_by_test_id("stException").count():
        s.errors.append(f"session {s.index}: an exception is shown on the page")


async def save_scenario(s: Session, name: str) -> None:
    """Save the session's choices as a scenario named `name` through the sidebar."""
    from playwright.async_api import expect

    page = s.page
    sidebar = page.get_by_test_id("stSidebar")
    try:
        await sidebar.get_by_text("Scenarioer", exact=True).click(timeout=TIMEOUT_MS)
        await sidebar.get_by_role("textbox", name="Navn på nytt scenario").fill(name, timeout=TIMEOUT_MS)
        await sidebar.get_by_role("button", name=re.compile("Lagre valgene")).click(timeout=TIMEOUT_MS)
        s.saved = name  # asked for: it must be in the database after the run, shown or not
        await expect(sidebar.get_by_role("combobox", name=re.compile("Lagrede scenarioer"))).to_have_value(
            name, timeout=TIMEOUT_MS)
    except Exception as e:  # noqa: BLE001
        s.errors.append(f"session {s.index} save {name!r}: {type(e).__name__}: {str(e)[:120]}")


async def run_round(browser, base_url: str, server_pid: int, n: int, moves: int, savers: int,
                    tag: str, think: float = 0.0) -> dict:
    """N sessions at once: open, move levers (some also save), measure, close."""
    sessions = [Session(i) for i in range(n)]
    rss_before = tree_rss_mb(server_pid)
    peak = [rss_before]

    async def sample_rss() -> None:  # the server's peak while the sessions work
        while True:
            peak[0] = max(peak[0], tree_rss_mb(server_pid))
            await asyncio.sleep(0.5)

    sampler = asyncio.create_task(sample_rss())
    t0 = time.perf_counter()
    opened = await asyncio.gather(*(open_session(browser, base_url, s) for s in sessions),
                                  return_exceptions=True)
    open_s = time.perf_counter() - t0
    for s, result in zip(sessions, opened, strict=True):
        if isinstance(result, BaseException):
            s.errors.append(f"session {s.index} open: {type(result).__name__}: {str(result)[:120]}")
    ok = [s for s in sessions if not s.errors]
    cpu0 = (tree_cpu_s(server_pid), tree_cpu_s(os.getpid()))
    t_work = time.perf_counter()

    async def work(s: Session, saves: bool) -> None:
        await move_levers(s, moves, think)
        if saves:  # while the other sessions still move their levers
            await save_scenario(s, f"Last {tag} økt {s.index}")

    await asyncio.gather(*(work(s, i < savers) for i, s in enumerate(ok)))
    sampler.cancel()
    work_s = time.perf_counter() - t_work
    server_cpu = tree_cpu_s(server_pid) - cpu0[0]
    client_cpu = tree_cpu_s(os.getpid()) - cpu0[1] - server_cpu  # Chromium, Playwright and this script
    rss_peak = max(peak[0], tree_rss_mb(server_pid))
    for s in sessions:
        if s.context is not None:
            await s.context.close()
    times = [t for s in sessions for t in s.times_ms]
    return {
        "sessions": n, "open_s": round(open_s, 1), "changes": len(times), "work_s": round(work_s, 1),
        "server_cpu_ms_per_change": round(1000 * server_cpu / max(len(times), 1)),
        "client_cpu_ms_per_change": round(1000 * client_cpu / max(len(times), 1)),
        "median_ms": round(statistics.median(times)) if times else None,
        "p95_ms": round(percentile(times, 95)) if times else None,
        "rss_before_mb": round(rss_before), "rss_peak_mb": round(rss_peak),
        "mb_per_session": round((rss_peak - rss_before) / n, 1),
        "errors": [e for s in sessions for e in s.errors],
        "saved": [s.saved for s in sessions if s.saved],
    }


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (linear interpolation between ranks)."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    pos = (len(ordered) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def saved_names(user_db: Path) -> set[str]:
    """Every scenario name saved for KOMMUNE (read after the server has stopped)."""
    sys.path.insert(0, str(ROOT))
    from core import db
    from core import scenarios as sc

    con = db.connect_user(user_db)
    try:
        return {s.name for s in sc.list_for(con, KOMMUNE)}
    finally:
        con.close()


async def main_async(args) -> list[dict]:
    from playwright.async_api import async_playwright

    workdir = Path(tempfile.mkdtemp(prefix="legeplan-load-"))
    proc, base_url, log_path = start_server(workdir)
    rounds = []
    try:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            warm = Session(-1)  # fills the server's caches, as the first visitor of the day does
            await open_session(browser, base_url, warm)
            await warm.context.close()
            await asyncio.sleep(2)
            for n in args.sessions:
                r = await run_round(browser, base_url, proc.pid, n, args.moves, args.savers,
                                    f"N{n}{'t' if args.think else ''}", args.think)
                rounds.append(r)
                print(json.dumps(r, ensure_ascii=False), flush=True)
                await asyncio.sleep(2)
            await browser.close()
    finally:
        stop_server(proc)
    tracebacks = log_path.read_text(errors="replace").count("Traceback")
    stored = saved_names(workdir / "brukerdata.duckdb")
    for r in rounds:
        lost = [name for name in r["saved"] if name not in stored]
        r["lost_saves"] = lost
    rounds.append({"server_tracebacks": tracebacks, "server_log": str(log_path)})
    return rounds


def report(rounds: list[dict]) -> None:
    results = [r for r in rounds if "sessions" in r]
    single = next((r["p95_ms"] for r in results if r["sessions"] == 1 and r["p95_ms"]), None)
    print("\n| Økter | Endringer | Median (ms) | p95 (ms) | p95 / 1 økt | CPU server / nettleser per endring (ms) "
          "| RSS per økt (MB) | Lagret (tapt) | Feil |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        ratio = f"{r['p95_ms'] / single:.1f}×" if single and r["p95_ms"] else "–"
        print(f"| {r['sessions']} | {r['changes']} | {r['median_ms']} | {r['p95_ms']} | {ratio} | "
              f"{r['server_cpu_ms_per_change']} / {r['client_cpu_ms_per_change']} | {r['mb_per_session']} | "
              f"{len(r['saved'])} ({len(r['lost_saves'])}) | {len(r['errors'])} |")
    print(f"\nserver tracebacks: {rounds[-1]['server_tracebacks']}")
    for r in results:
        for e in r["errors"][:5]:
            print(f"N={r['sessions']}: {e}")
    biggest = max(results, key=lambda r: r["sessions"], default=None)
    if biggest and single and biggest["p95_ms"]:
        ok = (biggest["p95_ms"] <= GOAL_RATIO * single and not any(r["errors"] for r in results)
              and all(r["mb_per_session"] < GOAL_MB for r in results)
              and not any(r["lost_saves"] for r in results))
        print(f"goal (p95 at {biggest['sessions']} ≤ {GOAL_RATIO}× single, no errors, "
              f"< {GOAL_MB:.0f} MB/session, no lost saves): {'met' if ok else 'NOT met'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", default="1,5,10,20", help="comma-separated N")
    parser.add_argument("--moves", type=int, default=5, help="lever moves per session")
    parser.add_argument("--savers", type=int, default=3, help="sessions per round that save a scenario")
    parser.add_argument("--think", type=float, default=0.0,
                        help="mean pause (s) before each move, as a person reading; 0: as fast as possible")
    parser.add_argument("--json", help="write the rounds to this file")
    args = parser.parse_args(argv)
    args.sessions = [int(n) for n in args.sessions.split(",")]
    if not os.access(CHROMIUM, os.X_OK):
        raise SystemExit(f"{CHROMIUM} is not installed")
    rounds = asyncio.run(main_async(args))
    if args.json:
        Path(args.json).write_text(json.dumps(rounds, ensure_ascii=False, indent=1))
    report(rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
