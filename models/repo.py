"""Data-access functions: keyword-only, each takes a session; nothing else writes to it.

The "current" value of a field is derived here: a staff correction if present, else the
machine value. Machine writes never touch corrections.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import delete, insert, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models.tables import (
    RUN_ABANDONED,
    RUN_COMPLETED,
    RUN_RUNNING,
    Attachment,
    AuditEvent,
    CheckResult,
    Correction,
    FieldValue,
    Lease,
    Message,
    Run,
    Sketch,
    utcnow,
)

STAFF_STATUSES = frozenset({"approved", "rejected", "not_a_sketch"})
"""Statuses set by staff; machine reruns update reasons but never overwrite these."""

LABEL_FIELDS: tuple[str, ...] = ("themes", "loesungsart")
"""The sketch's inferred labels (topic fields, kinds of solution) that staff may correct like
a field: the machine's stay in ``Sketch.themes``/``loesungsart`` (rewritten by every rerun),
staff's list of labels is a ``Correction`` row under this name, so it wins and survives."""

T = TypeVar("T")


def _race_safe(session: Session, work: Callable[[], T]) -> T:
    """Run ``work`` in a SAVEPOINT; if a concurrent writer inserted the same natural key
    first (IntegrityError), roll back to the savepoint and run it once more.

    ``work`` must read before it writes, so the second attempt sees the winner's row and
    updates it instead of inserting: the loser of a race treats the row as existing rather
    than failing its batch (PostgreSQL READ COMMITTED sees rows committed meanwhile; SQLite
    serialises writers with BEGIN IMMEDIATE, so there the race cannot happen).
    """
    try:
        with session.begin_nested():
            return work()
    except IntegrityError:
        with session.begin_nested():
            return work()


# --- runs -----------------------------------------------------------------------------------


def start_run(
    session: Session, *, flow: str, parameters: Mapping[str, Any], versions: Mapping[str, Any]
) -> Run:
    run = Run(flow=flow, parameters=dict(parameters), versions=dict(versions))
    session.add(run)
    session.flush()
    return run


def finish_run(
    session: Session,
    *,
    run_id: int,
    counts: Mapping[str, Any],
    status: str = RUN_COMPLETED,
    data_docs: str | None = None,
) -> Run:
    run = session.get_one(Run, run_id)
    run.counts = dict(counts)
    run.status = status
    run.data_docs = data_docs
    run.finished_at = utcnow()
    session.add(run)
    return run


def mark_abandoned_runs(session: Session, *, older_than: timedelta) -> list[int]:
    """Mark runs that say ``running`` but can no longer finish as ``abandoned``; returns
    their ids. Such a run's process has ended on this host, or (started elsewhere, where
    its process cannot be asked) it started longer ago than ``older_than``."""
    from models.db import as_utc

    cutoff = utcnow() - older_than
    stale = [
        run
        for run in session.exec(select(Run).where(Run.status == RUN_RUNNING))
        if _process_gone(run.host, run.pid) or as_utc(run.started_at) < cutoff
    ]
    for run in stale:
        run.status = RUN_ABANDONED
        run.finished_at = utcnow()
        session.add(run)
    session.flush()
    return [int(run.id) for run in stale]  # type: ignore[arg-type]


# --- intake ---------------------------------------------------------------------------------


def messages_with_id(session: Session, *, message_id: str) -> list[Message]:
    """Every stored message under this Message-ID, first stored first (usually one)."""
    stmt = select(Message).where(Message.message_id == message_id).order_by(col(Message.id))
    return list(session.exec(stmt))


def add_message(
    session: Session, *, message: Message, attachments: Sequence[Attachment]
) -> Message | None:
    """Insert a message with its attachments unless it is known by its natural key
    (Message-ID and raw sha256): the row stored, or None if it was known.

    A different mail under a known Message-ID is stored too, pointing at the first one
    (``reuses_message_id_of``). A concurrent intake that stored the same mail first wins;
    this one returns None.
    """

    def known() -> tuple[Message | None, Message | None]:
        rows = messages_with_id(session, message_id=message.message_id)
        same = next((m for m in rows if m.raw_sha256 == message.raw_sha256), None)
        return same, (rows[0] if rows else None)

    same, first = known()
    if same is not None:
        return None
    message.reuses_message_id_of = first.id if first is not None else None
    try:
        with session.begin_nested():
            session.add(message)
            session.flush()
            for att in attachments:
                att.message_pk = message.id  # type: ignore[assignment]
                session.add(att)
            session.flush()
    except IntegrityError:
        if known()[0] is None:
            raise  # not a race for the same mail: a real error
        return None
    return message


