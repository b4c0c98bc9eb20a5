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

from extractors.config import DEFAULT_CONFIG, FieldConfig
from extractors.types import Evidence, FieldResult, Page, ParsedDocument, Word

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
    below: bool = False
    """True when the value was read on the line under a lone label (a list may follow)."""


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
        return [(p.number, p.text if p.text.strip() else reading_text(p)) for p in self.doc.pages]

    @cached_property
    def prose(self) -> list[tuple[int, str]]:
        """(page number, text with lines joined and hyphenation repaired) per page."""
        return [(n, _dehyphen_join(t.splitlines())) for n, t in self.page_texts]


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip().casefold()


_PAREN = re.compile(r"^\s*\([^)]*\)?")


_LEAD = re.compile(
    r"^\s*(?:[▪•●◦‣·\-–]\s*|\d{1,2}(?:\.\d{1,2})*\.?\s+|[A-H](?:\.\d{1,2})?\s+(?=[A-ZÄÖÜ]))"
    r"|^\s*(?:Ihre?|Unsere?)\s+(?=\w)"
)


_GLUED = re.compile(r"[A-ZÄÖÜ]{1,2}:[A-ZÄÖÜ]")
"""A label printed over its value: "FinanzvolumenE:UR 385.200,-"."""


def match_label(text: str, labels: tuple[str, ...]) -> tuple[str, str, bool] | None:
    """Longest label that starts ``text`` as whole words: (label, rest, had_colon).

    A bullet, a section number ("8 Kontakt", "B.2 …", "D Kooperationspartner") and a
    letter's "Ihr/Ihre" ("Ihr Ansprechpartner:") before the label are ignored.
    """
    text = _LEAD.sub("", text, count=1)
    t = _norm(text)
    raw_t = re.sub(r"\s+", " ", text).strip()
    best: str | None = None
    for lab in labels:
        lab_n = _norm(lab)
        whole = t.startswith(lab_n) and (
            len(t) == len(lab_n)
            or not t[len(lab_n)].isalnum()
            or bool(_GLUED.match(raw_t[len(lab_n) :]))
        )
        if whole and (best is None or len(lab_n) > len(best)):
            best = lab_n
    if best is None:
        return None
    raw = re.sub(r"\s+", " ", text).strip()
    rest = raw[len(best) :]
    rest = _PAREN.sub("", rest) if rest.lstrip().startswith("(") else rest
    # a label printed over its value interleaves the colon: "FinanzvolumenE:UR 385.200,-"
    rest = re.sub(r"^([A-ZÄÖÜ]{1,2}):(?=[A-ZÄÖÜ]{1,3}\b)", r":\1", rest)
    # a short qualifier before the colon: "Eigenanteil der Kommune: 32,5 T€"
    qual = re.match(
        r"^\s*((?:der|des|die|im|in|für|je|pro|insgesamt|gesamt)\s[\wäöüß.]+(?:\s[\wäöüß.]+)?)"
        r"\s*[:：]\s*(\S.*)$",
        rest,
    )
    if qual and not re.search(r"\d", qual.group(1)):
        rest = ": " + qual.group(2)
    colon = bool(re.match(r"\s*[:：]", rest))
    rest = re.sub(r"^\s*[:：\-–]?\s*", "", rest)
    return best, rest.strip(), colon


def all_labels(config: FieldConfig = DEFAULT_CONFIG) -> tuple[str, ...]:
    """Every label of every field (and the form's other labels) in ``config``."""
    return tuple(
        lab for v in vars(config).values() if isinstance(v, tuple) for lab in v if len(lab) > 2
    )


_ALL = all_labels()


def is_label(text: str, labels: tuple[str, ...] = _ALL) -> bool:
    """Is ``text`` a bare label (a form's own wording), so never a value?"""
    m = match_label(text, labels)
    return m is not None and (not m[1] or bool(re.fullmatch(r"\(.*\)", m[1])))


def _amount_count(cells: list[str]) -> int:
    return sum(bool(re.fullmatch(r"[€\s]*[\d.\s]+,\d{2}\s*(?:€|EUR|Euro)?", c)) for c in cells)


