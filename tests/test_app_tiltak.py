"""AppTest: the Tiltak og prosjekt page – Stavanger's register (1103), Alver's project (4631), editing
a row and seeing it after a restart, a refused second save, validation, and no nan/None on screen."""

from __future__ import annotations

import pytest

from tests.apptest_util import BAD_SHOWN, new_app, visible_text

PAGE = "pages/tiltak.py"


@pytest.fixture(autouse=True)
def user_db(tmp_path, monkeypatch):
    """Registers go to a fresh database per test, never to data/brukerdata.duckdb."""
    monkeypatch.setenv("LEGEPLAN_USER_DB", str(tmp_path / "bruker.duckdb"))


def open_page(**query: str):
    at = new_app()
    for key, value in {"malform": "nb", **query}.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, at.exception[0].message
    return at


def edit_and_save(at, key: str, register: str, edited: dict | None = None, added: list | None = None):
    at.session_state[key] = {"edited_rows": edited or {}, "added_rows": added or [], "deleted_rows": []}
    at.run()
    at.button(key=f"tiltak_save:{register}").click()
    at.run()
    assert not at.exception, at.exception[0].message
    return at


def frame_with(at, column: str):
    for df in at.dataframe:
        if column in df.value.columns:
            return df.value
    raise KeyError(column)


def no_bad_text(at) -> None:
    assert not BAD_SHOWN.search(visible_text(at)), BAD_SHOWN.search(visible_text(at))
    for df in at.dataframe:
        assert not BAD_SHOWN.search(df.value.to_csv(index=False)), df.value


def editor(at, register: str):
    return next(e for e in at.data_editor if e.key.startswith("tiltak_editor:") and f":{register}:" in e.key)


def test_stavanger_opens_with_its_table_and_charts():
    at = open_page(kommune="1103")
    assert at.title[0].value == "Tiltak og prosjekt – Stavanger"
    measures = editor(at, "tiltak").value
    assert len(measures) == 17
    assert measures["measure"].iloc[-1] == "Kartlegge private legetjenester i vår kommune"
    assert measures["effect_goal"].iloc[0] == "Sikre allmenn-legetjenester til hele befolkningen"
    assert len(editor(at, "prosjekt").value) == 0
    grouped = frame_with(at, "Effektmål")
    assert grouped["Effektmål"].iloc[0] == "Sikre allmenn-legetjenester til hele befolkningen"
    assert grouped["Økonomi"].iloc[1] == "10\u00a0000–20\u00a0000\u00a0kr"
    assert len(at.get("vega_lite_chart")) == 2  # timeline and indicator
    assert any(c.value.startswith("Kilde: Stavanger kommune, temaplan") for c in at.caption)
    assert any(c.value.startswith("Kilde: SSB, statistikkbanktabell 12005") for c in at.caption)
    assert "**Tiltak:** 17 i alt – 17 ikke startet" in visible_text(at)
    assert [b.label for b in at.get("download_button")] == ["Excel (begge registre)", "Tiltak som CSV",
                                                            "Prosjekt som CSV"]
    no_bad_text(at)


def test_alver_opens_with_the_project_and_overdue_milestones():
    at = open_page(kommune="4631")
    assert at.title[0].value == "Tiltak og prosjekt – Alver"
    project = editor(at, "prosjekt").value
    assert len(project) == 37 and "Sluttrapport" in set(project["text"])
    warning = " ".join(w.value for w in at.warning)
    assert "6 milepæler er forfalt" in warning
    assert "Årsrapport des. 2023 – frist 15.01.2024" in " ".join(warning.split())
    milestones = frame_with(at, "Milepæl")
    assert (milestones["Forfalt"] == "ja – forfalt").sum() == 6
    assert any(c.value.startswith("Kilde: Alver kommune, prosjektplan") for c in at.caption)
    assert any("Ingen tiltak ennå" in i.value for i in at.info)
    no_bad_text(at)


def test_an_edited_row_is_there_after_a_restart():
    at = open_page(kommune="1103")
    edit_and_save(at, "tiltak_editor:1103:tiltak:1", "tiltak",
                  edited={0: {"status": "pågår", "responsible": "Helse og mestring"}})
    assert any("Lagret som versjon 2" in s.value for s in at.success)
    restarted = open_page(kommune="1103")  # a new session reads what was stored
    measures = editor(restarted, "tiltak").value
    assert measures["status"].iloc[0] == "pågår" and measures["responsible"].iloc[0] == "Helse og mestring"
    assert "**Pågår:** 1. Nåværende tiltak 2023" in visible_text(restarted)
    assert any("versjon 2, sist lagret" in c.value for c in restarted.caption)
    no_bad_text(restarted)


def test_removing_a_row_can_be_undone():
    at = open_page(kommune="1103")
    at.session_state["tiltak_editor:1103:tiltak:1"] = {"edited_rows": {}, "added_rows": [], "deleted_rows": [2]}
    at.run()
    at.button(key="tiltak_save:tiltak").click()
    at.run()
    assert len(editor(at, "tiltak").value) == 16
    assert any("kan hentes tilbake" in s.value for s in at.success)
    at.button(key="tiltak_undo:tiltak:stavanger-03").click()
    at.run()
    assert not at.exception
    measures = editor(at, "tiltak").value
    assert len(measures) == 17 and measures["measure"].iloc[2] == "Legeressurs tilknyttet Forvaltning – somatikk"


def test_second_session_saving_from_an_old_version_is_told_what_changed():
    first = open_page(kommune="1103")
    second = open_page(kommune="1103")
    edit_and_save(first, "tiltak_editor:1103:tiltak:1", "tiltak", edited={0: {"status": "ferdig"}})
    edit_and_save(second, "tiltak_editor:1103:tiltak:1", "tiltak", edited={1: {"notes": "Min merknad"}})
    errors = " ".join(e.value for e in second.error)
    assert "Ikke lagret: noen andre har lagret i mellomtiden" in errors
    assert "Status: «ikke startet» → «ferdig»" in errors
    # what was typed is still in the same editor (same key: not reset to the stored version)
    assert editor(second, "tiltak").key == "tiltak_editor:1103:tiltak:1"
    assert "Min merknad" in str(second.session_state["tiltak_editor:1103:tiltak:1"]["edited_rows"])
    fresh = open_page(kommune="1103")
    assert editor(fresh, "tiltak").value["status"].iloc[0] == "ferdig"


def test_invalid_input_is_not_saved_and_explained():
    at = open_page(kommune="0301")
    assert any("Ingen tiltak ennå" in i.value for i in at.info)
    edit_and_save(at, "tiltak_editor:0301:tiltak:0", "tiltak",
                  added=[{"measure": "Nytt legesenter", "start_year": 2027, "end_year": 2025}])
    errors = " ".join(e.value for e in at.error)
    assert "Ikke lagret." in errors and "Rad 1: slutt (2025) er før start (2027)." in errors
    edit_and_save(at, "tiltak_editor:0301:tiltak:0", "tiltak",
                  added=[{"measure": "Nytt legesenter", "start_year": 2025, "end_year": 2027, "status": "pågår"}])
    assert any("Lagret som versjon 1" in s.value for s in at.success)
    assert len(at.get("vega_lite_chart")) == 1  # the timeline
    no_bad_text(at)
