"""Helpers for tests that compare whole databases (idempotence, fault recovery)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlalchemy import inspect, select
from sqlmodel import Session

from models.db import get_engine
from models.tables import Run

VOLATILE = {
    "run_id",
    "extraction_run_id",
    "updated_at",
    "checked_at",
    "extracted_at",
    "processed_at",
    "received_at",
    "created_at",
}


NATURAL_FKS = {
    "message_pk": ("message", "message_id"),
    "sketch_id": ("sketch", "sha256"),
    "supersedes_id": ("sketch", "sha256"),
}
"""Foreign keys replaced by the natural key of the row they point to (``natural_keys``)."""


_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


VOLATILE_DETAIL = {"parse_cache"}
"""Diagnostic keys inside JSON columns that say how a run worked (cache hit), not what."""


def _stable(value: Any) -> Any:
    """Mask per-process memory addresses (``<... object at 0x7f…>`` in error reprs) and
    drop :data:`VOLATILE_DETAIL` keys."""
    if isinstance(value, str):
        return _ADDRESS.sub(" at 0x…", value)
    if isinstance(value, dict):
        return {k: _stable(v) for k, v in value.items() if k not in VOLATILE_DETAIL}
    if isinstance(value, list):
        return [_stable(v) for v in value]
    return value


def snapshot(
    url: str,
    *,
    ignore: set[str] = frozenset(),  # type: ignore[assignment]
    natural_keys: bool = False,
) -> dict[str, list[dict[str, Any]]]:
    """All rows of all tables but ``run``, as sorted dicts (columns in ``ignore`` dropped).

    ``natural_keys=True`` compares databases filled in a different order or on another
    backend: surrogate ids are dropped, foreign keys become the natural key they point to
    (Message-ID, sketch sha256), datetimes are made UTC-aware and memory addresses in
    stored error texts are masked.
    """
    from sqlmodel import SQLModel

    from models.db import as_utc

    engine = get_engine(url)
    out: dict[str, list[dict[str, Any]]] = {}
    with Session(engine) as session:
        lookup: dict[str, dict[Any, Any]] = {}
        if natural_keys:
            for table, key in set(NATURAL_FKS.values()):
                t = SQLModel.metadata.tables[table]
                lookup[table] = dict(session.execute(select(t.c.id, t.c[key])).tuples().all())
        for name, table in SQLModel.metadata.tables.items():
            if name == Run.__tablename__ or not inspect(session.connection()).has_table(name):
                continue
            rows = []
            for row in session.execute(select(table)):
                item = {k: v for k, v in row._mapping.items() if k not in ignore}
                if natural_keys:
                    item.pop("id", None)
                    for col, (target, _key) in NATURAL_FKS.items():
                        if item.get(col) is not None:
                            item[col] = lookup[target][item[col]]
                    item = {
                        k: _stable(as_utc(v) if isinstance(v, datetime) else v)
                        for k, v in item.items()
                    }
                rows.append(item)
            out[name] = sorted(rows, key=repr)
    return out
