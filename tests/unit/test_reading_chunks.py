"""Readings packed as column chunks come back exactly, cut by sensor bucket."""

from __future__ import annotations

import numpy as np

from civicgrid.adapters.db.reading_chunks import BUCKETS, bucket_of, cut, encode, pack, unpack


def _batch(n: int) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(1)
    ids = [f"S{int(i):04d}" for i in rng.integers(0, 300, n)]
    ts = np.arange(n, dtype=np.int64) * 7 + 1_700_000_000_000
    values = rng.standard_normal(n)
    late = rng.random(n) < 0.1
    return ids, ts, values, late


def test_a_batch_cut_into_chunks_and_packed_comes_back_whole() -> None:
    ids, ts, values, late = _batch(5000)
    chunks = [unpack(c.bucket, pack(c)) for c in cut(*encode(ids), ts, values, late)]
    assert 1 < len(chunks) <= BUCKETS
    got = sorted(
        (s, t, v, bool(x))
        for c in chunks
        for s, t, v, x in zip(
            c.sensor_ids, c.ts_ms.tolist(), c.values.tolist(), c.late, strict=True
        )
    )
    want = sorted(zip(ids, ts.tolist(), values.tolist(), late.tolist(), strict=True))
    assert got == want


def test_each_chunk_holds_one_bucket_and_a_sensor_reads_in_its_order() -> None:
    ids, ts, values, late = _batch(2000)
    for chunk in cut(*encode(ids), ts, values, late):
        assert {bucket_of(s) for s in chunk.names} == {chunk.bucket}
        for sensor in chunk.names[:5]:
            stamps, vals = chunk.of(sensor)
            mine = [
                (t, v)
                for s, t, v in zip(ids, ts.tolist(), values.tolist(), strict=True)
                if s == sensor
            ]
            assert list(zip(stamps.tolist(), vals.tolist(), strict=True)) == mine
        assert chunk.of("not-here")[0].size == 0
