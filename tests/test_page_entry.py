"""The page protocol (ui/page_entry.py): each page in ui.shell.PAGES declares its own export and slides.

The export (ui/export_view.py, ui/export_pages.py) and the presentation (ui/presentation.py) ask the
page list for a page's export or slides instead of importing every page, so that adding a page is one
file plus one line in the shell. These tests hold that in place:

- every declared provider resolves (its module imports, the name is callable, with the protocol's
  parameters), and the pages that declare an export are exactly the pages that offer one;
- a page that declares None gets no export expander and adds no slides;
- the shared modules import no page's own module (read from the source, so the hub cannot grow back),
  and the shell's references, counted as imports, make no cycle.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from tests.test_import_graph import ROOT, cycles, graph, imported_names, modules
from ui import export_pages, export_view, page_entry, presentation, shell
from ui.page_entry import PageEntry

PAGES = shell.PAGES
EXPORTS = [p for p in PAGES if p.export]
SLIDES = [p for p in PAGES if p.slides]
HUBS = ("ui.export_pages", "ui.export_view", "ui.presentation")


def test_the_page_list_is_page_entries_with_unique_links_and_existing_scripts():
    assert PAGES and all(isinstance(p, PageEntry) for p in PAGES)
    assert len({p.url for p in PAGES}) == len(PAGES) and len({p.path for p in PAGES}) == len(PAGES)
    for p in PAGES:
        assert (ROOT / p.path).is_file(), p.path
        assert p.url == Path(p.path).stem, p  # the link is the script's name (saved scenarios use it)
    assert sorted(p.path for p in PAGES) == sorted(f"pages/{f.name}" for f in (ROOT / "pages").glob("*.py"))


def test_pages_with_and_without_export_and_slides():
    """The protocol's two fields are optional: pages without them declare None (Oversikt has neither)."""
    assert EXPORTS and SLIDES and set(SLIDES) <= set(EXPORTS)
    assert shell.PAGES[0].url == "oversikt" and shell.PAGES[0].export is None and shell.PAGES[0].slides is None
    for p in PAGES:
        assert (p.export_provider() is None) == (p.export is None)
        assert (p.slides_provider() is None) == (p.slides is None)


@pytest.mark.parametrize("page", EXPORTS, ids=lambda p: p.url)
def test_each_declared_export_resolves(page):
    """`export(page, knr, kommune, *values)`, in the page's own module ui/<topic>_export.py."""
    module, _, name = page.export.partition(":")
    assert re.fullmatch(r"ui\.[a-z]+_export", module) and name == "export", page.export
    provider = page.export_provider()
    assert callable(provider) and provider is page_entry.resolve(page.export)
    assert list(inspect.signature(provider).parameters)[:3] == ["page", "knr", "kommune"]


@pytest.mark.parametrize("page", SLIDES, ids=lambda p: p.url)
def test_each_declared_slides_resolves(page):
    """`slides(knr, content)`, in the page's own module ui/<topic>_slides.py."""
    module, _, name = page.slides.partition(":")
    assert re.fullmatch(r"ui\.[a-z]+_slides", module) and name == "slides", page.slides
    provider = page.slides_provider()
    assert callable(provider)
    assert list(inspect.signature(provider).parameters) == ["knr", "content"]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.url)
def test_a_page_offers_its_export_exactly_when_it_declares_one(page):
    """The page script ends with export_view.offer("<its link>", ...) if and only if the shell declares its
    export; no page reaches an export builder or the expander any other way."""
    script = (ROOT / page.path).read_text(encoding="utf-8")
    offers = re.findall(r'export_view\.offer\("([a-z]+)"', script)
    assert offers == ([page.url] if page.export else []), page.path
    assert "export_pages" not in script and "_export" not in script.replace("export_view", ""), page.path


def test_a_bad_reference_is_refused():
    with pytest.raises(ValueError):
        page_entry.resolve("ui.economy_export")
    with pytest.raises(TypeError):
        page_entry.resolve("ui.capacity_export:CHARTS")
    with pytest.raises(KeyError):
        page_entry.find(PAGES, "finnes_ikke")


# --- export and presentation ask the page list -------------------------------------------------------------

def fake_export(page, knr, kommune, *values):
    """A stand-in page export (referenced as "tests.test_page_entry:fake_export")."""
    return export_pages.PageExport(lambda name, description, data_version: (page.url, knr, kommune, values),
                                   {"figur": ("Figur", {})}, title="Tittel", note="Merknad")


