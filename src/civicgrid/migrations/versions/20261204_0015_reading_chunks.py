"""Readings as compressed column chunks, one row per (batch, sensor bucket).

The `readings` table (one row per reading, keyed by (sensor, ts)) is replaced: every
stored batch is moved into chunks, so nothing accepted is lost; the downgrade moves the
chunks back into rows.

Revision ID: 4f6b8c0a2e35
Revises: 3e5a7b9d1f24
Create Date: 2026-12-04
"""

from __future__ import annotations

import numpy as np
import sqlalchemy as sa
from alembic import op

from civicgrid.adapters.db.reading_chunks import cut, encode, pack, unpack

revision = "4f6b8c0a2e35"
down_revision = "3e5a7b9d1f24"
branch_labels = None
depends_on = None

_readings = sa.table(
    "readings",
    sa.column("sensor_id", sa.String),
    sa.column("ts", sa.BigInteger),
    sa.column("value", sa.Float),
    sa.column("batch", sa.BigInteger),
    sa.column("late", sa.Boolean),
)
_chunks = sa.table(
    "reading_chunks",
    sa.column("batch", sa.BigInteger),
    sa.column("bucket", sa.SmallInteger),
    sa.column("ts_min", sa.BigInteger),
    sa.column("ts_max", sa.BigInteger),
    sa.column("readings", sa.Integer),
    sa.column("data", sa.LargeBinary),
)


def upgrade() -> None:
    op.create_table(
        "reading_chunks",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("batch", sa.BigInteger(), nullable=False),
        sa.Column("bucket", sa.SmallInteger(), nullable=False),
        sa.Column("ts_min", sa.BigInteger(), nullable=False),
        sa.Column("ts_max", sa.BigInteger(), nullable=False),
        sa.Column("readings", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reading_chunks")),
    )
    with op.batch_alter_table("reading_chunks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reading_chunks_batch"), ["batch"], unique=False)
        batch_op.create_index(
            "ix_reading_chunks_bucket_ts", ["bucket", "ts_max", "ts_min"], unique=False
        )
    _rows_to_chunks()
    with op.batch_alter_table("readings", schema=None) as batch_op:
        batch_op.drop_index("ix_readings_batch")
    op.drop_table("readings")


def _rows_to_chunks() -> None:
    bind = op.get_bind()
    batches = bind.execute(sa.select(_readings.c.batch).distinct()).scalars().all()
    for batch in batches:
        rows = bind.execute(
            sa.select(_readings.c.sensor_id, _readings.c.ts, _readings.c.value, _readings.c.late)
            .where(_readings.c.batch == batch)
            .order_by(_readings.c.ts, _readings.c.sensor_id)
        ).all()
        chunks = cut(
            *encode([r[0] for r in rows]),
            np.array([r[1] for r in rows], np.int64),
            np.array([r[2] for r in rows], np.float64),
            np.array([bool(r[3]) for r in rows], np.bool_),
        )
        bind.execute(
            _chunks.insert(),
            [
                {
                    "batch": batch,
                    "bucket": c.bucket,
                    "ts_min": int(c.ts_ms.min()),
                    "ts_max": int(c.ts_ms.max()),
                    "readings": len(c.codes),
                    "data": pack(c),
                }
                for c in chunks
            ],
        )


def downgrade() -> None:
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
    bind = op.get_bind()
    chunks = bind.execute(sa.select(_chunks.c.batch, _chunks.c.bucket, _chunks.c.data)).all()
    for batch, bucket, data in chunks:
        c = unpack(bucket, data)
        bind.execute(
            _readings.insert(),
            [
                {"sensor_id": s, "ts": t, "value": v, "batch": batch, "late": bool(late)}
                for s, t, v, late in zip(
                    c.sensor_ids, c.ts_ms.tolist(), c.values.tolist(), c.late.tolist(), strict=True
                )
            ],
        )
    with op.batch_alter_table("reading_chunks", schema=None) as batch_op:
        batch_op.drop_index("ix_reading_chunks_bucket_ts")
        batch_op.drop_index(batch_op.f("ix_reading_chunks_batch"))
    op.drop_table("reading_chunks")
