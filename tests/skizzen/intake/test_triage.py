"""triage: format by magic bytes, size/page/decompression limits, encryption, corruption."""

from __future__ import annotations

import io
import resource
import time
import zipfile
import zlib
from pathlib import Path

import pikepdf
import pytest

from skizzen.intake.triage import TriageLimits, detect_format, human_size, triage

LIMITS = TriageLimits()


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"})
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
ZIP_WITH_PDF = _zip({"Projektskizze.pdf": b"%PDF-1.4"})


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"%PDF-1.7\n...", "pdf"),
        (b"\xef\xbb\xbf  %PDF-1.4\n", "pdf"),
        (DOCX, "Word-Dokument (.docx)"),
        (ODT, "OpenDocument-Text (.odt)"),
        (ZIP_WITH_PDF, "ZIP-Archiv (enthält Projektskizze.pdf)"),
        (b"\x89PNG\r\n\x1a\n....", "PNG-Bild"),
        (b"\xff\xd8\xff\xe0....", "JPEG-Bild"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1....", "altes Office-Dokument (.doc/.xls)"),
        (b"{\\rtf1\\ansi", "RTF-Dokument"),
        (b"hello world", ""),
    ],
    ids=["pdf", "pdf-after-junk", "docx", "odt", "zip", "png", "jpeg", "ole2", "rtf", "unknown"],
)
def test_detect_format(data: bytes, expected: str) -> None:
    assert detect_format(data) == expected


@pytest.mark.parametrize(
    ("data", "filename", "ctype", "outcome", "in_reason"),
    [
        (b"", "x.pdf", "application/pdf", "corrupt", "leer"),
        (b"<html>not a pdf", "x.pdf", "application/pdf", "unsupported_format", "HTML-Datei"),
        (b"Fehler 404", "x.pdf", "application/pdf", "corrupt", "keine lesbaren PDF-Daten"),
        (b"\x00\x01garbage", "skizze.pdf", "application/octet-stream", "corrupt", "PDF"),
        (DOCX, "Skizze.docx", "application/octet-stream", "unsupported_format", ".docx"),
        (DOCX, "Skizze.pdf", "application/pdf", "unsupported_format", "Word-Dokument"),
        (
            ODT,
            "Skizze.odt",
            "application/vnd.oasis.opendocument.text",
            "unsupported_format",
            ".odt",
        ),
        (ZIP_WITH_PDF, "s.zip", "application/zip", "unsupported_format", "ZIP-Archiv"),
        (b"\xff\xd8\xff\xe0 jpeg", "foto.jpg", "image/jpeg", "unsupported_format", "JPEG"),
        (b"plain text", "brief.txt", "text/plain", "unsupported_format", "text/plain"),
    ],
    ids=[
        "zero-bytes",
        "html-named-pdf",
        "text-named-pdf",
        "garbage-octet",
        "docx",
        "docx-named-pdf",
        "odt",
        "zip",
        "jpeg",
        "text",
    ],
)
def test_non_pdf_outcomes(
    data: bytes, filename: str, ctype: str, outcome: str, in_reason: str
) -> None:
    result = triage(data, filename=filename, content_type=ctype, limits=LIMITS)
    assert result.outcome == outcome
    assert in_reason in result.reason
    assert filename in result.reason


def test_pdf_sent_as_octet_stream_is_a_pdf(make_pdf) -> None:
    result = triage(
        make_pdf(2), filename="anhang.bin", content_type="application/octet-stream", limits=LIMITS
    )
    assert result.outcome is None
    assert result.detail["pages"] == 2


def test_oversized_by_bytes_names_size_and_limit(make_pdf) -> None:
    data = make_pdf(3)
    result = triage(
        data,
        filename="gross.pdf",
        content_type="application/pdf",
        limits=TriageLimits(max_bytes=len(data) - 1),
    )
    assert result.outcome == "oversized"
    assert human_size(len(data)) in result.reason
    assert human_size(len(data) - 1) in result.reason


def test_oversized_by_pages(make_pdf) -> None:
    result = triage(
        make_pdf(12),
        filename="a.pdf",
        content_type="application/pdf",
        limits=TriageLimits(max_pages=10),
    )
    assert result.outcome == "oversized"
    assert "12 Seiten" in result.reason


def _encrypt(data: bytes, *, user: str, owner: str) -> bytes:
    buf = io.BytesIO()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pdf.save(
            buf,
            encryption=pikepdf.Encryption(
                user=user, owner=owner, allow=pikepdf.Permissions(extract=False)
            ),
        )
    return buf.getvalue()


def test_user_password_is_encrypted(make_pdf) -> None:
    data = _encrypt(make_pdf(1), user="geheim", owner="owner")
    result = triage(data, filename="s.pdf", content_type="application/pdf", limits=LIMITS)
    assert result.outcome == "encrypted"
    assert "Passwort" in result.reason and "ungeschützte Fassung" in result.reason


def test_owner_password_only_is_processed(make_pdf, pdf_parser) -> None:
    data = _encrypt(
        make_pdf(["Projektskizze Gemeinde Lindenau\nGesamtkosten 450.000 EUR"]),
        user="",
        owner="owner",
    )
    result = triage(data, filename="s.pdf", content_type="application/pdf", limits=LIMITS)
    assert result.outcome is None
    assert result.detail["owner_password_only"] is True
    parsed = pdf_parser.parse(data)
    assert parsed.outcome is None and parsed.document is not None
    assert "Gesamtkosten 450.000 EUR" in parsed.document.text


