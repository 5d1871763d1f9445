"""AppTest: the Kontorstruktur page – the Øyer case, editing the office table, invalid rows,
building a merger, saving a plan with the kommune, and the absence levers."""

from __future__ import annotations

import pytest

from core import economy as eco
from tests import apptest_util
from tests.apptest_util import BAD_SHOWN, metrics, squash, visible_text

PAGE = "pages/kontor.py"
OYER_EDITOR = "kontor_editor:3440:oyer"


@pytest.fixture(autouse=True)
def user_db(tmp_path, monkeypatch):
    """Saved plans go to a fresh database per test, never to data/brukerdata.duckdb."""
    monkeypatch.setenv("LEGEPLAN_USER_DB", str(tmp_path / "bruker.duckdb"))


def open_page(**query: str):
    return apptest_util.open_page(PAGE, **query)


def edit(at, key: str, edited: dict | None = None, added: list | None = None):
    at.session_state[key] = {"edited_rows": edited or {}, "added_rows": added or [], "deleted_rows": []}
    at.run()
    assert not at.exception, at.exception[0].message
    return at


def frame_with(at, column: str):
    """The first shown table that has a column of this name."""
    for df in at.dataframe:
        value = df.value
        if column in value.columns:
            return value
    raise KeyError(column)


def widget(at, kind: str, label_start: str):
    for w in getattr(at, kind):
        if w.label.startswith(label_start):
            return w
    raise KeyError(label_start)


def no_bad_text(at) -> None:
    assert not BAD_SHOWN.search(visible_text(at)), BAD_SHOWN.search(visible_text(at))
    for df in at.dataframe:
        if df.editing_mode == "read_only":
            assert not BAD_SHOWN.search(df.value.to_csv(index=False))


def test_oyer_case_shows_the_documents_numbers():
    at = open_page(kommune="3440")
    shown = metrics(at)
    assert shown["I dag: kostnad per år"] == "7331972kr"
    assert shown["Samling til ett kontor: kostnad per år"] == "6246372kr"
    assert shown["Samling til ett kontor: per listepasient"] == "1361kr"
    assert shown["Samling til ett kontor: per konsultasjon"] == "525kr"
    saving = next(m for m in at.metric if m.label == "Samling til ett kontor: kostnad per år")
    assert squash(saving.delta) == "-1085600krmotidag"

    offices = frame_with(at, "Kontor")
    oyer = offices[(offices["Modell"] == "I dag") & (offices["Kontor"] == "Øyer legekontor")].iloc[0]
    tretten = offices[(offices["Modell"] == "I dag") & (offices["Kontor"] == "Tretten legekontor")].iloc[0]
    assert [squash(oyer[c]) for c in ("Kostnad per år", "Uten husleie m.m.", "Per listepasient uten husleie",
                                      "Per listepasient", "Per konsultasjon")] == [
        "3693850kr", "2268850kr", "736kr", "1198kr", "430kr"]
    assert [squash(tretten[c]) for c in ("Kostnad per år", "Uten husleie m.m.", "Per listepasient uten husleie",
                                         "Per listepasient", "Per konsultasjon")] == [
        "3638122kr", "2698122kr", "1793kr", "2417kr", "1102kr"]
    assert squash(oyer["Listepasienter"]) == "3084" and squash(tretten["Konsultasjoner"]) == "3300"

    check = frame_with(at, "Samsvar")
    assert len(check) >= 25 and (check["Samsvar"] == "ja").all()

    assert len(at.get("vega_lite_chart")) == 2
    assert sum(c.value.startswith("Kilde:") for c in at.caption) >= 2 + 4  # charts + tables
    assert any("Kilde: Øyer kommune, «Organisering av fastlegetjenesten»" in c.value for c in at.caption)
    assert "uavhengig av hverandre" in visible_text(at)
    assert "Tretten legekontor" in visible_text(at) and "ikke oppgitt" in frame_with(at, "Modell").to_csv()
    no_bad_text(at)


def test_other_kommune_starts_with_an_empty_table():
    at = open_page(kommune="0301")
    assert at.title[0].value == "Kontorstruktur – Oslo"
    assert at.selectbox(key="kontor_start").value == "egne"
    assert len(at.data_editor) == 1
    assert any("Skriv inn minst ett kontor" in i.value for i in at.info)
    assert not at.metric
    no_bad_text(at)


