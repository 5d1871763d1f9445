"""Målform: every text exists in bokmål and nynorsk, and a nynorsk page shows no bokmål.

The bokmål text is the key: code writes t("…") (or N_("…") for a text kept in a constant and
translated where it is shown); core/lang/nn/*.json gives the nynorsk. Texts held in registries
(lever labels, help and units; statistics labels) are collected from the registries themselves.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import core
from core import i18n
from core.params import levers
from tests.apptest_util import open_page

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted([ROOT / "app.py", *ROOT.glob("core/*.py"), *ROOT.glob("ui/*.py"),
                  *ROOT.glob("pages/*.py"), *ROOT.glob("tools/*.py"), ROOT / "data" / "build.py"])
MARKERS = ("t", "N_")


def _literal(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _calls(path: Path) -> list[tuple[int, str | None, bool]]:
    """(line, msgid or None when not a literal, at module level) for every t()/N_() call."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: list[tuple[int, str | None, bool]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                       ast.Lambda))
            if (isinstance(child, ast.Call) and isinstance(child.func, ast.Name)
                    and child.func.id in MARKERS and child.args):
                out.append((child.lineno, _literal(child.args[0]),
                            not in_function and child.func.id == "t"))
            visit(child, inside)

    visit(tree, False)
    return out


def code_msgids() -> dict[str, str]:
    """msgid → first place it is used, from every t("…")/N_("…") literal in the code."""
    found: dict[str, str] = {}
    for path in SOURCES:
        for line, msgid, _ in _calls(path):
            if msgid is not None:
                found.setdefault(msgid, f"{path.relative_to(ROOT)}:{line}")
    return found


def _param_classes() -> list[type]:
    classes = []
    for mod in pkgutil.iter_modules(core.__path__):
        module = importlib.import_module(f"core.{mod.name}")
        for obj in vars(module).values():
            if (isinstance(obj, type) and dataclasses.is_dataclass(obj) and obj.__module__ == module.__name__
                    and levers(obj)):
                classes.append(obj)
    return classes


def registry_msgids() -> dict[str, str]:
    """Texts the user sees that live in registries: levers and statistics."""
    from core.catalog import FASTLEGE_METRICS

    found: dict[str, str] = {}
    for cls in _param_classes():
        for lv in levers(cls):
            for text in (lv.label, lv.help, lv.group):
                if text:
                    found.setdefault(text, f"{cls.__name__}.{lv.name}")
    for m in FASTLEGE_METRICS:
        for text in (m.label, m.description):
            found.setdefault(text, f"catalog.{m.name}")
    return found


def test_every_text_has_a_nynorsk_form():
    nn = i18n.catalogue(i18n.NYNORSK)
    wanted = {**registry_msgids(), **code_msgids()}
    missing = [f"{where}: «{text}»" for text, where in wanted.items() if not nn.get(text, "").strip()]
    assert not missing, "Tekst uten nynorsk form:\n" + "\n".join(sorted(missing))


def test_no_nynorsk_text_without_a_bokmaal_use():
    wanted = {**registry_msgids(), **code_msgids()}
    unused = sorted(set(i18n.catalogue(i18n.NYNORSK)) - set(wanted))
    assert not unused, "Nynorsk tekst som ingen kode bruker:\n" + "\n".join(unused)


def test_both_forms_have_the_same_placeholders():
    bad = [text for text, nn in i18n.catalogue(i18n.NYNORSK).items()
           if i18n.placeholders(text) != i18n.placeholders(nn)]
    assert not bad, bad


def test_no_t_at_module_level():
    """A module-level t() would freeze one målform at import: constants use N_() and t() at use.

    t(variable) inside a function is allowed: its texts are N_()-marked or in a registry, and the
    catalogue tests above see them there.
    """
    modules = [p for p in SOURCES if p.parent.name != "pages" and p.name != "app.py"]  # pages run per rerun
    bad = [f"{path.relative_to(ROOT)}:{line}" for path in modules
           for line, _, module_level in _calls(path) if module_level]
    assert not bad, "t() på modulnivå (bruk N_ og t ved visning):\n" + "\n".join(bad)


def test_no_msgid_is_built_before_t():
    """t(f"…") or t("…" + x) makes a msgid no catalogue has: the text would stay bokmål in nynorsk and escape
    the tests above. Values go in as placeholders (t("{n} lister", n=…)); a non-literal argument must be a
    name or a lookup of N_()-marked texts."""
    bad = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in MARKERS
                    and node.args and isinstance(node.args[0], (ast.JoinedStr, ast.BinOp))):
                bad.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not bad, "Tekst satt sammen før t() (bruk plassholdere):\n" + "\n".join(bad)


def test_t_translates_and_fills_in():
    text = next(iter(i18n.catalogue(i18n.NYNORSK)))
    with i18n.in_maalform("nn"):
        assert i18n.t(text) == i18n.catalogue(i18n.NYNORSK)[text]
    assert i18n.t(text) == text
    assert i18n.t("{n} x", n=3) == "3 x"
    assert i18n.maalform() == "nb"


