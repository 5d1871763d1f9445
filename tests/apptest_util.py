"""Helpers for AppTest: open the app as a link would, and read what a user would see."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")
BAD_SHOWN = re.compile(r"(?<![A-Za-zæøåÆØÅ])(nan|NaN|None|inf|Traceback)(?![A-Za-zæøåÆØÅ])")


def _bokmaal_unless_asked(query: dict[str, str]) -> dict[str, str]:
    """Tests read bokmål labels: open in bokmål unless the test asks for a målform (Alver, the
    default kommune, writes nynorsk and would open in nynorsk)."""
    return {"malform": "nb", **query}


def open_app(**query: str) -> AppTest:
    """Run the app once with the given URL query parameters."""
    query = _bokmaal_unless_asked(query)
    at = AppTest.from_file(APP, default_timeout=60)
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
    """Open `page` (e.g. "pages/kapasitet.py") as a link with `query` to that page would."""
    query = _bokmaal_unless_asked(query)
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception[0].message
    return at


def lever(at: AppTest, name: str):
    """The widget of a lever, whatever its kind (slider, number input, toggle, select)."""
    for kind in ("slider", "number_input", "toggle", "selectbox"):
        for w in getattr(at, kind):
            if w.key == "lv_" + name:
                return w
    raise KeyError(name)


def button(at: AppTest, label_start: str):
    """The one button whose label starts with `label_start`."""
    found = [b for b in at.button if str(b.label).startswith(label_start)]
    assert len(found) == 1, [b.label for b in at.button]
    return found[0]
