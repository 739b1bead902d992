"""The hot path: one pass over a batch of readings, a state machine per (sensor, rule).

Compiled with numba; every array is owned by `compiled.EngineArrays`. Readings arrive
sorted by time; a reading not newer than its sensor's last one is late: skipped here.
Sensors share no state, so the pass visits the batch sensor by sensor (a stable counting
sort keeps each sensor's readings in time order): the state columns are then read in
order instead of at random, which keeps the pass in cache at city scale.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit

ABOVE, BELOW, RATE_ABOVE, RATE_BELOW, NO_DATA = 0, 1, 2, 3, 4
FIRE, ESCALATE, CLEAR, FLAP_START, FLAP_END = 1, 2, 3, 4, 5
EVALUATED, LATE = 0, 1


@njit(cache=True, nogil=True)
def _emit(
    out: Any,
    n: int,
    kind: int,
    p: int,
    sev: int,
    t: float,
    x: float,
    hits: int,
    active: int,
    src: int,
) -> int:
    ev_kind, ev_pair, ev_sev, ev_ts, ev_val, ev_hits, ev_active, ev_src = out
    ev_src[n] = src
    ev_kind[n] = kind
    ev_pair[n] = p
    ev_sev[n] = sev
    ev_ts[n] = t
    ev_val[n] = x
    ev_hits[n] = hits
    ev_active[n] = active
    return n + 1


@njit(cache=True, nogil=True)
def change(
    st: Any, rp: Any, r: int, p: int, kind: int, t: float, x: float, out: Any, n: int, src: int
) -> int:
    """A fire or clear: emitted, unless it starts or continues flapping."""
    active, sev, hits, flapping = st[2], st[3], st[4], st[5]
    flap_ring, flap_head, last_change = st[6], st[7], st[8]
    flap_n, flap_window = rp[5][r], rp[6][r]
    if flap_n > 0:
        size = flap_ring.shape[1]
        flap_ring[p, flap_head[p]] = t
        flap_head[p] = (flap_head[p] + 1) % size
        last_change[p] = t
        recent = 0
        for j in range(size):
            if flap_ring[p, j] >= t - flap_window:
                recent += 1
        if flapping[p] == 0 and recent >= flap_n:
            flapping[p] = 1
            return _emit(out, n, FLAP_START, p, sev[p], t, x, hits[p], active[p], src)
    if flapping[p] == 1:
        return n
    return _emit(out, n, kind, p, sev[p], t, x, hits[p], active[p], src)


@njit(cache=True, nogil=True)
def by_sensor(sidx: Any, n_sensors: int) -> Any:
    """Positions of the batch grouped by sensor, each group in its original order."""
    starts = np.zeros(n_sensors + 1, np.int64)
    for i in range(sidx.shape[0]):
        starts[sidx[i] + 1] += 1
    for s in range(n_sensors):
        starts[s + 1] += starts[s]
    order = np.empty(sidx.shape[0], np.int64)
    for i in range(sidx.shape[0]):
        s = sidx[i]
        order[starts[s]] = i
        starts[s] += 1
    return order


@njit(cache=True, nogil=True)
def evaluate(
    sidx: Any,
    ts: Any,
    val: Any,
    min_ts: float,
    ss: Any,  # sensor state: last_ts, ring_ts, ring_v, ring_len, ring_head
    sensor_type: Any,
    type_rules: Any,
    needs_ring: Any,
    rp: Any,  # rule params: when, nlev, sev, window, n, flap_n, flap_window, flap_stable, m, mask
    pp: Any,  # pair params: enabled, thr, clear, for_s, clear_for
    st: Any,  # pair state: run_start, clear_start, active, sev, hits, flapping, flap_ring,
    #           flap_head, last_change, hist, hist_cnt
    status: Any,
    out: Any,
) -> int:
    last_ts, ring_ts, ring_v, ring_len, ring_head = ss
    r_when, r_nlev, r_sev, r_window, r_n = rp[0], rp[1], rp[2], rp[3], rp[4]
    r_flap_stable, r_m, r_mask = rp[7], rp[8], rp[9]
    enabled, thr, clear, for_s, clear_for = pp
    run_start, clear_start, active, sev, hits, flapping = st[0], st[1], st[2], st[3], st[4], st[5]
    last_change, hist, hist_cnt = st[8], st[9], st[10]
    k_ring = ring_ts.shape[1]
    slots = type_rules.shape[1]
    n = 0
    order = by_sensor(sidx, last_ts.shape[0])
    for j in range(sidx.shape[0]):
        i = order[j]
        s = sidx[i]
        t = ts[i]
        v = val[i]
        if t <= last_ts[s] or t < min_ts:
            status[i] = LATE
            continue
        status[i] = EVALUATED
        for slot in range(slots):
            r = type_rules[sensor_type[s], slot]
            if r < 0:
                break
            p = s * slots + slot
            if not enabled[p]:
                continue
            when = r_when[r]
            if when == NO_DATA:
                if active[p] == 1:
                    active[p] = 0
                    sev[p] = 0
                    n = change(st, rp, r, p, CLEAR, t, t - last_ts[s], out, n, i)
                continue
            x = v
            if when in (RATE_ABOVE, RATE_BELOW):
                x = np.nan
                for j in range(ring_len[s]):
                    q = (ring_head[s] - ring_len[s] + j) % k_ring
                    if ring_ts[s, q] >= t - r_window[r]:
                        x = (v - ring_v[s, q]) / (t - ring_ts[s, q]) * 60.0
                        break
            rises = when in (ABOVE, RATE_ABOVE)
            ready = 0
            for k in range(r_nlev[r]):
                hit = x > thr[p, k] if rises else x < thr[p, k]
                m = r_m[r]
                if m > 0:
                    bits = hist[p, k]
                    falling = (bits >> np.uint64(m - 1)) & np.uint64(1)
                    hist[p, k] = ((bits << np.uint64(1)) | np.uint64(hit)) & r_mask[r]
                    hist_cnt[p, k] += int(hit) - int(falling)
                    hit = hist_cnt[p, k] >= r_n[r]
                if hit:
                    if np.isnan(run_start[p, k]):
                        run_start[p, k] = t
                    if t - run_start[p, k] >= for_s[p]:
                        ready = k + 1
                else:
                    run_start[p, k] = np.nan
            # The clear timer runs only while the alert is active.
            safe = active[p] == 1 and (x < clear[p] if rises else x > clear[p])
            clear_ready = False
            if safe:
                if np.isnan(clear_start[p]):
                    clear_start[p] = t
                clear_ready = t - clear_start[p] >= clear_for[p]
            else:
                clear_start[p] = np.nan
            if active[p] == 1:
                if ready > 0:
                    hits[p] += 1
                    level = r_sev[r, ready - 1]
                    if level > sev[p]:
                        sev[p] = level
                        if flapping[p] == 0:
                            n = _emit(out, n, ESCALATE, p, level, t, x, hits[p], 1, i)
                elif clear_ready:
                    active[p] = 0
                    sev[p] = 0
                    n = change(st, rp, r, p, CLEAR, t, x, out, n, i)
            elif ready > 0:
                active[p] = 1
                sev[p] = r_sev[r, ready - 1]
                hits[p] = 1
                n = change(st, rp, r, p, FIRE, t, x, out, n, i)
            if flapping[p] == 1 and t - last_change[p] >= r_flap_stable[r]:
                flapping[p] = 0
                n = _emit(out, n, FLAP_END, p, sev[p], t, x, hits[p], active[p], i)
        if not needs_ring[sensor_type[s]]:
            last_ts[s] = t
            continue
        head = ring_head[s]
        ring_ts[s, head] = t
        ring_v[s, head] = v
        ring_head[s] = (head + 1) % k_ring
        ring_len[s] = min(ring_len[s] + 1, k_ring)
        last_ts[s] = t
    return n
