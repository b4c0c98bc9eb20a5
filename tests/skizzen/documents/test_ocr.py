"""Scanned sketches: OCR lowers the confidence of what it reads (pure part, table-driven), and
a sample sketch rendered to a noisy, slightly rotated image is read back through the intake
as a JPEG and as an image-only PDF.

The accuracy on these scans (fields right / fields) is printed, for the note.
"""

from __future__ import annotations

import io
import json
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from extractors.ocr import (
    OCR_KEYWORD,
    OcrWords,
    encode_ocr_words,
    ocr_adjusted,
    ocr_word_confidence,
    ocr_words,
)
from extractors.types import Evidence, FieldResult
from models.db import get_engine, init_db, session_scope
from models.records import current_records
from models.tables import Attachment, Sketch
from skizzen.documents.ocr import hocr_words, image_kind, ocrmypdf
from skizzen.settings import load_runtime
from skizzen.steps import intake as intake_step
from skizzen.steps import pipeline


def _f(name: str, value: Any, conf: float = 0.99, snippet: str | None = None) -> FieldResult:
    evidence = Evidence(page=1, snippet=snippet) if snippet else None
    return FieldResult(
        field=name, value=value, confidence=conf, evidence=evidence, extractor="test@1"
    )


AMOUNTS_OK = {
    "gesamtkosten_eur": _f("gesamtkosten_eur", 400_000),
    "foerdersumme_eur": _f("foerdersumme_eur", 360_000),
    "eigenanteil_eur": _f("eigenanteil_eur", 40_000),
}


@pytest.mark.parametrize(
    ("fields", "name", "want"),
    [
        pytest.param({"plz": _f("plz", "37645")}, "plz", 0.799, id="capped-below-threshold"),
        pytest.param({"plz": _f("plz", "37645", 0.5)}, "plz", 0.45, id="scaled-by-words"),
        pytest.param({"plz": _f("plz", None, 0.3)}, "plz", 0.3, id="nothing-found-untouched"),
        pytest.param(AMOUNTS_OK, "gesamtkosten_eur", 0.891, id="amounts-that-add-up-stay"),
        pytest.param(
            {**AMOUNTS_OK, "eigenanteil_eur": _f("eigenanteil_eur", 4_000)},
            "gesamtkosten_eur",
            0.799,
            id="amounts-that-do-not-add-up-go-to-review",
        ),
    ],
)
def test_ocr_adjusted(fields: dict[str, FieldResult], name: str, want: float) -> None:
    got = ocr_adjusted(fields, 0.9, threshold=0.8)
    assert got[name].confidence == pytest.approx(want)
    assert got[name].value == fields[name].value


WORDS = OcrWords(mean=0.9, sure=0.97, unsure={1: {"37845": 0.41, "gemeinde": 0.8}})


@pytest.mark.parametrize(
    ("fields", "name", "want"),
    [
        pytest.param(
            {"plz": _f("plz", "37845", 0.5, "PLZ: 37845")}, "plz", 0.205, id="its-unsure-word"
        ),
        pytest.param(
            {"ort": _f("ort", "Rehlar", 0.5, "Ort: Rehlar")}, "ort", 0.485, id="its-sure-words"
        ),
        pytest.param({"ort": _f("ort", "Rehlar", 0.5)}, "ort", 0.45, id="no-evidence-mean"),
        pytest.param(
            {
                "plz": _f("plz", "34117", 0.99, "PLZ 34117"),
                "bundesland": _f("bundesland", "Hessen", 0.99, "Land: Hessen"),
            },
            "plz",
            0.96,
            id="postcode-in-its-state-stays",
        ),
        pytest.param(
            {
                "plz": _f("plz", "34117", 0.99, "PLZ 34117"),
                "bundesland": _f("bundesland", "Bayern", 0.99, "Land: Bayern"),
            },
            "bundesland",
            0.799,
            id="postcode-elsewhere-goes-to-review",
        ),
    ],
)
def test_ocr_adjusted_by_evidence_words(
    fields: dict[str, FieldResult], name: str, want: float
) -> None:
    got = ocr_adjusted(fields, WORDS, threshold=0.8)
    assert got[name].confidence == pytest.approx(want, abs=0.001)


def test_ocr_words_round_trip() -> None:
    words = [(1, "Förderaufruf", 0.99), (1, "37845", 0.41), (2, "Gemeinde,", 0.8), (2, "", 0.2)]
    mean, keywords = encode_ocr_words(words)
    assert mean == pytest.approx(0.6)
    assert " " not in keywords.split(" ", 1)[1]  # one Keywords entry each
    got = ocr_words({"Keywords": keywords})
    assert got == OcrWords(
        mean=0.6, sure=pytest.approx(0.595), unsure={1: {"37845": 0.41}, 2: {"gemeinde": 0.8}}
    )
    assert ocr_words({"Keywords": f"{OCR_KEYWORD}0.9"}) == OcrWords(0.9, 0.9)  # an older OCR
    assert ocr_words({"Keywords": "Projektskizze"}) is None


def test_hocr_words() -> None:
    page = (
        "<span class='ocr_line' title='bbox 1 2 3 4'><span class='ocrx_word' id='word_1_1' "
        "title='bbox 264 247 532 277; x_wconf 91'>F&ouml;rder<strong>aufruf</strong></span> "
        '<span class="ocrx_word" id="w2" title="bbox 5 6 7 8; x_wconf 40">37845</span></span>'
    )
    assert hocr_words([page, page]) == [
        (1, "Förderaufruf", 0.91),
        (1, "37845", 0.4),
        (2, "Förderaufruf", 0.91),
        (2, "37845", 0.4),
    ]


