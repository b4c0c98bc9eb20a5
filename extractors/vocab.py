"""The domain vocabulary of DOMAIN.md, defined once: topic fields, kinds of solution,
types of applicant and how they are written, federal states and their other names.

Everything else (extractors, the rules of ``expectations/``, the review page, the report,
the export) takes these names from here.
"""

from __future__ import annotations

from collections.abc import Mapping

TOPIC_FIELDS: tuple[str, ...] = (
    "Lokale und regionale Versorgung",
    "Soziale und kulturelle Angebote",
    "Bildung, Qualifizierung und digitale Kompetenzen",
    "Gesundheits- und Pflegeversorgung",
    "Mobilität",
    "Schaffung attraktiver Wohn- und Arbeitsstandorte",
    "Öffentliche Verwaltung",
)
"""The seven topic fields of the call, in the call's order."""

SOLUTION_KINDS: tuple[str, ...] = (
    "Plattform",
    "App",
    "Prozessdigitalisierung",
    "Televersorgung",
    "Online-Marktplatz",
    "Lernangebot",
)
"""Kinds of digital solution (``loesungsart``)."""

CORPORATION_TYPES: tuple[str, ...] = (
    "Gemeinde",
    "Stadt",
    "Markt",
    "Amt",
    "Verbandsgemeinde",
    "Samtgemeinde",
    "Verwaltungsgemeinschaft",
    "Landkreis",
)
"""The eight types of applicant (``koerperschaft_typ``)."""

BODY_PREFIXES: tuple[tuple[str, str], ...] = (
    ("Verwaltungsgemeinschaft", "Verwaltungsgemeinschaft"),
    ("Verbandsgemeinde", "Verbandsgemeinde"),
    ("Samtgemeinde", "Samtgemeinde"),
    ("Ortsgemeinde", "Gemeinde"),
    ("Einheitsgemeinde", "Gemeinde"),
    ("Landgemeinde", "Gemeinde"),
    ("Marktgemeinde", "Markt"),
    ("Gemeinde", "Gemeinde"),
    ("Große Kreisstadt", "Stadt"),
    ("Große kreisangehörige Stadt", "Stadt"),
    ("Kreisstadt", "Stadt"),
    ("Hansestadt", "Stadt"),
    ("Universitätsstadt", "Stadt"),
    ("Stadt", "Stadt"),
    ("Markt", "Markt"),
    ("Flecken", "Gemeinde"),
    ("Amt", "Amt"),
    ("Landkreis", "Landkreis"),
    ("Kreis", "Landkreis"),
)
"""How a body's name starts → its type ("Ortsgemeinde Otterborn" is a Gemeinde)."""

MUNICIPAL_WORDS: tuple[str, ...] = tuple(p for p, kind in BODY_PREFIXES if kind != "Landkreis")
"""First words of a partner name that make it a municipality or municipal association.
A Zweckverband, a LEADER group or a district office is not a municipality."""

FEDERAL_STATES: tuple[str, ...] = (
    "Baden-Württemberg",
    "Bayern",
    "Berlin",
    "Brandenburg",
    "Bremen",
    "Hamburg",
    "Hessen",
    "Mecklenburg-Vorpommern",
    "Niedersachsen",
    "Nordrhein-Westfalen",
    "Rheinland-Pfalz",
    "Saarland",
    "Sachsen",
    "Sachsen-Anhalt",
    "Schleswig-Holstein",
    "Thüringen",
)

STATE_PREFIXES: tuple[str, ...] = (
    "Freie und Hansestadt",
    "Freie Hansestadt",
    "Freistaat",
    "Bundesland",
    "Land",
)
"""Official or colloquial prefixes before a state's name; they do not make it unknown."""

STATE_ALIASES: Mapping[str, str] = {
    "BW": "Baden-Württemberg",
    "BY": "Bayern",
    "BE": "Berlin",
    "BB": "Brandenburg",
    "HB": "Bremen",
    "HH": "Hamburg",
    "HE": "Hessen",
    "MV": "Mecklenburg-Vorpommern",
    "NI": "Niedersachsen",
    "NW": "Nordrhein-Westfalen",
    "NRW": "Nordrhein-Westfalen",
    "RP": "Rheinland-Pfalz",
    "RLP": "Rheinland-Pfalz",
    "SL": "Saarland",
    "SN": "Sachsen",
    "ST": "Sachsen-Anhalt",
    "SH": "Schleswig-Holstein",
    "TH": "Thüringen",
}
"""Official two-letter codes and the usual short forms."""

OUTCOMES: Mapping[str, str] = {
    "sketch": "Skizze",
    "supporting_document": "Begleitdokument",
    "not_a_sketch": "keine Skizze",
    "no_text_layer": "ohne Textebene (Scan)",
    "encrypted": "verschlüsselt",
    "corrupt": "beschädigt",
    "unsupported_format": "Format nicht unterstützt",
    "oversized": "zu groß",
    "no_attachment": "ohne Anhang",
    "container": "Archiv (Inhalt einzeln aufgeführt)",
    "quarantined": "in Quarantäne (nicht speicherbar)",
}
"""The outcome of every received attachment (DOMAIN.md names) with its German label."""

TRIAGE_OUTCOMES: tuple[str, ...] = (
    "unsupported_format",
    "oversized",
    "encrypted",
    "corrupt",
    "no_text_layer",
)
"""Outcomes decided before any extraction (``skizzen.intake.triage``)."""
assert set(TRIAGE_OUTCOMES) <= set(OUTCOMES)


REVIEW_REASONS: dict[str, str] = {
    "low_confidence": "Unsicher erkannt",
    "extraction_failed": "Auslesen fehlgeschlagen",
}
"""Reasons for review that are not checks of the suite (``low_confidence:<field>``, set by
the pipeline against the review threshold; ``extraction_failed:<error>``), with their German
names; the checks' names come with the suite (``expectations.suite.CheckSpec.label``)."""
