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


def sketch_records(session: Session) -> Iterator[dict[str, Any]]:
    """One record per sketch document with current values (staff corrections applied)."""
    for rec in current_records(session):
        yield sketch_record(rec)


def attachment_records(session: Session) -> Iterator[dict[str, Any]]:
    """One record per attachment, and one per message that came without any."""
    for msg, mine in repo.messages_with_attachments(session):
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
