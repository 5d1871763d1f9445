"""Shared fixtures: one read-only connection to the statistics database built from data/."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest

from core import db


@pytest.fixture(scope="session")
def con():
    """Read-only connection to data/legeplan.duckdb (built from the committed sources if needed)."""
    connection = db.connect()
    yield connection
    connection.close()


def round_half_up(x: float, decimals: int = 0) -> float:
    """Round as SSB publishes (half up), not Python's banker's rounding."""
    return float(Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


@pytest.fixture(autouse=True, scope="session")
def _no_forward_message_cache():
    """AppTest cannot resolve Streamlit's cached-message references: send every element whole."""
    from streamlit import config

    config.set_option("global.minCachedMessageSize", 1e12)
    yield


@pytest.fixture(autouse=True)
def _own_user_database(tmp_path, monkeypatch):
    """What a test saves goes to its own database, never to data/brukerdata.duckdb (and parallel
    workers never share a file)."""
    monkeypatch.setenv("LEGEPLAN_USER_DB", str(tmp_path / "brukerdata.duckdb"))
