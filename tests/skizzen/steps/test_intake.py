"""Intake as a hostile sender would try it, on SQLite and on a real PostgreSQL: no message
can block the others, and nothing received is dropped.

A NUL byte in a file name or body is stored cleaned and kept exact in the raw store; a
different mail under a known Message-ID is a row of its own, flagged; an over-long
Message-ID is cut with its digest; a message that cannot be stored is quarantined (raw
bytes kept, a row with a German reason) and the mails after it are stored; a second run
adds nothing.
"""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from models.db import session_scope
from models.tables import Attachment, Message
from skizzen.intake.store import BlobStore
from skizzen.settings import RuntimeConfig, load_runtime
from skizzen.steps import intake as intake_step
from skizzen.steps import pipeline


def _mail(
    n: int,
    *,
    message_id: str | None = None,
    subject: str | None = None,
    body: str = "Anbei unsere Skizze.",
    filename: str = "skizze.pdf",
) -> bytes:
    msg = EmailMessage()
    msg["From"] = f"Gemeinde {n} <post{n}@gemeinde.example.de>"
    msg["To"] = "skizzen@institut.example.de"
    msg["Subject"] = subject or f"Projektskizze {n}"
    msg["Date"] = f"Mon, 01 Mar 2021 08:{n:02d}:00 +0100"
    msg["Message-ID"] = message_id or f"<m{n}@gemeinde.example.de>"
    msg.set_content(body)
    msg.add_attachment(
        b"%PDF-1.4 nicht wirklich", maintype="application", subtype="pdf", filename=filename
    )
    return msg.as_bytes()


@pytest.fixture()
def config(db_url: str, tmp_path: Path) -> RuntimeConfig:
    return load_runtime(database_url=db_url, data_dir=tmp_path / "data")


def _ingest(config: RuntimeConfig, mails: list[bytes], tmp_path: Path) -> intake_step.IntakeResult:
    inbox = tmp_path / "inbox"
    inbox.mkdir(exist_ok=True)
    for n, raw in enumerate(mails):
        (inbox / f"{n:03d}.eml").write_bytes(raw)
    return intake_step.intake(config, source=str(inbox), run_id=None)


def _messages(config: RuntimeConfig) -> list[Message]:
    with session_scope(config.database_url) as s:
        rows = list(s.exec(select(Message).order_by(Message.id)))  # type: ignore[arg-type]
        s.expunge_all()
        return rows


def test_a_nul_byte_is_stored_cleaned_and_kept_exact_raw(
    config: RuntimeConfig, tmp_path: Path
) -> None:
    poisoned = _mail(1, body="Gift\x00im Text", filename="ski\x00zze.pdf")
    result = _ingest(config, [poisoned, _mail(2)], tmp_path)
    assert (result.new_messages, result.quarantined) == (2, 0)
    first, second = _messages(config)
    assert "\x00" not in first.body_text and "Gift\ufffdim Text" in first.body_text
    with session_scope(config.database_url) as s:
        names = list(s.exec(select(Attachment.filename).order_by(Attachment.id)))  # type: ignore[arg-type]
    assert names == ["ski\ufffdzze.pdf", "skizze.pdf"]
    assert BlobStore(config.blob_dir).get(first.raw_sha256) == poisoned  # exact, NUL and all
    assert second.subject == "Projektskizze 2"


def test_a_reused_message_id_with_other_content_is_stored_and_flagged(
    config: RuntimeConfig, tmp_path: Path
) -> None:
    one = _mail(1, message_id="<gleich@gemeinde.example.de>", subject="Skizze")
    other = _mail(2, message_id="<gleich@gemeinde.example.de>", subject="Andere Skizze")
    result = _ingest(config, [one, other, one], tmp_path)  # the first one twice
    assert (result.seen, result.new_messages, result.reused_message_ids) == (3, 2, 1)
    first, second = _messages(config)
    assert (first.subject, first.reuses_message_id_of) == ("Skizze", None)
    assert (second.subject, second.reuses_message_id_of) == ("Andere Skizze", first.id)
    again = _ingest(config, [one, other], tmp_path)  # a second run adds nothing
    assert again.new_messages == 0 and len(_messages(config)) == 2


