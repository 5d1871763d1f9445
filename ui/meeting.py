"""Møtevisning: one screen for a committee's «what if?» – the headline tiles, the main chart and the
2–4 levers the presenter picked beforehand, at 1920×1080 and 1366×768 without scrolling.

On with «Møtevisning» in the sidebar, or the link flag `?mote=1`. The picked levers are the page link's
`motespaker` (saved with the scenario, as every lever is). When the view opens, the levers as they are
(the opened scenario) become its reference: the chart draws the reference as a grey ghost line and the
tiles show ± against it. «Behold som nytt scenario» saves the changes as a new scenario (one click, a
name made from the opened one), «Forkast endringene» puts the levers back.

Also the keyboard for slides (`clicker_keys`): presentation clickers send PageDown/PageUp, arrows and
Space. Pages hand over their own tiles, chart and levers (`screen`); this module only lays them out.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import streamlit as st

from core import fmt
from core import scenarios as sc
from core.i18n import t
from core.params import Lever, levers
from core.usertext import escape_markdown
from ui import components, headlines
from ui import levers as lever_ui
from ui import scenario as scenario_ui

FLAG = "mote"
PICK = "motespaker"  # link key: the picked levers, comma-separated (saved with the scenario)
MAX_PICK = 4
_REF = "_mote_referanse:"  # + page → (scope, Reference)
_PICK_WIDGET = "motespaker_valg"

# The meeting room: no sidebar or header; the projector's type: tiles ≥ 48 px at 1920 px wide (2,6 vw), scaled
# down with the screen. Shared by the meeting views and the slides (room_css).
_ROOM_RULES = """section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], [data-testid="stSidebarNav"], header[data-testid="stHeader"] {
  display: none !important; }
.stMainBlockContainer [data-testid="stMetricValue"], .stMainBlockContainer [data-testid="stMetricValue"] p,
.stMainBlockContainer [data-testid="stMetricValue"] div { font-size: clamp(1.9rem, 2.6vw, 3.6rem) !important;
  line-height: 1.1; }
