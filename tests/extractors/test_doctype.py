"""Document kind: sketch vs. letter of support vs. anything else."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors.doctype import classify_document, classify_parsed, german_share

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "sample"
HOSTILE = Path(__file__).resolve().parents[3] / "shared" / "hostile-pdfs"

SKETCH = (
    "Bewerbung im Förderaufruf Heimat 2.0 – Projektskizze\n"
    "Antragstellende Kommune: Gemeinde Musterhausen, Landkreis Beispiel\n"
    "Laufzeit: 30 Monate, Projektbeginn 01.09.2021\n"
    "Gesamtkosten: 420.000 €, beantragte Fördersumme 378.000 €, Eigenanteil 42.000 €\n"
    "Ausgangslage: Die Gemeinde ist dünn besiedelt und die Wege zum nächsten Arzt sind weit. "
    "Ziele: Wir wollen die Versorgung der älteren Menschen mit einer digitalen Lösung "
    "verbessern. Maßnahmen: Gemeinsam mit dem Kooperationspartner wird eine Plattform "
    "aufgebaut, die von den Bürgerinnen und Bürgern genutzt werden kann."
)
OWN_LAYOUT_SKETCH = (
    "Vorhabenbeschreibung für ein Modellvorhaben der Stadt Neudorf\n"
    "Zuwendungsempfänger ist die Stadt Neudorf. Das Gesamtbudget beträgt 0,3 Mio. Euro, die "
    "Projektdauer zwei Jahre. Ausgangssituation: In der Stadt fehlen Angebote für Jugendliche "
    "und die Vereine verlieren Mitglieder. Projektziel ist eine digitale Vernetzung der "
    "Vereine mit der Verwaltung. Projektpartner ist der Sportverein, der die Schulungen "
    "übernimmt. Eigenmittel werden aus dem Haushalt der Stadt bereitgestellt."
)
SUPPORT = (
    "Absichtserklärung\nSehr geehrte Damen und Herren,\nhiermit erklären wir, dass der "
    "Pflegedienst Sonnenschein GmbH das Vorhaben der Gemeinde Musterhausen im Rahmen des "
    "Förderaufrufs nachdrücklich unterstützt. Wir werden uns als Kooperationspartner an der "
    "Umsetzung beteiligen und stellen unsere Erfahrung in der ambulanten Pflege zur Verfügung. "
    "Mit freundlichen Grüßen\nGeschäftsführung"
)
INVOICE = (
    "Rechnung Nr. 2021-118\nRechnungsdatum 02.03.2021, Kundennummer 4711\n"
    "Pos. 1 Beratung zur Projektskizze 8 Std. à 90,00 € = 720,00 €\n"
    "Nettobetrag 720,00 €, zzgl. 19 % USt. 136,80 €, Rechnungsbetrag 856,80 €\n"
    "Bitte überweisen Sie den Betrag innerhalb von 14 Tagen auf das Konto IBAN DE00 0000. "
    "Wir danken für den Auftrag und die gute Zusammenarbeit mit der Gemeinde."
)
NEWSLETTER = (
    "Rundbrief des Landkreises – Ausgabe April\nLiebe Leserinnen und Leser, in dieser Ausgabe "
    "berichten wir über neue Förderprogramme für die Dörfer und über die Projektskizzen, die "
    "im Förderaufruf eingereicht werden können. Termine: Am 12. Mai findet der Dorftag statt, "
    "bei dem die Gemeinden ihre Ideen vorstellen. Impressum: Landratsamt, Pressestelle. "
    "Wer den Rundbrief nicht mehr erhalten möchte, kann ihn jederzeit abbestellen."
)
ENGLISH = (
    "Quarterly report on firearm background checks by state and permit type. The numbers in "
    "this table are based on the checks that were run through the system and do not represent "
    "the number of firearms sold. Based on varying state laws and purchase scenarios, a "
    "one-to-one correlation cannot be made between a background check and a sale. " * 2
)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (SKETCH, "sketch"),
        (OWN_LAYOUT_SKETCH, "sketch"),
        (SUPPORT, "support_letter"),
        (INVOICE, "other"),
        (NEWSLETTER, "other"),
        (ENGLISH, "other"),
        ("", "other"),
        ("Seite 1 von 3 ..... 12 34 56", "other"),
    ],
    ids=["sketch", "own-layout", "support", "invoice", "newsletter", "english", "empty", "garbage"],
)
def test_classify_document(text: str, kind: str) -> None:
    result = classify_document(text)
    assert result.kind == kind
    assert result.reason
    assert 0.0 <= result.confidence <= 1.0


def test_reasons_are_german() -> None:
    assert "Rechnung" in classify_document(INVOICE).reason
    assert "nicht deutschsprachig" in classify_document(ENGLISH).reason
    assert "Projektskizze" in classify_document(SKETCH).reason


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [(SKETCH, 0.12, 0.5), (ENGLISH, 0.0, 0.03), ("", 0.0, 0.0)],
    ids=["german", "english", "empty"],
)
def test_german_share(text: str, low: float, high: float) -> None:
    assert low <= german_share(text) <= high


@pytest.mark.slow
@pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus not available")
def test_sample_corpus_kinds() -> None:
    from skizzen.documents.parsing import parse_pdf_inprocess

    expected = {p: "sketch" for p in sorted((CORPUS / "pdf").glob("*.pdf"))}
    att = CORPUS / "attachments"
    expected.update({p: "support_letter" for p in att.glob("*_support_*.pdf")})
    expected[att / "newsletter_2021-03.pdf"] = "other"
    expected[att / "rechnung_2021-0347.pdf"] = "other"
    wrong = {
        p.name: kind
        for p, kind in expected.items()
        if classify_parsed(parse_pdf_inprocess(p.read_bytes())).kind != kind
    }
    assert wrong == {}


@pytest.mark.slow
@pytest.mark.skipif(not HOSTILE.exists(), reason="hostile PDFs not available")
@pytest.mark.timeout(300)
def test_hostile_pdfs_are_other() -> None:
    from skizzen.documents.parsing import parse_pdf_inprocess

    names = json.loads((HOSTILE / "manifest.json").read_text(encoding="utf-8"))
    assert names  # the manifest exists and lists files
    kinds = {}
    for path in sorted(HOSTILE.glob("*.pdf")):
        try:
            doc = parse_pdf_inprocess(path.read_bytes())
        except Exception:  # unparseable files are triaged elsewhere
            continue
        kinds[path.name] = classify_parsed(doc).kind
    assert kinds
    assert set(kinds.values()) == {"other"}


def _letter_sketch(*, support_words: bool) -> bytes:
    from reportlab.platypus import Paragraph

    from tests.extractors.render_pdf import BODY, render_story

    lines = [
        "Gemeinde Lindenhof · Am Anger 2 · 17321 Lindenhof",
        "Sehr geehrte Damen und Herren,",
        "wir bitten um Aufnahme unseres Vorhabens „DorfNetz“ in den Aufruf. Das Vorhaben "
        "kostet insgesamt 412.000 Euro; beantragt werden 370.800 Euro, den Eigenanteil von "
        "41.200 Euro trägt die Gemeinde aus Haushaltsmitteln. Es soll am 1. April 2021 "
        "beginnen und hat eine Laufzeit von 30 Monaten. In der Gemeinde leben 6.412 "
        "Einwohnerinnen und Einwohner. Mitwirken werden der Heimatverein Lindenhof e. V. "
        "und die Volkshochschule Lindenhof.",
        "Das Vorhaben gehört zum Themenfeld „Mobilität“.",
        "Die Unterstützungsschreiben beider Partner liegen bei." if support_words else "",
        "Mit freundlichen Grüßen",
        "Anna Beispiel, Bürgermeisterin",
    ]
    return render_story([Paragraph(t, BODY) for t in lines if t])


@pytest.mark.parametrize("support_words", [False, True], ids=["plain", "mentions-support-letters"])
def test_letter_shaped_sketch_is_a_sketch(support_words: bool) -> None:
    """A sketch written as a letter, in wording the vocabulary does not list (and that
    mentions the partners' letters of support), is recognised by the values it states."""
    from skizzen.documents.parsing import parse_pdf_inprocess

    doc = parse_pdf_inprocess(_letter_sketch(support_words=support_words))
    got = classify_parsed(doc)
    assert got.kind == "sketch", got.reason


def test_support_letter_states_no_sketch_values() -> None:
    from reportlab.platypus import Paragraph

    from skizzen.documents.parsing import parse_pdf_inprocess
    from tests.extractors.render_pdf import BODY, render_story

    doc = parse_pdf_inprocess(render_story([Paragraph(SUPPORT, BODY)]))
    assert classify_parsed(doc).kind == "support_letter"
