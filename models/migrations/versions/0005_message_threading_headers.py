"""message threading headers

A corrected resubmission often arrives as a reply to the first mail. Keeping In-Reply-To and
References on the message row lets version linking follow the thread instead of relying on
the extracted applicant alone. Existing rows get NULL / an empty list (they can be filled by
re-reading the stored raw mail).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 13:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401, RUF100  (autogenerate renders sqlmodel AutoString)
from alembic import op

from models.views import create_views, drop_views

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("in_reply_to", sqlmodel.sql.sqltypes.AutoString(), nullable=True)
        )
        batch_op.add_column(sa.Column("references", sa.JSON(), nullable=True))
        batch_op.create_index(batch_op.f("ix_message_in_reply_to"), ["in_reply_to"], unique=False)


def downgrade() -> None:
    # SQLite rebuilds the table to drop a column; the reporting views that read it must go
    # first and come back after
    drop_views(op.get_bind())
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_message_in_reply_to"))
        batch_op.drop_column("references")
        batch_op.drop_column("in_reply_to")
    create_views(op.get_bind())
