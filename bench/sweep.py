"""Every page for every kommune: render with AppTest and list what a user should never see.

    python -m bench.sweep [--pages kapasitet,okonomi] [--kommuner 0301,1144] [--limit 40]
                          [--variants standard,maks,min] [--jsonl PATH]

For each page × kommune the page is opened as a link would open it (?kommune=…), then, for the
variants "maks" and "min", up to MAX_LEVERS lever widgets (sliders, number inputs) are moved to
their maximum or minimum, toggles are flipped, the page's own URL choices set to their last or
first option and its lazy expanders (export, tables built only when opened) opened, and the page is
run again. Each render is checked for

* an exception (also one raised by AppTest itself),
* "nan", "None", "inf" or "Traceback" in any text a user reads (tiles, markdown, captions,
  messages) or in a table cell (a missing cell shows as "None" in st.dataframe),
* an empty chart: a Vega-Lite chart whose datasets and inline data have no rows at all.

Prints one line per problem (page, kommune, variant, what) and a summary: renders, failures,
time. With --limit N the kommuner are an even sample of N across the list (always including the
first and last). It is a report, not a test: it always exits 0 (tests/test_robustness.py runs a
fixed sample as a test).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
TIMEOUT = 120
MAX_LEVERS = 3
VARIANTS = ("standard", "maks", "min")
# The pages' own URL choices (ui.state.url_choice); "start" is left alone, as a reference case
# switches to another kommune.
URL_CHOICES = ("indikator", "kart_indikator", "alternative", "aar", "sammenlign_tall", "referanse",
               "periode", "legecase", "kontor_start")


def page_files() -> dict[str, str]:
    """URL name → page file, in the app's order (ui.shell.PAGES)."""
    from ui.shell import PAGES

    return {p.url: p.path for p in PAGES}


def all_kommuner() -> list[str]:
    """Every current kommune's number, in order."""
    from core import db
    from core import indicators as ind

    con = db.connect()
    try:
        return list(ind.kommuner(con)["kommunenummer"])
    finally:
        con.close()


def sample(items: list[str], limit: int | None) -> list[str]:
    """An even sample of `limit` items (first and last included); all if limit is None."""
    if limit is None or limit >= len(items):
        return items
    if limit <= 1:
        return items[:limit]
    step = (len(items) - 1) / (limit - 1)
    return list(dict.fromkeys(items[round(i * step)] for i in range(limit)))


# --- what a user sees ------------------------------------------------------------------------------


def walk(node) -> Iterator:
    """Every element of an AppTest element tree."""
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from walk(child)


def _rows(arrow_bytes: bytes) -> int:
    import pyarrow as pa

    if not arrow_bytes:
        return 0
    return pa.ipc.open_stream(arrow_bytes).read_all().num_rows


def empty_charts(at) -> list[str]:
    """The keys (or "uten nøkkel") of Vega-Lite charts whose data have no rows at all."""
    empty = []
    for node in walk(at._tree):
        if node.type not in ("vega_lite_chart", "arrow_vega_lite_chart"):
            continue
        proto = node.proto
        rows = sum(_rows(d.data.data) for d in proto.datasets)
        rows += _rows(proto.data.data) if proto.HasField("data") else 0
        spec = json.loads(proto.spec or "{}")
        rows += _inline_rows(spec)
        if rows == 0:
            empty.append(getattr(node, "key", None) or proto.alt[:40] or "uten nøkkel")
    return empty


def _inline_rows(spec: object) -> int:
    """Rows given inline in a spec ("values": [...]) anywhere in it, e.g. in layers."""
    if isinstance(spec, dict):
        here = spec.get("values") if isinstance(spec.get("values"), list) else []
        return len(here) + sum(_inline_rows(v) for k, v in spec.items() if k != "values")
    if isinstance(spec, list):
        return sum(_inline_rows(v) for v in spec)
    return 0


def shown_text(at) -> str:
    """Every text a user reads, tables' cells included."""
    from tests.apptest_util import visible_text

    parts = [visible_text(at)]
    for kind in ("dataframe", "table"):
        for el in getattr(at, kind, []):
            parts.append(_cells(el.value))
    return "\n".join(parts)


def _cells(frame) -> str:
    """A table's cells as shown: a missing cell reads "None" in st.dataframe."""
    try:
        frame = frame.to_pandas() if hasattr(frame, "to_pandas") else frame
        shown = frame.astype(object).where(frame.notna(), "None")
        return shown.to_csv(index=False)
    except Exception:  # noqa: BLE001 - an odd table is reported by its text, not by crashing
        return str(frame)


def problems(at) -> list[str]:
    """What is wrong with a render, in words (empty if nothing)."""
    from tests.apptest_util import BAD_SHOWN

    found = [f"unntak: {e.message.splitlines()[0][:160]}" for e in at.exception]
    text = shown_text(at)
    for match in BAD_SHOWN.finditer(text):
        start = max(0, match.start() - 50)
        context = " ".join(text[start:match.end() + 30].split())
        found.append(f"viser {match.group(0)!r}: …{context}…")
        if len(found) > 5:
            break
    found += [f"tomt diagram: {key}" for key in empty_charts(at)]
    return found


# --- rendering -------------------------------------------------------------------------------------


