"""The Streamlit layer: everything that draws on the page, reads widgets or keeps a session's state.

core/ computes (plain Python, never streamlit, never ui); pages/ are short scripts, one per page; ui/
holds the rest. One naming rule tells from a module's name whom it serves:

- ``<topic>_view.py`` – one page's own rendering: its pickers, tiles, tables, editors and the cached
  inputs only it needs, so that its script in pages/ stays short. ``<topic>`` is the page's subject in
  the word the code already uses for it: ``capacity_view`` (Fastlegekapasitet, core.capacity),
  ``duties_view`` (Kommunale legeoppgaver), ``economy_view`` (Økonomi), ``kontor_view``
  (Kontorstruktur), ``tiltak_view`` (Tiltak og prosjekt), ``data_view`` (Data), and ``export_view``
  (the export expander, shared by every page). A ui module is never named like a page file
  (pages/kontor.py's is ui/kontor_view.py, not ui/kontor.py).
- ``<topic>_export.py`` – one page's «Eksporter til saksframlegg» (its Report and charts), and
  ``<topic>_slides.py`` one page's slides; the page declares them in its line in ``shell.PAGES``
  (``ui.page_entry``), and the shared export and presentation ask that list instead of importing the
  page: ``capacity_export``, ``demography_export`` (Befolkning), ``economy_export``, ``kontor_export``,
  ``duties_export``, ``compare_export`` (Sammenlign scenarioer); ``economy_slides`` and ``duties_slides``
  (their slide in a scenario's presentation).
- ``<topic>_text.py`` – a topic's words without layout (sentences, labels, source lines) that its page,
  export and room screens share: ``duties_text``, ``verdict_text``.
- the room screens carry their family's name: ``meeting.py`` is the meeting view (``?mote=1``),
  ``meeting_<topic>.py`` a page's screen in it and ``meeting_tiles`` its tile; ``presentation.py`` is what
  every deck of slides (``?presentasjon=1``) shares, and ``<topic>_slides.py`` a page's own deck
  (``capacity_slides``, ``compare_slides``) or the slides it adds to a scenario's presentation.
- a bare noun – a building block for any page, named for what it is, not for a page: ``components``
  (charts with their text alternative, tiles, tables), ``loaders`` (cached data access: plain frames and
  values, draws nothing, imports no other ui module than ``cache``), ``cache`` (the one cache decorator),
  ``levers``, ``state``, ``shell``, ``runqueue``, ``scenario``, ``specs``, ``headlines``, ``narrative``,
  ``number_field``, ``chart_table``, ``page_entry`` (a page's line in the shell), ``export_pages`` (what a
  page's export hands the expander, and the pieces it is built from).

Code that two pages share goes into a bare-noun module, never into one page's view. No ui module imports
another in a circle (tests/test_import_graph.py, which also checks the page-name rule above).
"""
