"""Suspected duplicates, pure: radius and window edges, order, category, merge targets."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from civicgrid.domain.areas.location import metres_to_degrees
from civicgrid.domain.cases import intake
from civicgrid.domain.cases.case import Case
from civicgrid.domain.cases.duplicates import (
    Candidate,
    DuplicateRule,
    check_merge_target,
    distance_m,
    flag_suspects,
    search_box,
    suspected_duplicates,
    suspected_in,
)
from civicgrid.domain.cases.events import EventType
from civicgrid.domain.cases.roles import Position
from civicgrid.domain.cases.stages import Outcome, Source
from civicgrid.domain.cases.state import Status
from civicgrid.domain.errors import Conflict

T = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
HERE = (113.65, 34.76)
GARBAGE = "event:0101"
RULE = DuplicateRule(radius_m=30, window=timedelta(hours=24))


def east(metres: float, of: tuple[float, float] = HERE) -> tuple[float, float]:
    d_lon, _ = metres_to_degrees(metres, of[1])
    return of[0] + d_lon, of[1]


def north(metres: float, of: tuple[float, float] = HERE) -> tuple[float, float]:
    _, d_lat = metres_to_degrees(metres, of[1])
    return of[0], of[1] + d_lat


def candidate(
    case_id: int,
    point: tuple[float, float],
    at: datetime = T - timedelta(hours=1),
    category: str = GARBAGE,
) -> Candidate:
    return Candidate(id=case_id, category=category, point=point, reported_at=at)


def suspects(*candidates: Candidate, rule: DuplicateRule = RULE) -> list[int]:
    return suspected_duplicates(GARBAGE, HERE, T, rule, candidates)


def a_case(case_id: int = 2, category: str = GARBAGE) -> Case:
    event = intake.report(
        case_id,
        "insp-li",
        Position.INSPECTOR,
        T,
        category=category,
        source=Source.GRID_WORKER,
        area_code="41010200100100101",
        area_path="/410100/410102/410102001/410102001001/410102001001001/41010200100100101/",
        description="垃圾堆在路边",
        location=HERE,
    )
    return Case.from_events([event])


def test_a_case_ten_metres_away_of_the_same_category_is_suspected() -> None:
    assert suspects(candidate(1, east(10))) == [1]


def test_the_radius_is_inclusive_up_to_its_edge_and_not_beyond() -> None:
    assert suspects(candidate(1, east(29.99)), candidate(2, north(29.99))) == [1, 2]
    assert suspects(candidate(3, east(30.01)), candidate(4, north(30.01))) == []


def test_the_window_reaches_back_exactly_its_length_and_not_past_the_report() -> None:
    oldest = candidate(1, east(5), at=T - timedelta(hours=24))
    too_old = candidate(2, east(5), at=T - timedelta(hours=24, seconds=1))
    later = candidate(3, east(5), at=T + timedelta(seconds=1))
    same_moment = candidate(4, east(6), at=T)
    assert suspects(oldest, too_old, later, same_moment) == [1, 4]


def test_suspects_come_nearest_first_then_the_earlier_report() -> None:
    far = candidate(1, east(25))
    near = candidate(2, north(3))
    tie_later = candidate(3, east(10), at=T - timedelta(minutes=5))
    tie_earlier = candidate(4, east(10), at=T - timedelta(hours=3))
    assert suspects(far, near, tie_later, tie_earlier) == [2, 4, 3, 1]


def test_a_case_of_another_category_is_never_suspected() -> None:
    assert suspects(candidate(1, east(1), category="event:0102")) == []


@pytest.mark.parametrize(
    "rule",
    [
        DuplicateRule(radius_m=0, window=timedelta(hours=24)),
        DuplicateRule(radius_m=30, window=timedelta(0)),
    ],
)
def test_a_zero_radius_or_window_turns_suggestions_off(rule: DuplicateRule) -> None:
    assert suspects(candidate(1, HERE, at=T), rule=rule) == []


def test_distance_is_metres_on_the_ground_in_both_directions() -> None:
    assert distance_m(HERE, east(100)) == pytest.approx(100, rel=1e-9)
    assert distance_m(HERE, north(100)) == pytest.approx(100, rel=1e-9)
    assert distance_m(HERE, north(30, of=east(40))) == pytest.approx(50, rel=1e-9)


def test_the_search_box_holds_every_point_on_the_radius() -> None:
    min_lon, min_lat, max_lon, max_lat = search_box(HERE, 30)
    for step in range(16):
        angle = step * math.pi / 8
        lon, lat = north(30 * math.sin(angle), of=east(30 * math.cos(angle)))
        assert min_lon <= lon <= max_lon
        assert min_lat <= lat <= max_lat


def test_the_systems_note_names_the_suspects_and_the_view_reads_them_back() -> None:
    case = a_case()
    event = flag_suspects(case, T, [7, 3])
    assert event.type is EventType.NOTED
    assert event.position is Position.SYSTEM
    assert event.data["suspected_duplicates"] == [7, 3]
    again = flag_suspects(case.apply(event), T, [3, 9])
    assert suspected_in([event, again]) == [7, 3, 9]


@pytest.mark.parametrize(
    ("status", "outcome", "message"),
    [
        (Status.CLOSED, Outcome.FIXED, "case 1 is closed"),
        (Status.VOID, Outcome.VOID, "case 1 is void"),
        (Status.CLOSED, Outcome.DUPLICATE, "case 1 was itself merged into case 9"),
    ],
)
def test_a_case_merges_only_into_an_open_one(
    status: Status, outcome: Outcome, message: str
) -> None:
    target = replace(a_case(1), status=status, outcome=outcome, merged_into=9)
    with pytest.raises(Conflict, match=message):
        check_merge_target(a_case(2), target)


def test_a_case_merges_only_into_one_of_its_category() -> None:
    with pytest.raises(Conflict, match="only cases of the same category merge"):
        check_merge_target(a_case(2), a_case(1, category="event:0102"))
    check_merge_target(a_case(2), replace(a_case(1), status=Status.ON_HOLD))
