"""The docs follow the registries: every lever of every page is listed in its docs page, as the code has it.

Like Datasette's documentation tests: the lever tables in docs/*.md are written from the lever registry
(tools/lever_docs.py), and this test fails when a lever, its link key, unit, default or basis changed
without the docs, or when a new parameters class has no docs page.
"""

from __future__ import annotations

import pytest

from core.params import levers
from tools import lever_docs


def test_every_parameters_class_has_a_docs_page():
    assert set(lever_docs.DOCS) == set(lever_docs.lever_classes()), (
        "Ny eller fjernet parameterklasse: legg den inn i tools/lever_docs.DOCS og kjør python -m tools.lever_docs")


@pytest.mark.parametrize("name", sorted(lever_docs.DOCS))
def test_each_class_has_its_table_in_its_docs_page(name):
    text = (lever_docs.ROOT / lever_docs.DOCS[name]).read_text(encoding="utf-8")
    assert f"<!-- spaker: {name} -->" in text


@pytest.mark.parametrize("name", sorted(lever_docs.DOCS))
def test_every_lever_appears_with_its_link_key_in_its_docs_page(name):
    cls = lever_docs.lever_classes()[name]
    text = (lever_docs.ROOT / lever_docs.DOCS[name]).read_text(encoding="utf-8")
    missing = [lv.name for lv in levers(cls) if f"`{lv.name}`" not in text or lv.label not in text]
    assert not missing, f"{lever_docs.DOCS[name]} mangler spakene {missing}: kjør python -m tools.lever_docs"


def test_the_tables_are_current(capsys):
    assert lever_docs.main(["--check"]) == 0, capsys.readouterr().out


def test_a_changed_lever_makes_the_table_stale():
    name = "core.economy.EconomyParams"
    text = (lever_docs.ROOT / lever_docs.DOCS[name]).read_text(encoding="utf-8")
    assert lever_docs.render(text, lever_docs.lever_classes()) == text
    edited = text.replace("`salary`", "`salary_old`")
    assert lever_docs.render(edited, lever_docs.lever_classes()) == text  # the generator restores it
