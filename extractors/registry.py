"""The field registry: one ``FieldSpec`` per field of DOMAIN.md, defined once.

Name, kind of value, whether the call requires it, the German label staff read, the label
lexicon the extractor matches, and the validator. The extractors, the expectation suite,
the review page, the report and the export all read the fields from here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from extractors.labels import LabelText, Lexicon
from extractors.values import VALIDATORS

__all__ = [
    "FIELDS",
    "FIELD_NAMES",
    "OTHER_LABELS",
    "REQUIRED_FIELDS",
    "FieldSpec",
    "spec",
]


@dataclass(frozen=True)
class FieldSpec:
    """Everything the project knows about one field."""

    name: str
    kind: str
    """text | acronym | body | corp_type | district | state | person | email | phone |
    postcode | population | partners | topics | months | date | amount"""
    display: str
    """German label for staff (review page, report, export headers)."""
    lexicon: Lexicon
    required: bool = False
    optional: bool = False
    """Many sketches have none (acronym, declared topic fields): absence is no anomaly."""
    unit: str = ""
    """What staff type the value in ("€", "Monate"), for forms and reports."""
    input_kind: str = "text"
    """text | int | money | date | list: how the review page parses a correction."""

    @property
    def validate(self) -> Callable[[Any], bool] | None:
        return VALIDATORS.get(self.name)

    @property
    def list_valued(self) -> bool:
        return self.input_kind == "list"

    def label_score(self, label: LabelText) -> float:
        return self.lexicon.score(label)


_PERSON_GROUP = (
    ("ansprechperson", 1.0),
    ("ansprechpartner", 1.0),
    ("ansprech", 0.95),
    ("kontakt", 0.95),
    ("kontaktperson", 1.0),
    ("kontaktdaten", 0.9),
    ("projektleitung", 0.9),
    ("projektverantwortlich", 0.9),
    ("verantwortlich", 0.8),
    ("rückfragen", 0.9),
    ("bearbeitung", 0.7),
    ("koordination", 0.7),
    ("zuständig", 0.8),
    ("auskunft", 0.8),
)
_APPLICANT_GROUP = (
    ("antragsteller", 1.0),
    ("antragstellend", 1.0),
    ("zuwendungsempfänger", 1.0),
    ("kommune", 0.9),
    ("gebietskörperschaft", 0.9),
    ("körperschaft", 0.85),
    ("träger", 0.8),
    ("projektträger", 0.95),
    ("bewerber", 0.9),
    ("bewerbend", 0.9),
    ("einreichend", 0.9),
    ("stelle", 0.6),
    ("institution", 0.7),
    ("organisation", 0.6),
)

FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "projekttitel",
        "text",
        "Projekttitel",
        Lexicon(
            entries=(
                ("titel", 1.0),
                ("projekttitel", 1.0),
                ("vorhabentitel", 1.0),
                ("projektname", 1.0),
                ("vorhabenname", 1.0),
                ("projektbezeichnung", 1.0),
                ("vorhabenbezeichnung", 1.0),
                ("bezeichnung vorhaben", 1.0),
                ("bezeichnung projekt", 1.0),
                ("bezeichnung modellvorhaben", 1.0),
                ("name vorhaben", 0.95),
                ("name projekt", 0.95),
                ("name modellprojekt", 0.95),
                ("arbeitstitel", 1.0),
                ("thema vorhaben", 0.9),
                ("thema projekt", 0.9),
                ("projektthema", 0.9),
                ("vorhaben", 0.55),
                ("projekt", 0.5),
                ("modellvorhaben", 0.55),
                ("thema", 0.55),
                ("projektskizze", 0.7),
                ("skizze", 0.55),
            ),
            negative=(
                "kurz", "akronym", "untertitel", "beschreibung", "ziel", "laufzeit", "kosten",
                "träger", "beginn", "start", "dauer", "partner", "leitung", "kürzel",
                "verantwortlich", "nummer", "zeitraum", "ausgaben", "volumen", "ansprech",
                "antragsteller", "aufruf", "förder", "bereich", "feld", "art", "lange", "laufen",
                "beginnen", "starten", "wann",
            ),
        ),
        required=True,
    ),
    FieldSpec(
        "akronym",
        "acronym",
        "Akronym",
        Lexicon(
            entries=(
                ("akronym", 1.0),
                ("projektakronym", 1.0),
                ("kurztitel", 1.0),
                ("kurzbezeichnung", 1.0),
                ("kurzname", 1.0),
                ("kürzel", 1.0),
                ("projektkürzel", 1.0),
                ("abkürzung", 0.9),
                ("kurzform", 0.95),
                ("kurz", 0.7),
            ),
            negative=("beschreibung", "fassung", "darstellung", "zusammenfassung", "vorstellung"),
        ),
        optional=True,
    ),
    FieldSpec(
        "antragsteller",
        "body",
        "Antragsteller",
        Lexicon(
            entries=(
                ("antragsteller", 1.0),
                ("antragstellend", 1.0),
                ("antragstellende kommune", 1.0),
                ("zuwendungsempfänger", 1.0),
                ("zuwendungsnehmer", 1.0),
                ("fördermittelempfänger", 1.0),
                ("projektträger", 0.95),
                ("vorhabenträger", 0.95),
                ("träger", 0.7),
                ("kommune", 0.75),
                ("name kommune", 1.0),
                ("gebietskörperschaft", 0.85),
                ("körperschaft", 0.7),
                ("einreichend", 0.85),
                ("eingereicht", 0.8),
                ("bewerber", 0.85),
                ("bewerbend", 0.9),
                ("federführend", 0.85),
                ("koordinierend", 0.8),
                ("institution", 0.55),
                ("organisation", 0.5),
                ("einrichtung", 0.45),
                ("antragstellung", 0.6),
            ),
            negative=(
                "art", "typ", "status", "rechtsform", "anschrift", "adresse", "straße", "kontakt",
                "ansprech", "einwohner", "email", "telefon", "plz", "landkreis", "bundesland",
                "unterschrift", "partner", "sitz", "postleitzahl", "verwaltungsform", "größe",
                "bevölkerung", "vertretung", "vertreten", "kennziffer", "schlüssel", "nummer",
                "beitrag", "form", "anteil", "eigen", "mittel", "finanz",
            ),
            generic=(("name", 0.9), ("bezeichnung", 0.85), ("offizielle bezeichnung", 0.95)),
            group=_APPLICANT_GROUP,
        ),
        required=True,
    ),
    FieldSpec(
        "koerperschaft_typ",
        "corp_type",
        "Körperschaftstyp",
        Lexicon(
            entries=(
                ("art körperschaft", 1.0),
                ("körperschaftstyp", 1.0),
                ("körperschaftsart", 1.0),
                ("typ körperschaft", 1.0),
                ("art gebietskörperschaft", 1.0),
                ("gebietskörperschaftstyp", 1.0),
                ("kommunaler status", 1.0),
                ("status kommune", 1.0),
                ("art kommune", 1.0),
                ("art antragsteller", 1.0),
                ("typ antragsteller", 1.0),
                ("kommunalform", 1.0),
                ("rechtsform", 0.85),
                ("verwaltungsform", 0.85),
                ("organisationsform", 0.8),
                ("status", 0.7),
                ("typ", 0.6),
                ("art", 0.5),
            ),
            negative=("lösung", "vorhaben", "projekt", "förder", "kosten", "partner"),
        ),
    ),
    FieldSpec(
        "landkreis",
        "district",
        "Landkreis",
        Lexicon(
            entries=(
                ("landkreis", 1.0),
                ("kreis", 0.95),
                ("kreiszugehörigkeit", 1.0),
                ("zugehöriger landkreis", 1.0),
                ("kreisangehörig", 0.7),
                ("kreisgebiet", 0.7),
            ),
            negative=("bundesland", "kreisfrei", "kreisstadt", "partner", "verwaltung", "sitz"),
        ),
    ),
    FieldSpec(
        "bundesland",
        "state",
        "Bundesland",
        Lexicon(
            entries=(("bundesland", 1.0), ("land", 0.8), ("freistaat", 0.8), ("länder", 0.6)),
            negative=("kreis", "ländlich", "landwirt", "landschaft", "landrat", "landes"),
        ),
    ),
    FieldSpec(
        "ansprechperson",
        "person",
        "Ansprechperson",
        Lexicon(
            entries=(
                ("ansprechperson", 1.0),
                ("ansprechpartner", 1.0),
                ("ansprech", 0.95),
                ("kontaktperson", 1.0),
                ("kontakt", 0.8),
                ("projektleitung", 0.9),
                ("projektleiter", 0.9),
                ("projektverantwortlich", 0.9),
                ("verantwortlich", 0.75),
                ("auskunft", 0.75),
                ("bearbeiter", 0.85),
                ("sachbearbeitung", 0.85),
                ("sachbearbeiter", 0.85),
                ("bearbeitet", 0.8),
                ("koordinator", 0.8),
                ("projektkoordination", 0.85),
                ("koordination", 0.7),
                ("verantwortung", 0.75),
                ("rückfragen", 0.8),
                ("zuständig", 0.7),
                ("vor nachname", 0.95),
                ("vorname nachname", 0.95),
            ),
            negative=(
                "telefon", "email", "mail", "funktion", "anschrift", "straße", "fax", "adresse",
                "rolle", "dienststellung", "tel", "kommune", "antragsteller", "daten", "fon",
                "position", "zeichen",
            ),
            generic=(("name", 0.95), ("person", 0.6)),
            group=_PERSON_GROUP,
        ),
    ),
    FieldSpec(
        "email",
        "email",
        "E-Mail",
        Lexicon(
            entries=(
                ("email", 1.0),
                ("mail", 0.95),
                ("emailadresse", 1.0),
                ("email adresse", 1.0),
                ("elektronische post", 0.8),
            ),
            negative=("fax",),
        ),
        required=True,
    ),
    FieldSpec(
        "telefon",
        "phone",
        "Telefon",
        Lexicon(
            entries=(
                ("telefon", 1.0),
                ("tel", 1.0),
                ("telefonnummer", 1.0),
                ("rufnummer", 1.0),
                ("fon", 0.9),
                ("phone", 0.8),
                ("durchwahl", 0.9),
                ("festnetz", 0.8),
                ("erreichbar", 0.5),
            ),
            negative=("fax", "telefax", "mobil"),
        ),
    ),
    FieldSpec(
        "plz",
        "postcode",
        "Postleitzahl",
        Lexicon(
            entries=(
                ("plz", 1.0),
                ("postleitzahl", 1.0),
                ("anschrift", 0.7),
                ("adresse", 0.7),
                ("postanschrift", 0.75),
                ("dienstanschrift", 0.75),
                ("verwaltungssitz", 0.6),
                ("sitz", 0.5),
                ("ort", 0.45),
            ),
            negative=("email", "internet", "web", "rechnung", "lieferung"),
        ),
    ),
    FieldSpec(
        "einwohnerzahl",
        "population",
        "Einwohnerzahl",
        Lexicon(
            entries=(
                ("einwohnerzahl", 1.0),
                ("einwohner", 1.0),
                ("einwohnende", 1.0),
                ("bevölkerung", 0.9),
                ("bevölkerungszahl", 1.0),
                ("bewohner", 0.85),
                ("population", 0.8),
                ("anzahl einwohner", 1.0),
                ("bürger", 0.5),
                ("menschen", 0.35),
            ),
            negative=(
                "dichte", "entwicklung", "prognose", "anteil", "km", "quadratkilometer",
                "versammlung", "beteiligung", "meister", "service", "bus", "stichtag",
                "veränderung", "struktur", "rückgang",
            ),
        ),
        input_kind="int",
    ),
    FieldSpec(
        "kooperationspartner",
        "partners",
        "Kooperationspartner",
        Lexicon(
            entries=(
                ("kooperationspartner", 1.0),
                ("partner", 0.9),
                ("projektpartner", 1.0),
                ("verbundpartner", 1.0),
                ("netzwerkpartner", 1.0),
                ("partnerorganisation", 1.0),
                ("partnerin", 0.9),
                ("kooperation", 0.8),
                ("kooperationen", 0.8),
                ("beteiligte", 0.75),
                ("mitwirkende", 0.8),
                ("partnerschaft", 0.6),
                ("zusammenarbeit", 0.55),
                ("beteiligt", 0.55),
            ),
            negative=(
                "ansprech", "kontakt", "rolle", "beitrag", "funktion", "anzahl", "gesprächs",
                "aufgabe", "vertrag", "vereinbarung",
            ),
        ),
        input_kind="list",
    ),
    FieldSpec(
        "themenfelder",
        "topics",
        "Themenfelder (angegeben)",
        Lexicon(
            entries=(
                ("themenfeld", 1.0),
                ("themenfelder", 1.0),
                ("handlungsfeld", 0.95),
                ("themenbereich", 0.95),
                ("handlungsbereich", 0.9),
                ("themen", 0.7),
                ("schwerpunkt", 0.6),
                ("förderbereich", 0.7),
                ("zuordnung", 0.6),
                ("thematisch", 0.6),
            ),
        ),
        optional=True,
        input_kind="list",
    ),
    FieldSpec(
        "laufzeit_monate",
        "months",
        "Laufzeit (Monate)",
        Lexicon(
            entries=(
                ("laufzeit", 1.0),
                ("projektlaufzeit", 1.0),
                ("dauer", 0.95),
                ("projektdauer", 1.0),
                ("vorhabendauer", 1.0),
                ("zeitraum", 0.8),
                ("durchführungszeitraum", 1.0),
                ("umsetzungszeitraum", 0.95),
                ("bewilligungszeitraum", 0.9),
                ("förderzeitraum", 0.9),
                ("projektzeitraum", 0.95),
                ("vorhabenzeitraum", 0.95),
                ("monate", 0.6),
                ("lange laufen", 1.0),
                ("laufen", 0.8),
                ("lange", 0.5),
            ),
            negative=("beginn", "start", "ort", "arbeitsplan", "meilenstein", "anfang", "ende"),
        ),
        required=True,
        unit="Monate",
        input_kind="int",
    ),
    FieldSpec(
        "projektbeginn",
        "date",
        "Projektbeginn",
        Lexicon(
            entries=(
                ("beginn", 1.0),
                ("projektbeginn", 1.0),
                ("vorhabenbeginn", 1.0),
                ("maßnahmenbeginn", 1.0),
                ("start", 0.95),
                ("projektstart", 1.0),
                ("startdatum", 1.0),
                ("startzeitpunkt", 1.0),
                ("anfang", 0.8),
                ("beginnen", 0.85),
                ("starten", 0.8),
                ("durchführungszeitraum", 0.45),
                ("laufzeit", 0.4),
                ("zeitraum", 0.45),
            ),
            negative=("ende", "abschluss", "frist", "schul", "geburt", "bau"),
        ),
        input_kind="date",
    ),
    FieldSpec(
        "gesamtkosten_eur",
        "amount",
        "Gesamtkosten (€)",
        Lexicon(
            entries=(
                ("gesamtkosten", 1.0),
                ("gesamtausgaben", 1.0),
                ("gesamtvolumen", 1.0),
                ("gesamtprojektkosten", 1.0),
                ("projektvolumen", 0.95),
                ("kosten gesamt", 1.0),
                ("ausgaben gesamt", 1.0),
                ("gesamtbudget", 1.0),
                ("budget", 0.7),
                ("gesamtfinanzierung", 0.9),
                ("gesamtsumme", 0.85),
                ("gesamtbetrag", 0.85),
                ("summe", 0.6),
                ("gesamt", 0.65),
                ("insgesamt", 0.6),
                ("projektkosten", 0.95),
                ("vorhabenkosten", 0.95),
                ("kosten", 0.6),
                ("ausgaben", 0.55),
                ("finanzvolumen", 0.9),
                ("kostenvolumen", 0.95),
                ("investitionsvolumen", 0.8),
                ("finanzbedarf", 0.75),
                ("finanzierungsbedarf", 0.75),
                ("summe ausgaben", 0.9),
                ("summe kosten", 0.9),
                ("total", 0.6),
            ),
            negative=(
                "personal", "sach", "plan", "übersicht", "aufstellung", "jahr", "anteil", "quote",
                "fördersumme", "fördermittel", "förderbetrag", "förderung", "förderbedarf",
                "eigen", "zuwendung", "drittmittel", "davon", "zwischen", "teil",
                "honorar", "reise", "miete", "investiv", "material", "fremd", "dienstleist",
                "öffentlichkeit", "position", "zuschuss", "bundes", "kofinanz", "beantragt",
                "finanzierungsplan", "verwaltung", "sonstige", "betrieb", "laufend", "summe je",
                "hardware", "software", "gerät",
            ),
        ),
        required=True,
        unit="€",
        input_kind="money",
    ),
    FieldSpec(
        "foerdersumme_eur",
        "amount",
        "Fördersumme (€)",
        Lexicon(
            entries=(
                ("fördersumme", 1.0),
                ("förderung", 0.9),
                ("fördermittel", 1.0),
                ("förderbetrag", 1.0),
                ("fördermittelbedarf", 1.0),
                ("förderbedarf", 1.0),
                ("zuwendung", 1.0),
                ("zuwendungsbetrag", 1.0),
                ("zuwendungshöhe", 1.0),
                ("zuschuss", 0.95),
                ("bundesmittel", 0.95),
                ("bundeszuwendung", 1.0),
                ("bundesförderung", 1.0),
                ("mittel bund", 0.85),
                ("antragssumme", 0.95),
                ("beantragt", 0.7),
                ("beantragter betrag", 0.9),
                ("förder", 0.75),
            ),
            negative=(
                "quote", "satz", "eigen", "programm", "aufruf", "zeitraum", "bereich", "fähig",
                "gegenstand", "ziel", "verein", "kreis", "initiative", "richtlinie", "quelle",
                "kennzeichen", "geber", "empfänger", "kommune", "anteil", "prozent",
            ),
        ),
        unit="€",
        input_kind="money",
    ),
    FieldSpec(
        "eigenanteil_eur",
        "amount",
        "Eigenanteil (€)",
        Lexicon(
            entries=(
                ("eigenanteil", 1.0),
                ("eigenmittel", 1.0),
                ("eigenbeteiligung", 1.0),
                ("eigenfinanzierung", 1.0),
                ("eigenleistung", 0.9),
                ("eigener anteil", 1.0),
                ("kofinanzierung", 0.95),
                ("kommunaler anteil", 0.95),
                ("anteil kommune", 0.9),
                ("kommunale mittel", 0.9),
                ("haushaltsmittel", 0.85),
                ("eigen", 0.8),
            ),
            negative=("quote", "tümer", "schaft", "ständig", "prozent", "verantwortung", "initiative"),
        ),
        unit="€",
        input_kind="money",
    ),
    FieldSpec(
        "datum",
        "date",
        "Datum der Skizze",
        Lexicon(
            entries=(
                ("datum", 1.0),
                ("ort datum", 1.0),
                ("stand", 0.7),
                ("erstellt", 0.85),
                ("eingereicht", 0.8),
                ("ausgestellt", 0.8),
                ("datum skizze", 1.0),
                ("unterschrift", 0.3),
            ),
            negative=(
                "beginn", "start", "geburt", "ende", "frist", "stichtag", "eingang", "bewilligung",
                "abschluss", "gründung",
            ),
        ),
        input_kind="date",
    ),
)
"""The 19 fields of DOMAIN.md, in its order."""

FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS)
REQUIRED_FIELDS: tuple[str, ...] = tuple(f.name for f in FIELDS if f.required)
"""Fields whose absence is a ``missing_field:<name>`` violation (DOMAIN.md)."""

OTHER_LABELS = Lexicon(
    entries=(
        ("straße", 1.0),
        ("hausnummer", 1.0),
        ("ort", 0.8),
        ("unterschrift", 1.0),
        ("förderquote", 1.0),
        ("fördersatz", 1.0),
        ("stichtag", 1.0),
        ("funktion", 1.0),
        ("dienststellung", 1.0),
        ("position", 0.8),
        ("fax", 1.0),
        ("telefax", 1.0),
        ("internet", 1.0),
        ("homepage", 1.0),
        ("webseite", 1.0),
        ("website", 1.0),
        ("rolle", 1.0),
        ("beitrag", 0.9),
        ("aufgabe", 0.8),
        ("bankverbindung", 1.0),
        ("iban", 1.0),
        ("bic", 1.0),
        ("aktenzeichen", 1.0),
        ("zeichen", 0.9),
        ("mobil", 1.0),
        ("kennziffer", 1.0),
        ("gemeindeschlüssel", 1.0),
        ("amtlicher schlüssel", 1.0),
    )
)
"""Labels of no extracted field: known so that they are never taken as values."""

_BY_NAME = {f.name: f for f in FIELDS}


def spec(name: str) -> FieldSpec:
    return _BY_NAME[name]
