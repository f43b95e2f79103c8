"""KB gaps and the ask log (questions stored masked only)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 23:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "kb_gaps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("asked_for", sa.Date(), nullable=False),
        sa.Column("question_masked", sa.Text(), nullable=False),
        sa.Column("region", sa.String(length=120), nullable=True),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("best_score", sa.Float(), nullable=True),
        sa.Column("best_entry_id", sa.Integer(), nullable=True),
        sa.Column("best_version_no", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("resolved_entry_id", sa.Integer(), nullable=True),
        sa.Column("resolved_by", sa.String(length=80), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(["best_entry_id"], ["entries.id"]),
        sa.ForeignKeyConstraint(["resolved_entry_id"], ["entries.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("kb_gaps", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kb_gaps_asked_at"), ["asked_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_kb_gaps_region"), ["region"], unique=False)
        batch_op.create_index(batch_op.f("ix_kb_gaps_status"), ["status"], unique=False)

    op.create_table(
        "ask_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("asked_for", sa.Date(), nullable=False),
        sa.Column("question_masked", sa.Text(), nullable=False),
        sa.Column("region", sa.String(length=120), nullable=True),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("answered", sa.Boolean(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("top_entry_id", sa.Integer(), nullable=True),
        sa.Column("top_version_no", sa.Integer(), nullable=True),
        sa.Column("gap_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["gap_id"], ["kb_gaps.id"]),
        sa.ForeignKeyConstraint(["top_entry_id"], ["entries.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("ask_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ask_log_answered"), ["answered"], unique=False)
        batch_op.create_index(batch_op.f("ix_ask_log_asked_at"), ["asked_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_ask_log_region"), ["region"], unique=False)
        batch_op.create_index(batch_op.f("ix_ask_log_top_entry_id"), ["top_entry_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ask_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ask_log_top_entry_id"))
        batch_op.drop_index(batch_op.f("ix_ask_log_region"))
        batch_op.drop_index(batch_op.f("ix_ask_log_asked_at"))
        batch_op.drop_index(batch_op.f("ix_ask_log_answered"))
    op.drop_table("ask_log")
    with op.batch_alter_table("kb_gaps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kb_gaps_status"))
        batch_op.drop_index(batch_op.f("ix_kb_gaps_region"))
        batch_op.drop_index(batch_op.f("ix_kb_gaps_asked_at"))
    op.drop_table("kb_gaps")
