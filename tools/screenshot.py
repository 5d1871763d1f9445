"""Screenshot app pages in headless Chromium (python -m tools.screenshot URL_PATH... --out DIR).

Starts nothing: point it at a running app (default http://localhost:8501). Used to look at
what a page really shows before calling it done.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
# Every visible chart has drawn something (Vega draws after Streamlit reports "done").
WAIT_FOR_CHARTS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-testid="stSkeleton"], [data-testid="stSpinner"]')) return false;
  const charts = Array.from(document.querySelectorAll('[data-testid="stVegaLiteChart"]'))
    .filter(e => e.offsetParent !== null);
  return charts.every(e => e.querySelectorAll('path, canvas').length > 0);
}"""
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def main(argv: list[str] | None = None) -> int:
    """Take one PNG per URL path; wait for the app to finish running first."""
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="+", help="e.g. '/?kommune=4631'")
    parser.add_argument("--base", default="http://localhost:8501")
    parser.add_argument("--out", type=Path, default=Path("/tmp/legeplan-shots"))
    parser.add_argument("--height", type=int, default=3600)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": args.height})
        for i, path in enumerate(args.paths):
            page.goto(args.base + path)
            page.wait_for_selector('[data-testid="stMain"] h1', timeout=60000)
            page.wait_for_function(
                "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60000)
            page.wait_for_function(WAIT_FOR_CHARTS, timeout=60000)
            page.wait_for_timeout(500)
            target = args.out / f"shot{i}.png"
            page.screenshot(path=str(target))
            print(target)
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
