"""Data access for the Posteingang: every received message with its attachments, and the
staff actions that apply to an attachment (the actions themselves are in ``models.review``).

Keyword-only functions that take a session, like ``models.repo``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from models.review import TAKEABLE, MailRow
from models.tables import Attachment, Message

PER_PAGE = 50
"""Messages on one page of the Posteingang."""


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
