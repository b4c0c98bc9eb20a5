"""Database fault scenarios with the real CLI (``skizzen ingest``) as subprocesses.

1. ingest killed with SIGKILL in the middle of a 200-message batch, then run again;
2. two ingests of the same mailbox at the same time (SQLite and PostgreSQL);
3. the PostgreSQL server stopped while an ingest runs and started again seconds later.

Each ends with the database equal (by natural keys, see ``tests.snapshot``) to that of one
uninterrupted run. The subprocesses share the session's Prefect test API (no server start
per run) and use short task retry delays.
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from tests.servers.postgres import PgCluster, pg_cluster_fixture
from tests.snapshot import VOLATILE, snapshot

pytestmark = [pytest.mark.faults, pytest.mark.slow, pytest.mark.timeout(600)]

REPO = Path(__file__).resolve().parents[2]
SKIZZEN = [sys.executable, "-m", "skizzen.doors.cli"]
N_MESSAGES = 200
LOGS: dict[int, Path] = {}
"""Output file of each CLI subprocess, by pid."""
_MID = re.compile(rb"^Message-ID:[ \t]*<([^>]*)>", re.IGNORECASE | re.MULTILINE)


def build_mailbox(out: Path, n: int) -> list[Path]:
    """``n`` mails: the demo mailbox repeated, each copy with its own Message-ID."""
    from lab.demo import make_demo_mailbox

    demo = make_demo_mailbox(out.parent / "demo-src")
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        src = demo[i % len(demo)]
        raw = _MID.sub(
            lambda m, i=i: b"Message-ID: <f%03d." % i + m.group(1) + b">", src.read_bytes()
        )
        assert raw != src.read_bytes(), f"{src.name} has no Message-ID"
        path = out / f"m{i:03d}-{src.name}"
        path.write_bytes(raw)
        paths.append(path)
    return paths


def _env(prefect_api: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SKIZZEN_")}
    env.update(
        PREFECT_API_URL=prefect_api,
        SKIZZEN_TASK_RETRY_DELAYS="1,2,3,5,8",
        PREFECT_LOGGING_LEVEL="WARNING",
        PYTHONPATH=str(REPO),
    )
    env.update(extra)
    return env


def start_ingest(source: Path, data: Path, url: str, env: dict[str, str]) -> subprocess.Popen[str]:
    """``skizzen ingest`` in its own process group (so SIGKILL takes its children too)."""
    path = data.parent / f"{data.name}-{time.monotonic_ns()}.log"
    with open(path, "w") as log:  # the child keeps its own descriptor
        proc = subprocess.Popen(
            [*SKIZZEN, "ingest", str(source), "--data-dir", str(data), "--database-url", url],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
    LOGS[proc.pid] = path
    return proc


def finish(proc: subprocess.Popen[str], *, timeout: float = 300) -> str:
    """Wait for a CLI run, assert it succeeded and return its output."""
    rc = proc.wait(timeout=timeout)
    log = LOGS[proc.pid].read_text(errors="replace")
    assert rc == 0, log[-4000:]
    return log


def count(url: str, table: str, where: str = "") -> int:
    """Rows in a table, read without the app's engine (no write lock, no pool)."""
    sql = f"SELECT count(*) FROM {table} {where}"
    parsed = make_url(url)
    try:
        if parsed.get_backend_name() == "sqlite":
            with sqlite3.connect(f"file:{parsed.database}?mode=ro", uri=True, timeout=5) as c:
                return int(c.execute(sql).fetchone()[0])
        import psycopg

        with psycopg.connect(
            host=parsed.host, port=parsed.port, user=parsed.username, dbname=parsed.database
        ) as c:
            row = c.execute(sql).fetchone()  # type: ignore[arg-type]
            return int(row[0]) if row else 0
    except (sqlite3.Error, Exception):  # not created yet / server down
        return -1


def wait_for(pred: Callable[[], bool], proc: subprocess.Popen[str], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not pred():
        assert proc.poll() is None, "ingest ended before the fault could be injected"
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.02)


def natural(url: str) -> dict[str, list[dict[str, Any]]]:
    return snapshot(url, ignore=VOLATILE, natural_keys=True)


def _diff(a: dict[str, list[dict[str, Any]]], b: dict[str, list[dict[str, Any]]]) -> str:
    out = []
    for table in sorted(set(a) | set(b)):
        ra, rb = a.get(table, []), b.get(table, [])
        if ra != rb:
            extra = [r for r in ra if r not in rb][:2]
            missing = [r for r in rb if r not in ra][:2]
            out.append(f"{table}: {len(ra)} vs {len(rb)} rows; extra {extra}; missing {missing}")
    return "\n".join(out)


# --- fixtures -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def prefect_api(prefect_harness: None) -> str:
    from prefect.settings import PREFECT_API_URL

    url = PREFECT_API_URL.value()
    assert url, "the Prefect test harness has no API URL"
    return str(url)


