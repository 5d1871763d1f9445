"""Charts for Tiltak og prosjekt as pure functions: registers and series → alt.Chart (no streamlit)."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from core.charts import NO_LOCALE, axis_format
from core.i18n import t
from core.theme import CHART_TEXT
from core.tiltak import STATUSES, IndicatorView, Measure, ProjectItem

# Okabe–Ito, colour-blind safe; grey for not started, blue running, green done, orange postponed,
# vermillion stopped. Bars also carry the status in the tooltip and the table beside them.
STATUS_COLORS = {"ikke startet": "#999999", "pågår": "#0072B2", "ferdig": "#009E73", "utsatt": "#E69F00",
                 "stoppet": "#D55E00"}
ACTUAL_COLOR = "#0072B2"
BASELINE_COLOR = "#666666"
TARGET_COLOR = "#009E73"


def _status_scale() -> alt.Scale:
    """Statuses as shown (målform in force) with their colours."""
    return alt.Scale(domain=[t(s) for s in STATUSES], range=[STATUS_COLORS[s] for s in STATUSES])


def _finish(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    return chart.configure(locale=NO_LOCALE).configure_axis(labelFontSize=12, titleFontSize=12)


def _short(text: str, limit: int = 55) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def timeline_frame(measures: Sequence[Measure]) -> pd.DataFrame:
    """One row per measure with a start year: label, status (as shown), start and end (end year + 1, so a
    bar covers whole years)."""
    rows = [{"label": f"{m.priority}. {_short(m.measure)}", "measure": m.measure, "status": t(m.status),
             "start": m.start_year, "end": (m.end_year or m.start_year) + 1,
             "period": f"{m.start_year}–{m.end_year}" if m.end_year not in (None, m.start_year) else str(m.start_year),
             "effect_goal": m.effect_goal}
            for m in measures if m.start_year is not None]
    return pd.DataFrame(rows, columns=["label", "measure", "status", "start", "end", "period", "effect_goal"])


def timeline_chart(measures: Sequence[Measure], this_year: int | None = None) -> alt.TopLevelMixin:
    """One horizontal bar per measure over its years, coloured by status, in priority order."""
    data = timeline_frame(measures)
    order = list(data["label"])
    bars = alt.Chart(data).mark_bar(cornerRadius=2, height={"band": 0.7}).encode(
        y=alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelLimit=380)),
        x=alt.X("start:Q", title=t("År"), axis=alt.Axis(format="d", tickMinStep=1),
                scale=alt.Scale(zero=False, nice=False)),
        x2="end:Q",
        color=alt.Color("status:N", title=t("Status"), scale=_status_scale(),
                        legend=alt.Legend(orient="top", direction="horizontal")),
        tooltip=[alt.Tooltip("measure:N", title=t("Tiltak")), alt.Tooltip("period:N", title=t("Tid")),
                 alt.Tooltip("status:N", title=t("Status")), alt.Tooltip("effect_goal:N", title=t("Effektmål"))],
    )
    layers = [bars]
    if this_year is not None:
        now = pd.DataFrame({"x": [this_year + 0.5], "text": [f"{this_year}"]})
        layers.append(alt.Chart(now).mark_rule(strokeDash=[4, 3], color="#333").encode(x="x:Q"))
    return _finish(alt.layer(*layers).properties(height=60 + 26 * max(len(data), 1)))


def indicator_chart(view: IndicatorView) -> alt.TopLevelMixin:
    """The indicator's actual series as a line, the baseline and the target as dashed rules."""
    fmt = axis_format(view.unit)
    series = view.series.assign(kind=t("Faktisk"))
    line = alt.Chart(series).mark_line(point=True, color=ACTUAL_COLOR).encode(
        x=alt.X("year:Q", title=t("År"), axis=alt.Axis(format="d", tickMinStep=1), scale=alt.Scale(zero=False)),
        y=alt.Y("value:Q", title=view.label, axis=alt.Axis(format=fmt), scale=alt.Scale(zero=False)),
        tooltip=[alt.Tooltip("year:Q", title=t("År"), format="d"),
                 alt.Tooltip("value:Q", title=t("Faktisk"), format=fmt)],
    )
    layers: list[alt.Chart] = [line]
    for value, name, color in ((view.baseline, t("Utgangsverdi"), BASELINE_COLOR),
                               (view.target, t("Mål"), TARGET_COLOR)):
        if value is None:
            continue
        ref = pd.DataFrame({"value": [value], "name": [name]})
        layers.append(alt.Chart(ref).mark_rule(strokeDash=[6, 4], color=color, size=2).encode(
            y="value:Q", tooltip=[alt.Tooltip("name:N", title=""), alt.Tooltip("value:Q", title=t("Verdi"), format=fmt)]))
        # dark text (the green target would have 3,4:1 contrast); the rule beside it keeps the colour
        layers.append(alt.Chart(ref).mark_text(align="left", dx=4, dy=-7, color=CHART_TEXT, fontSize=12).encode(
            y="value:Q", x=alt.value(0), text="name:N"))
    return _finish(alt.layer(*layers).properties(height=280))


def milestone_frame(items: Sequence[ProjectItem], overdue_ids: set[str]) -> pd.DataFrame:
    """Milestones with a deadline: text, deadline, status and whether it is overdue (for a chart)."""
    rows = [{"text": _short(i.text, 45), "deadline": pd.Timestamp(i.deadline), "status": t(i.status),
             "overdue": t("forfalt") if i.row_id in overdue_ids else ""}
            for i in items if i.kind == "milestone" and i.deadline is not None]
    return pd.DataFrame(rows, columns=["text", "deadline", "status", "overdue"])


def milestone_chart(items: Sequence[ProjectItem], overdue_ids: set[str]) -> alt.TopLevelMixin:
    """Milestones as points on their deadline, coloured by status; overdue ones ringed and labelled."""
    data = milestone_frame(items, overdue_ids)
    overdue = " (" + t("forfalt") + ")"
    data["label"] = data["text"] + data["overdue"].map(lambda o: overdue if o else "")
    base = alt.Chart(data).encode(
        x=alt.X("deadline:T", title=t("Frist"), axis=alt.Axis(format="%Y", tickCount="year")),
        y=alt.Y("label:N", title=None, sort=None, axis=alt.Axis(labelLimit=320, labelOverlap=False)),
        tooltip=[alt.Tooltip("text:N", title=t("Milepæl")),
                 alt.Tooltip("deadline:T", title=t("Frist"), format="%d.%m.%Y"),
                 alt.Tooltip("status:N", title=t("Status")), alt.Tooltip("overdue:N", title="")],
    )
    points = base.mark_point(filled=True, size=140, shape="diamond").encode(
        color=alt.Color("status:N", title=t("Status"), scale=_status_scale(),
                        legend=alt.Legend(orient="top", direction="horizontal")))
    rings = base.transform_filter("datum.overdue != ''").mark_point(size=420, color="#D55E00", strokeWidth=2)
    return _finish((points + rings).properties(height=alt.Step(30)))
