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
