"""A small, deterministic demo mailbox so a fresh clone can run the pipeline end to end.

``make_demo_mailbox`` writes seven RFC 5322 messages (CRLF) as Outlook- and Thunderbird-like
clients send them: five invented Projektskizzen in three layouts (form with key-data table
and ☒/☐ topic fields, letter in prose, multi-page with Kostenplan), a file name with
umlauts in RFC 2231 form, a question without attachment, a truncated PDF (``corrupt``)
re-sent intact the next day, a sketch with a letter of support, and a sketch over the cost
limit (650.000 €) so the demo shows a ``needs_review`` case.

Everything is fixed (dates, texts, amounts); the seed only drives Message-IDs and MIME
boundaries, and reportlab runs in invariant mode, so the same seed gives byte-identical
files. The ☒/☐ glyphs need DejaVu Sans; without it the form falls back to ``[x]``/``[ ]``.
All municipalities, persons, addresses and phone numbers are invented.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import random
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.header import Header
from email.quoprimime import body_encode
from email.utils import format_datetime, formataddr
from functools import cache
from pathlib import Path
from typing import Any

from extractors.types import FIELD_NAMES, TOPIC_FIELDS
from skizzen.german import format_number

__all__ = [
    "DEMO_SKETCHES",
    "DemoSketch",
    "expected_demo_outcomes",
    "expected_demo_sketches",
    "make_demo_mailbox",
]

MAILBOX = "projektskizzen@foerderaufruf-heimat.example"
_TZ = dt.timezone(dt.timedelta(hours=1))
_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


@dataclass(frozen=True)
class DemoSketch:
    """One invented sketch: its truth fields (DOMAIN.md names), layout and free text."""

    filename: str
    layout: str
    fields: dict[str, Any]
    ausgangslage: str
    ziele: str
    vorgehen: str
    violations: tuple[str, ...] = ()
    kostenplan: tuple[tuple[str, int], ...] = ()
    street: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def _fields(**values: Any) -> dict[str, Any]:
    out = dict.fromkeys(FIELD_NAMES)
    out.update(values)
    out.setdefault("kooperationspartner", [])
    out["themenfelder"] = out["themenfelder"] or []
    return out


DEMO_SKETCHES: tuple[DemoSketch, ...] = (
    DemoSketch(
        filename="Projektskizze_Lindenhagen_Dorfladen-App.pdf",
        layout="form",
        street="Dorfstraße 12",
        fields=_fields(
            projekttitel="Lindenkorb – die Dorfladen-App für Lindenhagen und Umgebung",
            akronym="Lindenkorb",
            antragsteller="Gemeinde Lindenhagen",
            koerperschaft_typ="Gemeinde",
            landkreis="Uckermark",
            bundesland="Brandenburg",
            ansprechperson="Katrin Wendland",
            email="k.wendland@gemeinde-lindenhagen.de",
            telefon="039863 4471-20",
            plz="17268",
            einwohnerzahl=2340,
            kooperationspartner=["Dorfladen Lindenhagen w. V.", "Bäckerei Pagel GmbH"],
            themenfelder=["Lokale und regionale Versorgung", "Mobilität"],
            laufzeit_monate=24,
            projektbeginn="2021-09-01",
            gesamtkosten_eur=384500,
            foerdersumme_eur=346050,
            eigenanteil_eur=38450,
            datum="2021-03-02",
        ),
        ausgangslage=(
            "Lindenhagen besteht aus fünf Ortsteilen, in denen seit der Schließung des letzten "
            "Supermarkts im Jahr 2017 keine Nahversorgung mehr besteht. Der von Ehrenamtlichen "
            "getragene Dorfladen im Hauptort hat nur an drei Vormittagen geöffnet. Ältere "
            "Menschen ohne Auto sind auf Nachbarschaftshilfe angewiesen, Berufspendlerinnen "
            "und -pendler kaufen in der Kreisstadt ein."
        ),
        ziele=(
            "Eine einfache App und eine Telefonbestellung sollen das Sortiment des Dorfladens "
            "und regionaler Erzeuger rund um die Uhr bestellbar machen. Die Waren werden an "
            "zwei Tagen pro Woche gebündelt ausgeliefert oder an Abholstationen in den "
            "Ortsteilen bereitgestellt. So sichern wir den Laden wirtschaftlich ab und halten "
            "Kaufkraft im Ort."
        ),
        vorgehen=(
            "Im ersten Halbjahr entwickeln wir die App gemeinsam mit Seniorinnen und Senioren, "
            "dem Ladenverein und der Bäckerei (Co-Design-Werkstätten). Danach folgt ein "
            "sechsmonatiger Testbetrieb mit zwei Abholstationen, begleitet von Sprechstunden "
            "im Gemeindehaus. Im zweiten Projektjahr werden die Touren mit dem Bürgerbus "
            "verknüpft und die Lösung für Nachbargemeinden dokumentiert."
        ),
    ),
    DemoSketch(
        filename="Projektskizze_Hünenbrück_Rufbus.pdf",
        layout="letter",
        street="Am Markt 3",
        fields=_fields(
            projekttitel="MoorMobil – digitaler Rufbus für die Samtgemeinde Hünenbrück",
            akronym="MoorMobil",
            antragsteller="Samtgemeinde Hünenbrück",
            koerperschaft_typ="Samtgemeinde",
            landkreis="Rotenburg (Wümme)",
            bundesland="Niedersachsen",
            ansprechperson="Dr. Henning Oltmanns",
            email="oltmanns@huenenbrueck.de",
            telefon="04265 9132-41",
            plz="27367",
            einwohnerzahl=11820,
            kooperationspartner=[
                "Verkehrsgesellschaft Wümme-Land mbH",
                "Bürgerbusverein Moor e. V.",
            ],
            themenfelder=[],
            laufzeit_monate=30,
            projektbeginn="2021-10-01",
            gesamtkosten_eur=420000,
            foerdersumme_eur=378000,
            eigenanteil_eur=42000,
            datum="2021-03-09",
        ),
        extra={
            "kosten": "0,42 Mio. Euro",
            "foerderung": "378.000 Euro",
            "eigen": "42.000 Euro",
            "beginn": "1. Oktober 2021",
            "datum": "9. März 2021",
            "einwohner": "rund 11.820",
        },
        ausgangslage=(
            "Zwischen unseren neun Mitgliedsgemeinden fahren außerhalb der Schulzeiten kaum "
            "Busse. Wer kein Auto hat, kommt abends und am Wochenende nicht zum Arzt, zum "
            "Sportverein oder zum Bahnhof."
        ),
        ziele=(
            "Mit MoorMobil wollen wir einen Rufbus einführen, der per App, Internetseite oder "
            "Telefon bestellt wird und Fahrten mit ähnlichem Ziel automatisch bündelt. Die "
            "Fahrzeiten werden mit den Zügen am Bahnhof abgestimmt."
        ),
        vorgehen=(
            "Gemeinsam mit der Verkehrsgesellschaft schreiben wir die Buchungssoftware aus, "
            "schulen die ehrenamtlichen Fahrerinnen und Fahrer des Bürgerbusvereins und "
            "erproben den Betrieb zunächst in drei Gemeinden, bevor er auf die ganze "
            "Samtgemeinde ausgeweitet wird."
        ),
    ),
    DemoSketch(
        filename="Skizze_Telemedizin_Kranichsee.pdf",
        layout="multipage",
        street="Rathausplatz 1",
        violations=("cost_out_of_range",),
        fields=_fields(
            projekttitel="Gesund vor Ort – Telemedizin-Stationen in den Dörfern um Kranichsee",
            akronym=None,
            antragsteller="Stadt Kranichsee",
            koerperschaft_typ="Stadt",
            landkreis="Vorpommern-Greifswald",
            bundesland="Mecklenburg-Vorpommern",
            ansprechperson="Jana Brüggemann",
            email="digital@stadt-kranichsee.de",
            telefon="038372 7780-15",
            plz="17509",
            einwohnerzahl=6480,
            kooperationspartner=[
                "Gemeinschaftspraxis Dr. Köpke & Partner",
                "Ambulanter Pflegedienst Haffküste gGmbH",
                "Apotheke am Markt Kranichsee",
            ],
            themenfelder=[],  # this layout declares no topic field; themes come from the text
            laufzeit_monate=36,
            projektbeginn="2021-07-01",
            gesamtkosten_eur=650000,
            foerdersumme_eur=585000,
            eigenanteil_eur=65000,
            datum="2021-03-16",
        ),
        kostenplan=(
            ("Personal Projektkoordination (0,5 VZÄ, 36 Monate)", 118000),
            ("Ausstattung von vier Telemedizin-Stationen", 212000),
            ("Software, Lizenzen und Datenschutzprüfung", 96000),
            ("Schulung Pflegekräfte und Praxisteams", 54000),
            ("Umbau der Räume in den Dorfgemeinschaftshäusern", 120000),
            ("Öffentlichkeitsarbeit und Evaluation", 50000),
        ),
        ausgangslage=(
            "Die hausärztliche Versorgung im Umland von Kranichsee ist angespannt: zwei von "
            "fünf Praxen suchen seit Jahren eine Nachfolge, die Wege zur nächsten Fachärztin "
            "betragen bis zu 45 Kilometer. Ein Viertel der Bevölkerung ist älter als 70 Jahre, "
            "viele Patientinnen und Patienten sind chronisch krank und auf regelmäßige "
            "Kontrollen angewiesen."
        ),
        ziele=(
            "In vier Dorfgemeinschaftshäusern entstehen Telemedizin-Stationen, in denen "
            "geschulte Pflegekräfte Vitalwerte erfassen und eine Videosprechstunde mit der "
            "Hausarztpraxis herstellen. Rezepte gehen elektronisch an die Apotheke, die "
            "Medikamente mit ihrem Botendienst liefert. Unnötige Fahrten und "
            "Krankenhauseinweisungen sollen deutlich sinken."
        ),
        vorgehen=(
            "Nach der Auswahl der Standorte und der Datenschutz-Folgenabschätzung werden die "
            "Räume hergerichtet und die Technik beschafft. Ab dem zweiten Projektjahr laufen "
            "feste Sprechzeiten; eine Begleitforschung misst Zufriedenheit und Wegezeiten. Für "
            "den Betrieb nach Förderende verhandeln wir mit den Krankenkassen."
        ),
    ),
    DemoSketch(
        filename="Projektskizze_VG_Eichenmuehle.pdf",
        layout="form",
        street="Hauptstraße 40",
        fields=_fields(
            projekttitel="Rathaus im Netz – Bürgerservice online für die Verbandsgemeinde "
            "Eichenmühle",
            akronym=None,
            antragsteller="Verbandsgemeinde Eichenmühle",
            koerperschaft_typ="Verbandsgemeinde",
            landkreis="Kusel",
            bundesland="Rheinland-Pfalz",
            ansprechperson="Thomas Jung",
            email="t.jung@vg-eichenmuehle.de",
            telefon="06381 5520-33",
            plz="66869",
            einwohnerzahl=14975,
            kooperationspartner=[
                "Seniorenbeirat der Verbandsgemeinde Eichenmühle",
                "Kreisvolkshochschule Kusel",
            ],
            themenfelder=[  # canonical: in the call's order
                "Bildung, Qualifizierung und digitale Kompetenzen",
                "Öffentliche Verwaltung",
            ],
            laufzeit_monate=24,
            projektbeginn="2021-08-01",
            gesamtkosten_eur=298000,
            foerdersumme_eur=268200,
            eigenanteil_eur=29800,
            datum="2021-03-22",
        ),
        ausgangslage=(
            "Die 24 Ortsgemeinden der Verbandsgemeinde liegen bis zu 20 Kilometer vom "
            "Verwaltungssitz entfernt. Für einfache Anliegen wie eine Meldebescheinigung, einen "
            "Bauantrag oder die Anmeldung eines Hundes müssen Bürgerinnen und Bürger ins "
            "Rathaus kommen; die Öffnungszeiten passen für Berufstätige oft nicht."
        ),
        ziele=(
            "Die zwanzig häufigsten Verwaltungsleistungen werden durchgängig digital "
            "angeboten, vom Antrag bis zum Bescheid. In jeder Ortsgemeinde gibt es zudem "
            "digitale Lotsinnen und Lotsen, die beim ersten Online-Antrag helfen."
        ),
        vorgehen=(
            "Wir analysieren die Abläufe mit den Fachbereichen, digitalisieren die Prozesse in "
            "drei Paketen und binden sie an das Servicekonto des Landes an. Die "
            "Kreisvolkshochschule bildet die Lotsinnen und Lotsen aus, der Seniorenbeirat "
            "testet jede neue Leistung vor dem Start."
        ),
    ),
    DemoSketch(
        filename="Projektskizze_Markt_Rotenfels.pdf",
        layout="form",
        extra={"boxes": "ascii"},
        street="Marktplatz 5",
        fields=_fields(
            projekttitel="Dorfmitte digital – Vereins- und Veranstaltungsplattform Rotenfels",
            akronym=None,
            antragsteller="Markt Rotenfels",
            koerperschaft_typ="Markt",
            landkreis="Wunsiedel i. Fichtelgebirge",
            bundesland="Bayern",
            ansprechperson="Sabine Hofmann",
            email="hofmann@markt-rotenfels.de",
            telefon="09232 8810-12",
            plz="95163",
            einwohnerzahl=3915,
            kooperationspartner=["Heimat- und Kulturverein Rotenfels e. V."],
            themenfelder=["Soziale und kulturelle Angebote"],
            laufzeit_monate=30,
            projektbeginn="2021-09-15",
            gesamtkosten_eur=236000,
            foerdersumme_eur=212400,
            eigenanteil_eur=23600,
            datum="2021-03-25",
        ),
        ausgangslage=(
            "In Rotenfels sind 41 Vereine aktiv, doch Termine, Raumbelegung und Fahrgemeinschaften "
            "werden über Aushänge und Telefonketten organisiert. Junge Familien, die neu "
            "zuziehen, finden kaum Zugang zum Vereinsleben."
        ),
        ziele=(
            "Eine gemeinsame Plattform bündelt Veranstaltungskalender, Buchung der "
            "Gemeinschaftsräume und ein Schwarzes Brett für Nachbarschaftshilfe. Vereine "
            "pflegen ihre Inhalte selbst, Neubürgerinnen und Neubürger erhalten einen "
            "digitalen Willkommensgruß."
        ),
        vorgehen=(
            "Mit dem Heimat- und Kulturverein erheben wir den Bedarf der Vereine, wählen eine "
            "offene Softwarelösung aus und führen sie schrittweise ein. Digitale Sprechstunden "
            "im Pfarrheim unterstützen Ehrenamtliche beim Einstieg."
        ),
    ),
)
"""The five demo sketches; fields are the truth a perfect extractor would return."""

SUPPORT_LETTER = "Unterstuetzungsschreiben_Seniorenbeirat.pdf"


# --------------------------------------------------------------------------- PDF rendering


@cache
def _fonts() -> tuple[str, str, bool]:
    """(regular, bold, has ballot boxes): DejaVu Sans if installed, else Helvetica."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    regular, bold = _DEJAVU / "DejaVuSans.ttf", _DEJAVU / "DejaVuSans-Bold.ttf"
    if regular.is_file() and bold.is_file():
        pdfmetrics.registerFont(TTFont("DemoSans", str(regular)))
        pdfmetrics.registerFont(TTFont("DemoSans-Bold", str(bold)))
        return "DemoSans", "DemoSans-Bold", True
    return "Helvetica", "Helvetica-Bold", False


