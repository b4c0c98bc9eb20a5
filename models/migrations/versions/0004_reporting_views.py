"""reporting views for downstream consumers

The stable views of models/views.py (documented in docs/views.md): current values with staff
corrections applied, sketch × topic field, check results, attachment outcomes. A later
migration that alters a table a view reads must call drop_views() first and create_views()
after (SQLite batch mode recreates tables), and a change of a view's definition comes with its
own migration that drops and recreates the views.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21 13:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from models.views import create_views, drop_views

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_views(op.get_bind())


def downgrade() -> None:
    drop_views(op.get_bind())
