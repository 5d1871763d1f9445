"""Lever widgets generated from a parameters registry, kept in sync with the URL."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from contextlib import nullcontext
from typing import Any, TypeVar

import streamlit as st

from core import fmt
from core.i18n import N_, t
from core.params import (
    CHOICE,
    EXAMPLE,
    NUMBER,
    SELECT,
    SLIDER,
    SOURCED,
    TOGGLE,
    Lever,
    from_mapping,
    levers,
    parse_value,
)
from ui import number_field, state

P = TypeVar("P")

# The units of the lever registries, for the catalogue (shown as t(lv.unit)). Labels, help, groups,
# sources and choice labels are translated the same way where they are shown; their nynorsk forms
# live with the registries' own catalogue files.
UNITS = (
    N_("personer per liste"), N_("år"), N_("årsverk"), N_("personer per år"), N_("hjemler"), N_("kr per år"),
    N_("per person"), N_("personer per liste per år"), N_("minutter per plass per uke"), N_("personer"),
    N_("kr"), N_("leger per år"), N_("andel"), N_("plasser per år"), N_("måneder"), N_("plasser"),
    N_("timer per uke"), N_("lister per år"), N_("timer"), N_("leger"), N_("plasser per time per uke"),
    N_("dager per år"), N_("dager per lege"), N_("kr per dag"), N_("indeks"), N_("pasienter"),
    N_("prosent per år"), N_("dager"), N_("vakter per periode"), N_("kr per listeinnbygger"), N_("per år"),
)


def _t(text: str) -> str:
    """A registry text in the målform in force ('' stays '')."""
    return t(text) if text else text


def widget_key(lv: Lever) -> str:
    """Session key of a lever's widget (the URL key is the lever's name)."""
    return state.lever_key(lv.name)


def _to_widget(lv: Lever, value: Any) -> Any:
    if lv.kind == "float" and lv.display_scale != 1.0:
        return round(float(value) * lv.display_scale, 6)
    if lv.kind == "float":
        return float(value)
    return value


def _from_widget(lv: Lever, value: Any) -> Any:
    if lv.kind == "float":
        return float(value) / lv.display_scale
    if lv.kind == "int":
        return int(value)
    return value


def reset(cls: type, defaults: Any) -> None:
    """Set every lever widget back to its default and drop the levers from the URL."""
    for lv in levers(cls):
        state.set_lever_value(lv.name, _to_widget(lv, getattr(defaults, lv.name)))
        _drop_from_url(lv.name, *lv.aliases)


def init(cls: type[P], defaults: P, scope: str, bounds: Mapping[str, tuple[float, float]] | None = None) -> None:
    """Seed the widgets from the URL once per starting point (`scope`); later runs keep them.

    `bounds` are the ranges the page's widgets get (e.g. core.capacity.lever_bounds): a link value outside
    them is clamped here, with the usual message, rather than silently by the widget.

    Each parameters class has its own scope, so pages do not reset each other's levers. When the
    scope changes (another kommune or reference case), levers go back to its defaults; when
    Streamlit has dropped the widgets (the user was on another page), they are seeded again from
    the link, which the shell has put back as the page last had it (ui.state.restore_page_query).
    Within a scope, a lever whose default comes from the starting point (`default_from`, e.g. Økonomi's
    rates by period) follows a new default while it still stands on the old one.
    """
    held = state.lever_scope(cls)
    state.set_lever_scope(cls, scope, defaults)
    if held is not None and held[0] != scope:
        reset(cls, defaults)
        return
    if held is None or not state.has_lever_values(lv.name for lv in levers(cls)):
        params, messages = from_mapping(cls, st.query_params.to_dict(), base=defaults, bounds=bounds)
        for message in messages:
            state.warn(message)
        for lv in levers(cls):
            state.set_lever_value(lv.name, _to_widget(lv, getattr(params, lv.name)))
    if held is not None:
        _follow_defaults(cls, held[1], defaults)


def _follow_defaults(cls: type, old: Any, new: Any) -> None:
    """Levers whose default comes from the starting point move with it while they stand on the old one."""
    if old is new or old == new:
        return
    for lv in levers(cls):
        if lv.default_from and state.lever_value(lv.name) == _to_widget(lv, getattr(old, lv.name)):
            state.set_lever_value(lv.name, _to_widget(lv, getattr(new, lv.name)))


def label(lv: Lever) -> str:
    """A widget label with its unit."""
    if lv.kind in ("bool", "choice") or not lv.unit:
        return _t(lv.label)
    unit = "%" if lv.display_scale == 100.0 else _t(lv.unit)
    text = _t(lv.label)
    if unit.lower() in text.lower().split():  # «Nye hjemler», not «Nye hjemler (hjemler)»
        return text
    return f"{text} ({unit})"


def help_text(lv: Lever, default: Any) -> str:
    """Tooltip: what the lever does, its default and where the default comes from."""
    shown = default_text(lv, default)
    parts = [_t(lv.help)] if lv.help else []
    if lv.is_example:
        parts.append(t("Standard: {shown} – et eksempel uten kilde: {source}", shown=shown, source=_t(lv.source)))
    else:
        parts.append(t("Standard: {shown}. Kilde: {source}", shown=shown, source=_t(lv.source)))
    return " ".join(parts)


BASIS_LABELS = {SOURCED: N_("Kilde"), EXAMPLE: N_("Eksempel uten kilde"), CHOICE: N_("Valg, ingen antakelse")}


def example_caption() -> str:
    """The words under a lever whose default is an example (no source)."""
    return t("Eksempelverdi uten kilde – bytt til kommunens eget tall.")


def default_text(lv: Lever, value: Any) -> str:
    """A lever value as the user reads it (Norwegian number format, units)."""
    if lv.kind == "bool":
        return t("på") if value else t("av")
    if lv.kind == "choice":
        return _t(str(value))
    if lv.display_scale == 100.0:
        return fmt.percent(value, 1)
    decimals = 0 if lv.kind == "int" or float(value).is_integer() else 2
    if lv.unit == "år":
        return str(int(value))
    return fmt.number(value, decimals)


def widget(lv: Lever, default: Any, bounds: Mapping[str, tuple[float, float]] | None = None,
           options_labels: dict[str, str] | None = None, mark_example: bool = True) -> None:
    """One lever's widget, of the kind its registry entry declares (Lever.widget_kind), bound to its session key.

    SLIDER_NUMBER draws the slider with the exact value typed beside it; `bounds` ({name: (lo, hi)},
    e.g. core.capacity.lever_bounds) replaces the registry range of the levers it names.

    A lever whose default is an example (no source) gets a caption that says so, unless the page
    writes its own caption under every lever (`mark_example=False`).
    """
    _widget(lv, default, bounds, options_labels)
    if mark_example and lv.is_example and on_default(lv, default):
        st.caption(":material/edit_note: " + example_caption())


def on_default(lv: Lever, default: Any) -> bool:
    """True while the lever's widget still holds its default (an example stays one until changed)."""
    current = state.lever_value(lv.name)
    return current is None or current == _to_widget(lv, default)


