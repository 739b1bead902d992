"""Indicators from hand-built logs with answers worked by hand (see indicator_logs.py).

The clock counts every hour, so "48 h" below is 48 working hours. Both implementations,
the numpy one and the naive loop, must give every answer.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import asdict, fields
from datetime import UTC, datetime
from typing import Any

import pytest

from civicgrid.domain.calendar import WorkingCalendar
from civicgrid.domain.cases import workflow as wf
from civicgrid.domain.cases.case import Case
from civicgrid.domain.cases.events import CaseEvent, EventType
from civicgrid.domain.cases.roles import Position
from civicgrid.domain.cases.stages import Outcome, Source
from civicgrid.domain.errors import InvalidInput
from civicgrid.domain.indicators import (
    CaseFacts,
    CaseSelection,
    Counts,
    FactTable,
    Indicators,
    Period,
    PeriodBasis,
    Ratio,
    WorkingClock,
    compute_indicators,
    compute_indicators_naive,
    extract_facts,
    stream_facts,
)
from tests.unit.indicator_logs import (
    EAST,
    HOUR,
    WEST,
    AllHoursClock,
    FixedLimits,
    Log,
    march_logs,
    t,
)

MARCH = Period(t(1), t(1, month=4))
APRIL_1 = t(1, month=4)
ENTERPRISE_CATEGORIES = ("99",)


def facts_as_of(as_of: datetime, clock: WorkingClock | None = None) -> list[CaseFacts]:
    events = [event for log in march_logs().values() for event in log]
    limits, clock = FixedLimits(), clock or AllHoursClock()
    return list(stream_facts(events, as_of, limits=limits, clock=clock))


def both(
    as_of: datetime,
    period: Period = MARCH,
    selection: CaseSelection | None = None,
    basis: PeriodBasis = PeriodBasis.EVENT,
) -> Indicators:
    """The numpy answer, after checking the naive loop gives the same one."""
    facts = facts_as_of(as_of)
    options: dict[str, Any] = {
        "selection": selection or CaseSelection(),
        "basis": basis,
        "enterprise_categories": ENTERPRISE_CATEGORIES,
    }
    fast = compute_indicators(FactTable.from_facts(facts, as_of), period, **options)
    assert_same(fast, compute_indicators_naive(facts, as_of, period, **options))
    return fast


def assert_same(actual: Indicators, expected: Indicators) -> None:
    for field in fields(Indicators):
        got, want = getattr(actual, field.name), getattr(expected, field.name)
        if isinstance(want, float):
            assert got == pytest.approx(want), field.name
        elif isinstance(want, Ratio):
            assert (got.numerator, got.denominator) == (want.numerator, want.denominator)
            assert got.value == pytest.approx(want.value), field.name
        else:
            assert got == want, field.name


def expected(hours: list[float], ratings: list[int], **counts: int) -> Indicators:
    return Indicators.from_counts(
        Counts(**counts),
        hours_median=statistics.median(hours),
        hours_mean=statistics.fmean(hours),
        ratings=len(ratings),
        rating_mean=statistics.fmean(ratings),
        satisfied=sum(r >= 4 for r in ratings),
    )


def test_every_log_folds_into_a_case_whose_fields_the_facts_agree_with() -> None:
    for case_id, log in march_logs().items():
        case = Case.from_events(log)
        facts = extract_facts(log, APRIL_1, limits=FixedLimits(), clock=AllHoursClock())
        assert facts is not None
        assert facts.case_id == case_id
        for name in ("filed_at", "dispatched_at", "first_handled_at", "last_handled_at"):
            mine, theirs = getattr(facts, name), getattr(case, name)
            assert mine == (theirs.timestamp() if theirs else None), (case_id, name)
        assert facts.closed_at == (case.closed_at.timestamp() if case.closed_at else None)
        assert (facts.outcome, facts.rating, facts.department) == (
            case.outcome,
            case.rating,
            case.department,
        )
        assert (facts.rework_count, facts.reopen_count) == (case.rework_count, case.reopen_count)
        assert facts.on_hold == case.on_hold
        assert (facts.category, facts.area_path, facts.source) == (
            case.category,
            case.area_path,
            case.source,
        )


def test_march_counted_by_event_time() -> None:
    figures = both(APRIL_1)
    assert_same(
        figures,
        expected(
            hours=[24, 72, 49, 24, 96, 5, 36],  # cases 1, 2, 3, 4, 5, 9, 14
            ratings=[2, 4],
            reported=13,  # 1-13; 14 was reported in February
            filed=10,  # 1-5, 8, 9, 11-13: 6 was voided, 7 merged, 10 failed its check
            closed=8,  # 1-5, 8, 9 and 14 (closed on 1 March)
            closed_on_time=6,  # not 2 (99 h of 72) nor 5 (103 h)
            due_to_close=9,  # the 8 closed and 11 (due on the 30th); 12 is due in April
            handled=7,  # 1-5, 9, 14; 8 was closed by its sensor, never handled
            handled_on_time=5,  # not 2 (72 h of 48) nor 5 (96 h after its reopening)
            due_to_handle=8,  # the 7 and 11 (due on the 29th); 13 is on hold
            reworked=1,
            rework_events=1,
            public_reports_verified=4,  # 2, 3, 5, 9
            inspector_reports_filed=5,  # 1, 4, 11, 12, 13
            fixed=6,
            closed_not_fixed=1,
            resolved_by_sensor=1,
            duplicates=1,
            voided=2,  # 6 and 10
            enterprise_requests=2,  # 9 from an enterprise, 10 in category 99xx
        ),
    )
    assert figures.close_rate == Ratio(8, 9, 8 / 9)
    assert figures.rework_rate == Ratio(1, 7, 1 / 7)
    assert figures.public_report_rate == Ratio(4, 10, 0.4)
    assert figures.handling_hours_median == 36


def test_march_counted_as_the_cohort_reported_in_march() -> None:
    assert_same(
        both(APRIL_1, basis=PeriodBasis.REPORTED),
        expected(
            hours=[24, 72, 49, 24, 96, 5],
            ratings=[2, 4],
            reported=13,
            filed=10,
            closed=7,  # case 14 belongs to February's cohort
            closed_on_time=5,
            due_to_close=8,
            handled=6,
            handled_on_time=4,
            due_to_handle=7,
            reworked=1,
            rework_events=1,
            public_reports_verified=4,
            inspector_reports_filed=5,
            fixed=5,
            closed_not_fixed=1,
            resolved_by_sensor=1,
            duplicates=1,
            voided=2,
            enterprise_requests=2,
        ),
    )


def test_the_same_log_replayed_as_of_20_march_gives_that_days_figures() -> None:
    assert_same(
        both(t(20, 12)),
        expected(
            hours=[24, 72, 49, 24, 24, 36],  # case 5 was then handled in 24 h
            ratings=[2],
            reported=9,  # 1-8 and 10; 9 and 11-13 did not exist yet
            filed=6,
            closed=7,  # 1-5, 8, 14: case 5 not yet reopened
            closed_on_time=6,  # case 5 was on time then
            due_to_close=7,
            handled=6,
            handled_on_time=5,
            due_to_handle=6,
            reworked=1,
            rework_events=1,
            public_reports_verified=3,
            inspector_reports_filed=2,
            fixed=5,
            closed_not_fixed=1,
            resolved_by_sensor=1,
            duplicates=1,
            voided=2,
            enterprise_requests=1,
        ),
    )


def test_a_reopened_case_is_open_between_reopening_and_closing_again() -> None:
    log = march_logs()[5]
    limits, clock = FixedLimits(), AllHoursClock()
    before, between, after = (
        extract_facts(log, at, limits=limits, clock=clock) for at in (t(20), t(21, 12), t(23))
    )
    assert before
    assert between
    assert after
    assert (before.outcome, before.closed_on_time, before.handled_on_time) == (
        Outcome.FIXED,
        True,
        True,
    )
    assert (between.outcome, between.closed_at, between.handling_done) == (None, None, False)
    assert (after.outcome, after.closed_on_time, after.handling_hours) == (Outcome.FIXED, False, 96)
    assert after.reopen_count == 1
    assert after.handled_count == 2


@pytest.mark.parametrize("basis", list(PeriodBasis))
def test_an_overdue_case_is_due_from_the_instant_its_deadline_passes(basis: PeriodBasis) -> None:
    # Case 11 was dispatched on the 27th at 03:00: handling is due on the 29th at 03:00.
    due_at, hour_before = (both(at, basis=basis).due_to_handle for at in (t(29, 3), t(29, 2)))
    assert due_at - hour_before == 1


def test_a_case_closed_at_the_instant_a_period_ends_is_still_open_at_its_end() -> None:
    # Case 2 fell due on the 4th at 03:00 and was closed on the 5th at 06:00.
    citizen_b = CaseSelection(reporter="citizen-b")
    until_close = both(APRIL_1, Period(t(1), t(5, 6)), citizen_b)
    assert (until_close.closed, until_close.due_to_close) == (0, 1)
    next_period = both(APRIL_1, Period(t(5, 6), APRIL_1), citizen_b)
    assert (next_period.closed, next_period.due_to_close) == (1, 1)


def test_time_on_hold_and_granted_extensions_move_the_deadlines() -> None:
    facts = extract_facts(march_logs()[3], APRIL_1, limits=FixedLimits(), clock=AllHoursClock())
    assert facts is not None
    # Dispatched on the 10th at 00:00: 48 h + 12 h extension + 24 h on hold.
    assert facts.handle_deadline == t(13, 12).timestamp()
    assert facts.handling_hours == 49
    assert facts.handled_on_time
    # Filed on the 9th at 23:00: 72 h + 12 h extension + 24 h on hold.
    assert facts.close_deadline == t(14, 11).timestamp()


def test_an_open_hold_stops_the_clock_unless_the_time_had_already_run_out() -> None:
    def held_from(hold_at: datetime) -> CaseFacts:
        log = Log(1, t(1), Source.GRID_WORKER, "inspector1", Position.INSPECTOR)
        log.intake(t(1)).dispatched(t(1, 2))
        log.then(EventType.HOLD_REQUESTED, hold_at, Position.HANDLER)
        log.then(EventType.HOLD_DECIDED, hold_at, Position.SHIFT_LEADER, approved=True)
        facts = extract_facts(
            log.checked_by_case(), APRIL_1, limits=FixedLimits(), clock=AllHoursClock()
        )
        assert facts is not None
        assert facts.on_hold
        return facts

    assert held_from(t(2)).handle_deadline is None  # 22 h of 48 used: stopped
    assert held_from(t(5)).handle_deadline == t(3, 2).timestamp()  # ran out before the hold


def test_a_case_returned_and_dispatched_again_keeps_its_first_dispatch_as_its_clock() -> None:
    log = Log(1, t(1), Source.GRID_WORKER, "inspector1", Position.INSPECTOR)
    log.intake(t(1)).dispatched(t(1, 2), "roads")
    log.then(EventType.RETURNED, t(2), Position.HANDLER)  # "not ours"
    log.dispatched(t(2, 1), "sanitation").handled(t(3, 2))
    facts = extract_facts(
        log.checked_by_case(), APRIL_1, limits=FixedLimits(), clock=AllHoursClock()
    )
    assert facts is not None
    assert facts.department == "sanitation"
    assert facts.dispatched_at == t(1, 2).timestamp()  # as Case.dispatched_at
    assert facts.handling_hours == 48
    assert facts.handled_on_time


def test_voiding_a_case_on_hold_ends_its_hold() -> None:
    log = Log(1, t(1), Source.GRID_WORKER, "inspector1", Position.INSPECTOR)
    log.intake(t(1)).dispatched(t(1, 2))
    log.then(EventType.HOLD_REQUESTED, t(2), Position.HANDLER)
    log.then(EventType.HOLD_DECIDED, t(2), Position.SHIFT_LEADER, approved=True)
    log.then(EventType.VOIDED, t(3), Position.SHIFT_LEADER)
    facts = extract_facts(
        log.checked_by_case(), APRIL_1, limits=FixedLimits(), clock=AllHoursClock()
    )
    assert facts is not None
    assert facts.voided
    assert not facts.on_hold
    assert facts.handle_deadline == t(4, 2).timestamp()  # 48 h + the day on hold


def test_closed_not_fixed_and_sensor_closes_count_as_closed_but_never_as_fixed() -> None:
    west = both(APRIL_1, selection=CaseSelection(area_path=WEST))
    assert (west.closed, west.fixed, west.closed_not_fixed, west.resolved_by_sensor) == (2, 0, 1, 1)


def test_duplicates_and_voided_cases_are_never_due() -> None:
    west = both(APRIL_1, selection=CaseSelection(area_path=WEST))
    # 2, 6, 8, 10 and 12: 6 and 10 are void; 12 is not due until April.
    assert (west.reported, west.voided, west.filed, west.due_to_close) == (5, 2, 3, 2)


@pytest.mark.parametrize(
    ("selection", "reported", "filed", "handled", "due_to_handle"),
    [
        (CaseSelection(area_path=EAST), 8, 7, 6, 7),
        (CaseSelection(area_path="/410100/"), 13, 10, 7, 8),
        (CaseSelection(department="roads"), 7, 7, 6, 7),
        (CaseSelection(department="sanitation"), 3, 3, 1, 1),
        (CaseSelection(reporter="inspector1"), 4, 4, 3, 4),  # 14 was handled in March
        (CaseSelection(reporter_position=Position.REPORTER), 5, 3, 3, 3),
        (CaseSelection(sources=frozenset({Source.HOTLINE, Source.SENSOR})), 2, 2, 1, 1),
        (CaseSelection(category_prefix="99"), 1, 0, 0, 0),
        (CaseSelection(enterprise=True), 2, 1, 1, 1),
        (CaseSelection(enterprise=False), 11, 9, 6, 7),
    ],
)
def test_a_selection_narrows_every_count(
    selection: CaseSelection, reported: int, filed: int, handled: int, due_to_handle: int
) -> None:
    figures = both(APRIL_1, selection=selection)
    assert (figures.reported, figures.filed, figures.handled, figures.due_to_handle) == (
        reported,
        filed,
        handled,
        due_to_handle,
    )


def test_enterprise_requests_come_from_enterprises_or_the_given_categories() -> None:
    facts = facts_as_of(APRIL_1)
    table = FactTable.from_facts(facts, APRIL_1)
    assert compute_indicators(table, MARCH).enterprise_requests == 1  # source only
    assert compute_indicators_naive(facts, APRIL_1, MARCH).enterprise_requests == 1


def test_an_empty_selection_gives_zero_counts_and_no_ratios() -> None:
    figures = both(APRIL_1, selection=CaseSelection(department="parks"))
    assert figures.reported == 0
    assert figures.close_rate == Ratio(0, 0, None)
    assert figures.handling_hours_median is None
    assert figures.rating_mean is None
    assert figures.satisfied == Ratio(0, 0, None)


def test_a_case_reported_after_as_of_has_no_facts() -> None:
    log = march_logs()[9]
    assert extract_facts(log, t(24), limits=FixedLimits(), clock=AllHoursClock()) is None
    assert len(facts_as_of(t(24))) == 10


def test_the_working_calendar_counts_only_working_hours() -> None:
    calendar: WorkingClock = WorkingCalendar("Asia/Shanghai")  # 08:30-12:00, 14:00-18:00
    friday_4pm = datetime(2024, 3, 1, 8, tzinfo=UTC)  # 16:00 in Shanghai
    monday_10am = datetime(2024, 3, 4, 2, tzinfo=UTC)
    friday_2pm = datetime(2024, 3, 1, 6, tzinfo=UTC)
    log = Log(1, friday_2pm, Source.GRID_WORKER, "inspector1", Position.INSPECTOR)
    log.intake(friday_2pm).dispatched(friday_4pm).handled(monday_10am)
    facts = extract_facts(log.checked_by_case(), APRIL_1, limits=FixedLimits(), clock=calendar)
    assert facts is not None
    assert facts.handling_hours == 3.5  # 16:00-18:00 Friday, 08:30-10:00 Monday
    assert facts.handled_on_time
    assert facts.handle_deadline == calendar.add_working(friday_4pm, 48 * HOUR).timestamp()


def test_a_case_driven_through_the_workflow_yields_the_facts_its_events_imply() -> None:
    P, roads = Position, "roads"  # noqa: N806
    events = [
        wf.report(1, "inspector1", P.INSPECTOR, t(4, 1), category="0101",
                  source=Source.GRID_WORKER, area_code="410102", area_path=EAST,
                  description="a broken kerb")
    ]  # fmt: skip
    case = Case.from_events(events)
    steps: list[Callable[[Case], CaseEvent]] = [
        lambda c: wf.accept(c, "acceptor1", P.ACCEPTOR, t(4, 2)),
        lambda c: wf.file(c, "leader1", P.SHIFT_LEADER, t(4, 3)),
        lambda c: wf.dispatch(c, "dispatcher1", P.DISPATCHER, t(4, 4), roads),
        lambda c: wf.request_hold(c, "h", P.HANDLER, t(4, 5), "permit", actor_department=roads),
        lambda c: wf.decide_hold(c, "leader1", P.SHIFT_LEADER, t(4, 6), approved=True),
        lambda c: wf.release_hold(c, "leader1", P.SHIFT_LEADER, t(5, 6)),
        lambda c: wf.request_extension(
            c, "h", P.HANDLER, t(5, 7), 3600, "asphalt", actor_department=roads
        ),
        lambda c: wf.decide_extension(c, "leader1", P.SHIFT_LEADER, t(5, 8), approved=True),
        lambda c: wf.handle(c, "h", P.HANDLER, t(6, 4), "patched", actor_department=roads),
        lambda c: wf.forward_feedback(c, "dispatcher1", P.DISPATCHER, t(6, 5)),
        lambda c: wf.verify(c, "inspector1", P.INSPECTOR, t(6, 6), passed=False, note="loose"),
        lambda c: wf.handle(c, "h", P.HANDLER, t(6, 8), "relaid", actor_department=roads),
        lambda c: wf.forward_feedback(c, "dispatcher1", P.DISPATCHER, t(6, 9)),
        lambda c: wf.verify(c, "inspector1", P.INSPECTOR, t(6, 10), passed=True),
        lambda c: wf.close(c, "leader1", P.SHIFT_LEADER, t(6, 11), Outcome.FIXED),
    ]
    for step in steps:
        events.append(step(case))
        case = case.apply(events[-1])
    facts = extract_facts(events, APRIL_1, limits=FixedLimits(), clock=AllHoursClock())
    assert facts is not None
    assert (facts.handled_count, facts.rework_count, facts.outcome) == (2, 1, Outcome.FIXED)
    assert facts.handling_hours == 28  # 52 h from dispatch to the second result, 24 on hold
    assert facts.handled_on_time
    assert facts.handle_deadline == t(7, 5).timestamp()  # 48 h + 1 h extension + 24 h hold
    assert facts.closed_on_time
    assert facts.close_deadline == t(8, 4).timestamp()  # 72 h + 1 h + 24 h from filing


def test_times_must_be_aware_and_periods_must_run_forwards() -> None:
    naive = datetime(2024, 3, 1)  # noqa: DTZ001 - the point of the test
    with pytest.raises(InvalidInput):
        extract_facts(march_logs()[1], naive, limits=FixedLimits(), clock=AllHoursClock())
    with pytest.raises(InvalidInput):
        Period(naive, APRIL_1)
    with pytest.raises(InvalidInput):
        Period(APRIL_1, t(1))


def test_a_log_must_start_with_its_report() -> None:
    log = march_logs()[1][1:]
    with pytest.raises(InvalidInput, match="REPORTED"):
        extract_facts(log, APRIL_1, limits=FixedLimits(), clock=AllHoursClock())


def test_ratios_carry_their_parts() -> None:
    assert asdict(Ratio.of(3, 4)) == {"numerator": 3, "denominator": 4, "value": 0.75}
    assert Ratio.of(0, 0).value is None
