"""PDF → ``ParsedDocument``: words with style, shapes and form fields per page; run in a sandbox.

Two layers:

* ``parse_pdf_inprocess`` reads the PDF with PDFium (``skizzen.documents.pdfread``: characters with
  boxes, font size, weight and colour; vector paths; form widgets), falls back to
  pdfplumber when PDFium cannot open a damaged file, and computes each page's
  reading-order text with the document model (``extractors.document``), so that every
  consumer of ``Page.text`` sees columns, sidebars and boxes resolved.
* ``parse_pdf`` / ``PdfParser`` run that in a *spawned child process* with a wall-clock
  timeout (the child is killed) and an address-space limit (``RLIMIT_AS``), because a
  hostile PDF can make a parser loop or allocate without bound. The child is kept warm
  between documents (restarted after ``max_tasks_per_child`` or after any failure), so a
  batch pays the interpreter start-up once, not per document.

``no_text_layer`` is decided here, from the real parse (see ``skizzen.intake.triage``).
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import gzip
import hashlib
import io
import os
import queue
import re
import threading
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from extractors.document import parse_time_pages
from extractors.types import Page, ParsedDocument, Word
from skizzen.documents.sandbox import ChildProcess, WorkerStartError, serve, vm_peak_mb
from skizzen.settings import Options, RuntimeConfig

_DEFAULTS = Options.model_fields

__all__ = [
    "PARSER_VERSION",
    "ParseCache",
    "ParseLimits",
    "ParseOutcome",
    "PdfParser",
    "WorkerStartError",
    "judge_document",
    "parse_pdf",
    "parse_pdf_inprocess",
    "shutdown_workers",
]

PARSER_VERSION = "pdfium-2"
"""Bump when the parsed output changes: the parse cache and reruns key on it."""

_MIN_CHARS_PER_SCANNED_PAGE = 20
"""A page mostly covered by an image with fewer letters/digits than this counts as a scan."""
IMAGE_PAGES_KEY = "x-skizzen-image-pages"
"""``ParsedDocument.metadata`` key: parsed pages that are ≥ 60 % covered by one image."""


def _dedupe_words(words: list[Word]) -> list[Word]:
    """Fake bold paints every word twice, offset by a fraction of a point: keep one."""
    out: list[Word] = []
    seen: dict[str, list[Word]] = {}
    for w in words:
        twins = seen.setdefault(w.text, [])
        if any(abs(t.x0 - w.x0) < 1.0 and abs(t.top - w.top) < 1.0 for t in twins):
            continue
        twins.append(w)
        out.append(w)
    return out


def _read_with_pdfplumber(data: bytes, max_pages: int) -> tuple[list[Page], int, dict[str, str]]:
    """Fallback reader for files PDFium refuses: words only, no style, shapes or fields."""
    import pdfplumber

    pages: list[Page] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            count = len(pdf.pages)
            metadata = {
                str(k): str(v)
                for k, v in (pdf.metadata or {}).items()
                if isinstance(v, str | int | float)
                and len(str(v)) < (4000 if k == "Keywords" else 500)  # as pdfread
            }
            for i, p in enumerate(pdf.pages[:max_pages], 1):
                words = [
                    Word(
                        text=w["text"],
                        x0=round(float(w["x0"]), 2),
                        top=round(float(w["top"]), 2),
                        x1=round(float(w["x1"]), 2),
                        bottom=round(float(w["bottom"]), 2),
                        size=round(float(w.get("size") or 0.0), 2),
                    )
                    for w in p.extract_words(x_tolerance=1.5, y_tolerance=3, extra_attrs=["size"])
                ]
                area = float(p.width) * float(p.height)
                share = (
                    max(
                        (float(im["width"]) * float(im["height"]) / area for im in p.images),
                        default=0.0,
                    )
                    if area > 0
                    else 0.0
                )
                pages.append(
                    Page(
                        number=i,
                        width=float(p.width),
                        height=float(p.height),
                        text="",
                        words=words,
                        image_share=round(min(1.0, share), 3),
                    )
                )
                p.close()
    return pages, count, metadata


def parse_pdf_inprocess(data: bytes, *, max_pages: int = 40) -> ParsedDocument:
    """Parse PDF bytes in this process (no limits): used inside the sandboxed worker."""
    from skizzen.documents.pdfread import read_pdf

    sha = hashlib.sha256(data).hexdigest()
    reader = "pdfium"
    try:
        raw, count, metadata = read_pdf(data, max_pages=max_pages)
        pages = [
            Page(
                number=r.number,
                width=r.width,
                height=r.height,
                text="",
                words=_dedupe_words(r.words),
                shapes=r.shapes,
                fields=r.fields,
                image_share=r.image_share,
                glyphs=r.glyphs,
            )
            for r in raw
        ]
    except Exception:  # PDFium refused the file: pdfplumber (pdfminer) is more forgiving
        pages, count, metadata = _read_with_pdfplumber(data, max_pages)
        reader = "pdfplumber"
    if reader == "pdfium" and pages and not any(p.words for p in pages):
        # no text at all: PDFium may have given up on a malformed content stream
        with contextlib.suppress(Exception):
            fallback, count2, meta2 = _read_with_pdfplumber(data, max_pages)
            if any(p.words for p in fallback):
                pages, count, metadata, reader = fallback, count2, meta2, "pdfplumber"
    metadata["x-skizzen-reader"] = reader
    metadata[IMAGE_PAGES_KEY] = str(sum(p.image_share >= 0.6 for p in pages))
    doc = ParsedDocument(
        sha256=sha,
        parser_version=PARSER_VERSION,
        pages=pages,
        page_count=count,
        truncated=count > max_pages,
        metadata=metadata,
    )
    return doc.model_copy(update={"pages": parse_time_pages(doc)})


# --------------------------------------------------------------------------- sandbox


@dataclass(frozen=True)
class ParseLimits:
    """Limits of one parse; a 300-page annex is cut to ``max_pages``, not rejected. The
    defaults are the settings' (``skizzen.settings``)."""

    timeout_s: float = _DEFAULTS["parse_timeout_s"].default
    max_memory_mb: int = _DEFAULTS["parse_max_memory_mb"].default
    max_pages: int = _DEFAULTS["parse_max_pages"].default

    @classmethod
    def from_config(cls, config: RuntimeConfig) -> ParseLimits:
        return cls(
            timeout_s=config.parse_timeout_s,
            max_memory_mb=config.parse_max_memory_mb,
            max_pages=config.parse_max_pages,
        )


