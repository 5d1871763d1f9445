"""AppTest: the Befolkning page (population pyramid and the oldest groups, with the band)."""

from __future__ import annotations

import pytest

from tests import apptest_util
from tests.apptest_util import BAD_SHOWN, metrics, visible_text


def open_page(**query: str):
    return apptest_util.open_page("pages/befolkning.py", **query)


@pytest.mark.parametrize("knr", ["1103", "4631", "4001", "5514", "1144"])
def test_page_opens(knr):
    at = open_page(kommune=knr)
    assert at.title[0].value.startswith("Befolkning – ")
    assert len(at.get("vega_lite_chart")) == 2
    assert not BAD_SHOWN.search(visible_text(at))
    assert sum("Kilde:" in c.value for c in at.caption) == 3
    assert set(metrics(at)) == {"Innbyggere 1.1.2040", "67 år og eldre 1.1.2040", "80 år og eldre 1.1.2040"}


def test_telemark_shows_ssb_projection_beside_ours():
    at = open_page(kommune="4001")
    assert any("SSB har publisert en egen framskriving" in i.value for i in at.info)
    at = open_page(kommune="1103")
    assert not any("SSB har publisert" in i.value for i in at.info)


def test_year_and_alternative_from_link():
    at = open_page(kommune="1103", aar="2050", alternative="high")
    high = metrics(at)["Innbyggere 1.1.2050"]
    at = open_page(kommune="1103", aar="2050", alternative="low")
    low = metrics(at)["Innbyggere 1.1.2050"]
    assert int(high) > int(low)


def test_stavanger_80_plus_grows_by_over_5000_by_2040(con):
    """The temaplan (2023): «Frem mot 2040 vil denne gruppen [80+] vokse med over 5000»."""
    from core.db import query

    registered_2023 = query(con, """SELECT sum(population) AS p FROM population_single_age
                                    WHERE kommunenummer = '1103' AND year = 2024 AND age >= 80""")["p"].iloc[0]
    at = open_page(kommune="1103")
    old = at.dataframe[0].value
    in_2040 = int(old.loc[old["År"] == "2040", "80+ år"].iloc[0].replace("\u00a0", ""))
    assert in_2040 - registered_2023 > 5_000


def test_bad_values_in_link():
    at = open_page(kommune="1103", aar="<img>", alternative="'; drop")
    messages = " ".join(w.value for w in at.warning)
    assert "ikke et gyldig valg" in messages and "<img>" not in messages


def test_nynorsk_page_shows_the_same_numbers_in_nynorsk():
    """?malform=nn: nynorsk tiles, captions and chart titles with the numbers of the bokmål page."""
    import json

    nb = metrics(open_page(kommune="4001"))
    at = open_page(kommune="4001", malform="nn")
    nn = metrics(at)
    assert nn["Innbyggjarar 1.1.2040"] == nb["Innbyggere 1.1.2040"]
    assert nn["80 år og eldre 1.1.2040"] == nb["80 år og eldre 1.1.2040"]
    assert sum(c.value.startswith("Kjelde:") for c in at.caption) == 3
    assert any(i.value.startswith("SSB har publisert ei eiga framskriving") for i in at.info)
    pyramid = json.dumps(json.loads(at.get("vega_lite_chart")[0].proto.spec), ensure_ascii=False)
    assert "Personar (menn til venstre, kvinner til høgre)" in pyramid and "høyre" not in pyramid
