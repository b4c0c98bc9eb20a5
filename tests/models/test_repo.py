"""Data-access layer: idempotent natural keys and corrections that survive machine writes.

Every test runs on SQLite and PostgreSQL (``db_url`` from tests/conftest.py).
"""

from __future__ import annotations

import socket
import time
from datetime import timedelta

from models import repo
from models.db import session_scope
from models.tables import RUN_ABANDONED, RUN_RUNNING, Attachment, Lease, Message, Run, utcnow


def _fields(**values: object) -> dict[str, dict[str, object]]:
    return {
        k: {"value": v, "confidence": 0.9, "evidence": {"page": 1, "snippet": str(v)}}
        for k, v in values.items()
    }


def _store(url: str, sketch_id: int, **values: object) -> None:
    with session_scope(url) as s:
        repo.store_extraction(
            s,
            sketch_id=sketch_id,
            fields=_fields(**values),
            themes=[],
            loesungsart=[],
            theme_model_version="t1",
            parser_version="p1",
            page_count=1,
            run_id=None,
        )


def test_message_natural_key_is_idempotent(db_url: str) -> None:
    for expected in (True, False):
        with session_scope(db_url) as s:
            msg = Message(message_id="<a@b>", raw_sha256="00", sender="x@y.de")
            att = Attachment(
                message_pk=0, position=0, filename="a.pdf", content_type="x", size=1, sha256="11"
            )
            assert (repo.add_message(s, message=msg, attachments=[att]) is not None) is expected
    with session_scope(db_url) as s:
        assert len(repo.pending_attachments(s)) == 1


def test_correction_wins_over_machine_and_survives_rerun(db_url: str) -> None:
    with session_scope(db_url) as s:
        sketch = repo.get_or_create_sketch(s, sha256="ab" * 32, call_id="c", received_at=None)
        sid = int(sketch.id)  # type: ignore[arg-type]
    _store(db_url, sid, gesamtkosten_eur=450000, antragsteller="Gemeinde A")
    with session_scope(db_url) as s:
        repo.set_correction(s, sketch_id=sid, field="gesamtkosten_eur", value=460000, author="mia")
    _store(db_url, sid, gesamtkosten_eur=455000, antragsteller="Gemeinde B")  # a rerun
    with session_scope(db_url) as s:
        current = repo.current_values(s, sketch_ids=[sid])[sid]
        machine = repo.machine_values(s, sketch_ids=[sid])[sid]
        staff = repo.corrections(s, sketch_ids=[sid])[sid]
    assert current["gesamtkosten_eur"] == 460000
    assert current["antragsteller"] == "Gemeinde B"
    assert machine["gesamtkosten_eur"].value == 455000
    assert staff["gesamtkosten_eur"].author == "mia"


def test_staff_status_is_not_overwritten_by_machine(db_url: str) -> None:
    with session_scope(db_url) as s:
        sid = int(repo.get_or_create_sketch(s, sha256="cd" * 32, call_id="c", received_at=None).id)  # type: ignore[arg-type]
        repo.set_machine_status(s, sketch_id=sid, status="needs_review", reasons=["x"])
    with session_scope(db_url) as s:
        sketch = s.get_one(repo.Sketch, sid)
        sketch.status = "approved"
        s.add(sketch)
    with session_scope(db_url) as s:
        repo.set_machine_status(s, sketch_id=sid, status="needs_review", reasons=["y"])
    with session_scope(db_url) as s:
        sketch = s.get_one(repo.Sketch, sid)
        assert (sketch.status, sketch.status_reasons) == ("approved", ["y"])


def test_check_results_are_replaced_not_accumulated(db_url: str) -> None:
    with session_scope(db_url) as s:
        sid = int(repo.get_or_create_sketch(s, sha256="ef" * 32, call_id="c", received_at=None).id)  # type: ignore[arg-type]
        repo.replace_check_results(
            s, sketch_id=sid, violations=[("a", ""), ("b", ""), ("a", "")], run_id=None
        )
    with session_scope(db_url) as s:
        repo.replace_check_results(s, sketch_id=sid, violations=[("c", "")], run_id=None)
    with session_scope(db_url) as s:
        assert repo.check_codes(s, sketch_ids=[sid]) == {sid: ["c"]}


