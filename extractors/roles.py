"""Block roles: running heads and feet, bare page numbers, tables of contents.

A running head or foot is the same text (digits masked) at the top or bottom of most pages;
page 1 keeps its header and footer, because some layouts print contact data only there. A
table of contents names the fields but holds page numbers, so it is not read.
"""

from __future__ import annotations

import re
from collections import Counter

from extractors.page import LEADER, Block, PageModel

__all__ = ["PAGE_NO_PART", "mark_running", "mark_toc", "signature"]

_PAGE_NO = re.compile(
    r"^\s*(?:[-–—]\s*\d{1,4}\s*[-–—]|(?:Seite|S\.|Page|Blatt)\s*\d{1,4}(?:\s*(?:von|/|of|aus)\s*\d{1,4})?"
    r"|\d{1,4}\s*(?:/|von)\s*\d{1,4}|\d{1,3})\s*$",
    re.IGNORECASE,
)
PAGE_NO_PART = re.compile(
    r"\s*(?:[-–—|·,]\s*)?(?:Seite|S\.|Page|Blatt)\s*\d{1,4}(?:\s*(?:von|/|of|aus)\s*\d{1,4})?\s*$",
    re.IGNORECASE,
)


def signature(text: str) -> str:
    return re.sub(r"\d+", "#", text.strip().casefold())


def mark_running(pages: list[PageModel]) -> None:
    """Running headers/footers (same text, digits masked, at about the same height on
    ≥ 60 % of the pages, at the page edge) and bare page numbers."""
    n = len(pages)
    edge_blocks: list[list[tuple[Block, str]]] = []
    counts: Counter[str] = Counter()
    for pm in pages:
        h = pm.page.height
        found = []
        edge_ids = {id(pm.blocks[0]), id(pm.blocks[-1])} if pm.blocks else set()
        for b in pm.blocks:
            _x0, top, _x1, bottom = b.bbox
            if bottom <= 0.12 * h or top >= 0.88 * h or (id(b) in edge_ids and len(b.lines) <= 2):
                band = round(top / h * 40)
                found.append((b, f"{band}|{signature(b.text)}"))
        edge_blocks.append(found)
        counts.update({sig for _, sig in found})
    threshold = max(2, int(0.6 * n + 0.999))
    for pm, found in zip(pages, edge_blocks, strict=True):
        for b, sig in found:
            if _PAGE_NO.match(b.text) and len(b.lines) == 1:
                b.role = "pageno"
            elif n >= 2 and counts[sig] >= threshold:
                b.role = "running"
            else:
                b.role = "header" if b.bbox[3] <= 0.12 * pm.page.height else "footer"


_TOC_HEAD = re.compile(r"(?:Inhaltsverzeichnis|Inhalt|Inhaltsübersicht|Gliederung)", re.IGNORECASE)
_NOT_TOC_LINE = re.compile(r"^.{91,}$|[^.\d]\.$|:\s+\S|[@€]|\d{4,}")
"""Lines a table of contents does not have: prose, a sentence end, "label: value", money."""


def _toc_line(raw: str) -> bool:
    if re.search(rf"(?:{LEADER.pattern})\s*[^\d\s.…_·-]", raw):
        return False  # "Antragstellerkommune ....... Samtgemeinde X": a label and its value
    if _NOT_TOC_LINE.search(LEADER.sub(" ", raw).strip()):
        return False
    # an entry has leaders to its page number or starts with its section number; an
    # address block after the contents ("Kreishausplatz 2", "04860 Torgau") has neither
    return bool(LEADER.search(raw) or _TOC_NUMBERED.match(raw))


_TOC_NUMBERED = re.compile(r"\s*(?:\d{1,2}(?:\.\d{1,2})*\.?|[A-H]\.|[IVX]{1,4}\.)\s+\S")


def mark_toc(pages: list[PageModel]) -> None:
    """A table of contents ("2.2.1 Einwohnerstand …… 1") names the fields but holds page
    numbers: its blocks, from the heading "Inhaltsverzeichnis" on, are not read."""
    for pm in pages[:3]:
        start = next(
            (
                i
                for i, b in enumerate(pm.blocks)
                if any(_TOC_HEAD.fullmatch(ln.text.strip()) for ln in b.lines)
            ),
            None,
        )
        if start is None:
            continue
        for b in pm.blocks[start:]:
            lines = [ln.text for ln in b.lines if not _TOC_HEAD.fullmatch(ln.text.strip())]
            if lines and sum(_toc_line(t) for t in lines) < 0.6 * len(lines):
                break
            b.role = "toc"
