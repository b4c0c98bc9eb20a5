"""Database fixtures: every DB test runs on SQLite and on a real PostgreSQL cluster.

The cluster is started once per session by ``tests.servers.postgres`` (skipped where the
server binaries are missing); each test gets a fresh, empty database on it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from models.db import get_engine
from tests.servers.postgres import PgCluster, pg_cluster_fixture

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    yield from pg_cluster_fixture()


def _new_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    cluster: PgCluster = request.getfixturevalue("pg_cluster")
    return cluster.create_database()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database URL on each backend; its pooled connections are closed after."""
    url = _new_url(request.param, tmp_path, request)
    yield url
    get_engine(url).dispose()