def _styles() -> dict[str, Any]:
    from reportlab.lib.styles import ParagraphStyle

    font, bold, _ = _fonts()
    return {
        "title": ParagraphStyle("t", fontName=bold, fontSize=15, leading=19, spaceAfter=10),
        "h": ParagraphStyle(
            "h", fontName=bold, fontSize=11.5, leading=15, spaceBefore=10, spaceAfter=4
        ),
        "p": ParagraphStyle("p", fontName=font, fontSize=10, leading=14, spaceAfter=6),
        "small": ParagraphStyle("s", fontName=font, fontSize=8.5, leading=11),
        "cell": ParagraphStyle("c", fontName=font, fontSize=9.5, leading=12),
        "cellb": ParagraphStyle("cb", fontName=bold, fontSize=9.5, leading=12),
    }


def _de_amount(value: float) -> str:
    """650000 → "650.000,00 €": the demo's sketches always print cents (babel's grouping)."""
    return f"{format_number(value, decimals=2)} €"


def _de_date(iso: str) -> str:
    return dt.date.fromisoformat(iso).strftime("%d.%m.%Y")


def _build(story: list[Any], *, title: str, author: str, footer: str | None = None) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    font, _, _ = _fonts()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=22 * mm,
        rightMargin=22 * mm,
        topMargin=20 * mm,
        bottomMargin=22 * mm,
        title=title,
        author=author,
        creator="Microsoft Word",
        invariant=1,
    )

    def on_page(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(font, 8)
        text = f"Seite {document.page}" + (f" · {footer}" if footer else "")
        canvas.drawString(22 * mm, 12 * mm, text)
        canvas.restoreState()

    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buf.getvalue()


def _table(rows: Sequence[Sequence[Any]], widths: Sequence[float], *, grid: bool = True) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    table = Table([list(r) for r in rows], colWidths=list(widths))
    style = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 3)]
    if grid:
        style.append(("GRID", (0, 0), (-1, -1), 0.5, colors.grey))
    table.setStyle(TableStyle(style))
    return table


