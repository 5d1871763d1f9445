"""One registry of levers: each parameter's name, label, unit, range, default and source once.

A parameters class is a frozen dataclass whose fields are declared with `lever(...)`. The field
name is also the URL key and the widget key, so a link always reproduces a view. Parsing a link
never raises: bad values are clamped or dropped with a Norwegian message.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pandas as pd

from core import fmt
from core.i18n import t

P = TypeVar("P")

MAX_URL_VALUE_LEN = 40
_UNSAFE = re.compile(r"[^0-9A-Za-zÆØÅæøåÁáČčĐđŊŋŠšŦŧŽž ,.\-]")


def is_blank(x: object) -> bool:
    """True for a cell the user left empty: None, NA/NaN, or only spaces."""
    if x is None or x is pd.NA:
        return True
    if isinstance(x, str):
        return x.strip() == ""
    try:
        return bool(pd.isna(x))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return False


def sanitize(raw: object, limit: int = 30) -> str:
    """User-supplied text made safe to show in markdown: letters, digits, space, , . - only."""
    text = _UNSAFE.sub("", str(raw))[:limit].strip()
    return text or t("(tomt)")


_TYPED_SPACES = re.compile(r"[\s\u00a0\u202f']")
_TYPED_NUMBER = re.compile(r"-?(\d+(\.\d*)?|\.\d+)")
_THOUSANDS_DOTS = re.compile(r"-?\d{1,3}(\.\d{3})+")


def parse_typed_number(text: object, integer: bool = False) -> float | None:
    """A number as a Norwegian user types it, or None: «1 234,5», «1234.5», «2,5», «−3», «4 000 kr».

    Comma or point is the decimal sign (where both occur, the last one is); spaces separate
    thousands; for whole numbers, points between groups of three do too («1.000.000»). Never NaN
    or infinite.
    """
    s = _TYPED_SPACES.sub("", str(text)).lower().replace("\u2212", "-").replace("\u2013", "-")
    for unit in ("kr.", "kr", "%"):
        s = s.removesuffix(unit)
    if "," in s and "." in s:
        decimal = "," if s.rfind(",") > s.rfind(".") else "."
        s = s.replace("." if decimal == "," else ",", "").replace(",", ".")
    elif "," in s:
        s = s.replace(",", ".") if s.count(",") == 1 else ""
    elif s.count(".") > 1 or (integer and _THOUSANDS_DOTS.fullmatch(s)):
        s = s.replace(".", "") if _THOUSANDS_DOTS.fullmatch(s) else ""
    if not _TYPED_NUMBER.fullmatch(s):
        return None
    value = float(s)
    return value if math.isfinite(value) else None


# What a lever's default rests on (Lever.basis). Every default is one of these, and says so where it
# is shown: tests/test_lever_basis.py reads every lever of every page.
SOURCED = "kilde"  # a named publication, the kommune's statistics or its own case document
EXAMPLE = "eksempel"  # an assumption without a source: shown as an example wherever it is shown
CHOICE = "valg"  # a neutral start (no change) or a view setting: no claim about the world
BASES = (SOURCED, EXAMPLE, CHOICE)

# How a lever is drawn (Lever.widget; "" derives it, see Lever.widget_kind). ui/levers.py draws each kind.
SLIDER = "slider"  # drag or arrow keys, one step per key press
NUMBER = "number"  # a typed field that reads «2,5» (ui/number_field.py)
SLIDER_NUMBER = "slider+number"  # a slider with the exact value typed beside it, both bound to one value
TOGGLE = "toggle"  # on/off (bool levers)
SELECT = "select"  # one of the lever's options
WIDGETS = (SLIDER, NUMBER, SLIDER_NUMBER, TOGGLE, SELECT)
MAX_SLIDER_STEPS = 400  # a derived slider has at most this many steps; wider ranges are typed


@dataclass(frozen=True)
class Lever:
    """A model parameter the user may change: its label, unit, bounds, default and source."""

    label: str
    unit: str
    default: Any
    source: str
    min: float | None = None
    max: float | None = None
    step: float | None = None
    help: str = ""
    group: str = ""
    options: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()  # earlier field names, still read from old links and saved scenarios
    default_from: str = ""  # attribute of the starting point that gives a kommune-specific default
    display_scale: float = 1.0  # widgets show value × scale (100 for shares shown in percent)
    basis: str = SOURCED  # SOURCED, EXAMPLE or CHOICE: what the default rests on
    widget: str = ""  # one of WIDGETS, or "" to derive it (Lever.widget_kind)
    name: str = ""  # filled in from the dataclass field

    @property
    def is_example(self) -> bool:
        """True when the default is an assumption without a source (to be shown as an example)."""
        return self.basis == EXAMPLE

    @property
    def kind(self) -> str:
        """'bool', 'choice', 'int' or 'float', derived from the default."""
        if isinstance(self.default, bool):
            return "bool"
        if self.options:
            return "choice"
        if isinstance(self.default, int):
            return "int"
        return "float"

    def __post_init__(self) -> None:
        if self.widget and self.widget not in WIDGETS:
            raise ValueError(f"{self.label}: ukjent widget {self.widget!r} (ett av {WIDGETS})")
        fits = {"bool": (TOGGLE,), "choice": (SELECT,)}.get(self.kind, (SLIDER, NUMBER, SLIDER_NUMBER))
        if self.widget and self.widget not in fits:
            raise ValueError(f"{self.label}: widget {self.widget!r} passer ikke en spak av typen {self.kind}")

    @property
    def widget_kind(self) -> str:
        """How the lever is drawn: its declared `widget`, or, when that is empty, the one derived rule.

        The rule: a bool is a TOGGLE, a lever with options a SELECT; a number without both bounds is a
        typed NUMBER field; a year, or a number whose registry range has at most MAX_SLIDER_STEPS steps,
        is a SLIDER; a wider range is a typed NUMBER (a slider over thousands of steps cannot be set to a
        chosen value). Declare SLIDER_NUMBER where a value must be both dragged and set exactly.
        """
        if self.kind == "bool":
            return TOGGLE
        if self.kind == "choice":
            return SELECT
        if self.widget in (SLIDER, NUMBER, SLIDER_NUMBER):
            return self.widget
        if self.min is None or self.max is None:
            return NUMBER
        step = self.step or (1 if self.kind == "int" else 0.1)
        return SLIDER if self.unit == "år" or (self.max - self.min) / step <= MAX_SLIDER_STEPS else NUMBER

    def within(self, bounds: Mapping[str, tuple[float, float]] | None) -> Lever:
        """This lever with the range `bounds` gives it (e.g. one fitted to the kommune), else unchanged."""
        if not bounds or self.name not in bounds or self.kind not in ("int", "float"):
            return self
        lo, hi = bounds[self.name]
        return dataclasses.replace(self, min=lo, max=hi)


def lever(**kwargs: Any) -> Any:
    """A dataclass field whose default and metadata come from one Lever definition."""
    lv = Lever(**kwargs)
    return field(default=lv.default, metadata={"lever": lv})


def levers(cls_or_obj: Any) -> list[Lever]:
    """The levers of a parameters class, in field order, with their names filled in."""
    cls = cls_or_obj if isinstance(cls_or_obj, type) else type(cls_or_obj)
    return list(_levers_of(cls))


@functools.cache
def _levers_of(cls: type) -> tuple[Lever, ...]:
    out = []
    for f in dataclasses.fields(cls):
        lv = f.metadata.get("lever")
        if lv is not None:
            out.append(dataclasses.replace(lv, name=f.name))
    return tuple(out)


def resolve_name(cls_or_obj: Any, name: str) -> str | None:
    """The lever a key of a link or a saved scenario means: its own name, or the lever that lists the key
    in its `aliases` (it was renamed); None for a key that is no lever of the class."""
    cls = cls_or_obj if isinstance(cls_or_obj, type) else type(cls_or_obj)
    return _names_of(cls).get(name)


@functools.cache
def _names_of(cls: type) -> dict[str, str]:
    """Every name a lever of `cls` answers to → the lever's name; an alias used twice is an error."""
    names = {lv.name: lv.name for lv in _levers_of(cls)}
    for lv in _levers_of(cls):
        for old in lv.aliases:
            if old in names:
                raise ValueError(f"{cls.__name__}.{lv.name}: the alias {old!r} already names {names[old]!r}")
            names[old] = lv.name
    return names


