"""run owner and status index

A run killed with SIGKILL stays "running" forever. Recording the host and process id of the
process that started a run lets later runs and staff tell a dead run from a live one (same
host, pid gone); the status index serves the "runs still running" lookups. Existing rows keep
their values and get host "" (unknown) and pid NULL.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 12:40:14.594907
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401, RUF100  (autogenerate renders sqlmodel AutoString)
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("run", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("host", sqlmodel.sql.sqltypes.AutoString(), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("pid", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_run_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_run_status"))
        batch_op.drop_column("pid")
        batch_op.drop_column("host")
