"""Independent held-out set of Heimat 2.0 sketches, to measure how the extractors generalise.

Written from scratch (not from the sample corpus generator): other layouts and producers
(Kommune's own Word-style document with running header/footer, a table form with merged
cells, a form with labels above the values, a cover page with table of contents, a letter
on letterhead, a two-column "Steckbrief" with ligatures and hyphenation, a landscape data
sheet), other label wording, amount/date/duration styles and fresh free text.

``make_heldout(out_dir, seed=11)`` writes ``pdf/Hxxx.pdf`` and ``truth.jsonl`` (same keys and
normalisation conventions as the corpus ``sketches.jsonl``) and returns the sketches.
Deterministic: same seed, same bytes (reportlab invariant mode, seeded choices only).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from expectations.suite import (
    DEFAULT_RULES,
    canonical_state,
    date_exists,
    email_is_valid,
    is_district,
    is_municipal_partner,
)
from extractors.types import CORPORATION_TYPES, FIELD_NAMES, SOLUTION_KINDS, TOPIC_FIELDS

__all__ = ["LAYOUTS", "HeldoutSketch", "compute_violations", "make_heldout"]

LAYOUTS: tuple[str, ...] = (
    "kommune_word",
    "grid_form",
    "stacked_form",
    "cover_toc",
    "letterhead",
    "steckbrief_2col",
    "landscape_sheet",
    "qa_printout",
)

# --------------------------------------------------------------------------- fonts

_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


def _register_fonts() -> tuple[str, str, str, bool]:
    """(regular, bold, serif, unicode_ok): DejaVu if installed, else the core fonts."""
    try:
        pdfmetrics.registerFont(TTFont("HoSans", str(_DEJAVU / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont("HoSans-Bold", str(_DEJAVU / "DejaVuSans-Bold.ttf")))
        pdfmetrics.registerFont(TTFont("HoSerif", str(_DEJAVU / "DejaVuSerif.ttf")))
        return "HoSans", "HoSans-Bold", "HoSerif", True
    except Exception:  # any font problem means: use the core fonts
        return "Helvetica", "Helvetica-Bold", "Times-Roman", False


FONT, BOLD, SERIF, UNICODE_OK = _register_fonts()


def safe(text: str) -> str:
    """Replace glyphs the core fonts lack (only when DejaVu is missing)."""
    if UNICODE_OK:
        return text
    for a, b in (("€", "EUR"), ("☒", "[x]"), ("☐", "[ ]"), ("▪", "-"), ("…", "...")):
        text = text.replace(a, b)
    expand = {"\ufb00": "ff", "\ufb01": "fi"}
    return re.sub("[\ufb00-\ufb06]", lambda m: expand.get(m[0], "fl"), text)


# --------------------------------------------------------------------------- the data


@dataclass(frozen=True)
class HeldoutSketch:
    """One sketch of the held-out set: its truth in the corpus conventions."""

    sketch_id: str
    pdf: str
    layout: str
    fields: dict[str, Any]
    themes: list[str]
    loesungsart: list[str]
    violations: list[str]
    evidence: dict[str, Any]
    notes: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "sketch_id": self.sketch_id,
            "pdf": self.pdf,
            "layout": self.layout,
            "fields": self.fields,
            "themes": self.themes,
            "loesungsart": self.loesungsart,
            "violations": self.violations,
            "supersedes": None,
            "evidence": self.evidence,
            "notes": self.notes,
        }


# (state, district as written, district normalised, postcode prefix)
REGIONS: tuple[tuple[str, str, str, str], ...] = (
    ("Schleswig-Holstein", "Kreis Steinburg", "Steinburg", "25"),
    ("Schleswig-Holstein", "Kreis Nordfriesland", "Nordfriesland", "25"),
    ("Schleswig-Holstein", "Kreis Plön", "Plön", "24"),
    ("Niedersachsen", "Landkreis Lüchow-Dannenberg", "Lüchow-Dannenberg", "29"),
    ("Niedersachsen", "Landkreis Cuxhaven", "Cuxhaven", "27"),
    ("Niedersachsen", "Landkreis Northeim", "Northeim", "37"),
    ("Rheinland-Pfalz", "Landkreis Vulkaneifel", "Vulkaneifel", "54"),
    ("Rheinland-Pfalz", "Rhein-Hunsrück-Kreis", "Rhein-Hunsrück-Kreis", "55"),
    ("Rheinland-Pfalz", "Donnersbergkreis", "Donnersbergkreis", "67"),
    ("Sachsen-Anhalt", "Landkreis Stendal", "Stendal", "39"),
    ("Sachsen-Anhalt", "Landkreis Mansfeld-Südharz", "Mansfeld-Südharz", "06"),
    ("Bayern", "Landkreis Cham", "Cham", "93"),
    ("Bayern", "Landkreis Freyung-Grafenau", "Freyung-Grafenau", "94"),
    ("Bayern", "Landkreis Kronach", "Kronach", "96"),
    ("Thüringen", "Kyffhäuserkreis", "Kyffhäuserkreis", "99"),
    ("Thüringen", "Landkreis Greiz", "Greiz", "07"),
    ("Sachsen", "Landkreis Görlitz", "Görlitz", "02"),
    ("Sachsen", "Vogtlandkreis", "Vogtlandkreis", "08"),
    ("Brandenburg", "Landkreis Uckermark", "Uckermark", "17"),
    ("Brandenburg", "Landkreis Prignitz", "Prignitz", "19"),
    ("Mecklenburg-Vorpommern", "Landkreis Vorpommern-Greifswald", "Vorpommern-Greifswald", "17"),
    ("Mecklenburg-Vorpommern", "Landkreis Ludwigslust-Parchim", "Ludwigslust-Parchim", "19"),
    ("Hessen", "Vogelsbergkreis", "Vogelsbergkreis", "36"),
    ("Hessen", "Werra-Meißner-Kreis", "Werra-Meißner-Kreis", "37"),
    ("Nordrhein-Westfalen", "Hochsauerlandkreis", "Hochsauerlandkreis", "59"),
    ("Nordrhein-Westfalen", "Kreis Euskirchen", "Euskirchen", "53"),
    ("Baden-Württemberg", "Landkreis Sigmaringen", "Sigmaringen", "72"),
    ("Baden-Württemberg", "Main-Tauber-Kreis", "Main-Tauber-Kreis", "97"),
    ("Saarland", "Landkreis St. Wendel", "St. Wendel", "66"),
)

# Which states know which kind of municipal association.
TYPE_STATES: dict[str, tuple[str, ...]] = {
    "Amt": ("Schleswig-Holstein", "Brandenburg", "Mecklenburg-Vorpommern"),
    "Verbandsgemeinde": ("Rheinland-Pfalz", "Sachsen-Anhalt"),
    "Samtgemeinde": ("Niedersachsen",),
    "Markt": ("Bayern",),
    "Verwaltungsgemeinschaft": ("Bayern", "Thüringen", "Sachsen"),
}

PLACES: tuple[str, ...] = (
    "Wendhusen",
    "Ellerbrook",
    "Kaltensund",
    "Rodewitz",
    "Hainbach",
    "Lindenhardt",
    "Quellental",
    "Mühlhaupten",
    "Birkenfelde",
    "Osterwohld",
    "Trebnitzau",
    "Hollerbach",
    "Schwarzenfels",
    "Klein Rensdorf",
    "Grünhagen",
    "Ahrensmoor",
    "Wiesenthal-Nord",
    "Bruchhausen-Heide",
    "Falkenrode",
    "Steinwedel",
    "Eichenried",
    "Marienthal",
    "Dornholz",
    "Sandebeck",
    "Liebenau am Kamp",
    "Rabenstedt",
    "Tannwald",
    "Weidenbrunn",
    "Höllental",
    "Kuhlenfeld",
    "Bergfriede",
    "Uhlstedt",
    "Mettlach-Au",
    "Krummensee",
)
FIRST_F = (
    "Anna",
    "Katrin",
    "Sabine",
    "Miriam",
    "Ute",
    "Jana",
    "Friederike",
    "Ines",
    "Heike",
    "Lea",
)
FIRST_M = (
    "Jörg",
    "Tobias",
    "Matthias",
    "Sven",
    "Uwe",
    "Henrik",
    "Carsten",
    "Malte",
    "Ralf",
    "Jens",
)
LAST = (
    "Müller-Lüdenscheidt",
    "Wendt",
    "Brinkmann",
    "Özdemir",
    "Kowalski",
    "Hansen",
    "Gräf",
    "Schulze-Eggert",
    "Vogt",
    "Lindqvist",
    "Pöhlmann",
    "Reinhardt",
    "Zimmermann",
    "Kühn",
    "Baumgärtner",
    "Jakobs",
    "Nießen",
    "Ohlsen",
)
# Academic and professional titles as written before the name (about one in three people).
TITLES = ("Dr. ", "Dipl.-Ing. ", "Dr. ", "Dipl.-Verw.-Wirt ", "Prof. Dr. ", *[""] * 10)

MONTHS = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)
MONTHS_SHORT = (
    "Jan.",
    "Feb.",
    "März",
    "Apr.",
    "Mai",
    "Juni",
    "Juli",
    "Aug.",
    "Sept.",
    "Okt.",
    "Nov.",
    "Dez.",
)
NUMBER_WORDS = {1: "ein", 2: "zwei", 3: "drei", 4: "vier"}

# Declared topic labels as applicants write them (index = call order).
TOPIC_LABELS: tuple[tuple[str, ...], ...] = (
    ("Lokale und regionale Versorgung", "Lokale/regionale Versorgung"),
    ("Soziale und kulturelle Angebote", "Soziales und Kultur"),
    ("Bildung, Qualifizierung und digitale Kompetenzen", "Bildung und Qualifizierung"),
    ("Gesundheits- und Pflegeversorgung", "Gesundheit und Pflege"),
    ("Mobilität",),
    ("Schaffung attraktiver Wohn- und Arbeitsstandorte", "Attraktive Wohn- und Arbeitsstandorte"),
    ("Öffentliche Verwaltung", "Verwaltung"),
)

# --------------------------------------------------------------------------- free text

# Per topic field: (situation, goal, measure) sentence alternatives. {o} = place name.
TOPIC_TEXT: dict[int, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    0: (
        (
            "Seit der letzte Lebensmittelladen in {o} vor vier Jahren schließen musste, fahren "
            "die Menschen für jeden Einkauf in die Kreisstadt; wer kein Auto hat, ist auf "
            "Nachbarn angewiesen.",
            "In den Ortsteilen von {o} gibt es weder Bäcker noch Metzger mehr, der mobile "
            "Verkaufswagen kommt nur noch einmal pro Woche.",
        ),
        (
            "Die Direktvermarkter, Hofläden und kleinen Geschäfte der Region sollen ihre "
            "Waren gemeinsam anbieten, damit der tägliche Bedarf wieder vor Ort gedeckt "
            "werden kann.",
            "Ziel ist eine verlässliche Grundversorgung mit Lebensmitteln und Dingen des "
            "täglichen Bedarfs, getragen von den Erzeugern aus dem Umland.",
        ),
        (
            "Im leerstehenden Pfarrhaus entsteht ein Dorfladen in Bürgerhand, den Erzeuger aus "
            "dem Umland direkt beliefern; ein Verkaufswagen fährt die Ortsteile an.",
            "Gemeinsam mit den Landwirten wird ein Sortiment regionaler Produkte "
            "zusammengestellt, das an festen Ausgabepunkten abgeholt werden kann.",
        ),
    ),
    1: (
        (
            "Das Vereinsleben in {o} leidet unter Nachwuchssorgen; Termine von Chören, "
            "Sportgruppen und Kirchengemeinde überschneiden sich, weil niemand den Überblick hat.",
            "Viele ältere Menschen in {o} leben allein, Begegnungsorte wie die Gaststätte "
            "oder der Jugendclub sind weggefallen.",
        ),
        (
            "Wir möchten das Ehrenamt entlasten und Begegnungen zwischen den Generationen "
            "erleichtern, damit Kultur und Gemeinschaft im Dorf lebendig bleiben.",
            "Das Vorhaben stärkt den Zusammenhalt: Nachbarschaftshilfe, Vereinsangebote und "
            "kulturelle Veranstaltungen sollen für alle sichtbar und zugänglich werden.",
        ),
        (
            "Vereine pflegen ihre Termine, Räume im Gemeindehaus werden gemeinsam gebucht und "
            "Helferinnen und Helfer für Feste finden schneller zueinander.",
            "Ein Veranstaltungskalender für Konzerte, Lesungen und Dorffeste sowie eine "
            "Nachbarschaftsbörse für kleine Hilfen im Alltag werden aufgebaut.",
        ),
    ),
    2: (
        (
            "Viele Bürgerinnen und Bürger, vor allem Ältere, trauen sich den Umgang mit "
            "Smartphone und Internet nicht zu; Weiterbildung findet fast nur in der Stadt statt.",
            "Die Schulen im Einzugsgebiet sind technisch ausgestattet, doch es fehlt an "
            "Angeboten, mit denen Erwachsene ihre Medienkompetenz erweitern können.",
        ),
        (
            "Menschen jeden Alters sollen digitale Grundkenntnisse erwerben und sich "
            "beruflich weiterqualifizieren können, ohne weite Wege zurückzulegen.",
            "Wir wollen lebenslanges Lernen vor Ort ermöglichen und die digitale Teilhabe "
            "aller Generationen stärken.",
        ),
        (
            "Ehrenamtliche Digitallotsen werden geschult und bieten Sprechstunden in der "
            "Bücherei an; Jugendliche helfen Seniorinnen und Senioren beim Einstieg.",
            "Mit der Volkshochschule werden Kurse zu Online-Banking, Videotelefonie und "
            "sicherem Surfen sowie Qualifizierungsmodule für Beschäftigte geplant.",
        ),
    ),
    3: (
        (
            "Zwei der drei Hausarztpraxen in {o} werden in den nächsten Jahren aus "
            "Altersgründen schließen; Nachfolger sind nicht in Sicht.",
            "Der Anteil Hochbetagter steigt deutlich, ambulante Pflegedienste stoßen an ihre "
            "Grenzen und pflegende Angehörige fühlen sich allein gelassen.",
        ),
        (
            "Die ärztliche und pflegerische Versorgung soll trotz Ärztemangel wohnortnah "
            "gesichert und pflegende Angehörige sollen entlastet werden.",
            "Patientinnen und Patienten sollen auch ohne lange Anfahrt medizinisch betreut "
            "werden, Pflegebedürftige möglichst lange zu Hause leben können.",
        ),
        (
            "In einem Gesundheitsraum im Rathaus unterstützt eine Fachkraft die Patienten, "
            "die Hausärzte der Region übernehmen feste Zeitfenster.",
            "Pflegedienste, Sozialstation und Angehörige stimmen Einsätze und Medikation "
            "künftig enger ab; eine Gemeindeschwester begleitet die Einführung.",
        ),
    ),
    4: (
        (
            "Außerhalb des Schülerverkehrs fährt in {o} kaum ein Bus; abends und am "
            "Wochenende sind die Ortsteile praktisch nicht erreichbar.",
            "Wer in {o} keinen Führerschein hat, kommt nur mit Mühe zum Bahnhof, zum Arzt "
            "oder zur Arbeit; die Taktung des Linienverkehrs wurde mehrfach ausgedünnt.",
        ),
        (
            "Wir wollen die Lücken im Nahverkehr schließen und Fahrten bündeln, damit "
            "niemand mehr auf das eigene Auto angewiesen ist.",
            "Ziel ist ein flexibles Angebot aus Rufbus, Bürgerbus und privaten "
            "Mitfahrgelegenheiten, das an die Bahnlinie anschließt.",
        ),
        (
            "Fahrtwünsche werden gebündelt, der ehrenamtliche Bürgerbus fährt nach Bedarf "
            "und Mitfahrbänke an den Ortseingängen werden in das Angebot einbezogen.",
            "Ein Rufbus-Konzept wird mit dem Verkehrsunternehmen abgestimmt; E-Bikes und ein "
            "Dorfauto zum Teilen ergänzen das Angebot.",
        ),
    ),
    5: (
        (
            "In den Ortskernen von {o} stehen zahlreiche Häuser leer, gleichzeitig suchen "
            "junge Familien und Rückkehrer vergeblich nach Wohnraum.",
            "Betriebe in {o} finden kaum Fachkräfte; Pendlerinnen und Pendler verbringen "
            "täglich Stunden auf dem Weg in die Ballungsräume.",
        ),
        (
            "Die Gemeinde will als Wohn- und Arbeitsort attraktiver werden und Zuzug, "
            "Rückkehr und Unternehmensansiedlungen gezielt fördern.",
            "Leerstehende Gebäude sollen wieder genutzt werden, ortsunabhängiges Arbeiten "
            "soll auch auf dem Land möglich sein.",
        ),
        (
            "Ein Coworking-Space im alten Bahnhofsgebäude wird eingerichtet; Leerstände, "
            "Bauplätze und Gewerbeflächen werden systematisch erfasst.",
            "Zusammen mit der Wirtschaftsförderung werden Rückkehrer-Tage und Willkommenspakete "
            "für Neubürgerinnen und Neubürger entwickelt.",
        ),
    ),
    6: (
        (
            "Für fast jede Leistung müssen die Bürgerinnen und Bürger persönlich im Rathaus "
            "erscheinen, die Öffnungszeiten sind auf zwei Tage pro Woche beschränkt.",
            "Anträge werden in der Verwaltung noch auf Papier bearbeitet und mehrfach "
            "abgetippt; das Personal ist knapp und die Wege zum Amt sind weit.",
        ),
        (
            "Behördengänge sollen rund um die Uhr von zu Hause aus erledigt werden können, "
            "die Beschäftigten der Verwaltung werden von Routinearbeit entlastet.",
            "Wir wollen den Bürgerservice bürgernah, schnell und nachvollziehbar machen und "
            "die Vorgaben des Onlinezugangsgesetzes umsetzen.",
        ),
        (
            "Die häufigsten Verwaltungsleistungen – Meldebescheinigungen, Gewerbeanzeigen, "
            "Hundesteuer – werden zuerst umgestellt und mit den Fachverfahren verbunden.",
            "Ein mobiler Bürgerservice mit Laptop und Dokumentenscanner besucht die "
            "Ortsteile; Bescheide werden elektronisch zugestellt.",
        ),
    ),
}

# Per solution kind: (goal, measure) alternatives, topic-neutral.
KIND_TEXT: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Plattform": (
        (
            "Herzstück ist ein gemeinsames digitales Portal, auf dem alle Angebote, "
            "Ansprechpartner und Neuigkeiten aus der Region gebündelt zu finden sind.",
            "Wir schaffen eine zentrale Internetplattform, die Informationen aus Kommune, "
            "Vereinen und Wirtschaft an einer Stelle zusammenführt.",
        ),
        (
            "Die Plattform wird als offene Webanwendung entwickelt, redaktionell von der "
            "Gemeinde betreut und über Schnittstellen mit bestehenden Angeboten verknüpft.",
            "Inhalte pflegen die Beteiligten selbst über ein einfaches Redaktionssystem; das "
            "Portal ist barrierearm und für alle Endgeräte optimiert.",
        ),
    ),
    "App": (
        (
            "Über eine Smartphone-App für Android und iOS sollen die Menschen das Angebot "
            "jederzeit und unterwegs nutzen können.",
            "Eine mobile Anwendung mit Push-Benachrichtigungen macht das Angebot direkt auf "
            "dem Handy verfügbar.",
        ),
        (
            "Die App wird in Testgruppen mit Jugendlichen und Älteren erprobt und nach jeder "
            "Runde verbessert, bevor sie in den App-Stores veröffentlicht wird.",
            "Für die App werden zunächst Klickprototypen erstellt; anschließend programmiert "
            "ein Dienstleister die Anwendung und stellt sie in den Stores bereit.",
        ),
    ),
    "Prozessdigitalisierung": (
        (
            "Die zugrunde liegenden Abläufe werden durchgängig digitalisiert, von der "
            "Antragstellung über die Sachbearbeitung bis zum Bescheid, ohne Medienbrüche.",
            "Papiergebundene Arbeitsabläufe werden durch elektronische Vorgänge ersetzt, "
            "einschließlich E-Akte und digitaler Signatur.",
        ),
        (
            "Zunächst werden die Prozesse erhoben und modelliert, danach als Online-Formulare "
            "mit Anbindung an das Servicekonto und die E-Akte umgesetzt.",
            "Jeder Arbeitsablauf wird analysiert, vereinfacht und anschließend digital "
            "abgebildet; Schulungen für die Beschäftigten begleiten die Umstellung.",
        ),
    ),
    "Televersorgung": (
        (
            "Kern des Vorhabens sind Videosprechstunden und telemedizinische Konsultationen, "
            "bei denen Fachärzte aus der Ferne zugeschaltet werden.",
            "Telemedizin und Telepflege sollen die fehlende Präsenz von Ärzten und "
            "Fachkräften vor Ort ausgleichen.",
        ),
        (
            "Dafür werden Telemedizin-Arbeitsplätze mit Kamera und Messgeräten eingerichtet; "
            "Vitaldaten werden sicher an die Praxis übertragen.",
            "Geschultes Personal begleitet die Videosprechstunde vor Ort, die ärztliche "
            "Beratung erfolgt per gesicherter Videoverbindung.",
        ),
    ),
    "Online-Marktplatz": (
        (
            "Ein regionaler Online-Marktplatz ermöglicht es, Waren der örtlichen Anbieter "
            "im Internet zu bestellen und zu bezahlen.",
            "Über einen gemeinsamen Onlineshop können Kundinnen und Kunden rund um die Uhr "
            "bei den Händlern der Region einkaufen.",
        ),
        (
            "Die Händler stellen ihr Sortiment selbst ein; Bestellung, Bezahlung und "
            "Lieferung werden über den Marktplatz abgewickelt.",
            "Für den Marktplatz werden Warenkorb, Online-Bezahlung und eine Tourenplanung für "
            "die Auslieferung eingerichtet.",
        ),
    ),
    "Lernangebot": (
        (
            "Ein digitales Lernangebot mit kurzen Modulen, Lernvideos und Präsenzterminen "
            "soll die nötigen Kenntnisse vermitteln.",
            "Wir entwickeln ein Schulungsprogramm aus E-Learning-Einheiten und Workshops, "
            "das jeder im eigenen Tempo durchlaufen kann.",
        ),
        (
            "Die Kurse werden modular aufgebaut, von Fachleuten erstellt und über eine "
            "Lernumgebung sowie in regelmäßigen Lerncafés angeboten.",
            "Trainerinnen und Trainer erarbeiten Lerneinheiten und Übungen; ein "
            "Qualifizierungsnachweis schließt jedes Modul ab.",
        ),
    ),
}

INTRO = (
    "{o} ist eine ländlich geprägte Kommune abseits der großen Verkehrsachsen; die "
    "Bevölkerung altert, junge Menschen ziehen zur Ausbildung weg.",
    "Die Region um {o} gilt als strukturschwach: geringe Siedlungsdichte, lange Wege und "
    "eine angespannte Haushaltslage prägen den Alltag.",
    "Wie viele Orte im ländlichen Raum spürt {o} den demografischen Wandel deutlich; die "
    "Einwohnerzahl ist seit 2000 um fast ein Fünftel gesunken.",
)
ORGA = (
    "Die Projektsteuerung liegt beim Hauptamt, eine Lenkungsgruppe mit den Partnern tagt "
    "vierteljährlich.",
    "Das Vorhaben wird von einer Projektkoordination in Teilzeit gesteuert, die direkt bei "
    "der Bürgermeisterin angesiedelt ist.",
    "Eine Steuerungsgruppe aus Kommune und Partnern trifft alle wesentlichen Entscheidungen; "
    "Bürgerinnen und Bürger werden in Werkstätten beteiligt.",
)
LASTING = (
    "Nach Ende der Förderung tragen Kommune und Partner den Betrieb gemeinsam; die "
    "Ergebnisse werden anderen Kommunen zur Verfügung gestellt.",
    "Die Lösung ist so angelegt, dass sie auf Nachbargemeinden übertragen werden kann; die "
    "laufenden Kosten sind im Haushalt ab dem Jahr nach Projektende eingeplant.",
    "Erfahrungen und Materialien werden dokumentiert und veröffentlicht, damit andere "
    "ländliche Räume davon lernen können.",
)

# Topic/kind combinations that occur in real calls (topic indices, kinds).
COMBOS: tuple[tuple[tuple[int, ...], tuple[str, ...]], ...] = (
    ((0,), ("Online-Marktplatz",)),
    ((3,), ("Televersorgung",)),
    ((4,), ("App",)),
    ((6,), ("Prozessdigitalisierung",)),
    ((2,), ("Lernangebot",)),
    ((1, 2), ("Plattform", "Lernangebot")),
    ((5,), ("Plattform",)),
    ((0, 4), ("Online-Marktplatz", "App")),
    ((6, 5), ("Prozessdigitalisierung", "Plattform")),
    ((3, 4), ("Televersorgung",)),
    ((1,), ("App",)),
    ((3, 1, 2), ("Televersorgung", "Lernangebot")),
    ((4, 1), ("Plattform",)),
    ((5, 2), ("Lernangebot",)),
    ((6,), ("Prozessdigitalisierung", "App")),
    ((0, 1), ("Plattform",)),
)

ACRONYMS: dict[int, tuple[tuple[str, str], ...]] = {
    0: (("NaVo", "Nahversorgung vor Ort"), ("DORFKORB", "Der digitale Dorfkorb")),
    1: (("MITEINANDER", "Miteinander digital"), ("VereinsNetz", "Vereine vernetzt")),
    2: (("DigiLern", "Digital lernen im Dorf"), ("KOMPASS", "Kompetenzen für alle Generationen")),
    3: (("TeleGeSa", "Gesundheit sichern"), ("PfleKo", "Pflege koordiniert")),
    4: (("MobiLand", "Mobil auf dem Land"), ("RUFMIT", "Rufen und Mitfahren")),
    5: (("LandLeben", "Wohnen und Arbeiten auf dem Land"), ("CoDorf", "Arbeiten im Dorf")),
    6: (("RathausPlus", "Das Rathaus kommt nach Hause"), ("eAmt", "Verwaltung ohne Wartezimmer")),
}

PARTNER_KINDS: tuple[str, ...] = (
    "Caritasverband für den {kreis} e. V.",
    "Stadtwerke {x} GmbH",
    "Volkshochschule {kreis_kurz}",
    "Gemeinde {y}",
    "DRK-Kreisverband {kreis_kurz} e. V.",
    "Landfrauenverein {o} e. V.",
    "Hochschule für angewandte Wissenschaften {x}",
    "Diakonie-Sozialstation {o} gGmbH",
    "Dorfladen {o} eG",
    "Verkehrsgesellschaft {kreis_kurz} mbH",
    "Gewerbeverein {o} und Umgebung e. V.",
    "Kreisvolkshochschule {kreis_kurz}",
    "Stadt {y}",
    "Seniorenbeirat der {typ} {o}",
    "Hausarztpraxis Dr. Kettler",
)

# --------------------------------------------------------------------------- plan

# (layout, corporation type, violations to provoke, omitted optional fields)
PLAN: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("kommune_word", "Gemeinde", (), ()),
    ("kommune_word", "Stadt", ("cost_out_of_range",), ()),
    ("kommune_word", "Samtgemeinde", (), ("themenfelder",)),
    ("kommune_word", "Verbandsgemeinde", (), ("akronym", "datum")),
    ("grid_form", "Amt", (), ()),
    ("grid_form", "Markt", ("duration_too_long",), ()),
    ("grid_form", "Verwaltungsgemeinschaft", (), ("akronym",)),
    ("grid_form", "Landkreis", (), ()),
    ("stacked_form", "Gemeinde", ("invalid_email",), ()),
    ("stacked_form", "Stadt", (), ("themenfelder", "telefon")),
    ("stacked_form", "Landkreis", ("applicant_is_district_alone",), ()),
    ("stacked_form", "Samtgemeinde", ("invalid_postcode",), ("akronym",)),
    ("cover_toc", "Verbandsgemeinde", (), ()),
    ("cover_toc", "Stadt", ("funding_sum_mismatch",), ("themenfelder",)),
    ("cover_toc", "Landkreis", (), ()),
    ("cover_toc", "Markt", (), ("akronym", "einwohnerzahl")),
    ("letterhead", "Gemeinde", (), ("themenfelder",)),
    ("letterhead", "Amt", ("no_cooperation_partner",), ("akronym",)),
    ("letterhead", "Stadt", (), ()),
    ("letterhead", "Verwaltungsgemeinschaft", ("unknown_state",), ("themenfelder",)),
    ("steckbrief_2col", "Gemeinde", (), ()),
    ("steckbrief_2col", "Markt", (), ("themenfelder",)),
    ("steckbrief_2col", "Amt", ("invalid_date",), ()),
    ("steckbrief_2col", "Verbandsgemeinde", (), ("datum", "foerdersumme")),
    ("landscape_sheet", "Gemeinde", (), ()),
    ("landscape_sheet", "Stadt", ("missing_field:email",), ("themenfelder",)),
    ("landscape_sheet", "Samtgemeinde", (), ()),
    ("landscape_sheet", "Landkreis", (), ("akronym",)),
    ("kommune_word", "Verwaltungsgemeinschaft", (), ("themenfelder", "einwohnerzahl")),
    ("grid_form", "Gemeinde", ("cost_out_of_range", "duration_too_long"), ()),
    ("qa_printout", "Gemeinde", (), ()),
    ("qa_printout", "Stadt", (), ("akronym", "themenfelder")),
    ("qa_printout", "Samtgemeinde", ("no_cooperation_partner",), ()),
    ("qa_printout", "Amt", (), ("telefon",)),
)

# --------------------------------------------------------------------------- formatting


def thousands(n: int, sep: str = ".") -> str:
    return f"{n:,}".replace(",", sep)


def euro_text(cents: int, style: str) -> str:
    """A literal amount in one of the German styles; the caller checks divisibility."""
    whole, rest = divmod(cents, 100)
    dec = f"{thousands(whole)},{rest:02d}"
    if style == "eur_dash":
        return f"EUR {thousands(whole)},-"
    if style == "teur_sym":
        t = whole / 1000
        return f"{t:.1f}".replace(".", ",").removesuffix(",0") + " T€"
    if style == "teur":
        return f"{whole // 1000} TEUR"
    if style == "mio":
        return f"{whole / 1_000_000:.3f}".rstrip("0").replace(".", ",") + " Mio. €"
    if style == "sym_prefix":
        return f"€ {thousands(whole)}"
    if style == "euro_word":
        return f"{dec} Euro"
    if style == "eur_suffix":
        return f"{thousands(whole)} EUR"
    if style == "dash_sym":
        return f"{thousands(whole)},– €"
    return f"{dec} €"  # "sym_cents"


def amount_style(cents: int, wanted: str) -> str:
    """``wanted`` if it can express ``cents`` exactly, else the cent-exact default."""
    whole, rest = divmod(cents, 100)
    ok = {
        "eur_dash": rest == 0,
        "teur_sym": rest == 0 and whole % 100 == 0,
        "teur": rest == 0 and whole % 1000 == 0,
        "mio": rest == 0 and whole % 1000 == 0,
        "sym_prefix": rest == 0,
        "eur_suffix": rest == 0,
        "dash_sym": rest == 0,
    }.get(wanted, True)
    return wanted if ok else "sym_cents"


def euro_value(cents: int) -> int | float:
    return cents // 100 if cents % 100 == 0 else round(cents / 100, 2)


def date_text(d: dt.date, style: str) -> str:
    if style == "long":
        return f"{d.day}. {MONTHS[d.month - 1]} {d.year}"
    if style == "short_month":
        return f"{MONTHS_SHORT[d.month - 1]} {d.year}"
    if style == "month":
        return f"{MONTHS[d.month - 1]} {d.year}"
    if style == "two_digit":
        return f"{d.day:02d}.{d.month:02d}.{d.year % 100:02d}"
    return f"{d.day:02d}.{d.month:02d}.{d.year}"


def add_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    return dt.date(d.year + y, m + 1, 1)


def translit(s: str) -> str:
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"), (" ", "-"), (".", "")):
        s = s.replace(a, b).replace(a.upper(), b.capitalize())
    return s.lower()


def ligatures(text: str) -> str:
    """Set typographic ligatures as a DTP program would (ff, fi, fl)."""
    if not UNICODE_OK:
        return text
    return text.replace("ff", "\ufb00").replace("fi", "\ufb01").replace("fl", "\ufb02")


# --------------------------------------------------------------------------- the spec


@dataclass
class Spec:
    """Everything one sketch says, as literal strings (``ev``) and as truth (``fields``)."""

    sid: str
    layout: str
    rng: random.Random
    fields: dict[str, Any] = field(default_factory=dict)
    ev: dict[str, Any] = field(default_factory=dict)
    themes: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    place: str = ""
    typ_word: str = ""
    district_written: str = ""
    street: str = ""
    salutation: str = ""
    declared_labels: list[str] = field(default_factory=list)
    duration_text: str = ""
    start_text: str | None = None
    budget: list[tuple[str, list[int]]] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    rate_pct: int = 90
    sections: dict[str, list[str]] = field(default_factory=dict)
    partners_text: list[str] = field(default_factory=list)
    population_text: str | None = None


def _person(rng: random.Random) -> tuple[str, str, str]:
    """(name with title as truth, salutation word, e-mail local part)."""
    female = rng.random() < 0.5
    first = rng.choice(FIRST_F if female else FIRST_M)
    last = rng.choice(LAST)
    title = rng.choice(TITLES)
    if female and title == "Dipl.-Verw.-Wirt ":
        title = "Dipl.-Verw.-Wirtin "
    local = rng.choice(
        (f"{translit(first)}.{translit(last)}", f"{translit(first)[0]}.{translit(last)}")
    )
    return f"{title}{first} {last}", "Frau" if female else "Herr", local


def _phone(rng: random.Random) -> str:
    area = rng.choice(("04821", "09971", "035 81", "03 98 4", "06352", "039 32", "05552", "07571"))
    num = f"{rng.randint(20, 89)}{rng.randint(10, 99)}"
    ext = f"{rng.randint(10, 39)}"
    plain_area = area.replace(" ", "")
    return rng.choice(
        (
            f"{plain_area} / {num[:2]} {num[2:]}-{ext}",
            f"+49 (0) {plain_area[1:]} {num}-{ext}",
            f"({area}) {num} {ext}",
            f"{plain_area}-{num}{ext}",
            f"+49 {plain_area[1:]} {num}{ext}",
            f"{plain_area} {num}{ext}",
        )
    )


def _text(spec: Spec, topic_ids: Sequence[int], kinds: Sequence[str]) -> dict[str, list[str]]:
    rng, o = spec.rng, spec.place

    def pick(options: Sequence[str]) -> str:
        return rng.choice(options).format(o=o)

    situation = [pick(INTRO)] + [pick(TOPIC_TEXT[t][0]) for t in topic_ids]
    goals = [pick(TOPIC_TEXT[t][1]) for t in topic_ids] + [pick(KIND_TEXT[k][0]) for k in kinds]
    approach = [pick(KIND_TEXT[k][1]) for k in kinds] + [pick(TOPIC_TEXT[t][2]) for t in topic_ids]
    approach += [pick(ORGA), pick(LASTING)]
    words = sum(len(s.split()) for s in situation + goals + approach)
    if words < 170:  # short sketches exist, but stay above the floor
        for t in topic_ids:
            alt = [s for s in TOPIC_TEXT[t][2] if s.format(o=o) not in approach]
            approach.insert(-2, rng.choice(alt).format(o=o))
    return {"Ausgangslage": situation, "Ziele": goals, "Vorgehen": approach}


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    weights = [rng.randint(5, 12) for _ in range(parts)]
    out = [total * w // sum(weights) for w in weights]
    out[-1] += total - sum(out)
    return out


def build_spec(
    sid: str, index: int, plan: tuple[str, str, tuple[str, ...], tuple[str, ...]], seed: int
) -> Spec:
    """Choose all facts of one sketch (deterministic per seed and index)."""
    layout, typ, violations, omit = plan
    rng = random.Random(f"{seed}:{sid}")
    spec = Spec(sid=sid, layout=layout, rng=rng)
    f, ev = spec.fields, spec.ev

    # applicant and geography
    states = TYPE_STATES.get(typ)
    regions = [r for r in REGIONS if states is None or r[0] in states]
    state, district_written, district, plz_prefix = regions[(index * 7 + seed) % len(regions)]
    place = PLACES[(index * 5 + seed) % len(PLACES)]
    spec.place = place
    spec.district_written = district_written
    if typ == "Landkreis":
        applicant = district_written
        spec.place = district
        place = re.sub(r"^(Landkreis|Kreis) ", "", district_written)
        spec.typ_word = "Landkreis"
    else:
        word = typ
        if typ == "Gemeinde" and state == "Rheinland-Pfalz":
            word = "Ortsgemeinde"
        elif typ == "Stadt" and rng.random() < 0.3:
            word = "Hansestadt" if state in ("Schleswig-Holstein", "Niedersachsen") else "Stadt"
        applicant = f"{word} {place}"
        spec.typ_word = word
    f["projekttitel"] = None
    combo_topics, combo_kinds = COMBOS[(index * 3 + seed) % len(COMBOS)]
    spec.themes = [TOPIC_FIELDS[t] for t in sorted(combo_topics)]
    spec.kinds = [k for k in SOLUTION_KINDS if k in combo_kinds]
    acr, motto = ACRONYMS[combo_topics[0]][rng.randrange(2)]
    title_forms = (
        f"{acr} – {motto} in {place}",
        f"{motto}: {place} geht digitale Wege",
        f"{acr}: {motto} – ein Modellprojekt für {place}",
        f"{motto} im {spec.typ_word} {place}"
        if typ in ("Amt", "Markt")
        else f"{motto} für {place}",
    )
    if "akronym" in omit:  # no short name anywhere, not even in the title
        title_forms = tuple(t for t in title_forms if acr not in t)
    title = title_forms[rng.randrange(len(title_forms))]
    f["projekttitel"] = title
    f["akronym"] = None if "akronym" in omit else acr
    f["antragsteller"] = applicant
    f["koerperschaft_typ"] = typ
    f["landkreis"] = district
    # unknown_state: a region written where the state belongs
    f["bundesland"] = "Oberfranken" if "unknown_state" in violations else state
    name, spec.salutation, local = _person(rng)
    f["ansprechperson"] = name
    long_name = translit(applicant)
    domain = rng.choice(
        (f"{translit(place)}.de", f"{long_name if len(long_name) < 22 else translit(place)}.de")
    )
    if typ == "Verbandsgemeinde":
        domain = f"vg-{translit(place)}.de"
    email = f"{local}@{domain}"
    if "invalid_email" in violations:
        email = f"{local}@{domain.removesuffix('.de')}"  # TLD forgotten
    f["email"] = None if "missing_field:email" in violations else email
    f["telefon"] = None if "telefon" in omit else _phone(rng)
    plz = f"{plz_prefix}{rng.randint(100, 999)}"
    if "invalid_postcode" in violations:
        plz = plz[:4]
    f["plz"] = plz
    spec.street = rng.choice(("Hauptstraße", "Am Markt", "Rathausplatz", "Schulstraße", "Kirchweg"))
    spec.street += f" {rng.randint(1, 40)}"
    pop = rng.randint(45_000, 140_000) if typ == "Landkreis" else rng.randint(1_800, 24_000)
    f["einwohnerzahl"] = None if "einwohnerzahl" in omit else pop
    spec.population_text = rng.choice(
        (f"ca. {thousands(pop)}", thousands(pop), f"rund {thousands(pop)}", thousands(pop, " "))
    )

    # partners
    n_partners = 0 if "no_cooperation_partner" in violations else rng.choice((1, 2, 2, 3, 4))
    other = PLACES[(index * 5 + seed + 11) % len(PLACES)]
    ctx = {
        "kreis": district_written,
        "kreis_kurz": district,
        "x": rng.choice((place, other)) if typ != "Landkreis" else other,
        "y": other,
        "o": other if typ == "Landkreis" else place,
        "typ": spec.typ_word,
    }
    kinds = list(PARTNER_KINDS)
    rng.shuffle(kinds)
    if typ == "Landkreis":
        municipal = [k for k in kinds if k.startswith(("Gemeinde ", "Stadt "))]
        rest = [k for k in kinds if not k.startswith(("Gemeinde ", "Stadt ", "Seniorenbeirat"))]
        if "applicant_is_district_alone" in violations:
            kinds = rest
        else:
            kinds = municipal[:1] + rest
            n_partners = max(n_partners, 2)
    partners = [k.format(**ctx) for k in kinds[:n_partners]]
    f["kooperationspartner"] = partners

    # declared topic fields
    declared = [] if "themenfelder" in omit else sorted(combo_topics)
    if declared and index % 9 == 4 and len(declared) > 1:
        declared = declared[:-1]  # one topic served but not ticked
    f["themenfelder"] = [TOPIC_FIELDS[t] for t in declared]
    use_short = layout in ("letterhead", "steckbrief_2col", "kommune_word")
    spec.declared_labels = [
        TOPIC_LABELS[t][-1] if use_short and rng.random() < 0.6 else TOPIC_LABELS[t][0]
        for t in declared
    ]

    # time
    sketch_date = dt.date(2020, 9, 1) + dt.timedelta(days=rng.randint(0, 75))
    start = add_months(sketch_date, rng.choice((4, 5, 6, 7)))
    months = rng.choice((18, 24, 24, 30, 36, 36))
    if "duration_too_long" in violations:
        months = 42
    dur_style = rng.choice(("span", "words", "months", "month_span", "months"))
    if dur_style == "words" and months not in (24, 36):
        dur_style = "months"
    if months == 42:
        dur_style = rng.choice(("months", "span"))
    end_excl = add_months(start, months)
    end = end_excl - dt.timedelta(days=1)
    start_style = rng.choice(("numeric", "long", "month", "short_month"))
    if dur_style == "span":
        spec.duration_text = f"{date_text(start, 'numeric')} bis {date_text(end, 'numeric')}"
        spec.start_text = None
        ev["projektbeginn"] = date_text(start, "numeric")
    elif dur_style == "month_span":
        spec.duration_text = (
            f"{MONTHS[start.month - 1]} {start.year} – {MONTHS[end.month - 1]} {end.year}"
        )
        spec.start_text = None
        ev["projektbeginn"] = f"{MONTHS[start.month - 1]} {start.year}"
    else:
        spec.duration_text = (
            f"{NUMBER_WORDS[months // 12]} Jahre" if dur_style == "words" else f"{months} Monate"
        )
        spec.start_text = date_text(start, start_style)
        ev["projektbeginn"] = spec.start_text
    f["laufzeit_monate"] = months
    f["projektbeginn"] = start.isoformat()
    if "invalid_date" in violations:
        spec.duration_text = f"{months} Monate"
        spec.start_text = f"31.06.{start.year}"
        ev["projektbeginn"] = spec.start_text
        f["projektbeginn"] = f"{start.year}-06-31"
    ev["laufzeit_monate"] = spec.duration_text
    date_style = rng.choice(("long", "numeric", "short_month", "numeric", "long"))
    f["datum"] = (
        None
        if "datum" in omit
        else (
            sketch_date.replace(day=1) if date_style == "short_month" else sketch_date
        ).isoformat()
    )
    ev["datum"] = None if "datum" in omit else date_text(sketch_date, date_style)

    # money (in cents)
    if "cost_out_of_range" in violations:
        total = 650_000_00
    else:
        total = rng.choice(
            (
                rng.randint(210, 590) * 1000_00,
                rng.randint(4200, 11800) * 50_00,
                rng.randint(2100, 5900) * 100_00,
                rng.randint(21_000_000, 59_000_000),
            )
        )
    spec.rate_pct = rng.choice((80, 85, 90, 90, 95))
    funding = total * spec.rate_pct // 100
    own = total - funding
    if "funding_sum_mismatch" in violations:
        own += 12_500_00
    spec.years = list(range(start.year, end.year + 1))
    cats = ("Personalausgaben", "Aufträge an Dritte", "Hard- und Software", "Öffentlichkeitsarbeit")
    cat_totals = _split(total, len(cats), rng)
    spec.budget = [
        (c, _split(ct, len(spec.years), rng)) for c, ct in zip(cats, cat_totals, strict=True)
    ]
    f["gesamtkosten_eur"] = euro_value(total)
    f["foerdersumme_eur"] = None if "foerdersumme" in omit else euro_value(funding)
    f["eigenanteil_eur"] = None if "foerdersumme" in omit else euro_value(own)
    styles = (
        "eur_dash",
        "teur_sym",
        "mio",
        "sym_prefix",
        "euro_word",
        "teur",
        "eur_suffix",
        "dash_sym",
        "sym_cents",
    )
    spec.ev["_style_total"] = amount_style(total, rng.choice(styles))
    spec.ev["_style_part"] = rng.choice(styles)
    ev["gesamtkosten_eur"] = safe(euro_text(total, spec.ev["_style_total"]))
    ev["foerdersumme_eur"] = (
        None
        if "foerdersumme" in omit
        else safe(euro_text(funding, amount_style(funding, spec.ev["_style_part"])))
    )
    ev["eigenanteil_eur"] = (
        None
        if "foerdersumme" in omit
        else safe(euro_text(own, amount_style(own, spec.ev["_style_part"])))
    )
    spec.sections = _text(spec, combo_topics, spec.kinds)
    return spec


def finish_evidence(spec: Spec) -> dict[str, Any]:
    """Evidence in FIELD_NAMES order (literal strings as rendered)."""
    f, ev = spec.fields, spec.ev
    out: dict[str, Any] = {}
    for name in FIELD_NAMES:
        if name in (
            "gesamtkosten_eur",
            "foerdersumme_eur",
            "eigenanteil_eur",
            "projektbeginn",
            "laufzeit_monate",
            "datum",
        ):
            out[name] = ev.get(name)
        elif name == "einwohnerzahl":
            out[name] = None if f[name] is None else spec.population_text
        elif name == "koerperschaft_typ":
            out[name] = ev.get("koerperschaft_typ") or (
                spec.district_written.split()[0]
                if spec.district_written.startswith(("Kreis ", "Landkreis "))
                else spec.typ_word
                if f[name] != "Landkreis"
                else spec.district_written
            )
        elif name == "themenfelder":
            out[name] = list(spec.declared_labels)
        elif name == "kooperationspartner":
            out[name] = list(f[name])
        elif name == "plz":
            out[name] = f[name]
        else:
            out[name] = None if f[name] is None else str(f[name])
    return out


# --------------------------------------------------------------------------- violations


def compute_violations(fields: dict[str, Any]) -> list[str]:
    """The check codes of DOMAIN.md for normalised fields (independent of the GX run)."""
    cfg = DEFAULT_RULES
    out: list[str] = []
    for name in cfg.required_fields:
        v = fields.get(name)
        if v is None or (isinstance(v, str) and not v.strip()):
            out.append(f"missing_field:{name}")
    total = fields.get("gesamtkosten_eur")
    if total is not None and not cfg.min_cost_eur <= total <= cfg.max_cost_eur:
        out.append("cost_out_of_range")
    months = fields.get("laufzeit_monate")
    if months is not None and months > cfg.max_duration_months:
        out.append("duration_too_long")
    partners = fields.get("kooperationspartner") or []
    if is_district(fields) and not any(is_municipal_partner(p) for p in partners):
        out.append("applicant_is_district_alone")
    if len(partners) < cfg.min_partners:
        out.append("no_cooperation_partner")
    fund, own = fields.get("foerdersumme_eur"), fields.get("eigenanteil_eur")
    if None not in (total, fund, own) and abs(fund + own - total) > cfg.funding_tolerance_eur:
        out.append("funding_sum_mismatch")
    if fields.get("email") is not None and not email_is_valid(fields["email"]):
        out.append("invalid_email")
    if fields.get("plz") is not None and not re.fullmatch(cfg.postcode_regex, fields["plz"]):
        out.append("invalid_postcode")
    state = fields.get("bundesland")
    if state is not None and canonical_state(state) not in cfg.federal_states:
        out.append("unknown_state")
    pop = fields.get("einwohnerzahl")
    if pop is not None and (not isinstance(pop, int) or pop < cfg.min_population):
        out.append("invalid_population")
    if any(
        fields.get(n) is not None and not date_exists(fields[n]) for n in ("projektbeginn", "datum")
    ):
        out.append("invalid_date")
    return sorted(out)


# --------------------------------------------------------------------------- rendering helpers

ROLES = (
    "fachliche Begleitung",
    "technische Umsetzung",
    "Einbindung der Zielgruppen",
    "Betrieb nach Projektende",
    "wissenschaftliche Evaluation",
    "Öffentlichkeitsarbeit",
)


def _style(name: str, font: str = "", size: float = 9.5, **kw: Any) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=font or FONT, fontSize=size, leading=size * 1.3, **kw)


BODY = _style("body", spaceAfter=4)
BODY_J = _style("bodyj", spaceAfter=4, alignment=TA_JUSTIFY)
SMALL = _style("small", size=7, textColor=colors.HexColor("#555555"))
CELL = _style("cell", size=8.5)
H1 = _style("h1", BOLD, 15, spaceAfter=8)
H2 = _style("h2", BOLD, 11, spaceBefore=8, spaceAfter=4)
H3 = _style("h3", BOLD, 9.5, spaceBefore=5, spaceAfter=2)


def para(text: str, style: ParagraphStyle = BODY, *, markup: bool = False) -> Paragraph:
    """A paragraph of literal text (escaped) or of trusted mini-markup."""
    return Paragraph(safe(text) if markup else escape(safe(text)), style)


def cents_cell(cents: int, with_cents: bool) -> str:
    whole, rest = divmod(cents, 100)
    return f"{thousands(whole)},{rest:02d}" if with_cents else thousands(whole)


def budget_rows(
    spec: Spec, *, total_label: str = "Summe", col_label: str = "Gesamt"
) -> list[list[str]]:
    """Cost plan with years as columns, a sum column and a sum row (subtotals per year)."""
    with_cents = any(v % 100 for _c, vals in spec.budget for v in vals)
    rows = [["Ausgabenart", *map(str, spec.years), col_label]]
    for cat, vals in spec.budget:
        rows.append(
            [cat, *(cents_cell(v, with_cents) for v in vals), cents_cell(sum(vals), with_cents)]
        )
    per_year = [sum(vals[i] for _c, vals in spec.budget) for i in range(len(spec.years))]
    rows.append(
        [
            total_label,
            *(cents_cell(v, with_cents) for v in per_year),
            cents_cell(sum(per_year), with_cents),
        ]
    )
    return rows


GRID = TableStyle(
    [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), 8.5),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
)


def budget_table(spec: Spec, width: float, **kw: str) -> Table:
    rows = budget_rows(spec, **kw)
    n = len(rows[0])
    first = width * 0.3
    t = Table(rows, colWidths=[first] + [(width - first) / (n - 1)] * (n - 1))
    t.setStyle(GRID)
    t.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0), BOLD),
                ("FONTNAME", (0, -1), (-1, -1), BOLD),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef4")),
            ]
        )
    )
    return t


def free_text_flowables(
    spec: Spec, headings: Sequence[str], style: ParagraphStyle = BODY_J, head: ParagraphStyle = H3
) -> list[Any]:
    out: list[Any] = []
    for heading, key in zip(headings, ("Ausgangslage", "Ziele", "Vorgehen"), strict=True):
        out.append(para(heading, head))
        sentences = spec.sections[key]
        mid = max(1, len(sentences) // 2) if len(sentences) > 3 else len(sentences)
        out.append(para(" ".join(sentences[:mid]), style))
        if sentences[mid:]:
            out.append(para(" ".join(sentences[mid:]), style))
    return out


def _declared_prose(labels: Sequence[str]) -> str:
    quoted = [f"„{x}“" for x in labels]
    if len(quoted) == 1:
        return f"Das Vorhaben ist dem Themenfeld {quoted[0]} zuzuordnen."
    return (
        "Das Vorhaben ist den Themenfeldern "
        + ", ".join(quoted[:-1])
        + f" und {quoted[-1]} zuzuordnen."
    )


def _article(name: str) -> str:
    """Dative article a letter writer puts before a partner's name."""
    if re.search(r"(verband|verein|beirat)\b", name.split()[0].lower() + " ") or "e. V." in name:
        return "dem"
    return "der"


