"""Directives (指令直达) and reports (信息直报).

Revision ID: d8f4b3e5a608
Revises: c7e3a2d4f507
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "d8f4b3e5a608"
down_revision = "c7e3a2d4f507"
branch_labels = None
depends_on = None


def _path() -> sa.types.TypeEngine[str]:
    return sa.String(length=160).with_variant(sa.String(length=160, collation="C"), "postgresql")


def _at(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "area_tags",
        sa.Column("tag", sa.String(length=40), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["area_id"], ["areas.id"], name=op.f("fk_area_tags_area_id_areas"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("tag", "area_id", name=op.f("pk_area_tags")),
    )
    op.create_index(op.f("ix_area_tags_area_id"), "area_tags", ["area_id"])

    op.create_table(
        "ledger_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stream", sa.String(length=120), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=30), nullable=False),
        _at("at"),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("area_path", _path(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_entries")),
        sa.UniqueConstraint("stream", "seq", name=op.f("uq_ledger_entries_stream")),
    )

    op.create_table(
        "directives",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("issuer_path", _path(), nullable=False),
        sa.Column("issued_by", sa.String(length=64), nullable=False),
        _at("issued_at"),
        sa.Column("title_zh", sa.String(length=200), nullable=False),
        sa.Column("title_en", sa.String(length=200), nullable=False),
        sa.Column("body_zh", sa.Text(), nullable=False),
        sa.Column("body_en", sa.Text(), nullable=False),
        sa.Column("priority", sa.String(length=10), nullable=False),
        _at("sign_deadline_at", True),
        _at("complete_deadline_at", True),
        sa.Column("form", sa.JSON(), nullable=False),
        sa.Column("attachments", sa.JSON(), nullable=False),
        sa.Column("selection", sa.JSON(), nullable=False),
        sa.Column("target_count", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("material_version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        _at("revoked_at", True),
        _at("sign_reminded_at", True),
        _at("sign_escalated_at", True),
        _at("complete_reminded_at", True),
        _at("complete_escalated_at", True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directives")),
    )
    op.create_index(op.f("ix_directives_issuer_path"), "directives", ["issuer_path"])
    op.create_index(op.f("ix_directives_issued_at"), "directives", ["issued_at"])

    op.create_table(
        "directive_versions",
        sa.Column("directive_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _at("at"),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("material", sa.Boolean(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["directive_id"],
            ["directives.id"],
            name=op.f("fk_directive_versions_directive_id_directives"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("directive_id", "version", name=op.f("pk_directive_versions")),
    )

    op.create_table(
        "directive_receipts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("directive_id", sa.Integer(), nullable=False),
        sa.Column("area_path", _path(), nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.Column("state", sa.SmallInteger(), nullable=False),
        sa.Column("signed_version", sa.SmallInteger(), nullable=False),
        _at("signed_at", True),
        sa.Column("progress", sa.SmallInteger(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("feedback", sa.JSON(), nullable=True),
        _at("done_at", True),
        _at("updated_at", True),
        # No foreign key: see adapters/db/tables/directives.py.
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directive_receipts")),
    )
    op.create_index(
        "ux_directive_receipts_unit",
        "directive_receipts",
        ["directive_id", "area_path"],
        unique=True,
    )
    op.create_index(
        "ix_directive_receipts_rollup",
        "directive_receipts",
        ["directive_id", "area_path", "state", "signed_version"],
    )

    op.create_table(
        "report_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name_zh", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("area_path", _path(), nullable=False),
        sa.Column("submitter_level", sa.SmallInteger(), nullable=False),
        sa.Column("schedule", sa.String(length=10), nullable=False),
        sa.Column("due_time", sa.String(length=5), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        _at("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_templates")),
        sa.UniqueConstraint("code", name=op.f("uq_report_templates_code")),
    )
    op.create_table(
        "report_submissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=False),
        sa.Column("area_path", _path(), nullable=False),
        sa.Column("period", sa.String(length=20), nullable=False),
        sa.Column("version", sa.SmallInteger(), nullable=False),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("submitted_by", sa.String(length=64), nullable=False),
        _at("submitted_at"),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["report_templates.id"],
            name=op.f("fk_report_submissions_template_id_report_templates"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_submissions")),
    )
    op.create_index(
        "ux_report_submissions_version",
        "report_submissions",
        ["template_id", "period", "area_path", "version"],
        unique=True,
    )
    op.create_table(
        "report_reminders",
        sa.Column("template_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=20), nullable=False),
        _at("sent_at"),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["report_templates.id"],
            name=op.f("fk_report_reminders_template_id_report_templates"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("template_id", "period", name=op.f("pk_report_reminders")),
    )
    op.create_table(
        "urgent_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("area_path", _path(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("submitted_by", sa.String(length=64), nullable=False),
        _at("submitted_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_urgent_reports")),
    )
    op.create_index(op.f("ix_urgent_reports_area_path"), "urgent_reports", ["area_path"])
    op.create_table(
        "urgent_report_deliveries",
        sa.Column("urgent_report_id", sa.Integer(), nullable=False),
        sa.Column("notification_id", sa.Integer(), nullable=False),
        sa.Column("area_path", _path(), nullable=False),
        sa.ForeignKeyConstraint(
            ["urgent_report_id"],
            ["urgent_reports.id"],
            name=op.f("fk_urgent_report_deliveries_urgent_report_id_urgent_reports"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notifications.id"],
            name=op.f("fk_urgent_report_deliveries_notification_id_notifications"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "urgent_report_id", "notification_id", name=op.f("pk_urgent_report_deliveries")
        ),
    )


def downgrade() -> None:
    op.drop_table("urgent_report_deliveries")
    op.drop_index(op.f("ix_urgent_reports_area_path"), table_name="urgent_reports")
    op.drop_table("urgent_reports")
    op.drop_table("report_reminders")
    op.drop_index("ux_report_submissions_version", table_name="report_submissions")
    op.drop_table("report_submissions")
    op.drop_table("report_templates")
    op.drop_index("ix_directive_receipts_rollup", table_name="directive_receipts")
    op.drop_index("ux_directive_receipts_unit", table_name="directive_receipts")
    op.drop_table("directive_receipts")
    op.drop_table("directive_versions")
    op.drop_index(op.f("ix_directives_issued_at"), table_name="directives")
    op.drop_index(op.f("ix_directives_issuer_path"), table_name="directives")
    op.drop_table("directives")
    op.drop_table("ledger_entries")
    op.drop_index(op.f("ix_area_tags_area_id"), table_name="area_tags")
    op.drop_table("area_tags")
