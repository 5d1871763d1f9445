"""Økonomi's slide in a scenario's presentation: what one hjemmel costs (declared in ui.shell.PAGES)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core import compare, fmt
from core import economy as eco
from core.i18n import t
from ui import economy_view, loaders
from ui.presentation import Slide


def slides(knr: str, content: Mapping[str, Any]) -> list[Slide]:
    """«Hva koster én hjemmel?» with the scenario's Økonomi levers: the cost per form and the curve."""
    eco_params, period, _ = compare.economy_params(content, loaders.connection())
    c = eco.hjemmel_cost(eco_params, period)
    return [Slide(
        t("Hva koster én hjemmel?"),
        t("Med {n} pasienter på listen koster én hjemmel kommunen {naeringsdrift} i året ved næringsdrift, "
          "{fastlonn} ved fastlønn og {blandet} ved blandet drift.", n=fmt.number(eco_params.list_length),
          naeringsdrift=fmt.kroner(c.naeringsdrift), fastlonn=fmt.kroner(c.fastlonn),
          blandet=fmt.kroner(c.blandet)),
        tiles=tuple((economy_view.tile_label(form, t("{form}: netto per år", form=t(label)), eco_params),
                     fmt.kroner(getattr(c, form))) for form, label in eco.FORMS.items()),
        spec=economy_view.curve_spec(eco_params, period.key), source=economy_view.source_line(period))]
