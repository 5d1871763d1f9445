"""Imported statistics in force laid over the bundled ones: pure functions, no Streamlit.

The bundled statistics (legeplan.duckdb) are never written. Where an active import (core.import_store,
user database) has a value for a kommune, year and måltall of SSB 12005, that value replaces the
bundled one; everything else stays bundled. For SSB 07459 the registered residents of a kommune on
1 January are replaced when the import has the whole year for that kommune. The kommune's own figures
(the template: lists with caps, waiting list, planned hjemler, offices) replace the starting point of
Fastlegekapasitet and fill the office table of Kontorstruktur. Method: docs/data.md.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

import duckdb
import numpy as np
import pandas as pd

from core import catalog, fmt
from core import import_store as store
from core import ssb_readers as ssb
from core.capacity import CapacityBase
from core.i18n import t

FASTLEGE_KEYS = ("kommunenummer", "year", "metric")
IMPORT_COLUMNS = ("kommunenummer", "year", "metric", "value", "batch_id", "file_name", "loaded_at")
POPULATION_COLUMNS = ("kommunenummer", "year", "sex", "age", "population", "batch_id", "file_name", "loaded_at")
NATIONAL = "0000"  # «Hele landet» in an SSB export: never laid over the kommuner
AGES = 106  # 0 … «105 år eller eldre»


def _with_batches(con_user: duckdb.DuckDBPyConnection, rows: pd.DataFrame) -> pd.DataFrame:
    b = store.batches(con_user)[["batch_id", "file_name", "loaded_at"]]
    return rows.merge(b, on="batch_id", how="left")


def fastlege_in_force(con_user: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every imported 12005 value in force (all kommuner) with the file and time it came from.

    Rows without a value (SSB's '..', ':' …) are left out, so the bundled value stays for them.
    """
    rows = store.in_force(con_user, ssb.FASTLEGE)
    rows = rows[rows["value"].notna() & (rows["kommunenummer"] != NATIONAL)]
    return _with_batches(con_user, rows).reindex(columns=list(IMPORT_COLUMNS)).reset_index(drop=True)