def _and_list(items: Sequence[str], *, articles: bool = False) -> str:
    named = [f"{_article(x)} {x}" if articles else x for x in items]
    return named[0] if len(named) == 1 else ", ".join(named[:-1]) + " sowie " + named[-1]


def _build(
    story: list[Any], doc_factory: Callable[[io.BytesIO], BaseDocTemplate], **build_kw: Any
) -> bytes:
    buf = io.BytesIO()
    doc = doc_factory(buf)
    doc.build(story, **build_kw)
    return buf.getvalue()


def _numbered_canvas(header: str, footer_left: str) -> type[rl_canvas.Canvas]:
    """A canvas that draws a running header and 'Seite x von y' once the page count is known."""

    class NumberedCanvas(rl_canvas.Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                w, h = self._pagesize
                self.setFont(FONT, 8)
                self.setFillColor(colors.HexColor("#444444"))
                self.drawString(25 * mm, h - 14 * mm, safe(header))
                self.line(25 * mm, h - 15.5 * mm, w - 25 * mm, h - 15.5 * mm)
                self.drawString(25 * mm, 12 * mm, safe(footer_left))
                self.drawRightString(w - 25 * mm, 12 * mm, f"Seite {self._pageNumber} von {total}")
                super().showPage()
            super().save()

    return NumberedCanvas


def _doc_kw(spec: Spec, creator: str) -> dict[str, Any]:
    return {
        "invariant": 1,
        "title": safe(spec.fields["projekttitel"]),
        "author": safe(spec.fields["antragsteller"]),
        "creator": creator,
        "subject": "Projektskizze Heimat 2.0",
    }


# --------------------------------------------------------------------------- layouts


def render_kommune_word(spec: Spec) -> bytes:
    """The Kommune's own Word document: running header, 'Seite x von y', numbered sections,
    key data partly in prose, cost plan by year."""
    f, ev, rng = spec.fields, spec.ev, spec.rng
    story: list[Any] = [
        para("Projektskizze", _style("k0", BOLD, 18, spaceAfter=2)),
        para("im Rahmen der Förderinitiative „Heimat 2.0“ des Bundes", BODY),
        Spacer(1, 6),
        para(f"<b>Titel des Vorhabens:</b> {escape(f['projekttitel'])}", BODY, markup=True),
    ]
    if f["akronym"]:
        story.append(para(f"<b>Kurzbezeichnung:</b> {escape(f['akronym'])}", BODY, markup=True))
    story += [para("1. Antragstellende Kommune", H2)]
    story.append(para(f"<b>Antragsteller:</b> {escape(f['antragsteller'])}", BODY, markup=True))
    story.append(para(f"{spec.street}, {f['plz']} {spec.place}"))
    story.append(para(f"{spec.district_written}, Land {f['bundesland']}"))
    if f["einwohnerzahl"] is not None:
        story.append(para(f"Einwohnerzahl (Stand 31.12.2019): {spec.population_text}"))
    contact = f"Ansprechperson: {spec.salutation} {f['ansprechperson']}"
    if f["telefon"]:
        contact += f", Tel. {f['telefon']}"
    story.append(para(contact))
    story.append(para(f"E-Mail: {f['email']}"))
    story.append(para("2. Beschreibung des Vorhabens", H2))
    if spec.declared_labels:
        story.append(para(_declared_prose(spec.declared_labels)))
    story += free_text_flowables(
        spec,
        (
            "2.1 Ausgangslage und Handlungsbedarf",
            "2.2 Zielsetzung",
            "2.3 Arbeitsschritte und Vorgehen",
        ),
    )
    story.append(para("3. Kooperationspartner", H2))
    roles = list(ROLES)
    rng.shuffle(roles)
    for i, partner in enumerate(f["kooperationspartner"]):
        story.append(para(f"–  {partner} ({roles[i]})"))
    story.append(para("4. Zeitplan", H2))
    if spec.start_text:
        story.append(
            para(
                f"Der Projektstart ist für den {spec.start_text} vorgesehen; "
                f"die Laufzeit beträgt {spec.duration_text}."
                if re.match(r"\d", spec.start_text)
                else f"Das Vorhaben beginnt im {spec.start_text} und läuft {spec.duration_text}."
            )
        )
    else:
        story.append(para(f"Projektzeitraum: {spec.duration_text}"))
    story.append(para("5. Kosten und Finanzierung", H2))
    story.append(para("Kostenplan (Beträge in Euro, brutto):"))
    story.append(budget_table(spec, 160 * mm))
    story.append(Spacer(1, 6))
    story.append(para(f"Die Gesamtausgaben belaufen sich auf {ev['gesamtkosten_eur']}."))
    if ev["foerdersumme_eur"]:
        story.append(para(f"Beantragte Zuwendung ({spec.rate_pct} %): {ev['foerdersumme_eur']}"))
        story.append(para(f"Eigenanteil der Kommune: {ev['eigenanteil_eur']}"))
    story.append(Spacer(1, 14))
    if ev["datum"]:
        story.append(para(f"{spec.place}, den {ev['datum']}"))
    story.append(para("gez. Bürgermeister/in"))
    header = f"{f['antragsteller']} – Projektskizze Heimat 2.0"
    canvasmaker = _numbered_canvas(header, f"Az. 0{rng.randint(10, 99)}.{rng.randint(1, 9)}/2020")

    def factory(buf: io.BytesIO) -> BaseDocTemplate:
        return SimpleDocTemplate(
            buf,
            pagesize=A4,
            leftMargin=25 * mm,
            rightMargin=25 * mm,
            topMargin=25 * mm,
            bottomMargin=22 * mm,
            **_doc_kw(spec, "Microsoft® Word 2016"),
        )

    return _build(story, factory, canvasmaker=canvasmaker)


def _checks(options: Sequence[str], ticked: Sequence[str], per_line: int = 1) -> str:
    marks = [f"{'☒' if o in ticked else '☐'} {o}" for o in options]
    lines = [" ".join(marks[i : i + per_line]) for i in range(0, len(marks), per_line)]
    return "<br/>".join(escape(safe(x)) for x in lines)


def render_grid_form(spec: Spec) -> bytes:
    """Official-looking table form: labels in the left column (Zuwendungsempfänger,
    Vorhabenbezeichnung, ...), section rows spanning all columns, type and topic check boxes."""
    f, ev, rng = spec.fields, spec.ev, spec.rng
    ev["koerperschaft_typ"] = f["koerperschaft_typ"]
    w = 170 * mm
    cw = [w * 0.26, w * 0.26, w * 0.2, w * 0.28]

    def c(text: str | None) -> Paragraph:
        return para(text or "", CELL)

    rows: list[list[Any]] = []
    spans: list[tuple[int, int, int, int]] = []  # (row, col_from, col_to, kind) kind 1=section

    def section(title: str) -> None:
        rows.append([para(title, _style("sec", BOLD, 9)), "", "", ""])
        spans.append((len(rows) - 1, 0, 3, 1))

    def wide(label: str, value: Any) -> None:
        rows.append([c(label), value if isinstance(value, Paragraph) else c(value), "", ""])
        spans.append((len(rows) - 1, 1, 3, 0))

    def pair(l1: str, v1: str | None, l2: str, v2: str | None) -> None:
        rows.append([c(l1), c(v1), c(l2), c(v2)])

    section("A  Zuwendungsempfänger")
    wide("Zuwendungsempfänger (Gebietskörperschaft)", f["antragsteller"])
    wide(
        "Art der Körperschaft",
        para(
            _checks(
                CORPORATION_TYPES,
                [f["koerperschaft_typ"]],
                4,
            ),
            CELL,
            markup=True,
        ),
    )
    pair("Straße, Hausnummer", spec.street, "PLZ, Ort", f"{f['plz']} {spec.place}")
    pair("Landkreis / Kreis", spec.district_written, "Land", f["bundesland"])
    if f["einwohnerzahl"] is not None:
        pair("Einwohnerzahl", spec.population_text, "Stichtag", "31.12.2019")
    section("B  Vorhaben")
    wide("Vorhabenbezeichnung", f["projekttitel"])
    if f["akronym"]:
        wide("Kurzbezeichnung", f["akronym"])
    if spec.start_text:
        pair("Bewilligungszeitraum (Dauer)", spec.duration_text, "Vorhabenbeginn", spec.start_text)
    else:
        wide("Bewilligungszeitraum", spec.duration_text)
    ticked = spec.declared_labels
    wide(
        "Themenfeld(er) der Förderinitiative",
        para(_checks(TOPIC_FIELDS, ticked, 1), CELL, markup=True),
    )
    section("C  Ausgaben und Finanzierung")
    wide("Gesamtausgaben", ev["gesamtkosten_eur"])
    if ev["foerdersumme_eur"]:
        pair("Zuwendungsbetrag", ev["foerdersumme_eur"], "Förderquote", f"{spec.rate_pct} %")
        wide("Kofinanzierung (Eigenmittel)", ev["eigenanteil_eur"])
    section("D  Kooperationspartner")
    for i, partner in enumerate(f["kooperationspartner"], 1):
        wide(f"Partner {i}", partner)
    section("E  Ansprechperson für Rückfragen")
    wide("Name, Funktion", f"{spec.salutation} {f['ansprechperson']}, Sachgebiet Digitalisierung")
    pair("Telefon", f["telefon"], "E-Mail", f["email"])

    t = Table(rows, colWidths=cw)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f2f2f2")),
    ]
    for r, c0, c1, kind in spans:
        style.append(("SPAN", (c0, r), (c1, r)))
        if kind:
            style.append(("BACKGROUND", (0, r), (-1, r), colors.HexColor("#d9d9d9")))
    t.setStyle(TableStyle(style))
    story: list[Any] = [
        para("Formblatt 1 – Skizze Modellvorhaben", SMALL),
        para("Projektskizze zur Förderinitiative „Heimat 2.0“", H1),
        t,
        PageBreak(),
        para("F  Vorhabenbeschreibung (max. zwei Seiten)", H2),
    ]
    story += free_text_flowables(
        spec,
        (
            "F.1 Ausgangssituation und Problemstellung",
            "F.2 Ziele des Vorhabens",
            "F.3 Lösungsansatz und Umsetzung",
        ),
    )
    story.append(Spacer(1, 16))
    sign = f"{spec.place}, {ev['datum']}" if ev["datum"] else spec.place
    story.append(
        Table(
            [[c(sign), c("")], [c("Ort, Datum"), c("Unterschrift / Dienstsiegel")]],
            colWidths=[w / 2, w / 2],
            style=[("LINEABOVE", (0, 1), (-1, 1), 0.5, colors.black)],
        )
    )
    _ = rng

    def factory(buf: io.BytesIO) -> BaseDocTemplate:
        return SimpleDocTemplate(
            buf,
            pagesize=A4,
            leftMargin=20 * mm,
            rightMargin=20 * mm,
            topMargin=18 * mm,
            bottomMargin=18 * mm,
            **_doc_kw(spec, "Formularserver 3.2"),
        )

    return _build(story, factory)


