"""Sammenlign scenarioer: the kommune's saved scenarios side by side: capacity, cost and doctor duties."""

import streamlit as st

from core import compare
from core import economy as eco
from core.capacity import CapacityParams
from core.i18n import t
from core.params import levers, with_defaults_from
from core.usertext import escape_markdown
from ui import compare_slides, components, export_view, loaders, shell, state, verdict_text
from ui import levers as lever_ui
from ui import scenario as scenario_ui
from ui.cache import cached


@cached(max_entries=64)
def _chart(long, label: str, order: tuple[str, ...], decimals: int | None) -> dict:
    """The overlaid chart as a Vega-Lite dict, kept per data (building it with Altair is the slow part)."""
    return compare.compare_chart(long, label, list(order), decimals).to_dict()


knr, name = shell.enter()
compare_slides.hook(knr, name)  # ?presentasjon=1: slides; ?mote=1: the meeting view (then stop)

st.title(t("Sammenlign scenarioer – {kommune}", kommune=name))
st.caption(t("Velg to til fire lagrede scenarioer (lagres i sidepanelet under «Scenarioer»). Tabellene og "
             "diagrammene viser Fastlegekapasitet, kostnaden fra Økonomi og legeårsverkene fra Kommunale "
             "legeoppgaver for hvert av dem; celler som avviker fra det første, er markert."))
state.show_messages()

saved = scenario_ui.saved_for(knr)
labels = compare_slides.choices(saved)
if not saved:
    st.info(t("Ingen lagrede scenarioer for {kommune} ennå. Still inn spakene på Fastlegekapasitet og lagre "
              "under «Scenarioer» i sidepanelet; da kan de sammenlignes her.", kommune=name))
chosen = st.multiselect(t("Scenarioer"), list(labels), default=list(labels)[:compare.MAX_SCENARIOS],
                        format_func=labels.__getitem__, max_selections=compare.MAX_SCENARIOS, key="sammenlign")
if len(chosen) < 2:
    st.info(t("Velg minst to scenarioer å sammenligne."))
    st.stop()

comparison = compare_slides.gather(knr, name, chosen, labels, saved)  # capacity, cost and duties per scenario
for message in comparison.messages:
    st.warning(message)
runs, results, starts, other_levers = comparison.runs, comparison.results, comparison.starts, comparison.other_levers
norms = comparison.norms  # per scenario: the nursing-home norm in force (Legeplan's back-solved one in Stavanger)
if len(results) < 2:
    st.stop()

source = t("Legeplans kapasitetsmodell med spakene i hvert scenario; {demography}; statistikk: SSB tabell 12005 "
           "eller referansecasets dokument", demography=loaders.demography_source(knr))
st.subheader(t("Nøkkeltall i siste felles år"))
if len(set(starts.values())) > 1:  # e.g. «Uten endringer» on SSB 2025 beside saved Alver 2021 scenarios
    by_start: dict[str, list[str]] = {}
    for shown_name, label in starts.items():
        by_start.setdefault(label, []).append(f"«{escape_markdown(shown_name, inline=True)}»")
    st.warning(t("Scenarioene regner fra ulike utgangspunkt: {starts}. Forskjellene mellom dem kommer da også fra "
                 "utgangspunktet, ikke bare fra spakene; «mot utgangsåret» under sammenligner hvert scenario med sitt "
                 "eget.", starts="; ".join(f"{', '.join(names)}: {label}" for label, names in by_start.items())))
norm_labels = compare.metric_labels(norms)  # «(Legeplans tilbakeregning)» on the nursing-home rows
summary = compare.horizon_summary(results, norm_labels)
decimals = [compare.METRICS[m][1] for m in compare.shown_metrics(results)]
components.compare_table(summary, decimals, first_column=summary.index.name)
st.caption(t("Kilde: {source}. Markert: avviker fra «{first}».", source=source, first=escape_markdown(next(iter(results)), inline=True)))
st.markdown(f"**{t('Vurdering for pasientene')}**")
components.table(verdict_text.compared_rows(results))
st.caption(t(verdict_text.COMPARED_NOTE))

