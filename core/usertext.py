"""User text at one boundary: cleaned when it is stored, escaped when it is shown, made inert when exported.

- `clean` is applied where text a user typed (or a file name a browser sent) is stored: control
  characters, bidi overrides/isolates/marks, NUL, surrogates and non-characters are removed,
  line separators become «\\n», and the result is NFC. It is idempotent: clean(clean(x)) == clean(x).
- `escape_markdown` is applied where stored text is put into markdown (st.markdown, st.caption,
  st.warning, …, markdown tables): every markdown/HTML construct in it is shown literally, so
  «[Logg inn](http://…)» is never a link and «![p](http://…)» never an image.
- `for_cell` is applied to every text cell of an export: XML-illegal characters removed and text a
  spreadsheet would run as a formula given a leading apostrophe.
"""

from __future__ import annotations

import re
import unicodedata

# bidi embeddings/overrides, isolates, the marks LRM/RLM/ALM: they can make «fdp.exe» show as «exe.pdf»
BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")


def _keep(ch: str, multiline: bool) -> bool:
    if ch in "\n\t":
        return multiline
    if ch in BIDI:
        return False
    category = unicodedata.category(ch)
    if category in ("Cc", "Cs"):  # controls (NUL included) and lone surrogates (not storable as UTF-8)
        return False
    code = ord(ch)
    return not (0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE)  # non-characters (XML-illegal)


def _strip(text: str, multiline: bool) -> str:
    text = "".join(ch if _keep(ch, multiline) else (" " if ch in "\n\t" else "") for ch in text)
    return unicodedata.normalize("NFC", text).strip()


def clean(text: object, *, max_len: int | None = None, multiline: bool = True) -> str:
    """User text as it is stored: no control or bidi characters, line breaks as «\\n», NFC, trimmed.

    `multiline=False` turns line breaks and tabs into spaces (names, titles). `max_len` cuts the
    result to at most that many characters."""
    s = "" if text is None else str(text)
    s = _strip(_LINE_BREAKS.sub("\n", s), multiline)
    while max_len is not None and len(s) > max_len:  # cut, and cut again if NFC made the cut text longer
        s = _strip(s[:max_len], multiline)
    return s


# --- shown ---------------------------------------------------------------------------------------

# Every character that starts a markdown or HTML construct (CommonMark lets any ASCII punctuation be
# backslash-escaped); «.», «-», «(», «)», «+», «=» only matter at the start of a line (lists, headings)
_INLINE = re.compile(r"([\\`*_{}\[\]<>!|~$&@#])")
_LINE_START = re.compile(r"^([ \t]*)(\d+)?([.)\-+=>])", re.MULTILINE)
_AUTOLINK = re.compile(r"(?i)(:)(?=//)|(?<=www)(\.)")  # «http://…» and «www.…» become links by themselves
_SHORTCODE = re.compile(r":(?=[A-Za-z])")  # «:red[…]», «:material/…:», «:smile:»


def escape_markdown(text: object, *, inline: bool = False) -> str:
    """Text shown literally by markdown: no link, image, HTML, emphasis, heading, list or math.

    `inline=True` also puts it on one line (for a markdown table cell or a one-line message)."""
    s = "" if text is None else str(text)
    if inline:
        s = " ".join(s.split())
    s = _INLINE.sub(r"\\\1", s)
    s = _AUTOLINK.sub(lambda m: "\\" + (m.group(1) or m.group(2)), s)
    s = _SHORTCODE.sub(r"\\:", s)
    s = _LINE_START.sub(lambda m: m.group(1) + (m.group(2) or "") + "\\" + m.group(3), s)
    return s.replace("\n", "  \n") if not inline else s


# --- exported ------------------------------------------------------------------------------------

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")  # openpyxl's set and more


def for_cell(text: object) -> str:
    """Text for a spreadsheet or CSV cell: XML-illegal characters out, a would-be formula made inert («'=…»)."""
    s = _XML_ILLEGAL.sub("", str(text))
    return "'" + s if s.startswith(FORMULA_START) else s