def drop_quarantined(session: Session, *, message: Message) -> None:
    """Remove a quarantine row (no attachments) before the mail is stored again."""
    if message.outcome != "quarantined":
        raise ValueError(f"message {message.id} is not quarantined")
    session.delete(message)
    session.flush()


def pending_attachments(session: Session, *, limit: int | None = None) -> list[Attachment]:
    """Attachments without an outcome yet, oldest message first."""
    stmt = (
        select(Attachment)
        .join(Message, col(Message.id) == col(Attachment.message_pk))
        .where(col(Attachment.outcome).is_(None))
        .order_by(col(Message.sent_at), col(Attachment.message_pk), col(Attachment.position))
    )
    if limit:
        stmt = stmt.limit(limit)
    return list(session.exec(stmt))


def attachments_of(session: Session, *, message_pk: int) -> list[Attachment]:
    stmt = (
        select(Attachment)
        .where(Attachment.message_pk == message_pk)
        .order_by(col(Attachment.position))
    )
    return list(session.exec(stmt))


def set_attachment_outcome(
    session: Session,
    *,
    attachment_id: int,
    outcome: str,
    reason: str,
    detail: Mapping[str, Any] | None = None,
    sketch_id: int | None = None,
) -> None:
    att = session.get_one(Attachment, attachment_id)
    att.outcome = outcome
    att.reason = reason
    att.detail = dict(detail or {})
    att.sketch_id = sketch_id
    att.processed_at = utcnow()
    session.add(att)


# --- sketches -------------------------------------------------------------------------------


def get_or_create_sketch(
    session: Session, *, sha256: str, call_id: str, received_at: datetime | None
) -> Sketch:
    """The sketch of this PDF (race-safe); ``first_received_at`` is the earliest receipt
    whatever order messages are processed in (so concurrent ingests agree)."""

    def work() -> Sketch:
        sketch = session.exec(select(Sketch).where(Sketch.sha256 == sha256)).first()
        if sketch is None:
            sketch = Sketch(sha256=sha256, call_id=call_id, first_received_at=received_at)
            session.add(sketch)
        elif received_at is not None and (
            sketch.first_received_at is None or _utc(received_at) < _utc(sketch.first_received_at)
        ):
            sketch.first_received_at = received_at
            session.add(sketch)
        session.flush()
        return sketch

    return _race_safe(session, work)


def _utc(value: datetime) -> datetime:
    from models.db import as_utc

    out = as_utc(value)
    assert out is not None
    return out


def sketches_in_scope(
    session: Session,
    *,
    sketch_ids: Sequence[int] | None = None,
    sha256s: Sequence[str] | None = None,
    call_id: str | None = None,
    received_from: datetime | None = None,
    received_to: datetime | None = None,
) -> list[Sketch]:
    """Sketches selected by id/sha256 list, call and/or received-date range (all if none)."""
    stmt = select(Sketch)
    if sketch_ids:
        stmt = stmt.where(col(Sketch.id).in_(list(sketch_ids)))
    if sha256s:
        stmt = stmt.where(col(Sketch.sha256).in_(list(sha256s)))
    if call_id:
        stmt = stmt.where(Sketch.call_id == call_id)
    if received_from:
        stmt = stmt.where(col(Sketch.first_received_at) >= received_from)
    if received_to:
        stmt = stmt.where(col(Sketch.first_received_at) <= received_to)
    return list(session.exec(stmt.order_by(col(Sketch.first_received_at), col(Sketch.id))))


def store_extraction(
    session: Session,
    *,
    sketch_id: int,
    fields: Mapping[str, Mapping[str, Any]],
    themes: Sequence[Mapping[str, Any]],
    loesungsart: Sequence[Mapping[str, Any]],
    theme_model_version: str,
    parser_version: str,
    page_count: int,
    run_id: int | None,
) -> None:
    """Upsert the machine values of one sketch; staff corrections are not touched."""
    store_extractions(
        session,
        extractions={
            sketch_id: {
                "fields": fields,
                "themes": themes,
                "loesungsart": loesungsart,
                "theme_model_version": theme_model_version,
                "parser_version": parser_version,
                "page_count": page_count,
            }
        },
        run_id=run_id,
    )


