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


# --- pages: every page in the shell's list has its docs page, which names it -----------------------------

def _pages():
    from ui import shell

    return shell.PAGES


@pytest.mark.parametrize("page", _pages(), ids=lambda p: p.url)
def test_every_page_has_a_docs_page_that_names_it(page):
    assert page.docs, f"{page.path}: PageEntry(docs=...) mangler (ui/shell.py)"
    path = lever_docs.ROOT / page.docs
    assert path.is_file(), f"{page.path}: {page.docs} finnes ikke"
    assert str(page.title) in path.read_text(encoding="utf-8"), f"{page.docs} nevner ikke siden «{page.title}»"


@pytest.mark.parametrize("page", _pages(), ids=lambda p: p.url)
def test_every_page_is_in_the_readme_with_a_link_to_its_docs_page(page):
    readme = (lever_docs.ROOT / "README.md").read_text(encoding="utf-8")
    assert f"**{page.title}**" in readme or f"«{page.title}»" in readme, f"README.md nevner ikke siden «{page.title}»"
    assert page.docs in readme, f"README.md lenker ikke til {page.docs}"


def test_the_lever_classes_docs_pages_are_pages_of_the_app():
    """A lever table sits in the docs page of a page that exists (or in the economy page, shared by the meeting)."""
    page_docs = {p.docs for p in _pages()}
    assert set(lever_docs.DOCS.values()) <= page_docs, set(lever_docs.DOCS.values()) - page_docs


def test_the_recipes_name_the_files_they_send_a_developer_to():
    """docs/utvikling.md: every file or module path it names exists (a renamed module makes the recipe fail)."""
    import re

    text = (lever_docs.ROOT / "docs" / "utvikling.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:core|ui|pages|data|tests|tools|docs)/[\w./-]+\.(?:py|md|csv|json))`", text))
    assert len(named) >= 15
    ignore = {"docs/ny.md", "pages/ny.py", "ui/ny_view.py", "ui/ny_export.py", "core/lang/nn/ny.json",
              "tests/test_app_ny.py"}  # the recipe's example page
    missing = sorted(p for p in named - ignore if "<" not in p and not (lever_docs.ROOT / p).exists())
    assert not missing, f"docs/utvikling.md nevner filer som ikke finnes: {missing}"
