"""The one cache decorator for ui/ and pages/: keyed on the målform in force and on the imported data in force.

A cached result that holds text (a chart's title, legend and tooltips, a table's headers, an Excel template)
belongs to one målform (core.i18n), and one computed from statistics belongs to the imports in force
(imports_version below: '' without imports, else the user database and its active batch ids; an import, a
restore or a reactivation changes it, from this app or from the command line). `@cached` adds both to the
key itself, so a function takes only its own arguments and a caller never passes `maalform()` or
`imports_version()` (tests/test_cache.py fails on a cached function with such an argument):

    @cached(max_entries=64)
    def chart(long: pd.DataFrame, label: str) -> dict:
        return compare.compare_chart(long, label).to_dict()

Three ways to keep a result:

- `@cached(...)`: st.cache_data, a copy for every caller. Options are st.cache_data's (max_entries, ttl,
  show_spinner: False unless given, an N_-marked text is shown in the målform in force; arguments named with a
  leading underscore are not hashed, as there).
- `@cached(shared=True, ...)`: one object for all sessions, never copied (functools.lru_cache keyed on Python's
  own hash, so hashable arguments only, e.g. frozen dataclasses; max_entries is its size): for results read
  several times on every rerun (capacity results, chart dicts that components.chart copies before it changes
  them). Read it, never change it.
- `@resource(...)`: st.cache_resource, one object per server with no målform and no imports in the key: only
  for what depends on neither, built once from the bundled database (the connection, the kommune registry, the
  national projection). Streamlit builds it once even when sessions start together and shows its spinner.

A result that holds no text says so with `text=False` (one entry serves both målformer: the national view,
a population path), one that reads no imported data with `imports=False` (the economy charts, the bundled
reference cases); left out, both are in the key, which is never wrong, only sometimes slower. `f.clear()`
empties a function's cache.

Every module in ui/, pages/ and app.py caches through this one: none calls st.cache_data, st.cache_resource or
functools' caches itself, and no cached function takes the målform or the imports as an argument
(tests/test_cache.py). Two plain dicts remain, for keys that are not argument values: ui.components' chart
tables (keyed on the identity of a shared spec; its docstring says why) and ui.scenario's scenario lists
(dropped on every write). This module imports no other ui module, so ui.loaders can use it without a cycle.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar, overload

import duckdb
import streamlit as st

from core import db, overlay
from core.i18n import maalform, t

P = ParamSpec("P")
R = TypeVar("R")

# the key's two parts, passed to the cached function as keywords (hashed by st.cache_data: no leading underscore)
MAALFORM_KEY = "maalform_in_force"
IMPORTS_KEY = "imports_in_force"


class Spinner(str):
    """A cache's spinner text (N_-marked), shown in the målform in force when it shows."""

    def __str__(self) -> str:
        return t(str.__str__(self))


def _spinner(options: dict[str, Any]) -> None:
    """st.cache_*'s show_spinner: False unless given; a text is translated when it shows."""
    text = options.setdefault("show_spinner", False)
    if isinstance(text, str) and not isinstance(text, Spinner):
        options["show_spinner"] = Spinner(text)


# --- the imports in force: the key's second part -----------------------------------------------------

IMPORTS_TTL_SHARED = 3.0  # seconds, on the PostgreSQL store shared by several processes
IMPORTS_TTL = 60.0  # seconds: read the active batches again at the latest after this, even if the files look the same
_imports_seen: dict[str, tuple[tuple, float, str]] = {}  # user database path → (file signature, read at, version)


def _file_signature(path: Path) -> tuple:
    """(modification time, size) of the user database and its write-ahead log: changes on every write."""
    out = []
    for p in (path, path.with_name(path.name + ".wal")):
        try:
            st_ = p.stat()
            out.append((st_.st_mtime_ns, st_.st_size))
        except OSError:
            out.append(None)
    return tuple(out)


