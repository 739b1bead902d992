"""Case listing: indexes for newest-first pages of a subtree's cases.

Revision ID: a5c1e0b2d305
Revises: 45d1bdc20e4e
Create Date: 2026-12-04
"""

from __future__ import annotations

revision = "a5c1e0b2d305"
down_revision = "45d1bdc20e4e"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
