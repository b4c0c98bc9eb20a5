"""A throw-away PostgreSQL cluster for tests: initdb + pg_ctl as the ``postgres`` user.

The packaged service is never used: each cluster lives in its own temp folder (data and unix
socket dir), listens on 127.0.0.1 at a free port, trusts local connections and is stopped by
the fixture that started it. Tests get one database each via :meth:`PgCluster.create_database`.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

__all__ = ["PgCluster", "find_pg_bin", "pg_cluster_fixture"]


def find_pg_bin() -> Path | None:
    """The newest /usr/lib/postgresql/<major>/bin that has initdb and pg_ctl."""
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
        key=lambda p: (
            int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0
        ),
    )
    for pg_ctl in reversed(candidates):
        bindir = Path(pg_ctl).parent
        if (bindir / "initdb").exists():
            return bindir
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_postgres(args: list[str], *, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run a server binary as the postgres user (initdb and postgres refuse root)."""
    cmd = ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)


@dataclass
class PgCluster:
    """One running cluster; ``url(db)`` gives a psycopg 3 SQLAlchemy URL."""

    bindir: Path
    root: Path
    port: int = field(default_factory=_free_port)
    user: str = "postgres"

    @property
    def datadir(self) -> Path:
        return self.root / "data"

    @property
    def sockdir(self) -> Path:
        return self.root / "sock"

    def init(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.sockdir.mkdir(exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
            shutil.chown(self.sockdir, "postgres", "postgres")
        res = _as_postgres(
            [
                str(self.bindir / "initdb"),
                "-D",
                str(self.datadir),
                "-U",
                self.user,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            ]
        )
        if res.returncode != 0:
            raise RuntimeError(f"initdb failed: {res.stderr or res.stdout}")

    def start(self, *, timeout: float = 60) -> None:
        """Start (or restart after :meth:`stop`) on the same port and wait until it accepts."""
        opts = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.sockdir} "
            "-c fsync=off "
            "-c max_connections=100"
        )
        res = _as_postgres(
            [
                str(self.bindir / "pg_ctl"),
                "-D",
                str(self.datadir),
                "-l",
                str(self.root / "server.log"),
                "-o",
                opts,
                "-w",
                "-t",
                str(int(timeout)),
                "start",
            ],
            timeout=timeout + 10,
        )
        if res.returncode != 0:
            log = (self.root / "server.log").read_text(errors="replace")[-2000:]
            raise RuntimeError(f"pg_ctl start failed: {res.stderr or res.stdout}\n{log}")

    def stop(self, *, mode: str = "fast") -> None:
        """Stop the server (``immediate`` drops every connection like a crash)."""
        _as_postgres(
            [str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-m", mode, "-w", "stop"]
        )

    def is_running(self) -> bool:
        res = _as_postgres([str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "status"])
        return res.returncode == 0

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str | None = None) -> str:
        """A fresh, empty database; returns its URL."""
        import psycopg

        name = name or f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(
            host="127.0.0.1", port=self.port, user=self.user, dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def wait_ready(self, *, timeout: float = 30) -> None:
        import psycopg

        deadline = time.monotonic() + timeout
        while True:
            try:
                with psycopg.connect(
                    host="127.0.0.1", port=self.port, user=self.user, dbname="postgres"
                ):
                    return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)


def start_cluster() -> PgCluster:
    """Init and start a new cluster in a temp folder (skips the test if PG is missing)."""
    bindir = find_pg_bin()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries not found (apt-get install postgresql)")
    root = Path(tempfile.mkdtemp(prefix="skizzen-pg-"))
    os.chmod(root, 0o755)
    cluster = PgCluster(bindir=bindir, root=root)
    cluster.init()
    cluster.start()
    cluster.wait_ready()
    return cluster


def pg_cluster_fixture() -> Iterator[PgCluster]:
    """Generator body for a session/module fixture: start, yield, stop, remove."""
    cluster = start_cluster()
    try:
        yield cluster
    finally:
        cluster.stop(mode="immediate")
        shutil.rmtree(cluster.root, ignore_errors=True)