def imports_version() -> str:
    """'' when no 12005/07459 import is in force, else the user database and its active batch ids.

    The active batches are read again only when the user database's files have changed (two stat calls:
    microseconds per call), after imports_changed(), or after IMPORTS_TTL seconds. An import or a restore,
    from this app or from the command line, thus reaches every page at the next run: every @cached function
    has the version in its key; without imports the caches are the bundled ones.

    On the PostgreSQL store (LEGEPLAN_USER_DB_URL) there is no file to look at and other processes import
    too: the active batches are read again after IMPORTS_TTL_SHARED seconds.
    """
    url = db.user_db_url()
    path = db.user_db_path()
    signature = ("postgresql", 1) if url else _file_signature(path)  # (never None: the store is there)
    now = time.monotonic()
    seen = _imports_seen.get(str(path))
    ttl = IMPORTS_TTL_SHARED if url else IMPORTS_TTL
    if seen is not None and seen[0] == signature and now - seen[1] < ttl:
        return seen[2]
    version = seen[2] if seen is not None else ""
    if signature[0] is None:
        version = ""
    else:
        try:
            with db.connect_user(None if url else path) as con:
                ids = overlay.active_batches(con)
            version = f"{path}#{','.join(map(str, ids))}" if ids else ""
        except (duckdb.Error, OSError):  # locked by an importing process, say: keep what was in force
            signature = ()  # and read again at the next run
    _imports_seen[str(path)] = (signature, now, version)
    return version


def imports_changed() -> None:
    """Call after an import, a restore or a reactivation: the next imports_version() reads the database."""
    _imports_seen.clear()


def key() -> tuple[str, str]:
    """(målform, imports version) in force: what @cached adds to a function's own arguments."""
    return maalform(), imports_version()


# --- the decorators ------------------------------------------------------------------------------------

@overload
def cached(func: Callable[P, R], /) -> Callable[P, R]: ...


@overload
def cached(*, shared: bool = False, text: bool = True, imports: bool = True,
           **options: Any) -> Callable[[Callable[P, R]], Callable[P, R]]: ...


def cached(func: Callable[P, R] | None = None, /, *, shared: bool = False, text: bool = True, imports: bool = True,
           **options: Any) -> Any:
    """Cache `func` per argument values, målform in force and imports in force (module docstring).

    `text=False`: the result holds no text (the målform stays out of the key); `imports=False`: it reads no
    imported data (the imports stay out of the key).
    """

    def wrap(f: Callable[P, R]) -> Callable[P, R]:
        def keyed(*args: Any, **kwargs: Any) -> R:
            kwargs.pop(MAALFORM_KEY, None)
            kwargs.pop(IMPORTS_KEY, None)
            return f(*args, **kwargs)

        # f's name, module and source name the cache (st.cache_data keys a function by them; __wrapped__ also
        # gives it f's parameter names, so f's underscore arguments stay unhashed)
        functools.update_wrapper(keyed, f)
        if shared:
            store: Any = functools.lru_cache(maxsize=options.pop("max_entries", 512))(keyed)
            if options:
                raise TypeError(f"cached(shared=True) takes max_entries only, not {sorted(options)}")
        else:
            _spinner(options)
            store = st.cache_data(**options)(keyed)

        @functools.wraps(f)
        def call(*args: P.args, **kwargs: P.kwargs) -> R:
            if text:
                kwargs[MAALFORM_KEY] = maalform()  # type: ignore[index]
            if imports:
                kwargs[IMPORTS_KEY] = imports_version()  # type: ignore[index]
            return store(*args, **kwargs)

        call.clear = store.cache_clear if shared else store.clear  # type: ignore[attr-defined]
        return call

    return wrap(func) if func is not None else wrap


@overload
def resource(func: Callable[P, R], /) -> Callable[P, R]: ...


@overload
def resource(**options: Any) -> Callable[[Callable[P, R]], Callable[P, R]]: ...


def resource(func: Callable[P, R] | None = None, /, **options: Any) -> Any:
    """st.cache_resource for an object that depends on neither the målform nor the imports (module docstring):
    one per server and argument values, shared without copying. Options are st.cache_resource's (show_spinner:
    False unless given, an N_-marked text shown in the målform in force)."""
    _spinner(options)
    return st.cache_resource(**options)(func) if func is not None else st.cache_resource(**options)
