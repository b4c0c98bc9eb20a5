"""parse_message: headers, bodies, attachments; exact against the corpus truth; never raises."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skizzen.intake.mail import MAX_PART_BYTES, parse_message, shrink

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


def _messages(corpus: Path) -> list[dict]:
    lines = (corpus / "messages.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line]


def test_corpus_messages_match_truth_exactly(corpus_dir: Path) -> None:
    mismatches: list[str] = []
    for truth in _messages(corpus_dir):
        msg = parse_message((corpus_dir / truth["message_file"]).read_bytes())
        got = {
            "message_id": msg.message_id,
            "from": msg.sender,
            "subject": msg.subject,
            "date": msg.date.isoformat() if msg.date else None,
            "attachments": [
                {
                    "filename": a.filename,
                    "sha256": a.sha256,
                    "content_type": a.content_type,
                    "size": a.size,
                }
                for a in msg.attachments
            ],
        }
        want = {k: truth[k] for k in ("message_id", "from", "subject", "date")}
        want["attachments"] = [
            {k: a[k] for k in ("filename", "sha256", "content_type", "size")}
            for a in truth["attachments"]
        ]
        if got != want:
            mismatches.append(f"{truth['message_file']}: {got} != {want}")
        for att in msg.attachments:
            if att.too_large:  # hashed while decoding, not held (checked against truth above)
                assert att.data == b"" and att.size > MAX_PART_BYTES
            else:
                assert att.sha256 == hashlib.sha256(att.data).hexdigest()
        assert msg.body_text.strip(), truth["message_file"]
    assert not mismatches, "\n".join(mismatches)


def _raw(headers: str, body: str) -> bytes:
    return (headers.strip().replace("\n", "\r\n") + "\r\n\r\n" + body.replace("\n", "\r\n")).encode(
        "latin-1"
    )


_B64_PDF = base64.b64encode(PDF).decode()

_CASES = [
    (
        "rfc2231",
        "Content-Disposition: attachment; filename*=utf-8''Skizze%20Sch%C3%B6nrath.pdf",
        "Skizze Schönrath.pdf",
    ),
    (
        "rfc2047-in-quoted-name",
        'Content-Type: application/pdf; name="=?utf-8?q?Skizze=5FF=C3=B6rderaufruf.pdf?="',
        "Skizze_Förderaufruf.pdf",
    ),
    (
        "rfc2047-b-in-filename",
        'Content-Disposition: attachment; filename="=?iso-8859-1?b?w5xiZXJzaWNodC5wZGY=?="',
        None,  # decoded text is whatever the bytes say: must not raise, must not be empty
    ),
    ("name-only", 'Content-Type: application/pdf; name="nur_name.pdf"', "nur_name.pdf"),
    ("no-name", "Content-Type: application/pdf", "anhang-1.pdf"),
    ("path-in-name", 'Content-Disposition: attachment; filename="C:\\\\temp\\\\x.pdf"', "x.pdf"),
]


@pytest.mark.parametrize(
    ("header", "expected"), [c[1:] for c in _CASES], ids=[c[0] for c in _CASES]
)
def test_attachment_filenames(header: str, expected: str | None) -> None:
    ctype = header if header.startswith("Content-Type") else "Content-Type: application/pdf"
    disp = header if header.startswith("Content-Disposition") else ""
    raw = _raw(
        """
