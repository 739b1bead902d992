"""The demo's synthetic case activity: real cases through the real workflow, once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from civicgrid.adapters.indicator_limits import TreeCategoryLimits
from civicgrid.bootstrap import Container
from civicgrid.domain.access import local_operator
from civicgrid.domain.cases.case import Case
from civicgrid.domain.cases.stages import Outcome, Source
from civicgrid.domain.errors import InvalidInput
from civicgrid.domain.indicators import Period
from civicgrid.services.area_import import import_areas
from civicgrid.services.cases.indicators import compute_case_indicators
from civicgrid.services.cases.verification import verify_case_log
from civicgrid.services.demo_cases import LABEL, SimulationReport, simulate_case_activity
from tests.factories import CITY, small_city

END = datetime(2026, 11, 30, 16, 0, tzinfo=UTC)  # midnight in Shanghai
START = END - timedelta(days=42)


def simulate(container: Container, seed: int = 7) -> SimulationReport:
    return simulate_case_activity(
        container.uow(),
        container.rules,
        container.locators,
        container.attachment_store,
        city_code=CITY,
        seed=seed,
        start=START,
        end=END,
        per_day=5,
    )


def stored_cases(container: Container) -> list[Case]:
    with container.uow() as uow:
        return [Case.from_events(events) for events in uow.cases.iter_events()]


def test_the_simulation_leaves_cases_in_every_expected_outcome(container: Container) -> None:
    import_areas(container.uow(), small_city(), english_name=container.english_name)

    report = simulate(container)

    cases = stored_cases(container)
    assert report.simulated
    assert len(cases) == report.cases > 100
    assert report.still_open == sum(1 for case in cases if not case.finished) > 0
    assert all(case.description.startswith(LABEL) for case in cases)
    assert {case.area_code[:6] for case in cases} == {"410102", "410103"}
    assert {case.source for case in cases} == {Source.GRID_WORKER, Source.CITIZEN}
    outcomes = {case.outcome for case in cases}
    assert {Outcome.FIXED, Outcome.CLOSED_NOT_FIXED, None} <= outcomes  # None: still open
    assert any(case.rework_count > 0 and case.outcome is Outcome.FIXED for case in cases)
    assert any(case.escalation_level > 0 for case in cases)  # the tick found late ones
    assert any(case.rating is not None for case in cases)
    assert all(case.rating is None for case in cases if case.source is Source.GRID_WORKER)
    assert verify_case_log(container.uow()).intact


def test_the_indicators_computed_over_it_are_plausible(container: Container) -> None:
    import_areas(container.uow(), small_city(), english_name=container.english_name)
    simulate(container)
    limits = TreeCategoryLimits.of(container.rules)

    figures = compute_case_indicators(
        container.uow(),
        limits,
        limits.calendar,
        local_operator(),
        area_code=CITY,
        period=Period(START, END),
        as_of=END,
    )

    on_time = figures.on_time_close_rate.value
    assert on_time is not None
    assert 0.5 < on_time < 1
    assert figures.rework_rate.value is not None
    assert 0 < figures.rework_rate.value < 0.3
    assert figures.closed_not_fixed > 0
    assert figures.handling_hours_median is not None
    assert figures.handling_hours_median > 0
    assert figures.rating_mean is not None
    assert 1 < figures.rating_mean < 5
    assert figures.satisfied.value is not None
    assert 0 < figures.satisfied.value < 1


def test_running_it_again_adds_nothing(container: Container) -> None:
    import_areas(container.uow(), small_city(), english_name=container.english_name)
    simulate(container)
    before = stored_cases(container)

    again = simulate(container, seed=8)

    assert not again.simulated
    assert again.cases == 0
    assert stored_cases(container) == before


def test_a_period_that_ends_before_it_starts_is_refused_and_nothing_is_made(
    container: Container,
) -> None:
    import_areas(container.uow(), small_city(), english_name=container.english_name)

    with pytest.raises(InvalidInput, match="must end after it starts") as caught:
        simulate_case_activity(
            container.uow(),
            container.rules,
            container.locators,
            container.attachment_store,
            city_code=CITY,
            seed=1,
            start=END,
            end=START,
            per_day=5,
        )

    assert caught.value.field == "end"
    assert stored_cases(container) == []
    assert simulate(container).simulated  # no marker was left behind
