"""Engine, schema and session handling for any SQLAlchemy URL (SQLite default, PostgreSQL).

The schema is owned by Alembic (``models/migrations``); :func:`init_db` brings a database to
the head revision once per engine and process. Several processes may start at once:

* PostgreSQL: the upgrade runs in one transaction holding ``pg_advisory_xact_lock``
  (:data:`MIGRATION_LOCK_KEY`), so one process migrates and the others wait, then find the
  database at head (PostgreSQL DDL is transactional, a killed upgrade leaves nothing behind).
* SQLite: every transaction starts with ``BEGIN IMMEDIATE`` (see :func:`get_engine`), so the
  upgrade transaction holds the file's write lock and the others wait for it (busy timeout).

A database created before Alembic by ``SQLModel.metadata.create_all`` (tables present, no
``alembic_version``) has the schema of the initial revision, so it is *stamped* at
:data:`BASELINE_REVISION` and then upgraded like any other, keeping its rows; if it already
equals the current models (``create_all`` with today's code), it is stamped at head.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event, inspect, text
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import NullPool
from sqlmodel import Session, create_engine

from models import tables, users  # noqa: F401  (all table modules: complete metadata)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
BASELINE_REVISION = "0001"
"""The revision whose schema equals what ``create_all`` made before Alembic was introduced."""
MIGRATION_LOCK_KEY = 0x736B697A  # "skiz": advisory lock id shared by every skizzen process

SUPPORTED = {
    "sqlite": ("pysqlite", "SQLite", "sqlite:///pfad/skizzen.db"),
    "postgresql": ("psycopg", "PostgreSQL", "postgresql+psycopg://benutzer@host/datenbank"),
}
"""The databases skizzen runs on: the one installed driver of each, and how staff write it."""


class DatabaseUrlError(ValueError):
    """A database URL skizzen cannot open: unparseable, or a database or driver it does not
    support. Not transient (no retry helps); the message is one German line for staff."""


def checked_url(url: str) -> URL:
    """The URL as skizzen opens it, or :class:`DatabaseUrlError` before any driver is
    imported (an unsupported one fails with ModuleNotFoundError deep in SQLAlchemy).

    ``postgresql://`` (and ``postgres://``) get the psycopg driver: SQLAlchemy's default,
    psycopg2, is not installed. The message never repeats the URL: it may hold a password.
    """
    examples = [f"{name} ({example})" for _, name, example in SUPPORTED.values()]
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        raise DatabaseUrlError(
            f"Ungültige Datenbank-URL: erwartet {' oder '.join(examples)}."
        ) from None
    backend, _, driver = parsed.drivername.partition("+")
    backend = "postgresql" if backend == "postgres" else backend
    if backend not in SUPPORTED:
        raise DatabaseUrlError(
            f"Datenbank „{backend}“ wird nicht unterstützt; unterstützt: {' und '.join(examples)}."
        )
    known, name, example = SUPPORTED[backend]
    if driver and driver != known:
        raise DatabaseUrlError(
            f"Datenbanktreiber „{driver}“ wird nicht unterstützt; {name}: {example}."
        )
    if backend == "postgresql" and not driver:
        return parsed.set(drivername="postgresql+psycopg")
    return parsed


def server_connect_args(parsed: URL, *, timeout_s: int) -> dict[str, object]:
    """psycopg's arguments for a database server: the password from the settings
    (SKIZZEN_DATABASE_PASSWORD), since a URL never holds one (it is a flow parameter);
    without that setting libpq finds one itself (PGPASSWORD, ~/.pgpass) or none is needed."""
    from skizzen.settings import database_password

    args: dict[str, object] = {"connect_timeout": timeout_s}
    if parsed.password is None and (password := database_password()):
        args["password"] = password
    return args


@lru_cache(maxsize=8)
def get_engine(url: str) -> Engine:
    """One engine per URL and process, with ``pool_pre_ping`` so a restarted server is survived.

    SQLite gets WAL, a busy timeout, foreign keys, and ``BEGIN IMMEDIATE`` transactions: a
    writer takes the lock when its transaction starts, so two processes queue instead of one
    failing with "database is locked" when it upgrades a read snapshot to a write. This also
    makes SAVEPOINTs (used for race-safe inserts) work with the stdlib driver.
    """
    parsed = checked_url(url)
    backend = parsed.get_backend_name()
    kwargs: dict[str, object] = {"pool_pre_ping": True}
    if backend == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"timeout": 30}
    elif backend == "postgresql":
        kwargs["connect_args"] = server_connect_args(parsed, timeout_s=10)
    engine = create_engine(parsed, **kwargs)
    if backend == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
            dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (below)
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA foreign_keys=ON")
            _enable_wal(cur)
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Connection) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


# --- Alembic --------------------------------------------------------------------------------


def alembic_config(url: str | None = None, *, connection: Connection | None = None) -> Config:
    """The Alembic configuration, built in code (the project keeps no alembic.ini)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("path_separator", "os")
    ruff = Path(sys.executable).with_name("ruff")
    if ruff.exists():  # new revision files come out lint-clean and formatted
        hooks = cfg.set_section_option
        hooks("post_write_hooks", "hooks", "ruff_fix, ruff_format")
        for name, opts in (("ruff_fix", "check --fix"), ("ruff_format", "format")):
            hooks("post_write_hooks", f"{name}.type", "exec")
            hooks("post_write_hooks", f"{name}.executable", str(ruff))
            hooks("post_write_hooks", f"{name}.options", f"{opts} REVISION_SCRIPT_FILENAME")
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    """The newest revision in ``models/migrations/versions``."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision a database is at (None: empty or pre-Alembic)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _lock(conn: Connection) -> None:
    """Serialise migrations across processes (PostgreSQL; SQLite holds its write lock)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK_KEY})


