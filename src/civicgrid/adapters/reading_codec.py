"""Reading batches off the wire: JSON arrays or NDJSON, decoded with msgspec typed structs.

A bad row never stops a batch: when the fast typed decode of the whole batch fails, each
row is decoded alone, and the bad ones are reported with their row number and reason.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec
import numpy as np

from civicgrid.services.ingest import IncomingReadings

AwareTime = Annotated[datetime, msgspec.Meta(tz=True)]


class WireReading(msgspec.Struct, forbid_unknown_fields=True):
    sensor: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    ts: AwareTime | float  # RFC 3339 with a zone, or seconds since the epoch
    value: float


class _EpochReading(msgspec.Struct, forbid_unknown_fields=True):
    """The common case, decoded faster: ts in seconds since the epoch."""

    sensor: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    ts: float
    value: float


_epoch_batch = msgspec.json.Decoder(list[_EpochReading])
_batch = msgspec.json.Decoder(list[WireReading])
_one = msgspec.json.Decoder(WireReading)
_raw_list = msgspec.json.Decoder(list[msgspec.Raw])


def decode_json_array(body: bytes) -> IncomingReadings:
    try:
        return _epoch_columns(_epoch_batch.decode(body))
    except msgspec.ValidationError:
        pass  # RFC 3339 times, or a bad row: the general decoder below says which
    except msgspec.DecodeError as exc:
        raise ValueError(f"the body is not a JSON array of readings: {exc}") from None
    try:
        return _columns(_batch.decode(body), [])
    except msgspec.ValidationError:
        pass
    except msgspec.DecodeError as exc:
        raise ValueError(f"the body is not a JSON array of readings: {exc}") from None
    try:
        raws = _raw_list.decode(body)
    except msgspec.DecodeError as exc:
        raise ValueError(f"the body is not a JSON array of readings: {exc}") from None
    return _rows([bytes(raw) for raw in raws])


def decode_ndjson(body: bytes) -> IncomingReadings:
    lines = [line for line in body.split(b"\n") if line.strip()]
    return _rows(lines)


def decode_one(payload: bytes) -> WireReading:
    return _one.decode(payload)


def _rows(lines: list[bytes]) -> IncomingReadings:
    good: list[WireReading] = []
    rows: list[int] = []
    rejected: list[tuple[int, str]] = []
    for number, line in enumerate(lines):
        try:
            good.append(_one.decode(line))
            rows.append(number)
        except (msgspec.ValidationError, msgspec.DecodeError) as exc:
            rejected.append((number, f"malformed reading: {exc}"))
    return _columns(good, rejected, rows)


def _epoch_columns(readings: list[_EpochReading]) -> IncomingReadings:
    n = len(readings)
    seconds = np.fromiter((r.ts for r in readings), np.float64, n)
    return IncomingReadings(
        sensor_ids=[r.sensor for r in readings],
        ts_ms=np.round(seconds * 1000).astype(np.int64),
        values=np.fromiter((r.value for r in readings), np.float64, n),
        rows=np.arange(n),
    )


def _columns(
    readings: list[WireReading], rejected: list[tuple[int, str]], rows: list[int] | None = None
) -> IncomingReadings:
    stamps = [r.ts if isinstance(r.ts, float | int) else r.ts.timestamp() for r in readings]
    return IncomingReadings(
        sensor_ids=[r.sensor for r in readings],
        ts_ms=np.round(np.array(stamps, np.float64) * 1000).astype(np.int64),
        values=np.array([r.value for r in readings], np.float64),
        rows=np.arange(len(readings)) if rows is None else np.array(rows, np.int64),
        rejected=rejected,
    )