def _render_form(sketch: DemoSketch) -> bytes:
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer

    s = _styles()
    f = sketch.fields
    _, _, boxes = _fonts()
    ascii_boxes = sketch.extra.get("boxes") == "ascii" or not boxes
    on, off = ("[x]", "[ ]") if ascii_boxes else ("☒", "☐")

    def kv(rows: list[tuple[str, str]]) -> Any:
        cells = [[Paragraph(k, s["cellb"]), Paragraph(v, s["cell"])] for k, v in rows]
        return _table(cells, [55 * mm, 111 * mm])

    story: list[Any] = [
        Paragraph("Förderaufruf Heimat 2.0 – Projektskizze", s["small"]),
        Paragraph(f["projekttitel"], s["title"]),
        Paragraph("1. Antragstellende Kommune", s["h"]),
        kv(
            [
                ("Antragsteller", f["antragsteller"]),
                ("Anschrift", f"{sketch.street}, {f['plz']} {f['antragsteller'].split(' ', 1)[1]}"),
                ("Landkreis", f["landkreis"]),
                ("Bundesland", f["bundesland"]),
                ("Einwohnerzahl", f"{f['einwohnerzahl']:,}".replace(",", ".")),
                ("Ansprechperson", f["ansprechperson"]),
                ("Telefon", f["telefon"]),
                ("E-Mail", f["email"]),
            ]
        ),
        Paragraph("2. Eckdaten des Vorhabens", s["h"]),
        kv(
            [
                ("Projekttitel", f["projekttitel"]),
                *([("Kurzbezeichnung", f["akronym"])] if f["akronym"] else []),
                ("Kooperationspartner", "; ".join(f["kooperationspartner"])),
                ("Geplanter Projektbeginn", _de_date(f["projektbeginn"])),
                ("Laufzeit", f"{f['laufzeit_monate']} Monate"),
            ]
        ),
        Paragraph("3. Themenfelder (Mehrfachnennung möglich)", s["h"]),
    ]
    story += [
        Paragraph(f"{on if t in f['themenfelder'] else off}  {t}", s["p"]) for t in TOPIC_FIELDS
    ]
    story += [
        Paragraph("4. Ausgangslage", s["h"]),
        Paragraph(sketch.ausgangslage, s["p"]),
        Paragraph("5. Ziele des Vorhabens", s["h"]),
        Paragraph(sketch.ziele, s["p"]),
        Paragraph("6. Vorgehen und Arbeitsschritte", s["h"]),
        Paragraph(sketch.vorgehen, s["p"]),
        Paragraph("7. Finanzierung", s["h"]),
        kv(
            [
                ("Gesamtkosten", _de_amount(f["gesamtkosten_eur"])),
                ("Beantragte Förderung", _de_amount(f["foerdersumme_eur"])),
                ("Eigenanteil", _de_amount(f["eigenanteil_eur"])),
            ]
        ),
        Spacer(1, 10 * mm),
        Paragraph(f"{f['antragsteller'].split(' ', 1)[1]}, den {_de_date(f['datum'])}", s["p"]),
        Paragraph(f"gez. {f['ansprechperson']}", s["p"]),
    ]
    return _build(story, title=f["projekttitel"], author=f["antragsteller"])


