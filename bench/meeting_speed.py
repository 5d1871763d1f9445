"""How fast the meeting view answers a lever, in a real browser (issue 19, «Speed»).

    python -m bench.meeting_speed [--moves 40] [--json PATH]

Starts `streamlit run app.py` on a free local port (LEGEPLAN_USER_DB at a temporary file) and drives
Debian's headless Chromium with Playwright at 1920×1080 and 1366×768. In each view the «Nye hjemler»
slider (the baseline: bench/baseline_app.py's one slider) gets the keyboard focus and is moved one step
right, then left, MOVES times; timed is the span from the key press to the tile showing its new value
with the app's run finished and the next animation frame drawn (the chart has been redrawn by then).

Views: the meeting view (/kapasitet?kommune=4631&mote=1), the normal Fastlegekapasitet page, and the
baseline app (one slider, one Altair chart, started as its own server) in the same run – machines are
shared and noisy, so the ratio to the baseline is the number to compare over time.
Goal (issue 19): p95 ≤ 250 ms in the meeting view at both sizes. Always exits 0: a report, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.screenshot import ARGS, CHROMIUM, WAIT_FOR_CHARTS  # noqa: E402
from tools.server import free_port, healthy  # noqa: E402

SIZES = ((1920, 1080), (1366, 768))
GOAL_MS = 250.0
VIEWS = {  # name → (script, path, slider's accessible name, tile whose value must change)
    "møtevisning": ("app.py", "/kapasitet?malform=nb&kommune=4631&mote=1", "Nye hjemler", "Dekning 2040"),
    "side": ("app.py", "/kapasitet?malform=nb&kommune=4631", "Nye hjemler", "Dekning 2040"),
    "baseline": ("bench/baseline_app.py", "/", None, None),
}

# The text of the first tile whose label starts with `label` (or of the first tile at all).
TILE_TEXT = """(label) => {
  const tiles = Array.from(document.querySelectorAll('[data-testid="stMetric"]'));
  const tile = label ? tiles.find(t => (t.querySelector('[data-testid="stMetricLabel"]')?.innerText || '')
                                          .startsWith(label)) : tiles[0];
  const value = tile ? tile.querySelector('[data-testid="stMetricValue"]') : null;
  return value ? value.innerText : (document.querySelector('[data-testid="stMarkdownContainer"]')?.innerText || '');
}"""
# Before each key press: note when the app starts a run (a fast run flips the state between two polls).
WATCH_RUN = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  window.__legeplanRan = false;
  if (window.__legeplanObserver) window.__legeplanObserver.disconnect();
  window.__legeplanObserver = new MutationObserver(() => {
    if (app.getAttribute('data-test-script-state') === 'running') window.__legeplanRan = true;
  });
  window.__legeplanObserver.observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
}"""
CHANGED_AND_DONE = f"""([label, before]) => {{
  const app = document.querySelector('[data-testid="stApp"]');
  if (!window.__legeplanRan || !app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  return label === null || ({TILE_TEXT})(label) !== before;
}}"""
NEXT_FRAME = "() => new Promise(r => requestAnimationFrame(() => r(true)))"


@contextmanager
def server(script: str) -> Iterator[str]:
    """`streamlit run script` on a free port (own process group, own user database); yields its URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    tmp = tempfile.mkdtemp(prefix="legeplan-mote-")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        env={**os.environ, "LEGEPLAN_USER_DB": str(Path(tmp) / "brukerdata.duckdb")})
    try:
        deadline = time.monotonic() + 90
        while not healthy(url):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{script} did not start")
            time.sleep(0.2)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)


def summary(values: Sequence[float]) -> dict[str, float | int | None]:
    """Median and p95 in ms (nearest rank), and the count."""
    if not values:
        return {"n": 0, "median_ms": None, "p95_ms": None}
    ranked = sorted(values)
    p95 = ranked[min(len(ranked) - 1, max(0, round(0.95 * len(ranked)) - 1))]
    return {"n": len(values), "median_ms": round(statistics.median(values), 1), "p95_ms": round(p95, 1)}


def measure(browser, url: str, size: tuple[int, int], slider_name: str | None, tile: str | None,
            moves: int) -> tuple[list[float], list[int]]:
    """Key press → tile changed, run finished, next frame drawn; `moves` times (right, left, …). Returns the
    times in ms and the moves that got no answer within 10 s."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale="nb-NO")
    page = context.new_page()
    try:
        page.goto(url)
        page.wait_for_timeout(1000)
        page.wait_for_function(WAIT_FOR_CHARTS, timeout=90_000)
        slider = (page.get_by_role("slider", name=re.compile("^" + slider_name + "(?! fra)")) if slider_name
                  else page.get_by_role("slider").first)
        slider.focus()
        times: list[float] = []
        failures: list[int] = []
        for i in range(moves + 2):  # the first two warm the caches for both values
            before = page.evaluate(TILE_TEXT, tile)
            page.evaluate(WATCH_RUN)
            start = time.perf_counter()
            page.keyboard.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
            try:
                page.wait_for_function(CHANGED_AND_DONE, arg=[tile, before], timeout=10_000, polling="raf")
            except PlaywrightTimeout:  # no answer within 10 s: counted, and the slider gets the focus again
                failures.append(i)
                page.wait_for_timeout(500)
                slider.focus()
                continue
            page.evaluate(NEXT_FRAME)
            if i >= 2:
                times.append((time.perf_counter() - start) * 1000)
            page.wait_for_timeout(150)
        return times, failures
    finally:
        context.close()


def main(argv: Sequence[str] | None = None) -> int:
    """Measure every view at both sizes; print a table and write JSON if asked."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--moves", type=int, default=40)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    results: dict[str, dict] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for script in dict.fromkeys(v[0] for v in VIEWS.values()):
                with server(script) as url:
                    for name, (s, path, slider, tile) in VIEWS.items():
                        if s != script:
                            continue
                        for size in SIZES:
                            key = f"{name} {size[0]}×{size[1]}"
                            times, failures = measure(browser, url + path, size, slider, tile, args.moves)
                            results[key] = {**summary(times), "no_answer": len(failures)}
                            print(key, results[key], flush=True)
        finally:
            browser.close()
    print()
    print(f"{'Visning':<26}{'Median (ms)':>12}{'p95 (ms)':>10}{'p95 / baseline':>16}{'Uten svar':>11}  "
          f"Mål p95 ≤ {GOAL_MS:.0f} ms")
    for key, stats in results.items():
        size = key.split(" ", 1)[1]
        base = results.get(f"baseline {size}", {}).get("p95_ms")
        ratio = f"{stats['p95_ms'] / base:.2f}".replace(".", ",") if base and stats["p95_ms"] else "–"
        goal = ("nådd" if stats["p95_ms"] is not None and stats["p95_ms"] <= GOAL_MS else "ikke nådd") \
            if key.startswith("møtevisning") else ""
        print(f"{key:<26}{stats['median_ms']!s:>12}{stats['p95_ms']!s:>10}{ratio:>16}{stats['no_answer']:>11}  {goal}")
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
