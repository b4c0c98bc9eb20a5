"""PDF → ``ParsedDocument``: reading-order text per page, words, tables; run in a sandbox.

Two layers:

* ``parse_pdf_inprocess`` does the actual pdfplumber work and the text repairs that later
  extraction depends on: two-column regions are emitted left column first, words split
  at line ends are re-joined, ligatures expanded, running headers/footers and bare page
  numbers removed (the first page keeps its header/footer, so contact data that some
  layouts print only in the footer is not lost).
* ``parse_pdf`` / ``PdfParser`` run that in a *spawned child process* with a wall-clock
  timeout (the child is killed) and an address-space limit (``RLIMIT_AS``), because a
  hostile PDF can make pdfminer loop or allocate without bound. The child is kept warm
  between documents (restarted after ``max_tasks_per_child`` or after any failure), so a
  batch pays the ~1 s interpreter + pdfplumber start-up once, not per document.

``no_text_layer`` is decided here, from the real parse (see ``skizzen.triage``).
"""

from __future__ import annotations

import atexit
import bisect
import contextlib
import gzip
import hashlib
import io
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
import warnings
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pdfplumber

from extractors.types import Page, ParsedDocument, Table, Word

__all__ = [
    "PARSER_VERSION",
    "ParseCache",
    "ParseLimits",
    "ParseOutcome",
    "PdfParser",
    "WorkerStartError",
    "clean_page_texts",
    "fix_text",
    "judge_document",
    "parse_pdf",
    "parse_pdf_inprocess",
    "shutdown_workers",
]

PARSER_VERSION = "plumber-0.2"
"""Bump when the text output changes: the parse cache and reruns key on it."""

_MIN_CHARS_PER_SCANNED_PAGE = 20
"""A page mostly covered by an image with fewer letters/digits than this counts as a scan."""
IMAGE_PAGES_KEY = "x-skizzen-image-pages"
"""``ParsedDocument.metadata`` key: parsed pages that are ≥ 60 % covered by images."""


# --------------------------------------------------------------------------- text repair

_LIGATURES = re.compile("[\ufb00-\ufb06]")
_SOFT_HYPHEN = "\u00ad"
# Words after which a line-final hyphen is a suspended compound ("Wohn- und Arbeits…").
_CONJUNCTIONS = frozenset({"und", "oder", "bzw", "bzw.", "sowie", "als", "wie", "noch", "bis"})
_ADDRESS_LIKE = re.compile(r"[@/]|www\.|\w\.\w")  # e-mail, URL, domain: hyphen is real
_DOMAIN_TAIL = re.compile(r"^[\w-]+(?:\.[\w-]+)*\.(?:de|com|org|net|eu|info|bund\.de)\b")
_HYPHEN_AT_EOL = re.compile(r"(?P<head>\w)-[ \t]*\n(?P<indent>[ \t]*)(?P<word>[^\s]+)")


# Symbol/Wingdings glyphs that Word exports in the Private Use Area (bullets, check boxes).
_PUA_SYMBOLS = str.maketrans(
    {
        "\uf0b7": "•",
        "\uf0a7": "▪",
        "\uf076": "❖",
        "\uf0d8": "➢",
        "\uf0fc": "✓",
        "\uf0fe": "☒",
        "\uf0fd": "☒",
        "\uf078": "☒",
        "\uf0a8": "☐",
        "\uf06f": "☐",
    }
)


def _expand_ligatures(text: str) -> str:
    """NFKC only for the Latin ligatures (ﬁ ﬂ ﬀ ﬃ ﬄ ﬅ ﬆ), so '²' or '½' stay as written;
    Word's private-use bullets and check boxes become their Unicode symbols."""
    text = text.translate(_PUA_SYMBOLS)
    return _LIGATURES.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text)


