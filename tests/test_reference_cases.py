"""The registry of reference cases (core.reference_cases), read from data/reference_cases.csv."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from core import reference_cases as rc
from core import tiltak as tk

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = ROOT / "data" / "documents"


def test_the_cases_their_kommuner_years_and_documents():
    assert rc.cases() == ("alver_2021", "stavanger_2023", "oyer")
    assert [rc.kommune_of(c) for c in rc.cases()] == ["4631", "1103", "3440"]
    assert [rc.year_of(c) for c in rc.cases()] == [2021, 2023, None]  # the Øyer document is undated
    assert rc.document_of("alver_2021") == "alver-notat-kapasitet-prosjekt-og-legeressurs-2021"
    assert rc.document_of("stavanger_2023") == "stavanger-temaplan-allmennlegetjenesten-2024-2027"
    assert rc.document_of("oyer") == "oyer-organisering-fastlegetjenesten"


def test_a_page_choice_that_is_no_case_belongs_to_no_kommune():
    assert rc.kommune_of("ssb") is None and rc.kommune_of("egne") is None and rc.kommune_of("") is None
    assert rc.belongs_to("stavanger_2023", "1103") and not rc.belongs_to("stavanger_2023", "4631")
    with pytest.raises(KeyError):
        rc.case("ssb")


@pytest.mark.skipif(not DOCUMENTS.exists(), reason="data/documents is missing")
def test_every_case_document_is_in_data_documents():
    for key in rc.cases():
        assert (DOCUMENTS / f"{rc.document_of(key)}.txt").exists(), key


def test_the_registers_start_in_their_cases_kommune():
    """The tiltak and prosjekt registers (data/*.csv) are seeded where their reference case belongs."""
    for register, path in ((tk.MEASURES, ROOT / "data" / "tiltak_stavanger.csv"),
                           (tk.PROJECT, ROOT / "data" / "prosjekt_alver.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            kommuner = {row["kommunenummer"] for row in csv.DictReader(f)}
        assert kommuner == {rc.kommune_of(tk.REGISTER_CASES[register])}
        assert tk.has_reference(next(iter(kommuner)), register)
        assert not tk.has_reference("0301", register)


def test_a_case_with_two_kommuner_is_refused(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text("case_id,kommunenummer,year,entity,metric,value,unit,document,note\n"
                    "x_2020,4631,2020,A,m,1,count,doc-a,\n"
                    "x_2020,1103,2020,A,n,2,count,doc-a,\n", encoding="utf-8")
    with pytest.raises(ValueError, match="x_2020"):
        rc.read(path)


def test_the_year_is_the_one_most_figures_are_for(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text("case_id,kommunenummer,year,entity,metric,value,unit,document,note\n"
                    "y,301,2023,A,a,1,count,doc,\ny,0301,2022,A,b,1,count,doc,\ny,0301,2023,A,c,1,count,doc,\n"
                    "y,0301,2040,A,d,1,count,doc,\n", encoding="utf-8")
    assert rc.read(path) == {"y": rc.ReferenceCase("y", "0301", "doc", 2023)}


def test_importing_the_registry_reads_no_file():
    """The CSV is read on first use, not when core.reference_cases (or a module importing it) is imported."""
    code = ("import pathlib\n"
            "opened = []\n"
            "real = pathlib.Path.open\n"
            "pathlib.Path.open = lambda self, *a, **k: opened.append(self.name) or real(self, *a, **k)\n"
            "import core.reference_cases as rc\n"
            "assert rc._registry.cache_info().currsize == 0 and 'reference_cases.csv' not in opened, opened\n"
            "rc.cases()\n"
            "assert opened.count('reference_cases.csv') == 1, opened\n"
            "rc.kommune_of('oyer'); rc.cases()\n"
            "assert opened.count('reference_cases.csv') == 1, opened\n")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
