"""Build data/legeplan.duckdb from the committed sources in data/sources/ (python -m data.build).

Idempotent and safe to run from several processes at once: the database is written to a
temporary file and moved into place atomically. A hash of the sources is stored in the
database; the app rebuilds when it is missing or the hash differs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from core.i18n import N_

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "sources"
# Served by Streamlit (server.enableStaticServing) at app/static/…: the map geometry, fetched once
# by the browser instead of being sent inside every chart.
STATIC_GEOJSON = HERE.parent / "static" / "kommuner.geojson"
REFERENCE = HERE / "reference_cases.csv"
# Registers transcribed from kommunal documents (issue 9 «Tiltak og prosjekt»): name → file.
REGISTERS = {"tiltak_reference": HERE / "tiltak_stavanger.csv", "prosjekt_reference": HERE / "prosjekt_alver.csv"}
SCHEMA_VERSION = "2"

SOURCE_FILES = (
    "kommuner.csv",
    "kostra_groups.csv",
    "kostra_group_definitions.csv",
    "fastlege_latest.csv",
    "fastlege_trend.csv",
    "population_by_age.csv",
    "population_single_age.parquet",
    "consultation_rates.csv",
    "national_key_figures.csv",
    "parameters.csv",
    "kommuner.geojson",
    "malform.csv",
)

# name, title, publisher/table, licence, provenance section: shown on the Data page later.
DATASETS = (
    ("kommune", N_("Kommuner (2024-struktur) med folketall og KOSTRA-gruppe"),
     "SSB 07459 (folketall), SSB KOSTRA-grupper; via FemtiGram/kart og Samarbeidsdesken/p02-ukraina", N_("NLOD 2.0 for SSB-folketall (ifølge niphr/csdata); ellers ikke bekreftet"), "3, 9"),
    ("fastlege", N_("Fastlegestatistikk per kommune og år"),
     "SSB statistikkbanktabell 12005; via FemtiGram/kart", N_("ikke bekreftet"), "1, 2"),
    ("population_age_group", N_("Folkemengde etter aldersgruppe, registrert og framskrevet"),
     "SSB 07459, 14288, 14746, 12882; via niphr/csdata, evensrii/Telemark", N_("NLOD 2.0 (registrert)"), "5"),
    ("population_single_age", N_("Folkemengde etter ettårig alder og kjønn 2005–2026"),
     "SSB 07459; via niphr/csdata", N_("NLOD 2.0"), "5b"),
    ("consultation_rate", N_("Konsultasjoner hos fastlege og legevakt etter alder"),
     "SSB Allmennlegetjenesten 2023 (og 2019, 2005)", N_("ikke bekreftet"), "6"),
    ("national_key_figure", N_("Nasjonale nøkkeltall for allmennlegetjenesten"),
     "Helsedirektoratet, årsrapport 2023 og statusrapport høsten 2023", N_("ikke bekreftet"), "7"),
    ("parameter", N_("Økonomi- og normparametre"),
     "Helfo, KS, Helsedirektoratet, Legeforeningen m.fl.", N_("ikke bekreftet"), "8"),
    ("kostra_group_definition", N_("KOSTRA-gruppenes kriterier"),
     "SSB", N_("ikke bekreftet"), "9"),
    ("kommune_shape", N_("Kommunegrenser (forenklet for kart)"),
     "Kartverket via robhop/fylker-og-kommuner", N_("CC BY 4.0 (Kartverket)"), "4"),
    ("reference_case", N_("Referansecaser fra kommunale dokumenter (Alver, Stavanger, Øyer)"),
     "Alver kommune 2021, Stavanger kommune 2024, Øyer kommune", N_("offentlige saksdokumenter"), "shared/documents"),
    ("tiltak_reference", N_("Prioriterte tiltak (tabell 1) i Stavangers temaplan, tekst som i dokumentet"),
     "Stavanger kommune", N_("offentlig saksdokument"), "shared/documents"),
    ("prosjekt_reference", N_("Alvers prosjektplan Leiing og kvalitetsforbetring 2021–2024: mål, milepælar, gevinst, risiko"),
     "Alver kommune 2021", N_("offentlig saksdokument"), "shared/documents"),
)


def source_paths() -> list[Path]:
    """Every file the database is built from, in a fixed order."""
    return [SOURCES / name for name in SOURCE_FILES] + [REFERENCE, *REGISTERS.values(), Path(__file__)]


def source_hash() -> str:
    """SHA-256 over the names and bytes of every source file (and this script)."""
    h = hashlib.sha256(SCHEMA_VERSION.encode())
    for p in source_paths():
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def stored_hash(path: Path) -> str | None:
    """The source hash recorded in an existing database, or None if absent or unreadable."""
    if not path.exists():
        return None
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            row = con.execute("SELECT value FROM meta WHERE key = 'source_hash'").fetchone()
    except (duckdb.Error, OSError):
        return None
    return row[0] if row else None


def needs_build(path: Path) -> bool:
    """True when the database or the map file is missing, or built from other sources."""
    return stored_hash(path) != source_hash() or not STATIC_GEOJSON.exists()


# --- geometry -----------------------------------------------------------------------------

def _rdp(points: np.ndarray, eps: float) -> np.ndarray:
    """Ramer–Douglas–Peucker simplification of a polyline (n × 2 array)."""
    if len(points) < 3:
        return points
    keep = np.zeros(len(points), dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        i, j = stack.pop()
        if j <= i + 1:
            continue
        a, b = points[i], points[j]
        seg = b - a
        norm = float(np.hypot(*seg))
        mid = points[i + 1:j]
        if norm == 0.0:
            d = np.hypot(*(mid - a).T)
        else:
            d = np.abs(seg[0] * (mid[:, 1] - a[1]) - seg[1] * (mid[:, 0] - a[0])) / norm
        k = int(np.argmax(d))
        if d[k] > eps:
            idx = i + 1 + k
            keep[idx] = True
            stack.append((i, idx))
            stack.append((idx, j))
    return points[keep]


def _signed_area(ring: np.ndarray) -> float:
    """Planar signed area in degrees² (positive = counter-clockwise)."""
    x, y = ring[:, 0], ring[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def _ring_area(ring: np.ndarray) -> float:
    return abs(_signed_area(ring))


def _clockwise(ring: np.ndarray) -> np.ndarray:
    """The ring wound clockwise, as d3/Vega expect for an exterior ring (RFC 7946 is the reverse)."""
    return ring[::-1] if _signed_area(ring) > 0 else ring


def simplify_feature(geometry: dict, eps: float = 0.01, min_area: float = 0.002) -> dict:
    """A lighter MultiPolygon for a national map: RDP outer rings wound clockwise, islets dropped."""
    polys = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    simplified = []
    for poly in polys:
        outer = np.asarray(poly[0], dtype=float)
        simplified.append((_ring_area(outer), [_rdp(outer, eps)]))
    simplified.sort(key=lambda t: -t[0])
    out = []
    for rank, (area, rings) in enumerate(simplified):
        ring = rings[0]
        if rank > 0 and (area < min_area or len(ring) < 4):
            continue
        if len(ring) < 4:  # always keep the largest polygon, even if tiny
            ring = np.asarray(polys[0][0], dtype=float)
        out.append([np.round(_clockwise(ring), 3).tolist()])
    return {"type": "MultiPolygon", "coordinates": out}


def _shapes() -> pd.DataFrame:
    gj = json.loads((SOURCES / "kommuner.geojson").read_text(encoding="utf-8"))
    rows = []
    for feat in gj["features"]:
        props = feat["properties"]
        geom = simplify_feature(feat["geometry"])
        rows.append({"kommunenummer": str(props["kommunenummer"]).zfill(4), "name": props["name"],
                     "geometry": json.dumps(geom, separators=(",", ":"))})
    return pd.DataFrame(rows)


# --- tables ---------------------------------------------------------------------------------

INTEGER_COLUMNS = {"year", "age_from", "age_to", "projection_vintage", "population"}


def _csv(name: str, **kw: object) -> pd.DataFrame:
    return pd.read_csv(SOURCES / name, dtype={"kommunenummer": str}, **kw)  # type: ignore[arg-type]


def _load(con: duckdb.DuckDBPyConnection) -> None:
    kommuner = _csv("kommuner.csv")
    kostra = _csv("kostra_groups.csv")[["kommunenummer", "kostra_group", "sentralitet_class"]]
    kommune = kommuner.merge(kostra, on="kommunenummer", how="left", validate="one_to_one")
    kommune["fylke_code"] = kommune["kommunenummer"].str[:2]
    maalform = _csv("malform.csv")[["kommunenummer", "maalform"]]
    kommune = kommune.merge(maalform, on="kommunenummer", how="left", validate="one_to_one")
    con.register("kommune_df", kommune)
    con.execute("CREATE TABLE kommune AS SELECT * FROM kommune_df")

    trend = _csv("fastlege_trend.csv")
    latest = _csv("fastlege_latest.csv")
    _check_latest_matches_trend(latest, trend)
    con.register("trend_df", trend)
    con.execute("""CREATE TABLE fastlege AS SELECT kommunenummer, CAST(year AS INTEGER) AS year,
                   metric, ssb_contents_code AS ssb_code, CAST(value AS DOUBLE) AS value
                   FROM trend_df WHERE value IS NOT NULL""")

    con.execute("""CREATE TABLE population_single_age AS SELECT kommunenummer,
                   CAST(year AS INTEGER) AS year, sex, CAST(age AS INTEGER) AS age,
                   CAST(population AS DOUBLE) AS population FROM read_parquet(?)""",
                [(SOURCES / "population_single_age.parquet").as_posix()])

    simple = {
        "population_age_group": "population_by_age.csv",
        "consultation_rate": "consultation_rates.csv",
        "national_key_figure": "national_key_figures.csv",
        "parameter": "parameters.csv",
        "kostra_group_definition": "kostra_group_definitions.csv",
    }
    for table, fname in simple.items():
        df = _csv(fname)
        for col in INTEGER_COLUMNS.intersection(df.columns):
            if pd.api.types.is_numeric_dtype(df[col]):
                df[col] = df[col].astype("Int64")  # nullable: empty cells stay NULL, not NaN
        con.register("tmp_df", df)
        con.execute(f"CREATE TABLE {table} AS SELECT * FROM tmp_df")  # noqa: S608 - fixed names
        con.unregister("tmp_df")

    ref = pd.read_csv(REFERENCE, dtype={"kommunenummer": str, "year": "Int64"})
    con.register("ref_df", ref)
    con.execute("CREATE TABLE reference_case AS SELECT * FROM ref_df")
    for table, path in REGISTERS.items():  # text as written: every column read as text
        con.register("register_df", pd.read_csv(path, dtype=str, keep_default_na=False))
        con.execute(f"CREATE TABLE {table} AS SELECT * FROM register_df")  # noqa: S608 - fixed names
        con.unregister("register_df")

    shapes = _shapes()
    con.register("shape_df", shapes)
    con.execute("CREATE TABLE kommune_shape AS SELECT * FROM shape_df")
    _write_static_geojson(shapes)

    for name, title, publisher, licence, section in DATASETS:
        rows = con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]  # noqa: S608
        con.execute("INSERT INTO dataset VALUES (?, ?, ?, ?, ?, ?)",
                    [name, title, publisher, licence, section, rows])


def _write_static_geojson(shapes: pd.DataFrame) -> None:
    """Write the simplified polygons as one FeatureCollection for the browser (atomically)."""
    features = [{"type": "Feature", "properties": {"kommunenummer": r.kommunenummer, "name": r.name},
                 "geometry": json.loads(r.geometry)} for r in shapes.itertuples()]
    text = json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"),
                      ensure_ascii=False)
    STATIC_GEOJSON.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".kommuner-", suffix=".geojson", dir=STATIC_GEOJSON.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.chmod(tmp, 0o644)
    os.replace(tmp, STATIC_GEOJSON)


def _check_latest_matches_trend(latest: pd.DataFrame, trend: pd.DataFrame) -> None:
    """The wide latest-year file and the long trend file must agree value for value."""
    year = int(latest["year"].max())
    long = latest.melt(id_vars=["kommunenummer", "kommune_name", "year"], var_name="metric").dropna()
    t = trend[trend["year"] == year][["kommunenummer", "metric", "value"]]
    merged = long.merge(t, on=["kommunenummer", "metric"], how="left", suffixes=("", "_t"))
    bad = merged[~np.isclose(merged["value"].astype(float), merged["value_t"].astype(float))]
    if len(bad):
        raise ValueError(f"fastlege_latest.csv and fastlege_trend.csv disagree in {len(bad)} values")


def build(target: Path) -> Path:
    """Write the database to target atomically; return target."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".legeplan-", suffix=".duckdb", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()  # duckdb wants to create the file itself
    try:
        with duckdb.connect(str(tmp)) as con:
            con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
            con.execute("""CREATE TABLE dataset (name VARCHAR PRIMARY KEY, title VARCHAR,
                           publisher VARCHAR, licence VARCHAR, provenance_section VARCHAR,
                           rows BIGINT)""")
            _load(con)
            con.execute("INSERT INTO meta VALUES ('source_hash', ?), ('schema_version', ?), "
                        "('built_at', ?)",
                        [source_hash(), SCHEMA_VERSION, time.strftime("%Y-%m-%dT%H:%M:%S")])
            con.execute("CHECKPOINT")
        os.replace(tmp, target)
    finally:
        for leftover in (tmp, tmp.with_suffix(".duckdb.wal")):
            if leftover.exists():
                leftover.unlink()
    return target


def main(argv: list[str] | None = None) -> int:
    """Command line: build the database (only when stale unless --force)."""
    parser = argparse.ArgumentParser(description="Bygg data/legeplan.duckdb fra kildene i data/")
    parser.add_argument("--db", type=Path, default=HERE / "legeplan.duckdb")
    parser.add_argument("--force", action="store_true", help="bygg selv om databasen er oppdatert")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    if args.force or needs_build(args.db):
        build(args.db)
        print(f"Bygde {args.db} på {time.perf_counter() - t0:.1f} s")
    else:
        print(f"{args.db} er allerede oppdatert")
    return 0


if __name__ == "__main__":
    sys.exit(main())
