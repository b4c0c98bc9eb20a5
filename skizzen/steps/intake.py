"""The intake step: every received mail stored raw and recorded, before anything parses it.

Its natural key is the Message-ID with the sha256 of the raw bytes, so a different mail under
a known Message-ID is a row of its own; a mail that cannot be stored is quarantined (raw
bytes kept, a row with a German reason) while the batch goes on. Each attachment, and each
file found in a container, becomes an attachment row whose bytes are in the blob store.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from models import repo
from models.db import reachable, session_scope, storable_text
from models.tables import Attachment, Message
from skizzen.settings import RuntimeConfig

if TYPE_CHECKING:
    from skizzen.intake.containers import ContainerLimits

log = logging.getLogger(__name__)

OUTCOME_REASONS: dict[str, str] = {
    "no_attachment": "Die Nachricht hat keinen Anhang. Falls eine Skizze angekündigt war: "
    "beim Absender nachfragen.",
    "quarantined": "Die Nachricht konnte nicht gespeichert werden ({error}); sie ist "
    "unverändert im Rohspeicher abgelegt (SHA-256 {sha}). Bitte die Originalnachricht "
    "öffnen und die Skizze von Hand erfassen oder die Nachricht erneut einspielen.",
    "mime_too_deep": "Die Nachricht ist tiefer als {depth} Ebenen verschachtelt; was darunter "
    "liegt, wurde nicht gelesen (die Nachricht ist unverändert im Rohspeicher, SHA-256 {sha}). "
    "Bitte den Absender bitten, die Skizze als gewöhnlichen Anhang zu senden.",
}

MAX_KEY_CHARS = 500
"""Longest Message-ID (and In-Reply-To) stored as is: both are indexed, and PostgreSQL's
index entries hold about 2,700 bytes. A longer one is cut, with the digest of the whole."""


@dataclass
class IntakeResult:
    """What one intake pass did: counts for the summary, and the work it made."""

    seen: int = 0
    new_messages: int = 0
    new_attachments: int = 0
    unreadable: list[str] = field(default_factory=list)
    quarantined: int = 0
    reused_message_ids: int = 0
    # stored messages with attachments, for the next step (not part of the summary)
    message_pks: list[int] = field(default_factory=list)

    def counts(self) -> dict[str, Any]:
        """The summary's view (a 10,000-message intake must not put its ids there)."""
        return {k: v for k, v in self.__dict__.items() if k != "message_pks"}


def intake(config: RuntimeConfig, *, source: str, run_id: int | None) -> IntakeResult:
    """Store every message and leaf attachment raw (sha256) and record them, before parsing.

    A message already known by its natural key (Message-ID and raw sha256) is skipped
    without touching its rows. A message that cannot be read or stored is quarantined (raw
    bytes kept, a row with the reason) and the batch goes on; only a database that cannot
    be reached stops it (the task is retried).
    """
    from skizzen.intake.mail import parse_message
    from skizzen.intake.sources import iter_source
    from skizzen.intake.store import BlobStore

    store = BlobStore(config.blob_dir)
    result = IntakeResult()
    for item in iter_source(source, config=config):
        result.seen += 1
        raw_sha = store.put(item.raw)  # first of all: nothing received is lost
        msg = None
        try:
            msg = parse_message(
                item.raw,
                max_depth=config.mime_max_depth,
                max_part_bytes=config.max_attachment_bytes,
            )
            stored = _store_message(
                config, store, item, msg, raw_sha=raw_sha, source=source, run_id=run_id
            )
        except Exception as exc:
            if isinstance(exc, OSError) or not reachable(config.database_url):
                raise  # the disk or the database, not this message: the task's retry
            log.exception("message %s quarantined", item.key)
            stored = None
            if _quarantine(config, item, msg, exc, raw_sha=raw_sha, source=source, run_id=run_id):
                result.quarantined += 1
            else:  # even the quarantine row failed: the raw bytes are all there is
                result.unreadable.append(f"{item.key}: {type(exc).__name__}")
        if stored is not None:
            pk, reused = stored
            result.new_messages += 1
            result.reused_message_ids += reused
            result.new_attachments += len(msg.attachments) if msg else 0
            if msg and msg.attachments:
                result.message_pks.append(pk)
        if item.ack is not None:
            item.ack()  # committed (now or earlier): the source may move/flag it
    return result


def storable_key(value: str) -> str:
    """A Message-ID as stored: NUL-free and at most ``MAX_KEY_CHARS`` (cut with a digest)."""
    import hashlib

    value = storable_text(value)
    if len(value) <= MAX_KEY_CHARS:
        return value
    digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{value[: MAX_KEY_CHARS - 66]}…{digest}>"


