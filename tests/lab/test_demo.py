"""The demo mailbox: deterministic, parseable, with real text layers and the promised cases."""

from __future__ import annotations

import email
import email.policy
import io
import re
from email.message import EmailMessage
from pathlib import Path

import pdfplumber
import pytest

from lab.demo import expected_demo_outcomes, expected_demo_sketches, make_demo_mailbox
from lab.demo_sketches import DEMO_SKETCHES
from skizzen.steps.quality import run_checks


@pytest.fixture(scope="module")
def mailbox(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return make_demo_mailbox(tmp_path_factory.mktemp("demo"))


def _parse(path: Path) -> EmailMessage:
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def _pdf_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def test_same_seed_is_byte_identical(mailbox: list[Path], tmp_path: Path) -> None:
    again = make_demo_mailbox(tmp_path / "again")
    assert [p.name for p in again] == [p.name for p in mailbox]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(again, mailbox, strict=True))


def test_other_seed_changes_only_ids(mailbox: list[Path], tmp_path: Path) -> None:
    other = make_demo_mailbox(tmp_path / "other", seed=8)
    first, second = _parse(mailbox[0]), _parse(other[0])
    assert first["Message-ID"] != second["Message-ID"]
    assert first["Subject"] == second["Subject"]


def test_files_are_crlf_rfc5322(mailbox: list[Path]) -> None:
    assert [p.name for p in mailbox] == sorted(expected_demo_outcomes())
    for path in mailbox:
        raw = path.read_bytes()
        assert raw.isascii()
        assert b"\n" not in raw.replace(b"\r\n", b"")
        assert max(len(line) for line in raw.split(b"\r\n")) <= 998
        msg = _parse(path)
        assert not msg.defects
        for header in ("From", "To", "Subject", "Date", "Message-ID", "MIME-Version"):
            assert msg[header], (path.name, header)
        body = msg.get_body(preferencelist=("plain",))
        assert body is not None
        assert "Grüße" in body.get_content()


@pytest.mark.parametrize(
    ("name", "outcomes"),
    sorted(expected_demo_outcomes().items()),
    ids=sorted(expected_demo_outcomes()),
)
def test_attachments_match_expected_outcomes(
    mailbox: list[Path], name: str, outcomes: list[str]
) -> None:
    (path,) = [p for p in mailbox if p.name == name]
    attachments = list(_parse(path).iter_attachments())
    if outcomes == ["no_attachment"]:
        assert attachments == []
        return
    assert len(attachments) == len(outcomes)
    for part, outcome in zip(attachments, outcomes, strict=True):
        data = part.get_payload(decode=True)
        assert part.get_content_type() == "application/pdf"
        assert data.startswith(b"%PDF-")
        if outcome == "corrupt":
            assert b"%%EOF" not in data[-1024:]
            with pytest.raises(Exception), pdfplumber.open(io.BytesIO(data)) as pdf:  # noqa: B017
                _ = [page.extract_text() for page in pdf.pages]
        else:
            assert len(_pdf_text(data)) > 300


def test_umlaut_filename_in_rfc2231_form(mailbox: list[Path]) -> None:
    raw = (mailbox[1]).read_bytes().decode("ascii")
    assert "filename*=utf-8''Projektskizze_H%C3%BCnenbr%C3%BCck_Rufbus.pdf" in raw
    (part,) = _parse(mailbox[1]).iter_attachments()
    assert part.get_filename() == "Projektskizze_Hünenbrück_Rufbus.pdf"


def test_sketches_have_text_with_their_fields(mailbox: list[Path]) -> None:
    sent = {
        part.get_filename(): part.get_payload(decode=True)
        for path in mailbox
        for part in _parse(path).iter_attachments()
    }
    expected = expected_demo_sketches()
    assert set(expected) <= set(sent)
    for filename, truth in expected.items():
        text = re.sub(r"\s+", "", _pdf_text(sent[filename]))
        fields = truth["fields"]
        for key in ("projekttitel", "antragsteller", "email", "plz", "telefon"):
            assert re.sub(r"\s+", "", fields[key]) in text, (filename, key)


def test_form_sketch_has_ballot_boxes_and_key_table(mailbox: list[Path]) -> None:
    (part,) = _parse(mailbox[0]).iter_attachments()
    with pdfplumber.open(io.BytesIO(part.get_payload(decode=True))) as pdf:
        text = pdf.pages[0].extract_text() + pdf.pages[-1].extract_text()
        tables = [t for page in pdf.pages for t in page.extract_tables()]
    assert ("☒" in text and "☐" in text) or "[x]" in text
    assert any(row[0] == "Antragsteller" for t in tables for row in t)


def test_demo_truth_passes_quality_checks_except_the_planned_violation() -> None:
    truth = expected_demo_sketches()
    report = run_checks([{"key": k, **v["fields"]} for k, v in truth.items()])
    assert {k: report.codes(k) for k in truth} == {k: v["violations"] for k, v in truth.items()}
    assert sum(1 for s in DEMO_SKETCHES if s.violations) == 1