def _join_hyphenated(text: str) -> str:
    """Re-join words split at a line end; the joined word moves up to the first line.

    'Bürger-\\nservice' → 'Bürgerservice' (lower-case continuation = syllable break),
    'Bürger-\\nApp' → 'Bürger-App' (capitalised continuation = real compound hyphen),
    'Gesundheits-\\nund Pflege' stays a suspended hyphen ('Gesundheits- und Pflege'),
    '2021-\\n2024' keeps its hyphen.
    """

    def repl(m: re.Match[str]) -> str:
        head, word = m.group("head"), m.group("word")
        token = text[: m.start("head") + 1].rsplit(None, 1)[-1]
        if _ADDRESS_LIKE.search(token) or _DOMAIN_TAIL.match(word):
            return f"{head}-{word}\n" if _rest_follows(m) else f"{head}-{word}"
        bare = word.rstrip(".,;:!?)")
        if bare.lower() in _CONJUNCTIONS or word.lower() in _CONJUNCTIONS:
            return f"{head}- {word}"
        first = word[0]
        if first.islower() and not head.isdigit():
            glue = ""
        elif first.isalnum():
            glue = "-"
        else:  # a dash list item or punctuation: not a split word
            return m.group(0)
        return f"{head}{glue}{word}\n" if _rest_follows(m) else f"{head}{glue}{word}"

    def _rest_follows(m: re.Match[str]) -> bool:
        end = m.end()
        return end < len(text) and text[end] not in "\n"

    out = _HYPHEN_AT_EOL.sub(repl, text)
    # The replacement leaves "word\n rest": drop the space that separated word and rest.
    return re.sub(r"\n[ \t]+", "\n", out)


# An e-mail address wrapped inside its domain without a hyphen (narrow boxes, footers).
_EMAIL_WRAP = re.compile(r"(?P<head>[\w.+-]+@+[\w.-]*)\n(?P<tail>[\w.-]*[a-zA-Z]{2,6})(?=\s|$)")
_COMPLETE_DOMAIN = re.compile(r"@+(?:[\w-]+\.)+[a-zA-Z]{2,6}$")


def _join_wrapped_emails(text: str) -> str:
    """'name@gemeinde-moor\\nkoog.de' → 'name@gemeinde-moorkoog.de' (rest stays below)."""

    def repl(m: re.Match[str]) -> str:
        head, tail = m.group("head"), m.group("tail")
        if _COMPLETE_DOMAIN.search(head) or not _COMPLETE_DOMAIN.search(head + tail):
            return m.group(0)
        end = m.end()
        rest = end < len(text) and text[end] != "\n"
        return f"{head}{tail}\n" if rest else f"{head}{tail}"

    return re.sub(r"\n[ \t]+", "\n", _EMAIL_WRAP.sub(repl, text))


def fix_text(text: str) -> str:
    """Ligatures, soft hyphens, line-end hyphenation, wrapped e-mails, trailing blanks."""
    text = _expand_ligatures(text).replace(_SOFT_HYPHEN, "")
    text = text.replace("\u00a0", " ")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _join_wrapped_emails(_join_hyphenated(text))


# Bare page numbers and the page-number part of a running footer.
_PAGE_NO_LINE = re.compile(
    r"^\s*(?:[-–—]\s*\d{1,4}\s*[-–—]|(?:Seite|S\.|Page)\s*\d{1,4}(?:\s*(?:von|/|of)\s*\d{1,4})?"
    r"|\d{1,4}\s*(?:/|von)\s*\d{1,4})\s*$",
    re.IGNORECASE,
)
_BARE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")
_PAGE_NO_PART = re.compile(
    r"\s*(?:[-–—|·,]\s*)?(?:Seite|S\.|Page)\s*\d{1,4}(?:\s*(?:von|/|of)\s*\d{1,4})?\s*$",
    re.IGNORECASE,
)


def _signature(line: str) -> str:
    """Running headers differ only in their page number: compare with digits masked."""
    return re.sub(r"\d+", "#", line.strip().lower())


