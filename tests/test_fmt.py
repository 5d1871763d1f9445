"""Norwegian number formats."""

from core import fmt

NB = "\u00a0"


def test_numbers():
    assert fmt.number(1234567) == f"1{NB}234{NB}567"
    assert fmt.number(1234.56, 1) == f"1{NB}234,6"
    assert fmt.number(-26) == "-26"
    assert fmt.number(0.0001, 2) == "0,00"
    assert fmt.number(5, sign=True) == "+5"
    assert fmt.number(0, sign=True) == "±0"


def test_percent_and_points():
    assert fmt.percent(0.0457647) == f"4,6{NB}%"
    assert fmt.points(0.046) == f"+4,6{NB}prosentpoeng"
    assert fmt.points(-0.015) == f"-1,5{NB}prosentpoeng"


def test_missing_never_nan():
    for bad in (None, float("nan"), float("inf"), "tekst"):
        assert fmt.number(bad) == "ikke tilgjengelig"
        assert fmt.percent(bad) == "ikke tilgjengelig"
    assert fmt.change(None, "count") is None


def test_numpy_scalars():
    import numpy as np

    assert fmt.number(np.int64(30265)) == f"30{NB}265"
    assert fmt.kroner(np.float64(3693850)) == f"3{NB}693{NB}850{NB}kr"


def test_trimmed_numbers_typographic_minus_and_ordinary_spaces():
    assert fmt.number(2.5, 2, trim=True) == "2,5"
    assert fmt.number(3.0, 2, trim=True) == "3"
    assert fmt.number(1234.0, 0, trim=True) == f"1{NB}234"
    assert fmt.number(-10, minus=fmt.MINUS) == "\u221210"
    assert fmt.number(-0.001, 2, minus=fmt.MINUS) == "0,00"  # no minus on a rounded zero
    assert fmt.percent(-0.141, 1, minus=fmt.MINUS) == f"\u221214,1{NB}%"
    assert fmt.number(1_000_000, group=" ") == "1 000 000"


def test_kroner_with_ore_and_millions():
    assert fmt.kroner(442, ore=True) == f"442{NB}kr"
    assert fmt.kroner(12.5, ore=True) == f"12,50{NB}kr"
    assert fmt.kroner(1234.567, ore=True) == f"1{NB}234,57{NB}kr"
    assert fmt.million_kroner(8_912_000) == f"8,9{NB}mill.{NB}kr"
    assert fmt.million_kroner(None) == "ikke tilgjengelig"


def test_a_value_as_read_is_quoted_as_the_file_wrote_it():
    assert fmt.as_read(12.5) == "12.5"
    assert fmt.as_read(-5.0) == "-5"
    assert fmt.as_read(7_000_000.0) == "7000000"  # not «7e+06»


def test_dates_and_times():
    from datetime import date, datetime

    assert fmt.date(date(2026, 11, 5)) == "05.11.2026"
    assert fmt.date(datetime(2026, 11, 25, 12, 3)) == "25.11.2026"
    assert fmt.date("2026-11-25T12:03:00") == "25.11.2026"
    assert fmt.date(date(2026, 11, 25), "%Y") == "2026"
    assert fmt.clock(datetime(2026, 11, 25, 9, 3)) == "09:03"
    assert fmt.date_time(datetime(2026, 11, 25, 12, 3, 59)) == "25.11.2026 12:03"
    assert fmt.date_time("2026-11-25 12:03") == "25.11.2026 12:03"