def labelled_values(view: DocView, labels: tuple[str, ...]) -> list[Candidate]:
    """All values next to (right of or below) one of ``labels``, best sources first.

    Confidence says how the value was tied to its label: a table cell (0.95), a segment
    beside the label (0.9), "Label: value" (0.9), a value under a label row of a
    stacked form (0.85), a value on the line below (0.7), "Label value" without colon
    (0.6-0.7). A value that is itself a label is never taken.
    """
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
                    k = next((k for k in range(i + 1, len(cells)) if cells[k].strip()), None)
                    nxt = cells[k] if k is not None else None
                    if nxt is not None and k is not None and not is_label(nxt):
                        val = re.sub(r"\s+", " ", nxt).strip()
                        after = cells[k + 1].strip() if k + 1 < len(cells) else ""
                        if re.search(r"[a-zäöüß]$", val) and re.match(r"[a-zäöüß]", after):
                            val += after  # a word split over two cells ("… f" | "ür X")
                        # a row with several amounts (years, subtotals) is not a plain pair
                        conf = 0.8 if m[1] else (0.6 if _amount_count(cells) > 2 else 0.95)
                        out.append(Candidate(val, p.number, f"{c} {val}", conf))
    lines = view.lines
    for li, ln in enumerate(lines):
        segs = ln.segments
        label_row = len(segs) >= 2 and sum(is_label(sg.text) for sg in segs) >= len(segs) - 0
        for si, seg in enumerate(segs):
            m = match_label(seg.text, labels)
            nxt_line = lines[li + 1] if li + 1 < len(lines) else None
            if m is None and (q := _question_value(lines, li, seg, labels)) is not None:
                out.append(q)
                continue
            if m is None and nxt_line is not None and nxt_line.page == ln.page:
                # a label broken over two lines ("Zugehöriger / Landkreis", "…zeitrau / m")
                below = [s for s in nxt_line.segments if abs(s.x0 - seg.x0) < 3]
                if below and si + 1 < len(segs) and not is_label(segs[si + 1].text):
                    glue = "" if below[0].text[:1].islower() and len(below[0].text) < 4 else " "
                    m2 = match_label(f"{seg.text}{glue}{below[0].text}", labels)
                    if m2 and not m2[1]:
                        val = _cell_text(lines, li, seg, segs[si + 1], labels)
                        out.append(Candidate(val, ln.page, f"{seg.text} {val}", 0.85))
                continue
            if m is None:
                continue
            _, rest, colon = m
            if label_row and not rest:
                # a stacked form: a row of labels, the values in the same columns below
                val_seg = _aligned_below(lines, li, seg)
                if val_seg is not None:
                    out.append(
                        Candidate(val_seg.text, ln.page, f"{seg.text}\n{val_seg.text}", 0.85)
                    )
                continue
            if rest:
                # "Label value" at the start of a prose line ("Einwohnerzahl ist seit 2000 …")
                # is weak evidence: below the review threshold unless it stands in a cell
                conf = 0.9 if colon else (0.7 if si > 0 or len(segs) > 1 else 0.45)
                if colon and len(segs) == 1 and re.search(_OPEN_END, rest):
                    rest = _wrapped_rest(lines, li, rest)
                out.append(Candidate(rest, ln.page, seg.text, conf))
                if si + 1 < len(segs) and not is_label(segs[si + 1].text):
                    val = segs[si + 1].text
                    out.append(Candidate(val, ln.page, f"{seg.text} {val}", 0.8))
            elif si + 1 < len(segs):
                if is_label(segs[si + 1].text):
                    continue
                val = _cell_text(lines, li, seg, segs[si + 1], labels)
                # a row with several amounts (years, subtotals) is not a plain pair
                conf = 0.6 if _amount_count([sg.text for sg in segs]) > 2 else 0.9
                out.append(Candidate(val, ln.page, f"{seg.text} {val}", conf))
            else:
                below = _below(lines, li, seg, alone=si == 0)
                if below is not None and not is_label(below.text):
                    snippet = f"{seg.text}\n{below.text}"
                    out.append(Candidate(below.text, ln.page, snippet, 0.7, below=True))
    return out


def question_mentions(text: str, labels: tuple[str, ...]) -> bool:
    """A form question ("2. Gibt es eine Kurzbezeichnung (Akronym)?") naming a label."""
    if not text.rstrip().endswith("?") or len(text) > 120:
        return False
    t = _norm(text)
    return any(re.search(rf"(?<!\w){re.escape(_norm(lab))}(?!\w)", t) for lab in labels)


def _question_value(
    lines: list[Line], li: int, seg: Segment, labels: tuple[str, ...]
) -> Candidate | None:
    """The answer line under a question that names one of ``labels``."""
    if seg is not lines[li].segments[-1] or not question_mentions(lines[li].text, labels):
        return None
    nl = lines[li + 1] if li + 1 < len(lines) else None
    if nl is None or nl.page != lines[li].page or nl.text.rstrip().endswith("?"):
        return None
    return Candidate(nl.text, nl.page, f"{seg.text}\n{nl.text}", 0.75, below=True)


