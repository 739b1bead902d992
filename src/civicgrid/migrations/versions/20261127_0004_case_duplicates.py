"""Case duplicates: an index on (category, reported_at) for suggesting suspected duplicates.

Revision ID: 45d1bdc20e4e
Revises: 0cf738b915c0
Create Date: 2026-11-27
"""

from __future__ import annotations

from alembic import op

revision = "45d1bdc20e4e"
down_revision = "0cf738b915c0"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index(
            "ix_cases_category_reported_at", ["category", "reported_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_category_reported_at")
