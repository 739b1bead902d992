"""Which rows of a batch are resends: repeats within the batch, or readings stored already.

A reading newer than its sensor's last evaluated one (and inside the lateness bound)
cannot have been stored before, so only the others are looked up in the store: for a
batch in time order that is none of them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from civicgrid.services.ingest.batch import IncomingReadings


def find_resends(
    incoming: IncomingReadings,
    idx: npt.NDArray[np.int32],
    ok: npt.NDArray[np.bool_],
    watermark_s: npt.NDArray[np.float64],
    oldest_s: float,
    existing: Callable[[Sequence[str], Sequence[int]], set[tuple[str, int]]],
) -> npt.NDArray[np.bool_]:
    """True for each row that repeats an earlier row of the batch or a stored reading.

    `watermark_s` is each engine sensor's last evaluated time; `existing`, the store's
    lookup, is only asked about rows at or below it (or older than `oldest_s`)."""
    duplicate = np.zeros(len(idx), np.bool_)
    candidates = np.flatnonzero(ok)
    if candidates.size == 0:
        return duplicate
    key = idx[candidates].astype(np.int64) << 42 | incoming.ts_ms[candidates]
    _, first = np.unique(key, return_index=True)
    repeat = np.ones(candidates.size, np.bool_)
    repeat[first] = False
    duplicate[candidates[repeat]] = True
    ts_s = incoming.ts_ms[candidates] / 1000.0
    suspect = candidates[~repeat & ((ts_s <= watermark_s[idx[candidates]]) | (ts_s < oldest_s))]
    if suspect.size:
        ids = [incoming.sensor_ids[i] for i in suspect.tolist()]
        stamps = incoming.ts_ms[suspect].tolist()
        stored = existing(ids, stamps)
        for i, sensor_id, stamp in zip(suspect.tolist(), ids, stamps, strict=True):
            if (sensor_id, stamp) in stored:
                duplicate[i] = True
    return duplicate
