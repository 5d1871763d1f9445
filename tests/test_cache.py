"""ui.cache.cached: one cache decorator, keyed on the målform in force and on the imports in force."""

from __future__ import annotations

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
