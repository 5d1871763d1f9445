"""A tiny lever registry for the lever panel tests (tests/test_lever_state.py): one lever of each kind."""

from __future__ import annotations

from dataclasses import dataclass, replace

from core.params import CHOICE, lever

FIRST, SECOND, THIRD = "Første", "Andre", "Tredje"


@dataclass(frozen=True)
class Tiny:
    count: int = lever(label="Antall", unit="personer", default=3, min=0, max=10, step=1, group=FIRST,
                       source="Test", aliases=("antall_gammel",))
    share: float = lever(label="Andel", unit="andel", default=0.25, min=0.0, max=1.0, step=0.05,
                         display_scale=100.0, group=FIRST, source="Test")
    rate: float = lever(label="Sats", unit="kr", default=500.0, min=0.0, max=100_000.0, step=1.0, group=SECOND,
                        source="Test", default_from="rate")
    on: bool = lever(label="På", unit="", default=False, group=SECOND, source="Test", basis=CHOICE)


@dataclass(frozen=True)
class Other:
    extra: int = lever(label="Ekstra", unit="personer", default=1, min=0, max=5, step=1, group=THIRD, source="Test")


CAP = 8


def fit(params: Tiny) -> tuple[Tiny, list[str]]:
    """A page's own fitting: at most CAP, with a message."""
    if params.count <= CAP:
        return params, []
    return replace(params, count=CAP), [f"Antall er satt ned til {CAP}."]
