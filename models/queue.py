"""Data access for the review queue (Prüfliste): which sketches, in which order, a page of
them, where one stands among them, and approving the finding-free ones together.

Keyword-only functions that take a session, like ``models.repo``. The selection (filter and
order) is read whole as ids with the one column its order needs; rows only for the page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, true, union
from sqlmodel import Session, col, select

from models import repo
from models.records import current_records
from models.review import set_review_status
from models.tables import Attachment, Correction, FieldValue, Message, Sketch

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


@dataclass(frozen=True, kw_only=True)
class Selection:
    """The queue's filter and order, which ``review_queue``, ``queue_page`` and
    ``queue_neighbours`` take: sketches of ``status`` (None: all), of
    the call ``call_id``, with the topic field ``topic`` and every word of ``search`` (in
    applicant, title, place or sender), in the order ``sort`` (``QUEUE_SORTS``; default:
    oldest first), ``descending`` reversing it (sketches without a value stay last)."""

    status: str | None = "needs_review"
    call_id: str | None = None
    topic: str | None = None
    search: str | None = None
    sort: str = "received"
    descending: bool = False

    def __post_init__(self) -> None:
        if self.sort not in QUEUE_SORTS:
            raise ValueError(f"unknown queue order {self.sort!r}")


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
    session: Session, selection: Selection, *, include: int | None = None
) -> list[tuple[int, bool]]:
    """The selection's ids in the queue's order, each with whether it is in the selection:
    all are, but for ``include`` (a sketch to place among them whatever its status).

    One query for ids (with statuses, and topic fields only when filtered by one), in the
    order of first receipt; for another order one more for its column. Ties and sketches
    without a value (always last) keep the order of first receipt.
    """
    topic, sort = selection.topic, selection.sort
    conds: list[Any] = []
    if selection.status:
        conds.append(col(Sketch.status) == selection.status)
    if selection.call_id:
        conds.append(col(Sketch.call_id) == selection.call_id)
    fold = session.get_bind().dialect.name != "sqlite"
    conds += [
        col(Sketch.id).in_(_matching_ids(w, fold=fold)) for w in _search_words(selection.search)
    ]
    hit = and_(true(), *conds)
    received = col(Sketch.first_received_at)
    if sort == "received" and selection.descending:
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
    sign = -1.0 if selection.descending else 1.0

    def key(row: tuple[int, str, bool]) -> tuple[bool, float]:
        v = values.get(row[0])
        return (v is None, 0.0 if v is None else sign * v)

    return [(sid, member) for sid, _, member in sorted(rows, key=key)]  # stable: ties by date


def _ids(session: Session, selection: Selection) -> list[int]:
    """Ids of the selection in the queue's order."""
    return [sid for sid, _ in _ordered(session, selection)]


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


TO_REVIEW = Selection()
"""The default selection: the sketches to review, oldest first."""


def review_queue(session: Session, *, selection: Selection = TO_REVIEW) -> list[QueueRow]:
    """The rows of ``selection``."""
    return _queue_rows(session, _ids(session, selection))


def queue_page(
    session: Session,
    *,
    selection: Selection = TO_REVIEW,
    page: int = 1,
    per_page: int | None = None,
) -> QueuePage:
    """One page of ``review_queue``: the selection's ids are read whole (cheap, with the one
    column the order needs), the rows with their values and files only for the page (an
    archive of 10,000 stays fast)."""
    per_page = per_page or PER_PAGE
    ids = _ids(session, selection)
    pages = max(1, -(-len(ids) // per_page))
    page = min(max(1, page), pages)
    chunk = ids[(page - 1) * per_page : page * per_page]
    return QueuePage(rows=_queue_rows(session, chunk), total=len(ids), page=page, per_page=per_page)


def queue_neighbours(
    session: Session,
    *,
    sketch_id: int,
    selection: Selection = TO_REVIEW,
    per_page: int | None = None,
) -> QueueNeighbours:
    """The previous and next sketch of ``sketch_id`` in the queue selection (the filter and
    order of ``review_queue``), for "‹ vorige" / "nächste ›" on the detail page."""
    per_page = per_page or PER_PAGE
    order = _ordered(session, selection, include=sketch_id)
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
