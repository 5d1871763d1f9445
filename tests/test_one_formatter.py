"""One formatter: numbers, shares, kroner and dates become text in core/fmt.py only.

Every .py file in core/, ui/, pages/ and app.py except core/fmt.py is read as a syntax tree and fails,
naming file:line, on a hand-made format:
- a format spec that formats a number or a date: f"{x:,}", f"{x:.1f}", f"{x:.0%}", f"{d:%d.%m.%Y}", a spec
  built at run time (f"{x:{spec}}"); the same in format(x, spec), in "…{x:.1f}…".format(…) and in the texts
  of t("…") and N_("…") (core.i18n.t fills its text in with str.format), and in the nynorsk catalogue;
- printf-style formatting of a number: "%.1f" % x;
- .strftime(…);
- a decimal comma, a thousands space or a minus made by hand: .replace(".", ","), .replace(",", " ") (or a
  non-breaking space), .replace("-", "\u2212");
- str(round(x, n)) and f"{round(x, n)}" (a decimal point).
Chart formats (d3 strings such as format=",.0f" for Altair, Streamlit's column format "%d") are text handed
to the browser, not Python formatting, and are not looked at.
"""

from __future__ import annotations

import ast
import json
import re
import string
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXEMPT = ROOT / "core" / "fmt.py"

# Not user-visible numbers, each with its reason. Keyed by the flagged expression's source text (so the entry
# follows the code when a module is renamed); the file is named in the comment.
ALLOWED: dict[str, str] = {
    # ui/levers.py, _decimals
    'f"{step:.6f}"': "counts the decimals a slider step needs (0.05 → 2); the text is never shown",
    # ui/tiltak.py, downloads
    'f"{stamp:%Y-%m-%d}"': "the date in a download's file name (tiltak-og-prosjekt-4631-2026-11-25.xlsx): "
                           "ISO, so the files sort by date",
}

# grouping (, or _), a precision, a number or percent type, or a strftime directive
_NUMBER_SPEC = re.compile(r"[,_]|\.\d|[eEfFgGn%]$|%")
_PRINTF_NUMBER = re.compile(r"%[-+ #0]*(?:\d+|\*)?(?:\.\d+)?[diuoxXeEfFgG]")
_SPACES = (" ", "\u00a0", "\u202f", "\u2009")


def _spec_is_hand_made(spec: str) -> bool:
    return bool(spec) and bool(_NUMBER_SPEC.search(spec))


def _template_specs(text: str) -> list[str]:
    """The format specs of a str.format template ('' where a field has none)."""
    try:
        return [spec or "" for _, field, spec, _ in string.Formatter().parse(text) if field is not None]
    except ValueError:  # not a template (a lone brace)
        return []


def _str(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _is_round_with_digits(node: ast.AST) -> bool:
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "round"
            and (len(node.args) == 2 or any(k.arg == "ndigits" for k in node.keywords)))


def _why(node: ast.AST) -> str | None:
    """Why `node` is a hand-made format, or None."""
    if isinstance(node, ast.FormattedValue):
        if node.format_spec is not None:
            parts = node.format_spec.values  # type: ignore[attr-defined]
            if any(not isinstance(p, ast.Constant) for p in parts):
                return "a format spec built at run time"
            spec = "".join(p.value for p in parts)
            if _spec_is_hand_made(spec):
                return f"format spec «{spec}»"
        if _is_round_with_digits(node.value):
            return "round(x, n) written into a text (a decimal point)"
        return None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        text = _str(node.left)
        if text is not None and _PRINTF_NUMBER.search(text):
            return f"printf-style «{text}» % …"
        return None
    if not isinstance(node, ast.Call):
        return None
    func = node.func
    if isinstance(func, ast.Attribute):
        if func.attr == "strftime":
            return "strftime"
        if func.attr == "replace" and len(node.args) == 2:
            old, new = _str(node.args[0]), _str(node.args[1])
            if (old, new) == (".", ","):
                return 'replace(".", ",") (a decimal comma by hand)'
            if old == "," and new in _SPACES:
                return "replace(\",\", space) (a thousands space by hand)"
            if old == "-" and new == "\u2212":
                return "a minus sign by hand"
        if func.attr == "format" and (template := _str(func.value)) is not None:
            bad = [s for s in _template_specs(template) if _spec_is_hand_made(s)]
            if bad:
                return f"str.format spec «{bad[0]}»"
    if isinstance(func, ast.Name):
        if func.id == "format" and len(node.args) >= 2:
            spec = _str(node.args[1])
            if spec is None or _spec_is_hand_made(spec):
                return "format(x, spec)"
        if func.id in ("t", "N_") and node.args and (template := _str(node.args[0])) is not None:
            bad = [s for s in _template_specs(template) if _spec_is_hand_made(s)]
            if bad:
                return f"format spec «{bad[0]}» in a translated text (pass fmt.…(x) instead)"
        if func.id == "str" and node.args and _is_round_with_digits(node.args[0]):
            return "str(round(x, n)) (a decimal point)"
    return None