def population_in_force(con_user: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every imported 07459 population figure in force (all kommuner) with its file and time."""
    rows = store.in_force(con_user, ssb.POPULATION)
    rows = rows[rows["population"].notna() & (rows["kommunenummer"] != NATIONAL)]
    return _with_batches(con_user, rows).reindex(columns=list(POPULATION_COLUMNS)).reset_index(drop=True)


PROJECTION_COLUMNS = ("kommunenummer", "year", "sex", "age", "age_to", "alternative", "population", "batch_id",
                      "file_name", "loaded_at")


def projection_in_force(con_user: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every imported SSB projection (14746/14288) in force (per kommune the newest active batch), with file and time."""
    rows = store.in_force(con_user, ssb.PROJECTION)
    rows = rows[rows["population"].notna()]
    return _with_batches(con_user, rows).reindex(columns=list(PROJECTION_COLUMNS)).reset_index(drop=True)


def projection_groups(imported_projection: pd.DataFrame | None, kommunenummer: str,
                      alternative: str = "main") -> pd.DataFrame | None:
    """One kommune's imported projection for one alternative as SSB groups: year, age_from, age_to, persons
    (men + women where both are there, else both sexes together), or None if the import has none."""
    rows = select(imported_projection, kommunenummer=kommunenummer,
                  alternative=ssb.PROJECTION_ALTERNATIVES.get(alternative, alternative))
    if rows is None:
        return None
    parts = []
    for _, year_rows in rows.groupby("year"):
        by_sex = year_rows[year_rows["sex"].isin(["male", "female"])]
        use = by_sex if set(by_sex["sex"]) == {"male", "female"} else year_rows[year_rows["sex"] == "total"]
        parts.append(use)
    used = pd.concat(parts) if parts else rows.iloc[0:0]
    if used.empty:
        return None
    out = used.assign(age_to=used["age_to"].astype("Float64")).groupby(
        ["year", "age", "age_to"], dropna=False, as_index=False)["population"].sum()
    out = out.rename(columns={"age": "age_from", "population": "persons"})
    out["age_to"] = out["age_to"].astype(object).where(out["age_to"].notna(), None)
    return out.reset_index(drop=True)


def projection_old_age(groups: pd.DataFrame | None) -> pd.DataFrame:
    """67+ and 80+ per year from projection_groups (like core.demography.ssb_old_age): year, age_group, persons."""
    if groups is None or groups.empty:
        return pd.DataFrame(columns=["year", "age_group", "persons"])
    parts = [groups[groups["age_from"] >= lo].groupby("year", as_index=False)["persons"].sum().assign(age_group=g)
             for g, lo in (("67+", 67), ("80+", 80))]
    return pd.concat(parts)[["year", "age_group", "persons"]].sort_values(["year", "age_group"]).reset_index(drop=True)


def active_batches(con_user: duckdb.DuckDBPyConnection) -> tuple[int, ...]:
    """Ids of the active 12005, 07459, projection and own-figures batches: a token that changes on import and
    restore."""
    try:
        df = con_user.execute("SELECT batch_id FROM import_batch WHERE active AND dataset IN (?, ?, ?, ?) "
                              "ORDER BY batch_id", [ssb.FASTLEGE, ssb.POPULATION, ssb.OWN, ssb.PROJECTION]).fetchall()
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
    files = ", ".join(f"{file_label(r.file_name)}, {fmt.date(pd.Timestamp(r.loaded_at))}"
                      for r in rows.sort_values("batch_id").itertuples())
    return t("Innlastet fra {files}; ellers {bundled} (medfølgende)", files=files, bundled=bundled)


# --- the kommune's own figures (the template) ------------------------------------------------------

OWN_COLUMNS = ("kommunenummer", "kind", "year", "office", "list_id", "list_cap", "patients", "count", "note",
               "batch_id", "file_name", "loaded_at")


def own_in_force(con_user: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every kommune's own figures in force (per kommune and type the newest active batch), with file and time."""
    rows = store.in_force(con_user, ssb.OWN)
    return _with_batches(con_user, rows).reindex(columns=list(OWN_COLUMNS)).reset_index(drop=True)


@dataclass(frozen=True)
class OwnCapacityBase(CapacityBase):
    """A starting point with the kommune's own figures laid over, and its planned new hjemler (year, count)."""

    planned_hjemler: tuple[tuple[int, int], ...] = ()


def _newest_year(rows: pd.DataFrame, kind: str) -> pd.DataFrame:
    part = rows[rows["kind"] == kind]
    return part[part["year"] == part["year"].max()] if len(part) else part


def with_own(base: CapacityBase | None, own: pd.DataFrame | None) -> CapacityBase | None:
    """The starting point with the kommune's own figures (one kommune's rows of own_in_force) laid over.

    - Lists (the newest year in the file): hjemler = the lists in the file + SSB's lists without a doctor
      (the template's lists are counted as lists with a doctor), sum of list caps = the sum of their caps,
      patients on lists with a doctor = the sum of their patients when every list has it.
    - Waiting list (newest year): the number of people waiting.
    - Planned hjemler after the base year: the default of the levers «Nye hjemler» (their sum) and «Nye
      hjemler fra år» (the first year).
    The source then names the file and the date; without own figures the base is returned unchanged.
    """
    if base is None or own is None or own.empty:
        return base
    changes: dict[str, object] = {}
    notes: list[str] = []
    lists = _newest_year(own, "liste")
    if len(lists):
        year = int(lists["year"].iloc[0])
        caps = lists["list_cap"].astype(float)
        changes.update(hjemler=len(lists) + base.vacant_lists, list_capacity=float(caps.sum()))
        patients = lists["patients"].astype(float)
        if patients.notna().all():
            changes["patients_with_gp"] = float(patients.sum())
        notes.append(t("{n} fastlegelister med sum listetak {cap} fra kommunens egne tall ({year}); lister uten "
                       "lege ({vacant}) er SSBs tall.", n=len(lists), cap=_int(caps.sum()), year=year,
                       vacant=base.vacant_lists))
    waiting = _newest_year(own, "venteliste")
    if len(waiting):
        changes["waiting_list"] = float(waiting["count"].astype(float).sum())
        notes.append(t("Venteliste {n} personer fra kommunens egne tall ({year}).",
                       n=_int(changes["waiting_list"]), year=int(waiting["year"].iloc[0])))
    planned_rows = own[(own["kind"] == "planlagt_hjemmel") & (own["year"] > base.year)]
    planned = planned_rows.groupby("year")["count"].sum()
    planned_hjemler = tuple((int(y), int(c)) for y, c in planned.items() if c > 0)
    if planned_hjemler:
        notes.append(t("Planlagte nye hjemler fra kommunens egne tall: {plan}. De er standardverdien for «Nye "
                       "hjemler» ({n}) fra {year}.", plan=", ".join(t("{n} i {year}", n=c, year=y)
                                                                    for y, c in planned_hjemler),
                       n=sum(c for _, c in planned_hjemler), year=planned_hjemler[0][0]))
    if not changes and not planned_hjemler:
        return base
    used = own[own["kind"].isin(["liste", "venteliste", "planlagt_hjemmel"])]
    label = t("{label} og kommunens egne tall", label=base.label)
    source = t("Kommunens egne tall, {files}; {source}", files=own_files(used), source=base.source)
    fields = {**asdict(base), **changes}
    fields.pop("planned_hjemler", None)
    fields.update(label=label, source=source, notes=(*base.notes, *notes))
    return OwnCapacityBase(**fields, planned_hjemler=planned_hjemler)


def _int(x: float) -> str:
    return fmt.number(x)


def own_files(rows: pd.DataFrame | None) -> str | None:
    """«innlastet fra <fil>, <dato>» for the batches behind some own-figure rows, or None."""
    if rows is None or rows.empty:
        return None
    batches = rows[["batch_id", "file_name", "loaded_at"]].drop_duplicates("batch_id").sort_values("batch_id")
    return t("innlastet fra {files}", files=", ".join(f"{file_label(r.file_name)}, {fmt.date(pd.Timestamp(r.loaded_at))}"
                                                      for r in batches.itertuples()))


def planned_defaults(base: CapacityBase) -> dict[str, int]:
    """Lever defaults from the kommune's planned hjemler: {'new_hjemler': sum, 'new_from_year': first year}."""
    planned = getattr(base, "planned_hjemler", ())
    if not planned:
        return {}
    return {"new_hjemler": sum(c for _, c in planned), "new_from_year": planned[0][0]}


def own_offices(own: pd.DataFrame | None) -> tuple[list[dict[str, object]], str | None, int | None]:
    """The kommune's imported offices (newest year) as office-table rows, the source text and the year.

    Per office: its hjemler (the template's «antall») as full-time GPs and the patients of the lists that
    name the office (same year). ([], None, None) without imported offices.
    """
    if own is None or own.empty:
        return [], None, None
    offices = _newest_year(own, "kontor")
    if offices.empty:
        return [], None, None
    year = int(offices["year"].iloc[0])
    lists = own[(own["kind"] == "liste") & (own["year"] == year)]
    rows = []
    for o in offices.itertuples():
        mine = lists[lists["office"].str.casefold() == str(o.office).casefold()]
        gps = 0 if pd.isna(o.count) else int(o.count)
        rows.append({"name": str(o.office), "gps": float(gps), "gp_fte": float(gps),
                     "list_patients": float(mine["patients"].fillna(0).sum())})
    used = pd.concat([offices, lists])
    return rows, t("Kommunens egne tall ({year}), {files}", year=year, files=own_files(used)), year


def newer_year(bundled_latest: int, imported: pd.DataFrame | None, kommunenummer: str | None = None,
               min_kommuner: int = 1) -> int:
    """The latest year to show: the newest imported 12005 year after `bundled_latest` with list capacity
    (for `kommunenummer`, or for at least `min_kommuner` kommuner), else `bundled_latest`."""
    rows = select(imported, metric="list_capacity")
    if rows is None:
        return bundled_latest
    rows = rows[rows["year"] > bundled_latest]
    if kommunenummer is not None:
        rows = rows[rows["kommunenummer"] == kommunenummer]
    counts = rows.groupby("year")["kommunenummer"].nunique()
    years = counts[counts >= min_kommuner].index
    return int(max(years)) if len(years) else bundled_latest


# --- imported population (SSB 07459) on Befolkning ---------------------------------------------------

def population_matrix(imported_population: pd.DataFrame | None, kommunenummer: str, year: int,
                      ages: int = AGES) -> np.ndarray | None:
    """The imported residents of a kommune on 1 January `year` as a (female, male) × age array, or None
    unless the import has every single age 0–105 for both sexes."""
    rows = select(imported_population, kommunenummer=kommunenummer, year=year)
    if rows is None:
        return None
    out = np.zeros((2, ages))
    for s, sex in enumerate(("female", "male")):
        part = rows[(rows["sex"] == sex) & rows["age"].notna()].drop_duplicates("age", keep="last")
        if len(part) < ages:
            return None
        out[s, part["age"].astype(int).to_numpy()] = part["population"].astype(float).to_numpy()
    return out


def with_imported_base(persons: np.ndarray, base: np.ndarray) -> np.ndarray:
    """A projected path (years × sex × age, year 0 = the base) with the imported base year: year 0 is the
    import, and every later year is scaled by imported / bundled residents (as in Fastlegekapasitet)."""
    ratio = float(base.sum()) / float(persons[0].sum()) if persons[0].sum() else 1.0
    out = persons * ratio
    out[0] = base
    return out


def old_age_with_base(old: pd.DataFrame, persons: np.ndarray, bundled_total: float, base_year: int) -> pd.DataFrame:
    """The 67+/80+ paths (core.demography.old_age_paths) with the imported base year: the registered value
    of `base_year` from `persons[0]`, the projected values (and band) scaled like the path."""
    ratio = float(persons[0].sum()) / bundled_total if bundled_total else 1.0
    out = old.copy()
    future = out["kind"] == "framskrevet"
    out.loc[future, ["persons", "lower", "upper"]] *= ratio
    for group, lo in (("67+", 67), ("80+", 80)):
        at_base = (out["kind"] == "registrert") & (out["year"] == base_year) & (out["age_group"] == group)
        out.loc[at_base, "persons"] = float(persons[0][:, lo:].sum())
    return out
