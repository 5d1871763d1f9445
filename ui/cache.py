"""One cache decorator for ui/: st.cache_data, keyed on the målform in force and on the imported data in force.

A cached result that holds text (a chart's title, legend and tooltips, a table's headers, an Excel template)
belongs to one målform (core.i18n), and one computed from statistics belongs to the imports in force
(ui.loaders.imports_version: '' without imports, else the user database and its active batch ids; an import,
a restore or a reactivation changes it, from this app or from the command line). `@cached` adds both to the
key itself, so a caller passes only its own arguments, never `maalform()` or `imports_version()`:

    @cached(max_entries=64)
    def chart(long: pd.DataFrame, label: str) -> dict:
        return compare.compare_chart(long, label).to_dict()

Options are st.cache_data's (max_entries, ttl, show_spinner: False unless given; arguments named with a
leading underscore are not hashed, as there). `shared=True` keeps one object for all sessions without copying
it (functools.lru_cache, so hashable arguments only; max_entries is its size): for chart dicts read on every
rerun, which components.chart copies before it changes anything. `f.clear()` empties the cache.

In use in ui/compare_slides.py, ui/data_view.py, ui/duties_view.py, ui/meeting_legeoppgaver.py,
ui/meeting_kontor.py, ui/meeting_okonomi.py, ui/specs.py and pages/scenarioer.py. To follow: ui/loaders.py
(its _key_figures, _national_trend, _comparison, _starting_point, _demography_source and _national_table
still take imports_version() and maalform() from their public wrappers), ui/kontor.py, ui/tiltak.py and
ui/economy_view.py (the same by hand). imports_version() itself stays in ui/loaders.py, read here at call time
(loaders will use this module, so it is not imported at module level).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar, overload

import streamlit as st

from core.i18n import maalform

P = ParamSpec("P")
R = TypeVar("R")

# the key's two parts, passed to the cached function as keywords (hashed by st.cache_data: no leading underscore)
MAALFORM_KEY = "maalform_in_force"
IMPORTS_KEY = "imports_in_force"


def imports_version() -> str:
    """The imports in force (ui.loaders.imports_version): the second part of every key."""
    from ui import loaders  # at call time: ui.loaders is to use this module

    return loaders.imports_version()


def key() -> tuple[str, str]:
    """(målform, imports version) in force: what @cached adds to a function's own arguments."""
    return maalform(), imports_version()


@overload
def cached(func: Callable[P, R], /) -> Callable[P, R]: ...


@overload
def cached(*, shared: bool = False, **options: Any) -> Callable[[Callable[P, R]], Callable[P, R]]: ...


def cached(func: Callable[P, R] | None = None, /, *, shared: bool = False, **options: Any) -> Any:
    """Cache `func` per argument values, målform in force and imports in force (module docstring)."""

    def wrap(f: Callable[P, R]) -> Callable[P, R]:
        def keyed(*args: Any, **kwargs: Any) -> R:
            kwargs.pop(MAALFORM_KEY)
            kwargs.pop(IMPORTS_KEY)
            return f(*args, **kwargs)

        # f's name, module and source name the cache (st.cache_data keys a function by them; __wrapped__ also
        # gives it f's parameter names, so f's underscore arguments stay unhashed)
        functools.update_wrapper(keyed, f)
        if shared:
            store: Any = functools.lru_cache(maxsize=options.pop("max_entries", 512))(keyed)
            if options:
                raise TypeError(f"cached(shared=True) takes max_entries only, not {sorted(options)}")
        else:
            options.setdefault("show_spinner", False)
            store = st.cache_data(**options)(keyed)

        @functools.wraps(f)
        def call(*args: P.args, **kwargs: P.kwargs) -> R:
            code, imports = key()
            return store(*args, **kwargs, **{MAALFORM_KEY: code, IMPORTS_KEY: imports})

        call.clear = store.cache_clear if shared else store.clear  # type: ignore[attr-defined]
        return call

    return wrap(func) if func is not None else wrap
