"""ui.cache.cached: one cache decorator, keyed on the målform in force and on the imports in force."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from core import db
from core import import_store as store
from core import ssb_readers as ssb
from core.i18n import in_maalform, t
from ui import cache, loaders

HEADER = '"region";"statistikkvariabel";"år";"value"\n'


@pytest.fixture(params=[False, True], ids=["cache_data", "shared"])
def counted(request):
    """A cached function that counts its computations and returns text in the målform in force."""
    calls: list[int] = []

    @cache.cached(shared=request.param, max_entries=16)
    def label(n: int) -> str:
        calls.append(n)
        return f"{t('Nye hjemler')} {n}"

    label.clear()
    return label, calls


def test_switching_maalform_gives_a_fresh_value(counted):
    label, calls = counted
    with in_maalform("nb"):
        nb = label(1)
    with in_maalform("nn"):
        nn = label(1)
    with in_maalform("nb"):
        again = label(1)
    assert (nb, nn, again) == ("Nye hjemler 1", "Nye heimlar 1", "Nye hjemler 1")
    assert calls == [1, 1]  # once per målform, the second bokmål call from the cache
    label(2)
    assert calls == [1, 1, 2]  # the function's own arguments are still part of the key


def test_an_import_bumps_the_key(counted, con):
    label, calls = counted
    loaders.imports_changed()
    assert cache.key() == ("nb", "")  # each test has its own, empty user database (tests/conftest.py)
    label(1)
    label(1)
    assert calls == [1]
    kommuner = db.query(con, "SELECT * FROM kommune")
    parsed = ssb.parse_ssb((HEADER + '"4631 Alver";"Antall fastlegeavtaler";"2025";30\n').encode(), "12005.csv",
                          kommuner)
    with db.connect_user() as user:
        batch, problems = store.apply(user, parsed, "12005.csv", "test")
    assert batch is not None, problems
    loaders.imports_changed()  # as the Data page does after an import
    assert cache.key()[1].endswith(f"#{batch}")
    label(1)
    assert calls == [1, 1]  # computed afresh for the imports in force
    label(1)
    assert calls == [1, 1]


def test_a_module_on_the_decorator_builds_per_maalform():
    from ui import data_view

    with in_maalform("nb"):
        nb = data_view.template_xlsx()
    with in_maalform("nn"):
        nn = data_view.template_xlsx()
    assert nb != nn and data_view.template_xlsx() == nb


def test_loaders_follow_the_maalform_and_the_imports_without_being_told(con):
    """Converted wrappers: the målform and the imports reach the loaders' caches by themselves."""
    from core import economy as eco
    from ui import economy_view

    with in_maalform("nb"):
        nb = loaders.demography_source("4631", own=True), economy_view.tornado_spec(eco.defaults_for(eco.DEFAULT_PERIOD),
                                                                                   eco.DEFAULT_PERIOD)
    with in_maalform("nn"):
        nn = loaders.demography_source("4631", own=True), economy_view.tornado_spec(eco.defaults_for(eco.DEFAULT_PERIOD),
                                                                                   eco.DEFAULT_PERIOD)
    assert nb[0].startswith("Legeplans befolkningsframskriving") and nn[0].startswith("Legeplan si")
    assert nb[1] != nn[1]

    loaders.imports_changed()
    assert loaders.imported_fastlege() is None
    kommuner = db.query(con, "SELECT * FROM kommune")
    parsed = ssb.parse_ssb((HEADER + '"4631 Alver";"Antall fastlegeavtaler";"2025";30\n').encode(), "12005.csv",
                          kommuner)
    with db.connect_user() as user:
        batch, problems = store.apply(user, parsed, "12005.csv", "test")
    assert batch is not None, problems
    loaders.imports_changed()
    assert loaders.imports_version is cache.imports_version  # one owner, the old name kept for its callers
    rows = loaders.imported_fastlege()
    assert rows is not None and (rows["kommunenummer"] == "4631").any()


