"""A meeting-view tile (ui.meeting) on Økonomi, Kontorstruktur and Kommunale legeoppgaver: the figure as the
page shows it, with its change against the scenario the meeting opened, as plain data (no streamlit).

The change is the difference of the two figures as shown (rounded to the tile's decimals), so the ± never
disagrees with the numbers a committee compares. Its colour says whether the change is better for the kommune
and its patients: `lower_is_better` True for costs, closed days and gaps (up is red, never green), None for a
figure that is neither (grey). No change: «som i scenarioet», grey, no arrow.
"""

from __future__ import annotations

from core import fmt
from core.i18n import t
from ui.headlines import BAD, GOOD, NEUTRAL, Tile


def shown_change(now: float, before: float, decimals: int = 0) -> float:
    """The change as the tiles show it: now rounded minus before rounded (0.0 for none)."""
    change = round(round(float(now), decimals) - round(float(before), decimals), decimals)
    return 0.0 if change == 0 else change


def change_tone(change: float, lower_is_better: bool | None) -> str:
    """GOOD, BAD or NEUTRAL for a change: a rise where lower is better is BAD, never GOOD."""
    if change == 0 or lower_is_better is None:
        return NEUTRAL
    return GOOD if (change < 0) == lower_is_better else BAD


def against(key: str, label: str, value: str, now: float | None, before: float | None, before_name: str, *,
            decimals: int = 0, lower_is_better: bool | None = True, unit: str = "", scale: float = 1.0,
            before_value: str | None = None, help: str | None = None) -> Tile:
    """A tile showing `value` with its change against the opened scenario (`before`, named `before_name`).

    `scale` divides both figures before rounding (1e6 for millions); `unit` follows the delta («kr»).
    A figure that exists on one side only (a break-even list length that is never reached) is compared in
    words: the delta says what it was (`before_value`), the tone by which side lacks it.
    """
    note = t("mot «{name}»", name=before_name)
    if now is None or before is None:
        if now is None and before is None:
            return Tile(key, label, value, t("som i scenarioet"), NEUTRAL, "off", help, None)
        # never reached now (None) is the worse side where lower is better (more patients needed → never)
        worse_now = now is None
        tone = NEUTRAL if lower_is_better is None else (BAD if worse_now else GOOD)
        return Tile(key, label, value, t("var {value}", value=before_value or fmt.missing()), tone, "off", help, note)
    change = shown_change(float(now) / scale, float(before) / scale, decimals)
    if change == 0:
        return Tile(key, label, value, t("som i scenarioet"), NEUTRAL, "off", help, None)
    delta = fmt.number(change, decimals, sign=True) + (fmt.NBSP + unit if unit else "")
    return Tile(key, label, value, delta, change_tone(change, lower_is_better), "up" if change > 0 else "down",
                help, note)


# The lever column of these pages holds captions under the levers (an example, or the case's source): tighter
# spacing and smaller captions keep four levers and the two buttons on a 1366×768 screen.
COMPACT_CSS = """<style>
.st-key-mote_spaker { gap: 0.3rem !important; }
.st-key-mote_spaker [data-testid="stCaptionContainer"] { font-size: 0.78rem !important; line-height: 1.25 !important;
  margin-top: -0.35rem; }
.st-key-mote_spaker [data-testid="stCaptionContainer"] p { font-size: 0.78rem !important; }
.st-key-mote_spaker [data-testid="stSlider"] { margin-top: -0.2rem; }
</style>"""
