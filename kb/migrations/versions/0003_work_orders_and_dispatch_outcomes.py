"""Work orders (masked text, sealed callback vault, keyed hashes) and dispatch outcomes

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 22:16:23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "work_orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_no", sa.String(length=40), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("appeal_type", sa.String(length=20), nullable=False),
        sa.Column("category_code", sa.String(length=12), nullable=True),
        sa.Column("region", sa.String(length=120), nullable=False),
        sa.Column("district", sa.String(length=60), nullable=True),
        sa.Column("street", sa.String(length=60), nullable=True),
        sa.Column("title", sa.String(length=60), nullable=False),
        sa.Column("summary_masked", sa.Text(), nullable=False),
        sa.Column("text_masked", sa.Text(), nullable=False),
        sa.Column("urgency", sa.String(length=10), nullable=False),
        sa.Column("confidential", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("lead_unit_id", sa.Integer(), nullable=True),
        sa.Column("co_unit_codes", sa.JSON(), nullable=False),
        sa.Column("catalog_row_id", sa.String(length=20), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("due_assumed", sa.Boolean(), nullable=False),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("vault_sealed", sa.Text(), nullable=True),
        sa.Column("phone_hash", sa.String(length=64), nullable=True),
        sa.Column("id_number_hash", sa.String(length=64), nullable=True),
        sa.Column("address_hash", sa.String(length=64), nullable=True),
        sa.Column("meta", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["lead_unit_id"],
            ["units.id"],
        ),
        sa.ForeignKeyConstraint(
            ["merged_into_id"],
            ["work_orders.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("order_no"),
    )
    with op.batch_alter_table("work_orders", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_work_orders_accepted_at"), ["accepted_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_work_orders_address_hash"), ["address_hash"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_work_orders_appeal_type"), ["appeal_type"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_work_orders_catalog_row_id"), ["catalog_row_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_work_orders_category_code"), ["category_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_work_orders_district"), ["district"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_work_orders_id_number_hash"), ["id_number_hash"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_work_orders_lead_unit_id"), ["lead_unit_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_work_orders_phone_hash"), ["phone_hash"], unique=False)
        batch_op.create_index(batch_op.f("ix_work_orders_status"), ["status"], unique=False)

    op.create_table(
        "dispatch_outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("catalog_row_id", sa.String(length=20), nullable=True),
        sa.Column("to_unit_id", sa.Integer(), nullable=True),
        sa.Column("to_catalog_row_id", sa.String(length=20), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("actor", sa.String(length=80), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["work_orders.id"],
        ),
        sa.ForeignKeyConstraint(
            ["to_unit_id"],
            ["units.id"],
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["units.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("dispatch_outcomes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dispatch_outcomes_action"), ["action"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_dispatch_outcomes_catalog_row_id"), ["catalog_row_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_dispatch_outcomes_order_id"), ["order_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_dispatch_outcomes_unit_id"), ["unit_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("dispatch_outcomes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dispatch_outcomes_unit_id"))
        batch_op.drop_index(batch_op.f("ix_dispatch_outcomes_order_id"))
        batch_op.drop_index(batch_op.f("ix_dispatch_outcomes_catalog_row_id"))
        batch_op.drop_index(batch_op.f("ix_dispatch_outcomes_action"))

    op.drop_table("dispatch_outcomes")
    with op.batch_alter_table("work_orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_work_orders_status"))
        batch_op.drop_index(batch_op.f("ix_work_orders_phone_hash"))
        batch_op.drop_index(batch_op.f("ix_work_orders_lead_unit_id"))
        batch_op.drop_index(batch_op.f("ix_work_orders_id_number_hash"))
        batch_op.drop_index(batch_op.f("ix_work_orders_district"))
        batch_op.drop_index(batch_op.f("ix_work_orders_category_code"))
        batch_op.drop_index(batch_op.f("ix_work_orders_catalog_row_id"))
        batch_op.drop_index(batch_op.f("ix_work_orders_appeal_type"))
        batch_op.drop_index(batch_op.f("ix_work_orders_address_hash"))
        batch_op.drop_index(batch_op.f("ix_work_orders_accepted_at"))

    op.drop_table("work_orders")
