"""Case counts: an index for the overdue filter, and counters per (area, status).

The overdue filter reads a subtree's open cases whose deadline has passed:
(status, area_path, deadline_at) answers it from index entries alone. Only cases with a
deadline are in it: it is small, and a query without a deadline condition cannot use
it (SQLite's planner preferred it to the subtree index for plain pages, 10x slower). A counter row
holds how many cases a subtree (an area and everything below it) has in a status,
kept by every write that creates a case or changes its status, so a subtree's count
is one row instead of one index entry per case. They start from the cases stored.

Revision ID: 3e5a7b9d1f24
Revises: 2d4f6a8c0e13
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "3e5a7b9d1f24"
down_revision = "2d4f6a8c0e13"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index(
            "ix_cases_status_path_deadline",
            ["status", "area_path", "deadline_at", "reported_at", "id"],
            unique=False,
            sqlite_where=sa.text("deadline_at IS NOT NULL"),
            postgresql_where=sa.text("deadline_at IS NOT NULL"),
        )
    op.create_table(
        "case_counts",
        sa.Column(
            "area_path",
            sa.String(length=160).with_variant(sa.String(length=160, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("area_path", "status", name=op.f("pk_case_counts")),
    )
    _count_stored_cases()


def _count_stored_cases() -> None:
    """Each (area, status) group of the cases, added to its area and every ancestor."""
    counts: dict[tuple[str, str], int] = {}
    groups = op.get_bind().execute(
        sa.text("SELECT area_path, status, COUNT(*) FROM cases GROUP BY area_path, status")
    )
    for path, status, count in groups:
        codes = [part for part in path.split("/") if part]
        for n in range(len(codes) + 1):  # "/", the root of everything, too
            key = ("/" + "".join(f"{code}/" for code in codes[:n]), status)
            counts[key] = counts.get(key, 0) + count
    table = sa.table("case_counts", sa.column("area_path"), sa.column("status"), sa.column("count"))
    rows = [{"area_path": p, "status": s, "count": c} for (p, s), c in sorted(counts.items())]
    for start in range(0, len(rows), 5000):
        op.bulk_insert(table, rows[start : start + 5000])


def downgrade() -> None:
    op.drop_table("case_counts")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_status_path_deadline")
