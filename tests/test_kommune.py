"""Resolving ?kommune= values: numbers, names, garbage, hostile text."""

import pytest

from core import indicators as ind
from core import kommune as kom


@pytest.fixture(scope="module")
def kommuner(con):
    return ind.kommuner(con)


@pytest.mark.parametrize(("raw", "expected"), [
    ("4631", "4631"), ("301", "0301"), ("0301", "0301"), (" 1103 ", "1103"),
    ("Alver", "4631"), ("stavanger", "1103"), (None, kom.DEFAULT_KOMMUNE), ("", kom.DEFAULT_KOMMUNE),
])
def test_valid(kommuner, raw, expected):
    knr, msg = kom.resolve(raw, kommuner)
    assert (knr, msg) == (expected, None)


@pytest.mark.parametrize("raw", ["9999", "abc", "'; DROP TABLE x;--", "<script>alert(1)</script>",
                                 "12345", "4631.0", "-1", "x" * 5000, "[lenke](http://evil.example)"])
def test_invalid_falls_back_with_safe_message(kommuner, raw):
    knr, msg = kom.resolve(raw, kommuner)
    assert knr == kom.DEFAULT_KOMMUNE
    assert msg and "Alver" in msg
    for bad in ("<", ">", ";", "(", ")", "[", "]", "'"):
        assert bad not in msg.replace("«", "").replace("»", ""), msg
    assert len(msg) < 200


def test_old_number_before_2024_reform_is_refused_clearly(kommuner):
    knr, msg = kom.resolve("3001", kommuner)  # Halden before 2024 (now 3101)
    assert knr == kom.DEFAULT_KOMMUNE and "3001" in msg and "2024" in msg