def clean_page_texts(texts: Sequence[str], *, edge_lines: int = 3) -> list[str]:
    """Drop running headers/footers (≥ 60 % of pages) and bare page numbers.

    Only the first and last ``edge_lines`` lines of a page are candidates. Page 1 keeps
    its header/footer (minus the page number), so footer-only contact data survives once.
    """
    pages = [t.split("\n") for t in texts]
    n = len(pages)
    counts: Counter[str] = Counter()
    for lines in pages:
        edges = {_signature(x) for x in lines[:edge_lines] + lines[-edge_lines:] if x.strip()}
        counts.update(edges)
    threshold = max(2, int(0.6 * n + 0.999))
    running = {sig for sig, c in counts.items() if n >= 2 and c >= threshold}

    out: list[str] = []
    for index, lines in enumerate(pages):
        keep: list[str] = []
        last = len(lines)
        for i, line in enumerate(lines):
            at_edge = i < edge_lines or i >= last - edge_lines
            if at_edge and _PAGE_NO_LINE.match(line) and line.strip():
                continue
            if i in (0, last - 1) and _BARE_NUMBER.match(line):
                continue  # a lone "3" as the very first/last line is a page number
            if at_edge and _signature(line) in running and index > 0:
                continue
            if at_edge:
                line = _PAGE_NO_PART.sub("", line)
                if not line.strip():
                    continue
            keep.append(line)
        out.append("\n".join(keep).strip("\n"))
    return out


# --------------------------------------------------------------------------- layout


@dataclass(frozen=True)
class _W:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


def _lines(words: Iterable[_W]) -> list[list[_W]]:
    """Group words into lines by vertical position (top within half a line height)."""
    ordered = sorted(words, key=lambda w: (w.top, w.x0))
    if not ordered:
        return []
    heights = [w.bottom - w.top for w in ordered if w.bottom > w.top]
    tol = max(1.5, 0.45 * statistics.median(heights)) if heights else 3.0
    lines: list[list[_W]] = []
    for w in ordered:
        if lines and abs(w.top - lines[-1][0].top) <= tol:
            lines[-1].append(w)
        else:
            lines.append([w])
    return [sorted(line, key=lambda w: w.x0) for line in lines]


def _line_text(line: Sequence[_W]) -> str:
    return " ".join(w.text for w in line)


@dataclass
class _Band:
    x: float
    top: float
    bottom: float
    left: list[_W] = field(default_factory=list)
    right: list[_W] = field(default_factory=list)


def _fill(lines: list[list[_W]], edge: float, width: float, *, right_edge: bool) -> float:
    """Share of lines that reach the column edge (text columns do, label columns don't)."""
    if not lines:
        return 0.0
    slack = 0.3 * width
    if right_edge:
        hits = sum(1 for ln in lines if max(w.x1 for w in ln) >= edge - slack)
    else:
        hits = sum(1 for ln in lines if min(w.x0 for w in ln) <= edge + slack)
    return hits / len(lines)


def _count_lines(words: Sequence[_W], tol: float) -> int:
    """Cheap line count: distinct word tops more than ``tol`` apart."""
    tops = sorted(w.top for w in words)
    count, last = 0, -1e9
    for top in tops:
        if top - last > tol:
            count += 1
            last = top
    return count


def _free_bands(
    by_cy: list[_W], cys: list[float], crossing: list[tuple[float, float]], gap: float
) -> list[list[_W]]:
    """Word groups between crossing intervals, split again at full-width empty gaps.

    A left-aligned footer or a heading far below the columns must not join a column.
    """
    crossing.sort()
    bands: list[tuple[float, float]] = []
    cursor = -1e9
    for top, bottom in crossing:
        if top > cursor:
            bands.append((cursor, top))
        cursor = max(cursor, bottom)
    bands.append((cursor, 1e9))
    groups: list[list[_W]] = []
    for top, bottom in bands:
        inside = by_cy[bisect.bisect_left(cys, top) : bisect.bisect_right(cys, bottom)]
        if not inside:
            continue
        current = [inside[0]]
        reach = inside[0].bottom
        for w in inside[1:]:
            if w.top - reach > gap:
                groups.append(current)
                current = []
            current.append(w)
            reach = max(reach, w.bottom)
        groups.append(current)
    return groups


