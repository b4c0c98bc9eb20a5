"""Exports for downstream consumers: current sketch records and the fate of every attachment."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlmodel import Session

from extractors.types import FIELD_NAMES
from models import repo


def sketch_records(session: Session) -> Iterator[dict[str, Any]]:
    """One record per sketch document with current values (staff corrections applied)."""
    sketches = repo.sketches_in_order(session)
    ids = [int(s.id) for s in sketches]  # type: ignore[arg-type]
    values = repo.current_values(session, sketch_ids=ids)
    codes = repo.check_codes(session, sketch_ids=ids)
    sha_of = {s.id: s.sha256 for s in sketches}
    first_att = repo.first_sketch_files(session)
    for s in sketches:
        sid = int(s.id)  # type: ignore[arg-type]
        att_msg = first_att.get(sid)
        yield {
            "sketch_id": sid,
            "attachment_sha256": s.sha256,
            "message_id": att_msg[1].message_id if att_msg else None,
            "filename": att_msg[0].filename if att_msg else None,
            "status": s.status,
            "fields": {name: values[sid].get(name) for name in FIELD_NAMES},
            "themes": [t["label"] for t in s.themes],
            "loesungsart": [t["label"] for t in s.loesungsart],
            "violations": codes[sid],
            "supersedes": sha_of.get(s.supersedes_id) if s.supersedes_id else None,
        }


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
        for att in mine:
            yield {
                "message_id": msg.message_id,
                "filename": att.filename,
                "sha256": att.sha256,
                "outcome": att.outcome,
                "reason": att.reason,
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