def _is_pre_alembic(conn: Connection) -> bool:
    names = set(inspect(conn).get_table_names())
    return "alembic_version" not in names and tables.Message.__tablename__ in names


def schema_diff(conn: Connection) -> list[object]:
    """Differences between the database and the SQLModel tables (empty: they agree)."""
    from alembic.autogenerate import compare_metadata
    from sqlmodel import SQLModel

    ctx = MigrationContext.configure(conn, opts={"compare_type": True})
    return list(compare_metadata(ctx, SQLModel.metadata))


def _baseline_for(conn: Connection) -> str:
    """Revision a pre-Alembic database is stamped at: head if ``create_all`` ran with the
    current models (nothing differs), else the initial revision (the schema before Alembic)."""
    return head_revision() if not schema_diff(conn) else BASELINE_REVISION


@contextmanager
def _migrating(engine: Engine) -> Iterator[Connection]:
    """One transaction under the migration lock. On SQLite the foreign keys are off while it
    runs (a migration that rebuilds a table drops the table others refer to; SQLite's own
    procedure for that) and checked before it commits: a dangling reference fails it."""
    with engine.connect() as conn:
        sqlite = engine.dialect.name == "sqlite"
        if sqlite:  # outside a transaction, or SQLite ignores it
            conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
        try:
            with conn.begin():
                _lock(conn)
                yield conn
                if sqlite and conn.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise RuntimeError("migration leaves references to missing rows")
        finally:
            if sqlite:
                conn.connection.driver_connection.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate up under the migration lock; a pre-Alembic database is stamped first."""
    with _migrating(engine) as conn:
        cfg = alembic_config(str(engine.url), connection=conn)
        if _is_pre_alembic(conn):
            command.stamp(cfg, _baseline_for(conn))
        command.upgrade(cfg, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Migrate down (``base`` drops every table) under the migration lock."""
    with _migrating(engine) as conn:
        command.downgrade(alembic_config(str(engine.url), connection=conn), revision)
    _initialised.discard(str(engine.url))


_initialised: set[str] = set()


def _enable_wal(cur: Any) -> None:
    """Switch a SQLite file to WAL (persistent, so usually already done).

    The switch needs the file to itself and SQLite does not apply the busy handler to it: when
    several processes open a new database at once (one of them migrating it), it fails with
    "database is locked". Retry for a while; if it never succeeds the connection still works
    in rollback-journal mode, only with less concurrency.
    """
    import sqlite3
    import time

    for _ in range(100):
        try:
            mode = cur.execute("PRAGMA journal_mode").fetchone()[0]
            if str(mode).lower() == "wal":
                return
            cur.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            time.sleep(0.1)


def init_db(engine: Engine) -> None:
    """Bring the database to head once per engine and process (cheap when already there)."""
    key = str(engine.url)
    if key in _initialised:
        return
    if current_revision(engine) != head_revision():
        upgrade(engine, "head")
    _initialised.add(key)


def reachable(url: str) -> bool:
    """Whether the database answers now (a failure that happens while it does is about the
    data, not the connection)."""
    try:
        with get_engine(url).connect() as conn:
            conn.exec_driver_sql("SELECT 1")
        return True
    except Exception:
        return False


def connect_error(url: str, *, timeout_s: int = 2) -> Exception | None:
    """Why the database does not answer now (None: it does), waiting at most ``timeout_s``
    for a server: the check before a command's run, which must not wait the engine's 10 s.
    A SQLite file (and its folder) is created as the run would create it."""
    parsed = checked_url(url)
    sqlite = parsed.get_backend_name() == "sqlite"
    try:
        engine = (
            get_engine(url)
            if sqlite
            else create_engine(
                parsed,
                poolclass=NullPool,
                connect_args=server_connect_args(parsed, timeout_s=timeout_s),
            )
        )
        try:
            with engine.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
        finally:
            if not sqlite:
                engine.dispose()
    except Exception as exc:
        return exc
    return None


def storable_text(text: str) -> str:
    """Text as both databases store it: PostgreSQL refuses NUL in text (and in JSON), so a
    NUL becomes U+FFFD. The exact bytes stay in the raw store."""
    return text.replace("\x00", "\ufffd")


# --- sessions -------------------------------------------------------------------------------


@contextmanager
def session_scope(url: str) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    engine = get_engine(url)
    init_db(engine)
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def as_utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
