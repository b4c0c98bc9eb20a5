"""learned rules

A staff correction whose value is written in the sketch teaches where that layout writes the
field (``extractors.taught``); each version of such a rule is a ``learned_rule`` row: the
field, the kind and place (label or position, JSON), the layout it holds for (producer,
label texts and design marks, JSON), the correction, sketch and author it came from, and its
status (active, superseded by a newer version, removed by staff, with who and when). No
existing rows are touched.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 18:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401, RUF100  (autogenerate renders sqlmodel AutoString)
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "learned_rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rule_no", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("field", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("place", sa.JSON(), nullable=True),
        sa.Column("producer", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("layout", sa.JSON(), nullable=True),
        sa.Column("correction_id", sa.Integer(), nullable=True),
        sa.Column("sketch_id", sa.Integer(), nullable=True),
        sa.Column("author", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_by", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.ForeignKeyConstraint(
            ["correction_id"],
            ["correction.id"],
        ),
        sa.ForeignKeyConstraint(
            ["sketch_id"],
            ["sketch.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("rule_no", "version"),
    )
    with op.batch_alter_table("learned_rule", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_learned_rule_producer"), ["producer"], unique=False)
        batch_op.create_index(batch_op.f("ix_learned_rule_rule_no"), ["rule_no"], unique=False)
        batch_op.create_index(batch_op.f("ix_learned_rule_sketch_id"), ["sketch_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_learned_rule_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("learned_rule", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_learned_rule_status"))
        batch_op.drop_index(batch_op.f("ix_learned_rule_sketch_id"))
        batch_op.drop_index(batch_op.f("ix_learned_rule_rule_no"))
        batch_op.drop_index(batch_op.f("ix_learned_rule_producer"))
    op.drop_table("learned_rule")