# --- leases ---------------------------------------------------------------------------------


def test_a_claim_holds_against_another_live_run_and_ends_with_release(db_url: str) -> None:
    keys = ["sketch:1", "sketch:2", "sketch:3"]
    with session_scope(db_url) as s:
        assert repo.claim(s, keys=keys[:2], owner="A", seconds=600) == keys[:2]
    with session_scope(db_url) as s:  # B gets only what A does not hold
        assert repo.claim(s, keys=keys, owner="B", seconds=600) == ["sketch:3"]
    with session_scope(db_url) as s:  # A renews its own claims (a retried task)
        assert repo.claim(s, keys=keys[:1], owner="A", seconds=600) == keys[:1]
    with session_scope(db_url) as s:
        repo.release(s, keys=keys[:1], owner="B")  # not B's: nothing happens
        repo.release(s, keys=keys[:1], owner="A")
    with session_scope(db_url) as s:
        assert repo.claim(s, keys=keys, owner="B", seconds=600) == ["sketch:1", "sketch:3"]


def test_an_expired_claim_is_taken_over(db_url: str) -> None:
    with session_scope(db_url) as s:
        assert repo.claim(s, keys=["message:7"], owner="A", seconds=0.001) == ["message:7"]
    time.sleep(0.01)
    with session_scope(db_url) as s:
        assert repo.claim(s, keys=["message:7"], owner="B", seconds=600) == ["message:7"]
    with session_scope(db_url) as s:
        assert repo.claim(s, keys=["message:7"], owner="A", seconds=600) == []


def test_the_claim_of_a_process_gone_on_this_host_is_taken_over_at_once(db_url: str) -> None:
    import subprocess
    import sys

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    with session_scope(db_url) as s:
        s.add(
            Lease(
                key="sketch:9",
                owner="killed-run",
                host=socket.gethostname(),
                pid=int(dead.stdout),
                expires_at=utcnow() + timedelta(hours=1),
            )
        )
        s.add(
            Lease(
                key="sketch:10",
                owner="elsewhere",
                host="another-host",
                pid=int(dead.stdout),
                expires_at=utcnow() + timedelta(hours=1),
            )
        )
    with session_scope(db_url) as s:
        # the dead process's claim goes; another host's pid says nothing here
        assert repo.claim(s, keys=["sketch:9", "sketch:10"], owner="B", seconds=60) == ["sketch:9"]


# --- runs -----------------------------------------------------------------------------------


def test_runs_killed_mid_way_are_marked_abandoned(db_url: str) -> None:
    import os
    import subprocess
    import sys

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    here = socket.gethostname()
    old = utcnow() - timedelta(hours=30)
    runs = {
        "killed-here": Run(flow="ingest_sketches", host=here, pid=int(dead.stdout)),
        "live-here": Run(flow="ingest_sketches", host=here, pid=os.getpid()),
        "elsewhere-recent": Run(flow="ingest_sketches", host="anderer-host", pid=1),
        "elsewhere-old": Run(flow="ingest_sketches", host="anderer-host", pid=1, started_at=old),
        "finished": Run(
            flow="ingest_sketches", host=here, pid=int(dead.stdout), status="completed"
        ),
    }
    with session_scope(db_url) as s:
        for run in runs.values():
            s.add(run)
        s.flush()
        ids = {name: run.id for name, run in runs.items()}
    with session_scope(db_url) as s:
        marked = repo.mark_abandoned_runs(s, older_than=timedelta(hours=24))
    assert sorted(marked) == sorted([ids["killed-here"], ids["elsewhere-old"]])
    with session_scope(db_url) as s:
        status = {name: s.get_one(Run, i).status for name, i in ids.items()}
        assert s.get_one(Run, ids["killed-here"]).finished_at is not None
    assert status == {
        "killed-here": RUN_ABANDONED,
        "live-here": RUN_RUNNING,
        "elsewhere-recent": RUN_RUNNING,
        "elsewhere-old": RUN_ABANDONED,
        "finished": "completed",
    }
    with session_scope(db_url) as s:  # idempotent
        assert repo.mark_abandoned_runs(s, older_than=timedelta(hours=24)) == []