def _find_band(words: list[_W], blocked: list[tuple[float, float, float, float]]) -> _Band | None:
    """Best two-column band: a vertical gutter no word crosses, text on both sides."""
    if len(words) < 12:
        return None
    xmin = min(w.x0 for w in words)
    xmax = max(w.x1 for w in words)
    width = xmax - xmin
    if width < 200:
        return None
    heights = [w.bottom - w.top for w in words if w.bottom > w.top]
    med_h = statistics.median(heights) if heights else 10.0
    tol = max(1.5, 0.45 * med_h)
    gap = max(36.0, 4 * med_h)
    by_cy = sorted(words, key=lambda w: w.cy)
    cys = [w.cy for w in by_cy]
    best: tuple[int, float, list[_W]] | None = None
    x = xmin + 0.3 * width
    while x <= xmin + 0.7 * width:
        crossing = [(w.top, w.bottom) for w in words if w.x0 - 2 < x < w.x1 + 2]
        crossing += [(b[1], b[3]) for b in blocked if b[0] - 2 < x < b[2] + 2]
        for group in _free_bands(by_cy, cys, crossing, gap):
            if len(group) < 6:
                continue
            left = [w for w in group if w.x1 <= x]
            right = [w for w in group if w.x0 >= x]
            score = min(_count_lines(left, tol), _count_lines(right, tol))
            if score >= 3 and (best is None or score > best[0]):
                best = (score, x, group)
        x += 3.0
    if best is None:
        return None
    _score, x, group = best
    band = _Band(
        x=x,
        top=min(w.top for w in group),
        bottom=max(w.bottom for w in group),
        left=[w for w in group if w.x1 <= x],
        right=[w for w in group if w.x0 >= x],
    )
    gutter_left = max(w.x1 for w in band.left)
    gutter_right = min(w.x0 for w in band.right)
    if gutter_right - gutter_left < 7.0:
        return None
    left_lines, right_lines = _lines(band.left), _lines(band.right)
    left_width = gutter_left - min(w.x0 for w in band.left)
    right_width = max(w.x1 for w in band.right) - gutter_right
    if min(left_width, right_width) < 0.25 * width:
        return None
    if _fill(left_lines, gutter_left, left_width, right_edge=True) < 0.5:
        return None
    if _fill(right_lines, gutter_right, right_width, right_edge=False) < 0.5:
        return None
    return band


def _reading_order(words: list[_W], blocked: list[tuple[float, float, float, float]]) -> list[str]:
    """Lines in reading order: column bands left-then-right, everything else in place."""
    band = _find_band(words, blocked)
    if band is None:
        return [_line_text(ln) for ln in _lines(words)]
    in_band = {id(w) for w in band.left} | {id(w) for w in band.right}
    rest = [w for w in words if id(w) not in in_band]
    above = [w for w in rest if w.cy < band.top]
    below = [w for w in rest if w.cy >= band.top]
    out = _reading_order(above, blocked)
    out += [_line_text(ln) for ln in _lines(band.left)]
    out += [_line_text(ln) for ln in _lines(band.right)]
    out += _reading_order(below, blocked)
    return out


def _split_margins(words: list[_W], height: float) -> tuple[list[_W], list[_W], list[_W]]:
    """Header block (top 12 %), body, footer block (bottom 15 %), each cut at a clear gap.

    Running headers/footers are laid out across the page; without this a left-aligned
    footer would be read as the last line of the left column.
    """
    if not words or height <= 0:
        return [], words, []
    heights = [w.bottom - w.top for w in words if w.bottom > w.top]
    min_gap = max(12.0, 1.2 * statistics.median(heights)) if heights else 12.0
    ordered = sorted(words, key=lambda w: w.top)
    cuts: list[float] = []  # y positions with an empty full-width gap of min_gap
    reach = ordered[0].bottom
    for w in ordered[1:]:
        if w.top - reach >= min_gap:
            cuts.append((reach + w.top) / 2)
        reach = max(reach, w.bottom)
    head_cut = max((c for c in cuts if c <= 0.12 * height), default=None)
    foot_cut = min((c for c in cuts if c >= 0.85 * height), default=None)
    header = [w for w in words if head_cut is not None and w.cy < head_cut]
    footer = [w for w in words if foot_cut is not None and w.cy > foot_cut]
    edge = {id(w) for w in header} | {id(w) for w in footer}
    return header, [w for w in words if id(w) not in edge], footer


def _cell(value: Any) -> str | None:
    if value is None:
        return None
    text = fix_text(str(value)).strip()
    return text or None


def _has_duplicate_glyphs(page: Any) -> bool:
    """Fake bold paints every glyph twice; only then pay for ``dedupe_chars``."""
    chars = page.chars
    if len(chars) < 20:
        return False
    seen = Counter((c["text"], round(c["x0"]), round(c["top"])) for c in chars)
    duplicates = sum(n - 1 for n in seen.values() if n > 1)
    return duplicates > 0.1 * len(chars)


