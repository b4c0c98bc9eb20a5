"""Data access for one sketch under review: the detail view and the staff actions on it and
on its attachments (corrections, decisions, a file taken as a sketch or given back, a PDF
unlocked).

Keyword-only functions that take a session, like ``models.repo``; corrections go through
``repo.set_correction`` so they win over the machine and survive every rerun, and every staff
action leaves an ``AuditEvent``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from extractors.types import FIELD_NAMES
from models import repo
from models.db import as_utc
from models.tables import (
    Attachment,
    AuditEvent,
    CheckResult,
    Correction,
    FieldValue,
    Message,
    Sketch,
    utcnow,
)

REVIEW_ACTIONS: tuple[str, ...] = ("approved", "rejected", "not_a_sketch", "needs_review")
"""Statuses staff may set; ``needs_review`` reopens a decided sketch."""


# --- detail ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldRow:
    """Machine value with its evidence next to the staff correction, if any."""

    name: str
    machine: FieldValue | None
    correction: Correction | None

    @property
    def current(self) -> Any:
        if self.correction is not None:
            return self.correction.value
        return self.machine.value if self.machine is not None else None

    @property
    def corrected(self) -> bool:
        return self.correction is not None


@dataclass(frozen=True)
class LabelRow:
    """An inferred judgement (``repo.LABEL_FIELDS``): the machine's labels with their scores
    next to the staff correction, if any."""

    name: str
    machine: list[dict[str, Any]]
    correction: Correction | None

    @property
    def machine_labels(self) -> list[str]:
        return [str(t["label"]) for t in self.machine]

    @property
    def current(self) -> list[str]:
        if self.correction is not None:
            return [str(v) for v in self.correction.value or []]
        return self.machine_labels

    @property
    def corrected(self) -> bool:
        return self.correction is not None


@dataclass(frozen=True)
class MailRow:
    """A message that carried this sketch, with all of its attachments."""

    message: Message
    attachments: list[Attachment]


@dataclass(frozen=True)
class SketchDetail:
    """Everything the detail view shows about one sketch."""

    sketch: Sketch
    fields: list[FieldRow]
    checks: list[CheckResult]
    mails: list[MailRow]
    audit: list[AuditEvent]
    supersedes: Sketch | None = None
    superseded_by: list[Sketch] = field(default_factory=list)
    labels: list[LabelRow] = field(default_factory=list)


def sketch_detail(session: Session, *, sketch_id: int) -> SketchDetail | None:
    sketch = session.get(Sketch, sketch_id)
    if sketch is None:
        return None
    machine = repo.machine_values(session, sketch_ids=[sketch_id])[sketch_id]
    staff = repo.corrections(session, sketch_ids=[sketch_id])[sketch_id]
    others = (set(machine) | set(staff)) - set(FIELD_NAMES) - set(repo.LABEL_FIELDS)
    names = list(FIELD_NAMES) + sorted(others)
    rows = [FieldRow(name=n, machine=machine.get(n), correction=staff.get(n)) for n in names]
    label_rows = [
        LabelRow(name=n, machine=list(getattr(sketch, n) or []), correction=staff.get(n))
        for n in repo.LABEL_FIELDS
    ]
    checks = list(
        session.exec(
            select(CheckResult)
            .where(CheckResult.sketch_id == sketch_id)
            .order_by(col(CheckResult.code))
        )
    )
    msg_pks = sorted(
        {
            a.message_pk
            for a in session.exec(
                select(Attachment).where(
                    (col(Attachment.sketch_id) == sketch_id)
                    | (col(Attachment.sha256) == sketch.sha256)
                )
            )
        }
    )
    mails = []
    for pk in msg_pks:
        msg = session.get_one(Message, pk)
        mails.append(MailRow(message=msg, attachments=repo.attachments_of(session, message_pk=pk)))
    mails.sort(key=lambda m: (as_utc(m.message.sent_at) or utcnow(), m.message.id or 0))
    later = list(session.exec(select(Sketch).where(Sketch.supersedes_id == sketch_id)))
    return SketchDetail(
        sketch=sketch,
        fields=rows,
        checks=checks,
        mails=mails,
        audit=audit_trail(session, sketch_id=sketch_id),
        supersedes=session.get(Sketch, sketch.supersedes_id) if sketch.supersedes_id else None,
        superseded_by=later,
        labels=label_rows,
    )


def audit_trail(session: Session, *, sketch_id: int) -> list[AuditEvent]:
    """Staff actions on a sketch, newest first."""
    stmt = (
        select(AuditEvent)
        .where(AuditEvent.sketch_id == sketch_id)
        .order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
    )
    return list(session.exec(stmt))


def get_attachment(session: Session, *, attachment_id: int) -> Attachment | None:
    return session.get(Attachment, attachment_id)


def raw_mail_of(session: Session, *, attachment_id: int) -> str | None:
    """The sha256 of the raw mail that brought this attachment (in the blob store)."""
    stmt = (
        select(Message.raw_sha256)
        .join(Attachment, col(Attachment.message_pk) == col(Message.id))
        .where(Attachment.id == attachment_id)
    )
    return session.exec(stmt).first()


# --- staff actions --------------------------------------------------------------------------


def correctable(field_name: str) -> bool:
    """Staff may correct every field of the sketch form and the inferred labels (topic
    fields, kinds of solution)."""
    return field_name in FIELD_NAMES or field_name in repo.LABEL_FIELDS


def correct_field(
    session: Session,
    *,
    sketch_id: int,
    field_name: str,
    value: Any,
    actor: str,
    comment: str | None = None,
) -> Correction:
    """Store a staff value (audited by repo) and mark the sketch for re-checking.

    ``checked_at = None`` says the findings predate the value: the review page re-checks at
    once after committing (``pipeline.check_sketches``), and should that fail the next
    ingest/rerun does; a staff status (approved, ...) is kept by ``repo.record_checks``.
    """
    if not correctable(field_name):
        raise ValueError(f"unknown field {field_name!r}")
    session.get_one(Sketch, sketch_id)
    corr = repo.set_correction(
        session, sketch_id=sketch_id, field=field_name, value=value, author=actor, comment=comment
    )
    sketch = session.get_one(Sketch, sketch_id)
    sketch.checked_at = None
    session.add(sketch)
    return corr


def set_review_status(session: Session, *, sketch_id: int, status: str, actor: str) -> AuditEvent:
    """Record a staff decision (approve, reject, not a sketch, reopen) with an audit event."""
    if status not in REVIEW_ACTIONS:
        raise ValueError(f"unknown review status {status!r}")
    sketch = session.get_one(Sketch, sketch_id)
    event = AuditEvent(
        sketch_id=sketch_id,
        actor=actor,
        action="status",
        field="status",
        old=sketch.status,
        new=status,
    )
    sketch.status = status
    session.add(sketch)
    session.add(event)
    session.flush()
    return event


TAKEABLE: tuple[str, ...] = ("not_a_sketch", "supporting_document")
"""Outcomes staff may overrule: the file is a sketch after all."""


def take_as_sketch(session: Session, *, attachment_id: int, call_id: str, actor: str) -> int:
    """Staff say this attachment is a sketch: its sketch row (made if new), the attachment
    linked to it with outcome ``sketch``; the machine's outcome is kept in its detail, so
    ``give_back`` can restore it. An audit event on the sketch says who. Returns its id."""
    att = session.get_one(Attachment, attachment_id)
    if att.outcome not in TAKEABLE:
        raise ValueError(f"attachment {attachment_id} is {att.outcome!r}, not one of {TAKEABLE}")
    message = session.get_one(Message, att.message_pk)
    sha = str(att.detail.get("pdf_sha256") or att.sha256)  # a converted file: its PDF
    sketch = repo.get_or_create_sketch(
        session,
        sha256=sha,
        call_id=call_id,
        received_at=as_utc(message.sent_at) or as_utc(message.received_at),
    )
    sid = int(sketch.id)  # type: ignore[arg-type]
    was = {"outcome": att.outcome, "reason": att.reason, "sketch_id": att.sketch_id}
    repo.set_attachment_outcome(
        session,
        attachment_id=attachment_id,
        outcome="sketch",
        reason=f"Von {actor} als Projektskizze übernommen.",
        detail={**att.detail, "staff": {**was, "by": actor}},
        sketch_id=sid,
    )
    session.add(
        AuditEvent(
            sketch_id=sid, actor=actor, action="take", field="outcome", old=was["outcome"],
            new="sketch",
        )
    )  # fmt: skip
    session.flush()
    return sid


def give_back(session: Session, *, attachment_id: int, actor: str) -> int:
    """Undo ``take_as_sketch``: the attachment gets the machine's outcome again and its
    sketch the status ``not_a_sketch`` (the row and any corrections stay, out of the
    queue). Returns the sketch id."""
    att = session.get_one(Attachment, attachment_id)
    was = att.detail.get("staff")
    if att.outcome != "sketch" or not isinstance(was, dict) or att.sketch_id is None:
        raise ValueError(f"attachment {attachment_id} was not taken as a sketch by staff")
    sid = int(att.sketch_id)
    detail = {k: v for k, v in att.detail.items() if k != "staff"}
    repo.set_attachment_outcome(
        session,
        attachment_id=attachment_id,
        outcome=str(was["outcome"]),
        reason=f"{was.get('reason') or ''} (Von {actor} wieder zurückgestellt.)".strip(),
        detail=detail,
        sketch_id=was.get("sketch_id"),
    )
    set_review_status(session, sketch_id=sid, status="not_a_sketch", actor=actor)
    return sid


def reopen_unlocked(
    session: Session, *, attachment_id: int, decrypted_sha256: str, actor: str
) -> int:
    """An encrypted attachment whose decrypted copy is ``decrypted_sha256``: pending again,
    so the next step (or a later run, if this one dies) judges the copy. Its message's key."""
    att = session.get_one(Attachment, attachment_id)
    if att.outcome != "encrypted":
        raise ValueError(f"attachment {attachment_id} is {att.outcome!r}, not encrypted")
    att.outcome, att.reason = None, None
    att.detail = {**att.detail, "decrypted_sha256": decrypted_sha256, "unlocked_by": actor}
    session.add(att)
    session.flush()
    return att.message_pk
