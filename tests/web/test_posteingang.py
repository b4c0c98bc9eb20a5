"""The Posteingang: every received message with every attachment and its outcome, filtered."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlmodel import select

from models import repo
from models.db import session_scope
from models.tables import Attachment, AuditEvent, Message, Sketch
from skizzen.intake.store import BlobStore
from skizzen.labels import outcome_label
from tests.web.conftest import WebEnv
from tests.web.factory import (
    ENCRYPTED_SAMPLE,
    PASSWORD_OF_S065,
    add_encrypted_sample,
    add_received_pdf,
    tiny_pdf,
)


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("", ["Frage zum Aufruf", "Notiz für Sie.html", "Skizze_"], []),
        ("?ergebnis=no_attachment", ["Frage zum Aufruf"], ["Skizze_"]),
        ("?ergebnis=not_a_sketch", ["Notiz für Sie.html"], ["Frage zum Aufruf"]),
        ("?suche=frage", ["Frage zum Aufruf"], ["Notiz für Sie.html"]),
        ("?suche=nichts-dergleichen", ["Keine Nachrichten"], ["Frage zum Aufruf"]),
    ],
    ids=["all", "no-attachment", "not-a-sketch", "search-subject", "search-nothing"],
)
def test_inbox_lists_every_message(
    make_client: Callable[..., object], query: str, shown: list[str], hidden: list[str]
) -> None:
    client = make_client("lea")  # a reader may look
    r = client.get(f"/posteingang{query}")  # type: ignore[attr-defined]
    assert r.status_code == 200
    for text in shown:
        assert text in r.text
    for text in hidden:
        assert text not in r.text


def test_inbox_shows_outcome_reason_and_links(make_client: Callable[..., object]) -> None:
    r = make_client("anna").get("/posteingang")  # type: ignore[attr-defined]
    assert outcome_label("no_attachment") in r.text
    assert "Die Nachricht hat keinen Anhang." in r.text
    assert "Kein Bezug zu einer Projektskizze erkennbar." in r.text
    assert 'href="/anhang/' in r.text and 'href="/skizze/' in r.text
    assert "<script>" not in r.text  # the seeded XSS in a body or name stays text


def test_inbox_needs_login(make_client: Callable[..., object]) -> None:
    r = make_client().get("/posteingang")  # type: ignore[attr-defined]
    assert r.status_code in (302, 303) and "/login" in r.headers["location"]


def _not_a_sketch_pdf(web_env: WebEnv) -> int:
    """A mail whose PDF the classifier called no sketch; the attachment's id."""
    return add_received_pdf(
        web_env.config,
        tiny_pdf("Projektskizze Gemeinde Irrtum", "Antragsteller: Gemeinde Irrtum"),
        filename="Irrtum.pdf",
        message_id="<irrtum@test>",
        sender="irrtum@example.org",
        subject="Unsere Unterlagen",
        outcome="not_a_sketch",
        reason="Kein Bezug.",
    )


def test_staff_take_a_file_as_sketch_and_back(
    web_env: WebEnv, make_client: Callable[..., object]
) -> None:
    att_id = _not_a_sketch_pdf(web_env)
    reader = make_client("lea")
    page = reader.get("/posteingang?ergebnis=not_a_sketch").text  # type: ignore[attr-defined]
    assert f"/anhang/{att_id}/als-skizze" not in page  # a reader may not
    refused = reader.post(  # type: ignore[attr-defined]
        f"/anhang/{att_id}/als-skizze",
        data={"csrf_token": reader.csrf},  # type: ignore[attr-defined]
    )
    assert refused.status_code == 403

    client = make_client("anna")
    page = client.get("/posteingang?ergebnis=not_a_sketch").text  # type: ignore[attr-defined]
    assert f"/anhang/{att_id}/als-skizze" in page
    r = client.post(f"/anhang/{att_id}/als-skizze", data={"csrf_token": client.csrf})  # type: ignore[attr-defined]
    assert r.status_code == 303 and r.headers["location"].startswith("/skizze/")
    sid = int(r.headers["location"].rsplit("/", 1)[1])
    with session_scope(web_env.config.database_url) as s:
        att = s.get_one(Attachment, att_id)
        sketch = s.get_one(Sketch, sid)
        assert (att.outcome, att.sketch_id) == ("sketch", sid)
        assert "anna" in (att.reason or "")
        assert sketch.extracted_at is not None and sketch.checked_at is not None  # at once
        assert sketch.status in ("needs_review", "ready")
    detail = client.get(f"/skizze/{sid}").text  # type: ignore[attr-defined]
    assert "als Skizze übernommen" in detail  # the audit trail says who

    r = client.post(f"/anhang/{att_id}/zurueck", data={"csrf_token": client.csrf})  # type: ignore[attr-defined]
    assert r.status_code == 303
    with session_scope(web_env.config.database_url) as s:
        att = s.get_one(Attachment, att_id)
        assert (att.outcome, att.sketch_id) == ("not_a_sketch", None)
        assert s.get_one(Sketch, sid).status == "not_a_sketch"
    again = client.post(f"/anhang/{att_id}/zurueck", data={"csrf_token": client.csrf})  # type: ignore[attr-defined]
    assert again.status_code == 403