def _widget(lv: Lever, default: Any, bounds: Mapping[str, tuple[float, float]] | None,
            options_labels: dict[str, str] | None) -> None:
    key = widget_key(lv)
    kind = lv.widget_kind  # declared in the registry, or core.params.Lever.widget_kind's one rule
    common = {"key": key, "help": help_text(lv, default)}
    if kind == TOGGLE:
        st.toggle(label(lv), **common)
        return
    if kind == SELECT:
        names = options_labels or {}
        shown = {o: _t(names.get(o, o)) for o in lv.options}  # made in this run's målform
        st.selectbox(label(lv), lv.options, format_func=shown.__getitem__, **common)
        return
    lo, hi = (bounds or {}).get(lv.name, (lv.min, lv.max))
    scale = lv.display_scale
    if lv.kind == "int":
        lo_w, hi_w, step = int(lo), int(hi), int(lv.step or 1)
    else:
        lo_w, hi_w, step = float(lo) * scale, float(hi) * scale, float(lv.step or 0.1) * scale
    decimals = 0 if lv.kind == "int" else _decimals(step)
    current = state.lever_value(lv.name)
    if current is not None and not lo_w <= current <= hi_w:
        current = min(max(current, lo_w), hi_w)
        state.set_lever_value(lv.name, current)
    if kind == NUMBER:  # a text box that reads «2,5» as 2,5 (a number input would make it 25)
        number_field.field(label(lv), key, lo_w, hi_w, decimals, help=common["help"], step=_grid(lv, step))
        return
    # The value is given although the session key decides it: without one, Streamlit copies the whole
    # session state on every slider to find out whether the key holds a range (a third of a lever rerun
    # with 22 sliders; docs/robusthet.md). The key's value still wins.
    value = current if current is not None else _to_widget(lv, default)
    value = min(max(int(value) if lv.kind == "int" else float(value), lo_w), hi_w)
    # Decimals in the browser's own locale (a Norwegian browser shows 2,5); printf would show 2.5.
    slider = {"min_value": lo_w, "max_value": hi_w, "value": value, "step": step,
              "format": "%d" if lv.kind == "int" else "localized"}
    if kind == SLIDER:
        st.slider(label(lv), **slider, **common)
        return
    # SLIDER_NUMBER: the slider and a typed field beside it on the same value. Moving the slider writes the
    # field's text (number_field.sync_text); typing writes the value, which the slider shows next run.
    # One horizontal row (one layout block; st.columns would add three per lever to every rerun).
    row = st.container(horizontal=True, vertical_alignment="bottom", gap="small", wrap=False)
    row.slider(label(lv), **slider, **common, on_change=number_field.sync_text, args=(key, decimals))
    number_field.field(label(lv), key, lo_w, hi_w, decimals, help=None, container=row, step=_grid(lv, step),
                       box_label=t("{label}, skriv tallet", label=label(lv)), label_visibility="collapsed",
                       message_container=st, width=TYPED_WIDTH)