def _table_rows_as_words(found: Any, rows: list[list[str | None]]) -> list[_W]:
    """One full-width pseudo word per table row: cells stay together, tab-separated.

    Multi-line cells ("Dezember 2021 bis / November 2023") would otherwise interleave
    with the neighbouring cells, and the row spans the table so no column gutter is
    seen inside a key-data table.
    """
    out: list[_W] = []
    x0, _top, x1, _bottom = (float(v) for v in found.bbox)
    for row, cells in zip(found.rows, rows, strict=False):
        text = "\t".join(c.replace("\n", " ") for c in cells if c)
        if not text:
            continue
        _rx0, rtop, _rx1, rbottom = (float(v) for v in row.bbox)
        out.append(_W(text=text, x0=x0, x1=x1, top=rtop, bottom=min(rbottom, rtop + 12)))
    return out


def _page_raw(page: Any) -> tuple[str, list[Word], list[Table], int]:
    """Text in reading order (not yet header-cleaned), words, tables, text char count."""
    if _has_duplicate_glyphs(page):
        with contextlib.suppress(Exception):
            page = page.dedupe_chars()
    raw_words = page.extract_words(x_tolerance=2, y_tolerance=3)
    words = [
        _W(
            text=_expand_ligatures(w["text"]),
            x0=float(w["x0"]),
            x1=float(w["x1"]),
            top=float(w["top"]),
            bottom=float(w["bottom"]),
        )
        for w in raw_words
    ]
    tables: list[Table] = []
    layout_words = list(words)
    try:
        for found in page.find_tables():
            bbox = tuple(float(v) for v in found.bbox)
            rows = [[_cell(c) for c in row] for row in found.extract()]
            tables.append(Table(rows=rows, bbox=bbox))  # type: ignore[arg-type]
            if len(rows) < 2 or max(len(r) for r in rows) < 2:
                continue  # a frame around text, not a table
            x0, top, x1, bottom = bbox
            layout_words = [
                w for w in layout_words if not (x0 <= w.cx <= x1 and top <= w.cy <= bottom)
            ]
            layout_words += _table_rows_as_words(found, rows)
    except Exception:  # table finding is an extra; fall back to plain words
        layout_words = list(words)
    header, body, footer = _split_margins(layout_words, float(page.height))
    lines = [_line_text(ln) for ln in _lines(header)]
    lines += _reading_order(body, [])
    lines += [_line_text(ln) for ln in _lines(footer)]
    text = "\n".join(lines)
    chars = sum(1 for ch in text if ch.isalnum())
    out_words = [Word(text=w.text, x0=w.x0, top=w.top, x1=w.x1, bottom=w.bottom) for w in words]
    return text, out_words, tables, chars


def _image_covered(page: Any) -> bool:
    """Is ≥ 60 % of the page area covered by one image (a scan or a photo)?"""
    area = float(page.width) * float(page.height)
    if area <= 0:
        return False
    try:
        images = page.images
    except Exception:
        return False
    px0, ptop, px1, pbottom = (float(v) for v in page.bbox)
    for im in images:  # only the visible part counts (clip to the page box)
        w = max(0.0, min(float(im["x1"]), px1) - max(float(im["x0"]), px0))
        h = max(0.0, min(float(im["bottom"]), pbottom) - max(float(im["top"]), ptop))
        if w * h >= 0.6 * area:
            return True
    return False