def store_extractions(
    session: Session, *, extractions: Mapping[int, Mapping[str, Any]], run_id: int | None
) -> None:
    """Upsert the machine values of many sketches (``store_extraction``'s arguments per
    sketch id) with two reads and one flush, not four round trips per sketch; staff
    corrections are not touched."""
    if not extractions:
        return
    now = utcnow()
    ids = list(extractions)

    content = ("value", "confidence", "page", "snippet", "box", "extractor")

    def upsert_fields() -> None:
        # plain rows, not ORM objects: a batch has hundreds of fields, and a rerun with
        # nothing changed rewrites none of them (run_id and updated_at: one statement)
        columns = [col(getattr(FieldValue, c)) for c in ("id", "sketch_id", "field", *content)]
        existing = {
            (row.sketch_id, row.field): row
            for row in session.exec(select(*columns).where(col(FieldValue.sketch_id).in_(ids)))
        }
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        for sketch_id, extraction in extractions.items():
            for name, res in extraction["fields"].items():
                ev = res.get("evidence") or {}
                new = {
                    "value": res.get("value"),
                    "confidence": float(res.get("confidence", 0.0)),
                    "page": ev.get("page"),
                    "snippet": ev.get("snippet"),
                    "box": [float(v) for v in ev["box"]] if ev.get("box") else None,
                    "extractor": str(res.get("extractor", "")),
                }
                old = existing.get((sketch_id, name))
                if old is None:
                    inserts.append(
                        {"sketch_id": sketch_id, "field": name, **new, "run_id": run_id}
                        | {"updated_at": now}
                    )
                elif any(getattr(old, c) != new[c] for c in content):
                    updates.append({"id": old.id, **new})  # run_id, updated_at: below
        if inserts:
            session.execute(insert(FieldValue), inserts)
        if updates:
            session.execute(update(FieldValue), updates)
        # every value of the batch is this run's (one statement, not one per row)
        session.execute(
            update(FieldValue)
            .where(col(FieldValue.sketch_id).in_(ids))
            .values(run_id=run_id, updated_at=now)
            .execution_options(synchronize_session=False)
        )

    _race_safe(session, upsert_fields)
    sketches = {s.id: s for s in session.exec(select(Sketch).where(col(Sketch.id).in_(ids)))}
    for sketch_id, extraction in extractions.items():
        sketch = sketches[sketch_id]
        sketch.themes = [dict(t) for t in extraction["themes"]]
        sketch.loesungsart = [dict(t) for t in extraction["loesungsart"]]
        sketch.theme_model_version = extraction["theme_model_version"]
        sketch.parser_version = extraction["parser_version"]
        sketch.page_count = extraction["page_count"]
        sketch.extracted_at = now
        sketch.extraction_run_id = run_id
        session.add(sketch)


def machine_labels(sketch: Sketch, name: str) -> list[str]:
    """The machine's labels of ``name`` (one of ``LABEL_FIELDS``), strongest first."""
    return [str(t["label"]) for t in getattr(sketch, name) or []]


def machine_values(
    session: Session, *, sketch_ids: Iterable[int]
) -> dict[int, dict[str, FieldValue]]:
    ids = list(sketch_ids)
    out: dict[int, dict[str, FieldValue]] = {i: {} for i in ids}
    if ids:
        for fv in session.exec(select(FieldValue).where(col(FieldValue.sketch_id).in_(ids))):
            out[fv.sketch_id][fv.field] = fv
    return out


def machine_fields(
    session: Session, *, sketch_ids: Iterable[int]
) -> dict[int, dict[str, tuple[Any, float]]]:
    """The machine's value and confidence per field, as plain rows (what the read model and
    the checks need; ``machine_values`` gives the rows with their evidence)."""
    ids = list(sketch_ids)
    out: dict[int, dict[str, tuple[Any, float]]] = {i: {} for i in ids}
    if ids:
        stmt = select(
            col(FieldValue.sketch_id),
            col(FieldValue.field),
            col(FieldValue.value),
            col(FieldValue.confidence),
        ).where(col(FieldValue.sketch_id).in_(ids))
        for sketch_id, name, value, confidence in session.exec(stmt):
            out[sketch_id][name] = (value, confidence)
    return out


def corrections(session: Session, *, sketch_ids: Iterable[int]) -> dict[int, dict[str, Correction]]:
    ids = list(sketch_ids)
    out: dict[int, dict[str, Correction]] = {i: {} for i in ids}
    if ids:
        for c in session.exec(select(Correction).where(col(Correction.sketch_id).in_(ids))):
            out[c.sketch_id][c.field] = c
    return out


