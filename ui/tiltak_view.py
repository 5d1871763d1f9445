"""Streamlit glue for Tiltak og prosjekt: the stored registers in the session, the editors, saving
with conflict messages, undo of removals, the change log and the tables. Logic is in core/tiltak.py."""

from __future__ import annotations

from datetime import date, datetime

import duckdb
import pandas as pd
import pyarrow as pa
import streamlit as st

from core import access, db, fmt
from core import tiltak as tk
from core.access import Action
from core.i18n import BOKMAAL, maalform, t
from core.usertext import escape_markdown
from ui import auth, components, loaders
from ui.cache import cached

_FLASH = "_tiltak_flash"
SSB_SOURCE = "SSB, statistikkbanktabell 12005 «Fastlegelister og fastlegekonsultasjoner (K)»"  # a table's title


def today() -> date:
    """Today's date in Norway."""
    return tk.now_oslo().date()


def _user_db(action, *args):
    """Run a store function on a short-lived user-database connection; None if it is unavailable."""
    try:
        with db.connect_user() as con:
            return action(con, *args, **({"actor": auth.current()} if action in _WRITES else {}))
    except db.UserDbBusy:  # the command-line importer is writing: it lets go within seconds
        st.warning(components.busy_text(), icon="⚠️")
        return None
    except access.AccessDenied as exc:  # the page hides what the role may not do; core refuses it anyway
        st.error(str(exc), icon=":material/lock:")
        return None
    except (duckdb.Error, OSError) as exc:  # locked by another process, disk full …
        st.warning(t("Registrene kan ikke leses eller lagres akkurat nå ({error}). Prøv igjen om litt.",
                     error=type(exc).__name__), icon="⚠️")
        return None


_WRITES = (tk.save, tk.remove, tk.undo_remove)


def may_edit(knr: str) -> bool:
    """Whether the person may change the kommune's registers (a planner there)."""
    return access.allowed(auth.current(), Action.REGISTER_EDIT, knr)


def _key(knr: str, register: str) -> str:
    return f"tiltak_snapshot:{knr}:{register}"


def snapshot(knr: str, register: str) -> tk.Snapshot:
    """The register as this session opened it (seeded on first use); reloaded only on request or after a save."""
    key = _key(knr, register)
    if key not in st.session_state:
        loaded = _user_db(tk.open_register, loaders.connection(), knr, register)
        if loaded is None:
            return tk.Snapshot(register, 0, ())
        st.session_state[key] = loaded
    return st.session_state[key]


def reload(knr: str, register: str) -> None:
    """Forget this session's copy, so the next run reads the newest version."""
    st.session_state.pop(_key(knr, register), None)


def flash(message: str, kind: str = "success") -> None:
    """A message shown once after the next rerun."""
    st.session_state[_FLASH] = (kind, message)


def show_flash() -> None:
    """Show and clear the queued message."""
    kind, message = st.session_state.pop(_FLASH, (None, None))
    if message:
        getattr(st, kind)(message, icon="✅" if kind == "success" else "⚠️")


def _config(register: str) -> dict:
    config: dict = {"row_id": None}
    for c in tk.COLUMNS[register]:
        common = {"label": t(c.label), "help": t(c.help) if c.help else None}
        if c.kind == "status":
            config[c.key] = st.column_config.SelectboxColumn(options=[t(s) for s in tk.STATUSES],
                                                             default=t("ikke startet"), required=True, **common)
        elif c.kind == "indicator":
            config[c.key] = st.column_config.SelectboxColumn(
                options=[t(label) for label, _ in tk.INDICATOR_LINKS.values()], **common)
        elif c.kind == "kind":
            config[c.key] = st.column_config.SelectboxColumn(options=[t(k) for k in tk.PROJECT_KINDS.values()],
                                                             default=t("Milepæl"), **common)
        elif c.kind == "int":
            config[c.key] = st.column_config.NumberColumn(format="%d", step=1, width="small", **common)
        elif c.kind in ("date", "year", "number", "kr"):  # text: blank stays blank, 1 000,5 is accepted
            config[c.key] = st.column_config.TextColumn(width="small", max_chars=20, **common)
        else:
            config[c.key] = st.column_config.TextColumn(width="medium", max_chars=2000, **common)
    return config


