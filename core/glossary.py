"""One vocabulary: the app's key quantities, each with one name, one definition, its source and its rounding.

A page, tile, table, export or slide that shows one of these quantities takes its label from here
(`term(key)` in the målform in force, or `label(key)`, the bokmål catalogue key, for a constant marked
for t()), and shows it with `decimals(key)` decimals (core.fmt.quantity), so the same 32 is never
«Fastlegelister» on one page and «Hjemler» on the next, and SSB's reserve index never reads 100 in a tile
and 99,9 in the table. Oversikt (core.indicators), Fastlegekapasitet's tiles and year table
(ui.headlines, ui.components), the comparison (core.compare) and the Data page's «Ord og begreper» do.
tests/test_glossary.py opens Oversikt and Fastlegekapasitet and fails on a synonym or a second rounding.

Decisions (issue 19, «Words drift»):
- «Hjemler» for the count of GP lists, with and without a doctor. SSB table 12005 calls them
  «fastlegelister» / «fastlegeavtaler i alt» (KOSantallavtaler0002), but a kommune creates, funds and
  fills hjemler: the levers («Nye hjemler»), the target gap («Hjemler som mangler for målet») and the
  kommunes' own documents (Stavanger: «Etablere nye hjemler», «Antall avtaler/hjemler styres i sin helhet
  av kommunen») use the word. One hjemmel is one list; the definition says so and names SSB's word.
- «Pasienter uten fastlege» for the patients on lists without a doctor (SSB: «pasienter på liste uten
  lege», KOSantallpasient0001): the short name of the headline; sentences that explain may still say
  «på lister uten lege».
- «Ledige plasser», not «Ledig kapasitet»: places are what a patient gets.
- Indices per 100 list patients (dekning, SSB's reserve) with one decimal everywhere: they are computed
  from SSB's counts, and coverage and reserve are equal when every list has a doctor, so they must read
  the same. (SSB publishes its reserve index rounded to whole numbers; its year-on-year change on
  Oversikt keeps SSB's precision.)
"""

from __future__ import annotations

from dataclasses import dataclass

from core.i18n import N_, NYNORSK, catalogue, t


@dataclass(frozen=True)
class Term:
    """One quantity: its label and one-sentence definition (bokmål catalogue keys), source and rounding."""

    key: str
    bokmaal: str  # the label, bokmål (the catalogue key; N_-marked)
    definition: str  # one sentence, bokmål (N_-marked)
    source: str  # SSB table and variable where one exists, else how Legeplan computes it (N_-marked)
    decimals: int  # decimals as shown (a share: of the percent)
    synonyms: tuple[str, ...] = ()  # bokmål names no page may use for this quantity

    @property
    def nynorsk(self) -> str:
        """The label in nynorsk (core/lang/nn)."""
        return catalogue(NYNORSK).get(self.bokmaal, self.bokmaal)


