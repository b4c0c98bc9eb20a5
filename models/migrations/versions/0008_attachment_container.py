"""attachment container link

A ZIP archive or an Outlook winmail.dat is recorded as an attachment with outcome
``container``; each file found in it becomes an attachment of the same message that names
its container by position (``container_position``). Existing rows get NULL (they were not
opened).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 12:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from models.views import create_views, drop_views

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("container_position", sa.Integer(), nullable=True))


def downgrade() -> None:
    # SQLite rebuilds the table to drop a column; the reporting views that read it go first
    drop_views(op.get_bind())
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.drop_column("container_position")
    create_views(op.get_bind())
