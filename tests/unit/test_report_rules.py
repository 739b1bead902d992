"""Report rules without I/O: periods, due times and aggregates."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civicgrid.domain.areas import Level
from civicgrid.domain.errors import InvalidInput
from civicgrid.domain.forms import parse_form
from civicgrid.domain.reports import ReportTemplate, Schedule, TemplateDraft
from civicgrid.domain.reports.aggregate import aggregate
from civicgrid.domain.reports.periods import check_period, current_period, due_at

ZONE = "Asia/Shanghai"
FORM = parse_form(
    [
        {
            "key": "n",
            "type": "number",
            "label_zh": "数",
            "aggregates": ["sum", "mean", "min", "max"],
        },
        {"key": "quiet", "type": "number", "label_zh": "不汇总"},
        {"key": "t", "type": "text", "label_zh": "文", "required": False},
    ]
)


def _template(schedule: Schedule) -> ReportTemplate:
    draft = TemplateDraft("x", "x", "", Level.COMMUNITY, schedule, time(18, 0), FORM)
    return ReportTemplate(1, draft, "/410100/", "me", datetime(2026, 1, 1, tzinfo=UTC))


def test_the_period_is_the_local_day_or_iso_week() -> None:
    late_evening_utc = datetime(2026, 7, 19, 17, 0, tzinfo=UTC)  # 01:00 on the 20th in Zhengzhou
    assert current_period(Schedule.DAILY, late_evening_utc, ZONE) == "2026-07-20"
    assert current_period(Schedule.WEEKLY, late_evening_utc, ZONE) == "2026-W30"
    assert current_period(Schedule.AD_HOC, late_evening_utc, ZONE) is None


def test_due_times_are_local() -> None:
    daily = due_at(_template(Schedule.DAILY), "2026-07-20", ZONE)
    assert daily == datetime(2026, 7, 20, 10, 0, tzinfo=UTC)
    weekly = due_at(_template(Schedule.WEEKLY), "2026-W30", ZONE)  # Sunday 26 July, 18:00
    assert weekly == datetime(2026, 7, 26, 10, 0, tzinfo=UTC)
    assert due_at(_template(Schedule.AD_HOC), "storm-1", ZONE) is None


@pytest.mark.parametrize(
    ("schedule", "period"),
    [
        (Schedule.DAILY, "2026-02-30"),
        (Schedule.DAILY, "2026-W30"),
        (Schedule.WEEKLY, "2026-W54"),
        (Schedule.AD_HOC, "bad label!"),
    ],
)
def test_malformed_periods_are_refused(schedule: Schedule, period: str) -> None:
    with pytest.raises(InvalidInput):
        check_period(schedule, period)


@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=50))
def test_aggregates_match_their_definitions(values: list[float]) -> None:
    answers = [{"n": v, "quiet": 1.0} for v in values] + [{"t": "no number"}]
    found = aggregate(FORM, answers)
    assert set(found) == {"n"}  # only fields that say how they aggregate
    assert found["n"]["sum"] == pytest.approx(sum(values))
    assert found["n"]["mean"] == pytest.approx(sum(values) / len(values))
    assert (found["n"]["min"], found["n"]["max"]) == (min(values), max(values))