def test_editing_a_cell_changes_the_result():
    at = open_page(kommune="3440")
    before = metrics(at)["I dag: per listepasient"]
    edit(at, OYER_EDITOR, edited={1: {"list_patients": 2000}})
    shown = metrics(at)
    assert before == "1598kr"
    assert shown["I dag: per listepasient"] == "1442kr"  # 7 331 972 / (3 084 + 2 000)
    assert shown["Samling til ett kontor: per listepasient"] == "1229kr"  # 6 246 372 / 5 084
    assert any(c.value.startswith("Kilde: Øyer kommune") and "brukerens egne" in c.value for c in at.caption)
    no_bad_text(at)


def test_invalid_row_gives_a_norwegian_message_and_the_rest_renders():
    at = open_page(kommune="3440")
    edit(at, OYER_EDITOR, edited={1: {"list_patients": -10}})
    errors = " ".join(e.value for e in at.error)
    assert "Rad 2, «Listepasienter»: kan ikke være negativ (−10)." in errors
    assert "Noen rader er ikke med i beregningen" in errors
    assert metrics(at)["I dag: kostnad per år"] == "3693850kr"  # Øyer alone
    assert any("«Tretten legekontor» finnes ikke" in w.value for w in at.warning)
    assert len(at.get("vega_lite_chart")) == 2
    no_bad_text(at)


def test_a_text_in_a_number_cell_and_a_missing_name():
    at = open_page(kommune="0301")
    edit(at, "kontor_editor:0301:egne", edited={0: {"gps": 2, "list_patients": 1000}},
         added=[{"name": "Nord", "gps": 2, "gp_fte": 3}])
    errors = " ".join(e.value for e in at.error)
    assert "Rad 1: kontoret mangler navn." in errors
    assert "Rad 4: 3 fastlegeårsverk på 2 fastleger" in errors
    assert any("Skriv inn minst ett kontor" in i.value for i in at.info)


def build_two_offices(at):
    return edit(at, "kontor_editor:0301:egne", edited={
        0: {"name": "Sentrum", "gps": 3, "secretary_fte": 2, "list_patients": 3000, "consultations": 8000,
            "personnel_cost": 1_500_000, "running_cost": 400_000, "rent_cost": 600_000, "equipment_cost": 150_000},
        1: {"name": "Bygda", "gps": 2, "gp_fte": 1.6, "lis1": 1, "secretary_fte": 1.5, "list_patients": 1500,
            "consultations": 3000, "personnel_cost": 1_000_000, "running_cost": 300_000, "rent_cost": 400_000,
            "equipment_cost": 120_000}})


def test_building_a_merger_shows_the_saving():
    at = build_two_offices(open_page(kommune="0301"))
    assert metrics(at)["I dag: kostnad per år"] == "4470000kr"
    assert widget(at, "multiselect", "Kontorer som slås sammen").value == ["Sentrum", "Bygda"]
    widget(at, "text_input", "Sparte utgifter til husleie").set_value("400 000")
    widget(at, "text_input", "Helsesekretærårsverk som spares").set_value("0,5")  # comma: a half, not 5
    widget(at, "text_input", "Navn på alternativet").set_value("Ett kontor")
    next(b for b in at.button if b.label == "Legg til alternativet").click()
    at.run()
    assert not at.exception
    shown = metrics(at)
    fte_cost = eco.EconomyParams().staff_fte_cost  # the Økonomi page's rate (an example, 800 000 kr)
    saving = 400_000 + 120_000 + 0.5 * fte_cost  # rent, equipment bought once, half a secretary
    assert shown["Ett kontor: kostnad per år"] == str(int(4_470_000 - saving)) + "kr"
    assert f"{saving:,.0f} kr mindre enn i dag".replace(",", " ") in visible_text(at).replace("\u00a0", " ")
    assert any(c.value.startswith("Kilde:") and "Tall skrevet inn av brukeren" in c.value for c in at.caption)
    closed = {m.label: float(squash(m.value).replace(",", ".")) for m in at.metric if "stengte" in m.label}
    assert closed["Ett kontor: stengte kontordager per år (eksempel)"] < closed[
        "I dag: stengte kontordager per år (eksempel)"]
    no_bad_text(at)

    next(b for b in at.button if b.label == "Fjern").click()
    at.run()
    assert "Ett kontor: kostnad per år" not in metrics(at)


