"""The kommune's own figures (the template on the Data page) in use: the starting point of Fastlegekapasitet
(lists and caps, waiting list, planned hjemler) and the office table of Kontorstruktur, with a caption that
names the file; a restore brings the bundled figures back (LEGEPLAN_USER_DB: a fresh file per test)."""

from __future__ import annotations

from core import db, own_figures
from core import import_store as store
from core import overlay as ov
from core import ssb_readers as ssb
from core import starting_points as sp
from tests import apptest_util
from tests.apptest_util import BAD_SHOWN, metrics, visible_text

FILE = "egne_tall_alver.csv"
# Alver 2025: three offices; 31 lists (12 × 1 000, 10 × 950, 9 × 900 = 29 600 places; 11 760 + 9 400 +
# 7 920 = 29 080 patients); 412 waiting; 2 new hjemler planned for 2027 and 1 for 2028.
OFFICES = (("Knarvik legesenter", 12, 1000, 980), ("Lindås legekontor", 10, 950, 940),
           ("Manger legekontor", 9, 900, 880))


def template_rows() -> list[list[str]]:
    rows = []
    for office, lists, cap, patients in OFFICES:
        rows.append(["kontor", "4631", "2025", office, "", "", "", str(lists), ""])
        for i in range(lists):
            rows.append(["liste", "4631", "2025", office, f"{office[:3]}-{i + 1}", str(cap), str(patients), "", ""])
    rows += [["venteliste", "4631", "2025", "", "", "", "", "412", "per 1.12.2025"],
             ["planlagt_hjemmel", "4631", "2027", "", "", "", "", "2", "vedtatt i budsjett"],
             ["planlagt_hjemmel", "4631", "2028", "", "", "", "", "1", ""]]
    return rows


def template_csv() -> bytes:
    lines = [";".join(own_figures.TEMPLATE_COLUMNS)] + [";".join(r) for r in template_rows()]
    return ("\n".join(lines) + "\n").encode("utf-8")


def apply(con, data: bytes, name: str = FILE) -> int:
    with db.connect_user() as user:
        parsed = store.parse_upload(data, name, db.query(con, "SELECT * FROM kommune"))
        assert parsed.ok, [p.text() for p in parsed.problems]
        batch_id, errors = store.apply(user, parsed, name, "Alver kommune")
        assert batch_id is not None, errors
        return batch_id


def restore() -> None:
    with db.connect_user() as user:
        assert store.restore_previous(user, ssb.OWN) is not None


def test_with_own_lays_the_lists_waiting_list_and_plan_over_the_ssb_base(con):
    apply(con, template_csv())
    with db.connect_user() as user:
        own = ov.own_in_force(user)
    bundled = sp.from_statistics(con, "4631")
    base = ov.with_own(bundled, ov.select(own, kommunenummer="4631"))
    assert (bundled.hjemler, bundled.vacant_lists, bundled.list_capacity) == (32, 2, 27935.0)
    assert base.hjemler == 31 + 2 and base.vacant_lists == 2
    assert base.list_capacity == 29600.0 and base.patients_with_gp == 29080.0
    assert base.waiting_list == 412.0
    assert base.patients_without_gp == bundled.patients_without_gp and base.residents == bundled.residents
    assert base.planned_hjemler == ((2027, 2), (2028, 1))
    assert ov.planned_defaults(base) == {"new_hjemler": 3, "new_from_year": 2027}
    assert base.source.startswith(f"Kommunens egne tall, innlastet fra {FILE}, ")
    assert base.label.endswith(" og kommunens egne tall")
    # another kommune, and no own figures: unchanged
    assert ov.with_own(bundled, ov.select(own, kommunenummer="1103")) is bundled
    rows, source, year = ov.own_offices(ov.select(own, kommunenummer="4631"))
    assert year == 2025 and source.startswith(f"Kommunens egne tall (2025), innlastet fra {FILE}, ")
    assert [(r["name"], r["gps"], r["list_patients"]) for r in rows] == [
        ("Knarvik legesenter", 12.0, 11760.0), ("Lindås legekontor", 10.0, 9400.0), ("Manger legekontor", 9.0, 7920.0)]


def test_kapasitet_starts_from_the_own_figures_and_a_restore_brings_back_ssb(con):
    apply(con, template_csv())
    at = apptest_util.open_page("pages/kapasitet.py", kommune="4631")
    shown = metrics(at)
    assert shown["Hjemler 2025"] == "33" and shown["Sum listetak 2025"] == "29600"
    assert shown["Ledige plasser 2025"] == "520" and shown["Venteliste 2025"] == "412"
    assert apptest_util.lever(at, "new_hjemler").value == 3
    assert apptest_util.lever(at, "new_from_year").value == 2027
    assert shown["Hjemler 2040"] == "36"  # 33 + the 3 planned
    assert any(c.value.startswith(f"Kilde: Kommunens egne tall, innlastet fra {FILE}, ") for c in at.caption)
    assert not BAD_SHOWN.search(visible_text(at))

    restore()
    at = apptest_util.open_page("pages/kapasitet.py", kommune="4631")
    shown = metrics(at)
    assert shown["Hjemler 2025"] == "32" and shown["Sum listetak 2025"] == "27935"
    assert "Venteliste 2025" not in shown and apptest_util.lever(at, "new_hjemler").value == 0
    assert FILE not in visible_text(at)


def test_kontor_table_is_filled_from_the_imported_offices(con):
    apply(con, template_csv())
    at = apptest_util.open_page("pages/kontor.py", kommune="4631")
    table = at.dataframe[0].value if not at.get("arrow_data_editor") else at.get("arrow_data_editor")[0].value
    assert list(table["name"]) == ["Knarvik legesenter", "Lindås legekontor", "Manger legekontor"]
    assert list(table["gps"]) == [12.0, 10.0, 9.0] and list(table["list_patients"]) == [11760.0, 9400.0, 7920.0]
    assert any(c.value.startswith(f"Kilde: Kommunens egne tall (2025), innlastet fra {FILE}, ") for c in at.caption)

    restore()
    at = apptest_util.open_page("pages/kontor.py", kommune="4631")
    assert not any(FILE in c.value for c in at.caption)