def current_values(
    session: Session, *, sketch_ids: Iterable[int], fields: Iterable[str] | None = None
) -> dict[int, dict[str, Any]]:
    """Field values as staff and consumers see them: correction if present, else machine
    (``fields``: only these). Plain rows, not ORM objects: an archive has 20 per sketch."""
    ids = list(sketch_ids)
    out: dict[int, dict[str, Any]] = {i: {} for i in ids}
    if not ids:
        return out
    wanted = list(fields) if fields is not None else None
    for table in (FieldValue, Correction):  # staff's value last: it wins
        stmt = select(col(table.sketch_id), col(table.field), col(table.value)).where(
            col(table.sketch_id).in_(ids)
        )
        if wanted is not None:
            stmt = stmt.where(col(table.field).in_(wanted))
        for sketch_id, name, value in session.exec(stmt):
            out[sketch_id][name] = value
    return out


def set_correction(
    session: Session,
    *,
    sketch_id: int,
    field: str,
    value: Any,
    author: str,
    comment: str | None = None,
) -> Correction:
    """Record a staff value (it wins over the machine from now on) and audit it."""
    current = current_values(session, sketch_ids=[sketch_id])[sketch_id].get(field)
    if current is None and field in LABEL_FIELDS:  # not corrected yet: the machine's labels
        current = machine_labels(session.get_one(Sketch, sketch_id), field)

    def upsert() -> Correction:
        corr = session.exec(
            select(Correction).where(Correction.sketch_id == sketch_id, Correction.field == field)
        ).first() or Correction(sketch_id=sketch_id, field=field, author=author)
        corr.value = value
        corr.author = author
        corr.comment = comment
        corr.created_at = utcnow()
        session.add(corr)
        session.flush()
        return corr

    corr = _race_safe(session, upsert)
    session.add(
        AuditEvent(
            sketch_id=sketch_id, actor=author, action="correct", field=field, old=current, new=value
        )
    )
    session.flush()
    return corr


def replace_check_results(
    session: Session,
    *,
    sketch_id: int,
    violations: Sequence[tuple[str, str]],
    run_id: int | None,
) -> None:
    """The latest check wins: old results of this sketch are replaced by (code, message)s."""

    def replace() -> None:
        session.exec(delete(CheckResult).where(col(CheckResult.sketch_id) == sketch_id))  # type: ignore[call-overload]
        seen: set[str] = set()
        for code, message in violations:
            if code in seen:
                continue
            seen.add(code)
            session.add(CheckResult(sketch_id=sketch_id, code=code, message=message, run_id=run_id))
        session.flush()

    _race_safe(session, replace)


@dataclass(frozen=True)
class CheckVerdict:
    """One sketch's check result: findings as (code, German message), and the machine's
    status with its reasons (finding codes and review reasons)."""

    violations: Sequence[tuple[str, str]]
    status: str
    reasons: Sequence[str]


def record_checks(
    session: Session, *, verdicts: Mapping[int, CheckVerdict], run_id: int | None
) -> None:
    """``replace_check_results`` and ``set_machine_status`` for many sketches at once: one
    delete, one insert and one read of the sketches, not five round trips per sketch (a
    rerun of 10,000 sketches checks them all)."""
    if not verdicts:
        return
    ids = list(verdicts)
    now = utcnow()

    def replace() -> None:
        session.exec(delete(CheckResult).where(col(CheckResult.sketch_id).in_(ids)))  # type: ignore[call-overload]
        rows = []
        for sketch_id, verdict in verdicts.items():
            seen: set[str] = set()
            for code, message in verdict.violations:
                if code not in seen:
                    seen.add(code)
                    rows.append(
                        CheckResult(sketch_id=sketch_id, code=code, message=message, run_id=run_id)
                    )
        session.add_all(rows)
        session.flush()

    _race_safe(session, replace)
    for sketch in session.exec(select(Sketch).where(col(Sketch.id).in_(ids))):
        verdict = verdicts[int(sketch.id)]  # type: ignore[arg-type]
        if sketch.status not in STAFF_STATUSES:
            sketch.status = verdict.status
        sketch.status_reasons = list(verdict.reasons)
        sketch.checked_at = now
        session.add(sketch)