def render_stacked_form(spec: Spec) -> bytes:
    """Form with the label printed small ABOVE each boxed value, several boxes per row."""
    f, ev = spec.fields, spec.ev
    w = 174 * mm
    lab = _style("lab", size=6.5, textColor=colors.HexColor("#666666"))
    val = _style("val", size=9.5)

    def boxes(items: Sequence[tuple[str, str | None]], widths: Sequence[float]) -> Table:
        labels = [para(label, lab) for label, _v in items]
        values = [para(v or "", val, markup=v is not None and "<br/>" in v) for _l, v in items]
        t = Table([labels, values], colWidths=[w * x for x in widths])
        t.setStyle(
            TableStyle(
                [
                    ("BOX", (0, 1), (0, 1), 0.6, colors.black),
                    *[("BOX", (i, 1), (i, 1), 0.6, colors.black) for i in range(len(items))],
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("BOTTOMPADDING", (0, 0), (-1, 0), 1),
                    ("TOPPADDING", (0, 1), (-1, 1), 3),
                ]
            )
        )
        return t

    story: list[Any] = [
        para("Heimat 2.0 – Bewerbungsskizze", H1),
        para("Bitte alle Felder ausfüllen. Nicht zutreffende Felder bleiben leer.", SMALL),
        Spacer(1, 6),
        boxes([("Name der antragstellenden Kommune", f["antragsteller"])], [1.0]),
        boxes(
            [("Straße, Hausnr.", spec.street), ("Postleitzahl", f["plz"]), ("Ort", spec.place)],
            [0.45, 0.2, 0.35],
        ),
        boxes(
            [
                ("Landkreis", f["landkreis"]),
                ("Bundesland", f["bundesland"]),
                ("Einwohnerzahl", spec.population_text if f["einwohnerzahl"] is not None else None),
            ],
            [0.4, 0.35, 0.25],
        ),
        boxes([("Titel des Projekts", f["projekttitel"])], [1.0]),
        boxes(
            [
                ("Akronym", f["akronym"]),
                ("Projektstart", spec.start_text),
                ("Projektdauer", spec.duration_text),
            ],
            [0.3, 0.3, 0.4],
        ),
        boxes(
            [
                ("Gesamtvolumen", ev["gesamtkosten_eur"]),
                ("Beantragte Förderung", ev["foerdersumme_eur"]),
                ("Eigenmittel", ev["eigenanteil_eur"]),
            ],
            [0.34, 0.33, 0.33],
        ),
        boxes(
            [
                ("Ansprechpartner/in", f["ansprechperson"]),
                ("Telefon", f["telefon"]),
                ("E-Mail", f["email"]),
            ],
            [0.32, 0.24, 0.44],
        ),
        boxes(
            [
                (
                    "Beteiligte Partner (je Zeile ein Partner)",
                    "<br/>".join(escape(safe(p)) for p in f["kooperationspartner"]) + "<br/>"
                    if f["kooperationspartner"]
                    else None,
                )
            ],
            [1.0],
        ),
        boxes([("Zuordnung zu Themenfeldern", "; ".join(spec.declared_labels) or None)], [1.0]),
        Spacer(1, 8),
    ]
    story += free_text_flowables(
        spec,
        ("Ausgangslage", "Ziele", "Vorgehen"),
        BODY,
        _style("lab2", BOLD, 8.5, textColor=colors.HexColor("#333333"), spaceBefore=6),
    )
    story.append(Spacer(1, 10))
    story.append(boxes([("Datum", ev["datum"]), ("Unterschrift", "")], [0.3, 0.7]))

    def factory(buf: io.BytesIO) -> BaseDocTemplate:
        return SimpleDocTemplate(
            buf,
            pagesize=A4,
            leftMargin=18 * mm,
            rightMargin=18 * mm,
            topMargin=16 * mm,
            bottomMargin=16 * mm,
            **_doc_kw(spec, "Adobe Acrobat Pro DC (Formular, reduziert)"),
        )

    return _build(story, factory)


