"""Norwegian number formatting: 1 234,5; 12,3 %; 'ikke tilgjengelig' for missing values.

The only place where shares become percent and counts get thousands separators.
"""

from __future__ import annotations

import math

from core.i18n import N_, t

NBSP = "\u00a0"
MISSING = N_("ikke tilgjengelig")  # shown as t(MISSING): missing() gives it in the målform in force


def missing() -> str:
    """'ikke tilgjengelig' in the målform in force."""
    return t(MISSING)


def _is_missing(x: object) -> bool:
    if x is None or isinstance(x, (str, bool)):
        return True
    try:
        return not math.isfinite(float(x))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


def number(x: float | None, decimals: int = 0, sign: bool = False) -> str:
    """A number in Norwegian format: space for thousands, comma for decimals."""
    if _is_missing(x):
        return missing()
    value = round(float(x), decimals)  # type: ignore[arg-type]
    if value == 0:
        value = 0.0  # no "-0"
    text = f"{abs(value):,.{decimals}f}".replace(",", NBSP).replace(".", ",")
    if value < 0:
        return "-" + text
    if sign:
        return ("±" if value == 0 else "+") + text
    return text


def percent(share: float | None, decimals: int = 1, sign: bool = False) -> str:
    """A share (fraction) as Norwegian percent: 0.046 → '4,6 %'."""
    if _is_missing(share):
        return missing()
    return number(float(share) * 100.0, decimals, sign) + NBSP + "%"  # type: ignore[arg-type]


def points(share_change: float | None, decimals: int = 1) -> str:
    """A change in a share as percentage points: 0.012 → '+1,2 prosentpoeng'."""
    if _is_missing(share_change):
        return missing()
    return number(float(share_change) * 100.0, decimals, sign=True) + NBSP + t("prosentpoeng")  # type: ignore[arg-type]


def kroner(x: float | None) -> str:
    """Kroner: '3 693 850 kr'."""
    if _is_missing(x):
        return missing()
    return number(x) + NBSP + "kr"


UNIT_DECIMALS = {"count": 0, "persons": 0, "index": 0, "persons per list": 0, "per resident": 2}


def value(x: float | None, unit: str, decimals: int | None = None) -> str:
    """A value in the display form of its unit ('share' as percent, the rest as numbers); `decimals` (a
    glossary quantity's, core.glossary) overrides the unit's."""
    if unit == "share":
        return percent(x) if decimals is None else percent(x, decimals)
    return number(x, UNIT_DECIMALS.get(unit, 1) if decimals is None else decimals)


def change(x: float | None, unit: str, decimals: int | None = None) -> str | None:
    """A year-on-year change for a tile's delta, or None when there is none (`decimals` overrides the unit's)."""
    if _is_missing(x):
        return None
    if unit == "share":
        return points(x) if decimals is None else points(x, decimals)
    return number(x, UNIT_DECIMALS.get(unit, 1) if decimals is None else decimals, sign=True)


def quantity(key: str, x: float | None, sign: bool = False) -> str:
    """A quantity of the glossary (core.glossary, not a share) with its decimals, the same everywhere: 99,9."""
    from core.glossary import decimals

    return number(x, decimals(key), sign)
