"""Kontorstruktur in the meeting view (ui.meeting): cost today and of the first alternative, and the closed
office days of both with ± against the opened scenario; the closed days per office beside the scenario's."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from core import fmt, meeting_charts
from core import offices as of
from core import reference_cases as rc
from core.i18n import t
from core.params import Lever
from ui import kontor_view as ui
from ui import levers as lever_ui
from ui import meeting
from ui.cache import cached
from ui.export_view import open_scenario
from ui.headlines import NEUTRAL, Tile
from ui.meeting_tiles import COMPACT_CSS, against

PAGE = "kontor"
# What the Øyer document says closes Tretten: rest after a night on legevakt, public health work (helsestasjon,
# refugees), holidays and courses (absence days per GP).
DEFAULT_PICK = ("night_rest_days", "municipal_days", "holiday_days", "course_days")
_SOURCE = "_mote_kontor_utgangspunkt"  # the starting point, kept while the picker is not drawn
_EDITS = "_mote_kontor_endringer:"  # + scope: the office table's edits, kept while the editor is not drawn


def sidebar() -> None:
    """The page's «Møtet» box: pick the levers, open the meeting view."""
    meeting.sidebar(PAGE, of.AbsenceParams, DEFAULT_PICK)


def tiles(comparison: pd.DataFrame, before: pd.DataFrame, absence: of.AbsenceParams,
          before_name: str) -> tuple[Tile, ...]:
    """Cost per year today and of the first alternative (its saving against today, as the page says it), and
    the closed office days of both with ± against the opened scenario (`before`: its comparison). The labels
    and rounding are the page's (ui.kontor_view.tiles); fewer closed days are better for the patients."""
    today, today_before = comparison.iloc[0], before.iloc[0]
    out = [Tile("total_cost", t("{model}: kostnad per år", model=today.model), ui.kr(today.total_cost))]
    rows = [(today, today_before)]
    if len(comparison) > 1:
        model = comparison.iloc[1]
        out.append(Tile("total_cost", t("{model}: kostnad per år", model=model.model), ui.kr(model.total_cost),
                        t("{change} kr mot i dag", change=fmt.number(-model.saving, sign=True)), NEUTRAL, "off",
                        t("Kostnaden mot i dag endres ikke av fraværet; den står som i tabellen på siden.")))
        rows.append((model, before.iloc[1]))
    for now, then in rows:
        out.append(against("closed_days",
                           ui.closed_label(t("{model}: stengte kontordager per år", model=now.model), absence),
                           fmt.number(now.closed_days, 1), now.closed_days, then.closed_days, before_name, decimals=1))
    return tuple(out)


def _current_source(knr: str) -> str:
    """The starting point the page last chose, without drawing the picker (kept for the next run)."""
    source = st.session_state.get(ui.SOURCE_KEY) or st.session_state.get(_SOURCE)
    if not source:
        _, _, imported_year = ui.imported_offices(knr)
        source = ui.IMPORTED if imported_year else of.OYER_CASE if rc.belongs_to(of.OYER_CASE, knr) else "egne"
    st.session_state[_SOURCE] = source
    return source


def edited_table(table: pd.DataFrame, edits: dict[str, Any] | None) -> pd.DataFrame:
    """The office table with the page editor's edits applied (st.data_editor's edited, added and deleted rows)."""
    if not edits:
        return table
    out = table.copy()
    for row, changes in (edits.get("edited_rows") or {}).items():
        for column, value in changes.items():
            if column in out.columns and int(row) < len(out):
                out.loc[out.index[int(row)], column] = value
    deleted = [out.index[int(i)] for i in edits.get("deleted_rows") or [] if int(i) < len(table)]
    out = out.drop(index=deleted)
    added = [{c: r.get(c) for c in out.columns} for r in edits.get("added_rows") or []]
    return pd.concat([out, pd.DataFrame(added, columns=out.columns)], ignore_index=True) if added else out


def _comparison(offices: tuple[of.Office, ...], models: tuple[of.Model, ...],
                absence: of.AbsenceParams) -> tuple[pd.DataFrame, pd.DataFrame]:
    comparison, _ = of.compare(offices, models, absence)
    per_office, _ = of.model_offices(offices, models, absence)
    return comparison, per_office


def draw(lv: Lever) -> None:
    """One absence lever as the page's sidebar draws it (its example caption while on the example)."""
    lever_ui.widget(lv, getattr(of.AbsenceParams(), lv.name))


def hook(knr: str, kommune: str) -> None:
    """At the top of Kontorstruktur: in the meeting view, show it (no title, table or sidebar levers) and stop."""
    if not meeting.active():
        return
    source = _current_source(knr)
    start = ui.start(source, knr)
    scope = f"{knr}:{source}"
    edits = st.session_state.get(ui.editor_key(scope)) or st.session_state.get(_EDITS + scope)
    st.session_state[_EDITS + scope] = edits
    offices, _ = of.parse_offices(edited_table(start.table, edits))
    absence = lever_ui.panel(of.AbsenceParams, of.AbsenceParams(), scope="kontor", where=None)
    if not offices:
        st.info(t("Skriv inn minst ett kontor med navn i tabellen, så vises kostnader og sårbarhet her."))
        st.button(t("Avslutt møtevisning"), on_click=meeting.leave, args=(PAGE,), key="mote_slutt")
        st.stop()
    models = (of.Model(t(of.TODAY), source=start.source), *ui.models(scope, start.models))
    ref = meeting.reference(PAGE, scope, absence, open_scenario(knr, PAGE)[0])
    comparison, per_office = _comparison(offices, models, absence)
    before, before_office = _comparison(offices, models, ref.params)
    source_line = "; ".join(dict.fromkeys(t(s) for s in [start.source] + [m.source for m in models[1:]]))
    example = bool(of.absence_examples(absence))
    st.html(COMPACT_CSS)
    meeting.screen(
        page=PAGE, knr=knr, title=t("Kontorstruktur – {name}", name=kommune), cls=of.AbsenceParams,
        params=absence, ref=ref, scope=scope, tiles=tiles(comparison, before, absence, ref.name),
        chart=_chart(per_office, before_office, example),
        source=t("{source}; fravær: spakene (eksempelverdier)", source=source_line) if example else source_line,
        description=t("Liggende stolper: forventet antall arbeidsdager per år da hvert kontor må stenge fordi ingen "
                      "fastlege er til stede, per modell og kontor, med endringene i blått og scenarioet som ble "
                      "åpnet i grått ved siden av."),
        draw_lever=draw, picked_levers=meeting.picked(of.AbsenceParams, DEFAULT_PICK))
    st.stop()


@cached(max_entries=128)
def _chart(per_office: pd.DataFrame, before: pd.DataFrame, example: bool) -> dict:
    return meeting_charts.office_closed_days(per_office, before, example)

