"""Imported statistics in force laid over the bundled ones: pure functions, no Streamlit.

The bundled statistics (legeplan.duckdb) are never written. Where an active import (core.importers,
user database) has a value for a kommune, year and måltall of SSB 12005, that value replaces the
bundled one; everything else stays bundled. For SSB 07459 the registered residents of a kommune on
1 January are replaced when the import has the whole year for that kommune. Method: docs/data.md.
"""

from __future__ import annotations

import re

import duckdb
import pandas as pd

from core import catalog
from core import importers as im
from core.i18n import t

FASTLEGE_KEYS = ("kommunenummer", "year", "metric")
IMPORT_COLUMNS = ("kommunenummer", "year", "metric", "value", "batch_id", "file_name", "loaded_at")
POPULATION_COLUMNS = ("kommunenummer", "year", "sex", "age", "population", "batch_id", "file_name", "loaded_at")
NATIONAL = "0000"  # «Hele landet» in an SSB export: never laid over the kommuner
AGES = 106  # 0 … «105 år eller eldre»


def _with_batches(con_user: duckdb.DuckDBPyConnection, rows: pd.DataFrame) -> pd.DataFrame:
    b = im.batches(con_user)[["batch_id", "file_name", "loaded_at"]]
    return rows.merge(b, on="batch_id", how="left")


def fastlege_in_force(con_user: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every imported 12005 value in force (all kommuner) with the file and time it came from.

    Rows without a value (SSB's '..', ':' …) are left out, so the bundled value stays for them.
    """
    rows = im.in_force(con_user, im.FASTLEGE)
    rows = rows[rows["value"].notna() & (rows["kommunenummer"] != NATIONAL)]
    return _with_batches(con_user, rows).reindex(columns=list(IMPORT_COLUMNS)).reset_index(drop=True)


def population_in_force(con_user: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every imported 07459 population figure in force (all kommuner) with its file and time."""
    rows = im.in_force(con_user, im.POPULATION)
    rows = rows[rows["population"].notna() & (rows["kommunenummer"] != NATIONAL)]
    return _with_batches(con_user, rows).reindex(columns=list(POPULATION_COLUMNS)).reset_index(drop=True)


def active_batches(con_user: duckdb.DuckDBPyConnection) -> tuple[int, ...]:
    """Ids of the active 12005 and 07459 batches: a cheap token that changes on import and restore."""
    try:
        df = con_user.execute("SELECT batch_id FROM import_batch WHERE active AND dataset IN (?, ?) "
                              "ORDER BY batch_id", [im.FASTLEGE, im.POPULATION]).fetchall()
    except duckdb.CatalogException:  # nothing was ever imported: the tables do not exist yet
        return ()
    return tuple(int(r[0]) for r in df)


def select(imported: pd.DataFrame | None, **where: object) -> pd.DataFrame | None:
    """The imported rows with column == value for each keyword (None stays None)."""
    if imported is None or imported.empty:
        return None
    mask = pd.Series(True, index=imported.index)
    for col, value in where.items():
        mask &= imported[col] == value
    return imported[mask] if mask.any() else None


def fastlege(bundled: pd.DataFrame, imported: pd.DataFrame | None) -> pd.DataFrame:
    """The bundled 12005 rows with imported values laid over them.

    `bundled` is long (some of kommunenummer, year, metric, plus value); `imported` has already been
    narrowed to the same selection (core.overlay.select), e.g. one year or one kommune. A key the
    import has replaces the bundled value; a key only the import has is added. Same columns out.
    """
    if imported is None or imported.empty:
        return bundled
    keys = [k for k in FASTLEGE_KEYS if k in bundled.columns]
    new = imported[[*keys, "value"]].drop_duplicates(keys, keep="last")
    if bundled.empty:
        return new.reindex(columns=bundled.columns).reset_index(drop=True)
    kept = bundled.merge(new[keys], on=keys, how="left", indicator=True)
    kept = kept[kept["_merge"] == "left_only"].drop(columns="_merge")
    out = pd.concat([kept, new.reindex(columns=bundled.columns)], ignore_index=True)
    for col in bundled.columns:
        if col != "value":
            out[col] = out[col].astype(bundled[col].dtype)
    return out.sort_values([c for c in ("metric", "year", "kommunenummer") if c in out.columns],
                           kind="stable").reset_index(drop=True)


def residents(imported_population: pd.DataFrame | None, kommunenummer: str, year: int) -> float | None:
    """Imported residents of a kommune on 1 January `year`, or None if the import lacks the whole year.

    Men + women (each as all ages 0–105 or a total without age) if both are there, else both sexes
    together; a year with only some ages is not used (the bundled figure stays).
    """
    rows = select(imported_population, kommunenummer=kommunenummer, year=year)
    if rows is None:
        return None

    def whole(sex: str) -> float | None:
        part = rows[rows["sex"] == sex]
        total = part[part["age"].isna()]
        if len(total):
            return float(total["population"].iloc[-1])
        ages = part.dropna(subset=["age"]).drop_duplicates("age", keep="last")
        return float(ages["population"].sum()) if len(ages) >= AGES else None

    men, women = whole("male"), whole("female")
    if men is not None and women is not None:
        return men + women
    return whole("total")


def file_label(name: object) -> str:
    """A file name safe to show in markdown: letters, digits, _ . , ( ) - and space, at most 80 characters."""
    text = re.sub(r"[^\w .,()-]", "", str(name))[:80].strip()
    return text or t("(uten navn)")


def note(*frames: pd.DataFrame | None, bundled: str = catalog.SSB_12005) -> str | None:
    """«Innlastet fra <fil>, <dato>; ellers <kilde> (medfølgende)» for the imports used, else None."""
    used = [f for f in frames if f is not None and not f.empty]
    if not used:
        return None
    rows = pd.concat([f[["batch_id", "file_name", "loaded_at"]] for f in used]).drop_duplicates("batch_id")
    files = ", ".join(f"{file_label(r.file_name)}, {pd.Timestamp(r.loaded_at):%d.%m.%Y}"
                      for r in rows.sort_values("batch_id").itertuples())
    return t("Innlastet fra {files}; ellers {bundled} (medfølgende)", files=files, bundled=bundled)
