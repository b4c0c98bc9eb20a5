"""Fixtures for the intake/triage/parsing tests: hostile PDFs, PDF builders, a warm parser.

The corpus folder comes from the suite-wide ``corpus_dir`` fixture (tests/conftest.py).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from skizzen.documents.parsing import ParseLimits, PdfParser
from tests.conftest import HOSTILE

PdfMaker = Callable[..., bytes]


@pytest.fixture(scope="session")
def hostile_dir() -> Path:
    """Real-world odd PDFs (see its README.md); skips where the folder is absent."""
    if not (HOSTILE / "manifest.json").is_file():
        pytest.skip(f"hostile PDFs not found at {HOSTILE}")
    return HOSTILE


def _make_pdf(pages: list[str] | int = 1, *, font_size: int = 11) -> bytes:
    """A small text PDF; ``pages`` is a list of page texts (lines split on \\n) or a count."""
    from reportlab.pdfgen import canvas

    if isinstance(pages, int):
        pages = [
            f"Abschnitt {i + 1}: Bürgerbus und Dorfladen im Ortsteil Nummer {i + 1}."
            for i in range(pages)
        ]
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    c.setFont("Helvetica", font_size)
    for text in pages:
        y = 780.0
        for line in text.split("\n"):
            c.drawString(60, y, line)
            y -= font_size + 3
        c.showPage()
    c.save()
    return buf.getvalue()


@pytest.fixture(scope="session")
def make_pdf() -> PdfMaker:
    return _make_pdf


@pytest.fixture(scope="session")
def pdf_parser() -> Iterator[PdfParser]:
    """One warm sandbox worker for the session (start-up is paid once)."""
    with PdfParser(ParseLimits(timeout_s=60, max_memory_mb=1500, max_pages=30)) as parser:
        yield parser