.stMainBlockContainer [data-testid="stMetricLabel"] p { font-size: clamp(0.95rem, 1.05vw, 1.35rem) !important; }
.stMainBlockContainer [data-testid="stMetricDelta"] div,
.stMainBlockContainer [data-testid="stMetricDeltaDescription"] p { font-size: clamp(0.9rem, 0.95vw, 1.2rem) !important; }
"""


def frame_css(key: str, offset_px: int, min_px: int = 220) -> str:
    """CSS rules: the chart frame with key `key` (components.chart's frame_key) is the screen's height less
    `offset_px` (what the page keeps above and below it); the chart inside stretches to it."""
    frame = f".st-key-{key}"
    return (f"{frame} {{ flex: 0 0 auto !important; min-height: {min_px}px; "
            f"height: calc(100vh - {offset_px}px) !important; }}\n"
            f"{frame} [data-testid=\"stElementContainer\"], {frame} [data-testid=\"stFullScreenFrame\"],\n"
            f"{frame} [data-testid=\"stFullScreenFrame\"] > div {{ height: 100% !important; }}\n")


def room_css(padding: str, *rules: str) -> str:
    """A <style> for a meeting screen: the room's rules, the main block's `padding`, and the screen's own rules."""
    return ("<style>\n" + _ROOM_RULES
            + f".stMainBlockContainer {{ max-width: 100% !important; padding: {padding} !important; }}\n"
            + "".join(rules) + "</style>")


# The meeting view: the chart fills the height left under the tiles; the levers' labels a little larger.
CSS = room_css("0.6rem 2rem 0.5rem 2rem", frame_css("mote_figur", 390),
               '.st-key-mote_spaker [data-testid="stWidgetLabel"] p { font-size: 1.1rem !important; }\n')


# High contrast for a bright room: black text and borders, darker delta colours (≥ 7:1 on their pill),
# charts through core.theme.high_contrast_spec. A toggle on every meeting screen; `?kontrast=1` in a link.
CONTRAST_FLAG = "kontrast"
_CONTRAST = "_hoy_kontrast"
CONTRAST_CSS = """<style>
.stMainBlockContainer, .stMainBlockContainer p, .stMainBlockContainer span, .stMainBlockContainer label,
.stMainBlockContainer h1, .stMainBlockContainer [data-testid="stCaptionContainer"] p { color: #000000 !important; }
.stMainBlockContainer [data-testid="stCaptionContainer"] { opacity: 1 !important; }
.stMainBlockContainer [data-testid="stMetric"] { border: 3px solid #000000 !important; }
.stMainBlockContainer [data-testid="stMetricValue"] div { font-weight: 700 !important; }
.stMainBlockContainer [data-testid="stMetricDelta"] { background: #FFFFFF !important; border: 2px solid currentColor; }
.stMainBlockContainer [data-testid="stMetricDelta"]:has(svg[data-testid="stMetricDeltaIcon-Up"]),
.stMainBlockContainer [data-testid="stMetricDelta"]:has(svg[data-testid="stMetricDeltaIcon-Down"]) { font-weight: 700; }
.stMainBlockContainer button[data-testid^="stBaseButton"] { border: 2px solid #000000 !important; }
.stMainBlockContainer button[kind="primary"] { background: #003F63 !important; }
.stMainBlockContainer button[kind="primary"] p, .stMainBlockContainer button[kind="primary"] span { color: #FFFFFF !important; }
.stMainBlockContainer button:disabled p, .stMainBlockContainer button:disabled span { color: #000000 !important; }
.stMainBlockContainer button[kind="primary"]:disabled { background: #FFFFFF !important; }
</style>"""


def high_contrast() -> bool:
    """True when the presenter switched on high contrast (this session), or the link asks for it."""
    return bool(st.session_state.get(_CONTRAST, st.query_params.get(CONTRAST_FLAG) == "1"))


def _contrast_changed() -> None:
    st.session_state[_CONTRAST] = bool(st.session_state.get("kontrast_valg"))


def contrast_toggle() -> None:
    """The «Høy kontrast» toggle (for a bright room); its style when on."""
    on = high_contrast()
    st.toggle(t("Høy kontrast"), value=on, key="kontrast_valg", on_change=_contrast_changed,
              help=t("For lyse rom og svake projektorer: svart tekst, tykkere rammer og mørkere farger i figurene."))
    if on:
        st.html(CONTRAST_CSS)


@dataclass(frozen=True)
class Reference:
    """What the meeting opened: the page's parameters then, and the scenario's name."""

    params: Any
    name: str


def active() -> bool:
    """True when the link asks for the meeting view (`?mote=1`)."""
    return st.query_params.get(FLAG) == "1"


def _enter(page: str) -> None:
    st.query_params[FLAG] = "1"
    st.session_state.pop(_REF + page, None)  # the levers as they are now become the reference


def leave(page: str) -> None:
    """Close the meeting view (the levers stay as they are)."""
    if FLAG in st.query_params:
        del st.query_params[FLAG]
    st.session_state.pop(_REF + page, None)


def levers_of(cls: type | tuple[type, ...]) -> list[Lever]:
    """The levers of a parameters class, or of several (a tuple, as Kommunale legeoppgaver has), in order."""
    return [lv for one in (cls if isinstance(cls, tuple) else (cls,)) for lv in levers(one)]


def picked(cls: type | tuple[type, ...], default: Sequence[str]) -> list[Lever]:
    """The levers picked for the meeting (the link's `motespaker`), else `default`; at most MAX_PICK."""
    by_name = {lv.name: lv for lv in levers_of(cls)}
    raw = st.query_params.get(PICK)
    names = [n for n in str(raw).split(",") if n in by_name] if raw else []
    return [by_name[n] for n in (names or [n for n in default if n in by_name])][:MAX_PICK]


def _picked_changed(cls: type | tuple[type, ...], default: tuple[str, ...]) -> None:
    names = [n for n in st.session_state.get(_PICK_WIDGET, []) if n in {lv.name for lv in levers_of(cls)}]
    if not names or tuple(names) == default:
        if PICK in st.query_params:
            del st.query_params[PICK]
    else:
        st.query_params[PICK] = ",".join(names)


def sidebar(page: str, cls: type | tuple[type, ...], default: Sequence[str]) -> None:
    """On the normal page: pick the meeting's levers and open the meeting view (and slides, if any)."""
    default = tuple(default)
    st.session_state[_PICK_WIDGET] = [lv.name for lv in picked(cls, default)]
    labels = {lv.name: lever_ui.label(lv) for lv in levers_of(cls) if lv.kind != "choice"}
    with st.sidebar.expander(t("Møtet"), icon=":material/co_present:"):
        st.multiselect(t("Spaker i møtevisningen (2–4)"), list(labels), format_func=labels.__getitem__,
                       key=_PICK_WIDGET, max_selections=MAX_PICK, on_change=_picked_changed, args=(cls, default),
                       help=t("Spakene som vises i møtevisningen og på lysbildene. Valget lagres med scenarioet."))
        st.button(t("Møtevisning"), icon=":material/co_present:", on_click=_enter, args=(page,),
                  key="mote_start", width="stretch", type="primary",
                  help=t("Én skjerm med nøkkeltall, figur og de valgte spakene, for projektoren. Endringer vises "
                         "mot scenarioet som er åpent nå. Lenken med ?mote=1 åpner rett i denne visningen."))


def reference(page: str, scope: str, params: Any, name: str) -> Reference:
    """The meeting's reference: the parameters when the view opened (kept until it closes or the scope changes)."""
    held = st.session_state.get(_REF + page)
    if held is None or held[0] != scope or type(held[1].params) is not type(params):
        held = (scope, Reference(params, name))
        st.session_state[_REF + page] = held
    return held[1]


def _keep(knr: str, page: str, scope: str, params: Any, name: str, view: str | None = None) -> None:
    stamp = fmt.date_time(datetime.now())
    new_name = t("{name} – endret i møtet {time}", name=name[: sc.MAX_NAME - 30], time=stamp)[: sc.MAX_NAME]
    if scenario_ui.save_as(knr, page, new_name):
        st.session_state[_REF + (view or page)] = (scope, Reference(params, new_name))


def _discard(cls: type | tuple[type, ...], ref: Reference) -> None:
    # the widgets back to the reference; the page puts the link in step. Several classes: params in their order
    for one, params in zip(cls, ref.params, strict=True) if isinstance(cls, tuple) else ((cls, ref.params),):
        lever_ui.reset(one, params)


def screen(*, page: str, knr: str, title: str, cls: type | tuple[type, ...], params: Any, ref: Reference, scope: str,
           tiles: Sequence[headlines.Tile], chart: dict, source: str, description: str,
           draw_lever: Callable[[Lever], None], picked_levers: Sequence[Lever], verdict: str | None = None) -> None:
    """The meeting view: title line, tiles, and the chart beside the picked levers and the two buttons.

    The tiles show ± against the opened scenario; `verdict` («Sammenlignet med 2025: verre for pasientene»)
    says in the title line how the scenario stands against the base year, so grey «som i scenarioet» tiles on
    a scenario where patients lose their GP never read as all well."""
    st.html(CSS)
    changed = params != ref.params
    head, contrast, end = st.columns([4.4, 0.9, 1], vertical_alignment="center")
    head.markdown(f"**{title}** · " + t("Scenario: «{name}»", name=escape_markdown(ref.name, inline=True))
                  + (" · " + t("endret i møtet") if changed else "") + (f" · **{verdict}**" if verdict else ""))
    with contrast:
        contrast_toggle()
    end.button(t("Avslutt møtevisning"), icon=":material/close:", on_click=leave, args=(page,),
                 key="mote_slutt", width="stretch")
    for col, tile in zip(st.columns(len(tiles)), tiles, strict=True):
        with col:
            components.headline_tile(tile)
    left, right = st.columns([3, 1], gap="medium")
    with left:
        components.chart(chart, source, description, key=f"mote_{page}", height="stretch", projector=True,
                         frame_key="mote_figur", high_contrast=high_contrast())
    with right, st.container(key="mote_spaker"):
        for lv in picked_levers:
            draw_lever(lv)
        change_buttons(knr=knr, page=page, cls=cls, params=params, ref=ref, scope=scope)


def change_buttons(*, knr: str, page: str, cls: type | tuple[type, ...], params: Any, ref: Reference, scope: str,
                   view: str | None = None, prefix: str = "mote") -> None:
    """«Behold som nytt scenario» and «Forkast endringene» (off while nothing changed), and the last
    scenario message. `view`: the reference's own key where it is not the page's (the slides)."""
    changed = params != ref.params
    st.button(t("Behold som nytt scenario"), icon=":material/bookmark_add:", type="primary", width="stretch",
              disabled=not changed, on_click=_keep, args=(knr, page, scope, params, ref.name, view),
              key=f"{prefix}_behold",
              help=t("Lagrer valgene som et nytt scenario med navnet på det åpne og tidspunktet."))
    st.button(t("Forkast endringene"), icon=":material/undo:", width="stretch", disabled=not changed,
              on_click=_discard, args=(cls, ref), key=f"{prefix}_forkast",
              help=t("Setter spakene tilbake til scenarioet som var åpent da møtevisningen startet."))
    flash = scenario_ui.flash_message()
    if flash and flash[0] != "success":
        getattr(st, flash[0])(flash[1])
    elif flash:
        st.caption(flash[1])


def slide_bar(*, place: str, index: int, count: int, prefix: str, step: Callable[[int, int], None],
              stop: Callable[[], None], slide_id: str) -> None:
    """The row on top of every slide: where we are (`place`, with the scenario's name), «Høy kontrast»,
    «Forrige», «Neste» and «Avslutt presentasjon» (keys `<prefix>_forrige/_neste/_slutt`), and the clicker
    keys wired to them; a new `slide_id` starts at its top."""
    clicker_keys(f"{prefix}_forrige", f"{prefix}_neste", slide_id)
    where, contrast, back, forward, end = st.columns([2.7, 1.2, 1, 1, 1.4], vertical_alignment="center")
    where.caption(place)
    with contrast:
        contrast_toggle()
    back.button(t("Forrige"), icon=":material/arrow_back:", on_click=step, args=(-1, count),
                disabled=index == 0, key=f"{prefix}_forrige", width="stretch")
    forward.button(t("Neste"), icon=":material/arrow_forward:", on_click=step, args=(1, count),
                   disabled=index == count - 1, key=f"{prefix}_neste", type="primary", width="stretch")
    end.button(t("Avslutt presentasjon"), icon=":material/close:", on_click=stop, key=f"{prefix}_slutt",
               width="stretch")


# --- the keyboard: presentation clickers ------------------------------------------------------------------

# static/js/clicker.js, served by the app (enableStaticServing): a script file from the app's own origin, which
# the proxy's Content-Security-Policy allows without 'unsafe-inline' (deploy/nginx/legeplan.conf).
_KEYS_JS = ('<script src="app/static/js/clicker.js" data-next="%(next)s" data-previous="%(previous)s"'
            ' data-slide="%(slide)s"></script>')


def clicker_keys(previous_key: str, next_key: str, slide: str) -> None:
    """PageDown/→/↓/Space press the button with key `next_key`, PageUp/←/↑ `previous_key` (what a
    presentation clicker sends); never while a text field, slider or list has the focus. A new `slide`
    (its id) scrolls the page to its top."""
    script = _KEYS_JS % {"next": html.escape(next_key), "previous": html.escape(previous_key),
                         "slide": html.escape(slide)}
    st.html(script, unsafe_allow_javascript=True)
