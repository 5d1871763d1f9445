"""Helpers for AppTest: open the app as a link would, and read what a user would see."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from core.params import parse_typed_number
from ui.number_field import TEXT_SUFFIX

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
ENTRY = str(ROOT / "tests" / "entry" / "app.py")  # runs app.py, from a folder with no pages/ beside it
BAD_SHOWN = re.compile(r"(?<![A-Za-zæøåÆØÅ])(nan|NaN|None|inf|Traceback)(?![A-Za-zæøåÆØÅ])")


def _bokmaal_unless_asked(query: dict[str, str]) -> dict[str, str]:
    """Tests read bokmål labels: open in bokmål unless the test asks for a målform (Alver, the
    default kommune, writes nynorsk and would open in nynorsk)."""
    return {"malform": "nb", **query}


class AppRun(AppTest):
    """AppTest on app.py as the server runs it: app.py first, the page inside the shell.

    It opens app.py through tests/entry/app.py: with pages/ beside the entry script, AppTest would
    run every page file alone first (Streamlit's old-style pages/ folder, turned back on by AppTest
    before every run; ui/shell.py). Page paths stay relative to the repository ("pages/data.py").
    """

    def switch_page(self, page_path: str) -> AppTest:
        return super().switch_page(str(ROOT / page_path))


def new_app(timeout: float = 90) -> AppRun:
    """The app, not yet run: set query parameters, switch page, then run()."""
    return AppRun(ENTRY, default_timeout=timeout)


def open_app(**query: str) -> AppTest:
    """Run the app once with the given URL query parameters."""
    query = _bokmaal_unless_asked(query)
    at = new_app(timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    return at


def metrics(at: AppTest) -> dict[str, str]:
    """Tile label → shown value (whitespace normalised)."""
    return {m.label: squash(m.value) for m in at.metric}


def squash(text: object) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", "", str(text))


def visible_text(at: AppTest) -> str:
    """Every text a user sees: tiles, markdown, captions, titles, messages."""
    parts = []
    for m in at.metric:
        parts += [str(m.label), str(m.value), str(m.delta or "")]
    for kind in ("markdown", "caption", "title", "subheader", "header", "info", "warning", "error",
                 "success", "text"):
        parts += [str(el.value) for el in getattr(at, kind)]
    return "\n".join(parts)


def open_page(page: str, **query: str) -> AppTest:
    """Open `page` (e.g. "pages/kapasitet.py") as a link with `query` to that page would.

    Always through app.py, as the server does (AppRun): app.py with a page switch, never a page file on
    its own. The switch names the page by its file before the first run: each page's link is its file
    name (tests/test_shell.py)."""
    query = _bokmaal_unless_asked(query)
    at = new_app()
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception[0].message
    assert [title.value for title in at.sidebar.title] == ["Legeplan"], "the page was drawn without the shell"
    return at


def open_lazy_expanders(at: AppTest) -> int:
    """Set every lazy expander on the page (ui.components.lazy_expander) open for the next run: their
    content exists only while open. Returns how many were closed; the caller runs the page."""
    from ui.components import LAZY_KEYS

    opened = 0
    for key in sorted(LAZY_KEYS):
        try:
            is_open = at.session_state[key]
        except KeyError:  # not on this page
            continue
        if is_open is False:
            at.session_state[key] = True
            opened += 1
    return opened


def open_expander(at: AppTest, key: str) -> AppTest:
    """Open a lazy expander (ui.components.lazy_expander) as a click would: the page reruns with its content."""
    at.session_state[key] = True
    at.run()
    assert not at.exception, at.exception[0].message
    return at


class NumberField:
    """A Norwegian number field (ui.number_field) as a test drives it: set_value(2.5) types «2,5»."""

    def __init__(self, widget, key: str) -> None:
        self.widget = widget
        self.key = key
        self.label = widget.label
        self.help = widget.help

    @property
    def value(self) -> float | None:
        return parse_typed_number(self.widget.value)

    def set_value(self, value: float):
        """Type `value` as a Norwegian would (comma decimals); returns the text box, to .run()."""
        value = float(value)
        typed = str(int(value)) if value.is_integer() else repr(value).replace(".", ",")
        return self.widget.set_value(typed)


def lever_widget(at: AppTest, key: str):
    """The widget bound to session key `key`: slider, toggle, select, or a number field; else None."""
    for kind in ("slider", "number_input", "toggle", "selectbox"):
        for w in getattr(at, kind):
            if w.key == key:
                return w
    for w in at.text_input:
        if w.key == key + TEXT_SUFFIX:
            return NumberField(w, key)
    return None


def lever(at: AppTest, name: str):
    """The widget of a lever, whatever its kind (slider, number field, toggle, select)."""
    found = lever_widget(at, "lv_" + name)
    if found is None:
        raise KeyError(name)
    return found


def button(at: AppTest, label_start: str):
    """The one button whose label starts with `label_start`."""
    found = [b for b in at.button if str(b.label).startswith(label_start)]
    assert len(found) == 1, [b.label for b in at.button]
    return found[0]
