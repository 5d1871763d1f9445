"""A committee opens the same link at once: N sessions against a real `streamlit run`.

    python -m bench.load [--clients ws|browser] [--pattern burst|committee] [--sessions 1,5,10,20]
                         [--moves 5] [--moves1 30] [--savers 3] [--cache cold|shared] [--profile DIR]
                         [--servers 1] [--baseline] [--json PATH] [--validate] [--app app.py]
                         [--queue-max-wait S]

Starts `streamlit run app.py` on a free local port (LEGEPLAN_USER_DB at a temporary file). For
each N, N sessions open the shared capacity link LINK at the same moment, wait until the run has
finished, then each moves the «Nye hjemler» slider MOVES times (the one-session round MOVES1
times, for a steadier yardstick). Timed is the span from sending the change to the tile TILE
(«Ledige plasser 2040») showing its new value, and (ws) each session's opening: connect → the
opened page's run finished («Åpne»).

The app runs one script at a time, first come first served (ui/runqueue.py); --queue-max-wait 0
switches that off for a comparison, another value sets its valve (default: the app's own, 2 s).

Clients (--clients):
- **ws** (default): `bench/ws_client.py` speaks Streamlit's websocket protocol from one asyncio
  loop, as the browser's frontend does (same BackMsg/ForwardMsg protobufs, all widget states on
  every rerun). A client costs a few ms of CPU per change, so the server's own queue is measured.
  Timed until the metric delta with the new value arrives (`tile`) and until `script_finished`
  (`done`: the whole page, charts included, has been sent).
- **browser**: headless Debian Chromium through Playwright (one context per session), the lever
  moved with the keyboard and timed in the page until the tile's text changes. The browsers cost
  ~0.5 s CPU per change, so on a small machine they measure themselves as much as the server.

Patterns (--pattern):
- **burst** (worst case): all N sessions send a change at the same instant; the next burst starts
  when every session has its answer and a --gap (1 s) has passed. (Browser clients: each session
  moves again as soon as its tile changed, as before.)
- **committee**: each session moves the lever every 2–6 s (uniform at random), as people do.

--cache cold (default for ws) first gives every session its own «Listetak for nye hjemler», so no
two sessions' reruns share the model's cached result (the worst case for the server); --cache
shared leaves all sessions on the link's values, where sessions moving to the same value share
the cache (as the browser runs did).

The first --savers sessions save a scenario during the load (ws: the name typed and «Lagre valgene
…» pressed through the protocol in the middle of the run, while the others move levers; browser:
through the sidebar); after the run every saved name must be in the user database.

Reports per N: median and 95th percentile of change → tile (and → done), server CPU per rerun
(whole process tree, from /proc), client CPU per change, the server's RSS (sampled every 0.5 s)
at its peak during the round minus the RSS before, per session, and errors (timeouts, protocol
errors, exceptions drawn on the page, tracebacks in the server log, lost saves).
--profile DIR records the server with py-spy (raw stacks) during each round's changes and prints
where the samples fall (our code, Streamlit, protobuf, DuckDB, Arrow/pandas, Altair).
--servers K starts K server processes and keeps session i on server i mod K, as a proxy that keeps
each websocket on its process would (each server has its own user database here: DuckDB lets one
process write a file).
--baseline runs the ws rounds against bench/baseline_app.py (one slider, one chart; timed to the
end of the run) instead: what any Streamlit page gets from one server process under the same load.
Goal (issue 12): p95 at 20 within 2× the single-session p95, no errors, < 50 MB per session.
Always exits 0: it is a report, not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tools.server import free_port, healthy

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
KOMMUNE = "1103"
START_HJEMLER = 2
LINK = f"/kapasitet?kommune={KOMMUNE}&new_hjemler={START_HJEMLER}"
HEADING = "Fastlegekapasitet – Stavanger"
TILE = "Ledige plasser 2040"
# The label lost its unit on 25.11 («Nye hjemler»); the browser names the slider by it twice.
SLIDER = re.compile(r"^(Nye hjemler(?: \(hjemler\))?)(?: \1)?$")
LIST_CAP = re.compile(r"Listetak for nye hjemler")
SLIDER_RANGE = (0, 60)
# --baseline: the same rounds against bench/baseline_app.py (one slider, one chart), timed to the
# end of the run: what any Streamlit page gets from one server process under the same load.
BASELINE = {"app": "bench/baseline_app.py", "link": "/", "slider": re.compile(r"^Faktor$"), "range": (1, 10)}
SAVE_NAME = "Navn på nytt scenario"
SAVE_BUTTON = re.compile(r"Lagre valgene")
TIMEOUT_MS = 120_000
GOAL_RATIO, GOAL_MB = 2.0, 50.0
COMMITTEE_S = (2.0, 6.0)  # a person moves a lever every 2–6 s
IDLE_S = 4.0


# --- the server ------------------------------------------------------------------------------------


def start_server(workdir: Path, app: str = "app.py",
                 queue_max_wait: float | None = None) -> tuple[subprocess.Popen, str, Path]:
    """`streamlit run app.py` in its own process group; (process, base URL, log path).

    `queue_max_wait` sets the app's run queue valve (ui/runqueue.py; 0 switches the queue off)."""
    env = {**os.environ, "LEGEPLAN_USER_DB": str(workdir / "brukerdata.duckdb")}
    if queue_max_wait is not None:
        env["LEGEPLAN_RUN_QUEUE_MAX_WAIT"] = str(queue_max_wait)
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log_path = workdir / "server.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", app, "--server.headless", "true",
             "--server.port", str(port), "--server.address", "127.0.0.1",
             "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env=env, start_new_session=True)
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


