"""Render small PDFs with reportlab and run the real parser + extractors.

``render`` places texts at absolute positions (canvas); ``render_story`` lays out a
platypus story (tables with SPAN, two text columns, running header/footer with page
numbers on every page), so the tests see what a real producer writes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph

from extractors.fields import extract_fields
from extractors.types import FieldResult
from skizzen.documents.parsing import parse_pdf_inprocess

_FONT = "Helvetica"
for path in ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",):
    try:
        pdfmetrics.registerFont(TTFont("DejaVu", path))
        _FONT = "DejaVu"
    except Exception:
        pass

FONT = _FONT
Item = tuple[float, float, str] | str  # (x, y from top, text) or "PAGEBREAK"
BODY = ParagraphStyle("body", fontName=_FONT, fontSize=10, leading=13)
HEADING = ParagraphStyle("heading", fontName=_FONT, fontSize=12, leading=16, spaceBefore=6)
TITLE = ParagraphStyle("title", fontName=_FONT, fontSize=16, leading=20, spaceAfter=10)


def render(items: list[Item], size: float = 10) -> bytes:
    """A PDF with the given texts at absolute positions (y measured from the top)."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont(_FONT, size)
    for it in items:
        if it == "PAGEBREAK":
            c.showPage()
            c.setFont(_FONT, size)
            continue
        x, y, text = it
        c.drawString(x, A4[1] - y, text)
    c.save()
    return buf.getvalue()


def render_story(
    story: Sequence[Any],
    *,
    header: str | None = None,
    footer: str | None = None,
    columns: int = 1,
) -> bytes:
    """A platypus document; header/footer (with "Seite n") drawn on every page."""
    buf = io.BytesIO()
    width, height = A4
    margin = 56.0
    gap = 18.0
    col_w = (width - 2 * margin - gap * (columns - 1)) / columns
    frames = [
        Frame(margin + i * (col_w + gap), margin, col_w, height - 2 * margin, id=f"c{i}")
        for i in range(columns)
    ]

    def decorate(c: canvas.Canvas, doc: BaseDocTemplate) -> None:
        c.saveState()
        c.setFont(_FONT, 8)
        if header:
            c.drawString(margin, height - 30, header)
        if footer:
            c.drawString(margin, 24, f"{footer} · Seite {doc.page}")
        else:
            c.drawRightString(width - margin, 24, f"Seite {doc.page}")
        c.restoreState()

    doc = BaseDocTemplate(buf, pagesize=A4, invariant=1)
    doc.addPageTemplates([PageTemplate(id="p", frames=frames, onPage=decorate)])
    doc.build(list(story))
    return buf.getvalue()


def paragraphs(*texts: str, style: ParagraphStyle = BODY) -> list[Paragraph]:
    return [Paragraph(t, style) for t in texts]


def run(data: bytes) -> dict[str, FieldResult]:
    """Real parser, real extractors."""
    return extract_fields(parse_pdf_inprocess(data))


TEACH_FORMS: dict[str, tuple[str, str, str]] = {
    "lindenhagen": ("Gemeinde Lindenhagen", "Lindenkorb – die Dorfladen-App", "384.500 €"),
    "kranichsee": ("Stadt Kranichsee", "Telemedizin im Kranichseer Land", "512.000 €"),
    "wesselwerder": ("Amt Wesselwerder", "Dorf mobil – Mitfahren im Amt", "298.000 €"),
}
"""Three sketches of one form (applicant, title, total), for the tests of what a correction
teaches: the applicant stands alone in the first line, unlabelled."""


def teach_form(head: str, title: str, total: str) -> bytes:
    """One sketch of the ``TEACH_FORMS`` form."""
    return render(
        [
            (60, 60, head),
            (60, 110, "Projektskizze zum Förderaufruf"),
            (60, 160, "Bezeichnung des Vorhabens:"),
            (260, 160, title),
            (60, 180, "Laufzeit in Monaten:"),
            (260, 180, "24"),
            (60, 200, "Gesamtausgaben:"),
            (260, 200, total),
            (60, 220, "Bundesland:"),
            (260, 220, "Brandenburg"),
        ]
    )