def fake_slides(knr, content):
    """A stand-in page's slides (referenced as "tests.test_page_entry:fake_slides")."""
    return [presentation.Slide(f"{knr}: {sorted(content)}", "")]


@pytest.fixture
def sections(monkeypatch):
    """Every call of export_view.section, instead of drawing."""
    calls = []
    monkeypatch.setattr(export_view, "section", lambda *args, **kwargs: calls.append((args, kwargs)))
    return calls


def test_offer_draws_nothing_for_a_page_without_export(sections):
    for page in PAGES:
        if page.export is None:
            export_view.offer(page.url, "4631", "Alver")
    assert sections == []


def test_offer_hands_the_page_values_to_its_declared_export(sections, monkeypatch):
    pages = (PageEntry("pages/a.py", "A", ":material/dashboard:", "a", export="tests.test_page_entry:fake_export"),
             PageEntry("pages/b.py", "B", ":material/dashboard:", "b"))
    monkeypatch.setattr(shell, "PAGES", pages)
    export_view.offer("b", "4631", "Alver", 1, 2)
    assert sections == []
    export_view.offer("a", "4631", "Alver", 1, 2)
    (args, kwargs), = sections
    knr, kommune, url, build, charts = args
    assert (knr, kommune, url) == ("4631", "Alver", "a") and list(charts) == ["figur"]
    assert build("navn", "", "v1") == ("a", "4631", "Alver", (1, 2))
    assert kwargs == {"title": "Tittel", "note": "Merknad"}


def test_page_slides_come_from_the_pages_the_scenario_holds_in_the_shells_order():
    pages = (PageEntry("pages/vert.py", "Vert", "", "vert", slides="tests.test_page_entry:fake_slides"),
             PageEntry("pages/uten.py", "Uten", "", "uten"),
             PageEntry("pages/med.py", "Med", "", "med", slides="tests.test_page_entry:fake_slides"),
             PageEntry("pages/ikke.py", "Ikke", "", "ikke", slides="tests.test_page_entry:fake_slides"))
    content = {"vert": {}, "uten": {"x": "1"}, "med": {"y": "2"}}
    shown = presentation.page_slides(pages, "4631", content, host="vert")
    assert [s.title for s in shown] == ["4631: ['med', 'uten', 'vert']"]  # not the host, not a page left out
    assert presentation.page_slides(pages, "4631", {}, host="vert") == []
    assert presentation.page_slides(PAGES, "4631", {"oversikt": {}, "data": {}}, host="kapasitet") == []


# --- the hubs stay gone ------------------------------------------------------------------------------------

SHARED = {"ui.export_view", "ui.verdict_text", "ui.meeting_tiles"}  # named like a page's, shared by all


def page_modules() -> set[str]:
    """The ui modules that belong to one page (the naming rule in ui/__init__.py): <topic>_view, _export,
    _slides, _text and meeting_<topic>, and every module the shell names as a page's export or slides."""
    own = {name for name in modules() if name.startswith("ui.")
           and re.search(r"(_view|_export|_slides|_text)$|\.meeting_", name)} - SHARED
    return own | {ref.partition(":")[0] for p in PAGES for ref in (p.export, p.slides) if ref}


def test_page_modules_are_found():
    found = page_modules()
    assert {"ui.capacity_view", "ui.economy_export", "ui.capacity_slides", "ui.duties_text",
            "ui.meeting_capacity"} <= found
    assert not found & {"ui.export_view", "ui.presentation", "ui.export_pages", "ui.shell"}


@pytest.mark.parametrize("hub", HUBS)
def test_export_and_presentation_import_no_page(hub):
    """ui/export_pages.py, ui/export_view.py and ui/presentation.py ask the page list (ui.shell.PAGES);
    they import no page's own module, not even inside a function."""
    assert not sorted(graph()[hub] & page_modules())
    assert not {i for i in imported_names(hub, modules()[hub]) if i.split(".")[0] == "pages"}


def test_the_shells_references_make_no_import_cycle():
    """A reference "module:function" is an import the reader must count too: with the shell's references
    as edges from ui.shell, the ui modules still import each other in no circle."""
    edges = dict(graph())
    edges["ui.shell"] = edges["ui.shell"] | {ref.partition(":")[0] for p in PAGES for ref in (p.export, p.slides)
                                             if ref}
    found = cycles(edges, "ui.")
    assert not found, "\n".join(" → ".join(path) for path in found)
