"""The all-units grid of case indicators agrees with `compute_indicators`, unit by unit."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from civicgrid.domain.indicators import (
    CaseFacts,
    CaseSelection,
    FactTable,
    Indicators,
    Period,
    compute_indicators,
    extract_facts,
)
from civicgrid.domain.sanbiao.case_grid import CODES, compute_case_grid
from tests.unit.indicator_logs import EAST, WEST, AllHoursClock, FixedLimits, march_logs, t
from tests.unit.test_indicators_properties import BASE, fact_sets, instants

UNITS = ("/410100/", EAST, WEST, "/410100/410102/410102001/", "/410200/", "/499999/")


def expected(figures: Indicators, code: str) -> float | None:
    ratio = {
        "cases.on_time_close_rate": figures.on_time_close_rate,
        "cases.rework_rate": figures.rework_rate,
        "cases.satisfaction": figures.satisfied,
    }
    if code in ratio:
        value = ratio[code].value
        return None if value is None else 100 * value
    plain = {
        "cases.filed": figures.filed,
        "cases.due_to_close": figures.due_to_close,
        "cases.handled": figures.handled,
        "cases.ratings": figures.ratings,
        "cases.handling_hours_median": figures.handling_hours_median,
    }
    found = plain[code]
    return None if found is None else float(found)


def assert_grid_matches(facts: list[CaseFacts], as_of: datetime, periods: list[Period]) -> None:
    table = FactTable.from_facts(facts, as_of)
    grid = compute_case_grid(table, UNITS, periods)
    for unit in UNITS:
        for index, period in enumerate(periods):
            figures = compute_indicators(table, period, selection=CaseSelection(area_path=unit))
            for code in CODES:
                got, want = grid.value(code, unit, index), expected(figures, code)
                if want is None:
                    assert got is None, (code, unit, index)
                else:
                    assert got is not None, (code, unit, index)
                    assert math.isclose(got, want, rel_tol=1e-12), (code, unit, index, got, want)


@given(fact_sets, instants(), st.integers(-20, 20), st.integers(1, 4), st.integers(1, 48))
@settings(max_examples=150, deadline=None)
def test_the_grid_equals_one_evaluation_per_unit_and_period(
    facts: list[CaseFacts], as_of: datetime, offset: int, count: int, hours: int
) -> None:
    start = BASE + timedelta(hours=6 * offset)
    periods = [
        Period(start + timedelta(hours=hours * i), start + timedelta(hours=hours * (i + 1)))
        for i in range(count)
    ]
    assert_grid_matches(facts, as_of, periods)


def test_on_the_hand_built_march_logs_the_grid_equals_the_evaluation() -> None:
    facts = [
        found
        for log in march_logs().values()
        if (found := extract_facts(log, t(5, month=4), limits=FixedLimits(), clock=AllHoursClock()))
    ]
    months = [Period(t(1, month=m), t(1, month=m + 1)) for m in (2, 3)]
    assert_grid_matches(facts, t(5, month=4), months)
    grid = compute_case_grid(FactTable.from_facts(facts, t(5, month=4)), UNITS, months)
    # The two districts' counts add up to the city's.
    city = grid.value("cases.filed", "/410100/", 1)
    east, west = grid.value("cases.filed", EAST, 1), grid.value("cases.filed", WEST, 1)
    assert city is not None
    assert city > 0
    assert city == (east or 0) + (west or 0)
