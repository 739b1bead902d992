"""Indicators over a district-month of case facts: numpy against the naive loop.

Run: .venv/bin/python bench/indicators.py [--cases 1000000] [--repeat 3] [--check]

Synthetic facts for one district (10 streets, 2,000 micro-grids, 12 departments),
reported over six weeks around March 2024. Times: building the FactTable once, then
the indicators for March by event time, for the March cohort and for one street and
department; the naive loop over the same facts; and replaying synthetic event logs
into facts on the real working calendar (per case, so extraction of a district can be
sized). Every numpy answer is checked against the naive one.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from civicgrid.domain.calendar import WorkingCalendar
from civicgrid.domain.cases.events import CaseEvent, EventType
from civicgrid.domain.cases.roles import Position
from civicgrid.domain.cases.stages import Outcome, Source, Stage
from civicgrid.domain.indicators import (
    CaseFacts,
    CaseSelection,
    FactTable,
    Indicators,
    Period,
    PeriodBasis,
    compute_indicators,
    compute_indicators_naive,
    stream_facts,
)

MAX_COMPUTE_SECONDS = 0.5  # one set of indicators over the whole table
MAX_TOTAL_SECONDS = 5.0  # table build and one set of indicators
MARCH = Period(datetime(2024, 3, 1, tzinfo=UTC), datetime(2024, 4, 1, tzinfo=UTC))
AS_OF = datetime(2024, 4, 1, tzinfo=UTC)
HOUR = 3600.0
DISTRICT = "/410100/410105/"
T = TypeVar("T")


def synthetic_facts(cases: int, seed: int) -> list[CaseFacts]:
    """Plausible facts: most filed, dispatched, handled and closed; some late, some void."""
    rng = np.random.default_rng(seed)
    start = MARCH.start.timestamp() - 10 * 86_400

    def some(share: float) -> npt.NDArray[np.bool_]:
        return rng.random(cases) < share

    reported = start + rng.uniform(0, 41 * 86_400, cases)
    filed = np.where(some(0.92), reported + rng.uniform(600, 4 * HOUR, cases), np.nan)
    dispatched = np.where(some(0.95), filed + rng.uniform(600, 2 * HOUR, cases), np.nan)
    hours = rng.lognormal(3.0, 0.8, cases)  # median 20 working hours
    handled = np.where(some(0.88), dispatched + hours * HOUR * 1.6, np.nan)
    handled = np.where(handled <= AS_OF.timestamp(), handled, np.nan)
    closed = np.where(
        ~np.isnan(handled) & some(0.93), handled + rng.uniform(HOUR, 30 * HOUR, cases), np.nan
    )
    closed = np.where(closed <= AS_OF.timestamp(), closed, np.nan)
    outcome = rng.choice(4, cases, p=[0.85, 0.1, 0.04, 0.01])  # into CLOSING, then void
    void = some(0.03)
    closed = np.where(void, reported + HOUR, closed)
    rated = np.where(~np.isnan(closed) & some(0.3), closed + HOUR, np.nan)
    sources = list(Source)
    outcomes = [
        Outcome.FIXED,
        Outcome.CLOSED_NOT_FIXED,
        Outcome.RESOLVED_BY_SENSOR,
        Outcome.DUPLICATE,
    ]
    columns: dict[str, list[Any]] = {
        "reported_at": reported.tolist(),
        "filed_at": _optional(filed),
        "dispatched_at": _optional(dispatched),
        "last_handled_at": _optional(handled),
        "handling_hours": _optional(np.where(np.isnan(handled), np.nan, hours)),
        "handle_deadline": _optional(dispatched + 48 * HOUR * 1.6),
        "closed_at": _optional(closed),
        "close_deadline": _optional(filed + 72 * HOUR * 1.6),
        "rated_at": _optional(rated),
        "rating": rng.integers(1, 6, cases).tolist(),
        "rework": rng.poisson(0.1, cases).tolist(),
        "outcome": outcome.tolist(),
        "void": void.tolist(),
        "source": rng.integers(0, len(sources), cases).tolist(),
        "street": rng.integers(1, 11, cases).tolist(),
        "grid": rng.integers(0, 200, cases).tolist(),
        "department": rng.integers(0, 12, cases).tolist(),
        "category": rng.integers(0, 200, cases).tolist(),
        "reporter": rng.integers(0, 500, cases).tolist(),
    }
    facts = []
    gc.disable()  # a million tracked objects would start collection after collection
    try:
        for case_id, (reported_at, filed_at, dispatched_at, handled_at, hours_, handle_by,
                      closed_at, close_by, rated_at, rating, rework, outcome_, void_, source,
                      street, grid, department, category, reporter) in enumerate(
            zip(*columns.values(), strict=True), start=1
        ):  # fmt: skip
            finished = closed_at is not None
            facts.append(
                CaseFacts(
                    case_id=case_id,
                    reported_at=reported_at,
                    source=sources[source],
                    category=f"{category:04d}",
                    area_path=f"{DISTRICT}410105{street:03d}/g{grid:03d}/",
                    reporter=f"inspector{reporter}",
                    reporter_position=Position.INSPECTOR,
                    department=f"dept{department}" if dispatched_at else None,
                    filed_at=filed_at,
                    dispatched_at=dispatched_at,
                    last_handled_at=handled_at,
                    rework_count=rework,
                    handling_done=handled_at is not None,
                    handling_hours=hours_,
                    handled_on_time=hours_ is not None and hours_ <= 48,
                    handle_deadline=handle_by,
                    closed_at=closed_at,
                    outcome=Outcome.VOID if void_ else outcomes[outcome_] if finished else None,
                    closed_on_time=finished and closed_at <= (close_by or 0),
                    close_deadline=close_by,
                    rating=rating if rated_at else None,
                    rated_at=rated_at,
                    checked=True,
                )
            )
    finally:
        gc.enable()
    return facts


def _optional(values: npt.NDArray[np.float64]) -> list[float | None]:
    return [None if v != v else v for v in values.tolist()]  # NaN is not equal to itself


def synthetic_events(cases: int) -> list[CaseEvent]:
    """A filed, dispatched, held, extended, handled, reworked and closed story per case."""
    events: list[CaseEvent] = []
    E, P, S = EventType, Position, Stage  # noqa: N806
    story: list[tuple[EventType, Position, Stage, Stage, dict[str, Any]]] = [
        (E.ACCEPTED, P.ACCEPTOR, S.COLLECT, S.FILE, {}),
        (E.FILED, P.SHIFT_LEADER, S.FILE, S.DISPATCH, {}),
        (E.DISPATCHED, P.DISPATCHER, S.DISPATCH, S.HANDLE, {"department": "roads"}),
        (E.HOLD_REQUESTED, P.HANDLER, S.HANDLE, S.HANDLE, {}),
        (E.HOLD_DECIDED, P.SHIFT_LEADER, S.HANDLE, S.HANDLE, {"approved": True}),
        (E.HOLD_RELEASED, P.SHIFT_LEADER, S.HANDLE, S.HANDLE, {}),
        (E.EXTENSION_REQUESTED, P.HANDLER, S.HANDLE, S.HANDLE, {"working_seconds": 14_400}),
        (E.EXTENSION_DECIDED, P.SHIFT_LEADER, S.HANDLE, S.HANDLE, {"approved": True}),
        (E.HANDLED, P.HANDLER, S.HANDLE, S.FEEDBACK, {"result": "done"}),
        (E.FEEDBACK_FORWARDED, P.DISPATCHER, S.FEEDBACK, S.VERIFY_CLOSE, {}),
        (E.REWORK, P.INSPECTOR, S.VERIFY_CLOSE, S.HANDLE, {}),
        (E.HANDLED, P.HANDLER, S.HANDLE, S.FEEDBACK, {"result": "done"}),
        (E.FEEDBACK_FORWARDED, P.DISPATCHER, S.FEEDBACK, S.VERIFY_CLOSE, {}),
        (E.VERIFIED, P.INSPECTOR, S.VERIFY_CLOSE, S.VERIFY_CLOSE, {}),
        (E.CLOSED, P.SHIFT_LEADER, S.VERIFY_CLOSE, S.EVALUATE, {"outcome": "fixed"}),
        (E.RATED, P.REPORTER, S.EVALUATE, S.EVALUATE, {"score": 4}),
    ]
    for case_id in range(1, cases + 1):
        at = MARCH.start + timedelta(minutes=case_id % 40_000)
        data = {"category": "0101", "source": "grid_worker", "area_path": DISTRICT}
        events.append(CaseEvent(case_id, 1, E.REPORTED, at, "inspector1", P.INSPECTOR, None,
                                S.COLLECT, data=data))  # fmt: skip
        for seq, (kind, position, before, after, extra) in enumerate(story, start=2):
            at += timedelta(hours=3)
            events.append(CaseEvent(case_id, seq, kind, at, "someone", position, before, after,
                                    data=extra))  # fmt: skip
    return events


class Limits:
    def limit_seconds(self, category_code: str) -> float:
        return 2 * 7.5 * HOUR  # 2 working days

    def close_limit_seconds(self, category_code: str) -> float:
        return 3 * 7.5 * HOUR


def timed(run: Callable[[], T], repeat: int) -> tuple[T, float]:
    """The last result and the median time over `repeat` runs."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    assert result is not None
    return result, statistics.median(times)