def render_cover_toc(spec: Spec) -> bytes:
    """Cover page, table of contents, numbered chapters; cost plan with a spanned header."""
    f, ev, rng = spec.fields, spec.ev, spec.rng
    center = _style("c", size=12, alignment=TA_CENTER, spaceAfter=6)
    big = _style("big", BOLD, 20, alignment=TA_CENTER, spaceAfter=10)
    story: list[Any] = [
        Spacer(1, 50 * mm),
        para("Förderinitiative „Heimat 2.0“", center),
        para("Projektskizze", center),
        Spacer(1, 10),
        para(f["projekttitel"], big),
    ]
    if f["akronym"]:
        story.append(para(f"({f['akronym']})", center))
    story += [Spacer(1, 30 * mm), para("eingereicht von", center), para(f["antragsteller"], center)]
    if f["koerperschaft_typ"] == "Landkreis":
        story.append(para("– Der Landrat –", center))
    if ev["datum"]:
        story.append(para(ev["datum"], center))
    story.append(PageBreak())
    chapters = [
        "Zusammenfassung",
        "Antragsteller",
        "Ausgangslage",
        "Zielsetzung",
        "Vorgehen und Arbeitsplan",
        "Kooperationspartner",
        "Zeit- und Finanzplan",
        "Kontakt",
    ]
    toc_rows = [[f"{i}  {ch}", "." * 60, str(3 + (i - 1) // 3)] for i, ch in enumerate(chapters, 1)]
    story += [
        para("Inhaltsverzeichnis", H1),
        Table(
            toc_rows,
            colWidths=[70 * mm, 80 * mm, 10 * mm],
            style=[("FONTNAME", (0, 0), (-1, -1), FONT), ("ALIGN", (2, 0), (2, -1), "RIGHT")],
        ),
        PageBreak(),
    ]
    n = iter(range(1, 20))
    art = "der" if f["koerperschaft_typ"] == "Landkreis" else "die"
    story.append(para(f"{next(n)}  Zusammenfassung", H2))
    story.append(
        para(
            f"Mit dem Vorhaben „{f['projekttitel']}“ will {art} "
            f"{f['antragsteller']} gemeinsam mit Partnern aus der Region digitale Lösungen "
            "für den Alltag "
            "der Menschen erproben."
            + (" " + _declared_prose(spec.declared_labels) if spec.declared_labels else "")
        )
    )
    story.append(para(f"{next(n)}  Antragsteller", H2))
    rows = [
        ["Körperschaft", f["antragsteller"]],
        ["Anschrift", f"{spec.street}, {f['plz']} {spec.place}"],
        ["Kreis", spec.district_written],
        ["Bundesland", f["bundesland"]],
    ]
    if f["einwohnerzahl"] is not None:
        rows.append(["Einwohner", spec.population_text])
    story.append(
        Table(
            [[para(a, CELL), para(b, CELL)] for a, b in rows],
            colWidths=[40 * mm, 120 * mm],
            style=[("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.grey)],
        )
    )
    for heading, key in (
        ("Ausgangslage", "Ausgangslage"),
        ("Zielsetzung", "Ziele"),
        ("Vorgehen und Arbeitsplan", "Vorgehen"),
    ):
        story.append(para(f"{next(n)}  {heading}", H2))
        story.append(para(" ".join(spec.sections[key]), BODY_J))
    story.append(para(f"{next(n)}  Kooperationspartner", H2))
    roles = list(ROLES)
    rng.shuffle(roles)
    prows = [[para("Partner", CELL), para("Rolle im Projekt", CELL)]]
    prows += [[para(p, CELL), para(roles[i], CELL)] for i, p in enumerate(f["kooperationspartner"])]
    story.append(Table(prows, colWidths=[95 * mm, 65 * mm], style=GRID))
    story.append(para(f"{next(n)}  Zeit- und Finanzplan", H2))
    if spec.start_text:
        story.append(para(f"Geplanter Beginn: {spec.start_text}. Laufzeit: {spec.duration_text}."))
    else:
        story.append(para(f"Durchführungszeitraum: {spec.duration_text}"))
    rows = budget_rows(spec, total_label="Summe", col_label="Summe")
    header = [rows[0][0], "Ausgaben in Euro je Haushaltsjahr"] + [""] * (len(rows[0]) - 2)
    t = Table(
        [header, *rows], colWidths=[50 * mm] + [110 * mm / (len(rows[0]) - 1)] * (len(rows[0]) - 1)
    )
    t.setStyle(GRID)
    t.setStyle(
        TableStyle(
            [
                ("SPAN", (1, 0), (-1, 0)),
                ("SPAN", (0, 0), (0, 1)),
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                ("FONTNAME", (0, -1), (-1, -1), BOLD),
            ]
        )
    )
    story.append(t)
    story.append(Spacer(1, 6))
    fin = [["Gesamtkosten des Vorhabens", ev["gesamtkosten_eur"]]]
    if ev["foerdersumme_eur"]:
        fin += [
            [f"davon Zuwendung des Bundes ({spec.rate_pct} %)", ev["foerdersumme_eur"]],
            ["davon Eigenanteil", ev["eigenanteil_eur"]],
        ]
    story.append(Table(fin, colWidths=[90 * mm, 70 * mm], style=GRID))
    story.append(para(f"{next(n)}  Kontakt", H2))
    lines = [f"{spec.salutation} {f['ansprechperson']}", f["antragsteller"]]
    if f["telefon"]:
        lines.append(f"Telefon: {f['telefon']}")
    lines.append(f"E-Mail: {f['email']}")
    story.append(KeepTogether([para(x) for x in lines]))

    def on_page(c: rl_canvas.Canvas, doc: BaseDocTemplate) -> None:
        if doc.page > 1:
            c.setFont(FONT, 8)
            c.drawCentredString(A4[0] / 2, 12 * mm, f"– {doc.page} –")

    def factory(buf: io.BytesIO) -> BaseDocTemplate:
        return SimpleDocTemplate(
            buf,
            pagesize=A4,
            leftMargin=25 * mm,
            rightMargin=25 * mm,
            topMargin=22 * mm,
            bottomMargin=22 * mm,
            **_doc_kw(spec, "LibreOffice 7.0 Writer"),
        )

    return _build(story, factory, onFirstPage=on_page, onLaterPages=on_page)


def render_letterhead(spec: Spec) -> bytes:
    """Letter on the municipality's letterhead: contact block on the right, address window
    (with the institute's Bonn postcode as a distractor), everything in prose."""
    f, ev, rng = spec.fields, spec.ev, spec.rng
    serif = _style("serif", SERIF, 10.5, spaceAfter=6, alignment=TA_JUSTIFY)
    head = _style("serifb", BOLD, 10.5, spaceBefore=6, spaceAfter=4)
    story: list[Any] = [Spacer(1, 78 * mm)]
    story.append(para(f"Förderaufruf „Heimat 2.0“ – Projektskizze „{f['projekttitel']}“", head))
    story.append(para("Sehr geehrte Damen und Herren,", serif))
    ein = ""
    if f["einwohnerzahl"] is not None:
        ein = f" mit {spec.population_text} Einwohnerinnen und Einwohnern"
    art = "das" if f["koerperschaft_typ"] == "Amt" else "die"
    kurz = f" (Kurztitel: {f['akronym']})" if f["akronym"] else ""
    story.append(
        para(
            f"hiermit reicht {art} {f['antragsteller']}{ein} im {spec.district_written}, "
            f"{f['bundesland']}, die beiliegende Skizze für das Vorhaben "
            f"„{f['projekttitel']}“{kurz} ein.",
            serif,
        )
    )
    if f["kooperationspartner"]:
        story.append(
            para(
                "Wir führen das Vorhaben gemeinsam mit "
                f"{_and_list(f['kooperationspartner'], articles=True)} "
                "durch; die Partner haben ihre Mitwirkung schriftlich zugesagt.",
                serif,
            )
        )
    else:
        story.append(
            para(
                "Weitere Partner aus Wirtschaft und Zivilgesellschaft wollen wir im Laufe "
                "des Projekts gewinnen.",
                serif,
            )
        )
    if spec.start_text:
        story.append(
            para(
                f"Das Projekt soll zum {spec.start_text} starten und ist auf "
                f"{spec.duration_text} angelegt.",
                serif,
            )
        )
    else:
        story.append(para(f"Als Projektzeitraum ist {spec.duration_text} vorgesehen.", serif))
    rund = "rund " if "Mio." in ev["gesamtkosten_eur"] else ""
    money = f"Die Gesamtkosten schätzen wir auf {rund}{ev['gesamtkosten_eur']}"
    if ev["foerdersumme_eur"]:
        money += (
            f"; wir beantragen eine Förderung von {ev['foerdersumme_eur']}, den Eigenanteil "
            f"von {ev['eigenanteil_eur']} stellen wir aus Haushaltsmitteln bereit"
        )
    story.append(para(money + ".", serif))
    if spec.declared_labels:
        story.append(para(_declared_prose(spec.declared_labels), serif))
    for heading, key in (
        ("Ausgangslage", "Ausgangslage"),
        ("Was wir erreichen wollen", "Ziele"),
        ("Wie wir vorgehen", "Vorgehen"),
    ):
        story.append(para(heading, head))
        story.append(para(" ".join(spec.sections[key]), serif))
    story.append(para("Für Rückfragen stehen wir Ihnen gern zur Verfügung.", serif))
    story.append(para("Mit freundlichen Grüßen", serif))
    story.append(Spacer(1, 14))
    story.append(
        para(
            rng.choice(
                ("Bürgermeister", "Bürgermeisterin", "Amtsdirektor", "Leitender Verwaltungsbeamter")
            ),
            serif,
        )
    )
    sender = f"{f['antragsteller']} · {spec.street} · {f['plz']} {spec.place}"
    block = [
        "Auskunft erteilt:",
        f"{spec.salutation} {f['ansprechperson']}",
        f"Zimmer {rng.randint(1, 3)}.{rng.randint(10, 30)}",
    ]
    if f["telefon"]:
        block.append(f"Tel.: {f['telefon']}")
    block.append(f"E-Mail: {f['email']}")
    if ev["datum"]:
        block += ["", f"Datum: {ev['datum']}"]

    def first(c: rl_canvas.Canvas, doc: BaseDocTemplate) -> None:
        h = A4[1]
        c.setFont(BOLD, 16)
        c.drawString(25 * mm, h - 25 * mm, safe(f["antragsteller"]))
        c.setFont(FONT, 9)
        c.drawString(
            25 * mm,
            h - 31 * mm,
            "Der Bürgermeister" if f["koerperschaft_typ"] != "Amt" else "Der Amtsvorsteher",
        )
        c.setFont(FONT, 6.5)
        c.drawString(25 * mm, h - 50 * mm, safe(sender))
        c.setFont(FONT, 10)
        for i, line in enumerate(
            (
                "Bundesinstitut für Bau-, Stadt- und Raumforschung",
                "im Bundesamt für Bauwesen und Raumordnung",
                "Referat RS 4",
                "Deichmanns Aue 31–37",
                "53179 Bonn",
            )
        ):
            c.drawString(25 * mm, h - (56 + 5 * i) * mm, line)
        c.setFont(FONT, 8.5)
        for i, line in enumerate(block):
            c.drawString(135 * mm, h - (45 + 4.2 * i) * mm, safe(line))
        c.setFont(FONT, 6.5)
        c.drawString(
            25 * mm,
            12 * mm,
            safe(
                f"Bankverbindung: Sparkasse {spec.district_written} · IBAN DE{rng.randint(10, 99)} "
                f"{rng.randint(1000, 9999)} {rng.randint(1000, 9999)} 0000 "
                f"{rng.randint(1000, 9999)} 00 · "
                "Sprechzeiten Di 8–12 und Do 14–18 Uhr"
            ),
        )

    def later(c: rl_canvas.Canvas, doc: BaseDocTemplate) -> None:
        c.setFont(FONT, 8)
        c.drawRightString(A4[0] - 20 * mm, A4[1] - 14 * mm, f"- {doc.page} -")

    def factory(buf: io.BytesIO) -> BaseDocTemplate:
        return SimpleDocTemplate(
            buf,
            pagesize=A4,
            leftMargin=25 * mm,
            rightMargin=20 * mm,
            topMargin=20 * mm,
            bottomMargin=22 * mm,
            **_doc_kw(spec, "Writer / Briefvorlage Rathaus"),
        )

    return _build(story, factory, onFirstPage=first, onLaterPages=later)


_VOWELS = set("aeiouäöüy")


def _syllable_cuts(word: str) -> list[int]:
    """Rough German syllable boundaries: before a consonant that precedes a vowel
    ('Versor-gung', 'struk-tur'), never inside 'ch', 'ck', 'sch', 'ph', 'th'."""
    low = word.lower()
    cuts: list[int] = []
    for i in range(2, len(low) - 1):
        cons, nxt, prev = low[i], low[i + 1], low[i - 1]
        if cons in _VOWELS or not cons.isalpha() or nxt not in _VOWELS:
            continue
        if (cons == "h" and prev in "cspt") or (cons == "k" and prev == "c"):
            continue
        after_vowel = prev in _VOWELS
        between_consonants = (
            low[i - 2] in _VOWELS
            and low[i - 1 : i + 1] not in ("ch", "ck", "sc", "ph", "th")
            and low[max(0, i - 2) : i] != "sc"
        )
        if after_vowel or between_consonants:
            cuts.append(i)
    return cuts


def _hyphenate(word: str, room: float, font: str, size: float) -> tuple[str, str] | None:
    """Split a long lower-case run of ``word`` so 'head-' fits into ``room`` points."""
    if len(word) < 9 or not re.fullmatch(r"[A-Za-zÄÖÜäöüß\ufb00-\ufb06]+[.,;:]?", word):
        return None
    if any(ch.isupper() for ch in word[1:]):
        return None
    cuts = [i for i in _syllable_cuts(word) if 3 <= i <= len(word) - 4]
    for cut in reversed(cuts):
        head = word[:cut] + "-"
        if pdfmetrics.stringWidth(head, font, size) <= room:
            return head, word[cut:]
    return None


def wrap(text: str, width: float, font: str, size: float, *, hyphenate: bool) -> list[str]:
    """Greedy line breaking with optional syllable hyphenation (as Word's auto-hyphenation)."""
    lines: list[str] = []
    line = ""
    words = text.split()
    i = 0
    while i < len(words):
        word = words[i]
        trial = f"{line} {word}" if line else word
        if pdfmetrics.stringWidth(trial, font, size) <= width:
            line = trial
            i += 1
            continue
        if hyphenate and line:
            room = width - pdfmetrics.stringWidth(line + " ", font, size)
            split = _hyphenate(word, room, font, size)
            if split:
                lines.append(f"{line} {split[0]}")
                words[i] = split[1]
                line = ""
                continue
        if not line:  # a single over-long token
            lines.append(word)
            i += 1
            continue
        lines.append(line)
        line = ""
    if line:
        lines.append(line)
    return lines


def render_steckbrief_2col(spec: Spec) -> bytes:
    """DTP-style 'Projektsteckbrief': key facts as a bullet list, free text in two columns,
    typographic ligatures (ﬁ ﬂ ﬀ) and hyphenated line ends throughout."""
    f, ev = spec.fields, spec.ev
    buf = io.BytesIO()
    c = rl_canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setTitle(safe(f["projekttitel"]))
    c.setAuthor(safe(f["antragsteller"]))
    c.setCreator("Adobe InDesign 15.1 (Windows)")
    w, h = A4
    left, right = 18 * mm, w - 18 * mm
    c.setFillColor(colors.HexColor("#1f4e79"))
    c.rect(0, h - 24 * mm, w, 24 * mm, stroke=0, fill=1)
    c.setFillColor(colors.white)
    c.setFont(BOLD, 14)
    c.drawString(left, h - 15 * mm, safe("PROJEKTSTECKBRIEF · Heimat 2.0"))
    c.setFillColor(colors.black)
    c.setFont(FONT, 8.5)
    c.drawString(
        left,
        h - 30 * mm,
        safe("Kurzfassung der Projektskizze für die Förderinitiative „Heimat 2.0“"),
    )
    y = h - 39 * mm
    c.setFont(BOLD, 13)
    for line in wrap(ligatures(f["projekttitel"]), right - left, BOLD, 13, hyphenate=False):
        c.drawString(left, y, safe(line))
        y -= 16
    y -= 4
    facts: list[tuple[str, str]] = [
        ("Träger", f"{f['antragsteller']} ({spec.district_written}, {f['bundesland']})"),
        ("Anschrift", f"{spec.street}, {f['plz']} {spec.place}"),
    ]
    if f["einwohnerzahl"] is not None:
        facts.append(("Einwohner", spec.population_text))
    if f["akronym"]:
        facts.append(("Kurztitel", f["akronym"]))
    facts.append(
        ("Laufzeit", spec.duration_text + (f", Start {spec.start_text}" if spec.start_text else ""))
    )
    money = ev["gesamtkosten_eur"]
    if ev["foerdersumme_eur"]:
        money += (
            f", davon Förderung {ev['foerdersumme_eur']} ({spec.rate_pct} %), "
            f"Eigenmittel {ev['eigenanteil_eur']}"
        )
    facts.append(("Finanzvolumen", money))
    if f["kooperationspartner"]:
        facts.append(("Partner", "; ".join(f["kooperationspartner"])))
    if spec.declared_labels:
        facts.append(("Themenfelder", ", ".join(spec.declared_labels)))
    contact = (
        f"{f['ansprechperson']}"
        + (f" | Tel. {f['telefon']}" if f["telefon"] else "")
        + f" | {f['email']}"
    )
    facts.append(("Kontakt", contact))
    if ev["datum"]:
        facts.append(("Stand", ev["datum"]))
    for label, value in facts:
        c.setFont(BOLD, 9)
        c.drawString(left, y, safe(f"▪ {label}:"))
        x = left + 33 * mm
        for line in wrap(ligatures(value), right - x, FONT, 9, hyphenate=False):
            c.setFont(FONT, 9)
            c.drawString(x, y, safe(line))
            y -= 12
        y -= 1
    y -= 18
    c.line(left, y + 8, right, y + 8)
    y -= 6
    gap = 8 * mm
    col_w = (right - left - gap) / 2
    size, lead = 9.2, 12.2
    items: list[tuple[str, str]] = []  # (font, text); "" = small gap
    for heading, key in (
        ("Ausgangslage", "Ausgangslage"),
        ("Ziele", "Ziele"),
        ("Vorgehen", "Vorgehen"),
    ):
        items.append((BOLD, heading))
        items += [
            (FONT, line)
            for line in wrap(
                ligatures(" ".join(spec.sections[key])), col_w, FONT, size, hyphenate=True
            )
        ]
        items.append((FONT, ""))
    top = y
    per_col = max(1, int((top - 20 * mm) // lead))
    half = (len(items) + 1) // 2
    if half <= per_col:  # balanced columns on this page
        chunks = [items[:half], items[half:]]
    else:
        chunks = [items[i : i + per_col] for i in range(0, len(items), per_col)]
    for n, chunk in enumerate(chunks):
        if n and n % 2 == 0:
            c.showPage()
            top = h - 20 * mm
        x = left if n % 2 == 0 else left + col_w + gap
        y = top
        for font, text in chunk:
            c.setFont(font, size if font == FONT else 10)
            c.drawString(x, y, safe(text))
            y -= lead
    c.showPage()
    c.save()
    return buf.getvalue()


def render_landscape_sheet(spec: Spec) -> bytes:
    """Landscape data sheet: label|value|label|value key table, partner table, cost plan by
    year, then the free text in two columns on the next page."""
    f, ev, rng = spec.fields, spec.ev, spec.rng
    pw, ph = landscape(A4)
    margin = 15 * mm
    width = pw - 2 * margin

    def c(text: str | None, bold: bool = False) -> Paragraph:
        return para(text or "–", _style("lc", BOLD if bold else FONT, 8.5))

    rows = [
        [
            c("Antragstellende Körperschaft", True),
            c(f["antragsteller"]),
            c("Kreis", True),
            c(spec.district_written),
        ],
        [c("Bundesland", True), c(f["bundesland"]), c("PLZ", True), c(f["plz"])],
        [
            c("Einwohner:innen", True),
            c(spec.population_text if f["einwohnerzahl"] is not None else None),
            c("Stand der Skizze", True),
            c(ev["datum"]),
        ],
        [c("Projektname", True), c(f["projekttitel"]), "", ""],
        [c("Kürzel", True), c(f["akronym"]), c("Laufzeit", True), c(spec.duration_text)],
        [
            c("Beginn", True),
            c(spec.start_text or ev["projektbeginn"]),
            c("Themenfeld(er)", True),
            c(", ".join(spec.declared_labels) or None),
        ],
        [c("Kontaktperson", True), c(f["ansprechperson"]), c("Telefon", True), c(f["telefon"])],
        [
            c("E-Mail", True) if f["email"] else c("Internet", True),
            c(f["email"] or f"www.{translit(spec.place)}.de"),
            c("Förderquote", True),
            c(f"{spec.rate_pct} %"),
        ],
    ]
    key = Table(rows, colWidths=[width * 0.16, width * 0.34, width * 0.14, width * 0.36])
    key.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("SPAN", (1, 3), (3, 3)),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#eef3e8")),
                ("BACKGROUND", (2, 0), (2, -1), colors.HexColor("#eef3e8")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    roles = list(ROLES)
    rng.shuffle(roles)
    prow = [[c("Nr.", True), c("Kooperationspartner", True), c("Beitrag im Projekt", True)]]
    prow += [[c(f"{i}."), c(p), c(roles[i - 1])] for i, p in enumerate(f["kooperationspartner"], 1)]
    partners = Table(prow, colWidths=[width * 0.06, width * 0.5, width * 0.44], style=GRID)
    fin = [
        [
            c("Gesamtausgaben", True),
            c(ev["gesamtkosten_eur"]),
            c("Fördermittel Bund", True),
            c(ev["foerdersumme_eur"]),
            c("Eigenanteil", True),
            c(ev["eigenanteil_eur"]),
        ]
    ]
    fin_t = Table(fin, colWidths=[width / 6] * 6, style=GRID)
    story: list[Any] = [
        para("Ideenskizze Modellvorhaben – Förderinitiative „Heimat 2.0“", H1),
        key,
        Spacer(1, 6),
        partners,
        Spacer(1, 6),
        para("Ausgabenplanung nach Jahren (in Euro)", H3),
        budget_table(spec, width, total_label="Summe je Jahr", col_label="Summe"),
        Spacer(1, 4),
        fin_t,
        NextPageTemplate("cols"),
        PageBreak(),
    ]
    story += free_text_flowables(spec, ("Ausgangslage", "Projektziele", "Umsetzung"))

    def footer(cv: rl_canvas.Canvas, doc: BaseDocTemplate) -> None:
        cv.setFont(FONT, 7)
        cv.drawString(
            margin, 8 * mm, safe(f"{f['antragsteller']} | Ideenskizze Heimat 2.0 | {doc.page}")
        )

    col_w = (width - 10 * mm) / 2
    frame_h = ph - 2 * margin

    def factory(buf: io.BytesIO) -> BaseDocTemplate:
        doc = BaseDocTemplate(
            buf,
            pagesize=landscape(A4),
            leftMargin=margin,
            rightMargin=margin,
            topMargin=margin,
            bottomMargin=margin,
            **_doc_kw(spec, "Microsoft® Excel® für Microsoft 365 / PDF"),
        )
        doc.addPageTemplates(
            [
                PageTemplate(
                    "full", [Frame(margin, margin, width, frame_h, id="f")], onPage=footer
                ),
                PageTemplate(
                    "cols",
                    [
                        Frame(margin, margin, col_w, frame_h, id="l"),
                        Frame(margin + col_w + 10 * mm, margin, col_w, frame_h, id="r"),
                    ],
                    onPage=footer,
                ),
            ]
        )
        return doc

    return _build(story, factory)


def render_qa_printout(spec: Spec) -> bytes:
    """Print-out of a web form: every field is a numbered question with the answer below,
    'keine Angabe' for empty answers, a print stamp in the footer."""
    f, ev, rng = spec.fields, spec.ev, spec.rng
    q = _style("q", BOLD, 9, spaceBefore=7, spaceAfter=1)
    a = _style("a", size=9.5, leftIndent=12, spaceAfter=2)
    n = iter(range(1, 40))

    def qa(question: str, *answers: str | None) -> list[Any]:
        shown = [x for x in answers if x] or ["keine Angabe"]
        return [para(f"{next(n)}. {question}", q), *(para(x, a) for x in shown)]

    story: list[Any] = [
        para("Förderportal – Einreichung einer Projektskizze", SMALL),
        para("Heimat 2.0: Ihre Skizze im Überblick", H1),
        para("Vorgangsnummer: HEI2-" + str(rng.randint(10000, 99999)), SMALL),
    ]
    story += qa("Wie lautet der Titel Ihres Vorhabens?", f["projekttitel"])
    story += qa("Gibt es eine Kurzbezeichnung (Akronym)?", f["akronym"])
    story += qa("Welche Gebietskörperschaft reicht die Skizze ein?", f["antragsteller"])
    story += qa("Anschrift der Verwaltung", spec.street, f"{f['plz']} {spec.place}")
    story += qa(
        "In welchem Kreis und in welchem Land liegt die Kommune?",
        f"{spec.district_written} / {f['bundesland']}",
    )
    story += qa(
        "Wie viele Menschen leben in Ihrer Kommune?",
        None if f["einwohnerzahl"] is None else f"{spec.population_text} Personen",
    )
    story += qa(
        "Wer ist für Rückfragen erreichbar?",
        f"{spec.salutation} {f['ansprechperson']}",
        f"Telefon: {f['telefon']}" if f["telefon"] else None,
        f"E-Mail: {f['email']}",
    )
    story += qa(
        "Mit welchen Partnern setzen Sie das Vorhaben um?",
        *[f"{i}) {x}" for i, x in enumerate(f["kooperationspartner"], 1)],
    )
    story += qa(
        "Welchen Themenfeldern des Aufrufs ordnen Sie das Vorhaben zu?",
        "; ".join(spec.declared_labels) or None,
    )
    when = [
        f"Beginn: {spec.start_text}" if spec.start_text else None,
        f"Dauer: {spec.duration_text}" if spec.start_text else f"Zeitraum: {spec.duration_text}",
    ]
    story += qa("Wann soll das Vorhaben beginnen und wie lange soll es dauern?", *when)
    story += qa("Wie hoch sind die geplanten Gesamtausgaben?", ev["gesamtkosten_eur"])
    story += qa("Welche Förderung beantragen Sie?", ev["foerdersumme_eur"])
    story += qa("Welchen Eigenanteil bringt die Kommune ein?", ev["eigenanteil_eur"])
    for question, key in (
        ("Beschreiben Sie die Ausgangslage.", "Ausgangslage"),
        ("Welche Ziele verfolgen Sie?", "Ziele"),
        ("Wie wollen Sie vorgehen?", "Vorgehen"),
    ):
        story += qa(question, " ".join(spec.sections[key]))
    stamp = f"Erstellt am {ev['datum']}" if ev["datum"] else "Entwurf"

    def footer(c: rl_canvas.Canvas, doc: BaseDocTemplate) -> None:
        c.setFont(FONT, 7)
        c.drawString(20 * mm, 10 * mm, safe(f"{stamp} · Seite {doc.page}"))

    def factory(buf: io.BytesIO) -> BaseDocTemplate:
        return SimpleDocTemplate(
            buf,
            pagesize=A4,
            leftMargin=20 * mm,
            rightMargin=20 * mm,
            topMargin=18 * mm,
            bottomMargin=18 * mm,
            **_doc_kw(spec, "Chromium (Druckansicht)"),
        )

    return _build(story, factory, onFirstPage=footer, onLaterPages=footer)


RENDERERS: dict[str, Callable[[Spec], bytes]] = {
    "qa_printout": render_qa_printout,
    "kommune_word": render_kommune_word,
    "grid_form": render_grid_form,
    "stacked_form": render_stacked_form,
    "cover_toc": render_cover_toc,
    "letterhead": render_letterhead,
    "steckbrief_2col": render_steckbrief_2col,
    "landscape_sheet": render_landscape_sheet,
}


# --------------------------------------------------------------------------- entry point


def make_heldout(out_dir: Path, *, seed: int = 11) -> list[HeldoutSketch]:
    """Write ``pdf/Hxxx.pdf`` and ``truth.jsonl`` into ``out_dir``; return the sketches."""
    out_dir = Path(out_dir)
    (out_dir / "pdf").mkdir(parents=True, exist_ok=True)
    sketches: list[HeldoutSketch] = []
    for index, plan in enumerate(PLAN):
        sid = f"H{index + 1:03d}"
        spec = build_spec(sid, index, plan, seed)
        data = RENDERERS[spec.layout](spec)
        rel = f"pdf/{sid}.pdf"
        (out_dir / rel).write_bytes(data)
        fields = {name: spec.fields[name] for name in FIELD_NAMES}
        sketches.append(
            HeldoutSketch(
                sketch_id=sid,
                pdf=rel,
                layout=spec.layout,
                fields=fields,
                themes=list(spec.themes),
                loesungsart=list(spec.kinds),
                violations=compute_violations(fields),
                evidence=finish_evidence(spec),
                notes=f"provoked: {', '.join(plan[2])}" if plan[2] else None,
            )
        )
    with (out_dir / "truth.jsonl").open("w", encoding="utf-8") as fh:
        for sk in sketches:
            fh.write(json.dumps(sk.as_json(), ensure_ascii=False) + "\n")
    return sketches


if __name__ == "__main__":
    import sys

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/heldout")
    made = make_heldout(target)
    print(f"{len(made)} sketches in {target}")
