"""Who is using the app: the one place ui gets the current Principal (core.access).

Without an [auth] section in .streamlit/secrets.toml (the embedded default, `make run`) everyone is
core.access.LOCAL_USER: no login, one local user who may do everything.
"""

from __future__ import annotations

from core.access import LOCAL_USER, Principal


def current() -> Principal:
    """The person using this session."""
    return LOCAL_USER
