"""Helpers: render small PDFs with reportlab and run the real parser + extractors."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from extractors.fields import extract_fields
from extractors.types import FieldResult
from skizzen.parsing import parse_pdf_inprocess

_FONT = "Helvetica"
for path in ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",):
    try:
        pdfmetrics.registerFont(TTFont("DejaVu", path))
        _FONT = "DejaVu"
    except Exception:
        pass

Item = tuple[float, float, str] | str  # (x, y from top, text) or "PAGEBREAK"


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


@pytest.fixture
def extract() -> Callable[[list[Item]], dict[str, FieldResult]]:
    def run(items: list[Item]) -> dict[str, FieldResult]:
        return extract_fields(parse_pdf_inprocess(render(items)))

    return run
