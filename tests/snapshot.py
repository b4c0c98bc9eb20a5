"""Helpers for tests that compare whole databases (idempotence, fault recovery)."""

from __future__ import annotations

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


def snapshot(url: str, *, ignore: set[str] = frozenset()) -> dict[str, list[dict[str, Any]]]:  # type: ignore[assignment]
    """All rows of all tables but ``run``, as sorted dicts (columns in ``ignore`` dropped)."""
    from sqlmodel import SQLModel

    engine = get_engine(url)
    out: dict[str, list[dict[str, Any]]] = {}
    with Session(engine) as session:
        for name, table in SQLModel.metadata.tables.items():
            if name == Run.__tablename__ or not inspect(engine).has_table(name):
                continue
            rows = [
                {k: v for k, v in row._mapping.items() if k not in ignore}
                for row in session.execute(select(table))
            ]
            out[name] = sorted(rows, key=repr)
    return out
