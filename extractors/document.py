"""The document model: every page cut into blocks, lines and fragments, in reading order.

Why a model of the page and not line-by-line text: on real sketches, lines of different
regions share a baseline, so reading a page line by line interleaves them. The model is
built in stages, each a module of its own:

* ``extractors.xycut``: a page's words cut at whitespace rivers and ruling lines into leaf
  regions, in reading order;
* ``extractors.page``: the leaves as blocks, their lines and fragments (the nodes of the
  key/value graph, ``extractors.kv``), and lookups on one page;
* ``extractors.roles``: running heads and feet, page numbers, tables of contents;
* ``extractors.reading``: the running text and the page texts, hyphenation repaired.

Here the stages come together: the pages of one document, its prose with spans back to
the fragments, and what the parse keeps of them (``parse_time_pages``).
"""

from __future__ import annotations

import bisect
import statistics
from collections.abc import Iterable

from extractors.lazy import lazy
from extractors.page import Block, Fragment, PageModel, build_page, page_layout
from extractors.reading import Span, block_prose, reading_texts
from extractors.roles import mark_running, mark_toc
from extractors.types import Page, ParsedDocument

__all__ = ["DocModel", "parse_time_pages"]


class DocModel:
    """All pages of a document cut into blocks; texts and lookups shared by extractors."""

    def __init__(self, doc: ParsedDocument) -> None:
        self.doc = doc
        sizes = [w.size for p in doc.pages for w in p.words if w.size > 0]
        body = statistics.median(sizes) if sizes else None
        self.pages: list[PageModel] = [build_page(p, body_size=body) for p in doc.pages]
        self.body_size = body or 10.0
        mark_running(self.pages)
        mark_toc(self.pages)

    def blocks(self, *, include_running: bool = False) -> Iterable[Block]:
        for pm in self.pages:
            for b in pm.blocks:
                if b.role in ("pageno", "toc"):
                    continue
                if b.role == "running" and pm.page.number > 1 and not include_running:
                    continue
                yield b

    @lazy
    def fragments(self) -> list[Fragment]:
        """Every fragment of every page in reading order (running blocks of page 1 only)."""
        return [f for b in self.blocks() for ln in b.lines for f in ln.fragments]

    def page(self, number: int) -> PageModel:
        return self.pages[number - 1]

    @lazy
    def prose(self) -> tuple[str, list[Span]]:
        """Running text of the whole document: block by block, lines joined and hyphenation
        repaired, blocks separated by newlines; with spans back to the fragments."""
        parts: list[str] = []
        spans: list[Span] = []
        pos = 0
        for b in self.blocks():
            text, local = block_prose(b)
            for s in local:
                spans.append(Span(s.start + pos, s.end + pos, s.fragment))
            parts.append(text)
            pos += len(text) + 1
        return "\n".join(parts), spans

    @lazy
    def _span_starts(self) -> list[int]:
        return [s.start for s in self.prose[1]]

    def locate(self, start: int, end: int) -> list[Fragment]:
        """Fragments that the prose range [start, end) was read from."""
        _, spans = self.prose
        starts = self._span_starts
        i = max(0, bisect.bisect_right(starts, start) - 1)
        out: list[Fragment] = []
        while i < len(spans) and spans[i].start < end:
            if spans[i].end > start and spans[i].fragment not in out:
                out.append(spans[i].fragment)
            i += 1
        return out


def parse_time_pages(doc: ParsedDocument) -> list[Page]:
    """The parser's pages completed with what the document model computes once: the
    reading-order text and the cut (``Page.text``, ``Page.layout``)."""
    model = DocModel(doc)
    texts = reading_texts(model.pages)
    return [
        pm.page.model_copy(update={"text": t, "layout": page_layout(pm)})
        for pm, t in zip(model.pages, texts, strict=True)
    ]
