"""Kommunale legeoppgaver's slide in a scenario's presentation: the nursing-home norm against today
(declared in ui.shell.PAGES), and the duty inputs a saved scenario gives (also for the comparison)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core import compare, duties_charts, fmt
from core import duties as du
from core.i18n import t
from ui import duties_text, duties_view, loaders
from ui.presentation import Slide


def duty_inputs(content, knr: str, fte_cost: float) -> tuple[dict, int, du.ListBase | None]:
    """Defaults of the duty levers for a scenario (its case), the base year and the list base."""
    case = compare.duty_case(content, knr)
    base = loaders.starting_point(case if case == du.STAVANGER_CASE else "ssb", knr)
    list_base = du.list_base(base) if base is not None else None
    stavanger = duties_view.stavanger() if case == du.STAVANGER_CASE else None
    return (compare.duty_defaults(fte_cost, list_base, stavanger),
            2023 if stavanger is not None else loaders.latest_year(), list_base)


def slides(knr: str, content: Mapping[str, Any]) -> list[Slide]:
    """«Kommunale legeoppgaver» with the scenario's duty levers: FTE by the norm, today and in all."""
    eco_params, _, _ = compare.economy_params(content, loaders.connection())  # the cost of one FTE
    defaults, base_year, list_base = duty_inputs(content, knr, eco_params.personnel_cost)
    params, _ = compare.duty_params(content, defaults)
    nh = du.nursing_home(params[du.NursingHomeParams], params[du.SharedParams])
    years = [base_year]
    total = float(compare.duty_outputs(content, defaults, base_year, list_base, years)[0]["duties_fte"].iloc[0])
    gap = (t("Det mangler {gap} årsverk, om lag {cost} i året.", gap=fmt.number(nh.gap_fte, 2),
             cost=fmt.kroner(nh.gap_cost)) if nh.gap_fte > 0.005 else
           t("Det er {above} årsverk mer enn normen krever.", above=fmt.number(-nh.gap_fte, 2))
           if nh.gap_fte < -0.005 else t("Det er like mange årsverk som normen krever."))
    case = duties_view.stavanger() if compare.duty_case(content, knr) == du.STAVANGER_CASE else None
    in_force = du.norm_in_force(case, params[du.NursingHomeParams])
    norm = duties_text.norm_label("", in_force, [])
    ref = du.sourced_reference(params[du.NursingHomeParams], params[du.SharedParams])  # the sourced norm beside
    both = " " + duties_text.stavanger_norm_sentence(case, params[du.SharedParams]) if case is not None else ""
    return [Slide(
        t("Kommunale legeoppgaver"),
        t("Normen for sykehjem gir {required} legeårsverk mot {current} i dag.", required=fmt.number(
            nh.required_fte, 2), current=fmt.number(nh.current_fte, 2)) + " " + gap + both,
        tiles=((t("Legeårsverk på sykehjem etter normen") + norm, fmt.number(nh.required_fte, 2)),
               (t("Legeårsverk på sykehjem i dag"), fmt.number(nh.current_fte, 2)),
               (t("Legeårsverk i alt med flyttede timer"), fmt.number(total, 2))),
        spec=duties_charts.nursing_fte_chart(nh.by_kind, nh.current_fte, ref.by_kind if ref else None,
                                             in_force).to_dict(),
        source=t("Legeplans modell for kommunale legeoppgaver (docs/legeoppgaver.md)"))]
