"""Data access for the review page: users, web sessions, the review queue and staff actions.

Keyword-only functions that take a session, like ``models.repo``; corrections go through
``repo.set_correction`` so they win over the machine and survive every rerun, and every staff
action leaves an ``AuditEvent``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from extractors.types import FIELD_NAMES
from models import repo
from models.db import as_utc
from models.records import current_records
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
from models.users import ROLES, User, WebSession

REVIEW_ACTIONS: tuple[str, ...] = ("approved", "rejected", "not_a_sketch", "needs_review")
"""Statuses staff may set; ``needs_review`` reopens a decided sketch."""


# --- users ----------------------------------------------------------------------------------


def get_user(session: Session, *, name: str) -> User | None:
    return session.exec(select(User).where(User.name == name)).first()


def upsert_user(session: Session, *, name: str, password_hash: str, role: str) -> User:
    """Create a user or reset password and role of an existing one (logs them out)."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; expected one of {ROLES}")
    user = get_user(session, name=name) or User(name=name, password_hash=password_hash)
    user.password_hash = password_hash
    user.role = role
    user.active = True
    session.add(user)
    session.flush()
    session.exec(delete(WebSession).where(col(WebSession.user_id) == user.id))  # type: ignore[call-overload]
    return user


def set_password_hash(session: Session, *, user_id: int, password_hash: str) -> None:
    """Store a rehashed password (argon2 parameters changed)."""
    user = session.get_one(User, user_id)
    user.password_hash = password_hash
    session.add(user)


# --- web sessions ---------------------------------------------------------------------------


def open_session(
    session: Session,
    *,
    token_hash: str,
    user_id: int,
    csrf_token: str,
    absolute: timedelta,
    now: datetime | None = None,
) -> WebSession:
    now = now or utcnow()
    ws = WebSession(
        id=token_hash,
        user_id=user_id,
        csrf_token=csrf_token,
        created_at=now,
        last_seen_at=now,
        expires_at=now + absolute,
    )
    session.add(ws)
    session.flush()
    return ws


def active_session(
    session: Session, *, token_hash: str, idle: timedelta, now: datetime | None = None
) -> tuple[WebSession, User] | None:
    """The live session and its user, touched; an expired or orphaned one is deleted."""
    now = now or utcnow()
    ws = session.get(WebSession, token_hash)
    if ws is None:
        return None
    user = session.get(User, ws.user_id)
    last_seen = as_utc(ws.last_seen_at) or now
    expires = as_utc(ws.expires_at) or now
    if user is None or not user.active or now >= expires or now - last_seen >= idle:
        session.delete(ws)
        return None
    ws.last_seen_at = now
    session.add(ws)
    return ws, user


def close_session(session: Session, *, token_hash: str) -> None:
    session.exec(delete(WebSession).where(col(WebSession.id) == token_hash))  # type: ignore[call-overload]


def purge_sessions(session: Session, *, idle: timedelta, now: datetime | None = None) -> int:
    """Delete every session past its absolute or idle expiry; returns how many."""
    now = now or utcnow()
    stale = [
        ws
        for ws in session.exec(select(WebSession))
        if now >= (as_utc(ws.expires_at) or now) or now - (as_utc(ws.last_seen_at) or now) >= idle
    ]
    for ws in stale:
        session.delete(ws)
    return len(stale)


# --- queue ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueRow:
    """One line of the review queue."""

    sketch_id: int
    received_at: datetime | None
    call_id: str
    status: str
    reasons: list[str]
    themes: list[str]
    filename: str
    antragsteller: str
    projekttitel: str


PER_PAGE = 50


@dataclass(frozen=True)
class QueuePage:
    """One page of the queue, with the size of the whole selection."""

    rows: list[QueueRow]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _queue_ids(
    session: Session, *, status: str | None, call_id: str | None, topic: str | None
) -> list[int]:
    """Ids of the selection, oldest first (only ids and topic fields are read)."""
    stmt = select(Sketch.id, Sketch.themes)
    if status:
        stmt = stmt.where(Sketch.status == status)
    if call_id:
        stmt = stmt.where(Sketch.call_id == call_id)
    stmt = stmt.order_by(col(Sketch.first_received_at), col(Sketch.id))
    return [
        int(sid)
        for sid, themes in session.exec(stmt)
        if sid is not None and (not topic or topic in {t.get("label") for t in themes or []})
    ]


def _queue_rows(session: Session, ids: list[int]) -> list[QueueRow]:
    """The queue's lines for these ids, in their order, from the read model."""
    found = {rec.sketch_id: rec for rec in current_records(session, sketch_ids=ids)}
    return [
        QueueRow(
            sketch_id=sid,
            received_at=rec.received_at,
            call_id=rec.call_id,
            status=rec.status,
            reasons=list(rec.reasons),
            themes=list(rec.themes),
            filename=rec.filename or "",
            antragsteller=str(rec.fields.get("antragsteller") or ""),
            projekttitel=str(rec.fields.get("projekttitel") or ""),
        )
        for sid in ids
        if (rec := found.get(sid)) is not None
    ]


def review_queue(
    session: Session,
    *,
    status: str | None = "needs_review",
    call_id: str | None = None,
    topic: str | None = None,
) -> list[QueueRow]:
    """Sketches oldest first, filtered by status (None: all), call and topic field."""
    return _queue_rows(session, _queue_ids(session, status=status, call_id=call_id, topic=topic))


