"""Resolve what a user or a link says ('4631', '301', 'Alver') to a current kommune number."""

from __future__ import annotations

import pandas as pd

from core.i18n import t
from core.params import sanitize

DEFAULT_KOMMUNE = "4631"  # Alver: the project's first reference case


def resolve(raw: object, kommuner: pd.DataFrame, default: str = DEFAULT_KOMMUNE) -> tuple[str, str | None]:
    """(kommunenummer, Norwegian message or None) for a raw value; unknown → default + message."""
    numbers = set(kommuner["kommunenummer"])
    default_name = _name(kommuner, default)
    if raw is None or str(raw).strip() == "":
        return default, None
    text = str(raw).strip()
    if text.isdigit() and len(text) <= 4:
        candidate = text.zfill(4)
        if candidate in numbers:
            return candidate, None
        return default, t("Fant ingen kommune med nummer {number} i kommuneinndelingen fra 2024. "
                          "Viser {name} i stedet.", number=sanitize(text), name=default_name)
    by_name = {str(n).casefold(): k for k, n in zip(kommuner["kommunenummer"], kommuner["display_name"], strict=True)}
    by_name.update({str(n).casefold(): k for k, n in zip(kommuner["kommunenummer"], kommuner["name"], strict=True)})
    if text.casefold() in by_name:
        return by_name[text.casefold()], None
    return default, t("«{value}» er ikke et gyldig kommunenummer eller kommunenavn. Viser {name} i stedet.",
                      value=sanitize(text), name=default_name)


def _name(kommuner: pd.DataFrame, knr: str) -> str:
    hit = kommuner.loc[kommuner["kommunenummer"] == knr, "display_name"]
    return str(hit.iloc[0]) if len(hit) else knr