metric = state.url_choice(t("Vis år for år"), [m for m in compare.shown_metrics(results)
                                               if m not in compare.ECONOMY_METRICS + compare.DUTY_METRICS],
                          key="sammenlign_tall",
                          format_func=lambda m: t(compare.METRICS[m][0]))
label, dec = t(compare.METRICS[metric][0]), compare.METRICS[metric][1]
components.chart(_chart(compare.long_frame(results, metric), label, tuple(results), None), source,
                 t("Linjediagram: {what} per år for {n} scenarioer.", what=label.lower(), n=len(results)),
                 key="sammenlign_diagram")
wide = compare.wide_frame(results, metric)
components.compare_table(wide, [dec] * len(wide.index), first_column=t("År"))
st.caption(t("Kilde: {source}.", source=source))

st.subheader(t("Kostnad og kommunale legeoppgaver år for år"))
other_source = t("Kostnad: Legeplans økonomimodell med økonomispakene i hvert scenario, brukt på endringene i "
                 "hjemler, leger og listetak (docs/okonomi.md); legeårsverk: Legeplans modell for kommunale "
                 "legeoppgaver med spakene i hvert scenario (docs/legeoppgaver.md)")
charts = {metric: (label, _chart(compare.long_frame(results, metric), label, tuple(results), None),
                   t("{what} per år for {n} scenarioer. Kilde: {source}", what=label, n=len(results), source=source))}
for key in ("fastlonn", "naeringsdrift", "nh_required_fte"):
    if key not in compare.shown_metrics(results):
        continue
    label, dec = norm_labels.get(key, t(compare.METRICS[key][0])), compare.METRICS[key][1]
    charts[key] = (label, _chart(compare.long_frame(results, key), label, tuple(results), dec),
                   t("{what} per år for {n} scenarioer. Kilde: {source}", what=label, n=len(results),
                     source=other_source))
    st.markdown(f"**{label}**")
    components.chart(charts[key][1],
                     other_source,
                     t("Linjediagram: {what} per år for {n} scenarioer.", what=label.lower(), n=len(results)),
                     key=f"sammenlign_{key}")
    wide = compare.wide_frame(results, key)
    components.compare_table(wide, [dec] * len(wide.index), first_column=t("År"))
st.caption(t("Kilde: {source}.", source=other_source))

st.subheader(t("Spakene som skiller scenarioene"))
first = next(r for r in runs)
base_defaults = with_defaults_from(CapacityParams, loaders.starting_point(first.start, knr)
                                   or loaders.starting_point("ssb", knr))
names = [c.name for c in runs]
sections = [(t("Fastlegekapasitet"), CapacityParams, [r.params for r in runs], base_defaults),
            (t("Økonomi"), eco.EconomyParams, [o[0] for o in other_levers], eco.defaults_for(other_levers[0][1].key)),
            *((t("Kommunale legeoppgaver"), cls, [o[2][cls] for o in other_levers], other_levers[0][3][cls])
              for cls in compare.DUTY_CLASSES)]
rows = []
for section, cls, values, defaults in sections:
    frame = compare.changed_values(cls, names, values, defaults)
    by_name = {lv.name: lv for lv in levers(cls)}
    for _, r in frame.iterrows():
        lv = by_name[r["name"]]
        rows.append({t("Side"): section, t("Spak"): lever_ui.label(lv),
                     t("Standard"): lever_ui.default_text(lv, r["default"]),
                     **{n: lever_ui.default_text(lv, r[n]) for n in names}})
if not rows:
    st.info(t("Scenarioene har de samme spakene som standard."))
else:
    components.table(rows)
    st.caption(t("Kilde: spakene lagret i hvert scenario; standardverdiene og kildene står på sidene selv."))

export_view.offer("scenarioer", knr, name, results, sections, (source, other_source), charts)  # «Eksporter til saksframlegg»