From: Gemeinde <a@gemeinde.de>
Subject: Skizze
Message-ID: <m1@gemeinde.de>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="B"
""",
        "--B\nContent-Type: text/plain; charset=utf-8\n\nAnbei die Skizze.\n--B\n"
        + "".join(f"{h}\n" for h in (ctype, disp) if h)
        + f"Content-Transfer-Encoding: base64\n\n{_B64_PDF}\n--B--\n",
    )
    msg = parse_message(raw)
    assert len(msg.attachments) == 1
    att = msg.attachments[0]
    assert att.data == PDF and att.size == len(PDF) and att.content_type == "application/pdf"
    if expected is None:
        assert att.filename and "=?" not in att.filename
    else:
        assert att.filename == expected
    assert msg.body_text == "Anbei die Skizze."


def test_latin1_headers_and_body() -> None:
    raw = (
        b"From: =?iso-8859-1?q?M=FCller?= <mueller@amt.de>\r\n"
        b"Subject: =?iso-8859-1?q?Skizze_f=FCr_Gr=FCnau?=\r\n"
        b"Date: Tue, 16 Feb 2021 15:40:07 +0100\r\nMessage-ID: <x@amt.de>\r\n"
        b"Content-Type: text/plain; charset=iso-8859-1\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\nGr\xfc\xdfe aus Gr\xfcnau\r\n"
    )
    msg = parse_message(raw)
    assert msg.sender == "mueller@amt.de"
    assert msg.subject == "Skizze für Grünau"
    assert msg.body_text.strip() == "Grüße aus Grünau"
    assert msg.date == datetime.fromisoformat("2021-02-16T15:40:07+01:00")
    assert msg.attachments == []


def test_missing_message_id_is_synthetic_and_deterministic() -> None:
    raw = _raw("From: a@b.de\nSubject:\n", "Text\n")
    first, second = parse_message(raw), parse_message(raw)
    assert (
        first.message_id
        == second.message_id
        == (f"<{hashlib.sha256(raw).hexdigest()}@skizzen.local>")
    )
    assert first.subject == ""
    assert any("Message-ID" in d for d in first.defects)


def test_html_only_body_becomes_text() -> None:
    raw = _raw(
        "From: a@b.de\nMessage-ID: <h@b.de>\nContent-Type: text/html; charset=utf-8\n",
        "<html><head><style>p{}</style></head><body><p>Sehr geehrte Damen&nbsp;und Herren,"
        "</p><p>anbei&nbsp;die <b>Skizze</b>.</p></body></html>",
    )
    assert parse_message(raw).body_text == "Sehr geehrte Damen und Herren,\nanbei die Skizze."


def test_forwarded_message_attachments_are_leaves() -> None:
    inner = EmailMessage()
    inner["From"] = "kaemmerei@gemeinde.de"
    inner["Subject"] = "Skizze"
    inner.set_content("Original")
    inner.add_attachment(PDF, maintype="application", subtype="pdf", filename="skizze.pdf")
    outer = EmailMessage()
    outer["From"] = "buergermeister@gemeinde.de"
    outer["Subject"] = "WG: Skizze"
    outer["Message-ID"] = "<fw@gemeinde.de>"
    outer.set_content("Zur Kenntnis")
    outer.add_attachment(inner)
    msg = parse_message(outer.as_bytes())
    assert [(a.filename, a.content_type, a.data) for a in msg.attachments] == [
        ("skizze.pdf", "application/pdf", PDF)
    ]
    assert msg.sender == "buergermeister@gemeinde.de"


def test_inline_image_with_name_counts_plain_body_does_not() -> None:
    outer = EmailMessage()
    outer["From"] = "a@b.de"
    outer.set_content("Text")
    outer.add_alternative("<p>Text</p>", subtype="html")
    outer.add_attachment(b"\x89PNG\r\n\x1a\n", maintype="image", subtype="png", filename="logo.png")
    msg = parse_message(outer.as_bytes())
    assert [a.filename for a in msg.attachments] == ["logo.png"]
    assert msg.body_text == "Text"


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\x00\xff\xfe",
        b"From: \r\nDate: not a date\r\n\r\n",
        b"Content-Type: multipart/mixed; boundary=X\r\n\r\n--X\r\nContent-Type: application/pdf"
        b"\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!notbase64\r\n",
        b"Subject: =?utf-8?q?broken=ZZ?=\r\n"
        b"Content-Type: text/plain; charset=unknown-xyz\r\n\r\n\xe4",
        b"Date: Tue, 16 Feb 2021 15:40:07 -0000\r\n\r\nx",
    ],
    ids=["empty", "binary", "bad-date", "bad-base64-no-end", "bad-charset", "date-no-zone"],
)
def test_malformed_mail_never_raises(raw: bytes) -> None:
    msg = parse_message(raw)
    assert msg.message_id.startswith("<") and msg.message_id.endswith(">")
    assert msg.date is None or msg.date.tzinfo is not None


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=600))
def test_arbitrary_bytes_never_raise(raw: bytes) -> None:
    msg = parse_message(raw)
    assert isinstance(msg.attachments, list)


# --- nesting depth ---------------------------------------------------------------------------

_HEAD = (
    b"From: Gemeinde Tief <post@tief.example.de>\r\nSubject: Skizze tief\r\n"
    b"Message-ID: <tief@tief.example.de>\r\nMIME-Version: 1.0\r\n"
)
_PDF_PART = (
    b'Content-Type: application/pdf\r\nContent-Disposition: attachment; filename="s.pdf"\r\n'
    b"Content-Transfer-Encoding: base64\r\n\r\n" + _B64_PDF.encode() + b"\r\n"
)


def _nested(depth: int, *, forwarded: bool = False, sibling: bool = False) -> bytes:
    """``depth`` multiparts (or forwarded messages) inside each other, a PDF at the bottom;
    with ``sibling`` a second PDF beside the deep branch at the top level."""
    out = [_HEAD, b'Content-Type: multipart/mixed; boundary="top"\r\n\r\n--top\r\n']
    for i in range(depth):
        if forwarded:
            out.append(b"Content-Type: message/rfc822\r\n\r\nSubject: weitergeleitet\r\n")
        else:
            out.append(f'Content-Type: multipart/mixed; boundary="b{i}"\r\n\r\n--b{i}\r\n'.encode())
    out.append(_PDF_PART)
    if not forwarded:
        out += [f"--b{i}--\r\n".encode() for i in reversed(range(depth))]
    if sibling:
        out += [b"--top\r\n", _PDF_PART.replace(b"s.pdf", b"oben.pdf")]
    out.append(b"--top--\r\n")
    return b"".join(out)


@pytest.mark.parametrize(
    ("depth", "forwarded", "sibling", "names", "cut"),
    [
        pytest.param(3, False, False, ["s.pdf"], False, id="shallow-untouched"),
        pytest.param(48, False, False, ["s.pdf"], False, id="just-inside-the-limit"),
        pytest.param(2000, False, False, [], True, id="2000-multiparts-headers-kept"),
        pytest.param(2000, False, True, ["oben.pdf"], True, id="2000-deep-sibling-kept"),
        pytest.param(2000, True, True, ["oben.pdf"], True, id="2000-forwarded-mails"),
    ],
)
def test_deep_nesting_stops_at_the_limit_and_keeps_the_rest(
    depth: int, forwarded: bool, sibling: bool, names: list[str], cut: bool
) -> None:
    msg = parse_message(_nested(depth, forwarded=forwarded, sibling=sibling), max_depth=50)
    assert (msg.message_id, msg.subject) == ("<tief@tief.example.de>", "Skizze tief")
    assert msg.sender == "post@tief.example.de"
    assert [a.filename for a in msg.attachments] == names
    assert all(a.data == PDF for a in msg.attachments)
    assert (msg.cut_at_depth == 50) is cut
    assert any("nesting deeper than 50" in d for d in msg.defects) is cut


def test_headers_survive_a_parser_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    from email.parser import BytesParser

    whole = BytesParser.parsebytes

    def fail(self: BytesParser, raw: bytes, headersonly: bool = False) -> object:
        if headersonly:  # the header parser goes through here too
            return whole(self, raw, True)
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(BytesParser, "parsebytes", fail)
    msg = parse_message(_nested(2))
    assert (msg.message_id, msg.subject, msg.attachments) == (
        "<tief@tief.example.de>",
        "Skizze tief",
        [],
    )
    assert any("RecursionError" in d for d in msg.defects)


# --- size: an attachment over the limit is hashed while decoding, never held -----------------


def _with_attachments(parts: list[tuple[bytes, str]], *, nested: bool = False) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Gemeinde <post@gemeinde.example.de>"
    msg["Subject"] = "Skizze"
    msg["Message-ID"] = "<gross@gemeinde.example.de>"
    msg.set_content("Anbei.")
    for n, (data, cte) in enumerate(parts):
        msg.add_attachment(
            data, maintype="application", subtype="pdf", filename=f"a{n}.pdf", cte=cte
        )
    if nested:
        outer = EmailMessage()
        outer["From"], outer["Subject"] = msg["From"], "Fwd: Skizze"
        outer["Message-ID"] = "<fwd@gemeinde.example.de>"
        outer.set_content("Weitergeleitet.")
        outer.add_attachment(msg)
        return outer.as_bytes()
    return msg.as_bytes()


@pytest.mark.parametrize(
    ("cte", "nested"),
    [
        pytest.param("base64", False, id="base64"),
        pytest.param("quoted-printable", False, id="quoted-printable"),
        pytest.param("base64", True, id="in-a-forwarded-mail"),
    ],
)
def test_a_too_large_attachment_keeps_size_and_hash_but_not_its_bytes(
    cte: str, nested: bool
) -> None:
    big = bytes(range(256)) * 40  # 10,240 bytes, over a limit of 4,000
    raw = _with_attachments([(PDF, "base64"), (big, cte), (PDF, "base64")], nested=nested)
    whole = parse_message(raw, max_part_bytes=10**9)
    limited = parse_message(raw, max_part_bytes=4000)
    assert [(a.filename, a.size, a.sha256) for a in limited.attachments] == [
        (a.filename, a.size, a.sha256) for a in whole.attachments
    ]
    assert [a.too_large for a in limited.attachments] == [False, True, False]
    assert limited.attachments[1].data == b"" and limited.attachments[1].size == len(big)
    assert limited.attachments[1].sha256 == hashlib.sha256(big).hexdigest()
    assert limited.body_text == whole.body_text and limited.subject == whole.subject


def test_an_attachment_whose_encoding_alone_is_over_the_limit_is_kept() -> None:
    data = b"x" * 3500  # base64 makes 4,700 bytes of it: over 4,000 encoded, not decoded
    msg = parse_message(_with_attachments([(data, "base64")]), max_part_bytes=4000)
    assert not msg.attachments[0].too_large and msg.attachments[0].data == data


def test_a_sender_cannot_forge_the_stripped_marker() -> None:
    raw = _with_attachments([(PDF, "base64")])
    forged = raw.replace(
        b"Content-Disposition: attachment",
        b"X-Skizzen-Stripped-0000000000000000: 5 "
        + hashlib.sha256(b"other").hexdigest().encode()
        + b"\nContent-Disposition: attachment",
    )
    msg = parse_message(forged, max_part_bytes=10)
    att = msg.attachments[0]
    assert att.too_large and att.size == len(PDF)  # its own size and hash, not the forged
    assert att.sha256 == hashlib.sha256(PDF).hexdigest()


@settings(max_examples=60, deadline=None)
@given(
    sizes=st.lists(st.integers(min_value=0, max_value=3000), min_size=1, max_size=4),
    cte=st.sampled_from(["base64", "quoted-printable"]),
    limit=st.integers(min_value=16, max_value=2500),  # the body text (7 bytes) stays
)
def test_shrinking_never_changes_what_the_attachments_are(
    sizes: list[int], cte: str, limit: int
) -> None:
    parts = [(bytes((i * 7 + n) % 256 for i in range(size)), cte) for n, size in enumerate(sizes)]
    raw = _with_attachments(parts)
    whole = parse_message(raw, max_part_bytes=10**9)
    limited = parse_message(raw, max_part_bytes=limit)
    assert [(a.size, a.sha256) for a in limited.attachments] == [
        (a.size, a.sha256) for a in whole.attachments
    ]
    assert all(a.too_large == (a.size > limit) for a in limited.attachments)
    assert limited.body_text == whole.body_text == "Anbei."
    if not any(a.too_large for a in limited.attachments):  # scanned, nothing taken out:
        assert shrink(raw, max_part_bytes=limit).raw == raw  # the bytes exactly as they were