def _render_letter(sketch: DemoSketch) -> bytes:
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer

    s = _styles()
    f, x = sketch.fields, sketch.extra
    place = f["antragsteller"].split(" ", 1)[1]
    partners = " und ".join(f["kooperationspartner"])
    story: list[Any] = [
        Paragraph(f"{f['antragsteller']} · {sketch.street} · {f['plz']} {place}", s["small"]),
        Spacer(1, 8 * mm),
        Paragraph("Geschäftsstelle Förderaufruf Heimat 2.0<br/>– Projektskizzen –", s["p"]),
        Spacer(1, 6 * mm),
        Paragraph(
            f"Ihr Ansprechpartner: {f['ansprechperson']}<br/>Telefon {f['telefon']}<br/>"
            f"E-Mail {f['email']}<br/>{place}, {x['datum']}",
            s["small"],
        ),
        Spacer(1, 8 * mm),
        Paragraph(f"Projektskizze „{f['projekttitel']}“", s["h"]),
        Paragraph("Sehr geehrte Damen und Herren,", s["p"]),
        Paragraph(
            f"die {f['antragsteller']} im Landkreis {f['landkreis']} ({f['bundesland']}) mit "
            f"{x['einwohner']} Einwohnerinnen und Einwohnern reicht hiermit die Skizze für "
            f"das Vorhaben „{f['projekttitel']}“ ein. {sketch.ausgangslage}",
            s["p"],
        ),
        Paragraph(sketch.ziele, s["p"]),
        Paragraph(f"{sketch.vorgehen} Als Kooperationspartner wirken die {partners} mit.", s["p"]),
        Paragraph(
            f"Das Vorhaben soll am {x['beginn']} beginnen und hat eine Laufzeit von "
            f"{f['laufzeit_monate']} Monaten. Wir rechnen mit Gesamtausgaben in Höhe von "
            f"{x['kosten']}; beantragt wird eine Förderung von {x['foerderung']}, den "
            f"Eigenanteil von {x['eigen']} trägt die {f['koerperschaft_typ']} aus "
            "Haushaltsmitteln.",
            s["p"],
        ),
        Paragraph("Für Rückfragen stehe ich Ihnen gern zur Verfügung.", s["p"]),
        Paragraph("Mit freundlichen Grüßen", s["p"]),
        Spacer(1, 6 * mm),
        Paragraph(f"{f['ansprechperson']}<br/>Fachbereich Zentrale Dienste", s["p"]),
    ]
    return _build(story, title=f["projekttitel"], author=f["antragsteller"])