# --- every cache goes through ui.cache (issue 20) ------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
CACHE_MODULE = ROOT / "ui" / "cache.py"
STREAMLIT_CACHES = {"cache_data", "cache_resource"}
FUNCTOOLS_CACHES = {"lru_cache", "cache"}
CACHE_DECORATORS = {"cached", "resource"} | STREAMLIT_CACHES | FUNCTOOLS_CACHES
# what a function may not take as an argument: the målform or the imports in force, passed by hand
BY_HAND = {"maalform", "code", "lang", "imports", "version", "imports_version"}
IN_FORCE = {"maalform", "imports_version"}  # calls a caller would pass by hand


def ui_files() -> list[Path]:
    return sorted([*(ROOT / "ui").glob("*.py"), *(ROOT / "pages").glob("*.py"), ROOT / "app.py"])


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _name(node: ast.AST) -> str | None:
    """`f`, `mod.f`, `f(...)`, `mod.f(...)` → 'f'."""
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return None


def cached_functions() -> dict[tuple[str, str], ast.FunctionDef]:
    """(file, name) → every function in ui/, pages/ and app.py under a cache decorator."""
    out = {}
    for path in ui_files():
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.FunctionDef) and any(_name(d) in CACHE_DECORATORS for d in node.decorator_list):
                out[(path.relative_to(ROOT).as_posix(), node.name)] = node
    return out


def test_the_scan_finds_the_cached_functions():
    """A guard against a silent empty scan: the loaders' and the views' caches are found."""
    found = cached_functions()
    assert {("ui/loaders.py", "key_figures"), ("ui/loaders.py", "capacity_result"), ("ui/loaders.py", "connection"),
            ("ui/economy_view.py", "curve_spec"), ("ui/kontor_view.py", "reference"),
            ("ui/specs.py", "capacity_charts")} <= set(found)


def test_no_module_caches_past_ui_cache():
    """Only ui/cache.py calls st.cache_data, st.cache_resource or functools' caches; every other module in ui/,
    pages/ and app.py caches with ui.cache.cached (or ui.cache.resource for a server-wide object such as the
    statistics connection), so no cache can miss the målform or the imports in its key."""
    found = []
    for path in ui_files():
        if path == CACHE_MODULE:
            continue
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.Attribute) and (
                    (node.attr in STREAMLIT_CACHES and _name(node.value) in ("st", "streamlit"))
                    or (node.attr in FUNCTOOLS_CACHES and _name(node.value) == "functools")):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {_name(node.value)}.{node.attr}")
            elif isinstance(node, ast.ImportFrom) and node.module in ("functools", "streamlit"):
                found += [f"{path.relative_to(ROOT)}:{node.lineno} from {node.module} import {a.name}"
                          for a in node.names if a.name in STREAMLIT_CACHES | FUNCTOOLS_CACHES]
    assert not found, "cache through ui.cache.cached instead:\n" + "\n".join(found)


def test_no_cached_function_takes_the_maalform_or_the_imports_by_hand():
    """A cached function takes only its own arguments (ui.cache adds the målform and the imports in force to the
    key), and no caller passes maalform() or imports_version() to one."""
    functions = cached_functions()
    takes = sorted(f"{file} {name}({arg.arg})" for (file, name), node in functions.items()
                   for arg in [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs] if arg.arg in BY_HAND)
    assert not takes, "cached functions that take the målform or the imports by hand:\n" + "\n".join(takes)
    names = {name for _, name in functions}
    passed = []
    for path in ui_files():
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.Call) and _name(node) in names:
                args = [*node.args, *(k.value for k in node.keywords)]
                passed += [f"{path.relative_to(ROOT)}:{node.lineno} {_name(node)}(… {_name(a)}() …)"
                           for a in args if isinstance(a, ast.Call) and _name(a) in IN_FORCE]
    assert not passed, "the målform or the imports passed by hand to a cached function:\n" + "\n".join(passed)