def check_codes(session: Session, *, sketch_ids: Iterable[int]) -> dict[int, list[str]]:
    ids = list(sketch_ids)
    out: dict[int, list[str]] = {i: [] for i in ids}
    if ids:
        stmt = select(CheckResult).where(col(CheckResult.sketch_id).in_(ids))
        for cr in session.exec(stmt):
            out[cr.sketch_id].append(cr.code)
    return {k: sorted(v) for k, v in out.items()}


def set_machine_status(
    session: Session, *, sketch_id: int, status: str, reasons: Sequence[str]
) -> None:
    """Set the machine's verdict; a staff decision (approved, rejected, ...) stays."""
    sketch = session.get_one(Sketch, sketch_id)
    if sketch.status not in STAFF_STATUSES:
        sketch.status = status
    sketch.status_reasons = list(reasons)
    sketch.checked_at = utcnow()
    session.add(sketch)


def sketch_messages(session: Session, *, sketch_ids: Iterable[int]) -> dict[int, list[Message]]:
    """The messages that delivered each sketch (a sketch sent twice has two)."""
    ids = list(sketch_ids)
    out: dict[int, list[Message]] = {i: [] for i in ids}
    if not ids:
        return out
    stmt = (
        select(Attachment.sketch_id, Message)
        .join(Message, col(Message.id) == col(Attachment.message_pk))
        .where(col(Attachment.sketch_id).in_(ids), Attachment.outcome == "sketch")
    )
    for sketch_id, msg in session.exec(stmt):
        if sketch_id is not None and msg not in out[sketch_id]:
            out[sketch_id].append(msg)
    return out


def set_supersedes(session: Session, *, sketch_id: int, supersedes_id: int | None) -> None:
    sketch = session.get_one(Sketch, sketch_id)
    if sketch.supersedes_id != supersedes_id:
        sketch.supersedes_id = supersedes_id
        session.add(sketch)


# --------------------------------------------------------------------------- read model


def first_sketch_files(
    session: Session, *, sketch_ids: Iterable[int] | None = None
) -> dict[int, tuple[Attachment, Message]]:
    """Per sketch, the attachment (and its message) it was first received as: the earliest
    message, then the attachment's position in it. The one rule for "the file of a
    sketch" (export, report, review page, run summary)."""
    stmt = (
        select(Attachment, Message)
        .join(Message, col(Message.id) == col(Attachment.message_pk))
        .where(Attachment.outcome == "sketch")
        .order_by(col(Message.sent_at), col(Message.id), col(Attachment.position))
    )
    if sketch_ids is not None:
        stmt = stmt.where(col(Attachment.sketch_id).in_(list(sketch_ids)))
    out: dict[int, tuple[Attachment, Message]] = {}
    for att, msg in session.exec(stmt):
        if att.sketch_id is not None:
            out.setdefault(att.sketch_id, (att, msg))
    return out


def messages_with_attachments(session: Session) -> list[tuple[Message, list[Attachment]]]:
    """Every message in the order sent, with its attachments in their order in the mail."""
    messages = list(session.exec(select(Message).order_by(col(Message.sent_at), col(Message.id))))
    atts: dict[int, list[Attachment]] = {}
    for att in session.exec(select(Attachment).order_by(col(Attachment.position))):
        atts.setdefault(att.message_pk, []).append(att)
    return [(m, atts.get(int(m.id), [])) for m in messages]  # type: ignore[arg-type]


def call_ids(session: Session) -> list[str]:
    """The calls (Förderaufrufe) that have sketches, sorted."""
    return sorted({c for c in session.exec(select(Sketch.call_id).distinct()) if c})


def sketch_ids_of_call(session: Session, *, call_id: str) -> list[int]:
    """The sketches of one call, first received first (the read model's order)."""
    stmt = (
        select(Sketch.id)
        .where(Sketch.call_id == call_id)
        .order_by(col(Sketch.first_received_at), col(Sketch.id))
    )
    return [int(i) for i in session.exec(stmt) if i is not None]


def pending_message_pks(session: Session) -> list[int]:
    """Messages that still have attachments without outcome (left by a killed run)."""
    return sorted({a.message_pk for a in pending_attachments(session)})


def sketch_shas(session: Session, *, sketch_ids: Iterable[int]) -> dict[int, str]:
    """The PDF hash of each of these sketches (one query for a batch)."""
    stmt = select(Sketch.id, Sketch.sha256).where(col(Sketch.id).in_(list(sketch_ids)))
    return {int(i): sha for i, sha in session.exec(stmt) if i is not None}


