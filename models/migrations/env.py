"""Alembic environment of skizzen: always driven from ``models.db`` with a live connection.

``models.db.alembic_config`` builds the configuration in code (no alembic.ini) and hands the
connection over in ``config.attributes["connection"]``; that connection is already inside a
transaction (and, on PostgreSQL, holds the migration advisory lock), so everything here runs
in the caller's transaction.
"""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

from models import tables, users  # noqa: F401  (every table module: the metadata is complete)

config = context.config
target_metadata = SQLModel.metadata


def _run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:  # e.g. the plain ``alembic`` command: open one from the URL
        from models.db import get_engine

        with get_engine(config.get_main_option("sqlalchemy.url") or "").begin() as conn:
            _configure_and_run(conn)
        return
    _configure_and_run(connection)


def _render_item(type_: str, obj: object, autogen_context: object) -> str | bool:
    """Render our UTC type as the plain column type it stores (no app import in revisions)."""
    if type_ == "type" and isinstance(obj, tables.UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _configure_and_run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_item=_render_item,
        render_as_batch=True,  # SQLite cannot ALTER most things: copy-and-move instead
        compare_type=True,
        compare_server_default=False,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()
else:
    _run_online()