def _render_multipage(sketch: DemoSketch) -> bytes:
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, Spacer

    s = _styles()
    f = sketch.fields
    rows: list[list[Any]] = [
        [Paragraph("Position", s["cellb"]), Paragraph("Betrag", s["cellb"])],
        *[
            [Paragraph(k, s["cell"]), Paragraph(_de_amount(v), s["cell"])]
            for k, v in sketch.kostenplan
        ],
        [
            Paragraph("Summe Gesamtkosten", s["cellb"]),
            Paragraph(_de_amount(f["gesamtkosten_eur"]), s["cellb"]),
        ],
    ]
    assert sum(v for _, v in sketch.kostenplan) == f["gesamtkosten_eur"]
    story: list[Any] = [
        Spacer(1, 40 * mm),
        Paragraph("Bewerbungsskizze im Förderaufruf Heimat 2.0", s["h"]),
        Paragraph(f["projekttitel"], s["title"]),
        Paragraph(f"Antragstellende Kommune: {f['antragsteller']}", s["p"]),
        Paragraph(
            f"Anschrift: {sketch.street}, {f['plz']} {f['antragsteller'].split(' ', 1)[1]}",
            s["p"],
        ),
        Paragraph(f"Landkreis {f['landkreis']}, {f['bundesland']}", s["p"]),
        Paragraph(f"Stand: {_de_date(f['datum'])}", s["p"]),
        PageBreak(),
        Paragraph("1 Ausgangslage", s["h"]),
        Paragraph(sketch.ausgangslage, s["p"]),
        Paragraph(
            f"{f['antragsteller']} zählt {f['einwohnerzahl']:,} Einwohner".replace(",", ".")
            + " und ist Grundzentrum für elf umliegende Dörfer.",
            s["p"],
        ),
        Paragraph("2 Projektziele", s["h"]),
        Paragraph(sketch.ziele, s["p"]),
        Paragraph("3 Arbeitsplan", s["h"]),
        Paragraph(sketch.vorgehen, s["p"]),
        Paragraph(
            f"Projektlaufzeit: {f['laufzeit_monate']} Monate, Beginn "
            f"{_de_date(f['projektbeginn'])}.",
            s["p"],
        ),
        Paragraph("4 Kooperationspartner", s["h"]),
        *[Paragraph(f"• {p}", s["p"]) for p in f["kooperationspartner"]],
        PageBreak(),
        Paragraph("5 Kostenplan", s["h"]),
        _table(rows, [120 * mm, 46 * mm]),
        Spacer(1, 4 * mm),
        Paragraph(
            f"Finanzierung: Fördermittel {_de_amount(f['foerdersumme_eur'])}, Eigenmittel der "
            f"Kommune {_de_amount(f['eigenanteil_eur'])}.",
            s["p"],
        ),
    ]
    footer = f"{f['antragsteller']} · {f['ansprechperson']} · {f['telefon']} · {f['email']}"
    return _build(story, title=f["projekttitel"], author=f["antragsteller"], footer=footer)


