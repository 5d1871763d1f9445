"""Norwegian number and date formatting: 1 234,5; 12,3 %; 3 693 850 kr; 25.11.2026 12:03; 'ikke tilgjengelig'
for missing values.

The only place where shares become percent, counts get thousands separators and dates become text
(tests/test_one_formatter.py fails on a hand-made format elsewhere in core/, ui/ and pages/). No streamlit.
"""

from __future__ import annotations

import datetime as _dt
import math

from core.i18n import N_, t

NBSP = "\u00a0"
MINUS = "\u2212"  # the typographic minus: the PDF and messages that quote a number write it; screens write '-'
DATE = "%d.%m.%Y"  # 25.11.2026
TIME = "%H:%M"  # 12:03
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


def number(x: float | None, decimals: int = 0, sign: bool = False, *, trim: bool = False, minus: str = "-",
           group: str = NBSP) -> str:
    """A number in Norwegian format: space for thousands, comma for decimals.

    `trim` drops trailing zeros of the decimals (2,50 → 2,5; 3,00 → 3: a value quoted in a message);
    `minus` is the sign of a negative number ('-', or MINUS in print); `group` the thousands separator
    (an ordinary space where the message around it writes its numbers so: the import checks' limits).
    """
    if _is_missing(x):
        return missing()
    value = round(float(x), decimals)  # type: ignore[arg-type]
    if value == 0:
        value = 0.0  # no "-0"
    text = f"{abs(value):,.{decimals}f}".replace(",", group).replace(".", ",")
    if trim and "," in text:
        text = text.rstrip("0").rstrip(",")
    if value < 0:
        return minus + text
    if sign:
        return ("±" if value == 0 else "+") + text
    return text


def percent(share: float | None, decimals: int = 1, sign: bool = False, *, minus: str = "-") -> str:
    """A share (fraction) as Norwegian percent: 0.046 → '4,6 %'."""
    if _is_missing(share):
        return missing()
    return number(float(share) * 100.0, decimals, sign, minus=minus) + NBSP + "%"  # type: ignore[arg-type]


def points(share_change: float | None, decimals: int = 1) -> str:
    """A change in a share as percentage points: 0.012 → '+1,2 prosentpoeng'."""
    if _is_missing(share_change):
        return missing()
    return number(float(share_change) * 100.0, decimals, sign=True) + NBSP + t("prosentpoeng")  # type: ignore[arg-type]


def kroner(x: float | None, ore: bool = False) -> str:
    """Kroner: '3 693 850 kr'; with `ore`, øre where the amount has them: '442 kr', '12,50 kr' (a rate)."""
    if _is_missing(x):
        return missing()
    if ore:
        return number(x, 2).removesuffix(",00") + NBSP + "kr"
    return number(x) + NBSP + "kr"


def million_kroner(x: float | None, decimals: int = 1) -> str:
    """Kroner in millions: 8 912 000 → '8,9 mill. kr'."""
    if _is_missing(x):
        return missing()
    return number(float(x) / 1e6, decimals) + NBSP + "mill." + NBSP + "kr"  # type: ignore[arg-type]


def as_read(x: float) -> str:
    """A value as the user's file wrote it, to quote a rejected cell back so it can be found there:
    12.5, -5, 7000000 (deliberately not in Norwegian format)."""
    value = float(x)
    return str(int(value)) if value.is_integer() else repr(value)


def _when(x: _dt.date | str) -> _dt.date:
    return _dt.datetime.fromisoformat(x) if isinstance(x, str) else x


def date(x: _dt.date | str, pattern: str = DATE) -> str:
    """A date (or time stamp, or ISO text) in Norwegian form: '25.11.2026'; `pattern` is a chart's own
    strftime/d3 time format (core.charts), e.g. '%Y'."""
    return _when(x).strftime(pattern)


def clock(x: _dt.datetime | str) -> str:
    """The time of day of a time stamp: '12:03'."""
    return _when(x).strftime(TIME)


def date_time(x: _dt.datetime | str, *, seconds: bool = False) -> str:
    """A time stamp as saved scenarios and imports are named: '25.11.2026 12:03' (with seconds, as the
    audit log shows it: '25.11.2026 12:03:07')."""
    return _when(x).strftime(DATE + " " + TIME + (":%S" if seconds else ""))


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
