"""Citizens and Open311: public reports with hashed tracking codes, API keys, and
requests queued for review. Ratings are case events, so they need no table.

Revision ID: b6d2f1c3e406
Revises: a5c1e0b2d305
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "b6d2f1c3e406"
down_revision = "a5c1e0b2d305"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "open311_api_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_open311_api_keys")),
        sa.UniqueConstraint("digest", name=op.f("uq_open311_api_keys_digest")),
        sa.UniqueConstraint("name", name=op.f("uq_open311_api_keys_name")),
    )
    op.create_table(
        "citizen_reports",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("tracking_digest", sa.String(length=64), nullable=False),
        sa.Column("api_key_id", sa.Integer(), nullable=True),
        sa.Column("address_string", sa.String(length=400), nullable=False),
        sa.Column("address_id", sa.String(length=40), nullable=False),
        sa.Column("media_url", sa.String(length=1000), nullable=False),
        sa.Column("device_id", sa.String(length=100), nullable=False),
        sa.Column("account_id", sa.String(length=100), nullable=False),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["api_key_id"],
            ["open311_api_keys.id"],
            name=op.f("fk_citizen_reports_api_key_id_open311_api_keys"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_citizen_reports_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_citizen_reports")),
        sa.UniqueConstraint("tracking_digest", name=op.f("uq_citizen_reports_tracking_digest")),
    )
    op.create_table(
        "open311_queue",
        sa.Column("token", sa.String(length=40), nullable=False),
        sa.Column("api_key_id", sa.Integer(), nullable=False),
        sa.Column("form", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["api_key_id"],
            ["open311_api_keys.id"],
            name=op.f("fk_open311_queue_api_key_id_open311_api_keys"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_open311_queue_case_id_cases"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("token", name=op.f("pk_open311_queue")),
    )
    with op.batch_alter_table("open311_queue", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_open311_queue_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("open311_queue", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_open311_queue_status"))
    op.drop_table("open311_queue")
    op.drop_table("citizen_reports")
    op.drop_table("open311_api_keys")