def _render_support_letter() -> bytes:
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer

    s = _styles()
    story = [
        Paragraph("Seniorenbeirat der Verbandsgemeinde Eichenmühle", s["h"]),
        Paragraph("Vorsitzende: Gertrud Schwan · Lindenweg 7 · 66869 Eichenmühle", s["small"]),
        Spacer(1, 12 * mm),
        Paragraph("Unterstützungsschreiben (Letter of Intent)", s["title"]),
        Paragraph(
            "Der Seniorenbeirat unterstützt das Vorhaben „Rathaus im Netz – Bürgerservice "
            "online“ der Verbandsgemeinde Eichenmühle ausdrücklich. Viele ältere Menschen in "
            "unseren Ortsgemeinden haben keine Möglichkeit mehr, für jede Bescheinigung ins "
            "Rathaus zu fahren. Wir werden jede neue Online-Leistung vor dem Start mit "
            "Mitgliedern des Beirats erproben und Rückmeldungen zur Verständlichkeit geben.",
            s["p"],
        ),
        Paragraph("Eichenmühle, den 19.03.2021", s["p"]),
        Spacer(1, 8 * mm),
        Paragraph("Gertrud Schwan, Vorsitzende", s["p"]),
    ]
    return _build(story, title="Unterstützungsschreiben", author="Seniorenbeirat")


_RENDERERS = {"form": _render_form, "letter": _render_letter, "multipage": _render_multipage}


def render_sketch(sketch: DemoSketch) -> bytes:
    """The PDF bytes of one demo sketch (deterministic: reportlab invariant mode)."""
    return _RENDERERS[sketch.layout](sketch)


# --------------------------------------------------------------------------- MIME


@dataclass(frozen=True)
class _Attachment:
    filename: str
    data: bytes
    content_type: str = "application/pdf"
    rfc2231: bool = False


