"""Judging one attachment without a database row written: the notes on how its PDF was made,
and the verdicts that end it before any parse (too large, empty, no PDF, unreadable). The
verdicts that need a parse, a conversion or OCR: test_pipeline.py, test_convert.py and
test_ocr.py, through ``receive_messages``."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from models.tables import Attachment
from skizzen.intake.store import BlobStore
from skizzen.settings import RuntimeConfig, load_runtime
from skizzen.steps import judge
from skizzen.steps.judge import converted_note, judge_attachment


@pytest.fixture()
def config(skizzen_env: Path) -> RuntimeConfig:
    return load_runtime()


@pytest.mark.parametrize(
    ("how", "note"),
    [
        ("decrypted", "Mit dem Passwort entschlüsselt, das Mitarbeitende eingegeben haben."),
        (
            "ocr:pdf",
            "Text per Texterkennung (OCR) aus dem gescannten PDF gelesen; erkannte Werte bitte "
            "prüfen.",
        ),
        (
            "ocr:PNG",
            "Text per Texterkennung (OCR) aus dem Bild (PNG) gelesen; erkannte Werte bitte prüfen.",
        ),
        ("docx", "Aus Word-Dokument (.docx) in PDF umgewandelt."),
        ("rtf", "Aus RTF-Dokument (.rtf) in PDF umgewandelt."),
    ],
    ids=["decrypted", "scanned-pdf", "image", "word", "rtf"],
)
def test_staff_read_how_the_pdf_was_made(how: str, note: str) -> None:
    assert converted_note(how) == note


@pytest.mark.parametrize(
    ("made", "unlocked", "notes"),
    [
        (None, {}, {}),
        ("docx", {}, {"converted_from": "docx", "pdf_sha256": "b" * 64}),
        (
            "decrypted",
            {"unlocked_by": "anna"},
            {"converted_from": "decrypted", "pdf_sha256": "b" * 64, "unlocked_by": "anna"},
        ),
        (
            "ocr:pdf",
            {"unlocked_by": "anna"},
            {"converted_from": "ocr:pdf", "pdf_sha256": "b" * 64, "unlocked_by": "anna"},
        ),
    ],
    ids=["itself", "converted", "decrypted", "decrypted-then-ocr"],
)
def test_a_pdf_made_from_the_attachment_is_noted(
    made: str | None, unlocked: dict[str, str], notes: dict[str, str]
) -> None:
    pdf = judge._Pdf(b"%PDF", "b" * 64, "application/pdf", made=made, unlocked=unlocked)
    assert pdf.notes == notes


# filename, content type, bytes stored (None: not in the blob store), size claimed (None: the
# bytes'), the outcome and the start of its reason
EARLY = [
    ("skizze.pdf", "application/pdf", None, 50 * 1024 * 1024, "oversized",
     "Die PDF-Datei „skizze.pdf“ ist 50"),
    ("skizze.pdf", "application/pdf", b"", None, "corrupt",
     "Die Datei „skizze.pdf“ ist leer (0 Bytes)."),
    ("notiz.txt", "text/plain", b"Hallo, anbei die Skizze.", None, "unsupported_format",
     "Die Datei „notiz.txt“ ist kein PDF, sondern"),
    ("skizze.pdf", "application/pdf", b"kein PDF, nur Text", None, "corrupt",
     "Die Datei „skizze.pdf“ (18 Bytes) ist als PDF bezeichnet, enthält aber keine lesbaren"),
    ("skizze.pdf", "application/pdf", None, 1000, "corrupt",
     "Die Datei konnte nicht verarbeitet werden (FileNotFoundError)."),
]  # fmt: skip


@pytest.mark.parametrize(
    ("filename", "content_type", "data", "size", "outcome", "reason"),
    EARLY,
    ids=["too-large-not-kept", "empty", "not-a-pdf", "named-pdf", "blob-missing"],
)
def test_verdicts_before_any_parse(
    config: RuntimeConfig,
    filename: str,
    content_type: str,
    data: bytes | None,
    size: int | None,
    outcome: str,
    reason: str,
) -> None:
    sha = BlobStore(config.blob_dir).put(data) if data is not None else "0" * 64
    att = Attachment(
        id=1,
        message_pk=1,
        position=0,
        filename=filename,
        content_type=content_type,
        size=len(data or b"") if size is None else size,
        sha256=sha,
    )
    verdict = judge_attachment(config, att, rules=())
    assert (verdict.outcome, verdict.kind, verdict.sha256) == (outcome, None, None)
    assert verdict.reason.startswith(reason), verdict.reason
    if data is not None:
        assert sha == hashlib.sha256(data).hexdigest()
