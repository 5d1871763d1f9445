"""Målform: every text a user sees, in bokmål and nynorsk, from one catalogue.

The bokmål text is the key (as in gettext): code writes `t("Nye hjemler")` or
`t("{n} pasienter", n=fmt.number(x))`, and the nynorsk catalogue (core/lang/nn/*.json, one file
per area of the app, merged into one dictionary) maps each bokmål text to its nynorsk form.
tests/test_i18n.py fails when a text exists in one målform only.

The målform in force is a context variable: ui.shell sets it at the start of every run (each
Streamlit session runs in its own thread, so sessions do not see each other's choice). Core code
may call `t()`; a cached function whose result holds text must take the målform as an argument.
"""

from __future__ import annotations

import contextlib
import functools
import json
import string
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from pathlib import Path

BOKMAAL = "nb"
NYNORSK = "nn"
MAALFORMER: dict[str, str] = {BOKMAAL: "Bokmål", NYNORSK: "Nynorsk"}
CATALOGUE_DIR = Path(__file__).resolve().parent / "lang"

_current: ContextVar[str | None] = ContextVar("maalform", default=None)
_fallback: list[Callable[[], str | None]] = []  # where a thread that has set no målform finds one


def maalform() -> str:
    """The målform in force: 'nb' or 'nn' (the thread's, else the fallback's, else bokmål)."""
    code = _current.get()
    if code is None and _fallback:
        code = _fallback[0]()
    return code if code in MAALFORMER else BOKMAAL


def set_fallback(provider: Callable[[], str | None]) -> None:
    """Where threads that have set no målform find it: Streamlit runs a widget's callback before the
    script, in a fresh thread, so a message made there («Lagret …») would be bokmål in a nynorsk
    session. ui.state gives the session's målform; None (no session) means bokmål."""
    _fallback[:] = [provider]


def set_maalform(code: str) -> None:
    """Put `code` ('nb' or 'nn'; anything else means bokmål) in force for this thread."""
    _current.set(code if code in MAALFORMER else BOKMAAL)


@contextlib.contextmanager
def in_maalform(code: str) -> Iterator[None]:
    """Run a block in målform `code` (exports, tests), then put the previous one back."""
    token = _current.set(code if code in MAALFORMER else BOKMAAL)
    try:
        yield
    finally:
        _current.reset(token)


@functools.cache
def catalogue(code: str = NYNORSK) -> dict[str, str]:
    """Bokmål text → text in målform `code`, merged from core/lang/<code>/*.json."""
    merged: dict[str, str] = {}
    for path in sorted((CATALOGUE_DIR / code).glob("*.json")):
        for key, value in json.loads(path.read_text(encoding="utf-8")).items():
            if key in merged and merged[key] != value:
                raise ValueError(f"{path.name}: «{key}» er oversatt ulikt i to filer")
            merged[key] = value
    return merged


def t(text: str, /, **values: object) -> str:
    """`text` (bokmål) in the målform in force, with its {name} placeholders filled in."""
    code = maalform()
    if code != BOKMAAL:
        text = catalogue(code).get(text, text)
    return text.format(**values) if values else text


def placeholders(text: str) -> set[str]:
    """The {name} placeholders of a catalogue text (to check both målformer have the same)."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def N_(text: str, /) -> str:
    """Mark a text kept in a constant for the catalogue; translate it with t() where it is shown."""
    return text
