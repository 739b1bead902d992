"""三标: indicators, reported values, peers, standards, milestones, lessons, chains, projects.

Revision ID: fab6d5a7c810
Revises: e9a5c4f6b709
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "fab6d5a7c810"
down_revision = "e9a5c4f6b709"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sb_chains",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("area_code", sa.String(length=20), nullable=False),
        sa.Column(
            "area_path",
            sa.String(length=160).with_variant(sa.String(length=160, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("name_zh", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=300), nullable=False),
        sa.Column("leader", sa.String(length=100), nullable=False),
        sa.Column("enterprises", sa.JSON(), nullable=False),
        sa.Column("provenance", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sb_chains")),
        sa.UniqueConstraint("area_code", "name_zh", name=op.f("uq_sb_chains_area_code")),
    )
    with op.batch_alter_table("sb_chains", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sb_chains_area_path"), ["area_path"], unique=False)

    op.create_table(
        "sb_indicators",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name_zh", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=300), nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column("direction", sa.String(length=10), nullable=False),
        sa.Column("aggregation", sa.String(length=20), nullable=False),
        sa.Column("weight", sa.String(length=64), nullable=True),
        sa.Column("periodicity", sa.String(length=10), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("theme", sa.String(length=30), nullable=True),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_sb_indicators")),
    )
    op.create_table(
        "sb_milestones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("area_code", sa.String(length=20), nullable=False),
        sa.Column(
            "area_path",
            sa.String(length=160).with_variant(sa.String(length=160, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("title_zh", sa.String(length=300), nullable=False),
        sa.Column("title_en", sa.String(length=400), nullable=False),
        sa.Column("group_name", sa.String(length=200), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("indicator", sa.String(length=64), nullable=True),
        sa.Column("comparison", sa.String(length=2), nullable=True),
        sa.Column("threshold", sa.Float(), nullable=True),
        sa.Column("provenance", sa.String(length=300), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("approved_by", sa.String(length=64), nullable=True),
        sa.Column("achieved_on", sa.Date(), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sb_milestones")),
    )
    with op.batch_alter_table("sb_milestones", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sb_milestones_area_path"), ["area_path"], unique=False)

    op.create_table(
        "sb_peer_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name_zh", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=300), nullable=False),
        sa.Column("peer_ids", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sb_peer_groups")),
        sa.UniqueConstraint("name_zh", name=op.f("uq_sb_peer_groups_name_zh")),
    )
    op.create_table(
        "sb_peers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name_zh", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("city_zh", sa.String(length=100), nullable=False),
        sa.Column("city_en", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sb_peers")),
        sa.UniqueConstraint("name_zh", name=op.f("uq_sb_peers_name_zh")),
    )
    op.create_table(
        "sb_standards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("area_code", sa.String(length=20), nullable=False),
        sa.Column(
            "area_path",
            sa.String(length=160).with_variant(sa.String(length=160, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("indicator", sa.String(length=64), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("target", sa.Float(), nullable=False),
        sa.Column("rule", sa.String(length=20), nullable=False),
        sa.Column("derivation", sa.Text(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("set_by", sa.String(length=64), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["sb_standards.id"],
            name=op.f("fk_sb_standards_parent_id_sb_standards"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sb_standards")),
        sa.UniqueConstraint(
            "area_code", "indicator", "period", name=op.f("uq_sb_standards_area_code")
        ),
    )
    op.create_table(
        "sb_values",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator", sa.String(length=64), nullable=False),
        sa.Column("area_code", sa.String(length=20), nullable=False),
        sa.Column(
            "area_path",
            sa.String(length=160).with_variant(sa.String(length=160, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("entered_by", sa.String(length=64), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sb_values")),
        sa.UniqueConstraint(
            "indicator", "area_code", "period", "version", name=op.f("uq_sb_values_indicator")
        ),
    )
    with op.batch_alter_table("sb_values", schema=None) as batch_op:
        batch_op.create_index(
            "ix_sb_values_indicator_path", ["indicator", "area_path"], unique=False
        )

    op.create_table(
        "sb_peer_values",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("peer_id", sa.Integer(), nullable=False),
        sa.Column("indicator", sa.String(length=64), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["peer_id"],
            ["sb_peers.id"],
            name=op.f("fk_sb_peer_values_peer_id_sb_peers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sb_peer_values")),
        sa.UniqueConstraint("peer_id", "indicator", "year", name=op.f("uq_sb_peer_values_peer_id")),
    )
    op.create_table(
        "sb_practices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title_zh", sa.String(length=200), nullable=False),
        sa.Column("title_en", sa.String(length=300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("peer_id", sa.Integer(), nullable=True),
        sa.Column("indicators", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["peer_id"],
            ["sb_peers.id"],
            name=op.f("fk_sb_practices_peer_id_sb_peers"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sb_practices")),
    )
    op.create_table(
        "sb_projects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("area_code", sa.String(length=20), nullable=False),
        sa.Column(
            "area_path",
            sa.String(length=160).with_variant(sa.String(length=160, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("chain_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("amount", sa.Float(), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("stage_dates", sa.JSON(), nullable=False),
        sa.Column("provenance", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["chain_id"],
            ["sb_chains.id"],
            name=op.f("fk_sb_projects_chain_id_sb_chains"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sb_projects")),
    )
    with op.batch_alter_table("sb_projects", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sb_projects_area_path"), ["area_path"], unique=False)

    op.create_table(
        "sb_lessons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("area_code", sa.String(length=20), nullable=False),
        sa.Column(
            "area_path",
            sa.String(length=160).with_variant(sa.String(length=160, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("title_zh", sa.String(length=300), nullable=False),
        sa.Column("title_en", sa.String(length=400), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("indicators", sa.JSON(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["practice_id"],
            ["sb_practices.id"],
            name=op.f("fk_sb_lessons_practice_id_sb_practices"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sb_lessons")),
    )
    with op.batch_alter_table("sb_lessons", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sb_lessons_area_path"), ["area_path"], unique=False)

    op.create_table(
        "sb_lesson_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lesson_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=False),
        sa.Column("milestone_ids", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["lesson_id"],
            ["sb_lessons.id"],
            name=op.f("fk_sb_lesson_actions_lesson_id_sb_lessons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sb_lesson_actions")),
    )
    with op.batch_alter_table("sb_lesson_actions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sb_lesson_actions_lesson_id"), ["lesson_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("sb_lesson_actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sb_lesson_actions_lesson_id"))

    op.drop_table("sb_lesson_actions")
    with op.batch_alter_table("sb_lessons", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sb_lessons_area_path"))

    op.drop_table("sb_lessons")
    with op.batch_alter_table("sb_projects", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sb_projects_area_path"))

    op.drop_table("sb_projects")
    op.drop_table("sb_practices")
    op.drop_table("sb_peer_values")
    with op.batch_alter_table("sb_values", schema=None) as batch_op:
        batch_op.drop_index("ix_sb_values_indicator_path")

    op.drop_table("sb_values")
    op.drop_table("sb_standards")
    op.drop_table("sb_peers")
    op.drop_table("sb_peer_groups")
    with op.batch_alter_table("sb_milestones", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sb_milestones_area_path"))

    op.drop_table("sb_milestones")
    op.drop_table("sb_indicators")
    with op.batch_alter_table("sb_chains", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sb_chains_area_path"))

    op.drop_table("sb_chains")