def canonical(cls_or_obj: Any, raw: Mapping[str, object]) -> dict[str, object]:
    """A link's or saved scenario's values with each old lever name (resolve_name) replaced by the current
    one; the current name wins when both are there. Keys that name no lever are kept as they are."""
    out = dict(raw)
    for key in raw:
        name = resolve_name(cls_or_obj, key)
        if name is not None and name != key:
            value = out.pop(key)
            if name not in raw:
                out.setdefault(name, value)
    return out


def _clamp(lv: Lever, value: float) -> tuple[float, bool]:
    clamped = value
    if lv.min is not None and clamped < lv.min:
        clamped = lv.min
    if lv.max is not None and clamped > lv.max:
        clamped = lv.max
    return clamped, clamped != value


def parse_value(lv: Lever, raw: object) -> tuple[Any, str | None]:
    """Parse one raw (URL) value for a lever: (value, message or None); never raises."""
    text = str(raw).strip()
    shown = sanitize(text)
    label = t(lv.label) if lv.label else lv.label
    if len(text) > MAX_URL_VALUE_LEN:
        return lv.default, t("«{label}»: verdien i lenken er for lang og ble ignorert.", label=label)
    if lv.kind == "bool":
        low = text.lower()
        if low in ("1", "true", "ja", "on"):
            return True, None
        if low in ("0", "false", "nei", "off"):
            return False, None
        return lv.default, t("«{label}»: «{shown}» er ikke ja/nei; standardverdien brukes.", label=label,
                             shown=shown)
    if lv.kind == "choice":
        if text in lv.options:
            return text, None
        return lv.default, t("«{label}»: «{shown}» er ikke et gyldig valg; standardverdien brukes.", label=label,
                             shown=shown)
    try:
        number = float(text.replace(",", ".").replace("\u00a0", "").replace(" ", ""))
    except ValueError:
        return lv.default, t("«{label}»: «{shown}» er ikke et tall; standardverdien brukes.", label=label,
                             shown=shown)
    if not math.isfinite(number):
        return lv.default, t("«{label}»: «{shown}» er ikke et endelig tall; standardverdien brukes.", label=label,
                             shown=shown)
    number, was_clamped = _clamp(lv, number)
    if lv.kind == "int":
        number = float(round(number))
    elif lv.step:  # snap to the widget's grid, as a slider would
        number = _clamp(lv, round(round(number / lv.step) * lv.step, 10))[0]
    value: Any = int(number) if lv.kind == "int" else number
    if was_clamped:
        return value, t("«{label}»: «{shown}» er utenfor tillatt område ({lo}–{hi} {unit}); {value} brukes.",
                        label=label, shown=shown, lo=_fmt_bound(lv.min, lv.unit == "år"),
                        hi=_fmt_bound(lv.max, lv.unit == "år"), unit=t(lv.unit) if lv.unit else lv.unit,
                        value=_fmt_bound(value, lv.unit == "år"))
    return value, None