def unextracted_sketch_ids(session: Session, *, among: Iterable[int] | None = None) -> list[int]:
    """Sketches never extracted (new, or left so by a killed run), all or ``among`` these."""
    stmt = select(Sketch.id).where(col(Sketch.extracted_at).is_(None))
    if among is not None:
        stmt = stmt.where(col(Sketch.id).in_(list(among)))
    return sorted(int(i) for i in session.exec(stmt) if i is not None)


def unchecked_sketch_ids(session: Session) -> list[int]:
    """Sketches extracted but not checked since (new, rerun, or left by a killed run)."""
    from models.db import as_utc

    out = []
    for s in session.exec(select(Sketch).where(col(Sketch.extracted_at).is_not(None))):
        checked, extracted = as_utc(s.checked_at), as_utc(s.extracted_at)
        if checked is None or (extracted is not None and extracted > checked):
            out.append(int(s.id))  # type: ignore[arg-type]
    return out


def outcome_counts(session: Session) -> dict[str, int]:
    """Counts per outcome over everything received (attachments + messages without one)."""
    counts: dict[str, int] = {}
    for outcome in session.exec(select(Attachment.outcome)):
        counts[outcome or "pending"] = counts.get(outcome or "pending", 0) + 1
    # messages that end without attachment rows: none came, or the mail was quarantined
    for outcome in session.exec(select(Message.outcome).where(col(Message.outcome).is_not(None))):
        counts[str(outcome)] = counts.get(str(outcome), 0) + 1
    return dict(sorted(counts.items()))


# --- leases: concurrent runs share the work -------------------------------------------------


def lease_owner(run_id: int | None) -> str:
    """Who claims: this process of this run (threads of one run share their claims)."""
    return f"{socket.gethostname()}:{os.getpid()}:{run_id}"


def _process_gone(host: str, pid: int | None) -> bool:
    """The process ``pid`` of ``host`` has ended and ``host`` is this one (a killed run)."""
    if host != socket.gethostname() or not pid or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def claim(session: Session, *, keys: Iterable[str], owner: str, seconds: float) -> list[str]:
    """Claim ``keys`` for ``owner`` for ``seconds``; returns those claimed (not the ones
    another live run holds), in the given order.

    Race-safe on SQLite and PostgreSQL: a new claim is an insert (the primary key lets one of
    two win), taking over an expired or orphaned claim is a compare-and-set on its old owner.
    Commits, so that other runs see the claims at once.
    """
    now = utcnow()
    until = now + timedelta(seconds=seconds)
    host, pid = socket.gethostname(), os.getpid()
    wanted = list(dict.fromkeys(keys))
    held = {
        lease.key: lease for lease in session.exec(select(Lease).where(col(Lease.key).in_(wanted)))
    }
    new = [k for k in wanted if k not in held]
    row = {"owner": owner, "host": host, "pid": pid, "expires_at": until}
    inserted: set[str] = set()
    try:  # all new claims in one statement; if another run was quicker, one by one
        with session.begin_nested():
            if new:
                session.execute(insert(Lease), [{"key": k, **row} for k in new])
        inserted.update(new)
    except IntegrityError:
        for key in new:
            try:
                with session.begin_nested():
                    session.execute(insert(Lease), [{"key": key, **row}])
                inserted.add(key)
            except IntegrityError:
                pass  # another run claimed it a moment ago
    got: list[str] = []
    for key in wanted:
        lease = held.get(key)
        if lease is None:
            if key in inserted:
                got.append(key)
            continue
        if (
            lease.owner != owner
            and _utc(lease.expires_at) > now
            and not _process_gone(lease.host, lease.pid)
        ):
            continue
        stmt = (
            update(Lease)
            .where(col(Lease.key) == key, col(Lease.owner) == lease.owner)
            .values(owner=owner, host=host, pid=pid, expires_at=until)
            .execution_options(synchronize_session=False)
        )
        if session.exec(stmt).rowcount == 1:  # type: ignore[call-overload]
            got.append(key)
    session.commit()
    return got


def release(session: Session, *, keys: Iterable[str], owner: str) -> None:
    """End ``owner``'s claims on ``keys`` (their work is stored)."""
    stmt = delete(Lease).where(col(Lease.key).in_(list(keys)), col(Lease.owner) == owner)
    session.exec(stmt)  # type: ignore[call-overload]
