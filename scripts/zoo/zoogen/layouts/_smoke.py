"""A throwaway layout for developing writer/mail/CLI (not registered: leading underscore).

reportlab canvas, every field as "Label: value", then the free text. check_core.py
registers it explicitly.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from pathlib import Path

from zoogen.model import TOPIC_FIELDS, Facts, Layout, Rendered

_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _eur(x: float) -> str:
    s = f"{x:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    return s + " €"


def _render_one(f: Facts) -> Rendered:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", _FONT))
    buf = BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setTitle("Projektskizze")
    w, h = A4
    y = h - 60
    written: dict = {}
    labels: dict = {}
    omitted: set = set()

    def line(text: str, size: int = 10):
        nonlocal y
        if y < 60:
            c.showPage()
            y = h - 60
        c.setFont("DejaVu", size)
        c.drawString(50, y, text)
        y -= size + 5

    def field(key: str, label: str, value: str | None):
        if value is None:
            return
        written[key] = value
        labels[key] = label
        line(f"{label}: {value}")

    line("Projektskizze (Smoke-Test)", 14)
    field("projekttitel", "Titel", f.projekttitel)
    field("akronym", "Akronym", f.akronym)
    field("antragsteller", "Antragsteller", f.antragsteller)
    field("landkreis", "Landkreis", f.landkreis_written)
    field("bundesland", "Bundesland", f.bundesland)
    field("plz", "PLZ", f.plz)
    field("einwohnerzahl", "Einwohner", None if f.einwohnerzahl is None else str(f.einwohnerzahl))
    field("ansprechperson", "Ansprechperson", f.ansprechperson.name if f.ansprechperson else None)
    field("email", "E-Mail", f.email)
    field("telefon", "Telefon", f.telefon)
    if f.kooperationspartner:
        written["kooperationspartner"] = list(f.kooperationspartner)
        labels["kooperationspartner"] = "Partner"
        line("Partner:")
        for p in f.kooperationspartner:
            line("  " + p)
    written["themenfelder"] = list(f.themenfelder)
    labels["themenfelder"] = "Themenfelder"
    line("Themenfelder:")
    for t in TOPIC_FIELDS:
        line(("[x] " if t in f.themenfelder else "[ ] ") + t)
    field(
        "laufzeit_monate",
        "Laufzeit",
        None if f.laufzeit_monate is None else f"{f.laufzeit_monate} Monate",
    )
    field(
        "projektbeginn", "Beginn", f.projektbeginn.strftime("%d.%m.%Y") if f.projektbeginn else None
    )
    field(
        "gesamtkosten_eur", "Gesamtkosten", None if f.gesamtkosten is None else _eur(f.gesamtkosten)
    )
    field(
        "foerdersumme_eur", "Fördersumme", None if f.foerdersumme is None else _eur(f.foerdersumme)
    )
    field("eigenanteil_eur", "Eigenanteil", None if f.eigenanteil is None else _eur(f.eigenanteil))
    field("datum", "Datum", f.datum_written_invalid or f.datum.strftime("%d.%m.%Y"))
    for head, paras in f.sections:
        line(head, 12)
        for p in paras:
            words, cur = p.split(), ""
            for word in words:
                if c.stringWidth(cur + " " + word, "DejaVu", 9) > w - 100:
                    line(cur, 9)
                    cur = word
                else:
                    cur = f"{cur} {word}".strip()
            if cur:
                line(cur, 9)
    c.showPage()
    c.save()
    return Rendered(pdf=buf.getvalue(), written=written, labels=labels, omitted=omitted)


def render(batch: Sequence[Facts], scratch: Path) -> list[Rendered]:
    return [_render_one(f) for f in batch]


LAYOUTS = [
    Layout(
        name="smoke",
        producer="reportlab-smoke",
        phenomena=frozenset({"label_left"}),
        render=render,
        description="development only",
    )
]