def test_a_saving_that_is_not_a_number_adds_nothing_and_says_why():
    at = build_two_offices(open_page(kommune="0301"))
    widget(at, "text_input", "Sparte utgifter til husleie").set_value("fire hundre tusen")
    next(b for b in at.button if b.label == "Legg til alternativet").click()
    at.run()
    assert not at.exception
    assert any("«fire hundre tusen» er ikke et tall" in e.value for e in at.error)
    assert not any(label.startswith("Alternativ 1") for label in metrics(at))


def test_saving_a_plan_with_the_kommune_and_loading_it():
    at = build_two_offices(open_page(kommune="0301"))
    widget(at, "text_input", "Sparte utgifter til husleie").set_value("400000")
    next(b for b in at.button if b.label == "Legg til alternativet").click()
    at.run()
    widget(at, "text_input", "Navn på planen").set_value("Forslag 2026")
    next(b for b in at.button if b.label.startswith("Lagre for")).click()
    at.run()
    assert any("«Forslag 2026» er lagret for Oslo" in s.value for s in at.success)
    picker = at.selectbox(key="kontor_start")
    assert "Oslo: lagret plan «Forslag 2026»" in picker.options
    picker.set_value("lagret:Forslag 2026")
    at.run()
    assert not at.exception
    shown = metrics(at)
    assert shown["I dag: kostnad per år"] == "4470000kr"
    assert shown["Alternativ 1: kostnad per år"] == str(4_470_000 - 400_000 - 120_000) + "kr"


def test_absence_levers_move_closed_days_and_go_in_the_link():
    at = open_page(kommune="3440")
    before = metrics(at)["I dag: stengte kontordager per år (eksempel)"]
    at.slider(key="lv_sick_days").set_value(40)
    at.run()
    assert not at.exception
    after = metrics(at)["I dag: stengte kontordager per år (eksempel)"]  # the other absence levers are examples
    assert float(after.replace(",", ".")) > float(before.replace(",", "."))
    assert at.query_params["sick_days"] == ["40"] or at.query_params["sick_days"] == "40"


def test_bad_absence_value_in_link_gives_a_message():
    at = open_page(kommune="3440", sick_days="mange")
    assert any("«Sykefravær»" in w.value and "ikke et tall" in w.value for w in at.warning)
    assert metrics(at)["I dag: kostnad per år"] == "7331972kr"
    no_bad_text(at)


def test_secretary_cost_follows_the_okonomi_page():
    """One rate for a support-staff FTE: changed on Økonomi, it is the default here too."""
    at = apptest_util.open_page("pages/okonomi.py", kommune="3440")
    apptest_util.lever(at, "staff_fte_cost").set_value(650_000)
    at.run()
    at.switch_page(PAGE)
    at.run()
    assert not at.exception
    assert widget(at, "text_input", "Kostnad per helsesekretærårsverk").value == "650\u00a0000"


def test_oyer_case_in_nynorsk_shows_the_same_saving():
    """?malform=nn: the Øyer merger has its nynorsk name and tile labels, and the same numbers."""
    at = open_page(kommune="3440", malform="nn")
    shown = metrics(at)
    assert shown["I dag: kostnad per år"] == "7331972kr"
    assert shown["Samling til eitt kontor: kostnad per år"] == "6246372kr"
    assert shown["Samling til eitt kontor: stengde kontordagar per år (eksempel)"] == metrics(
        open_page(kommune="3440"))["Samling til ett kontor: stengte kontordager per år (eksempel)"]
    captions = "\n".join(c.value for c in at.caption)
    assert "**Eksempel:** Stengde kontordagar byggjer på 55 fråværsdagar per fastlege" in captions
    conclusion = " ".join(i.value for i in at.info).replace("\u00a0", " ")
    assert "**Konklusjonen i dokumentet:**" in conclusion and "**Tala i Legeplan peikar same veg:**" in conclusion
    saving = next(m for m in at.metric if m.label == "Samling til eitt kontor: kostnad per år")
    assert squash(saving.delta) == "-1085600krmotidag"
    assert at.title[0].value == "Kontorstruktur – Øyer"
    check = frame_with(at, "Samsvar")
    assert (check["Samsvar"] == "ja").all()
    assert any("Kjelde: Øyer kommune, «Organisering av fastlegetjenesten»" in c.value for c in at.caption)
    assert "uavhengig av kvarandre" in visible_text(at)


OWN_ABSENCE = dict(holiday_days="20", sick_days="12", course_days="8", night_rest_days="6", municipal_days="5")


