"""Cheap structural triage of an attachment before the (expensive, isolated) PDF parse.

Decides by content, never by file name or declared MIME type: a PDF sent as
``application/octet-stream`` is a PDF, a ``.pdf`` that is really a Word file is not.
Only qpdf (via pikepdf) touches the bytes here: it is robust, fast and does not
interpret content streams; stream sizes are measured by inflating the raw Flate data
incrementally under a cap, so a decompression bomb is detected without allocating it.

``no_text_layer`` is deliberately *not* decided here: counting text needs a content
stream interpreter, which is exactly what must run in the sandboxed child process
(``skizzen.documents.parsing.parse_pdf`` reports it from the real parse). Outcome names are shared
with DOMAIN.md; reasons are German because staff read them.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Any

import pikepdf

from extractors.vocab import TRIAGE_OUTCOMES
from skizzen.settings import Options, RuntimeConfig

_DEFAULTS = Options.model_fields

__all__ = [
    "OUTCOMES",
    "TriageLimits",
    "TriageResult",
    "detect_format",
    "human_size",
    "triage",
]

OUTCOMES: tuple[str, ...] = TRIAGE_OUTCOMES

_MiB = 1024 * 1024
_INFLATE_CHUNK = 1 * _MiB


@dataclass(frozen=True)
class TriageLimits:
    """Limits for one attachment; the defaults are the settings' (``skizzen.settings``,
    10 MiB per attachment as DOMAIN.md says)."""

    max_bytes: int = _DEFAULTS["max_attachment_bytes"].default
    max_decompressed_bytes: int = _DEFAULTS["max_decompressed_bytes"].default
    max_pages: int = _DEFAULTS["max_pdf_pages"].default

    @classmethod
    def from_config(cls, config: RuntimeConfig) -> TriageLimits:
        return cls(
            max_bytes=config.max_attachment_bytes,
            max_decompressed_bytes=config.max_decompressed_bytes,
            max_pages=config.max_pdf_pages,
        )


@dataclass(frozen=True)
class TriageResult:
    """``outcome`` None means: a readable PDF, go on and parse it."""

    outcome: str | None
    reason: str
    detail: dict[str, Any] = field(default_factory=dict)


# (magic prefix, format label) for formats recognised by their first bytes.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole2"),
    (b"{\\rtf", "RTF-Dokument"),
    (b"\x89PNG\r\n\x1a\n", "PNG-Bild"),
    (b"\xff\xd8\xff", "JPEG-Bild"),
    (b"GIF87a", "GIF-Bild"),
    (b"GIF89a", "GIF-Bild"),
    (b"II*\x00", "TIFF-Bild"),
    (b"MM\x00*", "TIFF-Bild"),
    (b"Rar!\x1a\x07", "RAR-Archiv"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip-Archiv"),
    (b"\x1f\x8b", "gzip-Archiv"),
)

_ODF_TYPES: dict[str, str] = {
    "application/vnd.oasis.opendocument.text": "OpenDocument-Text (.odt)",
    "application/vnd.oasis.opendocument.spreadsheet": "OpenDocument-Tabelle (.ods)",
    "application/vnd.oasis.opendocument.presentation": "OpenDocument-Präsentation (.odp)",
}


_SIGNATURE_TYPES = {
    "application/pkcs7-signature": "S/MIME",
    "application/x-pkcs7-signature": "S/MIME",
    "application/pgp-signature": "OpenPGP",
}


def _signature_kind(data: bytes, *, filename: str, content_type: str) -> str:
    """'S/MIME' or 'OpenPGP' for the signature part of a signed mail, else ''."""
    if content_type in _SIGNATURE_TYPES:
        return _SIGNATURE_TYPES[content_type]
    name = filename.lower()
    if name.endswith(".p7s"):
        return "S/MIME"
    if name.endswith((".sig", ".asc")) and data.lstrip().startswith(b"-----BEGIN PGP SIGNATURE"):
        return "OpenPGP"
    return ""


def human_size(n: int) -> str:
    """German size string for staff: '11,1 MB', '532 KB', '17 Bytes'."""
    if n >= _MiB:
        return f"{n / _MiB:.1f} MB".replace(".", ",")
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} Bytes"


def _zip_format(data: bytes) -> str:
    """Tell Office Open XML / OpenDocument / plain ZIP apart by their member names."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            if "mimetype" in names:
                mimetype = zf.read("mimetype")[:200].decode("ascii", "replace").strip()
                if mimetype in _ODF_TYPES:
                    return _ODF_TYPES[mimetype]
            if any(n.startswith("word/") for n in names):
                return "Word-Dokument (.docx)"
            if any(n.startswith("xl/") for n in names):
                return "Excel-Tabelle (.xlsx)"
            if any(n.startswith("ppt/") for n in names):
                return "PowerPoint-Präsentation (.pptx)"
            pdfs = sorted(n for n in names if n.lower().endswith(".pdf"))
            if pdfs:
                return f"ZIP-Archiv (enthält {', '.join(pdfs[:3])})"
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError):
        return "ZIP-Archiv (beschädigt)"
    return "ZIP-Archiv"