def queue_page(
    session: Session,
    *,
    status: str | None = "needs_review",
    call_id: str | None = None,
    topic: str | None = None,
    page: int = 1,
    per_page: int | None = None,
) -> QueuePage:
    """One page of ``review_queue``: the selection's ids are read whole (cheap), the rows
    with their values and files only for the page (an archive of 10,000 stays fast)."""
    per_page = per_page or PER_PAGE
    ids = _queue_ids(session, status=status, call_id=call_id, topic=topic)
    pages = max(1, -(-len(ids) // per_page))
    page = min(max(1, page), pages)
    chunk = ids[(page - 1) * per_page : page * per_page]
    return QueuePage(rows=_queue_rows(session, chunk), total=len(ids), page=page, per_page=per_page)


def filter_choices(session: Session) -> dict[str, list[str]]:
    """Values offered in the queue filters: calls and statuses present in the database."""
    calls = sorted({c for c in session.exec(select(Sketch.call_id).distinct()) if c})
    statuses = sorted({s for s in session.exec(select(Sketch.status).distinct()) if s})
    return {"calls": calls, "statuses": statuses}


# --- Posteingang ----------------------------------------------------------------------------


@dataclass(frozen=True)
class InboxPage:
    """One page of received messages (newest first), each with all of its attachments, and
    how many messages the filter found and how many items each outcome has (for the
    filter bar: a message without attachment counts as one item of its own outcome)."""

    mails: list[MailRow]
    total: int
    page: int
    per_page: int
    outcome_counts: dict[str, int]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def inbox_page(
    session: Session,
    *,
    outcome: str | None = None,
    search: str | None = None,
    page: int = 1,
    per_page: int | None = None,
) -> InboxPage:
    """Every received message that has an attachment with ``outcome`` (or, for a message
    without one, that outcome itself, e.g. ``no_attachment``, ``quarantined``), whose sender
    or subject contains ``search``; newest first, one page of them with their attachments."""
    per_page = per_page or PER_PAGE
    received = func.coalesce(col(Message.sent_at), col(Message.received_at))
    stmt = select(Message.id)
    if outcome:
        with_outcome = select(Attachment.message_pk).where(Attachment.outcome == outcome)
        stmt = stmt.where(col(Message.id).in_(with_outcome) | (col(Message.outcome) == outcome))
    if search:
        like = f"%{search.strip()}%"
        stmt = stmt.where(col(Message.sender).ilike(like) | col(Message.subject).ilike(like))
    ids = [int(i) for i in session.exec(stmt.order_by(received.desc(), col(Message.id).desc()))]
    pages = max(1, -(-len(ids) // per_page))
    page = min(max(1, page), pages)
    chunk = ids[(page - 1) * per_page : page * per_page]
    messages = {m.id: m for m in session.exec(select(Message).where(col(Message.id).in_(chunk)))}
    atts: dict[int, list[Attachment]] = {i: [] for i in chunk}
    for a in session.exec(
        select(Attachment)
        .where(col(Attachment.message_pk).in_(chunk))
        .order_by(col(Attachment.message_pk), col(Attachment.position))
    ):
        atts[a.message_pk].append(a)
    counts: dict[str, int] = {}
    for name, n in session.exec(
        select(Attachment.outcome, func.count())
        .where(col(Attachment.outcome).is_not(None))  # pending: judged in a moment
        .group_by(col(Attachment.outcome))
    ):
        counts[str(name)] = counts.get(str(name), 0) + int(n)
    for name, n in session.exec(
        select(Message.outcome, func.count())
        .where(col(Message.outcome).is_not(None))
        .group_by(col(Message.outcome))
    ):
        counts[str(name)] = counts.get(str(name), 0) + int(n)
    return InboxPage(
        mails=[MailRow(message=messages[i], attachments=atts[i]) for i in chunk],
        total=len(ids),
        page=page,
        per_page=per_page,
        outcome_counts=counts,
    )


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


def sketch_detail(session: Session, *, sketch_id: int) -> SketchDetail | None:
    sketch = session.get(Sketch, sketch_id)
    if sketch is None:
        return None
    machine = repo.machine_values(session, sketch_ids=[sketch_id])[sketch_id]
    staff = repo.corrections(session, sketch_ids=[sketch_id])[sketch_id]
    names = list(FIELD_NAMES) + sorted((set(machine) | set(staff)) - set(FIELD_NAMES))
    rows = [FieldRow(name=n, machine=machine.get(n), correction=staff.get(n)) for n in names]
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

    ``checked_at = None`` makes the next ingest/rerun run the rules over the corrected
    values; a staff status (approved, ...) is kept by ``repo.set_machine_status``.
    """
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


@dataclass(frozen=True)
class AttachmentAction:
    """A staff action on an attachment: its button and why it is refused where it does
    not apply."""

    button: str
    refusal: str


ATTACHMENT_ACTIONS: dict[str, AttachmentAction] = {
    "entsperren": AttachmentAction(
        "mit Passwort öffnen", "Nur verschlüsselte PDF-Dateien lassen sich so öffnen."
    ),
    "als-skizze": AttachmentAction(
        "als Skizze übernehmen", "Dieser Anhang kann nicht als Skizze übernommen werden."
    ),
    "zurueck": AttachmentAction(
        "doch keine Skizze", "Nur von Mitarbeitenden übernommene Skizzen lassen sich zurückstellen."
    ),
}
"""The actions by their path segment (``/anhang/<id>/<action>``)."""


def attachment_actions(att: Attachment) -> tuple[str, ...]:
    """The actions that apply to this attachment now."""
    if att.outcome == "encrypted":
        return ("entsperren",)
    if att.outcome in TAKEABLE:
        return ("als-skizze",)
    if att.outcome == "sketch" and isinstance((att.detail or {}).get("staff"), dict):
        return ("zurueck",)
    return ()


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
