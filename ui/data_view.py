"""Streamlit glue for the Data page: user-database access, the upload preview and the batch list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from core import importers as im
from ui import loaders

PENDING = "data_pending_upload"  # (file name, bytes): an upload waiting for confirmation
APPLIED = "data_applied_message"
SEEN = "data_seen_upload"  # file id of the upload already taken into PENDING

OVERVIEW_CONFIG = {
    "Datasett": st.column_config.TextColumn(width="large"),
    "År": st.column_config.TextColumn(width="small"),
    "Rader": st.column_config.TextColumn(width="small"),
    "Lastet": st.column_config.TextColumn(width="medium"),
    "Kilde": st.column_config.TextColumn(width="large"),
    "Lisens": st.column_config.TextColumn(width="medium"),
    "Tabell": st.column_config.TextColumn(width="medium"),
    "Proveniens": st.column_config.TextColumn("PROVENANCE §", width="small"),
}
DIFF_LABELS = {"kommunenummer": "Kommune", "year": "År", "metric": "Måltall", "sex": "Kjønn", "age": "Alder",
               "kind": "Type", "office": "Kontor", "list_id": "Liste", "endring": "Endring"}


def user_db(action: Callable[..., Any], *args: Any) -> Any:
    """Run a function on a short-lived user-database connection; None (and a warning) if it fails."""
    return loaders.with_user_db(action, *args)


def problems(parsed: im.Parsed) -> None:
    """Errors and warnings as a table with row and column; notes as a list."""
    if parsed.problems:
        errors = len(parsed.errors)
        text = f"{errors} feil" if errors else "Ingen feil"
        warnings = len(parsed.problems) - errors
        if warnings:
            text += f" og {warnings} advarsler"
        (st.error if errors else st.warning)(
            text + (". Rett filen og last den opp på nytt; ingenting er lagret." if errors else "."), icon="⚠️")
        st.dataframe(pd.DataFrame(im.problem_table(parsed.problems)), hide_index=True, width="stretch")
        if len(parsed.problems) > 200:
            st.caption(f"Viser de 200 første av {len(parsed.problems)} meldinger.")
    if parsed.notes:
        st.markdown("\n".join(f"- {n}" for n in parsed.notes))


def _show_value(v: object) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NA:
        return "–"
    if isinstance(v, float):
        return f"{v:,.1f}".replace(",", "\u00a0").replace(".", ",").removesuffix(",0")
    return str(v)


def diff_table(changes: pd.DataFrame, dataset: str) -> pd.DataFrame:
    """The diff as text for display: changed, new and removed rows first, '–' for no value."""
    order = {"endret": 0, "ny": 1, "fjernet": 2, "uendret": 3}
    shown = changes.assign(_o=changes["endring"].map(order)).sort_values("_o", kind="stable").drop(columns="_o")
    labels = dict(DIFF_LABELS)
    for v in im.VALUES[dataset]:
        name = {"value": "Verdi", "population": "Personer", "list_cap": "Listetak", "patients": "Pasienter",
                "count": "Antall", "note": "Merknad"}[v]
        labels[f"{v}_før"], labels[f"{v}_ny"] = f"{name} før", f"{name} ny"
    shown = shown[[c for c in labels if c in shown.columns]].rename(columns=labels)
    return shown.map(_show_value)


def preview(parsed: im.Parsed) -> pd.DataFrame | None:
    """The diff of an upload against what is loaded now (imports in force, else the bundled data)."""
    loaded = user_db(lambda con: im.current(loaders.connection(), con, parsed))
    if loaded is None:
        return None
    return im.diff(parsed, loaded)


def batch_table(batches: pd.DataFrame) -> pd.DataFrame:
    """Import batches as text: id, dataset, file, loaded, rows, source, status."""
    return pd.DataFrame({
        "Innlasting": batches["batch_id"].astype(int).astype(str),
        "Datasett": batches["dataset"].map(im.DATASET_LABELS).fillna(batches["dataset"]),
        "Fil": batches["file_name"].fillna(""),
        "Lastet": batches["loaded_at"].map(lambda t: f"{pd.Timestamp(t):%Y-%m-%d %H:%M}"),
        "Rader": batches["rows"].astype(int).astype(str),
        "Kilde": batches["source_note"].fillna(""),
        "Status": batches["active"].map({True: "i bruk", False: "deaktivert"}),
    })