# --- a page in nynorsk shows no bokmål ----------------------------------------------------------------

# Words that are bokmål only (nynorsk writes ikkje, frå, kvar, viss, kva, nokon, utan, berre, desse,
# same, namn, heimlar, legar, pasientar, tal, manglar …). Whole words, any case.
BOKMAAL_ONLY = re.compile(
    r"(?<![\wæøå])(ikke|fra|hvor|hvis|hva|hvordan|hvilke|hvilken|noen|uten|bare|disse|samme|navn|"
    r"hjemler|hjemmel|hjemmelen|leger|legene|pasienter|pasientene|tall|tallene|mangler|"
    r"sammenlign\w*|brukes|vises|beregnes|endres|velges)(?![\wæøå])",
    re.IGNORECASE,
)

PAGES = ("oversikt", "kapasitet", "befolkning", "okonomi", "kontor", "legeoppgaver", "scenarioer",
         "tiltak", "data")


def all_text(at) -> str:
    """Everything a user reads: the visible text plus widget labels, help, options and tabs."""
    parts = []
    for m in at.metric:
        parts += [str(m.label), str(m.value), str(m.delta or ""), str(m.help or "")]
    for kind in ("markdown", "caption", "title", "subheader", "header", "info", "warning", "error",
                 "success", "text"):
        parts += [str(el.value) for el in getattr(at, kind)]
    for kind in ("slider", "number_input", "selectbox", "radio", "toggle", "checkbox", "text_input",
                 "text_area", "multiselect", "select_slider", "button", "date_input"):
        for w in getattr(at, kind):
            parts += [str(getattr(w, "label", "")), str(getattr(w, "help", "") or "")]
            if hasattr(w, "options"):
                parts += [str(o) for o in w.options]
    for kind in ("tabs", "expander"):
        parts += [str(getattr(el, "label", "")) for el in getattr(at, kind)]
    return "\n".join(parts)


def bokmaal_leaks(text: str) -> list[str]:
    """Lines of `text` with a bokmål-only word."""
    return [line for line in text.splitlines() if BOKMAAL_ONLY.search(line)]


@pytest.mark.parametrize("page", PAGES)
def test_a_page_in_nynorsk_has_no_bokmaal(page):
    at = open_page(f"pages/{page}.py", kommune="4631", malform="nn")
    leaks = bokmaal_leaks(all_text(at))
    assert not leaks, f"{page}: bokmål på nynorsk side:\n" + "\n".join(leaks[:40])


# --- messages made in a widget's callback ---------------------------------------------------------------
# Streamlit runs a callback (on_click, on_change) before the script, in a fresh thread where ui.shell has not
# yet put the målform in force: «Lagret», «Åpnet» came out in bokmål in a nynorsk session. core.i18n falls
# back to the session's målform (ui.state.session_maalform).

def test_a_thread_without_a_maalform_takes_the_fallbacks():
    import threading

    saved = list(i18n._fallback)
    shown: list[str] = []
    try:
        i18n.set_fallback(lambda: "nn")
        worker = threading.Thread(target=lambda: shown.append(i18n.t("Lagret «{name}».", name="A")))
        worker.start()
        worker.join()
        with i18n.in_maalform("nb"):  # a målform put in force wins over the fallback
            shown.append(i18n.t("Lagret «{name}».", name="B"))
        i18n.set_fallback(lambda: None)  # no session (a test, a worker thread): bokmål
        worker = threading.Thread(target=lambda: shown.append(i18n.t("Lagret «{name}».", name="C")))
        worker.start()
        worker.join()
    finally:
        i18n._fallback[:] = saved
    assert shown == ["Lagra «A».", "Lagret «B».", "Lagret «C»."]


def test_scenario_messages_in_a_nynorsk_session_are_nynorsk():
    from tests.apptest_util import button

    at = open_page("pages/kapasitet.py", kommune="4631", malform="nn")
    at.text_input(key="scenario_navn").set_value("To nye")
    button(at, "Lagre vala").click()
    at.run()
    assert [s.value for s in at.success] == ["Lagra «To nye»."]
    box = at.selectbox(key="scenario_valg")
    box.select_index(0)
    at.run()
    button(at, "Dupliser").click()
    at.run()
    assert [s.value for s in at.success] == ["Laga ein kopi."]
    box = at.selectbox(key="scenario_valg")
    box.select_index(box.options.index("To nye (kopi)"))  # the copy's name, made in the callback, is nynorsk
    at.run()
    button(at, "Opne").click()
    at.run()
    assert [s.value for s in at.success] == ["Opna «To nye kopi»."]  # the flash shows the name sanitised
    leaks = bokmaal_leaks(all_text(at))
    assert not leaks, leaks
