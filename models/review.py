"""Data access for the review page: users, web sessions, the review queue and staff actions.

Keyword-only functions that take a session, like ``models.repo``; corrections go through
``repo.set_correction`` so they win over the machine and survive every rerun, and every staff
action leaves an ``AuditEvent``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, func, or_, true, union
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


QUEUE_SORTS: tuple[str, ...] = ("received", "confidence", "cost", "status")
"""Orders of the queue: first received, lowest field confidence, total cost, status."""

STATUS_ORDER: tuple[str, ...] = (
    "new",
    "needs_review",
    "ready",
    "approved",
    "rejected",
    "not_a_sketch",
)
"""The queue's order by status: the way through review (as ``labels.STATUS_LABELS``)."""

SEARCH_FIELDS: tuple[str, ...] = ("antragsteller", "projekttitel", "landkreis", "bundesland", "plz")
"""Fields the queue search reads (current values), besides the senders of the sketch's mails.
The registry has no town field: a sketch's place is its district, state and postcode."""

COST_FIELD = "gesamtkosten_eur"
SEARCH_MAX_WORDS = 8
"""A search is cut into words; each must occur in one of the fields or a sender."""


@dataclass(frozen=True)
class QueueRow:
    """One line of the review queue.

    ``confidence``: the lowest machine confidence among the fields staff have not corrected
    (None: none); ``cost``: the current total cost; ``approvable``: no findings, so it may be
    approved together with others (``approve_without_findings``).
    """

    sketch_id: int
    received_at: datetime | None
    call_id: str
    status: str
    reasons: list[str]
    themes: list[str]
    filename: str
    antragsteller: str
    projekttitel: str
    confidence: float | None = None
    cost: float | None = None
    approvable: bool = False


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


@dataclass(frozen=True)
class QueueNeighbours:
    """Where a sketch stands in a queue selection: the sketches before and after it, its
    place (1-based; None when it is not, or no longer, in the selection, e.g. just
    approved out of "zu prüfen": then the neighbours are those around where it was), the
    size of the selection and the queue page it is (or was) on."""

    previous: int | None
    next: int | None
    position: int | None
    total: int
    page: int


def _likes(word: str) -> list[str]:
    """``%word%`` patterns (LIKE's wildcards in the word taken literally, escape ``\\``):
    lower case, and capitalised too, since SQLite folds the case of ASCII letters only
    ("HÜNEN" finds "Hünenbrück", "überlingen" finds "Überlingen", "öpnv" finds "ÖPNV")."""
    low = word.lower()
    out = []
    for variant in dict.fromkeys((low, low[:1].upper() + low[1:])):
        escaped = variant.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        out.append(f"%{escaped}%")
    return out


def _contains(column: Any, word: str, *, fold: bool) -> Any:
    """``column`` contains ``word``: ILIKE where the database folds case itself (``fold``,
    PostgreSQL); SQLite's LIKE already ignores the case of ASCII letters (no ``lower()``)."""
    if fold:
        return or_(*(column.ilike(like, escape="\\") for like in _likes(word)))
    return or_(*(column.like(like, escape="\\") for like in _likes(word)))


def _search_words(search: str | None) -> list[str]:
    return (search or "").split()[:SEARCH_MAX_WORDS]


def _matching_ids(word: str, *, fold: bool) -> Any:
    """Ids of the sketches with ``word`` in a current search field (a correction wins) or
    in a sender of a mail that brought them; case-insensitive (on SQLite as far as
    ``_likes`` reaches)."""
    corrected = (
        select(Correction.id)
        .where(Correction.sketch_id == FieldValue.sketch_id, Correction.field == FieldValue.field)
        .exists()
    )
    machine = select(FieldValue.sketch_id).where(
        col(FieldValue.field).in_(SEARCH_FIELDS),
        _contains(col(FieldValue.value)[()].as_string(), word, fold=fold),
        ~corrected,
    )
    staff = select(Correction.sketch_id).where(
        col(Correction.field).in_(SEARCH_FIELDS),
        _contains(col(Correction.value)[()].as_string(), word, fold=fold),
    )
    # the mails of the detail page: attachments linked to the sketch or of its sha256
    senders = select(Message.id).where(_contains(col(Message.sender), word, fold=fold))
    by_link = select(Attachment.sketch_id).where(
        col(Attachment.message_pk).in_(senders), col(Attachment.sketch_id).is_not(None)
    )
    by_sha = select(Sketch.id).where(
        col(Sketch.sha256).in_(
            select(Attachment.sha256).where(col(Attachment.message_pk).in_(senders))
        )
    )
    return union(machine, staff, by_link, by_sha)