def test_an_over_long_message_id_is_cut_with_its_digest(
    config: RuntimeConfig, tmp_path: Path
) -> None:
    long_id = "<" + "x" * 5000 + "@gemeinde.example.de>"
    other_long = "<" + "x" * 5000 + "@andere.example.de>"
    result = _ingest(
        config, [_mail(1, message_id=long_id), _mail(2, message_id=other_long)], tmp_path
    )
    assert (result.new_messages, result.quarantined) == (2, 0)
    ids = [m.message_id for m in _messages(config)]
    assert all(len(i) <= intake_step.MAX_KEY_CHARS for i in ids) and ids[0] != ids[1]
    assert ids[0] == intake_step.storable_key(long_id)


def test_a_message_that_cannot_be_stored_is_quarantined_and_the_batch_goes_on(
    config: RuntimeConfig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.exc import DataError

    from models import repo

    real = repo.add_message

    def failing(session: Any, *, message: Message, attachments: Any) -> Any:
        if message.subject == "Gift" and message.outcome != "quarantined":
            raise DataError("INSERT …", {}, Exception("value out of range"))
        return real(session, message=message, attachments=attachments)

    monkeypatch.setattr(repo, "add_message", failing)
    poisoned = _mail(1, subject="Gift")
    result = _ingest(config, [poisoned, _mail(2)], tmp_path)
    assert (result.new_messages, result.quarantined, result.unreadable) == (1, 1, [])
    quarantined, stored = _messages(config)
    assert quarantined.outcome == "quarantined" and quarantined.subject == "Gift"
    assert "nicht gespeichert" in (quarantined.reason or "") and "DataError" in (
        quarantined.reason or ""
    )
    assert BlobStore(config.blob_dir).get(quarantined.raw_sha256) == poisoned
    assert stored.subject == "Projektskizze 2" and stored.outcome is None
    with session_scope(config.database_url) as s:
        assert pipeline.outcome_counts(s)["quarantined"] == 1
    again = _ingest(config, [poisoned], tmp_path)  # still failing: no second row
    assert again.quarantined == 1 and len(_messages(config)) == 2


def test_an_unreachable_database_stops_the_intake_for_a_retry(tmp_path: Path) -> None:
    import hashlib
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = load_runtime(
        database_url=f"postgresql+psycopg://skizzen@127.0.0.1:{port}/weg", data_dir=tmp_path
    )
    raw = _mail(1)
    with pytest.raises(Exception):  # noqa: B017 - whatever the driver raises
        _ingest(config, [raw], tmp_path)
    assert BlobStore(config.blob_dir).get(hashlib.sha256(raw).hexdigest()) == raw  # kept


def test_a_2000_level_nested_mail_keeps_its_headers_and_says_why(
    config: RuntimeConfig, tmp_path: Path
) -> None:
    levels = 2000
    raw = (
        b"From: Gemeinde Tief <post@tief.example.de>\r\nSubject: Skizze tief\r\n"
        b"Message-ID: <tief@tief.example.de>\r\nMIME-Version: 1.0\r\n"
        + b"".join(
            f'Content-Type: multipart/mixed; boundary="b{i}"\r\n\r\n--b{i}\r\n'.encode()
            for i in range(levels)
        )
        + b"Content-Type: application/pdf\r\n\r\n%PDF-1.4\r\n"
        + b"".join(f"--b{i}--\r\n".encode() for i in reversed(range(levels)))
    )
    result = _ingest(config, [raw, _mail(2)], tmp_path)
    assert (result.new_messages, result.quarantined) == (2, 0)
    deep, second = _messages(config)
    assert (deep.message_id, deep.sender, deep.subject) == (
        "<tief@tief.example.de>",
        "post@tief.example.de",
        "Skizze tief",
    )
    assert deep.outcome == "no_attachment"
    assert f"tiefer als {config.mime_max_depth} Ebenen" in deep.reason
    assert BlobStore(config.blob_dir).get(deep.raw_sha256) == raw
    assert second.subject == "Projektskizze 2"
