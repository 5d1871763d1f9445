"""One page of the app as the shell lists it (ui.shell.PAGES), with the export and slides it declares.

A page declares what the shared screens need from it, so that they ask the page list instead of
importing every page:

- `export`: the page's «Eksporter til saksframlegg». The page script ends with
  `ui.export_view.offer("<link>", knr, kommune, *values)`, which calls it as
  `export(page, knr, kommune, *values)` and draws the expander for the `ui.export_pages.PageExport` it
  returns (the Report and the files are built only when a file is asked for).
- `slides`: the page's key points in a scenario's presentation (Fastlegekapasitet's `?presentasjon=1`,
  ui.presentation.page_slides), called as `slides(knr, content)` with the scenario's saved choices
  (`content`: page link → its query) and only when the scenario holds this page's choices. It returns
  a list of `ui.presentation.Slide`.

Both are references, "module:function", imported on first use: the shell names them without importing
the page modules (a page's export module is loaded when that page first runs, a slides module when a
presentation first shows it). None means the page has none.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PageEntry:
    """A page: its script, title (a msgid, shown through core.i18n.t), icon, link, docs page and providers."""

    path: str  # the script, e.g. "pages/okonomi.py"
    title: str  # N_("Økonomi")
    icon: str  # ":material/payments:"
    url: str  # the link's path and the page's key in a saved scenario, e.g. "okonomi"
    docs: str = ""  # the page's documentation, e.g. "docs/okonomi.md" (tests/test_docs_registry.py)
    export: str | None = None  # "ui.economy_export:export"
    slides: str | None = None  # "ui.economy_slides:slides"

    def export_provider(self) -> Callable[..., Any] | None:
        """The page's export function, imported now; None when the page has no export."""
        return resolve(self.export) if self.export else None

    def slides_provider(self) -> Callable[..., Any] | None:
        """The page's slides function, imported now; None when the page has no slides."""
        return resolve(self.slides) if self.slides else None


def resolve(reference: str) -> Callable[..., Any]:
    """The function a "module:function" reference names (Python imports the module once; sys.modules keeps it)."""
    module, sep, name = reference.partition(":")
    if not (module and sep and name):
        raise ValueError(f"not a 'module:function' reference: {reference!r}")
    function = getattr(importlib.import_module(module), name)
    if not callable(function):
        raise TypeError(f"{reference} is not callable")
    return function


def find(pages: tuple[PageEntry, ...], url: str) -> PageEntry:
    """The entry with this link (KeyError if no page has it)."""
    for page in pages:
        if page.url == url:
            return page
    raise KeyError(url)
