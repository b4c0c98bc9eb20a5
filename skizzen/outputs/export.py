"""Exports for downstream consumers: current sketch records and the fate of every attachment."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlmodel import Session

from models import repo
from models.records import CurrentRecord, current_records


def sketch_record(rec: CurrentRecord) -> dict[str, Any]:
    """The export's shape of one current record (documented in docs/views.md)."""
    return {
        "sketch_id": rec.sketch_id,
        "attachment_sha256": rec.sha256,
        "message_id": rec.message_id,
        "filename": rec.filename,
        "status": rec.status,
        "fields": dict(rec.fields),
        "themes": list(rec.themes),
        "loesungsart": list(rec.loesungsart),
        "violations": list(rec.violations),
        "supersedes": rec.supersedes_sha256,
    }


class UnknownCall(ValueError):
    """A call (Förderaufruf) without any sketch; the message is German, for staff."""

    def __init__(self, call: str, known: list[str]) -> None:
        super().__init__(
            f"Unbekannter Förderaufruf: {call} (vorhanden: {', '.join(known) or 'keiner'})"
        )
        self.call = call
        self.known = known


def call_sketch_ids(session: Session, call: str | None) -> list[int] | None:
    """The sketch ids of one call (None: no filter, all calls); an unknown call raises
    ``UnknownCall``."""
    if not call:
        return None
    ids = repo.sketch_ids_of_call(session, call_id=call)
    if not ids:
        raise UnknownCall(call, repo.call_ids(session))
    return ids


def sketch_records(session: Session, *, call: str | None = None) -> Iterator[dict[str, Any]]:
    """One record per sketch document with current values (staff corrections applied), of
    one call or all; the call is checked at once (``UnknownCall``), before anything is read."""
    found = current_records(session, sketch_ids=call_sketch_ids(session, call))
    return (sketch_record(rec) for rec in found)


def attachment_records(session: Session, *, call: str | None = None) -> Iterator[dict[str, Any]]:
    """One record per attachment, and one per message that came without any. With ``call``:
    the mails that brought a sketch of that call, with all their attachments (a mail
    without a sketch belongs to no call and is left out)."""
    ids = call_sketch_ids(session, call)
    return _attachment_records(session, None if ids is None else set(ids))


def _attachment_records(session: Session, of_sketches: set[int] | None) -> Iterator[dict[str, Any]]:
    for msg, mine in repo.messages_with_attachments(session):
        if of_sketches is not None and not any(a.sketch_id in of_sketches for a in mine):
            continue
        if not mine:
            yield {
                "message_id": msg.message_id,
                "filename": None,
                "sha256": None,
                "outcome": msg.outcome or "no_attachment",
                "reason": msg.reason,
            }
        sha_at = {att.position: att.sha256 for att in mine}
        for att in mine:
            yield {
                "message_id": msg.message_id,
                "filename": att.filename,
                "sha256": att.sha256,
                "outcome": att.outcome,
                "reason": att.reason,
                # the ZIP or winmail.dat it was found in (None: attached to the mail itself)
                "container_sha256": sha_at.get(att.container_position)
                if att.container_position is not None
                else None,
            }


def write_jsonl(records: Iterator[dict[str, Any]], out: Path) -> int:
    """Write records as JSON lines (UTF-8, umlauts kept); returns the count."""
    out.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with out.open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False, default=str) + "\n")
            n += 1
    return n