TERMS: dict[str, Term] = {term.key: term for term in (
    Term("hjemler", N_("Hjemler"),
         N_("Fastlegehjemler i alt, med og uten lege: én hjemmel er én fastlegeliste, og SSB kaller dem "
            "fastlegelister (fastlegeavtaler i alt)."),
         N_("SSB 12005 KOSantallavtaler0002 (fastlegeavtaler i alt, inkludert lister uten fast lege)"), 0,
         ("Fastlegelister", "Fastlegelister i alt", "Fastlegeavtaler i alt", "Hjemler (fastlegelister)",
          "Antall lister")),
    Term("vacant_lists", N_("Lister uten lege"),
         N_("Hjemler som ikke har fast lege: pasientene står på listen uten fastlege, noen ganger med vikar."),
         N_("SSB 12005 KOSantallavtaler0000 (fastlegelister uten lege); i framskrivingen et forventet antall"), 1,
         ("Ledige lister", "Lister uten fast lege", "Ledige hjemler", "Hjemler uten lege")),
    Term("patients_without_gp", N_("Pasienter uten fastlege"),
         N_("Pasienter på lister som ikke har fast lege (SSB: pasienter på liste uten lege)."),
         N_("SSB 12005 KOSantallpasient0001 (pasienter på fastlegeliste uten lege)"), 0,
         ("Pasienter på liste uten lege", "Pasienter på lister uten lege", "Pasienter uten fast lege",
          "Pasienter på lister uten fast lege", "Pasienter uten lege")),
    Term("share_without_gp", N_("Andel uten fastlege"),
         N_("Pasienter uten fastlege i prosent av alle listepasienter."),
         N_("SSB 12005 KOSandelpasiente0000 (andel pasienter på liste uten lege)"), 1,
         ("Andel på liste uten lege", "Andel pasienter på liste uten lege", "Andel uten lege",
          "Andel uten fast lege")),
    Term("coverage_index", N_("Dekning"),
         N_("Plasser på lister med lege (sum listetak) per 100 listepasienter, med og uten lege: under 100 "
            "mangler noen en plass hos en lege."),
         N_("Legeplan fra SSB 12005: KOSkapasitet0000 / (KOSantallpasient0000 + KOSantallpasient0001) × 100"), 1,
         ("Dekningsgrad", "Kapasitetsdekning")),
    Term("reserve_index", N_("Reservekapasitet (SSB)"),
         N_("SSBs mål: sum listetak per 100 pasienter på lister med lege, uten pasientene på lister uten lege."),
         N_("SSB 12005 KOSreservekapasi0000 (SSB publiserer hele tall; Legeplan regner det fra antallene)"), 1,
         ("Reservekapasitet", "Reservekapasitetsindeks")),
    Term("free_places", N_("Ledige plasser"),
         N_("Sum listetak minus pasienter på lister med lege, som SSB regner: negativt når listene har flere "
            "pasienter enn takene."),
         N_("Legeplan fra SSB 12005: KOSkapasitet0000 − KOSantallpasient0000"), 0,
         ("Ledig kapasitet", "Ledig kapasitet (listeplasser)", "Ledige listeplasser", "Ledig plass")),
    Term("capacity", N_("Sum listetak"),
         N_("Summen av listetakene på lister med lege: plassene fastlegene har (en liste uten lege gir ingen "
            "plass)."),
         N_("SSB 12005 KOSkapasitet0000 (kapasitet hos fastlegene iht. liste)"), 0,
         ("Kapasitet", "Listekapasitet", "Kapasitet hos fastlegene", "Sum listetak på lister med lege")),
    Term("list_cap", N_("Listetak"),
         N_("Hvor mange pasienter én fastlege høyst skal ha på listen sin, avtalt med kommunen."),
         N_("Legens avtale med kommunen; SSB 12005 publiserer summen (KOSkapasitet0000)"), 0,
         ("Maks listelengde", "Listestørrelse")),
    Term("list_patients", N_("Listepasienter"),
         N_("Alle pasienter på fastlegelister i kommunen, med og uten lege."),
         N_("SSB 12005 KOSantallpasient0000 + KOSantallpasient0001"), 0,
         ("Pasienter på liste", "Pasienter på lister", "Listeinnbyggere")),
    Term("residents", N_("Innbyggere"),
         N_("Folkemengden i kommunen 1. januar; i framskrivingen året etter."),
         N_("SSB 07459 (registrert), deretter SSBs eller Legeplans befolkningsframskriving"), 0,
         ("Folketall", "Folkemengde", "Befolkning i alt")),
    Term("list_length", N_("Gjennomsnittlig listelengde"),
         N_("Pasienter på lister med lege per fastlege."),
         N_("SSB 12005 KOSgjsnlisteleng0000"), 0,
         ("Listelengde", "Snitt listelengde")),
    Term("extra_hjemler_needed", N_("Hjemler som mangler for målet"),
         N_("Lister med lege som mangler for å nå målet for dekning: lister uten lege som må besettes og nye "
            "hjemler med listetaket for nye lister."),
         N_("Legeplans modell (core.capacity), fra SSB 12005 og spakene"), 0,
         ("Hjemler som mangler", "Manglende hjemler", "Hjemmelsbehov", "Nye hjemler som trengs")),
)}


def label(key: str) -> str:
    """The bokmål label of quantity `key` (a catalogue key: show it with t(), or use term())."""
    return TERMS[key].bokmaal


def term(key: str) -> str:
    """The label of quantity `key` in the målform in force: «Hjemler» / «Heimlar»."""
    return t(TERMS[key].bokmaal)


def term_in(key: str, year: int) -> str:
    """The label of quantity `key` for one year, as tiles and table headers show it: «Dekning 2040»."""
    return f"{term(key)} {year}"


def definition(key: str) -> str:
    """The one-sentence definition of quantity `key` in the målform in force."""
    return t(TERMS[key].definition)


def decimals(key: str) -> int:
    """How many decimals quantity `key` is shown with, everywhere (a share: decimals of the percent)."""
    return TERMS[key].decimals


def synonyms() -> dict[str, str]:
    """Every forbidden synonym (bokmål and, where the catalogue has one, nynorsk) → the key it names."""
    nn = catalogue(NYNORSK)
    out: dict[str, str] = {}
    for term_ in TERMS.values():
        for name in term_.synonyms:
            out[name] = term_.key
            if name in nn:
                out[nn[name]] = term_.key
    return out