def editor_key(knr: str, register: str, version: int) -> str:
    """Session key of a register's editor (a new key per stored version or målform resets the editor)."""
    suffix = "" if maalform() == BOKMAAL else f":{maalform()}"
    return f"tiltak_editor:{knr}:{register}:{version}{suffix}"


def editor(knr: str, register: str, snap: tk.Snapshot) -> None:
    """The editable register with a save button; validation and conflicts as Norwegian messages."""
    if not may_edit(knr):
        st.dataframe(tk.to_frame(register, snap.rows), hide_index=True, column_config=_config(register),
                     width="stretch", key=f"tiltak_read:{register}")
        st.caption(t("Du kan lese registeret, men ikke endre det (det krever rollen planlegger for kommunen)."))
        return
    edited = st.data_editor(tk.to_frame(register, snap.rows), key=editor_key(knr, register, snap.version),
                            num_rows="dynamic", hide_index=True, column_config=_config(register), width="stretch")
    left, right, _ = st.columns([1, 1, 2])
    save = left.button(t("Lagre endringene"), key=f"tiltak_save:{register}", icon=":material/save:", type="primary")
    if right.button(t("Last inn nyeste versjon"), key=f"tiltak_reload:{register}", icon=":material/refresh:",
                    help=t("Henter det som er lagret nå. Endringer du ikke har lagret, forsvinner.")):
        reload(knr, register)
        st.rerun()
    if not save:
        return
    rows, problems = tk.parse(register, edited, snap.rows)
    if problems:
        st.error(t("**Ikke lagret.** Rett opp dette først:") + "\n\n" + "\n".join(f"- {escape_markdown(p, inline=True)}" for p in problems),
                 icon="✏️")
        return
    result = _user_db(tk.save, knr, register, snap.version, rows)
    if result is None:
        return
    if not result.ok:
        st.error(result.messages[0], icon="⚠️")
        return
    removed = "fjernet" in result.actions
    flash(result.messages[0] + (" " + t("Fjernede rader kan hentes tilbake under «Fjernede».") if removed else ""))
    reload(knr, register)
    st.rerun()


def removed_list(knr: str, register: str, snap: tk.Snapshot) -> None:
    """The removed rows, each with an undo button."""
    if not snap.removed or not may_edit(knr):
        return
    with st.expander(t("Fjernede ({n}) – kan angres", n=len(snap.removed))):
        for row in snap.removed:
            left, right = st.columns([5, 1])
            left.markdown(escape_markdown(tk.title(row, 120), inline=True))
            if right.button(t("Angre"), key=f"tiltak_undo:{register}:{row.row_id}", icon=":material/undo:"):
                result = _user_db(tk.undo_remove, knr, register, snap.version, row.row_id)
                if result is not None and result.ok:
                    flash(result.messages[0])
                    reload(knr, register)
                    st.rerun()
                elif result is not None:
                    st.error(result.messages[0], icon="⚠️")


def log_table(knr: str, register: str) -> None:
    """The change log in an expander, newest first."""
    log = _user_db(tk.change_log, knr, register)
    if log is None or log.empty:
        return
    with st.expander(t("Endringslogg ({n} endringer)", n=len(log))):
        st.dataframe(pa.table({t("Tid"): [tk.when(at) for at in log["at"]],
                               t("Versjon"): [str(int(v)) for v in log["version"]],
                               t("Endring"): [str(s) for s in log["summary"]]}), hide_index=True, width="stretch")
        st.caption(t("Kilde: Legeplans brukerdatabase (hver lagring med tidspunkt, norsk tid)"))


def stored_caption(snap: tk.Snapshot, source: str) -> str:
    """'Kilde: …' for a register: the document it was seeded from, and the stored version."""
    origin = t("{source}; endringer er brukerens egne", source=source) if source else t(tk.USER_SOURCE)
    if not snap.version:
        return t("Kilde: {origin} (ikke lagret ennå)", origin=origin)
    return t("Kilde: {origin} (versjon {version}, sist lagret {when})", origin=origin, version=snap.version,
             when=tk.when(snap.updated_at))


