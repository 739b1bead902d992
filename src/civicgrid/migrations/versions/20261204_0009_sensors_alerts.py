"""Sensors, readings, alert rules and alerts.

Revision ID: e9a5c4f6b709
Revises: d8f4b3e5a608
Create Date: 2026-12-04
"""

from __future__ import annotations

revision = "e9a5c4f6b709"
down_revision = "d8f4b3e5a608"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
