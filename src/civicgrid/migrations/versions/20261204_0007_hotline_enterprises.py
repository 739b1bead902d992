"""12345 hotline imports and the enterprise registry.

Revision ID: c7e3a2d4f507
Revises: b6d2f1c3e406
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "c7e3a2d4f507"
down_revision = "b6d2f1c3e406"
branch_labels = None
depends_on = None


def _path() -> sa.String:
    return sa.String(length=160).with_variant(sa.String(length=160, collation="C"), "postgresql")


def upgrade() -> None:
    op.create_table(
        "enterprises",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("address", sa.String(length=500), nullable=False),
        sa.Column("area_code", sa.String(length=20), nullable=False),
        sa.Column("area_path", _path(), nullable=False),
        sa.Column("located_level", sa.SmallInteger(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("contact_name", sa.String(length=100), nullable=False),
        sa.Column("contact_phone", sa.String(length=40), nullable=False),
        sa.Column("official_user_id", sa.Integer(), nullable=True),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["official_user_id"],
            ["users.id"],
            name=op.f("fk_enterprises_official_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enterprises")),
        sa.UniqueConstraint("uscc", name=op.f("uq_enterprises_uscc")),
    )
    with op.batch_alter_table("enterprises", schema=None) as batch_op:
        batch_op.create_index("ix_enterprises_area_path_name", ["area_path", "name"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_enterprises_official_user_id"), ["official_user_id"], unique=False
        )

    op.create_table(
        "enterprise_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprises.id"],
            name=op.f("fk_enterprise_history_enterprise_id_enterprises"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enterprise_history")),
    )
    with op.batch_alter_table("enterprise_history", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_enterprise_history_enterprise_id"), ["enterprise_id"], unique=False
        )

    op.create_table(
        "enterprise_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("submitted_by", sa.String(length=64), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_enterprise_requests_case_id_cases"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprises.id"],
            name=op.f("fk_enterprise_requests_enterprise_id_enterprises"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enterprise_requests")),
        sa.UniqueConstraint("case_id", name=op.f("uq_enterprise_requests_case_id")),
    )
    with op.batch_alter_table("enterprise_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_enterprise_requests_enterprise_id"), ["enterprise_id"], unique=False
        )

    op.create_table(
        "hotline_orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.String(length=100), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("located_level", sa.SmallInteger(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source_file", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_hotline_orders_case_id_cases"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hotline_orders")),
        sa.UniqueConstraint("case_id", name=op.f("uq_hotline_orders_case_id")),
        sa.UniqueConstraint("order_id", name=op.f("uq_hotline_orders_order_id")),
    )


def downgrade() -> None:
    op.drop_table("hotline_orders")
    with op.batch_alter_table("enterprise_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_enterprise_requests_enterprise_id"))
    op.drop_table("enterprise_requests")
    with op.batch_alter_table("enterprise_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_enterprise_history_enterprise_id"))
    op.drop_table("enterprise_history")
    with op.batch_alter_table("enterprises", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_enterprises_official_user_id"))
        batch_op.drop_index("ix_enterprises_area_path_name")
    op.drop_table("enterprises")
