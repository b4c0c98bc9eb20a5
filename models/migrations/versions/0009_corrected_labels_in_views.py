"""staff corrections of the inferred labels in the reporting views

Staff may now correct a sketch's inferred topic fields and kinds of solution (a ``correction``
row named ``themes`` / ``loesungsart`` holding the list of labels). The views show them as
they show a corrected field: ``v_sketch_current.themes``/``loesungsart`` and
``v_sketch_theme`` carry staff's list where there is one (``v_sketch_theme.source`` says
whose), the machine's stays beside (``themes_machine``, ``loesungsart_machine``), and
``v_field_current`` keeps to the fields. No table changes.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 17:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from models.views import create_views, drop_views

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_views(op.get_bind())  # drops the old definitions first


def downgrade() -> None:
    # the views are made from models/views.py, which has one definition (this one); it reads
    # nothing 0008 lacks, so 0008 keeps working with it
    drop_views(op.get_bind())
    create_views(op.get_bind())