@dataclass(frozen=True)
class ParseOutcome:
    """``payload`` (the parse as the cache stores it, see ``encode_document``) is set iff
    ``outcome`` is None (a usable parse); otherwise ``outcome`` is a DOMAIN.md outcome name
    (``corrupt``, ``oversized``, ``no_text_layer``) and ``reason`` the German explanation
    for staff. ``document`` decodes the payload on first use: the pipeline hands the
    payload to an extraction worker and never needs the document itself."""

    payload: bytes | None
    outcome: str | None
    reason: str
    seconds: float = 0.0
    detail: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def document(self) -> ParsedDocument | None:
        return decode_document(self.payload) if self.payload is not None else None


def encode_document(doc: ParsedDocument) -> bytes:
    """A parse as stored in the cache and sent between processes: gzip JSON, defaults left
    out (a word's origin, field, weight and colour are mostly the defaults, and a third
    less JSON is a third less to read back)."""
    return gzip.compress(doc.model_dump_json(exclude_defaults=True).encode("utf-8"), mtime=0)


def decode_document(payload: bytes) -> ParsedDocument:
    """The inverse of ``encode_document`` (raises on a broken payload)."""
    with gc_paused():
        return ParsedDocument.model_validate_json(gzip.decompress(payload))


def _text_chars(doc: ParsedDocument) -> int:
    return sum(1 for p in doc.pages for ch in p.text if ch.isalnum())


