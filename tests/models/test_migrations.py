"""Alembic migrations on SQLite and PostgreSQL: up, down, data kept, models agree, locking."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

from models.db import (
    BASELINE_REVISION,
    current_revision,
    downgrade,
    get_engine,
    head_revision,
    init_db,
    schema_diff,
    upgrade,
)

REPO = Path(__file__).resolve().parents[2]
TABLES = sorted(SQLModel.metadata.tables)
SENT = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)


def _tables(url: str) -> list[str]:
    return sorted(set(inspect(get_engine(url)).get_table_names()) - {"alembic_version"})


def test_history_is_one_line_from_the_baseline() -> None:
    """One head, every revision on one chain starting at the baseline (no forgotten merge)."""
    from alembic.script import ScriptDirectory

    from models.db import alembic_config

    scripts = ScriptDirectory.from_config(alembic_config())
    assert scripts.get_heads() == [head_revision()]
    chain = [rev.revision for rev in scripts.walk_revisions()]
    assert chain[-1] == BASELINE_REVISION
    assert chain[:2] != [] and "0002" in chain


def test_upgrade_from_empty_reaches_head(db_url: str) -> None:
    engine = get_engine(db_url)
    assert current_revision(engine) is None
    init_db(engine)
    assert current_revision(engine) == head_revision()
    assert _tables(db_url) == TABLES


def test_downgrade_to_base_and_upgrade_again(db_url: str) -> None:
    engine = get_engine(db_url)
    upgrade(engine)
    downgrade(engine, "base")
    assert (current_revision(engine), _tables(db_url)) == (None, [])
    upgrade(engine)
    assert (current_revision(engine), _tables(db_url)) == (head_revision(), TABLES)
    downgrade(engine, BASELINE_REVISION)
    assert "host" not in {c["name"] for c in inspect(engine).get_columns("run")}


def test_models_and_head_migration_agree(db_url: str) -> None:
    engine = get_engine(db_url)
    upgrade(engine)
    with engine.connect() as conn:
        assert schema_diff(conn) == []


def _insert_at_baseline(url: str) -> None:
    """Rows written by code of revision 0001 (raw SQL: today's models have more columns)."""
    rows: list[tuple[str, dict[str, Any]]] = [
        (
            "INSERT INTO run (id, flow, parameters, versions, counts, status, started_at) "
            "VALUES (1, 'ingest_sketches', :p, '{}', '{}', 'completed', :t)",
            {"p": json.dumps({"source": "/in"}), "t": SENT},
        ),
        (
            "INSERT INTO message (id, message_id, sender, subject, sent_at, received_at, source,"
            " source_key, raw_sha256, size, body_text, defects, run_id) VALUES (1, '<m1@x.de>',"
            " 'amt@x.de', 'Skizze Dorfladen', :t, :t, '/in', 'a.eml', :sha, 10, 'Hallo',"
            " :defects, 1)",
            {"t": SENT, "sha": "a" * 64, "defects": json.dumps(["no_date"])},
        ),
        (
            "INSERT INTO sketch (id, sha256, call_id, first_received_at, status, status_reasons,"
            " themes, loesungsart) VALUES (1, :sha, 'heimat-2.0', :t, 'needs_review', :r, '[]',"
            " '[]')",
            {"sha": "b" * 64, "t": SENT, "r": json.dumps(["low_confidence:projekttitel"])},
        ),
        (
            "INSERT INTO attachment (id, message_pk, position, filename, content_type, size,"
            " sha256, outcome, detail, sketch_id) VALUES (1, 1, 0, 'skizze.pdf',"
            " 'application/pdf', 5, :sha, 'sketch', :d, 1)",
            {"sha": "b" * 64, "d": json.dumps({"doc_kind": "sketch"})},
        ),
        (
            "INSERT INTO field_value (id, sketch_id, field, value, confidence, extractor,"
            " updated_at) VALUES (1, 1, 'gesamtkosten_eur', :v, 0.75, 'amounts', :t)",
            {"v": json.dumps(450000.5), "t": SENT},
        ),
    ]
    with get_engine(url).begin() as conn:
        for sql, params in rows:
            conn.execute(text(sql), params)


def _read_back(url: str) -> dict[str, Any]:
    from sqlmodel import Session

    from models.db import as_utc
    from models.tables import Attachment, FieldValue, Message, Run, Sketch

    with Session(get_engine(url)) as s:
        run, msg = s.get_one(Run, 1), s.get_one(Message, 1)
        sketch, att, fv = s.get_one(Sketch, 1), s.get_one(Attachment, 1), s.get_one(FieldValue, 1)
        return {
            "run": (run.flow, run.parameters, run.status, as_utc(run.started_at), run.host),
            "run_pid": run.pid,
            "message": (msg.message_id, as_utc(msg.sent_at), msg.defects, msg.run_id),
            "sketch": (sketch.sha256, sketch.status, sketch.status_reasons),
            "attachment": (att.message_pk, att.outcome, att.detail, att.sketch_id),
            "field_value": (fv.field, fv.value, fv.confidence),
        }


EXPECTED_AFTER_UPGRADE = {
    "run": ("ingest_sketches", {"source": "/in"}, "completed", SENT, ""),
    "run_pid": None,
    "message": ("<m1@x.de>", SENT, ["no_date"], 1),
    "sketch": ("b" * 64, "needs_review", ["low_confidence:projekttitel"]),
    "attachment": (1, "sketch", {"doc_kind": "sketch"}, 1),
    "field_value": ("gesamtkosten_eur", 450000.5, 0.75),
}


def test_upgrade_keeps_rows_written_at_the_first_revision(db_url: str) -> None:
    engine = get_engine(db_url)
    upgrade(engine, BASELINE_REVISION)
    _insert_at_baseline(db_url)
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    assert _read_back(db_url) == EXPECTED_AFTER_UPGRADE


@pytest.mark.parametrize(
    ("made_by", "stamped"),
    [("baseline", BASELINE_REVISION), ("create_all", "head")],
    ids=["pre-alembic-0001-schema", "create_all-current-models"],
)
def test_pre_alembic_database_is_stamped_and_upgraded(
    db_url: str, made_by: str, stamped: str
) -> None:
    """A database made by create_all before Alembic: stamped where it matches, rows kept."""
    engine = get_engine(db_url)
    if made_by == "baseline":
        upgrade(engine, BASELINE_REVISION)
        _insert_at_baseline(db_url)
        with engine.begin() as conn:
            conn.execute(text("DROP TABLE alembic_version"))
    else:
        SQLModel.metadata.create_all(engine)
    assert current_revision(engine) is None
    init_db(engine)
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        assert schema_diff(conn) == []
    if made_by == "baseline":
        assert _read_back(db_url) == EXPECTED_AFTER_UPGRADE
    del stamped  # the stamp itself is internal; head + no diff + kept rows is the contract


_STARTER = """
import sys, time
from models.db import current_revision, get_engine, head_revision, init_db
engine = get_engine(sys.argv[1])
head_revision()  # everything imported and parsed: only the migration itself is left
time.sleep(max(0.0, float(sys.argv[2]) - time.time()))
init_db(engine)
print(current_revision(engine))
"""


@pytest.mark.slow
def test_processes_starting_at_once_migrate_once(db_url: str) -> None:
    """Three processes call init_db on the same empty database at the same instant.

    Without the advisory lock PostgreSQL fails here (concurrent CREATE TABLE: duplicate key
    in pg_type); SQLite's BEGIN IMMEDIATE makes the others wait.
    """
    start_at = str(time.time() + 6)  # after the imports of all three
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _STARTER, db_url, start_at],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * 3, [err[-1500:] for _, err in results]
    assert [out.strip() for out, _ in results] == [head_revision()] * 3
    with get_engine(db_url).connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