def hand_made(source: str, name: str = "<text>") -> list[tuple[str, int, str, str]]:
    """(file, line, why, source of the expression) for every hand-made format in `source`."""
    tree = ast.parse(source)
    out = []
    for node in ast.walk(tree):
        why = _why(node)
        if why:
            segment = ast.get_source_segment(source, node) or ""
            out.append((name, node.lineno, why, segment))
    return sorted(out)


def _files() -> list[Path]:
    files = [*ROOT.glob("core/*.py"), *ROOT.glob("ui/*.py"), *ROOT.glob("pages/*.py"), ROOT / "app.py"]
    return sorted(f for f in files if f != EXEMPT)


def test_no_hand_made_number_or_date_format_outside_core_fmt():
    found = []
    for path in _files():
        found += hand_made(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    bad = [f"{name}:{line}: {why}: {segment.splitlines()[0]}" for name, line, why, segment in found
           if segment not in ALLOWED]
    assert not bad, ("Format numbers, shares, kroner and dates with core.fmt (number, percent, kroner, date, "
                     "date_time …); add a function there if one is missing:\n" + "\n".join(bad))
    used = {segment for *_, segment in found}
    stale = [key for key in ALLOWED if key not in used]
    assert not stale, f"Allowed formats no longer in the code (take them out of ALLOWED): {stale}"


def test_no_format_spec_in_the_nynorsk_catalogue():
    bad = []
    for path in sorted((ROOT / "core" / "lang").glob("*/*.json")):
        for key, value in json.loads(path.read_text(encoding="utf-8")).items():
            for text in (key, value):
                if any(_spec_is_hand_made(s) for s in _template_specs(text)):
                    bad.append(f"{path.relative_to(ROOT)}: «{text}»")
    assert not bad, "A translated text formats a number itself:\n" + "\n".join(bad)


def test_the_scan_finds_each_kind_and_leaves_core_fmt_calls_alone():
    bad = '''
a = f"{x:,}"
b = f"{x:.1f} %"
c = f"{share:.0%}"
d = f"{when:%d.%m.%Y}"
e = f"{x:{spec}}"
f = format(x, ",.2f")
g = "{:.1f}".format(x)
h = t("{size:.0f} MB", size=s)
i = "%.1f" % x
j = when.strftime("%H:%M")
k = str(x).replace(".", ",")
l = text.replace(",", "\\u00a0")
m = text.replace("-", "\\u2212")
n = str(round(x, 1))
o = f"{round(x, 2)} kr"
p = N_("{value:g} er for stort")
'''
    found = hand_made(bad)
    assert [line for _, line, _, _ in found] == list(range(2, 18)), found
    good = '''
a = fmt.number(x, 1) + fmt.NBSP + "kr"
b = f"{name} ({fmt.date(when)})"
c = t("{n} rader", n=fmt.number(n))
d = st.column_config.NumberColumn(format="%d")
e = alt.Tooltip("x:Q", format=",.0f")
f = f"#{r:02X}{g:02X}{b:02X}"
g = f"{year}–{year + 1}"
h = text.replace(",", ".")
i = "%s er ukjent" % name
j = str(round(x))
'''
    assert hand_made(good) == []
