"""The build step: from committed sources to a DuckDB file, idempotent, atomic, complete."""

from __future__ import annotations

import threading

import duckdb
import pytest

from data import build


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    target = tmp_path_factory.mktemp("db") / "legeplan.duckdb"
    build.build(target)
    return target


def test_build_then_up_to_date(built):
    assert not build.needs_build(built)
    assert build.stored_hash(built) == build.source_hash()


def test_missing_or_garbage_file_needs_build(tmp_path):
    assert build.needs_build(tmp_path / "none.duckdb")
    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(b"not a database")
    assert build.needs_build(junk)


def test_changed_sources_trigger_rebuild(built, monkeypatch):
    monkeypatch.setattr(build, "source_hash", lambda: "something else")
    assert build.needs_build(built)


def test_tables_and_row_counts(built):
    with duckdb.connect(str(built), read_only=True) as con:
        counts = dict(con.execute("SELECT name, rows FROM dataset").fetchall())
        assert counts["kommune"] == 357
        assert counts["kommune_shape"] == 357
        assert counts["population_single_age"] == 1_669_288
        assert con.execute("SELECT count(DISTINCT kommunenummer) FROM fastlege WHERE year = 2025"
                           ).fetchone()[0] == 351
        assert con.execute("SELECT count(*) FROM kommune WHERE kostra_group IS NULL").fetchone()[0] == 0


def test_reference_cases_from_documents(built):
    with duckdb.connect(str(built), read_only=True) as con:
        def ref(case, metric, entity=None):
            sql = "SELECT value FROM reference_case WHERE case_id = ? AND metric = ?"
            args = [case, metric]
            if entity:
                sql += " AND entity = ?"
                args.append(entity)
            return con.execute(sql, args).fetchone()[0]

        assert ref("alver_2021", "list_capacity") == 29400
        assert ref("alver_2021", "free_places") == 417
        assert ref("alver_2021", "waiting_list") == 779
        assert ref("alver_2021", "hjemler") == 26
        assert ref("stavanger_2023", "gps") == 130
        assert ref("stavanger_2023", "avg_list_cap") == 1180
        assert ref("stavanger_2023", "nursing_home_doctor_fte") == 19.75
        saving = (ref("oyer", "cost_incl_rent", "Øyer legekontor")
                  + ref("oyer", "cost_incl_rent", "Tretten legekontor")
                  - ref("oyer", "cost_incl_rent", "Samlet kontor i Øyer"))
        assert saving == 1_085_600  # «litt over kr 1 000`» in the Øyer document
        docs = {r[0] for r in con.execute("SELECT DISTINCT document FROM reference_case").fetchall()}
        assert docs == {"alver-notat-kapasitet-prosjekt-og-legeressurs-2021",
                        "stavanger-temaplan-allmennlegetjenesten-2024-2027",
                        "oyer-organisering-fastlegetjenesten"}


def test_concurrent_builds_leave_one_valid_file(tmp_path):
    target = tmp_path / "race.duckdb"
    errors = []

    def worker():
        try:
            build.build(target)
        except Exception as e:  # noqa: BLE001 - collected and asserted below
            errors.append(e)

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert not build.needs_build(target)
    assert not list(tmp_path.glob(".legeplan-*")), "temporary files left behind"


def test_simplified_shapes_are_clockwise_multipolygons(built):
    import json

    import numpy as np

    with duckdb.connect(str(built), read_only=True) as con:
        rows = con.execute("SELECT kommunenummer, geometry FROM kommune_shape").fetchall()
    for knr, text in rows:
        geom = json.loads(text)
        assert geom["type"] == "MultiPolygon" and geom["coordinates"], knr
        for poly in geom["coordinates"]:
            ring = np.asarray(poly[0])
            assert len(ring) >= 4
            assert build._signed_area(ring) <= 0, f"{knr}: ring not clockwise (d3 would fill the globe)"


def test_rdp_keeps_endpoints_and_drops_collinear_points():
    import numpy as np

    line = np.array([[0, 0], [1, 0.0001], [2, 0], [3, 5], [4, 0]], dtype=float)
    out = build._rdp(line, eps=0.01)
    assert out.tolist() == [[0, 0], [2, 0], [3, 5], [4, 0]]