TYPED_WIDTH = 86  # px of the typed field beside a slider: «−12 345» and «12,35» fit in the sidebar


def _grid(lv: Lever, step: float) -> float | None:
    """The step a typed value goes to: the slider's grid for fractional levers (whole numbers need none)."""
    return None if lv.kind == "int" else step


def _decimals(step: float) -> int:
    """Decimals a step needs: 0.01 → 2, 0.5 → 1, 10 → 0."""
    text = f"{step:.6f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


def read(cls: type[P], defaults: P) -> P:
    """The parameters object from the widgets' current values (clamped, never raising)."""
    values = {}
    for lv in levers(cls):
        raw = state.lever_value(lv.name, _to_widget(lv, getattr(defaults, lv.name)))
        value, _ = parse_value(lv, _from_widget(lv, raw))
        values[lv.name] = value
    return cls(**values)


def _drop_from_url(*keys: str) -> None:
    for key in keys:
        if key in st.query_params:
            del st.query_params[key]


def sync_url(params: Any, defaults: Any) -> None:
    """Put every lever that differs from its default in the URL; remove the others.

    The shell remembers the page's link for the session (ui.state.remember_page_query), so the levers
    survive a visit to another page.
    """
    for lv in levers(params):
        value, default = getattr(params, lv.name), getattr(defaults, lv.name)
        _drop_from_url(*lv.aliases)  # an old name was read once (init); the lever's own name carries it on
        if value == default:
            _drop_from_url(lv.name)
            continue
        if isinstance(value, bool):
            text = "1" if value else "0"
        elif isinstance(value, float):
            text = repr(round(value, 6)).removesuffix(".0")
        else:
            text = str(value)
        if st.query_params.get(lv.name) != text:
            st.query_params[lv.name] = text


# --- the whole sequence in one call -----------------------------------------------------------------

EXPANDERS = "expanders"  # panel layout: one expander per lever group
HEADINGS = "headings"  # a bold heading per group
FLAT = "flat"  # the levers one under the other, no group names

HEADER = N_("Spaker")
RESET = N_("Tilbakestill spakene")
Fit = Callable[[Any], tuple[Any, Iterable[str]]]  # params → (fitted params, messages)


