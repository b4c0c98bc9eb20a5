"""The demo sketches rendered as PDFs with reportlab (invariant mode, so the same sketch
gives the same bytes): form with key-data table and ☒/☐ topic fields, letter in prose,
multi-page with Kostenplan, and a letter of support. The ☒/☐ glyphs need DejaVu Sans;
without it the form falls back to ``[x]``/``[ ]``."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from extractors.types import TOPIC_FIELDS
from lab.demo_sketches import DemoSketch
from skizzen.german import format_number

_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


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


def render_support_letter() -> bytes:
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
