"""The catalogue of datasets: the bundled tables of legeplan.duckdb and the imports in the user database,
and the provenance sections of data/sources/PROVENANCE.md they refer to."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pandas as pd

from core import db, fmt
from core import import_store as store
from core import ssb_readers as ssb
from core.i18n import N_, t

PROVENANCE = db.DATA_DIR / "sources" / "PROVENANCE.md"
# column names in bokmål (keys; ui.data_view.overview shows them with t())
OVERVIEW_COLUMNS = (N_("Datasett"), N_("År"), N_("Rader"), N_("Lastet"), N_("Kilde"), N_("Lisens"), N_("Tabell"),
                    N_("Proveniens"))


def _year_range(con: duckdb.DuckDBPyConnection, table: str) -> str:
    cols = set(db.query(con, "SELECT column_name FROM information_schema.columns WHERE table_name = ?",
                        [table])["column_name"])
    if "year" not in cols:
        return "–"
    # the table name comes from the database's own catalogue
    sql = f"SELECT min(TRY_CAST(year AS INTEGER)) AS lo, max(TRY_CAST(year AS INTEGER)) AS hi FROM {table}"  # noqa: S608
    row = db.query(con, sql)
    lo, hi = row["lo"].iloc[0], row["hi"].iloc[0]
    if pd.isna(lo):
        return "–"
    return str(int(lo)) if lo == hi else f"{int(lo)}–{int(hi)}"


def bundled(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per table of the statistics database (OVERVIEW_COLUMNS), as text ready to show."""
    meta = db.query(con, "SELECT key, value FROM meta")
    built = dict(zip(meta["key"], meta["value"], strict=True)).get("built_at", "")
    rows = []
    for r in db.query(con, "SELECT * FROM dataset ORDER BY name").itertuples():
        rows.append({"Datasett": t(r.title), "Kilde": r.publisher, "Tabell": r.name,
                     "År": _year_range(con, r.name), "Rader": fmt.number(int(r.rows)),
                     "Lastet": t("{time} (bygget)", time=fmt.date_time(built) if built else ""),
                     "Lisens": t(r.licence) if r.licence else t("ikke oppgitt"), "Proveniens": r.provenance_section or ""})
    return pd.DataFrame(rows, columns=list(OVERVIEW_COLUMNS))


def imported(con_user: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per imported dataset in force in the user database (OVERVIEW_COLUMNS)."""
    rows = []
    all_batches = store.batches(con_user)
    for dataset, label_key in ssb.DATASET_LABELS.items():
        active = all_batches[(all_batches["dataset"] == dataset) & all_batches["active"]]
        if active.empty:
            continue
        data = store.in_force(con_user, dataset)
        years = data["year"].dropna()
        span = "–" if years.empty else (str(int(years.min())) if years.min() == years.max()
                                          else f"{int(years.min())}–{int(years.max())}")
        newest = active.iloc[0]
        rows.append({"Datasett": t("{label} – importert", label=t(label_key)),
                     "Kilde": str(newest["source_note"] or t("ikke oppgitt")),
                     "Tabell": t("{table} (brukerdatabasen)", table=store.TABLES[dataset]), "År": span,
                     "Rader": fmt.number(len(data)),
                     "Lastet": f"{fmt.date_time(pd.Timestamp(newest['loaded_at']))} ({newest['file_name']})",
                     "Lisens": t("som kilden"), "Proveniens": t("innlasting {n}", n=int(newest["batch_id"]))})
    return pd.DataFrame(rows, columns=list(OVERVIEW_COLUMNS))


_HEADING = re.compile(r"^(##+)\s+(\d+[a-z]?)\.\s")


def provenance_sections(path: Path = PROVENANCE) -> dict[str, str]:
    """Section number ('1', '5b') → the markdown of that section of PROVENANCE.md."""
    sections: dict[str, list[str]] = {}
    current: str | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        m = _HEADING.match(line)
        if m:
            current = m.group(2)
            sections[current] = []
        elif line.startswith("## ") or line.startswith("### "):
            current = None
        if current is not None:
            sections[current].append(line)
    return {k: "\n".join(v).strip() for k, v in sections.items()}


def provenance_for(sections_field: str, sections: dict[str, str]) -> str:
    """The provenance text for a `dataset.provenance_section` value like '1, 2' or '5'."""
    wanted = [s.strip() for s in str(sections_field).split(",") if s.strip()]
    parts = []
    for w in wanted:
        keys = [k for k in sections if k == w or (k[:-1] == w and k[-1].isalpha())]
        parts += [sections[k] for k in keys]
    return "\n\n".join(parts) if parts else t("Ingen del av PROVENANCE.md med nummer «{n}».", n=sections_field)