def open_page(page_file: str, **query: str):
    """A fresh AppTest of `page_file` opened as a link with `query` would open it (not yet run)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page(page_file)
    return at


def move_levers(at, variant: str) -> int:
    """Move up to MAX_LEVERS levers to their max ("maks") or min ("min"); returns how many."""
    from ui.number_field import TEXT_SUFFIX

    moved = 0
    for kind in ("slider", "number_input"):
        for w in getattr(at, kind):
            if moved >= MAX_LEVERS or not str(w.key or "").startswith("lv_"):
                continue
            target = w.max if variant == "maks" else w.min
            if target is None or w.value == target:
                continue
            w.set_value(target)
            moved += 1
    for w in at.text_input:  # Norwegian number fields (ui.number_field): type far past the bound,
        key = str(w.key or "")  # the field sets it to the bound with a message
        if moved < MAX_LEVERS and key.startswith("lv_") and key.endswith(TEXT_SUFFIX):
            w.set_value("1 000 000 000" if variant == "maks" else "-1 000 000 000")
            moved += 1
    for w in at.toggle:
        if str(w.key or "").startswith("lv_"):
            w.set_value(not w.value)
            moved += 1
            break
    for w in at.selectbox:
        if w.key in URL_CHOICES and len(w.options) > 1:
            w.set_value(w.options[-1] if variant == "maks" else w.options[0])
            moved += 1
    from tests.apptest_util import open_lazy_expanders  # their tables and buttons exist only while open

    return moved + open_lazy_expanders(at)


@dataclass
class Render:
    page: str
    kommune: str
    variant: str
    seconds: float
    problems: list[str]


def render_page(page: str, kommune: str, variants: tuple[str, ...] = VARIANTS,
                maalform: str | None = None) -> list[Render]:
    """Open `page` for `kommune` and check it at each variant (levers moved from the defaults).

    `maalform` ('nb'/'nn') goes in the link; None leaves the kommune's default.
    """
    files = page_files()
    out = []
    query = {"kommune": kommune} | ({"malform": maalform} if maalform else {})
    at = open_page(files[page], **query)
    for variant in variants:
        t0 = time.perf_counter()
        try:
            if variant != "standard":
                if at.exception or not move_levers(at, variant):
                    continue
            at.run()
            found = problems(at)
        except Exception as e:  # noqa: BLE001 - the sweep reports, it does not stop
            found = [f"unntak i AppTest: {type(e).__name__}: {str(e).splitlines()[0][:160] if str(e) else ''}"]
        out.append(Render(page, kommune, variant, time.perf_counter() - t0, found))
        if variant == "standard" and found and any(p.startswith("unntak") for p in found):
            break
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", help="comma-separated page names (ui.shell.PAGES), default all")
    parser.add_argument("--kommuner", help="comma-separated kommunenummer, default all current")
    parser.add_argument("--limit", type=int, help="an even sample of this many kommuner")
    parser.add_argument("--variants", default=",".join(VARIANTS), help="standard,maks,min")
    parser.add_argument("--jsonl", help="append one JSON line per render to this file")
    parser.add_argument("--malform", choices=("nb", "nn"), help="open every page in this målform "
                        "(default: each kommune's own)")
    args = parser.parse_args(argv)

    os.environ.setdefault("LEGEPLAN_USER_DB", str(Path(tempfile.mkdtemp()) / "brukerdata.duckdb"))
    from streamlit import config, logger

    logger.set_log_level(logging.ERROR)

    config.set_option("global.minCachedMessageSize", 1e12)  # AppTest needs every element whole

    pages = args.pages.split(",") if args.pages else list(page_files())
    unknown = [p for p in pages if p not in page_files()]
    if unknown:
        parser.error(f"unknown pages {unknown}; known: {', '.join(page_files())}")
    kommuner = sample(args.kommuner.split(",") if args.kommuner else all_kommuner(), args.limit)
    variants = tuple(v for v in args.variants.split(",") if v)
    log = open(args.jsonl, "a", encoding="utf-8") if args.jsonl else None

    t0 = time.perf_counter()
    renders = failures = 0
    by_page: dict[str, int] = {}
    slowest: tuple[float, str] = (0.0, "")
    for kommune in kommuner:
        for page in pages:
            for r in render_page(page, kommune, variants, args.malform):
                renders += 1
                if r.seconds > slowest[0]:
                    slowest = (r.seconds, f"{page} {kommune} {r.variant}")
                if r.problems:
                    failures += 1
                    by_page[page] = by_page.get(page, 0) + 1
                    for p in r.problems:
                        print(f"{page:13} {kommune} {r.variant:8} {p}", flush=True)
                if log:
                    log.write(json.dumps(r.__dict__, ensure_ascii=False) + "\n")
                    log.flush()
    elapsed = time.perf_counter() - t0
    print(f"\n{len(kommuner)} kommuner × {len(pages)} sider × {len(variants)} varianter: "
          f"{renders} visninger, {failures} med feil, {elapsed:.0f} s "
          f"({elapsed / max(renders, 1):.2f} s per visning; tregest {slowest[0]:.1f} s: {slowest[1]})")
    if by_page:
        print("feil per side: " + ", ".join(f"{p} {n}" for p, n in sorted(by_page.items())))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
