"""The reference cases: the kommuner whose own documents Legeplan starts from (Alver 2021, Stavanger 2023,
Øyer), as one registry.

The registry is read from data/reference_cases.csv, the figures transcribed from the documents in
data/documents/ (one row per figure; provenance in data/README.md). Its key columns say which cases there
are and, for each, the kommune it belongs to, the document it comes from and the year its figures are
for; every page that switches kommune with a case, seeds a register from one or picks one by default
asks here instead of keeping its own map. Adding a case's figures to the file adds the case.

The file is read once, on first use, never at import. Pure Python: no streamlit, no database.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CSV = Path(__file__).resolve().parent.parent / "data" / "reference_cases.csv"


@dataclass(frozen=True)
class ReferenceCase:
    """One reference case as the registry knows it."""

    key: str  # case_id in the CSV, e.g. "alver_2021"; also the value pages keep in the URL
    kommunenummer: str  # four digits, 2024 division
    document: str  # file name without .txt under data/documents/ (titles in data/documents/README.md)
    year: int | None  # the year most of its figures are for (the later on a tie); None if undated (Øyer)


def read(path: Path = CSV) -> dict[str, ReferenceCase]:
    """Case key → ReferenceCase, in the order the cases first appear in the file.

    A case must name one kommune and one document in all its rows; a file that does not is refused
    (ValueError naming the case), since a page would otherwise switch to the wrong kommune.
    """
    kommuner: dict[str, set[str]] = {}
    documents: dict[str, set[str]] = {}
    years: dict[str, Counter[int]] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            key = row["case_id"].strip()
            kommuner.setdefault(key, set()).add(row["kommunenummer"].strip().zfill(4))
            documents.setdefault(key, set()).add(row["document"].strip())
            counted = years.setdefault(key, Counter())
            if row["year"].strip():
                counted[int(row["year"])] += 1
    out = {}
    for key in kommuner:
        if len(kommuner[key]) != 1 or len(documents[key]) != 1:
            raise ValueError(f"reference case {key!r} names {sorted(kommuner[key])} and {sorted(documents[key])} "
                             f"in {path.name}: one kommune and one document per case")
        common = years[key].most_common()
        year = max(y for y, n in common if n == common[0][1]) if common else None
        out[key] = ReferenceCase(key, next(iter(kommuner[key])), next(iter(documents[key])), year)
    return out


@cache
def _registry() -> dict[str, ReferenceCase]:
    return read(CSV)


def cases() -> tuple[str, ...]:
    """Every reference case key, in the file's order."""
    return tuple(_registry())


def case(key: str) -> ReferenceCase:
    """The reference case `key` (KeyError for a key that is no reference case)."""
    return _registry()[key]


def kommune_of(key: str) -> str | None:
    """The kommunenummer the case belongs to, or None when `key` is no reference case (a page's own
    choices such as «ssb» or «egne» belong to no kommune)."""
    found = _registry().get(key)
    return found.kommunenummer if found else None


def year_of(key: str) -> int | None:
    """The year the case's figures are for (Alver 2021: 2021, Stavanger 2023: 2023); None if undated."""
    return case(key).year


def document_of(key: str) -> str:
    """The case's document: its file name without .txt under data/documents/."""
    return case(key).document


def belongs_to(key: str, kommunenummer: str) -> bool:
    """True when `key` is a reference case of that kommune (a page's default choice for it)."""
    return kommune_of(key) == kommunenummer