def load_average() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


# --- profiling the server (py-spy) ----------------------------------------------------------------


def start_profile(pid: int, out: Path) -> list[subprocess.Popen]:
    """Two py-spy recordings (raw stacks) of the server until stop_profile: `out`-gil.txt samples
    only the thread that holds the GIL (where the one Python core's time goes), `out`-all.txt every
    thread that is not idle (also the time spent outside the GIL, e.g. inside a DuckDB query)."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not os.access(spy, os.X_OK):
        print("py-spy is not installed (pip install py-spy): no profile", file=sys.stderr)
        return []
    return [subprocess.Popen([spy, "record", "--pid", str(pid), "--format", "raw", "--rate", "200",
                              "--nonblocking", "--full-filenames", *extra, "--output", f"{out}-{kind}.txt"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for kind, extra in (("gil", ["--gil"]), ("all", []))]


def stop_profile(spies: list[subprocess.Popen]) -> None:
    for spy in spies:
        spy.send_signal(signal.SIGINT)  # py-spy writes its file on Ctrl-C
    for spy in spies:
        try:
            spy.wait(timeout=30)
        except subprocess.TimeoutExpired:
            spy.kill()


# Where a sample's time goes: the innermost frame that belongs to one of these decides; plain
# standard-library frames (json, threading, asyncio …) count for whoever called them.
_OWN = re.escape(str(ROOT))
_CATEGORIES = (
    ("DuckDB", re.compile(r"/duckdb/|duckdb")),
    ("Arrow/pandas/numpy", re.compile(r"/site-packages/(pyarrow|pandas|numpy)/")),
    ("Altair/Vega spec", re.compile(r"/site-packages/(altair|jsonschema|narwhals|vl_convert)/")),
    ("protobuf", re.compile(r"/site-packages/(google/protobuf|streamlit/proto)/")),
    ("Streamlit", re.compile(r"/site-packages/streamlit/")),
    ("web server (uvicorn/starlette)", re.compile(r"/site-packages/(uvicorn|starlette|websockets|anyio|h11)/")),
    ("our code (core/ui/pages)", re.compile(rf"{_OWN}/(core|ui|pages|app\.py)")),
)
_OURS = re.compile(rf"{_OWN}/(core|ui|pages)/[^/]+\.py:\d+\)")
_ST_MODULE = re.compile(r"/site-packages/streamlit/([\w/]+)\.py")
_SCRIPT = re.compile(r"^(exec_func_with_error_handling|_run_script) ")


def profile_summary(path: Path) -> dict:
    """Samples of a raw py-spy file: by category, by our innermost function, by Streamlit module,
    and how many fell inside a script run."""
    by_cat: Counter[str] = Counter()
    ours: Counter[str] = Counter()
    st_modules: Counter[str] = Counter()
    in_script = under_ours = total = 0
    if not path.exists():
        return {}
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = stack.split(";")
        cat = "other (stdlib: asyncio, threading …)"
        for frame in reversed(frames):
            hit = next((name for name, rx in _CATEGORIES if rx.search(frame)), None)
            if hit:
                cat = hit
                if hit == "Streamlit":
                    st_modules[_ST_MODULE.search(frame).group(1)] += n
                break
        by_cat[cat] += n
        if any(_SCRIPT.search(f) for f in frames):
            in_script += n
        own = [f for f in frames if _OURS.search(f)]
        if own:
            under_ours += n
            ours[re.sub(r" \(.*/(\w+/\w+\.py):\d+\)", r" (\1)", own[-1])] += n  # innermost own frame
    return {"samples": total, "by_category": dict(by_cat.most_common()), "in_script_run": in_script,
            "under_our_code": under_ours, "our_functions": dict(ours.most_common(12)),
            "streamlit_modules": dict(st_modules.most_common(8))}


def print_profile(n: int, profiles: dict) -> None:
    for kind, summary in profiles.items():
        total = summary.get("samples") or 0
        if not total:
            continue
        what = "the thread holding the GIL" if kind == "gil" else "all active threads"
        print(f"\nprofile at {n} sessions, {what}: {total} samples (200/s)")
        for cat, k in summary["by_category"].items():
            print(f"  {cat:<40} {100 * k / total:5.1f} %")
        print(f"  inside a script run: {100 * summary['in_script_run'] / total:.1f} %, "
              f"under our code (inclusive): {100 * summary['under_our_code'] / total:.1f} %")
        print("  our innermost functions:")
        for fn, k in summary["our_functions"].items():
            print(f"    {100 * k / total:5.1f} %  {fn}")
        print("  Streamlit's own time by module:")
        for mod, k in summary["streamlit_modules"].items():
            print(f"    {100 * k / total:5.1f} %  {mod}")


# --- protocol clients (bench/ws_client.py) ---------------------------------------------------------


@dataclass
class Session:
    index: int
    open_ms: float | None = None  # connect → the opened page's run finished (ws only)
    times_ms: list[float] = field(default_factory=list)  # change → tile
    done_ms: list[float] = field(default_factory=list)  # change → script_finished (ws only)
    errors: list[str] = field(default_factory=list)
    saved: str | None = None
    page: object = None
    context: object = None
    client: object = None


async def ws_open(base_url: str, s: Session, seed: int | None) -> None:
    """A protocol client opens the shared link; with a `seed`, gives itself its own model inputs."""
    from bench.ws_client import StreamlitSession

    s.client = StreamlitSession(base_url, LINK, watch=TILE)
    t0 = time.perf_counter()
    run = await s.client.open(TIMEOUT_MS / 1000)
    s.open_ms = 1000 * (time.perf_counter() - t0)
    if TILE and s.client.metrics.get(TILE) in (None, ""):
        raise RuntimeError(f"no «{TILE}» after opening the link")
    if run.exceptions:
        raise RuntimeError(f"exception on the page: {run.exceptions[0]}")
    if seed is not None:  # a «Listetak for nye hjemler» of its own (distinct seeds, distinct values)
        _, el = s.client.widgets[s.client.widget_id(LIST_CAP)]
        lo, hi, step = int(el.min), int(el.max), max(int(el.step), 1)
        await s.client.move(LIST_CAP, lo + (seed * step) % (hi - lo + 1), TIMEOUT_MS / 1000)


async def ws_move(s: Session, value: int) -> None:
    """One timed lever change."""
    try:
        run = await s.client.move(SLIDER, value, TIMEOUT_MS / 1000)
    except Exception as e:  # noqa: BLE001 - a load run counts errors, it does not stop
        s.errors.append(f"session {s.index} → {value}: {type(e).__name__}: {str(e)[:120]}")
        return
    if run.exceptions:
        s.errors.append(f"session {s.index} → {value}: exception on the page: {run.exceptions[0]}")
    if TILE and run.t_tile is None:
        s.errors.append(f"session {s.index} → {value}: the tile did not change")
    s.times_ms.append(1000 * (run.t_tile if run.t_tile is not None else run.t_done))
    s.done_ms.append(1000 * run.t_done)


async def ws_save(s: Session, name: str) -> None:
    """Type a scenario name in the sidebar and press «Lagre valgene …», as one rerun."""
    try:
        s.client.set_text(SAVE_NAME, name)
        s.saved = name  # asked for: it must be in the database after the run
        run = await s.client.press(SAVE_BUTTON, TIMEOUT_MS / 1000)
        if run.exceptions:
            s.errors.append(f"session {s.index} save {name!r}: exception on the page: {run.exceptions[0]}")
    except Exception as e:  # noqa: BLE001
        s.errors.append(f"session {s.index} save {name!r}: {type(e).__name__}: {str(e)[:120]}")


def _next_value(current: int) -> int:
    lo, hi = SLIDER_RANGE
    return current + 1 if current < hi else lo


async def ws_burst(ok: list[Session], moves: int, savers: int, tag: str, gap: float) -> None:
    """All sessions change at the same instant; in the middle burst the savers first save."""
    save_at = moves // 2

    async def step(s: Session, k: int) -> None:
        if k == save_at and s.index < savers:  # a save, then the move, in the session's own order
            await ws_save(s, f"Last {tag} økt {s.index}")
        await ws_move(s, _next_value(int(s.client.value(SLIDER))))

    for k in range(moves):
        await asyncio.gather(*(step(s, k) for s in ok))
        await asyncio.sleep(gap)


async def ws_committee(ok: list[Session], moves: int, savers: int, tag: str) -> None:
    """Each session moves the lever every 2–6 s; the savers save once at a random point."""

    async def person(s: Session, rng: random.Random) -> None:
        save_at = rng.randrange(moves) if s.index < savers else -1
        for k in range(moves):
            await asyncio.sleep(rng.uniform(*COMMITTEE_S))
            if k == save_at:
                await ws_save(s, f"Last {tag} økt {s.index}")
                await asyncio.sleep(rng.uniform(*COMMITTEE_S))
            await ws_move(s, _next_value(int(s.client.value(SLIDER))))

    await asyncio.gather(*(person(s, random.Random(s.index)) for s in ok))


def servers_cpu_s(servers: list[tuple[str, int]]) -> float:
    return sum(tree_cpu_s(pid) for _, pid in servers)


def servers_rss_mb(servers: list[tuple[str, int]]) -> float:
    return sum(tree_rss_mb(pid) for _, pid in servers)


async def run_round_ws(servers: list[tuple[str, int]], n: int, args, tag: str, offset: int,
                       profile: Path | None) -> dict:
    """N protocol sessions: open together, change levers in the pattern, measure, close.

    With several servers (--servers K), session i sticks to server i mod K, as behind a proxy that
    keeps each websocket on its process."""
    sessions = [Session(i) for i in range(n)]
    rss_before = servers_rss_mb(servers)
    peak = [rss_before]

    async def sample_rss() -> None:
        while True:
            peak[0] = max(peak[0], servers_rss_mb(servers))
            await asyncio.sleep(0.5)

    sampler = asyncio.create_task(sample_rss())
    t0 = time.perf_counter()
    seeds = [offset + i + 1 if args.cache == "cold" else None for i in range(n)]  # unique in the run
    opened = await asyncio.gather(*(ws_open(servers[s.index % len(servers)][0], s, c)
                                    for s, c in zip(sessions, seeds, strict=True)), return_exceptions=True)
    open_s = time.perf_counter() - t0
    for s, result in zip(sessions, opened, strict=True):
        if isinstance(result, BaseException):
            s.errors.append(f"session {s.index} open: {type(result).__name__}: {str(result)[:120]}")
    ok = [s for s in sessions if not s.errors]
    rss_open = servers_rss_mb(servers)
    await asyncio.sleep(1)
    spies = start_profile(servers[0][1], profile) if profile else []
    cpu0, own0 = servers_cpu_s(servers), time.process_time()
    t_work = time.perf_counter()
    moves = args.moves1 if n == 1 else args.moves
    if args.pattern == "committee":
        await ws_committee(ok, moves, args.savers, tag)
    else:
        await ws_burst(ok, moves, args.savers, tag, args.gap)
    work_s = time.perf_counter() - t_work
    server_cpu, client_cpu = servers_cpu_s(servers) - cpu0, time.process_time() - own0
    stop_profile(spies)
    sampler.cancel()
    rss_peak = max(peak[0], servers_rss_mb(servers))
    await asyncio.gather(*(s.client.close() for s in sessions if s.client is not None), return_exceptions=True)
    times = [t for s in sessions for t in s.times_ms]
    done = [t for s in sessions for t in s.done_ms]
    opens = [s.open_ms for s in sessions if s.open_ms is not None]
    saves = sum(1 for s in sessions if s.saved)
    reruns = len(times) + saves
    return {
        "clients": "ws", "pattern": args.pattern, "cache": args.cache, "sessions": n,
        "load_average": load_average(), "open_s": round(open_s, 1), "changes": len(times),
        "queue_max_wait_s": args.queue_max_wait,
        "open_median_ms": round(statistics.median(opens)) if opens else None,
        "open_max_ms": round(max(opens)) if opens else None,
        "work_s": round(work_s, 1),
        "server_cpu_ms_per_change": round(1000 * server_cpu / max(reruns, 1)),
        "server_cpu_net_ms_per_change": round(1000 * (server_cpu - args.idle_cpu_per_s * work_s) / max(reruns, 1)),
        "server_idle_cpu_ms_per_s": round(1000 * args.idle_cpu_per_s),
        "client_cpu_ms_per_change": round(1000 * client_cpu / max(len(times), 1), 1),
        "server_busy": round(server_cpu / work_s, 2) if work_s else None,
        "median_ms": round(statistics.median(times)) if times else None,
        "p95_ms": round(percentile(times, 95)) if times else None,
        "max_ms": round(max(times)) if times else None,
        "done_median_ms": round(statistics.median(done)) if done else None,
        "done_p95_ms": round(percentile(done, 95)) if done else None,
        "rss_before_mb": round(rss_before), "rss_open_mb": round(rss_open), "rss_peak_mb": round(rss_peak),
        "mb_per_session": round((rss_peak - rss_before) / n, 1),
        "errors": [e for s in sessions for e in s.errors],
        "saved": [s.saved for s in sessions if s.saved],
        "profile": {kind: profile_summary(Path(f"{profile}-{kind}.txt")) for kind in ("gil", "all")}
        if profile else None,
    }


# --- browser clients -------------------------------------------------------------------------------


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


async def run_round_browser(browser, base_url: str, server_pid: int, n: int, moves: int, savers: int,
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
        "clients": "browser", "pattern": "committee" if think else "burst", "cache": "shared",
        "load_average": load_average(), "sessions": n, "open_s": round(open_s, 1), "changes": len(times), "work_s": round(work_s, 1),
        "server_cpu_ms_per_change": round(1000 * server_cpu / max(len(times), 1)),
        "client_cpu_ms_per_change": round(1000 * client_cpu / max(len(times), 1)),
        "median_ms": round(statistics.median(times)) if times else None,
        "p95_ms": round(percentile(times, 95)) if times else None,
        "max_ms": round(max(times)) if times else None,
        "rss_before_mb": round(rss_before), "rss_peak_mb": round(rss_peak),
        "mb_per_session": round((rss_peak - rss_before) / n, 1),
        "errors": [e for s in sessions for e in s.errors],
        "saved": [s.saved for s in sessions if s.saved],
    }


async def validate(base_url: str) -> dict:
    """The protocol client and Chromium open the same link and make the same move: same tile?"""
    from playwright.async_api import async_playwright, expect

    ws = Session(0)
    await ws_open(base_url, ws, None)
    seen = {"ws_open": ws.client.metrics.get(TILE)}
    await ws.client.move(SLIDER, START_HJEMLER + 1)
    seen["ws_moved"] = ws.client.metrics.get(TILE)
    await ws.client.close()
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        b = Session(1)
        await open_session(browser, base_url, b)
        seen["browser_open"] = await tile(b.page).inner_text()
        slider = b.page.get_by_role("slider", name=SLIDER)
        await slider.focus()
        await b.page.keyboard.press("ArrowRight")
        await expect(slider).to_have_value(str(START_HJEMLER + 1), timeout=TIMEOUT_MS)
        await expect(tile(b.page)).not_to_have_text(seen["browser_open"], timeout=TIMEOUT_MS)
        seen["browser_moved"] = await tile(b.page).inner_text()
        await browser.close()
    seen["same"] = seen["ws_open"] == seen["browser_open"] and seen["ws_moved"] == seen["browser_moved"]
    return seen


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
    workdir = Path(tempfile.mkdtemp(prefix="legeplan-load-"))
    dirs = [workdir] if args.servers == 1 else [workdir / f"server{k}" for k in range(args.servers)]
    started = []
    try:
        for d in dirs:
            d.mkdir(exist_ok=True)
            started.append(start_server(d, args.app, args.queue_max_wait))
    except BaseException:
        for proc, _, _ in started:
            stop_server(proc)
        raise
    proc, base_url, log_path = started[0]
    servers = [(url, p.pid) for p, url, _ in started]
    rounds = []
    tag_kind = "" if args.pattern == "burst" else "k"
    try:
        if args.validate:
            print(json.dumps({"validate": await validate(base_url)}, ensure_ascii=False), flush=True)
            return []
        if args.clients == "ws":
            for url, _ in servers:  # fills the server's caches, as the first visitor of the day does
                warm = Session(-1)
                await ws_open(url, warm, None)
                await warm.client.move(SLIDER, _next_value(int(warm.client.value(SLIDER))))
                await warm.client.close()
            await asyncio.sleep(2)
            cpu0 = servers_cpu_s(servers)
            await asyncio.sleep(IDLE_S)  # what the server burns with no session at all (file polling …)
            args.idle_cpu_per_s = (servers_cpu_s(servers) - cpu0) / IDLE_S
            offset = 0
            for n in args.sessions:
                profile = Path(args.profile) / f"{args.pattern}-N{n}" if args.profile else None
                r = await run_round_ws(servers, n, args, f"N{n}{tag_kind}", offset, profile)
                offset += n
                rounds.append(r)
                print(json.dumps({k: v for k, v in r.items() if k != "profile"}, ensure_ascii=False), flush=True)
                if r.get("profile"):
                    print_profile(n, r["profile"])
                await asyncio.sleep(2)
        else:
            from playwright.async_api import async_playwright

            think = 0.0 if args.pattern == "burst" else sum(COMMITTEE_S) / 2  # 0.5–1.5 × 4 s = 2–6 s
            async with async_playwright() as pw:
                browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                warm = Session(-1)
                await open_session(browser, base_url, warm)
                await warm.context.close()
                await asyncio.sleep(2)
                for n in args.sessions:
                    r = await run_round_browser(browser, base_url, proc.pid, n, args.moves, args.savers,
                                                f"N{n}{tag_kind}b", think)
                    rounds.append(r)
                    print(json.dumps(r, ensure_ascii=False), flush=True)
                    await asyncio.sleep(2)
                await browser.close()
    finally:
        for p, _, _ in started:
            stop_server(p)
    tracebacks = sum(log.read_text(errors="replace").count("Traceback") for _, _, log in started)
    stored = set().union(*(saved_names(d / "brukerdata.duckdb") for d in dirs))
    for r in rounds:
        r["lost_saves"] = [name for name in r["saved"] if name not in stored]
        r["servers"] = args.servers
    rounds.append({"server_tracebacks": tracebacks, "server_log": str(log_path)})
    return rounds


def report(rounds: list[dict]) -> None:
    results = [r for r in rounds if "sessions" in r]
    single = next((r["p95_ms"] for r in results if r["sessions"] == 1 and r["p95_ms"]), None)
    ws = any(r["clients"] == "ws" for r in results)
    first = results[0] if results else {}
    queue = first.get("queue_max_wait_s")
    print(f"\nclients: {first.get('clients')}, pattern: {first.get('pattern')}, cache: {first.get('cache')}, "
          f"run queue: {'off' if queue == 0 else 'on (app default)' if queue is None else f'on, valve {queue} s'}")
    single_median = next((r["median_ms"] for r in results if r["sessions"] == 1 and r["median_ms"]), None)
    print("\n| Økter | Endringer | Median (ms) | p95 (ms) | p95 / 1 økt | median / 1 økt | "
          + ("Ferdig median / p95 (ms) | " if ws else "")
          + ("Åpne median / maks (ms) | " if ws else "")
          + "CPU server / klient per endring (ms) | RSS per økt (MB) | Lagret (tapt) | Feil | Last (1 min) |")
    print("|---:|---:|---:|---:|---:|---:|" + ("---:|---:|" if ws else "") + "---:|---:|---:|---:|---:|")
    for r in results:
        ratio = f"{r['p95_ms'] / single:.1f}×" if single and r["p95_ms"] else "–"
        mratio = f"{r['median_ms'] / single_median:.1f}×" if single_median and r["median_ms"] else "–"
        done = (f"{r['done_median_ms']} / {r['done_p95_ms']} | {r.get('open_median_ms')} / {r.get('open_max_ms')} | "
                if ws else "")
        print(f"| {r['sessions']} | {r['changes']} | {r['median_ms']} | {r['p95_ms']} | {ratio} | {mratio} | {done}"
              f"{r.get('server_cpu_net_ms_per_change', r['server_cpu_ms_per_change'])} / "
              f"{r['client_cpu_ms_per_change']} | {r['mb_per_session']} | "
              f"{len(r['saved'])} ({len(r['lost_saves'])}) | {len(r['errors'])} | {r['load_average'].split()[0]} |")
    print(f"\nserver tracebacks: {rounds[-1]['server_tracebacks']}")
    if ws:
        print("(server CPU per change net of the idle server's "
              f"{first.get('server_idle_cpu_ms_per_s')} ms/s; saves count as changes)")
    for r in results:
        for e in r["errors"][:5]:
            print(f"N={r['sessions']}: {e}")
    biggest = max(results, key=lambda r: r["sessions"], default=None)
    if biggest and single and biggest["p95_ms"]:
        ok = (biggest["p95_ms"] <= GOAL_RATIO * single and not any(r["errors"] for r in results)
              and all(r["mb_per_session"] < GOAL_MB for r in results)
              and not any(r["lost_saves"] for r in results) and not rounds[-1]["server_tracebacks"])
        print(f"goal (p95 at {biggest['sessions']} ≤ {GOAL_RATIO}× single, no errors, "
              f"< {GOAL_MB:.0f} MB/session, no lost saves): {'met' if ok else 'NOT met'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", choices=("ws", "browser"), default="ws",
                        help="ws: Streamlit's websocket protocol from Python (default); browser: Chromium")
    parser.add_argument("--pattern", choices=("burst", "committee"), default="burst",
                        help="burst: all sessions change at once (worst case); committee: every 2–6 s each")
    parser.add_argument("--sessions", default="1,5,10,20", help="comma-separated N")
    parser.add_argument("--moves", type=int, default=5, help="lever moves per session")
    parser.add_argument("--moves1", type=int, default=30,
                        help="ws: lever moves in the one-session round (its p95 is the yardstick, so more samples)")
    parser.add_argument("--savers", type=int, default=3, help="sessions per round that save a scenario")
    parser.add_argument("--cache", choices=("cold", "shared"), default="cold",
                        help="ws: cold gives each session its own model inputs (no shared cache hits)")
    parser.add_argument("--gap", type=float, default=1.0, help="burst: seconds between bursts")
    parser.add_argument("--profile", help="directory for py-spy raw profiles of the server, one per round")
    parser.add_argument("--seed", type=int, default=12, help="random seed (committee pauses)")
    parser.add_argument("--json", help="write the rounds to this file")
    parser.add_argument("--app", default="app.py",
                        help="entry script beside app.py (to try a variant of the app, e.g. with a run lock)")
    parser.add_argument("--servers", type=int, default=1,
                        help="ws: K server processes, session i on server i mod K (each its own user DB)")
    parser.add_argument("--baseline", action="store_true",
                        help="ws: the same rounds against bench/baseline_app.py (one slider, one chart)")
    parser.add_argument("--queue-max-wait", type=float, default=None,
                        help="the app's run queue valve in seconds (ui/runqueue.py); 0 switches the queue off")
    parser.add_argument("--validate", action="store_true",
                        help="only check that a ws client and Chromium see the same tile for LINK, before and after a move")
    args = parser.parse_args(argv)
    args.sessions = [int(n) for n in args.sessions.split(",")]
    random.seed(args.seed)
    if args.baseline:
        global LINK, SLIDER, TILE, SLIDER_RANGE  # noqa: PLW0603 - one run, one target page
        LINK, SLIDER, TILE, SLIDER_RANGE = BASELINE["link"], BASELINE["slider"], None, BASELINE["range"]
        args.app, args.clients, args.cache, args.savers = BASELINE["app"], "ws", "shared", 0
    if args.servers > 1 and (args.clients == "browser" or args.validate):
        raise SystemExit("--servers applies to the ws clients only")
    if (args.clients == "browser" or args.validate) and not os.access(CHROMIUM, os.X_OK):
        raise SystemExit(f"{CHROMIUM} is not installed")
    if args.profile:
        Path(args.profile).mkdir(parents=True, exist_ok=True)
    rounds = asyncio.run(main_async(args))
    if args.validate:
        return 0
    if args.json:
        Path(args.json).write_text(json.dumps(rounds, ensure_ascii=False, indent=1))
    report(rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
