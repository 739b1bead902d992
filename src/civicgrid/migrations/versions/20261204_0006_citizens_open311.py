"""Citizens and Open311: reporters, tracking codes, API keys, ratings.

Revision ID: b6d2f1c3e406
Revises: a5c1e0b2d305
Create Date: 2026-12-04
"""

from __future__ import annotations

revision = "b6d2f1c3e406"
down_revision = "a5c1e0b2d305"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
