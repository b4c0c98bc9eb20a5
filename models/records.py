"""The read model: each sketch as staff and consumers see it now, read in one place.

The export, the report (and its CSV/Excel), the review queue, the run summary and the
evaluation all read ``current_records``: current values (a staff correction wins over the
machine, also for the inferred topic fields and kinds of solution), the file the sketch was
first received as, its findings and its status. Four queries for any number of sketches
(sketches, field values with corrections, findings, first files), so a page of 50 and an
archive of 10,000 are read the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from extractors.types import FIELD_NAMES
from models import repo
from models.db import as_utc
from models.tables import Correction, Sketch


@dataclass(frozen=True)
class CurrentRecord:
    """One sketch now. ``fields`` has every field (None where nothing was found);
    ``confidences`` are the machine's, for the fields it found."""

    sketch_id: int
    sha256: str
    call_id: str
    status: str
    reasons: list[str]
    received_at: datetime | None
    message_id: str | None
    filename: str | None
    fields: dict[str, Any]
    confidences: dict[str, float]
    corrected: frozenset[str]
    themes: list[str]
    loesungsart: list[str]
    violations: list[str]
    supersedes_id: int | None
    supersedes_sha256: str | None = field(default=None)


def current_records(
    session: Session, *, sketch_ids: Iterable[int] | None = None
) -> list[CurrentRecord]:
    """The current records of these sketches (all if None), first received first."""
    stmt = select(Sketch).order_by(col(Sketch.first_received_at), col(Sketch.id))
    wanted = None if sketch_ids is None else list(sketch_ids)
    if wanted is not None:
        if not wanted:
            return []
        stmt = stmt.where(col(Sketch.id).in_(wanted))
    sketches = list(session.exec(stmt))
    ids = [int(s.id) for s in sketches]  # type: ignore[arg-type]
    machine = repo.machine_fields(session, sketch_ids=ids)
    staff = repo.corrections(session, sketch_ids=ids)
    codes = repo.check_codes(session, sketch_ids=ids)
    files = repo.first_sketch_files(session, sketch_ids=None if wanted is None else ids)
    sha_of = {int(s.id): s.sha256 for s in sketches}  # type: ignore[arg-type]
    missing = {s.supersedes_id for s in sketches if s.supersedes_id} - set(sha_of)
    if missing:  # the earlier version is outside the selection
        sha_of.update(repo.sketch_shas(session, sketch_ids=missing))
    out = []
    for s in sketches:
        sid = int(s.id)  # type: ignore[arg-type]
        values = {name: value for name, (value, _) in machine[sid].items()}
        values.update({name: c.value for name, c in staff[sid].items()})
        att_msg = files.get(sid)
        out.append(
            CurrentRecord(
                sketch_id=sid,
                sha256=s.sha256,
                call_id=s.call_id,
                status=s.status,
                reasons=list(s.status_reasons),
                received_at=as_utc(s.first_received_at),
                message_id=att_msg[1].message_id if att_msg else None,
                filename=att_msg[0].filename if att_msg else None,
                fields={name: values.get(name) for name in FIELD_NAMES},
                confidences={name: conf for name, (_, conf) in machine[sid].items()},
                corrected=frozenset(staff[sid]),
                themes=_labels(s, "themes", staff[sid]),
                loesungsart=_labels(s, "loesungsart", staff[sid]),
                violations=codes[sid],
                supersedes_id=s.supersedes_id,
                supersedes_sha256=sha_of.get(s.supersedes_id) if s.supersedes_id else None,
            )
        )
    return out


def _labels(sketch: Sketch, name: str, staff: dict[str, Correction]) -> list[str]:
    """Staff's labels of ``name`` (``repo.LABEL_FIELDS``) if corrected, else the machine's."""
    if name in staff:
        return [str(v) for v in staff[name].value or []]
    return repo.machine_labels(sketch, name)