def _worker_main(read_fd: int, write_fd: int, max_memory_mb: int) -> None:
    """Child loop: receive PDF bytes, answer with the judged, encoded parse. Runs under
    RLIMIT_AS; encoding and judging happen here too, so the parent does neither."""
    import logging

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        import resource

        limit = max_memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):  # pragma: no cover - non-Linux
        pass

    def handle(request: tuple[bytes, int]) -> dict[str, Any]:
        data, max_pages = request
        peak_before = vm_peak_mb(os.getpid())
        try:
            doc = parse_pdf_inprocess(data, max_pages=max_pages)
            judged = judge_document(doc)
            payload = encode_document(doc) if judged.outcome is None else None
            return {
                "ok": True,
                "payload": payload,
                "outcome": judged.outcome,
                "reason": judged.reason,
                "detail": judged.detail,
            }
        except MemoryError:
            return {"ok": False, "kind": "memory", "error": "MemoryError"}
        except RecursionError as exc:
            return {"ok": False, "kind": "corrupt", "error": f"RecursionError: {exc}"[:300]}
        except Exception as exc:
            # an allocation that failed inside PDFium surfaces as PDFium's own error: if this
            # document drove the process to the edge of its limit, it was too big, not broken
            peak = vm_peak_mb(os.getpid())
            near = peak > peak_before and peak >= 0.9 * max_memory_mb
            error = f"{type(exc).__name__}: {exc}"[:300]
            return {"ok": False, "kind": "memory" if near else "corrupt", "error": error}

    serve(read_fd, write_fd, handle)


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
    """A warm sandboxed worker: ``parse(data)`` per document, one worker process reused
    (restarted after ``max_tasks_per_child`` documents or after any failure).

    Requests from several threads queue on the worker; use several ``PdfParser``
    instances (``WorkerPool``) for parallelism.
    """

    def __init__(self, limits: ParseLimits, *, max_tasks_per_child: int = 50) -> None:
        self.limits = limits
        self.max_tasks_per_child = max_tasks_per_child
        self._child = ChildProcess(
            "skizzen.documents.parsing:_worker_main",
            (int(limits.max_memory_mb),),
            watch_memory=True,
        )

    @property
    def worker_pid(self) -> int | None:
        """The warm worker's process id, None while there is none."""
        return self._child.pid

    def __enter__(self) -> PdfParser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the worker politely (then forcibly)."""
        self._child.close()

    def parse(self, data: bytes) -> ParseOutcome:
        """Parse one PDF under the limits; never raises for bad input."""
        start = time.monotonic()
        result = self._parse(data)
        return ParseOutcome(
            payload=result.payload,
            outcome=result.outcome,
            reason=result.reason,
            seconds=round(time.monotonic() - start, 3),
            detail=result.detail,
        )

    def _parse(self, data: bytes) -> ParseOutcome:
        limits = self.limits
        answer = self._child.ask((data, limits.max_pages), timeout_s=limits.timeout_s)
        if answer.status == "timeout":
            return ParseOutcome(
                None,
                "oversized",
                _REASON_TIMEOUT.format(limit=limits.timeout_s),
                detail={"error": "timeout", "timeout_s": limits.timeout_s},
            )
        if answer.status == "died":
            # a native allocation failure aborts the child (SIGABRT): near the limit it is memory
            exitcode = answer.exitcode
            near_limit = answer.peak_mb >= 0.8 * limits.max_memory_mb
            if exitcode in (-9, 137) or (exitcode == -6 and near_limit):
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
        reply = answer.reply
        if not reply["ok"] or self._child.requests >= self.max_tasks_per_child:
            self._child.recycle()  # fresh worker after a failure or after N tasks (leaks, rlimit)
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
        return ParseOutcome(
            reply["payload"], reply["outcome"], reply["reason"], detail=reply["detail"]
        )


@dataclass(frozen=True)
class Judgement:
    """Whether a parse is usable: ``outcome`` None, or why not (German ``reason``)."""

    outcome: str | None
    reason: str
    detail: dict[str, Any]


def judge_document(doc: ParsedDocument) -> Judgement:
    """Outcome of a successful parse: ``no_text_layer``, ``corrupt`` or usable."""
    chars = _text_chars(doc)
    detail: dict[str, Any] = {
        "pages": doc.page_count,
        "parsed_pages": len(doc.pages),
        "text_chars": chars,
    }
    if doc.page_count == 0 or not doc.pages:
        return Judgement("corrupt", _REASON_CORRUPT.format(error="keine lesbaren Seiten"), detail)
    try:
        image_pages = int(doc.metadata.get(IMAGE_PAGES_KEY, "0"))
    except ValueError:
        image_pages = 0
    detail["image_pages"] = image_pages
    parsed = len(doc.pages)
    glyphs = sum(max(p.glyphs, len(p.text)) for p in doc.pages)
    scanned = image_pages * 2 >= parsed and chars < _MIN_CHARS_PER_SCANNED_PAGE * parsed
    if glyphs >= _MIN_CHARS_PER_SCANNED_PAGE * parsed:
        scanned = False  # text is drawn, only in a font without Unicode mapping: not a scan
    if chars == 0 and glyphs == 0 and image_pages == 0:
        return Judgement("corrupt", _REASON_CORRUPT.format(error="die Seiten sind leer"), detail)
    if (chars == 0 and glyphs < _MIN_CHARS_PER_SCANNED_PAGE) or scanned:
        return Judgement("no_text_layer", _REASON_NO_TEXT.format(pages=doc.page_count), detail)
    reason = "PDF ausgelesen."
    if doc.truncated:
        reason = (
            f"PDF ausgelesen; nur die ersten {len(doc.pages)} von {doc.page_count} Seiten "
            "wurden ausgewertet (umfangreiche Anlagen)."
        )
    return Judgement(None, reason, detail)


class WorkerPool:
    """Warm sandboxed workers for one set of limits, one handed out per parse.

    Batches of a flow run in threads; with one shared worker their parses queued behind
    each other on one core. A worker process starts on its first use, so an idle pool
    costs nothing.
    """

    def __init__(self, limits: ParseLimits, size: int) -> None:
        self.size = max(1, size)
        self._all = [PdfParser(limits) for _ in range(self.size)]
        self._free: queue.SimpleQueue[PdfParser] = queue.SimpleQueue()
        for parser in self._all:
            self._free.put(parser)

    def parse(self, data: bytes) -> ParseOutcome:
        parser = self._free.get()
        try:
            return parser.parse(data)
        finally:
            self._free.put(parser)

    def close(self) -> None:
        for parser in self._all:
            parser.close()


_WORKERS: dict[tuple[ParseLimits, int], WorkerPool] = {}
_WORKERS_LOCK = threading.Lock()


def parse_pdf(data: bytes, *, limits: ParseLimits, workers: int | None = None) -> ParseOutcome:
    """Parse one PDF in a sandboxed child process, taken from a pool of warm workers shared
    per ``limits`` (``workers`` of them, default the core count)."""
    size = workers or os.cpu_count() or 1
    with _WORKERS_LOCK:
        pool = _WORKERS.get((limits, size))
        if pool is None:
            pool = _WORKERS[(limits, size)] = WorkerPool(limits, size)
    return pool.parse(data)


def shutdown_workers() -> None:
    """Stop the shared workers of ``parse_pdf`` (also registered with ``atexit``)."""
    with _WORKERS_LOCK:
        pools = list(_WORKERS.values())
        _WORKERS.clear()
    for pool in pools:
        pool.close()


atexit.register(shutdown_workers)


# --------------------------------------------------------------------------- cache


_PAUSES = 0  # documents being read or extracted right now, over all threads
_PAUSE_LOCK = threading.Lock()
_RESUME = False  # whether the collector was on before the first of them


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while one document is read or extracted.

    Reading a cached parse builds tens of thousands of small objects and nothing else
    (a 300-page sketch: 0.6 s with the collector, 0.3 s without). The page model of a
    document is a web of cross-referenced objects that lives until the extraction ends;
    while it grows, CPython's collector re-scans it again and again (on a 300-page sketch
    about 15 % of the extraction time went to full collections that free nothing).

    Batches run in threads, so pauses overlap: they are counted, the collector comes back
    on when the last one ends, and each pause ends with a collection of the young
    generations, which hold what was made since (the finished document's cycles, not the
    long-lived models). Without it, overlapping pauses kept the collector off for good and
    a rerun of 1,000 sketches grew to 5.5 GB.
    """
    global _PAUSES, _RESUME
    with _PAUSE_LOCK:
        if _PAUSES == 0:
            _RESUME = gc.isenabled()
            gc.disable()
        _PAUSES += 1
        resume = _RESUME
    try:
        yield
    finally:
        with _PAUSE_LOCK:
            _PAUSES -= 1
            if _PAUSES == 0 and _RESUME:
                gc.enable()
        if resume:
            gc.collect(1)


