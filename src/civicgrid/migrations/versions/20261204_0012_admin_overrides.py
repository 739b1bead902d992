"""Administration: category, calendar and alert-rule edits made through the forms.

Revision ID: 1c9e2f7a5b30
Revises: 0b7d3e91c4a2
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "1c9e2f7a5b30"
down_revision = "0b7d3e91c4a2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "category_overrides",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("limit_value", sa.Integer(), nullable=False),
        sa.Column("limit_unit", sa.String(length=20), nullable=False),
        sa.Column("filing_zh", sa.Text(), nullable=False),
        sa.Column("filing_en", sa.Text(), nullable=False),
        sa.Column("closing_zh", sa.Text(), nullable=False),
        sa.Column("closing_en", sa.Text(), nullable=False),
        sa.Column("department", sa.String(length=40), nullable=False),
        sa.Column("duplicate_radius_m", sa.Integer(), nullable=False),
        sa.Column("duplicate_window_h", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_category_overrides")),
    )
    op.create_table(
        "calendar_overrides",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("working", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_calendar_overrides")),
    )
    op.create_table(
        "alert_rule_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("saved_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_rule_versions")),
    )


def downgrade() -> None:
    op.drop_table("alert_rule_versions")
    op.drop_table("calendar_overrides")
    op.drop_table("category_overrides")