def detect_format(data: bytes) -> str:
    """'pdf' or a German label of the format (for the staff reason); '' if unknown."""
    head = data[:1024]
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _zip_format(data)
    for magic, label in _MAGIC:
        if data.startswith(magic):
            if label == "ole2":
                return "altes Office-Dokument (.doc/.xls)"
            return label
    if b"%PDF-" in head:  # readers accept junk before the header (mail gateways add some)
        return "pdf"
    stripped = head.lstrip().lower()
    if stripped.startswith((b"<!doctype html", b"<html")):
        return "HTML-Datei"
    return ""


def _first_filter(stream: pikepdf.Stream) -> str | None:
    filt = stream.get("/Filter")
    if filt is None:
        return None
    if isinstance(filt, pikepdf.Array):
        if len(filt) == 0:
            return None
        filt = filt[0]
    return str(filt)


def _inflated_size(raw: bytes, budget: int) -> int:
    """Bytes that ``raw`` inflates to, stopping as soon as ``budget`` is exceeded.

    Memory stays at about one chunk; a corrupt tail simply ends the count (lenient
    decoders recover text from such streams, see pdfminer's zen_of_python_corrupted).
    """
    inflater = zlib.decompressobj()
    total = 0
    pending = raw
    try:
        while pending:
            out = inflater.decompress(pending, _INFLATE_CHUNK)
            total += len(out)
            if total > budget:
                return total
            pending = inflater.unconsumed_tail
            if not out and not pending:
                break
            if inflater.eof:
                break
    except zlib.error:
        pass
    return total


def _decompressed_total(pdf: pikepdf.Pdf, cap: int) -> tuple[int, bool]:
    """Sum of stream sizes after Flate decoding (raw size for other filters); stops at cap."""
    total = 0
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Stream):
            continue
        try:
            raw = obj.read_raw_bytes()
        except Exception:  # unreadable stream: the parser will judge the page
            continue
        if _first_filter(obj) in ("/FlateDecode", "/Fl"):
            total += _inflated_size(raw, cap - total)
        else:
            total += len(raw)
        if total > cap:
            return total, True
    return total, False


def _result(outcome: str | None, reason: str, **detail: Any) -> TriageResult:
    return TriageResult(outcome=outcome, reason=reason, detail=detail)


def too_large(*, filename: str, content_type: str, size: int, limits: TriageLimits) -> TriageResult:
    """The outcome of an attachment over the size limit, also of one intake did not keep
    apart from the raw mail (``MailAttachment.too_large``), whose bytes are not at hand."""
    pdf = filename.lower().endswith(".pdf") or content_type == "application/pdf"
    return _result(
        "oversized",
        f"Die {'PDF-Datei' if pdf else 'Datei'} „{filename}“ ist {human_size(size)} groß; "
        f"erlaubt sind höchstens {human_size(limits.max_bytes)} je Anhang. Bitte den "
        "Antragsteller um eine kleinere Fassung (z. B. ohne Fotos/Anlagen) bitten.",
        filename=filename,
        content_type=content_type,
        size=size,
        format="pdf" if pdf else "unbekannt",
        limit=limits.max_bytes,
    )