# a value that stops at a preposition, article or dash continues on the next line
_OPEN_END = r"(?:\s(?:für|in|im|am|an|und|der|die|das|des|von|vom|zur|zum|mit|auf|bei)|[–-])$"


def _wrapped_rest(lines: list[Line], li: int, rest: str) -> str:
    nl = lines[li + 1] if li + 1 < len(lines) else None
    ln = lines[li]
    if nl is None or nl.page != ln.page or nl.top - ln.top > 16 or len(nl.segments) != 1:
        return rest
    nxt = nl.segments[0].text
    if is_label(nxt) or re.match(r"\S+\s*:", nxt) or len(nxt) > 60:
        return rest
    if rest.endswith("-") and nxt[:1].islower():
        return rest[:-1] + nxt  # a word hyphenated at the line end
    return f"{rest} {nxt}"


def _aligned_below(lines: list[Line], li: int, seg: Segment) -> Segment | None:
    """The segment starting at the label's x on the next line (an empty cell gives None)."""
    ln = lines[li]
    nl = lines[li + 1] if li + 1 < len(lines) else None
    if nl is None or nl.page != ln.page or nl.top - ln.top > 25:
        return None
    hits = [s for s in nl.segments if abs(s.x0 - seg.x0) < 6]
    if not hits or is_label(hits[0].text):
        return None
    return hits[0]


def _below(lines: list[Line], li: int, seg: Segment, *, alone: bool) -> Segment | None:
    """The first segment under a label standing alone (label above value), also when the
    other text column has lines in between."""
    ln = lines[li]
    for nl in lines[li + 1 : li + 4]:
        if nl.page != ln.page or nl.top - ln.top > 30:
            break
        hits = [s for s in nl.segments if abs(s.x0 - seg.x0) < 20]
        if hits:
            # a label that starts its line takes a value only from a line of its own
            return hits[0] if len(nl.segments) == 1 or not alone else None
        if any(s.x0 < seg.x0 + 20 and s.x1 > seg.x0 for s in nl.segments):
            return None  # text runs across the label's column: not a value below it
    return None


def _cell_text(
    lines: list[Line], li: int, label: Segment, value: Segment, labels: tuple[str, ...]
) -> str:
    """A value cell that wraps onto the next line(s) of a key-data grid: the wrapped part
    sits at the value's x position and the label column beside it is empty or holds only
    the wrapped rest of a label (never a new label)."""
    text = value.text
    cur = lines[li]
    for nl in lines[li + 1 : li + 3]:
        if nl.page != cur.page or nl.top - cur.top > 14:
            break
        cont = [s for s in nl.segments if abs(s.x0 - value.x0) < 3]
        at_label = [s for s in nl.segments if abs(s.x0 - label.x0) < 3]
        if not cont or any(not (s.text[:1].islower() and len(s.text) < 5) for s in at_label):
            break  # the label column holds a new label, not the rest of a broken one
        if match_label(cont[0].text, labels):
            break
        text = f"{text} {cont[0].text}"
        cur = nl
    return text


def _independent(a: Candidate, b: Candidate) -> bool:
    """Two mentions at different places (not the same cell read twice)."""
    if a.page != b.page:
        return True
    return a.snippet not in b.snippet and b.snippet not in a.snippet


def pick_result(
    field: str,
    cands: list[tuple[Candidate, object]],
    *,
    extractor: str,
    low: float = 0.2,
    conflict: float = 0.7,
) -> FieldResult:
    """The best-sourced value; its confidence rises when an independent mention agrees
    (halfway to 1) and falls when a near-equally good source says something else."""
    if not cands:
        return FieldResult(field=field, value=None, confidence=low, extractor=extractor)
    best_c, best_v = max(cands, key=lambda cv: cv[0].confidence)
    conf = best_c.confidence
    support = [c for c, v in cands if repr(v) == repr(best_v) and _independent(c, best_c)]
    rivals = [
        c for c, v in cands if repr(v) != repr(best_v) and c.confidence >= best_c.confidence - 0.2
    ]
    if support:
        conf += (1.0 - conf) * 0.5
    if rivals:
        conf *= conflict
    return FieldResult(
        field=field,
        value=best_v,
        confidence=round(min(conf, 0.99), 3),
        evidence=Evidence(page=best_c.page, snippet=best_c.snippet[:300]),
        extractor=extractor,
    )
