"""Readings as compressed column chunks: how a batch is cut into chunks and packed.

A batch is cut by sensor bucket (crc32 of the sensor id, BUCKETS of them), so reading one
sensor's history opens only its bucket's chunks. Inside a chunk the readings are grouped
by sensor, each sensor's readings keeping their order, so a sensor's readings are one
slice. The payload is zlib (fast level) over msgpack of [sensor ids, codes, times,
values, late flags], the arrays as little-endian bytes.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import msgspec
import numpy as np
import numpy.typing as npt

BUCKETS = 16
_LEVEL = 1  # zlib: the fast end; readings compress ~3x even so
_bucket_cache: dict[str, int] = {}


@dataclass(frozen=True, slots=True)
class Chunk:
    """One bucket's share of a batch; `codes` index `names`, grouped by sensor."""

    bucket: int
    names: list[str]
    codes: npt.NDArray[np.uint32]
    ts_ms: npt.NDArray[np.int64]
    values: npt.NDArray[np.float64]
    late: npt.NDArray[np.bool_]

    @property
    def sensor_ids(self) -> list[str]:
        table = np.array(self.names, dtype=object)
        return list(table[self.codes]) if len(self.codes) else []

    def of(self, sensor_id: str) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
        """One sensor's times and values in this chunk (a slice: codes are grouped)."""
        try:
            code = self.names.index(sensor_id)
        except ValueError:
            return np.empty(0, np.int64), np.empty(0, np.float64)
        lo, hi = np.searchsorted(self.codes, [code, code + 1])
        return self.ts_ms[lo:hi], self.values[lo:hi]


def bucket_of(sensor_id: str) -> int:
    found = _bucket_cache.get(sensor_id)
    if found is None:
        if len(_bucket_cache) > 1_000_000:
            _bucket_cache.clear()
        found = _bucket_cache[sensor_id] = zlib.crc32(sensor_id.encode()) % BUCKETS
    return found


def encode(sensor_ids: Sequence[str]) -> tuple[npt.NDArray[np.int64], list[str]]:
    """Dictionary-encode sensor ids: (codes, names) with sensor_ids[i] == names[codes[i]]."""
    lookup: dict[str, int] = {}
    codes = np.fromiter(
        (lookup.setdefault(s, len(lookup)) for s in sensor_ids), np.int64, len(sensor_ids)
    )
    return codes, list(lookup)


def cut(
    codes: npt.NDArray[np.integer[Any]],
    names: Sequence[str],
    ts_ms: npt.NDArray[np.int64],
    values: npt.NDArray[np.float64],
    late: npt.NDArray[np.bool_],
) -> Iterator[Chunk]:
    """A batch's chunks, one per bucket that has readings. `codes` index `names`; names
    no reading uses are dropped."""
    used = np.zeros(len(names), np.bool_)
    used[codes] = True
    if not used.all():
        renumber = np.cumsum(used) - 1
        codes = renumber[codes]
        names = [n for n, u in zip(names, used.tolist(), strict=True) if u]
    codes = codes.astype(np.int64)
    buckets = np.fromiter((bucket_of(s) for s in names), np.int64, len(names))
    # Sensors numbered bucket by bucket: one stable sort groups rows by bucket, then sensor.
    rank = np.empty(len(names), np.int64)
    by_bucket = np.argsort(buckets, kind="stable")
    rank[by_bucket] = np.arange(len(names))
    order = np.argsort(rank[codes], kind="stable")
    ranked = rank[codes][order]
    names_ranked = [names[i] for i in by_bucket.tolist()]
    edges = np.searchsorted(buckets[by_bucket], np.arange(BUCKETS + 1))
    for b in range(BUCKETS):
        first, last = int(edges[b]), int(edges[b + 1])
        if first == last:
            continue
        lo, hi = np.searchsorted(ranked, [first, last])
        rows = order[lo:hi]
        yield Chunk(
            bucket=b,
            names=names_ranked[first:last],
            codes=(ranked[lo:hi] - first).astype(np.uint32),
            ts_ms=ts_ms[rows],
            values=values[rows],
            late=late[rows],
        )


def pack(chunk: Chunk) -> bytes:
    payload = msgspec.msgpack.encode(
        [
            chunk.names,
            chunk.codes.astype("<u4").tobytes(),
            chunk.ts_ms.astype("<i8").tobytes(),
            chunk.values.astype("<f8").tobytes(),
            chunk.late.astype(np.uint8).tobytes(),
        ]
    )
    return zlib.compress(payload, _LEVEL)


_payload = msgspec.msgpack.Decoder(tuple[list[str], bytes, bytes, bytes, bytes])


def unpack(bucket: int, data: bytes) -> Chunk:
    names, codes, ts, values, late = _payload.decode(zlib.decompress(data))
    return Chunk(
        bucket=bucket,
        names=names,
        codes=np.frombuffer(codes, "<u4").astype(np.uint32),
        ts_ms=np.frombuffer(ts, "<i8").astype(np.int64),
        values=np.frombuffer(values, "<f8").astype(np.float64),
        late=np.frombuffer(late, np.uint8).astype(np.bool_),
    )
