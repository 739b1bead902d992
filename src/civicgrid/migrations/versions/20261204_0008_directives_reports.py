"""Directives (指令直达) and reports (信息直报).

Revision ID: d8f4b3e5a608
Revises: c7e3a2d4f507
Create Date: 2026-12-04
"""

from __future__ import annotations

revision = "d8f4b3e5a608"
down_revision = "c7e3a2d4f507"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
