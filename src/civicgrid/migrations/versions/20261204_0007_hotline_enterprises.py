"""12345 hotline imports and the enterprise registry.

Revision ID: c7e3a2d4f507
Revises: b6d2f1c3e406
Create Date: 2026-12-04
"""

from __future__ import annotations

revision = "c7e3a2d4f507"
down_revision = "b6d2f1c3e406"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
