"""The page model: a cut kept with the parse builds the page a fresh cut builds."""

from __future__ import annotations

from pathlib import Path

from extractors.document import DocModel
from extractors.types import BlockLayout, Page, PageLayout, ParsedDocument, Word
from skizzen.documents.parsing import parse_pdf_inprocess


def _model_signature(doc: ParsedDocument) -> list[tuple[tuple, list]]:
    model = DocModel(doc)
    return [
        (
            (b.page, b.frame, b.role, b.boxed, b.fill, b.col_right, b.index),
            [[(f.text, f.box) for f in ln.fragments] for ln in b.lines],
        )
        for pm in model.pages
        for b in pm.blocks
    ]


def test_corpus_kept_layout_builds_the_same_page_model(corpus_dir: Path) -> None:
    """The cut kept with the parse (``Page.layout``) gives the page model a fresh cut gives,
    on every layout of the sample (leader dots, tables, forms, sidebars, check boxes)."""
    pdfs = sorted((corpus_dir / "pdf").glob("*.pdf"))
    assert pdfs
    for pdf in pdfs:
        doc = parse_pdf_inprocess(pdf.read_bytes())
        assert all(p.layout is not None for p in doc.pages if p.words), pdf.name
        bare = doc.model_copy(
            update={"pages": [p.model_copy(update={"layout": None}) for p in doc.pages]}
        )
        assert _model_signature(doc) == _model_signature(bare), pdf.name


def test_a_layout_that_does_not_fit_is_cut_again() -> None:
    words = [
        Word(text="Titel:", x0=50, top=100, x1=80, bottom=110, size=10),
        Word(text="Dorfladen", x0=85, top=100, x1=130, bottom=110, size=10),
    ]
    page = Page(number=1, width=595, height=842, text="", words=words)
    doc = ParsedDocument(sha256="0" * 64, parser_version="t", pages=[page], page_count=1)
    stale = PageLayout(words=5, blocks=[BlockLayout(frame=(0, 0, 1, 1), lines=[[4, 3]])])
    wrong = PageLayout(words=2, blocks=[BlockLayout(frame=(0, 0, 1, 1), lines=[[7]])])
    for layout in (stale, wrong):
        kept = doc.model_copy(update={"pages": [page.model_copy(update={"layout": layout})]})
        assert _model_signature(kept) == _model_signature(doc)