def _bomb(inflated: int) -> bytes:
    """A one-page PDF whose content stream inflates to ``inflated`` zero bytes."""
    compressor = zlib.compressobj(9)
    chunk = b"\0" * (8 * 1024 * 1024)
    parts = [compressor.compress(chunk) for _ in range(inflated // len(chunk))]
    parts.append(compressor.flush())
    pdf = pikepdf.new()
    pdf.add_blank_page()
    stream = pikepdf.Stream(pdf, b"".join(parts))
    stream.Filter = pikepdf.Name.FlateDecode
    pdf.pages[0].Contents = pdf.make_indirect(stream)
    buf = io.BytesIO()
    pdf.save(buf, compress_streams=False)
    return buf.getvalue()


@pytest.mark.slow
def test_decompression_bomb_is_oversized_fast_and_small() -> None:
    data = _bomb(320 * 1024 * 1024)
    assert len(data) < 2 * 1024 * 1024
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.monotonic()
    result = triage(data, filename="bombe.pdf", content_type="application/pdf", limits=LIMITS)
    elapsed = time.monotonic() - start
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    assert result.outcome == "oversized"
    assert "Zip-Bombe" in result.reason
    assert elapsed < 10
    assert grown_mb < 100  # never holds the inflated data


def test_small_flate_stream_is_not_a_bomb() -> None:
    result = triage(
        _bomb(8 * 1024 * 1024), filename="b.pdf", content_type="application/pdf", limits=LIMITS
    )
    assert result.outcome is None
    assert result.detail["decompressed_bytes"] >= 8 * 1024 * 1024


@pytest.mark.parametrize("keep", [0.2, 0.5, 0.9], ids=["20pct", "50pct", "90pct"])
def test_truncated_pdf_is_corrupt(make_pdf, keep: float) -> None:
    data = make_pdf(5)
    result = triage(
        data[: int(len(data) * keep)],
        filename="t.pdf",
        content_type="application/pdf",
        limits=LIMITS,
    )
    assert result.outcome == "corrupt"
    assert "erneute Zusendung" in result.reason


_ATTACHMENTS = [
    ("S064_scan.pdf", None),  # no_text_layer is decided by the parser
    ("S065_encrypted.pdf", "encrypted"),
    ("S039_truncated.pdf", "corrupt"),
    ("S063.docx", "unsupported_format"),
    ("S051.zip", "unsupported_format"),
    ("S020_support_1.pdf", None),
    ("newsletter_2021-03.pdf", None),
]


@pytest.mark.parametrize(("name", "outcome"), _ATTACHMENTS, ids=[a[0] for a in _ATTACHMENTS])
def test_corpus_attachments(corpus_dir: Path, name: str, outcome: str | None) -> None:
    data = (corpus_dir / "attachments" / name).read_bytes()
    result = triage(data, filename=name, content_type="application/octet-stream", limits=LIMITS)
    assert result.outcome == outcome, result.reason


@pytest.mark.parametrize(
    ("data", "filename", "ctype", "kind"),
    [
        (b"0\x82\x05\x00\x06\t*\x86H", "smime.p7s", "application/pkcs7-signature", "S/MIME"),
        (b"0\x82\x05\x00", "smime.p7s", "application/x-pkcs7-signature", "S/MIME"),
        (b"0\x82\x05\x00", "smime.p7s", "application/octet-stream", "S/MIME"),
        (
            b"-----BEGIN PGP SIGNATURE-----\n\niQ",
            "signature.asc",
            "application/pgp-signature",
            "OpenPGP",
        ),
        (b"-----BEGIN PGP SIGNATURE-----\n\niQ", "signature.asc", "text/plain", "OpenPGP"),
    ],
    ids=["smime", "smime-x", "smime-by-name", "pgp", "pgp-by-content"],
)
def test_the_signature_of_a_signed_mail_says_it_is_one(
    data: bytes, filename: str, ctype: str, kind: str
) -> None:
    result = triage(data, filename=filename, content_type=ctype, limits=LIMITS)
    assert result.outcome == "unsupported_format"
    assert f"digitale Signatur ({kind})" in result.reason
    assert "signierte Inhalt wird wie gewohnt verarbeitet" in result.reason


def test_a_signed_mail_gives_its_content_and_keeps_the_signature() -> None:
    from skizzen.intake.mail import parse_message

    raw = (
        b"From: Gemeinde <post@gemeinde.example.de>\r\nSubject: Skizze signiert\r\n"
        b"Message-ID: <sig@gemeinde.example.de>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/signed; protocol="application/pkcs7-signature"; '
        b'micalg=sha-256; boundary="S"\r\n\r\n--S\r\n'
        b'Content-Type: multipart/mixed; boundary="M"\r\n\r\n--M\r\n'
        b"Content-Type: text/plain; charset=utf-8\r\n\r\nAnbei die Skizze.\r\n--M\r\n"
        b'Content-Type: application/pdf\r\nContent-Disposition: attachment; filename="s.pdf"\r\n'
        b"\r\n%PDF-1.4 x\r\n--M--\r\n--S\r\n"
        b'Content-Type: application/pkcs7-signature; name="smime.p7s"\r\n'
        b"Content-Transfer-Encoding: base64\r\n"
        b'Content-Disposition: attachment; filename="smime.p7s"\r\n\r\nMIIFAAYJKoZI\r\n--S--\r\n'
    )
    msg = parse_message(raw)
    assert msg.body_text == "Anbei die Skizze."
    assert [(a.filename, a.content_type) for a in msg.attachments] == [
        ("s.pdf", "application/pdf"),
        ("smime.p7s", "application/pkcs7-signature"),
    ]
    sig = msg.attachments[1]
    result = triage(sig.data, filename=sig.filename, content_type=sig.content_type, limits=LIMITS)
    assert result.outcome == "unsupported_format" and "Signatur (S/MIME)" in result.reason
