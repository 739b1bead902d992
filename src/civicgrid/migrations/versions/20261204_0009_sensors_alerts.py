"""Sensors, device tokens, readings, ingestion batches, alert engine snapshots, alerts,
their comments and silences.

Revision ID: e9a5c4f6b709
Revises: d8f4b3e5a608
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "e9a5c4f6b709"
down_revision = "d8f4b3e5a608"
branch_labels = None
depends_on = None

# Materialized paths compare bytewise on PostgreSQL (as in the areas table).
PATH = sa.String(length=160).with_variant(sa.String(length=160, collation="C"), "postgresql")


def upgrade() -> None:
    op.create_table(
        "alert_engine_snapshots",
        sa.Column("partition", sa.String(length=32), nullable=False),
        sa.Column("batch", sa.BigInteger(), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("partition", name=op.f("pk_alert_engine_snapshots")),
    )
    op.create_table(
        "alert_silences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sensor_id", sa.String(length=64), nullable=True),
        sa.Column("sensor_type", sa.String(length=32), nullable=True),
        sa.Column("area_path", PATH, nullable=True),
        sa.Column("rule_id", sa.String(length=64), nullable=True),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_silences")),
    )
    with op.batch_alter_table("alert_silences", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alert_silences_ends_at"), ["ends_at"], unique=False)

    op.create_table(
        "device_tokens",
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("digest", name=op.f("pk_device_tokens")),
    )
    with op.batch_alter_table("device_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_device_tokens_subject"), ["subject"], unique=False)

    op.create_table(
        "ingest_batches",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("partition", sa.String(length=32), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("readings", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ingest_batches")),
    )
    with op.batch_alter_table("ingest_batches", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ingest_batches_partition"), ["partition"], unique=False
        )

    op.create_table(
        "readings",
        sa.Column("sensor_id", sa.String(length=64), nullable=False),
        sa.Column("ts", sa.BigInteger(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("batch", sa.BigInteger(), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("sensor_id", "ts", name=op.f("pk_readings")),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("readings", schema=None) as batch_op:
        batch_op.create_index("ix_readings_batch", ["batch"], unique=False)

    op.create_table(
        "sensors",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("area_code", sa.String(length=32), nullable=False),
        sa.Column("area_path", PATH, nullable=False),
        sa.Column("department", sa.String(length=64), nullable=False),
        sa.Column("gateway", sa.String(length=64), nullable=True),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sensors")),
    )
    with op.batch_alter_table("sensors", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sensors_area_code"), ["area_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_sensors_area_path"), ["area_path"], unique=False)
        batch_op.create_index(batch_op.f("ix_sensors_gateway"), ["gateway"], unique=False)
        batch_op.create_index(batch_op.f("ix_sensors_type"), ["type"], unique=False)

    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sensor_id", sa.String(length=64), nullable=False),
        sa.Column("rule_id", sa.String(length=64), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("area_code", sa.String(length=32), nullable=False),
        sa.Column("area_path", PATH, nullable=False),
        sa.Column("severity", sa.SmallInteger(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("flapping", sa.Boolean(), nullable=False),
        sa.Column("silenced", sa.Boolean(), nullable=False),
        sa.Column("fired_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cleared_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_value", sa.Float(), nullable=True),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("fires", sa.Integer(), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by", sa.String(length=64), nullable=True),
        sa.Column("assignee", sa.String(length=64), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_alerts_case_id_cases"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
    )
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alerts_area_path"), ["area_path"], unique=False)
        batch_op.create_index(batch_op.f("ix_alerts_sensor_id"), ["sensor_id"], unique=False)
        batch_op.create_index(
            "uq_alerts_active_sensor_rule",
            ["sensor_id", "rule_id"],
            unique=True,
            sqlite_where=sa.text("active"),
            postgresql_where=sa.text("active"),
        )

    op.create_table(
        "alert_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(length=64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["alerts.id"],
            name=op.f("fk_alert_comments_alert_id_alerts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_comments")),
    )
    with op.batch_alter_table("alert_comments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alert_comments_alert_id"), ["alert_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("alert_comments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alert_comments_alert_id"))

    op.drop_table("alert_comments")
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_alerts_active_sensor_rule",
            sqlite_where=sa.text("active"),
            postgresql_where=sa.text("active"),
        )
        batch_op.drop_index(batch_op.f("ix_alerts_sensor_id"))
        batch_op.drop_index(batch_op.f("ix_alerts_area_path"))

    op.drop_table("alerts")
    with op.batch_alter_table("sensors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sensors_type"))
        batch_op.drop_index(batch_op.f("ix_sensors_gateway"))
        batch_op.drop_index(batch_op.f("ix_sensors_area_path"))
        batch_op.drop_index(batch_op.f("ix_sensors_area_code"))

    op.drop_table("sensors")
    with op.batch_alter_table("readings", schema=None) as batch_op:
        batch_op.drop_index("ix_readings_batch")

    op.drop_table("readings")
    with op.batch_alter_table("ingest_batches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ingest_batches_partition"))

    op.drop_table("ingest_batches")
    with op.batch_alter_table("device_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_device_tokens_subject"))

    op.drop_table("device_tokens")
    with op.batch_alter_table("alert_silences", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alert_silences_ends_at"))

    op.drop_table("alert_silences")
    op.drop_table("alert_engine_snapshots")
