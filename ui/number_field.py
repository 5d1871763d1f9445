"""Number fields that read numbers as Norwegians write them: «1 234,5», «2,5», «4 000 000 kr».

`st.number_input` is an `<input type="number">`: it shows a point and turns a typed «2,5» into 25
without a word (docs/tilgjengelighet.md). These fields are text boxes instead. The number lives in
the session under its own key (so levers, links and scenarios keep working with numbers); the text
box beside it shows the number in Norwegian format and is read back with
`core.params.parse_typed_number`. Text that is not a number gives a Norwegian message and keeps
the last good value; a number outside the bounds is set to the nearest bound, with a message.
"""

from __future__ import annotations

import math
from typing import Any

import streamlit as st

from core import fmt
from core.i18n import t
from core.params import parse_typed_number, sanitize
from core.usertext import escape_markdown

TEXT_SUFFIX = "__tekst"  # the text box's key = the number's key + this
_PROBLEM = "_tallfelt_melding:"  # + key → the message from the last typing, shown once
_RENDERED = "_tallfelt_vist:"  # + key → the number the field showed in the last run


def text_key(key: str) -> str:
    """The session key of the text box that shows the number under `key`."""
    return key + TEXT_SUFFIX


def shown(value: float | None, decimals: int) -> str:
    """A number as the field shows it: Norwegian format, no trailing zero decimals."""
    if value is None or not math.isfinite(float(value)):
        return ""
    text = fmt.number(value, decimals)
    if decimals and "," in text:
        text = text.rstrip("0").rstrip(",")
    return text


def read(text: object, lo: float | None, hi: float | None, decimals: int, label: str, step: float | None = None
         ) -> tuple[float | None, str | None]:
    """(number, message): the typed text as a number within [lo, hi], or None and why not.

    With `step` (a slider's step beside the field), the number goes to the nearest step, with a message
    when that changes it: the field, the slider and the model then hold the same value.
    """
    value = parse_typed_number(text, integer=decimals == 0)
    if value is None:
        return None, t("«{label}»: «{text}» er ikke et tall. Skriv for eksempel {example}.",
                       label=label, text=escape_markdown(sanitize(text), inline=True), example="1 234,5" if decimals else "1 234")
    if decimals == 0 and not float(value).is_integer():
        return None, t("«{label}»: skriv et helt tall (ikke «{text}»).", label=label, text=escape_markdown(sanitize(text), inline=True))
    rounded = round(value, decimals)
    message = None
    if step and math.isfinite(rounded / step):
        snapped = round(round(rounded / step) * step, decimals)
        if snapped != rounded:
            message = t("«{label}»: {value} er rundet til {used}; spaken går i steg på {step}.", label=label,
                        value=shown(rounded, decimals), used=shown(snapped, decimals), step=shown(step, decimals))
            rounded = snapped
    clamped = min(max(rounded, lo if lo is not None else rounded), hi if hi is not None else rounded)
    if clamped != rounded:
        message = t("«{label}»: {value} er utenfor tillatt område ({lo} til {hi}); {used} brukes.",
                    label=label, value=shown(rounded, decimals), lo=shown(lo, decimals),
                    hi=shown(hi, decimals), used=shown(clamped, decimals))
    return (int(clamped) if decimals == 0 else float(clamped)), message


def _typed(key: str, lo: float | None, hi: float | None, decimals: int, label: str, step: float | None) -> None:
    if st.session_state.get(key) != st.session_state.get(_RENDERED + key, st.session_state.get(key)):
        # The slider beside the field moved in the same rerun: two quick arrow presses send the slider's new
        # value with the field's text from before the first (the browser had not got the new text yet). That
        # text is stale, not typed: the slider wins, and the field shows its value.
        st.session_state[text_key(key)] = shown(st.session_state.get(key), decimals)
        return
    value, message = read(st.session_state.get(text_key(key), ""), lo, hi, decimals, label, step)
    if value is not None:
        st.session_state[key] = value
    st.session_state[text_key(key)] = shown(st.session_state.get(key), decimals)
    if message:
        st.session_state[_PROBLEM + key] = message


def field(label: str, key: str, lo: float | None, hi: float | None, decimals: int,
          help: str | None = None, container: Any = None, *, step: float | None = None,
          box_label: str | None = None, label_visibility: str = "visible", message_container: Any = None,
          width: int | str = "stretch") -> None:
    """A number field bound to `st.session_state[key]` (which must hold the current number).

    `label` names the value in messages; `box_label` (default `label`) is the text box's own label, which
    `label_visibility` may hide (a field beside a slider). Messages go to `message_container` (default: the
    field's container). A slider on the same key writes `text_key(key)` when it moves (`sync_text`).
    """
    where = container if container is not None else st
    value = st.session_state.get(key)
    st.session_state[_RENDERED + key] = value  # what the field shows now (see _typed)
    typed = st.session_state.get(text_key(key))
    if typed is None or parse_typed_number(typed, integer=decimals == 0) != value:
        st.session_state[text_key(key)] = shown(value, decimals)
    where.text_input(box_label or label, key=text_key(key), help=help, on_change=_typed,
                     args=(key, lo, hi, decimals, label, step), label_visibility=label_visibility,
                     width=width)
    message = st.session_state.pop(_PROBLEM + key, None)
    if message:
        (message_container if message_container is not None else where).warning(message, icon="⚠️")


def sync_text(key: str, decimals: int) -> None:
    """on_change of a slider bound to `key`: the text box beside it shows the slider's new value."""
    st.session_state[text_key(key)] = shown(st.session_state.get(key), decimals)


def form_field(label: str, key: str | None, value: float, lo: float | None, hi: float | None, decimals: int,
               help: str | None = None, container: Any = None) -> str:
    """A number field inside a form (no callbacks there): returns the typed text; read it on submit."""
    where = container if container is not None else st
    return where.text_input(label, value=shown(value, decimals), key=key, help=help)