def _fmt_bound(x: float | None, year: bool = False) -> str:
    """A bound as a message shows it: 1 234 and 2,5, but a year as 2025 (never «2 025»)."""
    if x is None:
        return "…"
    if year:
        return str(int(x))
    return fmt.number(x, 6, trim=True)


def from_mapping(cls: type[P], raw: Mapping[str, object], base: P | None = None,
                 bounds: Mapping[str, tuple[float, float]] | None = None) -> tuple[P, list[str]]:
    """Parameters from a mapping of strings (e.g. URL query): (params, Norwegian messages).

    `bounds` narrows (or widens) a lever's registry range, e.g. to the kommune's (core.capacity.lever_bounds):
    a value outside it is clamped with the same message as one outside the registry range. A lever renamed
    since the link or scenario was made is read from its old name (Lever.aliases, see `canonical`).
    """
    obj = base if base is not None else cls()
    changes: dict[str, Any] = {}
    messages: list[str] = [t(msg) for key, msg in getattr(cls, "RETIRED", {}).items() if key in raw]
    raw = canonical(cls, raw)
    for lv in levers(cls):
        if lv.name not in raw:
            continue
        value, msg = parse_value(lv.within(bounds), raw[lv.name])
        changes[lv.name] = value
        if msg:
            messages.append(msg)
    return dataclasses.replace(obj, **changes), messages  # type: ignore[type-var]


def with_defaults_from(cls: type[P], source: object, **fixed: Any) -> P:
    """Parameters whose `default_from` levers take their default from `source` (e.g. a base)."""
    values: dict[str, Any] = {}
    for lv in levers(cls):
        if lv.default_from and hasattr(source, lv.default_from):
            raw = getattr(source, lv.default_from)
            value, _ = parse_value(lv, raw)
            values[lv.name] = value
    values.update(fixed)
    return cls(**values)


def to_mapping(params: Any, reference: Any = None) -> dict[str, str]:
    """URL values for the levers that differ from `reference` (default: the registry defaults)."""
    out = {}
    for lv in levers(params):
        value = getattr(params, lv.name)
        default = getattr(reference, lv.name) if reference is not None else lv.default
        if value == default:
            continue
        if isinstance(value, bool):
            out[lv.name] = "1" if value else "0"
        elif isinstance(value, float) and value.is_integer():
            out[lv.name] = str(int(value))
        else:
            out[lv.name] = str(value)
    return out