def grouped_rows(measures) -> list[dict[str, str]]:
    """The measures grouped by effect goal (the goal on the first row of its group), as text."""
    goals = list(dict.fromkeys(m.effect_goal for m in measures))
    rows = []
    for goal in goals:
        for n, m in enumerate(m for m in measures if m.effect_goal == goal):
            rows.append({t("Effektmål"): (goal or t("(uten effektmål)")) if n == 0 else "",
                         t("Nr."): str(m.priority), t("Tiltak"): m.measure, t("Tid"): period(m),
                         t("Status"): t(m.status), t("Ansvarlig"): m.responsible or "–", t("Økonomi"): cost(m)})
    return rows


def grouped_table(measures) -> None:
    """The measures grouped by effect goal, as an interactive table."""
    st.dataframe(pa.Table.from_pylist(grouped_rows(measures)), hide_index=True, width="stretch")


def printable_table(rows: list[dict[str, str]]) -> None:
    """A static markdown table (every row on the page, so it prints whole)."""
    if not rows:
        return

    def cell(text: str) -> str:
        return escape_markdown(text, inline=True) or " "

    header = list(rows[0])
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(r[h]) for h in header) + " |" for r in rows]
    st.markdown("\n".join(lines))


def period(m: tk.Measure) -> str:
    """A measure's years as text."""
    if m.start_year is None:
        return "–"
    return str(m.start_year) if m.end_year in (None, m.start_year) else f"{m.start_year}–{m.end_year}"


def cost(m: tk.Measure) -> str:
    """A measure's cost: the amount or range in kroner, else the text."""
    if m.cost_min is not None and m.cost_max is not None and m.cost_max != m.cost_min:
        return f"{fmt.number(m.cost_min)}–{fmt.kroner(m.cost_max)}"
    if m.cost_min is not None or m.cost_max is not None:
        return fmt.kroner(m.cost_min if m.cost_min is not None else m.cost_max)
    return m.cost_text or "–"


@cached(text=False, imports=False)
def indicator_series(knr: str, key: str) -> pd.DataFrame:
    """A linked indicator's published series for the kommune."""
    return tk.indicator_series(loaders.connection(), knr, key)


def show_value(x: float | None, unit: str) -> str:
    """An indicator value in its display form."""
    return fmt.value(x, unit)


def milestone_table(items, overdue_ids: set[str]) -> None:
    """Milestones with deadline and status; overdue ones marked."""
    rows = [{t("Milepæl"): i.text, t("År"): i.group or "–",
             t("Frist"): fmt.date(i.deadline) if i.deadline else "–",
             t("Status"): t(i.status), t("Forfalt"): t("ja – forfalt") if i.row_id in overdue_ids else ""}
            for i in items if i.kind == "milestone"]
    st.dataframe(pa.Table.from_pylist(rows), hide_index=True, width="stretch")


def downloads(knr: str, measures, project, stamp: datetime) -> None:
    """Excel (one sheet per register) and CSV downloads, text neutralised against formulas."""
    m_frame = tk.export_frame(tk.MEASURES, measures)
    p_frame = tk.export_frame(tk.PROJECT, project)
    day = f"{stamp:%Y-%m-%d}"
    cols = st.columns(3)
    cols[0].download_button(t("Excel (begge registre)"), tk.to_excel({t("Tiltak"): m_frame, t("Prosjekt"): p_frame}),
                            file_name=f"tiltak-og-prosjekt-{knr}-{day}.xlsx", icon=":material/download:",
                            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    cols[1].download_button(t("Tiltak som CSV"), tk.to_csv(m_frame), file_name=f"tiltak-{knr}-{day}.csv",
                            mime="text/csv", icon=":material/download:")
    cols[2].download_button(t("Prosjekt som CSV"), tk.to_csv(p_frame), file_name=f"prosjekt-{knr}-{day}.csv",
                            mime="text/csv", icon=":material/download:")
