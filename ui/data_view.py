"""Streamlit glue for the Data page: user-database access, the upload preview and the batch list."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from core import access, audit, fmt, glossary, own_figures, upload_budget
from core import import_store as store
from core import ssb_readers as ssb
from core.access import Role
from core.i18n import N_, maalform, t
from core.usertext import escape_markdown
from ui import auth, components, loaders, runqueue
from ui.cache import cached, imports_version

PENDING = "data_pending_upload"  # (file name, bytes): an upload waiting for confirmation
APPLIED = "data_applied_message"
SEEN = "data_seen_upload"  # file id of the upload already taken into PENDING
PARSED = "data_parsed_upload"  # (key, Parsed): the pending upload parsed once (parse_once)
PREVIEW = "data_upload_preview"  # (key, changes, shown table): its diff against what is loaded (preview_once)
DIFF_SHOWN = 5_000  # rows of the diff sent to the browser; the counts above it cover every row

OVERVIEW_WIDTHS = {"Datasett": "large", "År": "small", "Rader": "small", "Lastet": "medium", "Kilde": "large",
                   "Lisens": "medium", "Tabell": "medium", "Proveniens": "small"}
DIFF_LABELS = {"kommunenummer": N_("Kommune"), "year": N_("År"), "metric": N_("Måltall"), "sex": N_("Kjønn"),
               "age": N_("Alder"), "kind": N_("Type"), "office": N_("Kontor"), "list_id": N_("Liste"),
               "age_to": N_("Til alder"), "alternative": N_("Alternativ"), "endring": N_("Endring")}
VALUE_LABELS = {"value": N_("Verdi"), "population": N_("Personer"), "list_cap": N_("Listetak"),
                "patients": N_("Pasienter"), "count": N_("Antall"), "note": N_("Merknad")}
CHANGE_LABELS = {"ny": N_("ny"), "endret": N_("endret"), "fjernet": N_("fjernet"), "uendret": N_("uendret")}


UPLOAD_TYPES = {"csv": "CSV", "json": "JSON", "txt": "TXT", "xlsx": "XLSX"}  # file ending → as named to the user


def overview(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """The dataset overview (core.datasets, bokmål column names) with shown column names and config."""
    config = {t(c): st.column_config.TextColumn(t("Del av PROVENANCE.md") if c == "Proveniens" else None, width=w)
              for c, w in OVERVIEW_WIDTHS.items()}
    return frame.rename(columns=lambda c: t(c)), config


def upload_caption() -> str:
    """What Streamlit's English line under the upload field says, in the målform in force: size and file types."""
    return t("Høyst {mb} MB per fil: {types}. Dra filen hit, eller trykk «Last opp» og velg den.",
             mb=int(ssb.MAX_BYTES // 1_000_000), types=", ".join(UPLOAD_TYPES.values()))


def glossary_rows() -> list[dict[str, str]]:
    """The glossary (core.glossary) as table rows in the målform in force: word, meaning, source."""
    word, meaning, source = t("Ord"), t("Betydning"), t("Kilde")
    return [{word: glossary.term(key), meaning: glossary.definition(key), source: t(term.source)}
            for key, term in glossary.TERMS.items()]


def in_english(markdown: str) -> str:
    """Markdown marked as English (lang="en") inside the Norwegian page, so screen readers pronounce it as
    English (WCAG 3.1.2): the technical provenance notes, written in English."""
    return f'<div lang="en">\n\n{markdown}\n\n</div>'


def dataset_label(dataset: str | None) -> str:
    """The dataset's name in the målform in force."""
    label = ssb.DATASET_LABELS.get(dataset or "")
    return t(label) if label else (dataset or t("ukjent datasett"))


@cached
def template_xlsx() -> bytes:
    """The Excel template in the målform in force (built once per målform: about 0.1 s)."""
    return own_figures.template_xlsx()


_WRITES = (store.apply, store.restore_previous, store.set_active)


def user_db(action: Callable[..., Any], *args: Any) -> Any:
    """Run a function on a short-lived user-database connection; None (and a warning) if it fails. A write
    runs as the person signed in (ui.auth); a refusal is shown, not raised."""
    if action not in _WRITES:
        return components.with_user_db(action, *args)
    try:
        return components.with_user_db(lambda con: action(con, *args, actor=auth.current()))
    except access.AccessDenied as exc:  # the page hides what the role may not do; core refuses it anyway
        st.error(str(exc), icon=":material/lock:")
        return None


def may_import(knr: str) -> bool:
    """Whether the person may load files at all: a data steward of the kommune, or an administrator."""
    principal = auth.current()
    return principal.admin or Role.DATA_STEWARD in principal.roles_in(knr)


def may_restore(dataset: str, knr: str) -> bool:
    """Whether the person may put a dataset's batches in or out of force (own figures: a data steward of the
    kommune; national statistics: an administrator)."""
    return access.allowed(auth.current(), audit.import_action(dataset, restore=True), knr)


def problems(parsed: ssb.Parsed) -> None:
    """Errors and warnings as a table with row and column; notes as a list."""
    if parsed.problems:
        errors = len(parsed.errors)
        text = t("{n} feil", n=errors) if errors else t("Ingen feil")
        warnings = len(parsed.problems) - errors
        if warnings:
            text += t(" og {n} advarsler", n=warnings)
        (st.error if errors else st.warning)(
            text + (t(". Rett filen og last den opp på nytt; ingenting er lagret.") if errors else "."), icon="⚠️")
        # The first messages also in full: a table cell cuts a long message off before it says what to do.
        st.markdown("\n".join(f"- {escape_markdown(p.text())}" for p in (parsed.errors or parsed.problems)[:3]))
        st.dataframe(pd.DataFrame(ssb.problem_table(parsed.problems)), hide_index=True, width="stretch")
        if len(parsed.problems) > 200:
            st.caption(t("Viser de 200 første av {n} meldinger.", n=len(parsed.problems)))
    if parsed.notes:
        st.markdown("\n".join(f"- {n}" for n in parsed.notes))


def _show_value(v: object) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NA:
        return "–"
    if isinstance(v, float):
        return fmt.number(v, 1, trim=True)
    return str(v)


def diff_table(changes: pd.DataFrame, dataset: str, limit: int | None = None) -> pd.DataFrame:
    """The diff as text for display: changed, new and removed rows first (the first `limit`), '–' for no value."""
    order = {"endret": 0, "ny": 1, "fjernet": 2, "uendret": 3}
    shown = changes.assign(_o=changes["endring"].map(order)).sort_values("_o", kind="stable").drop(columns="_o")
    if limit is not None:
        shown = shown.head(limit)
    labels = {k: t(v) for k, v in DIFF_LABELS.items()}
    for v in ssb.VALUES[dataset]:
        name = t(VALUE_LABELS[v])
        labels[f"{v}_før"], labels[f"{v}_ny"] = t("{name} før", name=name), t("{name} ny", name=name)
    shown = shown.assign(endring=shown["endring"].map(lambda k: t(CHANGE_LABELS.get(k, k))))
    shown = shown[[c for c in labels if c in shown.columns]].rename(columns=labels)
    return shown.map(_show_value)


def upload_key(data: bytes, file_name: str) -> tuple[str, str, str]:
    """What a parse depends on: the file's content (SHA-256), its name and the målform of the messages."""
    return hashlib.sha256(data).hexdigest(), file_name, maalform()


def parse_once(data: bytes, file_name: str) -> ssb.Parsed:
    """The pending upload parsed once, not on every rerun (issue 24, finding 8: a 1 M-row file took
    15–27 s and 1,1–1,6 GB per rerun): kept in this session's state under its content hash, one upload
    at a time. The parse runs in a child process within the upload budget (core.upload_budget), so a
    hostile file can neither stall this session's thread for other sessions nor take the server down."""
    key = upload_key(data, file_name)
    kept = st.session_state.get(PARSED)
    if kept is not None and kept[0] == key:
        return kept[1]
    st.session_state.pop(PREVIEW, None)
    with st.spinner(t("Leser og kontrollerer filen …")), runqueue.RUNS.aside():  # others run meanwhile
        parsed = upload_budget.parse_isolated(store.parse_upload, data, file_name, loaders.kommuner())
    st.session_state[PARSED] = (key, parsed)
    return parsed


def preview_once(parsed: ssb.Parsed, data: bytes, file_name: str) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """(changes, the table shown) for the pending upload, computed once per upload and imports in force."""
    key = (*upload_key(data, file_name), imports_version())
    kept = st.session_state.get(PREVIEW)
    if kept is not None and kept[0] == key:
        return kept[1], kept[2]
    changes = preview(parsed)
    if changes is None:
        return None
    shown = diff_table(changes, parsed.dataset or "", DIFF_SHOWN)
    st.session_state[PREVIEW] = (key, changes, shown)
    return changes, shown


def forget_upload() -> None:
    """Drop the pending upload and what was computed from it."""
    for key in (PENDING, PARSED, PREVIEW):
        st.session_state.pop(key, None)


def preview(parsed: ssb.Parsed) -> pd.DataFrame | None:
    """The diff of an upload against what is loaded now (imports in force, else the bundled data)."""
    loaded = user_db(lambda con: store.current(loaders.connection(), con, parsed))
    if loaded is None:
        return None
    return store.diff(parsed, loaded)


def batch_table(batches: pd.DataFrame) -> pd.DataFrame:
    """Import batches as text: id, dataset, file, loaded, rows, source, status."""
    return pd.DataFrame({
        t("Innlasting"): batches["batch_id"].astype(int).astype(str),
        t("Datasett"): batches["dataset"].map(dataset_label),
        t("Fil"): batches["file_name"].fillna(""),
        t("Lastet"): batches["loaded_at"].map(lambda ts: fmt.date_time(pd.Timestamp(ts))),
        t("Rader"): batches["rows"].astype(int).astype(str),
        t("Kilde"): batches["source_note"].fillna(""),
        t("Status"): batches["active"].map({True: t("i bruk"), False: t("deaktivert")}),
    })
