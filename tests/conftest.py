"""Fixtures shared by the whole suite: corpus location, isolated settings, Prefect harness."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

from models.db import get_engine
from skizzen.settings import apply_offline_env
from tests.servers.postgres import PgCluster, pg_cluster_fixture

apply_offline_env()

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SKIZZEN_SHARED", REPO.parent / "shared"))
CORPUS = SHARED / "corpus" / "sample"
HOSTILE = SHARED / "hostile-pdfs"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The labelled sample corpus beside the project (skips where it is absent)."""
    if not (CORPUS / "sketches.jsonl").exists():
        pytest.skip(f"corpus not found at {CORPUS}")
    return CORPUS


BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    """One real PostgreSQL cluster per session (``tests.servers.postgres``; skipped where
    the server binaries are missing)."""
    yield from pg_cluster_fixture()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database URL on SQLite and on the real PostgreSQL (a fresh database per
    test); its pooled connections are closed after."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'test.db'}"
    else:
        cluster: PgCluster = request.getfixturevalue("pg_cluster")
        url = cluster.create_database()
    yield url
    get_engine(url).dispose()


@pytest.fixture()
def skizzen_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh data folder and SQLite database for one test, through the real settings."""
    data = tmp_path / "data"
    monkeypatch.setenv("SKIZZEN_DATA_DIR", str(data))
    monkeypatch.setenv("SKIZZEN_DATABASE_URL", f"sqlite:///{data / 'test.db'}")
    return data


HARNESS_DRAIN_SECONDS = 30.0
"""How long the harness teardown waits for Prefect's log and event workers to flush."""


@contextmanager
def _bounded_drains(seconds: float) -> Iterator[None]:
    """Make the harness teardown's drains give up after ``seconds``.

    ``prefect_test_harness`` waits without a limit for the API log worker and the events
    workers to flush; after tests that stopped servers or killed processes, one of them can
    wait for a connection that never answers, and the session never ends.
    """
    import asyncio
    import concurrent.futures
    import sys

    from prefect._internal.concurrency.event_loop import get_running_loop
    from prefect._internal.concurrency.services import QueueService
    from prefect.logging.handlers import APILogWorker

    orig_drain = APILogWorker.drain
    orig_service_drain = QueueService.drain
    orig_all = QueueService.drain_all.__func__  # type: ignore[attr-defined]

    def service_drain(self: QueueService, at_exit: bool = False) -> object:
        # what every service's exit hook calls (events worker and the like); from a
        # running loop an awaitable, as Prefect's own
        future = self._drain(at_exit=at_exit)
        if get_running_loop() is not None:
            return asyncio.wrap_future(future)
        try:
            return future.result(timeout=seconds)
        except concurrent.futures.TimeoutError:
            sys.stderr.write(f"{type(self).__name__} not drained after {seconds:.0f} s\n")
            return False

    def drain(self: APILogWorker, at_exit: bool = False) -> bool:
        try:
            return self._drain(at_exit=at_exit).result(timeout=seconds)
        except concurrent.futures.TimeoutError:
            sys.stderr.write(f"prefect_harness: log worker not drained after {seconds:.0f} s\n")
            return False

    def drain_all(cls: type, timeout: float | None = None, at_exit: bool = True) -> object:
        return orig_all(
            cls, timeout=seconds if timeout is None else min(timeout, seconds), at_exit=at_exit
        )

    APILogWorker.drain = drain  # type: ignore[method-assign]
    QueueService.drain = service_drain  # type: ignore[method-assign,assignment]
    QueueService.drain_all = classmethod(drain_all)  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        APILogWorker.drain = orig_drain  # type: ignore[method-assign]
        QueueService.drain = orig_service_drain  # type: ignore[method-assign]
        QueueService.drain_all = classmethod(orig_all)  # type: ignore[method-assign,assignment]


EXIT_GRACE_SECONDS = 120.0
"""How long the process may take to exit after the session before it is ended."""
_SESSION = ExitStack()


def pytest_configure(config: pytest.Config) -> None:
    """Prefect's exit hooks drain its log and event workers without a limit; after the
    real-server tests (a stopped server, queued events) they would wait forever, in this
    process's exit. Bounded for the whole session."""
    _SESSION.enter_context(_bounded_drains(HARNESS_DRAIN_SECONDS))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    session.config.stash[_EXIT_STATUS] = int(exitstatus)


_EXIT_STATUS = pytest.StashKey[int]()


def pytest_unconfigure(config: pytest.Config) -> None:
    """Every run ends by itself: should the interpreter still not have exited
    ``EXIT_GRACE_SECONDS`` after the session (a thread of a library waiting on a server that
    is gone), every thread's stack is dumped and the process leaves with the session's
    status."""
    import faulthandler
    import sys
    import threading

    status = config.stash.get(_EXIT_STATUS, 1)

    def end() -> None:
        sys.stderr.write(f"\nprocess not ended {EXIT_GRACE_SECONDS:.0f} s after the session:\n")
        faulthandler.dump_traceback(all_threads=True)
        os._exit(status)

    timer = threading.Timer(EXIT_GRACE_SECONDS, end)
    timer.daemon = True
    timer.start()


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """One temporary Prefect API for all flow tests (entering it costs ~10 s); its teardown
    is bounded (see ``_bounded_drains``)."""
    from prefect.testing.utilities import prefect_test_harness

    harness = prefect_test_harness(server_startup_timeout=120)
    harness.__enter__()
    try:
        yield
    finally:
        with _bounded_drains(HARNESS_DRAIN_SECONDS):
            harness.__exit__(None, None, None)
