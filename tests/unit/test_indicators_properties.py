"""Properties: the numpy path equals the naive loop, and the figures hold together.

Two kinds of input: arbitrary fact sets (even ones no log could produce, so the two
implementations must agree on the formulas, not just on typical data), and random
walks through the workflow, folded by `Case` to prove them real histories.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import fields
from datetime import datetime, timedelta
from itertools import groupby
from typing import Any, TypeVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civicgrid.domain.cases.case import Case
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
    Ratio,
    compute_indicators,
    compute_indicators_naive,
    stream_facts,
)
from tests.unit.indicator_logs import EAST, WEST, AllHoursClock, FixedLimits, Log, t

BASE = t(1)
AREAS = (EAST, WEST, "/410100/410102/410102001/", "/410200/")
REPORTERS = ("inspector1", "inspector2", "acceptor1", "system")
DEPARTMENTS = ("roads", "sanitation")
T = TypeVar("T")
SPAN, STEP = 24 * 6, 6  # hours either side of BASE, on a 6-hour grid
WALK_SPAN = 24 * 40  # random walks last up to about four weeks


def optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """None four times in five: a selection narrowed on every field would keep nothing."""
    return st.one_of(st.none(), st.none(), st.none(), st.none(), strategy)


def arbitrary_facts(rng: random.Random, case_id: int) -> CaseFacts:
    """Any combination of values, consistent or not: both paths must read them alike."""

    def instant() -> float:
        # On a coarse grid, so instants often coincide with period bounds and as_of.
        return (BASE + timedelta(hours=STEP * rng.randint(-SPAN // STEP, SPAN // STEP))).timestamp()

    def maybe(value: Callable[[], T]) -> T | None:
        return value() if rng.random() < 0.6 else None

    def flag() -> bool:
        return rng.random() < 0.5

    return CaseFacts(
        case_id=case_id,
        reported_at=instant(),
        source=rng.choice(list(Source)),
        category=rng.choice(("0101", "0102", "9901")),
        area_path=rng.choice(AREAS),
        reporter=rng.choice(REPORTERS),
        reporter_position=rng.choice(list(Position)),
        department=maybe(lambda: rng.choice(DEPARTMENTS)),
        filed_at=maybe(instant),
        dispatched_at=maybe(instant),
        last_handled_at=maybe(instant),
        rework_count=rng.randint(0, 3),
        handling_done=flag(),
        handling_hours=maybe(lambda: rng.uniform(0, 500)),
        handled_on_time=flag(),
        handle_deadline=maybe(instant),
        closed_at=maybe(instant),
        outcome=maybe(lambda: rng.choice(list(Outcome))),
        closed_on_time=flag(),
        close_deadline=maybe(instant),
        rating=maybe(lambda: rng.randint(1, 5)),
        rated_at=maybe(instant),
        checked=flag(),
    )


# A seed and a size rather than every field drawn by hypothesis: thirty cases of
# twenty-odd fields each would spend most of the run drawing values.
def _fact_set(seed: int, size: int) -> list[CaseFacts]:
    rng = random.Random(seed)
    return [arbitrary_facts(rng, case_id) for case_id in range(1, size + 1)]


fact_sets = st.builds(_fact_set, st.integers(0, 2**32), st.integers(0, 60))


def instants(span: int = SPAN, step: int = STEP) -> st.SearchStrategy[datetime]:
    return st.integers(-span // step, span // step).map(lambda n: BASE + timedelta(hours=n * step))


@st.composite
def periods(draw: st.DrawFn, span: int = SPAN, step: int = STEP) -> Period:
    start = draw(st.integers(-span // step, span // step)) * step
    length = draw(st.integers(1, span // step)) * step
    return Period(BASE + timedelta(hours=start), BASE + timedelta(hours=start + length))


selections = st.builds(
    CaseSelection,
    area_path=optional(st.sampled_from(("/410100/", EAST, WEST, "/410200/"))),
    department=optional(st.sampled_from(DEPARTMENTS)),
    reporter=optional(st.sampled_from(REPORTERS)),
    reporter_position=optional(st.sampled_from(Position)),
    sources=optional(st.frozensets(st.sampled_from(Source), min_size=1, max_size=4)).map(
        lambda sources: sources or frozenset()
    ),
    category_prefix=optional(st.sampled_from(("01", "0102", "99"))),
    enterprise=optional(st.booleans()),
)
options = st.fixed_dictionaries(
    {
        "selection": st.just(CaseSelection()) | selections,
        "basis": st.sampled_from(PeriodBasis),
        "enterprise_categories": st.sampled_from(((), ("99",), ("01", "99"))),
    }
)


def assert_equal(fast: Indicators, naive: Indicators) -> None:
    for field in fields(Indicators):
        got, want = getattr(fast, field.name), getattr(naive, field.name)
        if isinstance(want, float):
            assert got == pytest.approx(want, rel=1e-12), field.name
        elif isinstance(want, Ratio):
            assert got.numerator == want.numerator, field.name
            assert got.denominator == want.denominator, field.name
        else:
            assert got == want, field.name


@given(fact_sets, instants(), periods(), options)
@settings(max_examples=200, deadline=None)
def test_numpy_equals_the_naive_loop_on_any_fact_set(
    facts: list[CaseFacts], as_of: datetime, period: Period, opts: dict[str, Any]
) -> None:
    table = FactTable.from_facts(facts, as_of)
    fast = compute_indicators(table, period, **opts)
    assert_equal(fast, compute_indicators_naive(facts, as_of, period, **opts))


@given(fact_sets, selections, st.sampled_from(((), ("99",))))
@settings(max_examples=100, deadline=None)
def test_the_table_selects_exactly_what_the_selection_matches(
    facts: list[CaseFacts], selection: CaseSelection, enterprise: tuple[str, ...]
) -> None:
    table = FactTable.from_facts(facts, BASE)
    expected = [selection.matches(f, enterprise) for f in facts]
    assert table.select(selection, enterprise).tolist() == expected


# -- random walks through the workflow ---------------------------------------------------


@st.composite
def case_log(draw: st.DrawFn, case_id: int) -> list[CaseEvent]:
    """A random but valid history: each step is one the folds accept at that point."""
    E, P = EventType, Position  # noqa: N806
    source = draw(st.sampled_from(Source))
    at = BASE + timedelta(hours=draw(st.integers(-24 * 20, 24 * 20)))
    reporter = draw(st.sampled_from(REPORTERS))
    log = Log(case_id, at, source, reporter, P.INSPECTOR, area=draw(st.sampled_from(AREAS)))
    checked = verified = rated = on_hold = closed = False
    for _ in range(draw(st.integers(0, 16))):
        at += timedelta(hours=draw(st.integers(0, 40)))
        stage, pick = log.stage, draw(st.integers(0, 9))
        if on_hold:
            kind = E.HOLD_RELEASED if pick < 8 else E.VOIDED
            log.then(kind, at, P.SHIFT_LEADER)
            on_hold = False
        elif stage is Stage.EVALUATE:
            if pick < 4 and not rated:
                log.then(E.RATED, at, P.REPORTER, score=draw(st.integers(1, 5)))
                rated = True
            elif pick < 6 and closed:
                log.then(E.REOPENED, at, P.REPORTER)
                verified = closed = False
            else:
                break
        elif pick == 9 and stage is Stage.COLLECT:
            log.then(E.MERGED, at, P.ACCEPTOR, into=1)
        elif pick == 9:
            log.then(E.VOIDED, at, P.SHIFT_LEADER)
        elif pick == 8 and stage is not Stage.COLLECT:
            log.then(E.RETURNED, at, P.SHIFT_LEADER)
            verified = False
        elif stage is Stage.COLLECT:
            log.then(E.ACCEPTED, at, P.ACCEPTOR)
        elif stage is Stage.FILE:
            if source.is_public and not checked:
                checked = pick < 7
                log.then(E.CHECKED, at, P.INSPECTOR, passed=checked)
            else:
                log.then(E.FILED, at, P.SHIFT_LEADER)
        elif stage is Stage.DISPATCH:
            log.dispatched(at, draw(st.sampled_from(DEPARTMENTS)))
        elif stage is Stage.HANDLE:
            if pick < 4:
                log.handled(at)
                verified = False
            elif pick == 4:
                log.then(E.HOLD_REQUESTED, at, P.HANDLER)
                approved = draw(st.booleans())
                log.then(E.HOLD_DECIDED, at, P.SHIFT_LEADER, approved=approved)
                on_hold = approved
            elif pick == 5:
                seconds = draw(st.integers(1, 48)) * 3600
                log.then(E.EXTENSION_REQUESTED, at, P.HANDLER, working_seconds=seconds)
                log.then(E.EXTENSION_DECIDED, at, P.SHIFT_LEADER, approved=draw(st.booleans()))
            elif pick == 6 and source is Source.SENSOR:
                log.then(E.CLOSED, at, P.SYSTEM, outcome="resolved_by_sensor")
        elif stage is Stage.FEEDBACK:
            log.then(E.FEEDBACK_FORWARDED, at, P.DISPATCHER)
        elif stage is Stage.VERIFY_CLOSE:
            if pick < 3 and not verified:
                log.then(E.VERIFIED, at, P.INSPECTOR)
                verified = True
            elif pick < 6:
                outcome = "fixed" if verified else "closed_not_fixed"
                log.then(E.CLOSED, at, P.SHIFT_LEADER, outcome=outcome)
                closed = True
            else:
                log.then(E.REWORK, at, P.INSPECTOR)
                verified = False
    return log.checked_by_case()


@st.composite
def district_logs(draw: st.DrawFn) -> list[CaseEvent]:
    size = draw(st.integers(1, 12))
    return [event for case_id in range(1, size + 1) for event in draw(case_log(case_id))]


@given(district_logs())
@settings(max_examples=60, deadline=None)
def test_on_real_histories_the_facts_agree_with_the_case_aggregate(
    events: list[CaseEvent],
) -> None:
    as_of = BASE + timedelta(days=60)  # after every event
    facts = stream_facts(events, as_of, limits=FixedLimits(), clock=AllHoursClock())
    logs = {case_id: list(group) for case_id, group in groupby(events, key=lambda e: e.case_id)}
    for f in facts:
        case = Case.from_events(logs[f.case_id])
        for name in (
            "filed_at",
            "dispatched_at",
            "first_handled_at",
            "last_handled_at",
            "closed_at",
        ):
            theirs = getattr(case, name)
            assert getattr(f, name) == (theirs.timestamp() if theirs else None), name
        for name in ("outcome", "rating", "department", "rework_count", "reopen_count", "on_hold"):
            assert getattr(f, name) == getattr(case, name), name
        assert not f.handling_done or case.last_handled_at is not None


@given(district_logs(), instants(WALK_SPAN, 1), periods(WALK_SPAN, 1), options)
@settings(max_examples=80, deadline=None)
def test_on_real_histories_the_figures_hold_together(
    events: list[CaseEvent], as_of: datetime, period: Period, opts: dict[str, Any]
) -> None:
    facts = list(stream_facts(events, as_of, limits=FixedLimits(), clock=AllHoursClock()))
    figures = compute_indicators(FactTable.from_facts(facts, as_of), period, **opts)
    assert_equal(figures, compute_indicators_naive(facts, as_of, period, **opts))
    f = figures
    assert f.closed_on_time <= f.closed <= f.due_to_close
    assert f.handled_on_time <= f.handled <= f.due_to_handle
    assert f.fixed + f.closed_not_fixed + f.resolved_by_sensor == f.closed
    assert f.reworked <= f.handled
    assert f.reworked <= f.rework_events
    assert f.public_reports_verified <= f.filed
    assert f.inspector_reports_filed <= f.filed
    assert f.satisfied.numerator <= f.ratings
    assert f.filed <= f.reported or opts["basis"] is PeriodBasis.EVENT


@given(district_logs(), instants(WALK_SPAN, 1), periods(WALK_SPAN, 1), st.integers(1, 24 * 20))
@settings(max_examples=40, deadline=None)
def test_counts_of_events_add_up_over_adjacent_periods(
    events: list[CaseEvent], as_of: datetime, first: Period, hours: int
) -> None:
    facts = list(stream_facts(events, as_of, limits=FixedLimits(), clock=AllHoursClock()))
    table = FactTable.from_facts(facts, as_of)
    middle = first.end
    second = Period(middle, middle + timedelta(hours=hours))
    whole = Period(first.start, second.end)
    parts = [compute_indicators(table, p) for p in (first, second)]
    total = compute_indicators(table, whole)
    for name in ("reported", "filed", "closed", "handled", "reworked", "voided", "ratings"):
        assert getattr(parts[0], name) + getattr(parts[1], name) == getattr(total, name), name