@pytest.fixture(scope="module")
def mailbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("faults-mail")
    build_mailbox(root / "inbox", N_MESSAGES)
    return root / "inbox"


@pytest.fixture(scope="module")
def reference(
    mailbox: Path, prefect_api: str, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, list[dict[str, Any]]]:
    """The database of one uninterrupted ingest (SQLite), by natural keys."""
    root = tmp_path_factory.mktemp("faults-ref")
    url = f"sqlite:///{root / 'ref.db'}"
    t0 = time.monotonic()
    finish(start_ingest(mailbox, root / "data", url, _env(prefect_api)))
    print(f"uninterrupted ingest of {N_MESSAGES} mails: {time.monotonic() - t0:.1f} s")
    snap = natural(url)
    assert len(snap["message"]) == N_MESSAGES
    return snap


@pytest.fixture(scope="module")
def pg() -> Iterator[PgCluster]:
    yield from pg_cluster_fixture()


def _url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'faults.db'}"
    return request.getfixturevalue("pg").create_database()


BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


# --- 1. SIGKILL in the middle of a batch ----------------------------------------------------


@pytest.mark.parametrize("backend", ["sqlite"])
def test_ingest_killed_midway_then_rerun_equals_uninterrupted(
    backend: str,
    mailbox: Path,
    prefect_api: str,
    reference: dict[str, list[dict[str, Any]]],
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    url = _url(backend, tmp_path, request)
    data = tmp_path / "data"
    proc = start_ingest(mailbox, data, url, _env(prefect_api))
    wait_for(lambda: count(url, "message") >= N_MESSAGES // 4, proc)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(30)
    stored = count(url, "message")
    print(f"{backend}: killed with {stored}/{N_MESSAGES} messages stored")
    assert 0 < stored < N_MESSAGES
    finish(start_ingest(mailbox, data, url, _env(prefect_api)))
    assert count(url, "message") == N_MESSAGES
    got = natural(url)
    assert got == reference, _diff(got, reference)


# --- 2. two ingests of the same mailbox at once ---------------------------------------------


@pytest.mark.parametrize("backend", BACKENDS)
def test_two_concurrent_ingests_store_everything_once(
    backend: str,
    mailbox: Path,
    prefect_api: str,
    reference: dict[str, list[dict[str, Any]]],
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    url = _url(backend, tmp_path, request)
    data = tmp_path / "data"
    t0 = time.monotonic()
    procs = [start_ingest(mailbox, data, url, _env(prefect_api)) for _ in range(2)]
    for proc in procs:
        finish(proc)
    print(f"{backend}: two concurrent ingests took {time.monotonic() - t0:.1f} s")
    got = natural(url)
    assert got == reference, _diff(got, reference)
    # and the work was shared, not done twice: every attachment judged and every sketch
    # extracted by exactly one of the two runs (their claims kept them apart)
    judged, extracted = work_done(url)
    print(f"{backend}: attachments judged {judged}, sketches extracted {extracted}")
    assert sum(judged) == len(reference["attachment"])
    assert sum(extracted) == len(reference["sketch"])


def work_done(url: str) -> tuple[list[int], list[int]]:
    """Per run: attachments given an outcome, sketches extracted (from the run's counts)."""
    from sqlmodel import Session, select

    from models.db import get_engine
    from models.tables import Run

    with Session(get_engine(url)) as s:
        steps = [run.counts.get("steps", {}) for run in s.exec(select(Run))]
    judged = [sum(st.get("outcomes_this_run", {}).values()) for st in steps]
    return judged, [st.get("extract", {}).get("extracted", 0) for st in steps]


# --- 3. database unreachable for a while ----------------------------------------------------


@pytest.mark.postgres
def test_ingest_survives_a_database_outage(
    pg: PgCluster,
    mailbox: Path,
    prefect_api: str,
    reference: dict[str, list[dict[str, Any]]],
    tmp_path: Path,
) -> None:
    url = pg.create_database()
    env = _env(prefect_api, PREFECT_LOGGING_LEVEL="INFO")  # to see the retries
    proc = start_ingest(mailbox, tmp_path / "data", url, env)
    wait_for(lambda: count(url, "message") >= N_MESSAGES // 4, proc)
    pg.stop(mode="immediate")  # every connection drops, new ones are refused
    t_down = time.monotonic()
    time.sleep(4)
    assert proc.poll() is None, "the ingest gave up during the outage"
    pg.start()
    print(f"outage: {time.monotonic() - t_down:.1f} s, at {count(url, 'message')} messages")
    log = finish(proc)
    retries = re.findall(r"Retry \d+/\d+ will start", log)
    print(f"outage: {len(retries)} task retries")
    assert retries, "the outage should have been bridged by task retries"
    got = natural(url)
    assert got == reference, _diff(got, reference)
