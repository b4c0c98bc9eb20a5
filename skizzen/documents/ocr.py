"""Scanned sketches read with OCRmyPDF and Tesseract's German model.

An image-only PDF, or a JPEG/PNG/TIFF that is a photo of a sketch, gets a text layer from
``ocrmypdf -l deu`` (hOCR renderer, pages deskewed, a time limit per page); the word
confidences Tesseract gives in its hOCR output (their mean, and each unsure word by page)
are written into the new PDF's Keywords (``extractors.ocr.encode_ocr_words``), so every
later parse and rerun knows the text was OCRed and lowers each field's confidence by the
words it was read from (``extractors.ocr.ocr_adjusted``). The OCRed PDF
is cached under the original's sha256 (OCR again would give other bytes, another sketch).

OCRmyPDF runs confined like LibreOffice (``skizzen.documents.convert``): its own folder for
temporary files, an environment without secrets, no capabilities, an address-space limit
and a wall-clock limit for the whole run, after which its process group is killed.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from extractors.ocr import encode_ocr_words
from skizzen.documents.convert import DerivedPdfs, run_confined
from skizzen.documents.sandbox import child_environment
from skizzen.settings import Options, RuntimeConfig

__all__ = ["IMAGE_TYPES", "OcrLimits", "Ocred", "image_kind", "ocr_pdf", "ocred_pdf"]

_DEFAULTS = Options.model_fields
IMAGE_TYPES = {
    b"\xff\xd8\xff": "JPEG",
    b"\x89PNG\r\n\x1a\n": "PNG",
    b"II*\x00": "TIFF",
    b"MM\x00*": "TIFF",
}
"""Image formats OCRed as a one-page scan, by their first bytes."""
_HOCR_WORD = re.compile(
    r"<span class=['\"]ocrx_word['\"][^>]*?x_wconf (\d+)[^>]*>(.*?)</span>", re.S
)
_TAG = re.compile(r"<[^>]+>")


def hocr_words(pages: list[str]) -> list[tuple[int, str, float]]:
    """``(page, word, confidence 0–1)`` of each word in the hOCR of each page (in order)."""
    import html

    return [
        (number, html.unescape(_TAG.sub("", text)).strip(), int(conf) / 100)
        for number, markup in enumerate(pages, start=1)
        for conf, text in _HOCR_WORD.findall(markup)
    ]


@dataclass(frozen=True)
class OcrLimits:
    """Bounds of one OCR run; defaults from the settings."""

    page_timeout_s: float = _DEFAULTS["ocr_page_timeout_s"].default
    max_pages: int = _DEFAULTS["ocr_max_pages"].default
    max_memory_mb: int = _DEFAULTS["convert_max_memory_mb"].default
    image_dpi: int = 300

    @classmethod
    def from_config(cls, config: RuntimeConfig) -> OcrLimits:
        return cls(
            page_timeout_s=config.ocr_page_timeout_s,
            max_pages=config.ocr_max_pages,
            max_memory_mb=config.convert_max_memory_mb,
        )


@dataclass(frozen=True)
class Ocred:
    """The OCRed PDF with the mean word confidence (0–1), or the German reason for none."""

    pdf: bytes | None
    word_confidence: float = 0.0
    reason: str = ""
    cached: bool = False


def image_kind(data: bytes) -> str | None:
    """``JPEG``, ``PNG`` or ``TIFF`` for an image attachment, else None."""
    return next((kind for magic, kind in IMAGE_TYPES.items() if data.startswith(magic)), None)


def ocrmypdf() -> str | None:
    """The OCRmyPDF program, None where it is not installed."""
    return shutil.which("ocrmypdf")


def _pages(data: bytes) -> int:
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            return len(pdf.pages)
    except Exception:
        return 1  # an image, or ocrmypdf will say what is wrong


def _with_keywords(pdf: bytes, keywords: str) -> bytes:
    """``pdf`` with the word confidences in its Keywords (docinfo), nothing else changed."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        doc.docinfo["/Keywords"] = keywords
        out = io.BytesIO()
        doc.save(out, deterministic_id=True)
        return out.getvalue()


def ocr_pdf(data: bytes, *, limits: OcrLimits) -> Ocred:
    """OCR one scanned PDF or image in a throwaway folder; never raises."""
    program = ocrmypdf()
    if program is None:
        return Ocred(None, reason="Texterkennung (OCR) ist hier nicht installiert.")
    image = image_kind(data)
    pages = 1 if image else _pages(data)
    if pages > limits.max_pages:
        return Ocred(
            None,
            reason=f"Der Scan hat {pages} Seiten; per Texterkennung gelesen werden höchstens "
            f"{limits.max_pages}.",
        )
    with tempfile.TemporaryDirectory(prefix="skizzen-ocr-") as tmp:
        work = Path(tmp)
        src = work / ("eingang.img" if image else "eingang.pdf")
        src.write_bytes(data)
        (work / "tmp").mkdir()
        cmd = [
            program,
            "-q",
            "-l",
            "deu",
            "--pdf-renderer",
            "hocr",
            "--keep-temporary-files",
            "--deskew",
            "--force-ocr",
            "--output-type",
            "pdf",
            "-j",
            "1",
            "--tesseract-timeout",
            f"{limits.page_timeout_s:.0f}",
        ]
        if image:
            cmd += ["--image-dpi", str(limits.image_dpi)]
        cmd += [str(src), str(work / "aus.pdf")]
        env = {**child_environment(os.environ), "HOME": str(work), "TMPDIR": str(work / "tmp")}
        env.setdefault("OMP_THREAD_LIMIT", "1")
        budget = limits.page_timeout_s * pages + 60
        try:
            returncode, output = run_confined(
                cmd, cwd=work, env=env, timeout_s=budget, max_memory_mb=limits.max_memory_mb
            )
        except OSError as exc:
            return Ocred(None, reason=f"Texterkennung ließ sich nicht starten ({exc}).")
        if returncode is None:
            return Ocred(
                None, reason=f"Die Texterkennung dauerte länger als {budget:.0f} Sekunden."
            )
        out = work / "aus.pdf"
        if returncode != 0 or not out.is_file():
            tail = output.decode("utf-8", "replace").strip().splitlines()[-1:] if output else []
            detail = f" ({tail[0][:200]})" if tail else ""
            return Ocred(None, reason=f"Die Texterkennung schlug fehl{detail}.")
        hocr = sorted((work / "tmp").rglob("*.hocr"), key=lambda p: p.name)  # 000001_…
        words = hocr_words([p.read_text("utf-8", "replace") for p in hocr])
        if not words:
            return Ocred(None, reason="Die Texterkennung fand keinen lesbaren Text.")
        mean, keywords = encode_ocr_words(words)
        return Ocred(_with_keywords(out.read_bytes(), keywords), word_confidence=mean)


def ocred_pdf(data: bytes, *, sha256: str, cache: DerivedPdfs, limits: OcrLimits) -> Ocred:
    """The cached OCR of this scan, or OCR it now and cache it."""
    if (pdf := cache.get(sha256)) is not None:
        return Ocred(pdf, cached=True)
    done = ocr_pdf(data, limits=limits)
    if done.pdf is not None:
        cache.put(sha256, done.pdf)
    return done