def _restricted(stmt: Any, column: Any, ids: list[int] | None) -> Any:
    return stmt if ids is None else stmt.where(column.in_(ids))


def _lowest_confidences(session: Session, ids: list[int] | None) -> dict[int, float]:
    """Per sketch (of ``ids``; None: all), its lowest machine confidence over the fields
    staff have not corrected (a corrected value is staff's, not a guess). Grouped plainly,
    then again without the corrected fields for the few sketches that have corrections."""
    sketch_id = col(FieldValue.sketch_id)
    low = select(sketch_id, func.min(FieldValue.confidence))
    lows = {
        int(sid): float(c)
        for sid, c in session.exec(_restricted(low, sketch_id, ids).group_by(sketch_id))
        if c is not None
    }
    with_staff = select(Correction.sketch_id).distinct()
    touched = {
        int(sid) for sid in session.exec(_restricted(with_staff, col(Correction.sketch_id), ids))
    }
    if not touched:
        return lows
    corrected = (
        select(Correction.id)
        .where(Correction.sketch_id == FieldValue.sketch_id, Correction.field == FieldValue.field)
        .exists()
    )
    again = low.where(sketch_id.in_(with_staff), ~corrected)
    for sid in touched:
        lows.pop(sid, None)  # every field corrected: no machine confidence left
    for sid, c in session.exec(_restricted(again, sketch_id, ids).group_by(sketch_id)):
        if c is not None:
            lows[int(sid)] = float(c)
    return lows