@dataclass(frozen=True)
class _Mail:
    name: str
    client: str
    sender: tuple[str, str]
    subject: str
    date: dt.datetime
    body: str
    attachments: tuple[_Attachment, ...] = ()
    outcomes: tuple[str, ...] = ()


def _b64(data: bytes) -> str:
    text = base64.b64encode(data).decode("ascii")
    return "\r\n".join(text[i : i + 76] for i in range(0, len(text), 76))


def _encoded(text: str) -> str:
    """RFC 2047 encoded word only when needed (as mail clients do)."""
    return text if text.isascii() else Header(text, "utf-8").encode(maxlinelen=998)


def _attachment_part(att: _Attachment, client: str) -> list[str]:
    if att.rfc2231 or not att.filename.isascii():
        quoted = urllib.parse.quote(att.filename, safe="")
        name = _encoded(att.filename)
        ctype = f'{att.content_type}; name="{name}"'
        disp = f"attachment;\r\n filename*=utf-8''{quoted}"
    else:
        ctype = f'{att.content_type}; name="{att.filename}"'
        disp = f'attachment; filename="{att.filename}"'
        if client == "outlook":
            disp += f"; size={len(att.data)}"
    return [
        f"Content-Type: {ctype}",
        f"Content-Disposition: {disp}",
        "Content-Transfer-Encoding: base64",
        "",
        _b64(att.data),
    ]


def _render_mail(mail: _Mail, rng: random.Random) -> bytes:
    host = mail.sender[1].split("@", 1)[1]
    if mail.client == "outlook":
        token = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") for _ in range(20))
        message_id = f"<{token}@EXCH01.{host}>"
        boundary = f"_004_{token}_"
        agent = "X-Mailer: Microsoft Outlook 16.0"
    else:
        message_id = f"<{rng.getrandbits(64):016x}-{rng.getrandbits(32):08x}@{host}>"
        boundary = "------------" + "".join(
            rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(24)
        )
        agent = (
            "User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:78.0) "
            "Gecko/20100101 Thunderbird/78.8.0"
        )
    headers = [
        f"From: {formataddr(mail.sender, charset='utf-8')}",
        f"To: Projektskizzen Heimat 2.0 <{MAILBOX}>",
        f"Subject: {_encoded(mail.subject)}",
        f"Date: {format_datetime(mail.date)}",
        f"Message-ID: {message_id}",
        agent,
        "MIME-Version: 1.0",
        "Content-Language: de-DE",
    ]
    text_part = [
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: quoted-printable",
        "",
        body_encode(
            mail.body.replace("\n", "\r\n").encode("utf-8").decode("latin-1"),
            maxlinelen=76,
            eol="\r\n",
        ),
    ]
    if not mail.attachments:
        lines = headers + text_part
    else:
        lines = [*headers, f'Content-Type: multipart/mixed; boundary="{boundary}"', ""]
        lines.append("This is a multi-part message in MIME format.")
        for part in [text_part] + [_attachment_part(a, mail.client) for a in mail.attachments]:
            lines += [f"--{boundary}", *part]
        lines += [f"--{boundary}--", ""]
    return ("\r\n".join(lines) + "\r\n").encode("ascii")