@pytest.mark.parametrize(
    ("keywords", "want"),
    [
        (f"{OCR_KEYWORD}0.914", 0.914),
        (f"Skizze {OCR_KEYWORD}0.5 Heimat", 0.5),
        ("Projektskizze", None),
        (f"{OCR_KEYWORD}kaputt", None),
    ],
    ids=["alone", "among-words", "not-ocred", "broken"],
)
def test_ocr_word_confidence_from_metadata(keywords: str, want: float | None) -> None:
    assert ocr_word_confidence({"Keywords": keywords}) == want


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"\xff\xd8\xff\xe0", "JPEG"),
        (b"\x89PNG\r\n\x1a\n", "PNG"),
        (b"II*\x00", "TIFF"),
        (b"%PDF-1.4", None),
    ],
    ids=["jpeg", "png", "tiff", "pdf"],
)
def test_image_kind(head: bytes, kind: str | None) -> None:
    assert image_kind(head + b"\0" * 16) == kind


# --- a rendered scan through the intake ------------------------------------------------------

SCAN_OF = "S001"


def _scan_images(pdf: bytes, *, seed: int = 7) -> list[Any]:
    """Each page rendered at 300 dpi in grey (as office scanners do), rotated by 1.2°, with
    Gaussian noise (σ 10 of 255)."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image

    rng = np.random.default_rng(seed)
    doc = pdfium.PdfDocument(pdf)
    pages = []
    for page in doc:
        img = page.render(scale=300 / 72, grayscale=True).to_pil().convert("L")
        img = img.rotate(1.2, resample=Image.BICUBIC, expand=True, fillcolor=255)
        noisy = np.asarray(img, dtype=np.float32) + rng.normal(0, 10, (img.height, img.width))
        pages.append(Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8)))
    return pages


def _mail(n: int, data: bytes, filename: str, subtype: str) -> bytes:
    msg = EmailMessage()
    msg["From"] = f"Gemeinde {n} <post{n}@gemeinde.example.de>"
    msg["Subject"] = f"Projektskizze eingescannt ({n})"
    msg["Message-ID"] = f"<scan{n}@gemeinde.example.de>"
    msg["Date"] = f"Mon, 01 Mar 2021 1{n}:00:00 +0100"
    msg.set_content("Anbei die unterschriebene Skizze als Scan.")
    maintype, sub = subtype.split("/")
    msg.add_attachment(data, maintype=maintype, subtype=sub, filename=filename)
    return msg.as_bytes()


def _same(got: Any, want: Any) -> bool:
    if isinstance(want, list):
        return isinstance(got, list) and sorted(map(str, got)) == sorted(map(str, want))
    return str(got) == str(want) if want is not None else got in (None, [], "")


@pytest.mark.skipif(ocrmypdf() is None, reason="OCRmyPDF (installed by .ci/run)")
def test_a_rendered_scan_is_read_by_ocr_and_goes_to_review(
    corpus_dir: Path, tmp_path: Path
) -> None:
    truth = next(
        json.loads(line)
        for line in (corpus_dir / "sketches.jsonl").read_text(encoding="utf-8").splitlines()
        if f'"{SCAN_OF}"' in line
    )
    pages = _scan_images((corpus_dir / truth["pdf"]).read_bytes())
    image_pdf, jpeg = io.BytesIO(), io.BytesIO()
    pages[0].save(image_pdf, "PDF", resolution=300, save_all=True, append_images=pages[1:])
    pages[0].save(jpeg, "JPEG", quality=85, dpi=(300, 300))  # a photo of the first page
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "1.eml").write_bytes(
        _mail(1, image_pdf.getvalue(), "Skizze_Scan.pdf", "application/pdf")
    )
    (inbox / "2.eml").write_bytes(_mail(2, jpeg.getvalue(), "Skizze_Foto.jpg", "image/jpeg"))
    config = load_runtime(
        database_url=f"sqlite:///{tmp_path / 'db.sqlite'}", data_dir=tmp_path / "data"
    )
    init_db(get_engine(config.database_url))
    taken = intake_step.intake(config, source=str(inbox), run_id=None)
    done = pipeline.receive_messages(config, message_pks=taken.message_pks, run_id=None)
    pipeline.check_sketches(
        config, sketch_ids=done["extracted_ids"], run_id=None, data_docs_dir=None
    )
    with session_scope(config.database_url) as s:
        atts = {a.filename: a for a in s.exec(select(Attachment))}
        records = {r.sketch_id: r for r in current_records(s)}
        statuses = {x.id: x.status for x in s.exec(select(Sketch))}
        s.expunge_all()
    scan = atts["Skizze_Scan.pdf"]
    assert scan.outcome == "sketch", scan.reason
    assert scan.detail["converted_from"] == "ocr:pdf" and "Texterkennung" in (scan.reason or "")
    rec = records[scan.sketch_id]
    right = [k for k, v in truth["fields"].items() if _same(rec.fields.get(k), v)]
    print(f"OCR of a rendered scan of {SCAN_OF}: {len(right)}/{len(truth['fields'])} fields right")
    print({k: (rec.fields.get(k), v) for k, v in truth["fields"].items() if k not in right})
    assert len(right) >= 0.8 * len(truth["fields"])
    unconfirmed = {
        k: c
        for k, c in rec.confidences.items()
        if rec.fields.get(k) not in (None, [], "") and not k.endswith("_eur")
    }
    threshold = pipeline.review_threshold(config)
    assert unconfirmed and all(c < threshold for c in unconfirmed.values())
    assert statuses[scan.sketch_id] == "needs_review"  # an OCRed value is looked at
    photo = atts["Skizze_Foto.jpg"]
    assert photo.outcome in ("sketch", "not_a_sketch"), photo.reason  # one page of four
    assert photo.detail.get("converted_from") == "ocr:JPEG"
