"""A small, hand-made review database for the web and review tests (no parsing, < 1 s).

Three sketches in two calls, one carrying a script payload in an extracted field and in a
mail body, one already approved; two users (reviewer, reader).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from sqlmodel import Session, select

from models import accounts, repo, review
from models.db import get_engine, init_db, session_scope
from models.tables import Attachment, FieldValue, Message
from skizzen.doors.web import security
from skizzen.doors.web.security import hash_password
from skizzen.intake.store import BlobStore
from skizzen.settings import RuntimeConfig, load_runtime

PASSWORD = "richtig-geheim-1"
XSS = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">'
HTML_ATTACHMENT = b"<html><script>window.__xss=3</script></html>"


CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@contextmanager
def cheap_hashing() -> Iterator[None]:
    """argon2id with tiny cost: a login costs ~1 ms instead of ~0.5 s (tests only)."""
    old = security.HASHER
    security.HASHER = CHEAP_HASHER
    try:
        yield
    finally:
        security.HASHER = old


def tiny_pdf(*lines: str) -> bytes:
    """A one-page PDF with these lines (reportlab, deterministic)."""
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    y = 800
    for line in lines:
        c.drawString(72, y, line)
        y -= 18
    c.showPage()
    c.save()
    return buf.getvalue()


def make_config(base: Path, database_url: str | None = None) -> RuntimeConfig:
    data = base / "data"
    return load_runtime(
        data_dir=data, database_url=database_url or f"sqlite:///{data / 'review.db'}"
    )


def _fields(values: dict[str, Any], *, page: int = 1, confidence: float = 0.9) -> dict[str, Any]:
    return {
        name: {
            "value": value,
            "confidence": confidence,
            "evidence": {
                "page": page,
                "snippet": f"{name}: {value}",
                "box": [72.0, 90.0 + 16 * i, 400.0, 102.0 + 16 * i],  # one line each
            },
            "extractor": "test@1",
        }
        for i, (name, value) in enumerate(values.items())
    }


SKETCHES: list[dict[str, Any]] = [
    {
        "key": "lindenhagen",
        "received": datetime(2021, 3, 2, 10, 14, tzinfo=UTC),
        "call": "heimat-2.0",
        "fields": {
            "projekttitel": "Lindenkorb – die Dorfladen-App",
            "antragsteller": "Gemeinde Lindenhagen",
            "bundesland": "Brandenburg",
            "email": "k.wendland@gemeinde-lindenhagen.de",
            "einwohnerzahl": 2340,
            "kooperationspartner": [],
            "laufzeit_monate": 24,
            "projektbeginn": "2021-09-01",
            "gesamtkosten_eur": 384500,
            "foerdersumme_eur": 346050,
            "eigenanteil_eur": 38450,
        },
        "themes": ["Lokale und regionale Versorgung", "Mobilität"],
        "violations": [("no_cooperation_partner", "Es ist kein Kooperationspartner genannt.")],
        "status": "needs_review",
    },
    {
        "key": "kranichsee",
        "received": datetime(2021, 3, 1, 9, 0, tzinfo=UTC),
        "call": "heimat-2.0",
        "fields": {
            "projekttitel": XSS,
            "antragsteller": "Stadt Kranichsee",
            "bundesland": "Mecklenburg-Vorpommern",
            "email": "digital@stadt-kranichsee.de",
            "kooperationspartner": ["Praxis Dr. Köpke"],
            "laufzeit_monate": 36,
            "gesamtkosten_eur": 650000,
        },
        "themes": ["Gesundheits- und Pflegeversorgung"],
        "violations": [("cost_out_of_range", "Gesamtkosten 650.000 € über 600.000 €.")],
        "status": "needs_review",
    },
    {
        "key": "rotenfels",
        "received": datetime(2022, 5, 3, 8, 30, tzinfo=UTC),
        "call": "heimat-3.0",
        "fields": {
            "projekttitel": "Dorfmitte digital",
            "antragsteller": "Markt Rotenfels",
            "bundesland": "Bayern",
            "email": "info@rotenfels.de",
            "kooperationspartner": ["Verein A", "Verein B"],
            "laufzeit_monate": 30,
            "gesamtkosten_eur": 250000,
        },
        "themes": ["Bildung, Qualifizierung und digitale Kompetenzen"],
        "violations": [],
        "status": "approved",
    },
]


def seed(session: Session, store: BlobStore) -> dict[str, int]:
    """Insert the three sketches with mails, attachments, values and checks; key → id."""
    ids: dict[str, int] = {}
    for n, spec in enumerate(SKETCHES):
        pdf = tiny_pdf(f"Projektskizze {spec['fields']['antragsteller']}", "Seite 1")
        sha = store.put(pdf)
        msg = Message(
            message_id=f"<{spec['key']}@test>",
            sender=f"Absender {n} <absender{n}@example.org>",
            subject=f"Projektskizze {spec['fields']['antragsteller']}",
            sent_at=spec["received"],
            raw_sha256=store.put(f"raw {n}".encode()),
            body_text="Sehr geehrte Damen und Herren,\nanbei die Skizze.\n" + XSS,
        )
        atts = [
            Attachment(
                message_pk=0,
                position=0,
                filename=f"Skizze_{spec['key']}.pdf",
                content_type="application/pdf",
                size=len(pdf),
                sha256=sha,
            )
        ]
        if n == 0:
            atts.append(
                Attachment(
                    message_pk=0,
                    position=1,
                    filename="Notiz für Sie.html",
                    content_type="text/html",
                    size=len(HTML_ATTACHMENT),
                    sha256=store.put(HTML_ATTACHMENT),
                )
            )
        repo.add_message(session, message=msg, attachments=atts)
        sketch = repo.get_or_create_sketch(
            session, sha256=sha, call_id=spec["call"], received_at=spec["received"]
        )
        sid = int(sketch.id)  # type: ignore[arg-type]
        ids[spec["key"]] = sid
        repo.set_attachment_outcome(
            session,
            attachment_id=int(atts[0].id),  # type: ignore[arg-type]
            outcome="sketch",
            reason="Projektskizze erkannt und verarbeitet.",
            sketch_id=sid,
        )
        if len(atts) > 1:
            repo.set_attachment_outcome(
                session,
                attachment_id=int(atts[1].id),  # type: ignore[arg-type]
                outcome="not_a_sketch",
                reason="Kein Bezug zu einer Projektskizze erkennbar.",
            )
        repo.store_extraction(
            session,
            sketch_id=sid,
            fields=_fields(spec["fields"]),
            themes=[{"label": t, "score": 0.9} for t in spec["themes"]],
            loesungsart=[{"label": "App", "score": 0.7}],
            theme_model_version="test",
            parser_version="test",
            page_count=1,
            run_id=None,
        )
        repo.replace_check_results(
            session, sketch_id=sid, violations=spec["violations"], run_id=None
        )
        reasons = [code for code, _ in spec["violations"]]
        repo.set_machine_status(
            session,
            sketch_id=sid,
            status="needs_review" if reasons else "ready",
            reasons=reasons,
        )
        if spec["status"] == "approved":
            review.set_review_status(session, sketch_id=sid, status="approved", actor="seed")
    # a message without attachment (for the attachment-outcome view)
    repo.add_message(
        session,
        message=Message(
            message_id="<frage@test>",
            sender="frage@example.org",
            subject="Frage zum Aufruf",
            sent_at=datetime(2021, 3, 3, tzinfo=UTC),
            raw_sha256=store.put(b"raw question"),
            outcome="no_attachment",
            reason="Die Nachricht hat keinen Anhang.",
        ),
        attachments=[],
    )
    return ids


def seed_users(session: Session) -> None:
    for name, role in (("anna", "reviewer"), ("lea", "reader")):
        accounts.upsert_user(session, name=name, password_hash=hash_password(PASSWORD), role=role)


def build(config: RuntimeConfig) -> dict[str, int]:
    """Create the schema and fill the database of ``config``; returns sketch ids by key."""
    engine = get_engine(config.database_url)
    init_db(engine)
    with session_scope(config.database_url) as session:
        ids = seed(session, BlobStore(config.blob_dir))
        seed_users(session)
    return ids


LOW_CONFIDENCES = {"kranichsee": ("email", 0.4), "rotenfels": ("bundesland", 0.7)}
"""One field each with a lower confidence than the factory's 0.9 (the queue's orders)."""


def vary_confidences(url: str, ids: dict[str, int]) -> None:
    """Give the fields of ``LOW_CONFIDENCES`` their lower confidence, so that each order of
    the queue gives a different list."""
    with session_scope(url) as s:
        for key, (name, conf) in LOW_CONFIDENCES.items():
            fv = s.exec(
                select(FieldValue).where(FieldValue.sketch_id == ids[key], FieldValue.field == name)
            ).one()
            fv.confidence = conf
            s.add(fv)


_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    """The CSRF token of the first form on a page."""
    m = _CSRF.search(html)
    assert m, "no csrf_token on the page"
    return m.group(1)


SAMPLE = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "sample"
ENCRYPTED_SAMPLE = SAMPLE / "attachments" / "S065_encrypted.pdf"
PASSWORD_OF_S065 = "Heimat2021!"  # sent in the next mail (M036), as the corpus README says


def add_received_pdf(
    config: RuntimeConfig,
    pdf: bytes,
    *,
    filename: str,
    message_id: str,
    sender: str,
    subject: str,
    outcome: str,
    reason: str,
) -> int:
    """A mail with this one PDF attached, its attachment recorded with ``outcome`` as the
    triage leaves it (the raw mail a stand-in); the attachment's id."""
    store = BlobStore(config.blob_dir)
    with session_scope(config.database_url) as s:
        att = Attachment(
            message_pk=0,
            position=0,
            filename=filename,
            content_type="application/pdf",
            size=len(pdf),
            sha256=store.put(pdf),
        )
        repo.add_message(
            s,
            message=Message(
                message_id=message_id,
                sender=sender,
                subject=subject,
                raw_sha256=store.put(f"raw mail {message_id}".encode()),
            ),
            attachments=[att],
        )
        repo.set_attachment_outcome(
            s,
            attachment_id=int(att.id),  # type: ignore[arg-type]
            outcome=outcome,
            reason=reason,
        )
        return int(att.id)  # type: ignore[arg-type]


def add_encrypted_sample(config: RuntimeConfig) -> int:
    """A mail with the sample's password-protected sketch S065, its attachment recorded
    ``encrypted`` as the triage leaves it; the attachment's id."""
    return add_received_pdf(
        config,
        ENCRYPTED_SAMPLE.read_bytes(),
        filename="Projektskizze_geschuetzt.pdf",
        message_id="<geschuetzt@vg-eulenwitz.de>",
        sender="wirtschaftsfoerderung@vg-eulenwitz.de",
        subject="Einreichung Projektskizze VeDi",
        outcome="encrypted",
        reason="Die PDF-Datei ist mit einem Passwort geschützt.",
    )