def _number(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def _current_costs(session: Session, ids: list[int] | None) -> dict[int, float]:
    """Per sketch (of ``ids``; None: all), its total cost now (a correction wins, also an
    empty one); one column, not the read model: 10,000 sketches are two small queries."""
    values: dict[int, Any] = {}
    for table in (FieldValue, Correction):  # staff's value last: it wins
        stmt = select(col(table.sketch_id), col(table.value)).where(col(table.field) == COST_FIELD)
        for sid, value in session.exec(_restricted(stmt, col(table.sketch_id), ids)):
            values[int(sid)] = value
    return {sid: n for sid, v in values.items() if (n := _number(v)) is not None}


KEYS_BY_ID_LIMIT = 1000
"""A selection up to this size reads its order's column by id; a larger one reads the whole
column (cheaper than a long IN list, and the search is not run again)."""


def _topic_names(staff: dict[int, Any], sketch_id: int, machine: Any) -> set[str]:
    """The sketch's topic fields: staff's if corrected, else the machine's labels."""
    if sketch_id in staff:
        return {str(t) for t in staff[sketch_id] or []}
    return {str(t.get("label")) for t in machine or []}


def _ordered(
    session: Session,
    *,
    status: str | None,
    call_id: str | None,
    topic: str | None,
    search: str | None = None,
    sort: str = "received",
    descending: bool = False,
    include: int | None = None,
) -> list[tuple[int, bool]]:
    """The selection's ids in the queue's order, each with whether it is in the selection:
    all are, but for ``include`` (a sketch to place among them whatever its status).

    One query for ids (with statuses, and topic fields only when filtered by one), in the
    order of first receipt; for another order one more for its column. Ties and sketches
    without a value (always last) keep the order of first receipt.
    """
    if sort not in QUEUE_SORTS:
        raise ValueError(f"unknown queue order {sort!r}")
    conds: list[Any] = []
    if status:
        conds.append(col(Sketch.status) == status)
    if call_id:
        conds.append(col(Sketch.call_id) == call_id)
    fold = session.get_bind().dialect.name != "sqlite"
    conds += [col(Sketch.id).in_(_matching_ids(w, fold=fold)) for w in _search_words(search)]
    hit = and_(true(), *conds)
    received = col(Sketch.first_received_at)
    if sort == "received" and descending:
        order = (received.is_(None), received.desc(), col(Sketch.id).desc())
    else:
        order = (received.is_(None), received, col(Sketch.id))
    stmt = select(
        Sketch.id,
        Sketch.status,
        hit.label("hit") if include is not None else true(),
        Sketch.themes if topic else true(),
    ).order_by(*order)
    if include is None:
        stmt = stmt.where(hit)  # else every id with its ``hit``: the search runs once
    # a staff correction of the topic fields wins over the machine's (as in the report)
    staff = (
        dict(session.exec(select(Correction.sketch_id, Correction.value).where(
            Correction.field == "themes"
        )).all())
        if topic
        else {}
    )  # fmt: skip
    rows: list[tuple[int, str, bool]] = []
    for sid, st, in_sql, themes in session.exec(stmt):
        member = bool(in_sql) and (not topic or topic in _topic_names(staff, sid, themes))
        if member or sid == include:
            rows.append((int(sid), str(st), member))
    if sort == "received":
        return [(sid, member) for sid, _, member in rows]
    ids = [sid for sid, _, _ in rows] if len(rows) <= KEYS_BY_ID_LIMIT else None
    values: dict[int, float]
    if sort == "confidence":
        values = _lowest_confidences(session, ids)
    elif sort == "cost":
        values = _current_costs(session, ids)
    else:
        rank = {s: n for n, s in enumerate(STATUS_ORDER)}
        values = {sid: float(rank.get(st, len(STATUS_ORDER))) for sid, st, _ in rows}
    sign = -1.0 if descending else 1.0

    def key(row: tuple[int, str, bool]) -> tuple[bool, float]:
        v = values.get(row[0])
        return (v is None, 0.0 if v is None else sign * v)

    return [(sid, member) for sid, _, member in sorted(rows, key=key)]  # stable: ties by date


def _queue_ids(
    session: Session,
    *,
    status: str | None,
    call_id: str | None,
    topic: str | None,
    search: str | None = None,
    sort: str = "received",
    descending: bool = False,
) -> list[int]:
    """Ids of the selection in the queue's order (oldest first by default)."""
    return [
        sid
        for sid, _ in _ordered(
            session,
            status=status,
            call_id=call_id,
            topic=topic,
            search=search,
            sort=sort,
            descending=descending,
        )
    ]


def bulk_refusal(
    *, status: str, reasons: list[str], violations: list[str], checked: bool
) -> str | None:
    """Why a sketch may not be approved together with others (German), None if it may:
    only a sketch "ohne Befund" (``ready``), without findings, checked since its last
    correction. The one rule for the queue's check boxes and ``approve_without_findings``."""
    if violations or reasons:
        return "hat Befunde und muss einzeln geprüft werden"
    if status != "ready":
        return "ist nicht „ohne Befund“ (schon entschieden oder noch nicht geprüft)"
    if not checked:
        return "wurde seit der letzten Prüfung korrigiert und ist noch nicht neu geprüft"
    return None


def _queue_rows(session: Session, ids: list[int]) -> list[QueueRow]:
    """The queue's lines for these ids, in their order, from the read model."""
    found = {rec.sketch_id: rec for rec in current_records(session, sketch_ids=ids)}
    checked = (
        {
            int(sid): at is not None
            for sid, at in session.exec(
                select(Sketch.id, Sketch.checked_at).where(col(Sketch.id).in_(ids))
            )
        }
        if ids
        else {}
    )
    rows = []
    for sid in ids:
        rec = found.get(sid)
        if rec is None:
            continue
        machine = [c for name, c in rec.confidences.items() if name not in rec.corrected]
        refusal = bulk_refusal(
            status=rec.status,
            reasons=rec.reasons,
            violations=rec.violations,
            checked=checked.get(sid, False),
        )
        rows.append(
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
                confidence=min(machine) if machine else None,
                cost=_number(rec.fields.get(COST_FIELD)),
                approvable=refusal is None,
            )
        )
    return rows


