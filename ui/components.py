"""Building blocks shared by pages: key figure tiles and charts with their source."""

from __future__ import annotations

import altair as alt
import streamlit as st

from core.indicators import Figure
from ui import fmt


def figure_tile(figure: Figure, national_label: str = "Landet") -> None:
    """One st.metric tile: value, change from last year, national figure and reasons below."""
    ind = figure.indicator
    delta = fmt.change(figure.change, ind.unit)
    if ind.higher_is_better is None:
        delta_color = "off"
    else:
        delta_color = "normal" if ind.higher_is_better else "inverse"
    unchanged = figure.change is not None and round(figure.change, 4) == 0
    st.metric(ind.label, fmt.value(figure.value, ind.unit), delta=delta,
              delta_color="off" if unchanged else delta_color,
              delta_arrow="off" if unchanged else "auto", help=ind.help, border=True)
    lines = [f"{national_label}: {fmt.value(figure.national, ind.unit)}"]
    if figure.missing_reason:
        lines.append(figure.missing_reason)
    st.caption("  \n".join(lines))


def tiles(figures: list[Figure], per_row: int = 3) -> None:
    """Tiles in rows of `per_row`."""
    for start in range(0, len(figures), per_row):
        cols = st.columns(per_row)
        for col, figure in zip(cols, figures[start:start + per_row], strict=False):
            with col:
                figure_tile(figure)


def chart(chart_obj: alt.TopLevelMixin, source: str, description: str, key: str | None = None) -> None:
    """An Altair chart with its text alternative and, under it, its source and year."""
    st.altair_chart(chart_obj, width="stretch", key=key, alt=description)
    st.caption(f"Kilde: {source}")