def _mails() -> list[_Mail]:
    lind, huen, kran, eich, rot = DEMO_SKETCHES
    pdf = {s.filename: render_sketch(s) for s in DEMO_SKETCHES}
    intact = pdf[rot.filename]
    truncated = intact[: len(intact) * 2 // 5]

    def d(day: int, hour: int, minute: int) -> dt.datetime:
        return dt.datetime(2021, 3, day, hour, minute, 0, tzinfo=_TZ)

    def att(sketch: DemoSketch, **kw: Any) -> _Attachment:
        return _Attachment(sketch.filename, pdf[sketch.filename], **kw)

    return [
        _Mail(
            "demo-01.eml",
            "outlook",
            ("Wendland, Katrin", lind.fields["email"]),
            "Projektskizze Heimat 2.0 – Gemeinde Lindenhagen",
            d(2, 10, 14),
            "Sehr geehrte Damen und Herren,\n\nanbei erhalten Sie die Projektskizze der "
            "Gemeinde Lindenhagen für den Förderaufruf Heimat 2.0.\n\nMit freundlichen Grüßen\n"
            "Katrin Wendland\nGemeinde Lindenhagen – Hauptamt\n",
            (att(lind),),
            ("sketch",),
        ),
        _Mail(
            "demo-02.eml",
            "thunderbird",
            ("Henning Oltmanns", huen.fields["email"]),
            "Bewerbung Förderaufruf Heimat 2.0: MoorMobil",
            d(9, 16, 41),
            "Guten Tag,\n\nim Anhang übersende ich Ihnen unsere Bewerbungsskizze für das "
            "Vorhaben MoorMobil.\n\nViele Grüße aus Hünenbrück\nDr. Henning Oltmanns\n",
            (att(huen, rfc2231=True),),
            ("sketch",),
        ),
        _Mail(
            "demo-03.eml",
            "thunderbird",
            ("Kreisverwaltung Haselgrund", "wirtschaft@kreis-haselgrund.de"),
            "Frage zum Förderaufruf: Landkreis als Koordinator?",
            d(11, 8, 57),
            "Sehr geehrte Damen und Herren,\n\nunser Landkreis möchte die Skizze für drei "
            "Gemeinden koordinieren. Reicht es, wenn der Landkreis als Antragsteller auftritt "
            "und die Gemeinden als Partner genannt werden, oder muss jede Gemeinde eine eigene "
            "Skizze einreichen?\n\nFreundliche Grüße\nMartina Kühl\n",
            (),
            ("no_attachment",),
        ),
        _Mail(
            "demo-04.eml",
            "outlook",
            ("Brüggemann, Jana", kran.fields["email"]),
            "Projektskizze Telemedizin – Stadt Kranichsee",
            d(16, 13, 5),
            "Sehr geehrte Damen und Herren,\n\nwie telefonisch besprochen sende ich Ihnen "
            "unsere Skizze „Gesund vor Ort“. Der Kostenplan befindet sich auf Seite 3.\n\n"
            "Mit freundlichen Grüßen\nJana Brüggemann\nStadt Kranichsee, Stabsstelle "
            "Digitalisierung\n",
            (att(kran),),
            ("sketch",),
        ),
        _Mail(
            "demo-05.eml",
            "thunderbird",
            ("Thomas Jung", eich.fields["email"]),
            "Heimat 2.0 – Skizze VG Eichenmühle mit Unterstützungsschreiben",
            d(22, 11, 30),
            "Sehr geehrte Damen und Herren,\n\nanbei unsere Projektskizze sowie das "
            "Unterstützungsschreiben unseres Seniorenbeirats.\n\nMit freundlichen Grüßen\n"
            "Thomas Jung\nVerbandsgemeindeverwaltung Eichenmühle\n",
            (att(eich), _Attachment(SUPPORT_LETTER, _render_support_letter())),
            ("sketch", "supporting_document"),
        ),
        _Mail(
            "demo-06.eml",
            "outlook",
            ("Hofmann, Sabine", rot.fields["email"]),
            "Projektskizze Markt Rotenfels",
            d(25, 17, 48),
            "Sehr geehrte Damen und Herren,\n\nanbei die Projektskizze des Marktes "
            "Rotenfels.\n\nMit freundlichen Grüßen\nSabine Hofmann\n",
            (_Attachment(rot.filename, truncated),),
            ("corrupt",),
        ),
        _Mail(
            "demo-07.eml",
            "outlook",
            ("Hofmann, Sabine", rot.fields["email"]),
            "AW: Projektskizze Markt Rotenfels – Anhang erneut",
            d(26, 9, 2),
            "Sehr geehrte Damen und Herren,\n\nleider war der Anhang meiner gestrigen Mail "
            "beschädigt. Ich sende Ihnen die Skizze hiermit erneut.\n\nMit freundlichen "
            "Grüßen\nSabine Hofmann\n",
            (att(rot),),
            ("sketch",),
        ),
    ]


def make_demo_mailbox(out_dir: Path, *, seed: int = 7) -> list[Path]:
    """Write the demo ``.eml`` files into ``out_dir`` and return their paths (sorted).

    The same seed gives byte-identical files (fixed dates and texts; the seed picks
    Message-IDs and MIME boundaries).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths = []
    for mail in _mails():
        path = out_dir / mail.name
        path.write_bytes(_render_mail(mail, rng))
        paths.append(path)
    return paths


def expected_demo_outcomes() -> dict[str, list[str]]:
    """Message file name → expected outcome of each attachment, in MIME order.

    A message without attachment maps to ``["no_attachment"]`` (the message outcome of
    DOMAIN.md), so every message has at least one expected outcome.
    """
    return {
        "demo-01.eml": ["sketch"],
        "demo-02.eml": ["sketch"],
        "demo-03.eml": ["no_attachment"],
        "demo-04.eml": ["sketch"],
        "demo-05.eml": ["sketch", "supporting_document"],
        "demo-06.eml": ["corrupt"],
        "demo-07.eml": ["sketch"],
    }


def expected_demo_sketches() -> dict[str, dict[str, Any]]:
    """Attachment file name → ``{"fields": ..., "violations": [...]}`` for the demo sketches."""
    return {
        s.filename: {"fields": dict(s.fields), "violations": sorted(s.violations)}
        for s in DEMO_SKETCHES
    }