@pytest.mark.skipif(not ENCRYPTED_SAMPLE.is_file(), reason="the sample corpus (../shared)")
def test_an_encrypted_pdf_opened_with_its_password(
    web_env: WebEnv, make_client: Callable[..., object], caplog: pytest.LogCaptureFixture
) -> None:
    att_id = add_encrypted_sample(web_env.config)
    client = make_client("anna")
    page = client.get("/posteingang?ergebnis=encrypted").text  # type: ignore[attr-defined]
    assert f'action="/anhang/{att_id}/entsperren"' in page and 'type="password"' in page

    wrong = client.post(  # type: ignore[attr-defined]
        f"/anhang/{att_id}/entsperren",
        data={"csrf_token": client.csrf, "passwort": "falsch"},  # type: ignore[attr-defined]
    )
    assert wrong.status_code == 400 and "Das Passwort öffnet die Datei nicht." in wrong.text
    with session_scope(web_env.config.database_url) as s:
        assert s.get_one(Attachment, att_id).outcome == "encrypted"  # nothing changed

    with caplog.at_level("DEBUG"):
        r = client.post(  # type: ignore[attr-defined]
            f"/anhang/{att_id}/entsperren",
            data={"csrf_token": client.csrf, "passwort": PASSWORD_OF_S065},  # type: ignore[attr-defined]
        )
    assert r.status_code == 303
    with session_scope(web_env.config.database_url) as s:
        att = s.get_one(Attachment, att_id)
        assert att.outcome == "sketch", att.reason
        assert att.detail["converted_from"] == "decrypted" and att.detail["unlocked_by"] == "anna"
        assert "entschlüsselt" in (att.reason or "")
        sketch = s.get_one(Sketch, att.sketch_id)
        assert sketch.sha256 == att.detail["pdf_sha256"] != att.sha256  # the decrypted copy
        assert sketch.checked_at is not None
        stored = repr([a.model_dump() for a in s.exec(select(Attachment))])
        stored += repr([e.model_dump() for e in s.exec(select(AuditEvent))])
    fields = client.get(f"/skizze/{att.sketch_id}").text  # type: ignore[attr-defined]
    assert "Verbandsgemeinde Eulenwitz-Land" in fields
    assert PASSWORD_OF_S065 not in stored  # never stored ...
    assert PASSWORD_OF_S065 not in caplog.text  # ... nor logged
    assert BlobStore(web_env.config.blob_dir).has(att.sha256)  # the original as received


def test_an_attachment_over_the_limit_is_downloaded_from_its_raw_mail(
    web_env: WebEnv, make_client: Callable[..., object]
) -> None:
    """Kept only inside its mail (no blob of its own): decoded from the raw mail on the way."""
    import hashlib
    import os
    from email.message import EmailMessage

    data = b"%PDF-1.7\n" + os.urandom(50_000)
    mail = EmailMessage()
    mail["From"], mail["Subject"], mail["Message-ID"] = "a@b.de", "Groß", "<gross@test>"
    mail.set_content("Anbei.")
    mail.add_attachment(data, maintype="application", subtype="pdf", filename="gross.pdf")
    store = BlobStore(web_env.config.blob_dir)
    with session_scope(web_env.config.database_url) as s:
        att = Attachment(
            message_pk=0,
            position=0,
            filename="gross.pdf",
            content_type="application/pdf",
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
        )
        repo.add_message(
            s,
            message=Message(message_id="<gross@test>", raw_sha256=store.put(mail.as_bytes())),
            attachments=[att],
        )
        att_id = int(att.id)  # type: ignore[arg-type]
    assert not store.has(hashlib.sha256(data).hexdigest())
    client = make_client("lea", max_attachment_bytes=10_000)
    r = client.get(f"/anhang/{att_id}")  # type: ignore[attr-defined]
    assert r.status_code == 200 and r.content == data
    assert r.headers["content-type"] == "application/octet-stream"
    assert "attachment" in r.headers["content-disposition"]