def _store_message(
    config: RuntimeConfig,
    store: Any,
    item: Any,
    msg: Any,
    *,
    raw_sha: str,
    source: str,
    run_id: int | None,
) -> tuple[int, bool] | None:
    """Attachment blobs first (the raw mail is stored already, as ``raw_sha``), then the
    rows in one transaction; the new message's key and whether
    it reuses a known Message-ID, or None if this mail was known before this run.

    A message an earlier attempt of this very run stored (the intake task is retried after
    a database outage) still counts as this run's: its key is handed on, or its attachments
    would wait for the next run. A quarantined one is tried again (in the same transaction:
    if it fails again, its quarantine row stays). Text goes to the database NUL-free.
    """
    message_id = storable_key(msg.message_id)
    with session_scope(config.database_url) as session:
        known = repo.messages_with_id(session, message_id=message_id)
        same = next((m for m in known if m.raw_sha256 == raw_sha), None)
        if same is not None and same.outcome == "quarantined":
            repo.drop_quarantined(session, message=same)  # tried again; stays if it fails
            same = None
        if same is not None:
            ours = run_id is not None and same.run_id == run_id
            return (int(same.id), same.reuses_message_id_of is not None) if ours else None  # type: ignore[arg-type]
        from skizzen.intake.containers import ContainerLimits

        attachments = attachment_rows(
            msg.attachments, store=store, limits=ContainerLimits.from_config(config)
        )
        message = Message(
            message_id=message_id,
            sender=storable_text(msg.sender),
            subject=storable_text(msg.subject),
            sent_at=msg.date,
            source=storable_text(str(source)),
            source_key=storable_text(item.key),
            raw_sha256=raw_sha,
            size=len(item.raw),
            body_text=storable_text(msg.body_text),
            defects=[storable_text(d) for d in msg.defects],
            in_reply_to=storable_key(msg.in_reply_to) if msg.in_reply_to else None,
            references=[storable_key(r) for r in msg.references],
            run_id=run_id,
        )
        if not attachments:
            message.outcome = "no_attachment"
            message.reason = (
                OUTCOME_REASONS["mime_too_deep"].format(depth=msg.cut_at_depth, sha=raw_sha)
                if msg.cut_at_depth
                else OUTCOME_REASONS["no_attachment"]
            )
        added = repo.add_message(session, message=message, attachments=attachments)
        if added is None:
            return None
        if added.reuses_message_id_of is not None:
            log.warning(
                "message %s reuses the Message-ID of message %s with other content",
                added.id,
                added.reuses_message_id_of,
            )
        return int(added.id), added.reuses_message_id_of is not None  # type: ignore[arg-type]


def attachment_rows(
    files: Sequence[Any], *, store: Any, limits: ContainerLimits
) -> list[Attachment]:
    """The attachment rows of one mail, each file's bytes put in the blob store: the mail's
    own attachments in MIME order, each container (ZIP, winmail.dat) followed by what it
    held (nested up to ``limits.max_depth``), its outcome ``container`` with a German note;
    a container that cannot be opened is ``corrupt`` with the reason."""
    from skizzen.intake.containers import (
        CONTAINER_ASK,
        CONTAINER_LABELS,
        container_kind,
        container_reason,
        open_container,
    )

    rows: list[Attachment] = []

    def add(file: Any, container: int | None, depth: int) -> None:
        if not file.too_large:  # a too large one stays where it came from (raw mail)
            store.put(file.data, sha256=file.sha256)
        row = Attachment(
            message_pk=0,
            position=len(rows),
            filename=storable_text(file.filename),
            content_type=storable_text(file.content_type),
            size=file.size,
            sha256=file.sha256,
            container_position=container,
        )
        rows.append(row)
        kind = None if file.too_large or depth >= limits.max_depth else container_kind(file.data)
        if kind is None:
            return
        opened = open_container(file.data, kind, limits=limits)
        label = CONTAINER_LABELS[kind]
        if opened.error:
            row.outcome, row.reason = "corrupt", f"{opened.error} {CONTAINER_ASK}"
            row.detail = {"container": kind}
            return
        row.outcome = "container"
        row.reason = container_reason(label, len(opened.members), opened.left_out)
        row.detail = {
            "container": kind,
            "members": len(opened.members),
            "left_out": opened.left_out,
        }
        for member in opened.members:
            add(member, row.position, depth + 1)

    for file in files:
        add(file, None, 0)
    return rows


def _quarantine(
    config: RuntimeConfig,
    item: Any,
    msg: Any,
    exc: Exception,
    *,
    raw_sha: str,
    source: str,
    run_id: int | None,
) -> bool:
    """Record a message that could not be read or stored: its headers as far as known, no
    attachments (they are in the raw mail), outcome ``quarantined`` with the reason. True if
    the row exists (made now or by an earlier run)."""

    def clip(text: str, limit: int = 1000) -> str:
        return storable_text(text)[:limit]

    message_id = (
        storable_key(msg.message_id)
        if msg is not None
        else f"<{raw_sha}@skizzen.local>"  # as parse_message makes one: from the raw bytes
    )
    message = Message(
        message_id=message_id,
        sender=clip(msg.sender) if msg else "",
        subject=clip(msg.subject) if msg else "",
        sent_at=msg.date if msg else None,
        source=clip(str(source)),
        source_key=clip(item.key),
        raw_sha256=raw_sha,
        size=len(item.raw),
        defects=[clip(f"{type(exc).__name__}: {exc}")],
        outcome="quarantined",
        reason=OUTCOME_REASONS["quarantined"].format(error=type(exc).__name__, sha=raw_sha),
        run_id=run_id,
    )
    try:
        with session_scope(config.database_url) as session:
            repo.add_message(session, message=message, attachments=[])
        return True
    except Exception:
        log.exception("quarantine row for %s failed", item.key)
        return False
