"""Frozen configuration of the field extractors: label synonyms per field.

Labels are written the way German administrations label forms and key-data tables;
they are matched case-insensitively at the start of a cell, segment or line, so
"Fördermittel (beantragt)" matches the label "Fördermittel". Longer labels should be
listed before their prefixes only for readability: matching picks the longest one.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FieldConfig:
    """Label synonyms (tuples, so the config stays hashable and immutable)."""

    title_labels: tuple[str, ...] = (
        "Projekttitel",
        "Titel des Vorhabens",
        "Titel des Projekts",
        "Titel des Projektes",
        "Vorhabenbezeichnung",
        "Bezeichnung des Vorhabens",
        "Name des Vorhabens",
        "Name des Projekts",
        "Thema des Vorhabens",
        "Vorhabentitel",
        "Projektname",
        "Titel",
    )
    acronym_labels: tuple[str, ...] = (
        "Akronym",
        "Projektakronym",
        "Kurztitel",
        "Kurzbezeichnung",
        "Kurzname",
        "Projektkürzel",
        "Kürzel",
    )
    applicant_labels: tuple[str, ...] = (
        "Antragsteller",
        "Antragstellerin",
        "Antragsteller/in",
        "Antragsteller*in",
        "Antragstellende Kommune",
        "Antragstellende Körperschaft",
        "Antragstellende Gebietskörperschaft",
        "Antragstellende Stelle",
        "Zuwendungsempfänger",
        "Zuwendungsempfängerin",
        "Projektträger",
        "Träger des Vorhabens",
        "Vorhabenträger",
        "Kommune",
        "Name der Kommune",
        "Gebietskörperschaft",
        "Koordinierende Kommune",
        "Träger",
        "Eingereicht von",
        "Einreichende Kommune",
        "Name der antragstellenden Kommune",
        "Name der Kommune",
        "Körperschaft",
        "Kommune / Körperschaft",
        "Federführende Kommune",
    )
    corporation_type_labels: tuple[str, ...] = (
        "Kommunaler Status",
        "Status",
        "Art der Kommune",
        "Art der Körperschaft",
        "Körperschaft",
        "Körperschaftstyp",
        "Rechtsform",
        "Gebietskörperschaftstyp",
        "Typ",
    )
    district_labels: tuple[str, ...] = (
        "Landkreis / Kreis",
        "Landkreis/Kreis",
        "Zugehöriger Landkreis",
        "Landkreis",
        "Kreis",
        "Kreiszugehörigkeit",
    )
    state_labels: tuple[str, ...] = ("Bundesland", "Land")
    person_labels: tuple[str, ...] = (
        "Ansprechperson",
        "Ansprechpartner",
        "Ansprechpartnerin",
        "Ansprechpartner/in",
        "Ansprechpartner*in",
        "Kontaktperson",
        "Projektverantwortliche/r",
        "Projektverantwortlicher",
        "Projektverantwortliche",
        "Projektleitung",
        "Projektleiter",
        "Projektleiterin",
        "Verantwortlich",
        "Kontakt",
        "Name",
        "Auskunft erteilt",
        "Auskunft",
        "Bearbeitet von",
        "Bearbeiter",
        "Bearbeiterin",
        "Sachbearbeitung",
        "Sachbearbeiter",
        "Sachbearbeiterin",
    )
    email_labels: tuple[str, ...] = ("E-Mail", "Email", "eMail", "Mail", "E-Mail-Adresse")
    phone_labels: tuple[str, ...] = (
        "Telefon",
        "Tel.",
        "Tel",
        "Telefonnummer",
        "Rufnummer",
        "Fon",
        "Fon.",
        "Phone",
    )
    address_labels: tuple[str, ...] = (
        "Postanschrift",
        "Anschrift",
        "Adresse",
        "Postadresse",
        "Dienstanschrift",
        "Sitz",
    )
    population_labels: tuple[str, ...] = (
        "Einwohnerzahl",
        "Einwohnerinnen und Einwohner",
        "Einwohner",
        "Einwohner/innen",
        "Einwohnende",
        "Bevölkerung",
        "Bevölkerungszahl",
        "Zahl der Einwohner",
        "Einwohner:innen",
        "Einwohner*innen",
        "Anzahl Einwohner",
        "Anzahl der Einwohner",
    )
    partner_labels: tuple[str, ...] = (
        "Kooperationspartner",
        "Kooperationspartnerinnen",
        "Kooperationspartner/innen",
        "Projektpartner",
        "Verbundpartner",
        "Partner im Verbund",
        "Partner",
        "Beteiligte Partner",
    )
    topic_labels: tuple[str, ...] = (
        "Themenfeld(er)",
        "Themenfelder",
        "Themenfeld",
        "Zuordnung zu den Themenfeldern",
        "Handlungsfeld",
        "Handlungsfelder",
    )
    duration_labels: tuple[str, ...] = (
        "Laufzeit",
        "Projektlaufzeit",
        "Geplante Laufzeit",
        "Projektdauer",
        "Geplante Dauer",
        "Dauer",
        "Durchführungszeitraum",
        "Bewilligungszeitraum",
        "Zeitraum",
        "Vorhabenlaufzeit",
        "Laufzeit des Vorhabens",
        "Dauer des Vorhabens",
        "Projektzeitraum",
        "Vorhabenzeitraum",
        "Förderzeitraum",
    )
    start_labels: tuple[str, ...] = (
        "Projektbeginn",
        "Vorhabenbeginn",
        "Start des Vorhabens",
        "Beginn des Vorhabens",
        "Geplanter Beginn",
        "Geplanter Projektbeginn",
        "Projektstart",
        "Beginn",
        "Start",
        "Vorhabenbeginn",
        "Beginn der Maßnahme",
        "Maßnahmenbeginn",
    )
    total_labels: tuple[str, ...] = (
        "Gesamtkosten",
        "Gesamtausgaben",
        "Gesamtvolumen",
        "Projektvolumen",
        "Kosten gesamt",
        "Ausgaben gesamt",
        "Gesamtbudget",
        "Gesamtfinanzierung",
        "Summe Gesamtkosten",
        "Gesamtsumme",
        "Projektkosten",
        "Zuwendungsfähige Gesamtausgaben",
        "Zuwendungsfähige Gesamtkosten",
        "Förderfähige Gesamtkosten",
        "Förderfähige Gesamtausgaben",
        "Summe",
        "Gesamt",
        "Finanzvolumen",
        "Gesamtkosten des Vorhabens",
        "Gesamtausgaben des Vorhabens",
        "Kostenvolumen",
    )
    funding_labels: tuple[str, ...] = (
        "Fördersumme",
        "Beantragte Förderung",
        "Beantragte Fördersumme",
        "Beantragte Zuwendung",
        "Beantragte Fördermittel",
        "Beantragter Zuschuss",
        "Fördermittel",
        "Förderbetrag",
        "Zuwendung",
        "Zuwendungsbetrag",
        "Zuschuss",
        "Bundesmittel",
        "Förderung",
        "davon Förderung",
        "davon Zuwendung",
        "Fördermittelbedarf",
        "Fördermittel Bund",
        "Zuwendung des Bundes",
        "Beantragte Bundesmittel",
        "davon Zuwendung des Bundes",
        "davon Fördermittel",
    )
    own_share_labels: tuple[str, ...] = (
        "Eigenanteil",
        "Eigenmittel",
        "Kommunaler Eigenanteil",
        "Eigenbeteiligung",
        "Kofinanzierung",
        "Kommunale Kofinanzierung",
        "Eigenleistung",
        "Eigener Anteil",
        "davon Eigenanteil",
        "davon Eigenmittel",
    )
    date_labels: tuple[str, ...] = (
        "Ort, Datum",
        "Datum",
        "Stand",
        "Ort und Datum",
        "Stand der Skizze",
        "Datum der Skizze",
        "Eingereicht am",
        "Erstellt am",
    )
    postcode_labels: tuple[str, ...] = (
        "PLZ",
        "PLZ, Ort",
        "PLZ/Ort",
        "PLZ / Ort",
        "PLZ und Ort",
        "Postleitzahl",
        "Postleitzahl, Ort",
    )
    other_labels: tuple[str, ...] = (
        "Straße",
        "Straße, Hausnr.",
        "Straße, Hausnummer",
        "Hausnummer",
        "Ort",
        "Unterschrift",
        "Förderquote",
        "Stichtag",
        "Funktion",
        "Name, Funktion",
        "Rolle im Projekt",
        "Beitrag im Projekt",
        "Nr.",
    )
    """Form labels of no extracted field: known so that they are never taken as values."""
    extra_known_states: tuple[str, ...] = field(default=())


DEFAULT_CONFIG = FieldConfig()
