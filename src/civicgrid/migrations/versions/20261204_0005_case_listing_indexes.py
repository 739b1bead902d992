"""Case listing: indexes for newest-first pages of a subtree's cases.

The sort key goes into the subtree indexes, so a page of a subtree's cases reads only
the page's rows from the table instead of every row in the subtree. The index on
category alone goes: (category, reported_at) answers everything it did. Duplicate
suggestions get an index by place, so the search reads the cases near the point
rather than every case of the category in the time window.

Revision ID: a5c1e0b2d305
Revises: 45d1bdc20e4e
Create Date: 2026-12-04
"""

from __future__ import annotations

from alembic import op

revision = "a5c1e0b2d305"
down_revision = "45d1bdc20e4e"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_status_path")
        batch_op.drop_index("ix_cases_area_path")
        batch_op.drop_index("ix_cases_category")
        batch_op.create_index(
            "ix_cases_status_path", ["status", "area_path", "reported_at", "id"], unique=False
        )
        batch_op.create_index(
            "ix_cases_area_path", ["area_path", "reported_at", "id"], unique=False
        )
        batch_op.create_index(
            "ix_cases_category_place", ["category", "lat", "lon", "reported_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_category_place")
        batch_op.drop_index("ix_cases_area_path")
        batch_op.drop_index("ix_cases_status_path")
        batch_op.create_index("ix_cases_category", ["category"], unique=False)
        batch_op.create_index("ix_cases_area_path", ["area_path"], unique=False)
        batch_op.create_index("ix_cases_status_path", ["status", "area_path"], unique=False)