def parse_pdf_inprocess(data: bytes, *, max_pages: int = 40) -> ParsedDocument:
    """Parse PDF bytes in this process (no limits): used inside the sandboxed worker."""
    sha = hashlib.sha256(data).hexdigest()
    raw: list[tuple[Any, str, list[Word], list[Table]]] = []
    metadata: dict[str, str] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            count = len(pdf.pages)
            for key, value in (pdf.metadata or {}).items():
                if isinstance(value, str | int | float) and len(str(value)) < 500:
                    metadata[str(key)] = str(value)
            image_pages = 0
            for p in pdf.pages[:max_pages]:
                text, words, tables, _chars = _page_raw(p)
                image_pages += _image_covered(p)
                raw.append((p, text, words, tables))
                p.close()  # free the page's layout cache before the next one
            metadata[IMAGE_PAGES_KEY] = str(image_pages)
    cleaned = clean_page_texts([fix_text(text) for _p, text, _w, _t in raw])
    pages = [
        Page(
            number=i,
            width=float(p.width),
            height=float(p.height),
            text=text,
            words=words,
            tables=tables,
        )
        for i, ((p, _t, words, tables), text) in enumerate(zip(raw, cleaned, strict=True), 1)
    ]
    return ParsedDocument(
        sha256=sha,
        parser_version=PARSER_VERSION,
        pages=pages,
        page_count=count,
        truncated=count > max_pages,
        metadata=metadata,
    )


# --------------------------------------------------------------------------- sandbox


@dataclass(frozen=True)
class ParseLimits:
    """Limits of one parse; a 300-page annex is cut to ``max_pages``, not rejected."""

    timeout_s: float = 60.0
    max_memory_mb: int = 1500
    max_pages: int = 30


@dataclass(frozen=True)
class ParseOutcome:
    """``document`` is set iff ``outcome`` is None (a usable parse); otherwise ``outcome`` is
    a DOMAIN.md outcome name (``corrupt``, ``oversized``, ``no_text_layer``) and ``reason``
    the German explanation for staff."""

    document: ParsedDocument | None
    outcome: str | None
    reason: str
    seconds: float = 0.0
    detail: dict[str, Any] = field(default_factory=dict)


def _text_chars(doc: ParsedDocument) -> int:
    return sum(1 for p in doc.pages for ch in p.text if ch.isalnum())


def _worker_main(read_fd: int, write_fd: int, max_memory_mb: int) -> None:
    """Child loop: receive PDF bytes, send back a dict result. Runs under RLIMIT_AS.

    Started as ``python -c`` (not multiprocessing) so that the parent's ``__main__`` is
    never re-imported: the pipeline may be a Prefect flow, a CLI or a test runner.
    """
    import logging

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    conn_in = Connection(read_fd, writable=False)
    conn_out = Connection(write_fd, readable=False)
    try:
        import resource

        limit = max_memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):  # pragma: no cover - non-Linux
        pass
    conn_out.send({"ready": os.getpid()})
    while True:
        try:
            task = conn_in.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        data, max_pages = task
        try:
            doc = parse_pdf_inprocess(data, max_pages=max_pages)
            reply: dict[str, Any] = {"ok": True, "doc": doc.model_dump(mode="json")}
        except MemoryError:
            reply = {"ok": False, "kind": "memory", "error": "MemoryError"}
        except RecursionError as exc:
            reply = {"ok": False, "kind": "corrupt", "error": f"RecursionError: {exc}"[:300]}
        except Exception as exc:
            reply = {"ok": False, "kind": "corrupt", "error": f"{type(exc).__name__}: {exc}"[:300]}
        del data
        try:
            conn_out.send(reply)
        except MemoryError:
            conn_out.send({"ok": False, "kind": "memory", "error": "MemoryError while sending"})


class WorkerStartError(RuntimeError):
    """The sandbox worker could not start: an installation problem, not a document's."""


_REASON_TIMEOUT = (
    "Das Auslesen der PDF-Datei hat das Zeitlimit von {limit:.0f} Sekunden überschritten "
    "(ungewöhnlich aufwendiger oder fehlerhafter Aufbau). Bitte den Antragsteller um eine "
    "einfacher erzeugte PDF-Fassung bitten."
)
_REASON_MEMORY = (
    "Das Auslesen der PDF-Datei hätte mehr als {limit} MB Arbeitsspeicher benötigt und wurde "
    "abgebrochen. Bitte den Antragsteller um eine kleinere oder einfacher erzeugte Fassung bitten."
)
_REASON_CORRUPT = (
    "Die PDF-Datei ist beschädigt und konnte nicht ausgelesen werden ({error}). "
    "Bitte den Antragsteller um erneute Zusendung bitten."
)
_REASON_NO_TEXT = (
    "Die PDF-Datei enthält keinen auslesbaren Text (vermutlich ein Scan oder Foto, {pages} "
    "Seite(n)). Bitte den Antragsteller um die Skizze als PDF mit Textebene bitten "
    "(z. B. direkt aus Word/LibreOffice exportiert) oder die Angaben manuell erfassen."
)


