"""message key: Message-ID with the raw bytes' sha256

A second mail that reused a known Message-ID with other content was dropped without a row.
The natural key of a message becomes (Message-ID, sha256 of the raw bytes): such a mail is
stored as a row of its own and points at the first one (``reuses_message_id_of``). Existing
rows keep their values; the unique constraint on Message-ID alone goes.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 19:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from models.views import create_views, drop_views

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# SQLite reports the unique constraint of 0001 without a name: the batch rebuild names it
_NAMING = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def _unique_on(columns: list[str]) -> str:
    for uc in sa.inspect(op.get_bind()).get_unique_constraints("message"):
        if uc["column_names"] == columns:
            return uc["name"] or _NAMING["uq"] % {
                "table_name": "message",
                "column_0_name": columns[0],
            }
    raise RuntimeError(f"no unique constraint on message{tuple(columns)}")


def upgrade() -> None:
    bind = op.get_bind()
    # SQLite rebuilds the table (models.db runs migrations with its foreign keys off and
    # checks them before the commit); the reporting views read it
    drop_views(bind)
    old = _unique_on(["message_id"])
    with op.batch_alter_table("message", naming_convention=_NAMING) as batch_op:
        batch_op.drop_constraint(old, type_="unique")
        batch_op.create_unique_constraint(
            "uq_message_message_id_raw_sha256", ["message_id", "raw_sha256"]
        )
        batch_op.add_column(sa.Column("reuses_message_id_of", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_message_reuses_message_id_of", "message", ["reuses_message_id_of"], ["id"]
        )
    create_views(bind)


def downgrade() -> None:
    bind = op.get_bind()
    drop_views(bind)
    with op.batch_alter_table("message", naming_convention=_NAMING) as batch_op:
        batch_op.drop_constraint("fk_message_reuses_message_id_of", type_="foreignkey")
        batch_op.drop_column("reuses_message_id_of")
        batch_op.drop_constraint("uq_message_message_id_raw_sha256", type_="unique")
        batch_op.create_unique_constraint("uq_message_message_id", ["message_id"])
    create_views(bind)
