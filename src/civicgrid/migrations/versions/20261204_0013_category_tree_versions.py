"""Administration: whole category trees saved through the form, each save kept.

Revision ID: 2d4f6a8c0e13
Revises: 1c9e2f7a5b30
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "2d4f6a8c0e13"
down_revision = "1c9e2f7a5b30"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "category_tree_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("saved_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_category_tree_versions")),
    )


def downgrade() -> None:
    op.drop_table("category_tree_versions")
