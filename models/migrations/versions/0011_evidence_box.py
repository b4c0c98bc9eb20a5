"""evidence box of a machine value

The review page shows each field's evidence where it stands on the page: the box (x0, top,
x1, bottom in PDF points from the page's top left) the extractor found it in. Existing
values get NULL until their sketch is extracted again (a rerun fills it).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 17:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from models.views import create_views, drop_views

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("field_value", schema=None) as batch_op:
        batch_op.add_column(sa.Column("box", sa.JSON(), nullable=True))


def downgrade() -> None:
    # SQLite rebuilds the table to drop a column; the reporting views that read it go first
    drop_views(op.get_bind())
    with op.batch_alter_table("field_value", schema=None) as batch_op:
        batch_op.drop_column("box")
    create_views(op.get_bind())
