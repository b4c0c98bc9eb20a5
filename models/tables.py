"""SQLModel table models: the only place tables are declared.

Natural keys make every step idempotent: a message by its Message-ID, an attachment by its
message and MIME position (plus sha256), a sketch by the sha256 of its PDF, a field value and a
correction by (sketch, field), a check result by (sketch, code).
"""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Dialect, TypeDecorator, UniqueConstraint
from sqlmodel import Field, SQLModel


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps stored as UTC and read back timezone-aware on every backend.

    SQLite has no zone type: SQLAlchemy would store the wall time of ``10:14+01:00`` as
    ``10:14`` and lose the offset (an hour off, and different from PostgreSQL). Converting to
    UTC on the way in keeps one truth; naive values are taken as UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


TZ = UTCDateTime()


def utcnow() -> datetime:
    return datetime.now(UTC)


RUN_RUNNING, RUN_COMPLETED, RUN_ABANDONED = "running", "completed", "abandoned"
"""Run statuses: a run killed mid-way is marked ``abandoned`` by the next run to start."""


class Run(SQLModel, table=True):
    """One flow run: what was asked, with which versions, and what came of it."""

    id: int | None = Field(default=None, primary_key=True)
    flow: str = Field(index=True)
    parameters: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    versions: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    counts: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    status: str = Field(default=RUN_RUNNING, index=True)
    data_docs: str | None = None
    started_at: datetime = Field(default_factory=utcnow, sa_type=TZ)
    finished_at: datetime | None = Field(default=None, sa_type=TZ)
    # who runs it: a "running" run whose process is gone (killed) can be told from a live one
    host: str = Field(default_factory=socket.gethostname, sa_column_kwargs={"server_default": ""})
    pid: int | None = Field(default_factory=os.getpid)


class Message(SQLModel, table=True):
    """A received mail, stored raw in the blob store before anything is parsed.

    Its natural key is the Message-ID together with the sha256 of the raw bytes: a second,
    different mail under a known Message-ID is a row of its own, flagged with the first
    (``reuses_message_id_of``). A mail that could not be stored has outcome
    ``quarantined``, its raw bytes kept and the reason in ``reason``.
    """

    __table_args__ = (UniqueConstraint("message_id", "raw_sha256"),)

    id: int | None = Field(default=None, primary_key=True)
    message_id: str = Field(index=True)
    sender: str = ""
    subject: str = ""
    sent_at: datetime | None = Field(default=None, index=True, sa_type=TZ)
    received_at: datetime = Field(default_factory=utcnow, index=True, sa_type=TZ)
    source: str = ""
    source_key: str = ""
    raw_sha256: str = Field(index=True)
    size: int = 0
    body_text: str = ""
    defects: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    in_reply_to: str | None = Field(default=None, index=True)
    references: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    outcome: str | None = None
    reason: str | None = None
    run_id: int | None = Field(default=None, foreign_key="run.id")
    reuses_message_id_of: int | None = Field(default=None, foreign_key="message.id")


class Attachment(SQLModel, table=True):
    """One leaf attachment of a message, or a file found in one (``container_position``);
    its bytes live in the blob store under sha256 (one over the size limit only in the
    raw mail)."""

    __table_args__ = (UniqueConstraint("message_pk", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    message_pk: int = Field(foreign_key="message.id", index=True)
    position: int
    filename: str
    content_type: str
    size: int
    sha256: str = Field(index=True)
    outcome: str | None = Field(default=None, index=True)
    reason: str | None = None
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    sketch_id: int | None = Field(default=None, foreign_key="sketch.id", index=True)
    processed_at: datetime | None = Field(default=None, sa_type=TZ)
    container_position: int | None = None
    """Found inside the attachment at this position of the same message (a ZIP, a
    winmail.dat); None for a file attached to the mail itself."""


class Sketch(SQLModel, table=True):
    """One distinct sketch document (by PDF sha256), with its machine themes and status."""

    id: int | None = Field(default=None, primary_key=True)
    sha256: str = Field(unique=True, index=True)
    call_id: str = Field(default="heimat-2.0", index=True)
    first_received_at: datetime | None = Field(default=None, index=True, sa_type=TZ)
    status: str = Field(default="new", index=True)
    status_reasons: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    supersedes_id: int | None = Field(default=None, foreign_key="sketch.id")
    themes: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))
    loesungsart: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))
    theme_model_version: str | None = None
    parser_version: str | None = None
    page_count: int | None = None
    doc_kind_confidence: float | None = None
    extracted_at: datetime | None = Field(default=None, sa_type=TZ)
    extraction_run_id: int | None = Field(default=None, foreign_key="run.id")
    checked_at: datetime | None = Field(default=None, sa_type=TZ)


