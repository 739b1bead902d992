"""三标: indicators, benchmarks, standards, milestones.

Revision ID: fab6d5a7c810
Revises: e9a5c4f6b709
Create Date: 2026-12-04
"""

from __future__ import annotations

revision = "fab6d5a7c810"
down_revision = "e9a5c4f6b709"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
