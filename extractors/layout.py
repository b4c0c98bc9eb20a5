"""Shared layout helpers: lines with gap-separated segments, reading text, label lookup.

Lines are rebuilt from word boxes rather than taken from ``Page.text`` so that table
cells and side-by-side label/value pairs stay apart (a wide horizontal gap separates
segments), whatever line breaks the parser's text uses. Two-column prose is re-ordered
here as well, so prose patterns work even if the parser interleaves columns.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from extractors.types import Page, ParsedDocument, Word

_LINE_TOL = 2.5
_MIN_GAP = 7.0


@dataclass(frozen=True)
class Segment:
    """A run of words on one line without a wide gap (a cell, a label or a value)."""

    text: str
    x0: float
    x1: float


@dataclass(frozen=True)
class Line:
    """One visual line of a page, split into segments at wide horizontal gaps."""

    page: int
    top: float
    segments: tuple[Segment, ...]

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.segments)


@dataclass(frozen=True)
class Candidate:
    """A raw value string found for a label, with where and how reliably it was found."""

    value: str
    page: int | None
    snippet: str
    confidence: float


def _group_lines(words: list[Word]) -> list[list[Word]]:
    rows: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (round(w.top, 1), w.x0)):
        if rows and abs(rows[-1][0].top - w.top) <= _LINE_TOL:
            rows[-1].append(w)
        else:
            rows.append([w])
    return [sorted(r, key=lambda w: w.x0) for r in rows]


def _segments(words: list[Word]) -> tuple[Segment, ...]:
    height = max(1.0, sorted(w.bottom - w.top for w in words)[len(words) // 2])
    gap_limit = max(_MIN_GAP, 0.9 * height)
    segs: list[list[Word]] = [[words[0]]]
    for w in words[1:]:
        if w.x0 - segs[-1][-1].x1 > gap_limit:
            segs.append([w])
        else:
            segs[-1].append(w)
    out: list[Segment] = []
    for s in segs:
        text = " ".join(w.text for w in s)
        # "Name · Tel. … · mail" in footers and letterheads: each part is its own segment
        parts = [p.strip() for p in re.split(r"\s[·|•]\s", text) if p.strip()]
        out.extend(Segment(text=p, x0=s[0].x0 + i * 0.01, x1=s[-1].x1) for i, p in enumerate(parts))
    return tuple(out)


def page_lines(page: Page) -> list[Line]:
    """Visual lines of a page (falls back to text lines when the page has no words)."""
    if not page.words:
        return [
            Line(page=page.number, top=float(i), segments=(Segment(t.strip(), 0.0, 0.0),))
            for i, t in enumerate(page.text.splitlines())
            if t.strip()
        ]
    return [
        Line(page=page.number, top=r[0].top, segments=_segments(r))
        for r in _group_lines(page.words)
    ]


def _gutter(rows: list[list[Word]], width: float) -> float | None:
    """x position where a second text column starts, if the page has one."""
    starts: Counter[int] = Counter()
    for r in rows:
        for prev, w in itertools.pairwise(r):
            if w.x0 - prev.x1 > _MIN_GAP and 0.35 * width < w.x0 < 0.65 * width:
                starts[round(w.x0 / 4)] += 1
    if not starts:
        return None
    key, count = starts.most_common(1)[0]
    return key * 4 - 2 if count >= 6 else None


def _dehyphen_join(lines: list[str]) -> str:
    out = ""
    for ln in lines:
        ln = ln.strip()
        if not ln:
            continue
        if re.search(r"[a-zäöüß]-$", out) and re.match(r"[a-zäöüß]", ln):
            nxt = ln.split(" ", 1)[0]
            if nxt in {"und", "oder", "bis", "sowie", "bzw."}:
                out += " " + ln
            else:
                out = out[:-1] + ln
        else:
            out = f"{out} {ln}" if out else ln
    return out


def reading_text(page: Page) -> str:
    """Page text in reading order with two columns resolved, one paragraph-ish per line."""
    if not page.words:
        return page.text
    rows = _group_lines(page.words)
    gx = _gutter(rows, page.width)
    if gx is None:
        return "\n".join(" ".join(w.text for w in r) for r in rows)
    out: list[str] = []
    left: list[str] = []
    right: list[str] = []

    def flush() -> None:
        out.extend(left)
        out.extend(right)
        left.clear()
        right.clear()

    for r in rows:
        if any(w.x0 < gx - 1 < w.x1 for w in r):
            flush()
            out.append(" ".join(w.text for w in r))
            continue
        lw = [w.text for w in r if w.x1 <= gx - 1]
        rw = [w.text for w in r if w.x0 >= gx - 1]
        if lw:
            left.append(" ".join(lw))
        if rw:
            right.append(" ".join(rw))
    flush()
    return "\n".join(out)


class DocView:
    """Per-document cache of lines and texts, shared by all field extractors."""

    def __init__(self, doc: ParsedDocument) -> None:
        self.doc = doc

    @cached_property
    def lines(self) -> list[Line]:
        return [ln for p in self.doc.pages for ln in page_lines(p)]

    @cached_property
    def page_texts(self) -> list[tuple[int, str]]:
        """(page number, reading-order text) per page."""
        return [(p.number, reading_text(p)) for p in self.doc.pages]

    @cached_property
    def prose(self) -> list[tuple[int, str]]:
        """(page number, text with lines joined and hyphenation repaired) per page."""
        return [(n, _dehyphen_join(t.splitlines())) for n, t in self.page_texts]


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip().casefold()


_PAREN = re.compile(r"^\s*\([^)]*\)?")


def match_label(text: str, labels: tuple[str, ...]) -> tuple[str, str, bool] | None:
    """Longest label that starts ``text`` as whole words: (label, rest, had_colon)."""
    t = _norm(text)
    best: str | None = None
    for lab in labels:
        lab_n = _norm(lab)
        whole = t.startswith(lab_n) and (len(t) == len(lab_n) or not t[len(lab_n)].isalnum())
        if whole and (best is None or len(lab_n) > len(best)):
            best = lab_n
    if best is None:
        return None
    raw = re.sub(r"\s+", " ", text).strip()
    rest = raw[len(best) :]
    rest = _PAREN.sub("", rest) if rest.lstrip().startswith("(") else rest
    colon = bool(re.match(r"\s*[:：]", rest))
    rest = re.sub(r"^\s*[:：\-–]?\s*", "", rest)
    return best, rest.strip(), colon


def labelled_values(view: DocView, labels: tuple[str, ...]) -> list[Candidate]:
    """All values next to (right of or below) one of ``labels``, best sources first."""
    out: list[Candidate] = []
    for p in view.doc.pages:
        for t in p.tables:
            for row in t.rows:
                cells = [c for c in row if c is not None]
                for i, c in enumerate(cells):
                    m = match_label(c, labels)
                    if not m:
                        continue
                    if m[1]:
                        out.append(Candidate(m[1], p.number, c, 0.85))
                    nxt = next((x for x in cells[i + 1 :] if x and x.strip()), None)
                    if nxt is not None:
                        val = re.sub(r"\s+", " ", nxt).strip()
                        conf = 0.8 if m[1] else 0.95
                        out.append(Candidate(val, p.number, f"{c} {val}", conf))
    lines = view.lines
    for li, ln in enumerate(lines):
        segs = ln.segments
        for si, seg in enumerate(segs):
            m = match_label(seg.text, labels)
            nxt_line = lines[li + 1] if li + 1 < len(lines) else None
            if m is None and nxt_line is not None and nxt_line.page == ln.page:
                # a label broken over two lines ("Zugehöriger / Landkreis")
                below = [s for s in nxt_line.segments if abs(s.x0 - seg.x0) < 3]
                if below and si + 1 < len(segs):
                    m2 = match_label(f"{seg.text} {below[0].text}", labels)
                    if m2 and not m2[1]:
                        val = segs[si + 1].text
                        out.append(Candidate(val, ln.page, f"{seg.text} {val}", 0.85))
                continue
            if m is None:
                continue
            _, rest, colon = m
            if rest:
                conf = 0.9 if colon else (0.7 if si > 0 or len(segs) > 1 else 0.6)
                out.append(Candidate(rest, ln.page, seg.text, conf))
                if si + 1 < len(segs):
                    val = segs[si + 1].text
                    out.append(Candidate(val, ln.page, f"{seg.text} {val}", 0.8))
            elif si + 1 < len(segs):
                val = segs[si + 1].text
                out.append(Candidate(val, ln.page, f"{seg.text} {val}", 0.9))
            elif nxt_line is not None and nxt_line.page == ln.page and nxt_line.top - ln.top < 30:
                below = [s for s in nxt_line.segments if abs(s.x0 - seg.x0) < 20]
                if below and (len(nxt_line.segments) == 1 or si > 0):
                    val = below[0].text
                    out.append(Candidate(val, ln.page, f"{seg.text}\n{val}", 0.7))
    return out
