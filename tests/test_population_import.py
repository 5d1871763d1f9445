"""Imported SSB 07459 on Befolkning: with every age for the projection's base year (1.1.2026) the import is the
registered base, the projected path is scaled to it, and the captions name the file; a restore brings the
bundled figures back (LEGEPLAN_USER_DB: a fresh file per test)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from core import db
from core import import_store as store
from core import overlay as ov
from core import ssb_readers as ssb
from tests import apptest_util
from tests.apptest_util import BAD_SHOWN, visible_text
from tests.test_overlay import alver_07459

FILE = "07459_alver.csv"
PAGE = "pages/befolkning.py"


def apply(con, data: bytes, name: str = FILE) -> None:
    with db.connect_user() as user:
        parsed = store.parse_upload(data, name, db.query(con, "SELECT * FROM kommune"))
        assert parsed.ok, [p.text() for p in parsed.problems][:5]
        assert store.apply(user, parsed, name, f"SSB / {name}")[0] is not None


def tiles(at) -> dict[str, tuple[str, str]]:
    return {m.label: (apptest_util.squash(m.value), str(m.help)) for m in at.metric}


def test_population_matrix_needs_every_age_and_scales_the_path():
    rows = pd.DataFrame({"kommunenummer": "4631", "year": 2026, "sex": np.repeat(["female", "male"], 106),
                         "age": np.tile(np.arange(106), 2), "population": 10.0})
    base = ov.population_matrix(rows, "4631", 2026)
    assert base.shape == (2, 106) and base.sum() == 2120
    assert ov.population_matrix(rows[rows["age"] != 50], "4631", 2026) is None  # a missing age
    assert ov.population_matrix(rows, "4631", 2025) is None
    path = np.ones((3, 2, 106)) * 5.0  # bundled: 1 060 persons a year
    scaled = ov.with_imported_base(path, base)
    assert scaled[0].sum() == 2120 and scaled[2].sum() == 2120  # ratio 2


def test_befolkning_uses_the_imported_base_year_and_a_restore_brings_back_ssb(con):
    before = tiles(apptest_util.open_page(PAGE, kommune="4631"))
    registered = int(before["Innbyggere 1.1.2040"][1].split(": ")[1].split(" (")[0].replace("\u00a0", "")
                     .replace(" ", ""))
    assert registered == 30285  # Alver 1.1.2026, SSB 07459

    apply(con, alver_07459(con, extra_at_age_40=500, year=2026))
    at = apptest_util.open_page(PAGE, kommune="4631")
    after = tiles(at)
    assert "Registrert 1.1.2026: 30\u00a0785 (Innlastet fra 07459_alver.csv, " in after["Innbyggere 1.1.2040"][1]
    ratio = 30785 / 30285
    for label in ("Innbyggere 1.1.2040", "67 år og eldre 1.1.2040", "80 år og eldre 1.1.2040"):
        assert abs(int(after[label][0]) - int(before[label][0]) * ratio) <= 1, (label, before[label], after[label])
    assert sum(FILE in c.value for c in at.caption) >= 2  # pyramid, old age and table captions
    assert not BAD_SHOWN.search(visible_text(at))

    with db.connect_user() as user:
        assert store.restore_previous(user, ssb.POPULATION) is not None
    restored = apptest_util.open_page(PAGE, kommune="4631")
    assert tiles(restored) == before and FILE not in visible_text(restored)
