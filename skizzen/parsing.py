"""PDF → ParsedDocument with pdfplumber (basic in-process version; hardened version to follow)."""

from __future__ import annotations

import hashlib
import io

import pdfplumber

from extractors.types import Page, ParsedDocument, Table, Word

PARSER_VERSION = "plumber-0.1"


def parse_pdf_inprocess(data: bytes, *, max_pages: int = 40) -> ParsedDocument:
    """Parse PDF bytes in this process (no limits). Used by the isolated worker."""
    sha = hashlib.sha256(data).hexdigest()
    pages: list[Page] = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        count = len(pdf.pages)
        for i, p in enumerate(pdf.pages[:max_pages], start=1):
            words = [
                Word(text=w["text"], x0=w["x0"], top=w["top"], x1=w["x1"], bottom=w["bottom"])
                for w in p.extract_words()
            ]
            tables = [Table(rows=t) for t in p.extract_tables()]
            pages.append(
                Page(
                    number=i,
                    width=float(p.width),
                    height=float(p.height),
                    text=p.extract_text() or "",
                    words=words,
                    tables=tables,
                )
            )
    return ParsedDocument(
        sha256=sha,
        parser_version=PARSER_VERSION,
        pages=pages,
        page_count=count,
        truncated=count > max_pages,
    )