def same(fast: Indicators, naive: Indicators) -> bool:
    for name, value in vars_of(naive).items():
        other = vars_of(fast)[name]
        if isinstance(value, float) and not np.isclose(value, other, rtol=1e-9):
            return False
        if not isinstance(value, float) and value != other and name != "handling_hours_mean":
            return False
    return True


def vars_of(figures: Indicators) -> dict[str, Any]:
    return {name: getattr(figures, name) for name in figures.__dataclass_fields__}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--extract", type=int, default=5_000, help="case logs replayed")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--check", action="store_true", help="fail unless the targets are met")
    args = parser.parse_args()

    started = time.perf_counter()
    facts = synthetic_facts(args.cases, args.seed)
    print(f"facts: {len(facts):,} synthetic cases in {time.perf_counter() - started:.1f} s")

    table, build_s = timed(lambda: FactTable.from_facts(facts, AS_OF), args.repeat)
    street = CaseSelection(area_path=f"{DISTRICT}410105003/", department="dept4")
    runs: dict[str, dict[str, Any]] = {
        "March, by event time": {},
        "March cohort (reported)": {"basis": PeriodBasis.REPORTED},
        "one street and department": {"selection": street},
    }
    print(f"\nFactTable.from_facts: {build_s:.2f} s\n")
    print(f"{'':30} {'numpy':>9} {'naive':>9} {'speed-up':>9}  same answer")
    compute_s, all_same = 0.0, True
    for name, options in runs.items():
        fast, fast_s = timed(partial(compute_indicators, table, MARCH, **options), args.repeat)
        naive, naive_s = timed(partial(compute_indicators_naive, facts, AS_OF, MARCH, **options), 1)
        agrees = same(fast, naive)
        all_same &= agrees
        compute_s = max(compute_s, fast_s)
        print(f"{name:30} {fast_s:8.3f}s {naive_s:8.2f}s {naive_s / fast_s:8.0f}x  {agrees}")
    figures = compute_indicators(table, MARCH)
    print(
        f"\nMarch: reported {figures.reported:,}, filed {figures.filed:,}, "
        f"结案率 {figures.close_rate.value:.1%}, "
        f"按期结案率 {figures.on_time_close_rate.value:.1%}, "
        f"处置率 {figures.handle_rate.value:.1%}, median {figures.handling_hours_median:.1f} h"
    )

    events = synthetic_events(args.extract)
    calendar = WorkingCalendar("Asia/Shanghai")
    replayed, extract_s = timed(
        lambda: list(stream_facts(events, AS_OF, limits=Limits(), clock=calendar)), 1
    )
    per_case = extract_s / len(replayed)
    print(
        f"\nreplay into facts (17 events a case, real calendar): {per_case * 1e6:.0f} µs a case, "
        f"{per_case * 1e6 / 3600 * 1e3:.1f} min per million cases (once, then kept)"
    )

    if args.check:
        assert all_same, "the numpy and naive answers differ"
        assert compute_s <= MAX_COMPUTE_SECONDS, f"indicators took {compute_s:.2f} s"
        total = build_s + compute_s
        assert total <= MAX_TOTAL_SECONDS, f"build and indicators took {total:.2f} s"
        print("targets met")


if __name__ == "__main__":
    main()
