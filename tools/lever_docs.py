"""The lever tables in docs/: every lever of every page, written from the lever registry.

    python -m tools.lever_docs          rewrite the tables in docs/*.md
    python -m tools.lever_docs --check  exit 1 if a table is stale (tests/test_docs_registry.py does this)

Each docs page that explains a page's levers holds one block per parameters class:

    <!-- spaker: core.capacity.CapacityParams -->
    | Spak | Lenkenøkkel | Enhet | Standard | Grunnlag |
    ...
    <!-- /spaker -->

The table is generated, so a new lever shows up in its docs page with its label, link key, unit,
default and what the default rests on; a new parameters class needs one line in DOCS below.
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
import re
import sys
from pathlib import Path

import core
from core import fmt
from core.params import CHOICE, EXAMPLE, Lever, levers

ROOT = Path(__file__).resolve().parent.parent

# Parameters class → the docs page that explains its levers.
DOCS: dict[str, str] = {
    "core.capacity.CapacityParams": "docs/fastlegekapasitet.md",
    "core.economy.EconomyParams": "docs/okonomi.md",
    "core.offices.AbsenceParams": "docs/kontorstruktur.md",
    "core.duties.SharedParams": "docs/legeoppgaver.md",
    "core.duties.NursingHomeParams": "docs/legeoppgaver.md",
    "core.duties.LegevaktParams": "docs/legeoppgaver.md",
    "core.duties.HealthStationParams": "docs/legeoppgaver.md",
    "core.duties.TotalParams": "docs/legeoppgaver.md",
}

BLOCK = re.compile(r"<!-- spaker: (?P<cls>[\w.]+) -->\n.*?<!-- /spaker -->", re.DOTALL)
BASIS_TEXT = {EXAMPLE: "eksempel uten kilde", CHOICE: "valg"}


def lever_classes() -> dict[str, type]:
    """Every parameters class with levers in core/, by dotted name (found by walking the package)."""
    found: dict[str, type] = {}
    for info in pkgutil.iter_modules(core.__path__):
        module = importlib.import_module(f"core.{info.name}")
        for obj in vars(module).values():
            if (isinstance(obj, type) and dataclasses.is_dataclass(obj) and obj.__module__ == module.__name__
                    and levers(obj)):
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return dict(sorted(found.items()))


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ").strip()


def _default(lv: Lever) -> str:
    if lv.default_from:
        return "kommunens tall"
    if lv.kind == "bool":
        return "på" if lv.default else "av"
    if lv.kind == "choice":
        return str(lv.default)
    value = lv.default * lv.display_scale
    if lv.unit == "år" and float(value).is_integer():
        return str(int(value))  # a year, not «2 025»
    decimals = 0 if float(value).is_integer() else len(f"{value:.4g}".partition(".")[2])
    return fmt.number(value, decimals)


def _unit(lv: Lever) -> str:
    return "%" if lv.display_scale == 100 and lv.unit == "andel" else lv.unit


def table(cls: type) -> str:
    """The markdown table of one class's levers."""
    rows = ["| Spak | Lenkenøkkel | Enhet | Standard | Grunnlag |", "|---|---|---|---|---|"]
    for lv in levers(cls):
        label = f"{lv.group}: {lv.label}" if lv.group else lv.label
        basis = BASIS_TEXT.get(lv.basis, "kilde: " + lv.source)
        rows.append("| " + " | ".join(_cell(c) for c in (label, f"`{lv.name}`", _unit(lv), _default(lv), basis))
                    + " |")
    return "\n".join(rows)


def block(name: str, cls: type) -> str:
    return f"<!-- spaker: {name} -->\n{table(cls)}\n<!-- /spaker -->"


def render(text: str, classes: dict[str, type]) -> str:
    """`text` with every lever block rewritten from the registry."""
    return BLOCK.sub(lambda m: block(m["cls"], classes[m["cls"]]), text)


def main(argv: list[str]) -> int:
    classes = lever_classes()
    stale = []
    for path in sorted(set(DOCS.values())):
        file = ROOT / path
        old = file.read_text(encoding="utf-8")
        new = render(old, classes)
        if new != old:
            stale.append(path)
            if "--check" not in argv:
                file.write_text(new, encoding="utf-8")
    if stale:
        print(("Utdaterte spaketabeller: " if "--check" in argv else "Skrev ") + ", ".join(stale))
    return 1 if stale and "--check" in argv else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