class ParseCache:
    """Gzip JSON per (sha256, parser_version); a broken file counts as a miss."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _path(self, sha256: str, parser_version: str) -> Path:
        if not re.fullmatch(r"[0-9a-f]{64}", sha256):
            raise ValueError(f"not a sha256 hex digest: {sha256!r}")
        safe_version = re.sub(r"[^A-Za-z0-9._-]", "_", parser_version)
        return self.root / sha256[:2] / f"{sha256}.{safe_version}.json.gz"

    def get_payload(self, sha256: str, parser_version: str) -> bytes | None:
        """The stored parse as it is on disk (``encode_document``), unread; None if absent.
        Whoever decodes it checks it (``document_matches``)."""
        try:
            return self._path(sha256, parser_version).read_bytes()
        except FileNotFoundError:
            return None

    def get(self, sha256: str, parser_version: str) -> ParsedDocument | None:
        payload = self.get_payload(sha256, parser_version)
        if payload is None:
            return None
        try:
            doc = decode_document(payload)
        except Exception:  # truncated gzip, bad JSON, old schema: re-parse
            return None
        return doc if document_matches(doc, sha256, parser_version) else None

    def put(self, doc: ParsedDocument) -> Path:
        return self.put_payload(doc.sha256, doc.parser_version, encode_document(doc))

    def put_payload(self, sha256: str, parser_version: str, payload: bytes) -> Path:
        """Store an encoded parse atomically (a reader never sees half a file)."""
        from skizzen.intake.store import write_atomically

        path = self._path(sha256, parser_version)
        write_atomically(path, payload)
        return path

    def drop(self, sha256: str, parser_version: str) -> None:
        """Forget a stored parse found broken, so that it is parsed again."""
        self._path(sha256, parser_version).unlink(missing_ok=True)


def document_matches(doc: ParsedDocument, sha256: str, parser_version: str) -> bool:
    """A cached parse is used only for the file and the parser version it was made of."""
    return doc.sha256 == sha256 and doc.parser_version == parser_version