def test_closed_days_say_they_rest_on_example_absence():
    """Tretten's ~35 closed days come from 55 example absence days: the tile, chart, sentence and table say so."""
    at = open_page(kommune="3440")
    shown = metrics(at)
    assert shown["I dag: stengte kontordager per år (eksempel)"] == "38,0"  # Tretten 35,3 + Øyer 2,7
    assert shown["Samling til ett kontor: stengte kontordager per år (eksempel)"] == "0,4"
    assert "I dag: stengte kontordager per år" not in shown
    captions = "\n".join(c.value for c in at.caption)
    assert ("**Eksempel:** Stengte kontordager bygger på 55 fraværsdager per fastlege, og «Ferie uten vikar», "
            "«Sykefravær», «Kurs og etterutdanning», «Fri etter nattevakt på legevakt», «Kommunale oppgaver utenfor "
            "kontoret» er eksempelverdier uten kilde.") in captions
    assert "(eksempelverdier uten kilde) må **Tretten legekontor** regne med å holde stengt om lag **35,3 dager" in \
        visible_text(at).replace("\u00a0", " ")
    concerns = frame_with(at, "Hensyn")
    assert "Sårbarhet: stengte kontordager per år (eksempel)" in list(concerns["Hensyn"])
    idle = concerns[concerns["Hensyn"] == "Medisinsk faglig: LIS1-dager uten fastlege til stede (eksempel)"].iloc[0]
    assert (idle["I dag"], idle["Samling til ett kontor"]) == ("35,3", "0,4")
    import json

    chart = next(c for c in at.get("vega_lite_chart") if "closed_days" in c.proto.spec)
    assert "eksempelverdier for fravær" in json.loads(chart.proto.spec)["layer"][0]["encoding"]["x"]["title"]
    # the common lever widget writes its caption once under each example lever, and nowhere twice
    example_captions = [c for c in at.sidebar.caption if "Eksempelverdi uten kilde" in c.value]
    assert len(example_captions) == 5


def test_own_absence_figures_drop_the_example_mark():
    at = open_page(kommune="3440", **OWN_ABSENCE)
    shown = metrics(at)
    assert shown["I dag: stengte kontordager per år"] == "35,1"  # 51 days away, no example mark
    assert not any("(eksempel)" in label for label in shown)
    assert not any("Stengte kontordager bygger på" in c.value for c in at.caption)


def test_oyer_case_states_the_documents_conclusion_and_the_figures_agree():
    at = open_page(kommune="3440")
    text = " ".join(i.value for i in at.info).replace("\u00a0", " ")
    assert "**Dokumentets konklusjon:** «Allmennlegeutvalget, kommuneoverlege og sektorledergruppen har valgt å " \
           "anbefale en løsning med ett felles fastlegekontor»" in text
    assert ("**Legeplans tall peker samme vei:** samling koster 1 085 600 kr mindre i året; minste fagmiljø 2 → 5 "
            "fastleger; kontorene er stengt om lag 38,0 → 0,4 dager i året, og LIS1 står uten fastlege 35,3 → 0,4 "
            "dager (fravær: eksempelverdier).") in text
    # other kommuner have no case document, so no conclusion
    assert "Dokumentets konklusjon" not in " ".join(i.value for i in open_page(kommune="0301").info)


def test_the_lis1_row_and_the_conclusion_say_what_the_document_says_about_tretten():
    """The document: Tretten has 1,6 GP FTE beside its LIS1, who may not work alone. The LIS1 row counts LIS1 on
    offices under two GP FTE (1 today, 0 merged), and the conclusion quotes the document on it."""
    at = open_page(kommune="3440")
    concerns = frame_with(at, "Hensyn")
    lis1 = concerns[concerns["Hensyn"] == "Medisinsk faglig: LIS1"].iloc[0]
    assert lis1["I dag"] == "1 LIS1; 1 på kontor med under to fastlegeårsverk"
    assert lis1["Samling til ett kontor"] == "1 LIS1; 0 på kontor med under to fastlegeårsverk"
    text = " ".join(i.value for i in at.info).replace("\u00a0", " ")
    assert ("Om Tretten (1,6 fastlegeårsverk og en turnuslege) skriver dokumentet at kontoret har måttet stenge ved "
            "fravær, og at «turnuslegen ikke har lov til å jobbe alene uten annen lege tilstede».") in text
    assert "Sårbarhet: stengte kontordager (eksempel)" in [s.value for s in at.subheader]
    own = open_page(kommune="3440", **OWN_ABSENCE)
    assert "Sårbarhet: stengte kontordager" in [s.value for s in own.subheader]