class FieldValue(SQLModel, table=True):
    """The machine's value of one field, with evidence and confidence (never staff's)."""

    __tablename__ = "field_value"
    __table_args__ = (UniqueConstraint("sketch_id", "field"),)

    id: int | None = Field(default=None, primary_key=True)
    sketch_id: int = Field(foreign_key="sketch.id", index=True)
    field: str
    value: Any = Field(default=None, sa_column=Column(JSON))
    confidence: float = 0.0
    page: int | None = None
    snippet: str | None = None
    box: list[float] | None = Field(default=None, sa_column=Column(JSON))
    """Where the evidence stands on its page: x0, top, x1, bottom in PDF points from the
    page's top left (the review page draws it on the page image)."""
    extractor: str = ""
    run_id: int | None = Field(default=None, foreign_key="run.id")
    updated_at: datetime = Field(default_factory=utcnow, sa_type=TZ)


class Correction(SQLModel, table=True):
    """A value set by staff; it wins over the machine value and survives every rerun."""

    __table_args__ = (UniqueConstraint("sketch_id", "field"),)

    id: int | None = Field(default=None, primary_key=True)
    sketch_id: int = Field(foreign_key="sketch.id", index=True)
    field: str
    value: Any = Field(default=None, sa_column=Column(JSON))
    author: str
    comment: str | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=TZ)


class CheckResult(SQLModel, table=True):
    """A violated rule of the call for one sketch, as found by the latest check."""

    __tablename__ = "check_result"
    __table_args__ = (UniqueConstraint("sketch_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    sketch_id: int = Field(foreign_key="sketch.id", index=True)
    code: str
    message: str = ""
    run_id: int | None = Field(default=None, foreign_key="run.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=TZ)


class AuditEvent(SQLModel, table=True):
    """Who did what to which sketch, old → new."""

    __tablename__ = "audit_event"
    id: int | None = Field(default=None, primary_key=True)
    sketch_id: int | None = Field(default=None, foreign_key="sketch.id", index=True)
    actor: str
    action: str
    field: str | None = None
    old: Any = Field(default=None, sa_column=Column(JSON))
    new: Any = Field(default=None, sa_column=Column(JSON))
    at: datetime = Field(default_factory=utcnow, sa_type=TZ)


class Lease(SQLModel, table=True):
    """A run's claim on one piece of work (``message:7``, ``sketch:12``) while it does it.

    Two runs started together each take what the other has not claimed, so each message and
    sketch is done once. A claim ends when its work is stored; one left by a killed run
    expires at ``expires_at``, or at once when its process is gone on the same host.
    """

    key: str = Field(primary_key=True)
    owner: str
    host: str = ""
    pid: int | None = None
    expires_at: datetime = Field(sa_type=TZ, index=True)


RULE_ACTIVE, RULE_SUPERSEDED, RULE_REMOVED = "active", "superseded", "removed"
"""Statuses of a learned rule's version: the one in use, one replaced by a newer version
(a later correction on the same layout and field), one staff removed."""


class LearnedRule(SQLModel, table=True):
    """One version of a rule taught by a staff correction (``extractors.taught``): where a
    layout writes a field. Versions of one rule share ``rule_no`` (the id of its first
    version); a removed or replaced version keeps its row, so it is known what read a value."""

    __tablename__ = "learned_rule"
    __table_args__ = (UniqueConstraint("rule_no", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    rule_no: int | None = Field(default=None, index=True)
    version: int = 1
    field: str
    kind: str
    place: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    producer: str = Field(default="", index=True)
    layout: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    correction_id: int | None = Field(default=None, foreign_key="correction.id")
    sketch_id: int | None = Field(default=None, foreign_key="sketch.id", index=True)
    author: str = ""
    status: str = Field(default=RULE_ACTIVE, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=TZ)
    ended_at: datetime | None = Field(default=None, sa_type=TZ)
    ended_by: str | None = None