def review_queue(
    session: Session,
    *,
    status: str | None = "needs_review",
    call_id: str | None = None,
    topic: str | None = None,
    search: str | None = None,
    sort: str = "received",
    descending: bool = False,
) -> list[QueueRow]:
    """Sketches filtered by status (None: all), call, topic field and ``search`` (words in
    applicant, title, place or sender), in the order ``sort`` (``QUEUE_SORTS``; default:
    oldest first), ``descending`` reversing it (sketches without a value stay last)."""
    ids = _queue_ids(
        session,
        status=status,
        call_id=call_id,
        topic=topic,
        search=search,
        sort=sort,
        descending=descending,
    )
    return _queue_rows(session, ids)


def queue_page(
    session: Session,
    *,
    status: str | None = "needs_review",
    call_id: str | None = None,
    topic: str | None = None,
    search: str | None = None,
    sort: str = "received",
    descending: bool = False,
    page: int = 1,
    per_page: int | None = None,
) -> QueuePage:
    """One page of ``review_queue``: the selection's ids are read whole (cheap, with the one
    column the order needs), the rows with their values and files only for the page (an
    archive of 10,000 stays fast)."""
    per_page = per_page or PER_PAGE
    ids = _queue_ids(
        session,
        status=status,
        call_id=call_id,
        topic=topic,
        search=search,
        sort=sort,
        descending=descending,
    )
    pages = max(1, -(-len(ids) // per_page))
    page = min(max(1, page), pages)
    chunk = ids[(page - 1) * per_page : page * per_page]
    return QueuePage(rows=_queue_rows(session, chunk), total=len(ids), page=page, per_page=per_page)


def queue_neighbours(
    session: Session,
    *,
    sketch_id: int,
    status: str | None = "needs_review",
    call_id: str | None = None,
    topic: str | None = None,
    search: str | None = None,
    sort: str = "received",
    descending: bool = False,
    per_page: int | None = None,
) -> QueueNeighbours:
    """The previous and next sketch of ``sketch_id`` in the queue selection (the filter and
    order of ``review_queue``), for "‹ vorige" / "nächste ›" on the detail page."""
    per_page = per_page or PER_PAGE
    order = _ordered(
        session,
        status=status,
        call_id=call_id,
        topic=topic,
        search=search,
        sort=sort,
        descending=descending,
        include=sketch_id,
    )
    members = [sid for sid, member in order if member]
    at = next((n for n, (sid, _) in enumerate(order) if sid == sketch_id), None)
    if at is None:  # no such sketch
        return QueueNeighbours(None, None, None, len(members), 1)
    before = [sid for sid, member in order[:at] if member]
    after = [sid for sid, member in order[at + 1 :] if member]
    member = order[at][1]
    pages = max(1, -(-len(members) // per_page))
    return QueueNeighbours(
        previous=before[-1] if before else None,
        next=after[0] if after else None,
        position=len(before) + 1 if member else None,
        total=len(members),
        page=min(len(before) // per_page + 1, pages),
    )


@dataclass(frozen=True)
class BulkApproval:
    """What ``approve_without_findings`` did: the approved ids, and the refused ones with
    the German reason."""

    approved: list[int]
    refused: dict[int, str]


def approve_without_findings(
    session: Session, *, sketch_ids: Iterable[int], actor: str
) -> BulkApproval:
    """Approve each of these sketches that has no findings (``bulk_refusal``), each with its
    own audit event (``set_review_status``); the others are refused and left as they are."""
    ids = sorted(set(sketch_ids))
    sketches = (
        {int(s.id): s for s in session.exec(select(Sketch).where(col(Sketch.id).in_(ids)))}  # type: ignore[arg-type]
        if ids
        else {}
    )
    codes = repo.check_codes(session, sketch_ids=list(sketches))
    approved: list[int] = []
    refused: dict[int, str] = {}
    for sid in ids:
        sketch = sketches.get(sid)
        if sketch is None:
            refused[sid] = f"Skizze {sid} gibt es nicht"
            continue
        why = bulk_refusal(
            status=sketch.status,
            reasons=list(sketch.status_reasons or []),
            violations=codes[sid],
            checked=sketch.checked_at is not None,
        )
        if why is not None:
            refused[sid] = f"Skizze {sid} {why}"
            continue
        set_review_status(session, sketch_id=sid, status="approved", actor=actor)
        approved.append(sid)
    return BulkApproval(approved=approved, refused=refused)


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