class PdfParser:
    """A warm sandboxed worker: ``parse(data)`` per document, one worker process reused.

    Not for concurrent use from several threads without the internal lock (it has one);
    use several ``PdfParser`` instances for parallelism.
    """

    def __init__(self, limits: ParseLimits, *, max_tasks_per_child: int = 50) -> None:
        self.limits = limits
        self.max_tasks_per_child = max_tasks_per_child
        self.startup_timeout_s = 60.0
        self._proc: subprocess.Popen[bytes] | None = None
        self._send: Connection | None = None
        self._recv: Connection | None = None
        self._tasks = 0
        self._lock = threading.Lock()

    def __enter__(self) -> PdfParser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start(self) -> None:
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        code = (
            "import sys; from skizzen.parsing import _worker_main; "
            f"_worker_main({to_child_r}, {from_child_w}, {int(self.limits.max_memory_mb)})"
        )
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
        try:
            proc = subprocess.Popen(
                [sys.executable, "-c", code],
                pass_fds=(to_child_r, from_child_w),
                stdin=subprocess.DEVNULL,
                env=env,
                close_fds=True,
            )
        finally:
            os.close(to_child_r)
            os.close(from_child_w)
        self._proc = proc
        self._send = Connection(to_child_w, readable=False)
        self._recv = Connection(from_child_r, writable=False)
        self._tasks = 0
        try:
            ready = self._recv.poll(self.startup_timeout_s) and self._recv.recv()
        except (EOFError, OSError):
            ready = None
        if not ready:
            self._kill()
            raise WorkerStartError(
                "PDF worker process did not start (see its stderr); check the installation"
            )

    def _alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def _kill(self) -> None:
        proc = self._proc
        for conn in (self._send, self._recv):
            if conn is not None:
                with contextlib.suppress(OSError):
                    conn.close()
        self._proc = self._send = self._recv = None
        if proc is not None:
            if proc.poll() is None:
                proc.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=5)

    def close(self) -> None:
        """Stop the worker politely (then forcibly)."""
        with self._lock:
            if self._send is not None and self._alive():
                with contextlib.suppress(OSError, ValueError):
                    self._send.send(None)
                if self._proc is not None:
                    with contextlib.suppress(subprocess.TimeoutExpired):
                        self._proc.wait(timeout=2)
            self._kill()

    def parse(self, data: bytes) -> ParseOutcome:
        """Parse one PDF under the limits; never raises for bad input."""
        with self._lock:
            start = time.monotonic()
            result = self._parse_locked(data)
            return ParseOutcome(
                document=result.document,
                outcome=result.outcome,
                reason=result.reason,
                seconds=round(time.monotonic() - start, 3),
                detail=result.detail,
            )

    def _parse_locked(self, data: bytes) -> ParseOutcome:
        limits = self.limits
        if not self._alive():
            self._kill()
            self._start()
        assert self._send is not None and self._recv is not None
        try:
            self._send.send((data, limits.max_pages))
            ready = self._recv.poll(limits.timeout_s)
            reply = self._recv.recv() if ready else None
        except (EOFError, OSError):
            ready, reply = True, None
        if not ready:
            self._kill()
            return ParseOutcome(
                None,
                "oversized",
                _REASON_TIMEOUT.format(limit=limits.timeout_s),
                detail={"error": "timeout", "timeout_s": limits.timeout_s},
            )
        if reply is None:  # the child died: OOM kill, segfault in a C extension, ...
            exitcode = None
            if self._proc is not None:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    exitcode = self._proc.wait(timeout=5)
            self._kill()
            if exitcode in (-9, 137):
                return ParseOutcome(
                    None,
                    "oversized",
                    _REASON_MEMORY.format(limit=limits.max_memory_mb),
                    detail={"error": "killed", "exitcode": exitcode},
                )
            return ParseOutcome(
                None,
                "corrupt",
                _REASON_CORRUPT.format(error=f"Parser abgestürzt, Code {exitcode}"),
                detail={"error": "crash", "exitcode": exitcode},
            )
        self._tasks += 1
        if not reply["ok"] or self._tasks >= self.max_tasks_per_child:
            self._kill()  # fresh worker after a failure or after N tasks (leaks, rlimit)
        if not reply["ok"]:
            if reply["kind"] == "memory":
                return ParseOutcome(
                    None,
                    "oversized",
                    _REASON_MEMORY.format(limit=limits.max_memory_mb),
                    detail={"error": reply["error"]},
                )
            return ParseOutcome(
                None,
                "corrupt",
                _REASON_CORRUPT.format(error=reply["error"][:120]),
                detail={"error": reply["error"]},
            )
        doc = ParsedDocument.model_validate(reply["doc"])
        return judge_document(doc)


