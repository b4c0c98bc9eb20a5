"""Export rows built by hand (no database): a current record in the report's shape, through
the same ``records_rows`` the report uses."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from extractors.types import FIELD_NAMES
from skizzen.outputs.table import records_rows


def record(sid: int, **kw: Any) -> dict[str, Any]:
    """A current record; field values by their names, the rest by the record's keys."""
    fields = {name: kw.pop(name, None) for name in FIELD_NAMES}
    return {
        "sketch_id": sid,
        "attachment_sha256": f"{sid:064x}",
        "message_id": f"<{sid}@test>",
        "filename": f"skizze_{sid}.pdf",
        "status": "needs_review",
        "fields": fields,
        "themes": [],
        "loesungsart": [],
        "violations": [],
        "supersedes_id": None,
        "call_id": "heimat-2.0",
        "received_at": datetime(2021, 3, 2, 10, 14, tzinfo=UTC),
        **kw,
    }


def row(sid: int = 1, **kw: Any) -> dict[str, Any]:
    """One export row of ``record(sid, **kw)``."""
    return records_rows([record(sid, **kw)])[0]