def triage(data: bytes, *, filename: str, content_type: str, limits: TriageLimits) -> TriageResult:
    """Classify one attachment; never raises on hostile bytes."""
    size = len(data)
    base: dict[str, Any] = {"filename": filename, "content_type": content_type, "size": size}
    if size == 0:
        return _result(
            "corrupt",
            f"Die Datei „{filename}“ ist leer (0 Bytes). "
            "Bitte den Antragsteller um erneute Zusendung bitten.",
            **base,
        )

    signature = _signature_kind(data, filename=filename, content_type=content_type)
    if signature:
        return _result(
            "unsupported_format",
            f"Die Datei „{filename}“ ist die digitale Signatur ({signature}) der Nachricht, "
            "keine Skizze. Der signierte Inhalt wird wie gewohnt verarbeitet; die Signatur "
            "ist aufbewahrt, wird aber nicht geprüft.",
            **base,
            format=f"Signatur ({signature})",
        )
    fmt = detect_format(data)
    base["format"] = fmt or "unbekannt"
    if fmt != "pdf":
        claims_pdf = filename.lower().endswith(".pdf") or content_type == "application/pdf"
        if claims_pdf and not fmt:
            return _result(
                "corrupt",
                f"Die Datei „{filename}“ ({human_size(size)}) ist als PDF bezeichnet, "
                "enthält aber keine lesbaren PDF-Daten. Bitte den Antragsteller um "
                "erneute Zusendung als PDF bitten.",
                **base,
            )
        label = fmt or f"unbekanntes Format ({content_type or 'ohne Typangabe'})"
        return _result(
            "unsupported_format",
            f"Die Datei „{filename}“ ist kein PDF, sondern {label}. Verarbeitet werden nur "
            "PDF-Dateien. Bitte den Antragsteller um die Skizze als PDF bitten "
            "(oder die Datei selbst als PDF speichern und erneut einspielen).",
            **base,
        )

    if size > limits.max_bytes:
        return too_large(filename=filename, content_type=content_type, size=size, limits=limits)

    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        return _result(
            "encrypted",
            f"Die PDF-Datei „{filename}“ ist mit einem Passwort geschützt und kann nicht "
            "gelesen werden. Bitte den Antragsteller um eine ungeschützte Fassung bitten.",
            **base,
        )
    except Exception as exc:  # qpdf could not even recover the structure
        return _result(
            "corrupt",
            f"Die PDF-Datei „{filename}“ ({human_size(size)}) ist beschädigt oder "
            "unvollständig (z. B. abgebrochene Übertragung) und kann nicht geöffnet werden. "
            "Bitte den Antragsteller um erneute Zusendung bitten.",
            **base,
            error=f"{type(exc).__name__}: {exc}"[:500],
        )

    with pdf:
        try:
            pages = len(pdf.pages)
        except Exception as exc:
            pages = 0
            base["error"] = f"{type(exc).__name__}: {exc}"[:500]
        base["pages"] = pages
        base["owner_password_only"] = bool(pdf.is_encrypted)
        warnings = [str(w) for w in pdf.get_warnings()]
        base["qpdf_warnings"] = len(warnings)
        truncated = b"%%EOF" not in data[-2048:]
        base["eof_marker"] = not truncated
        if pages == 0 or (truncated and warnings and _looks_cut(data)):
            return _result(
                "corrupt",
                f"Die PDF-Datei „{filename}“ ({human_size(size)}) ist unvollständig oder "
                "beschädigt (keine lesbaren Seiten). Bitte den Antragsteller um erneute "
                "Zusendung bitten.",
                **base,
            )
        if pages > limits.max_pages:
            return _result(
                "oversized",
                f"Die PDF-Datei „{filename}“ hat {pages} Seiten; verarbeitet werden höchstens "
                f"{limits.max_pages}. Bitte den Antragsteller um die Skizze ohne umfangreiche "
                "Anlagen bitten.",
                **base,
                limit=limits.max_pages,
            )
        try:
            inflated, over = _decompressed_total(pdf, limits.max_decompressed_bytes)
        except Exception as exc:  # object enumeration failed: structure is broken
            return _result(
                "corrupt",
                f"Die PDF-Datei „{filename}“ ({human_size(size)}) ist beschädigt und kann "
                "nicht gelesen werden. Bitte den Antragsteller um erneute Zusendung bitten.",
                **base,
                error=f"{type(exc).__name__}: {exc}"[:500],
            )
        base["decompressed_bytes"] = inflated
        if over:
            return _result(
                "oversized",
                f"Die PDF-Datei „{filename}“ ist nur {human_size(size)} groß, ihr Inhalt "
                f"entpackt sich aber auf mehr als {human_size(limits.max_decompressed_bytes)} "
                "(mögliche „Zip-Bombe“). Sie wird aus Sicherheitsgründen nicht verarbeitet. "
                "Bitte den Antragsteller um eine normal erzeugte PDF-Datei bitten.",
                **base,
                limit=limits.max_decompressed_bytes,
            )
    return _result(None, "Lesbare PDF-Datei, wird ausgewertet.", **base)


def _looks_cut(data: bytes) -> bool:
    """No trailer/xref at the end at all: the typical broken download."""
    tail = data[-4096:]
    return b"trailer" not in tail and b"startxref" not in tail