def panel(cls: type | tuple[type, ...], defaults: Any, *, scope: str, where: Any = st.sidebar,
          header: str = HEADER, reset_label: str = RESET, bounds: Mapping[str, tuple[float, float]] | None = None,
          layout: str = EXPANDERS, expanded: Callable[[str], bool] | Collection[str] | None = None,
          options_labels: dict[str, str] | None = None, mark_example: bool = True,
          caption: Callable[[Lever, Any], str] | None = None, notes: Mapping[str, str] | None = None,
          shown: tuple[type, ...] | None = None, on_reset: Callable[[], None] | None = None, fit: Fit | None = None,
          messages: bool = True) -> Any:
    """A page's levers in one call: seed, heading, reset button, widgets by group, read, fit, URL, messages.

    Returns the parameters the levers hold (frozen), or, for a tuple of classes (`defaults` then maps each
    class to its defaults), a dict class → parameters.

    - `scope`: the starting point the levers belong to (kommune, case …); a new one sets them back to
      `defaults`, and a link's values are read once per scope (`init`).
    - `where`: the container of the heading `header`, the button `reset_label` and the widgets (the
      sidebar); None draws nothing (a meeting view draws its picked levers itself). `shown`: the classes
      drawn there (all when None); the others are drawn by the page (`widget`), but read here.
    - `layout`: EXPANDERS (one per group, open where `expanded` says: a set of groups or a test, all
      when None), HEADINGS (a bold group name) or FLAT. `notes`: a caption after a group's levers.
    - `bounds`, `options_labels`, `mark_example`: as `widget`; `caption(lever, default)`: a caption
      under each lever.
    - `on_reset`: also run when the reset button is pressed (after the levers go back to their defaults).
    - `fit(params) -> (params, messages)`: the page's own fitting (e.g. core.capacity.fit_to_base); its
      messages join the link's.
    - `messages`: show the queued link messages at the end (False: the caller shows them, or nobody does;
      the fit's messages are then dropped).
    """
    classes = cls if isinstance(cls, tuple) else (cls,)
    by_class = dict(defaults) if isinstance(cls, tuple) else {cls: defaults}
    for one in classes:
        init(one, by_class[one], scope=scope, bounds=bounds)
    if where is not None:
        with where:
            st.header(t(header))
            if st.button(t(reset_label), icon=":material/restart_alt:", width="stretch"):
                for one in classes:
                    reset(one, by_class[one])
                if on_reset is not None:
                    on_reset()
            for one in shown or classes:
                widgets(one, by_class[one], layout=layout, expanded=expanded, bounds=bounds,
                        options_labels=options_labels, mark_example=mark_example, caption=caption, notes=notes)
    params = {one: read(one, by_class[one]) for one in classes}
    if fit is not None:
        for one in classes:
            params[one], fit_messages = fit(params[one])
            for message in fit_messages if messages else ():
                state.warn(message)
    for one in classes:
        sync_url(params[one], by_class[one])
    if messages:
        state.show_messages()
    return params if isinstance(cls, tuple) else params[cls]


def widgets(cls: type, defaults: Any, *, layout: str = EXPANDERS,
            expanded: Callable[[str], bool] | Collection[str] | None = None,
            bounds: Mapping[str, tuple[float, float]] | None = None, options_labels: dict[str, str] | None = None,
            mark_example: bool = True, caption: Callable[[Lever, Any], str] | None = None,
            notes: Mapping[str, str] | None = None) -> None:
    """Every lever of a class, grouped as `layout` says (see `panel`), in the container in force."""
    opened = (expanded if callable(expanded) else
              (lambda group: True) if expanded is None else (lambda group: group in expanded))
    for group in dict.fromkeys(lv.group for lv in levers(cls)):
        if layout == HEADINGS:
            st.markdown(f"**{t(group)}**")
        with st.expander(t(group), expanded=opened(group)) if layout == EXPANDERS else nullcontext():
            for lv in levers(cls):
                if lv.group == group:
                    default = getattr(defaults, lv.name)
                    widget(lv, default, bounds=bounds, options_labels=options_labels, mark_example=mark_example)
                    if caption is not None:
                        st.caption(caption(lv, default))
            if notes and notes.get(group):
                st.caption(notes[group])


def assumptions_table(params: Any, defaults: Any) -> list[dict[str, str]]:
    """One row per lever: group, lever, value, default and source (for the assumptions table)."""
    rows = []
    for lv in levers(params):
        rows.append({
            t("Gruppe"): _t(lv.group), t("Forutsetning"): label(lv),
            t("Verdi"): default_text(lv, getattr(params, lv.name)),
            t("Standard"): default_text(lv, getattr(defaults, lv.name)),
            t("Grunnlag"): t(BASIS_LABELS[lv.basis]),
            t("Kilde for standardverdien"): _t(lv.source),
        })
    return rows
