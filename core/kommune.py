"""Resolve what a user or a link says ('4631', '301', 'Alver') to a current kommune number."""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import pandas as pd

from core.i18n import t
from core.params import sanitize

DEFAULT_KOMMUNE = "4631"  # Alver: the project's first reference case


@dataclass(frozen=True)
class Lookup:
    """A kommune table made into dicts once: numbers, names (casefolded) → number, number → display name."""

    numbers: frozenset[str]
    by_name: dict[str, str]
    names: dict[str, str]

    @classmethod
    def from_frame(cls, kommuner: pd.DataFrame) -> Lookup:
        """The lookup of a `kommune` table (kommunenummer, name, display_name)."""
        knrs = [str(k) for k in kommuner["kommunenummer"]]
        by_name = {str(n).casefold(): k for k, n in zip(knrs, kommuner["display_name"], strict=True)}
        by_name.update({str(n).casefold(): k for k, n in zip(knrs, kommuner["name"], strict=True)})
        names = {}
        for k, n in zip(knrs, kommuner["display_name"], strict=True):
            names.setdefault(k, str(n))
        return cls(frozenset(knrs), by_name, names)


# One lookup per kommune table (per data version: the table object the caller holds), built on first use
# and dropped with the table. Before, every call rebuilt it: 2.6 ms per unknown region of an upload
# (a 20 MB file of unknown regions took ~38 minutes; bench/upload_budget.py).
_LOOKUPS: dict[int, tuple[weakref.ref, Lookup]] = {}


def lookup(kommuner: pd.DataFrame) -> Lookup:
    """The lookup for this kommune table, built once for as long as the table lives."""
    key = id(kommuner)
    hit = _LOOKUPS.get(key)
    if hit is not None and hit[0]() is kommuner:  # a shared table is never changed in place (ui.loaders)
        return hit[1]
    built = Lookup.from_frame(kommuner)
    try:
        ref = weakref.ref(kommuner, lambda _ref, key=key: _LOOKUPS.pop(key, None))
    except TypeError:  # pragma: no cover - a table that takes no weak reference: not kept
        return built
    _LOOKUPS[key] = (ref, built)
    return built


def resolve(raw: object, kommuner: pd.DataFrame, default: str = DEFAULT_KOMMUNE) -> tuple[str, str | None]:
    """(kommunenummer, Norwegian message or None) for a raw value; unknown → default + message."""
    if raw is None or str(raw).strip() == "":
        return default, None
    table = lookup(kommuner)
    text = str(raw).strip()
    if text.isdigit() and len(text) <= 4:
        candidate = text.zfill(4)
        if candidate in table.numbers:
            return candidate, None
        return default, t("Fant ingen kommune med nummer {number} i kommuneinndelingen fra 2024. "
                          "Viser {name} i stedet.", number=sanitize(text), name=table.names.get(default, default))
    hit = table.by_name.get(text.casefold())
    if hit is not None:
        return hit, None
    return default, t("«{value}» er ikke et gyldig kommunenummer eller kommunenavn. Viser {name} i stedet.",
                      value=sanitize(text), name=table.names.get(default, default))