def judge_document(doc: ParsedDocument) -> ParseOutcome:
    """Outcome of a successful parse: ``no_text_layer`` or usable (also for cache hits)."""
    chars = _text_chars(doc)
    detail = {"pages": doc.page_count, "parsed_pages": len(doc.pages), "text_chars": chars}
    if doc.page_count == 0 or not doc.pages:
        return ParseOutcome(
            None,
            "corrupt",
            _REASON_CORRUPT.format(error="keine lesbaren Seiten"),
            detail=detail,
        )
    try:
        image_pages = int(doc.metadata.get(IMAGE_PAGES_KEY, "0"))
    except ValueError:
        image_pages = 0
    detail["image_pages"] = image_pages
    parsed = len(doc.pages)
    scanned = image_pages * 2 >= parsed and chars < _MIN_CHARS_PER_SCANNED_PAGE * parsed
    if chars == 0 or scanned:
        return ParseOutcome(
            None, "no_text_layer", _REASON_NO_TEXT.format(pages=doc.page_count), detail=detail
        )
    reason = "PDF ausgelesen."
    if doc.truncated:
        reason = (
            f"PDF ausgelesen; nur die ersten {len(doc.pages)} von {doc.page_count} Seiten "
            "wurden ausgewertet (umfangreiche Anlagen)."
        )
    return ParseOutcome(doc, None, reason, detail=detail)


_WORKERS: dict[ParseLimits, PdfParser] = {}
_WORKERS_LOCK = threading.Lock()


def parse_pdf(data: bytes, *, limits: ParseLimits) -> ParseOutcome:
    """Parse one PDF in a sandboxed child process (a warm worker shared per ``limits``)."""
    with _WORKERS_LOCK:
        parser = _WORKERS.get(limits)
        if parser is None:
            parser = _WORKERS[limits] = PdfParser(limits)
    return parser.parse(data)


def shutdown_workers() -> None:
    """Stop the shared workers of ``parse_pdf`` (also registered with ``atexit``)."""
    with _WORKERS_LOCK:
        parsers = list(_WORKERS.values())
        _WORKERS.clear()
    for parser in parsers:
        parser.close()


atexit.register(shutdown_workers)


# --------------------------------------------------------------------------- cache


class ParseCache:
    """Gzip JSON per (sha256, parser_version); a broken file counts as a miss."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _path(self, sha256: str, parser_version: str) -> Path:
        if not re.fullmatch(r"[0-9a-f]{64}", sha256):
            raise ValueError(f"not a sha256 hex digest: {sha256!r}")
        safe_version = re.sub(r"[^A-Za-z0-9._-]", "_", parser_version)
        return self.root / sha256[:2] / f"{sha256}.{safe_version}.json.gz"

    def get(self, sha256: str, parser_version: str) -> ParsedDocument | None:
        path = self._path(sha256, parser_version)
        try:
            with gzip.open(path, "rt", encoding="utf-8") as fh:
                doc = ParsedDocument.model_validate(json.load(fh))
        except FileNotFoundError:
            return None
        except Exception:  # truncated gzip, bad JSON, old schema: re-parse
            return None
        if doc.sha256 != sha256 or doc.parser_version != parser_version:
            return None
        return doc

    def put(self, doc: ParsedDocument) -> Path:
        path = self._path(doc.sha256, doc.parser_version)
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = gzip.compress(doc.model_dump_json().encode("utf-8"), mtime=0)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(payload)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return path
