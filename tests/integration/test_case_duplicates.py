"""Suspected duplicates flagged at intake, and merging them, on both engines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest

from civicgrid.bootstrap import Container
from civicgrid.domain.access import Principal, Role
from civicgrid.domain.areas.location import metres_to_degrees
from civicgrid.domain.cases.actions import CaseAction
from civicgrid.domain.cases.case import Case
from civicgrid.domain.cases.events import EventType
from civicgrid.domain.cases.stages import Outcome, Source, Stage
from civicgrid.domain.errors import Conflict
from civicgrid.services.area_import import import_areas
from civicgrid.services.case_ports import Notification
from civicgrid.services.cases.acting import act_on_case
from civicgrid.services.cases.intake import ReportRequest, report_case
from civicgrid.services.cases.queries import get_case
from tests.factories import small_city
from tests.fixtures import MONDAY_9AM as T
from tests.fixtures import add_people, principals

WEST, EAST = "41010200100100101", "41010200100100102"  # side by side, split at 113.125°E
BORDER = (113.125, 34.125)
GARBAGE, OVERFLOW = "event:0101", "event:0102"  # both 30 m / 24 h
GRANTS = {
    "west_inspector": (Role.GRID_WORKER, WEST),
    "east_inspector": (Role.GRID_WORKER, EAST),
    "leader": (Role.SHIFT_LEADER, "410102"),
}


@dataclass
class City:
    container: Container
    people: dict[str, Principal]

    def report(
        self,
        metres_east: float,
        *,
        at: datetime = T,
        category: str = GARBAGE,
        who: str | None = None,
    ) -> Case:
        d_lon, _ = metres_to_degrees(metres_east, BORDER[1])
        lon = BORDER[0] + d_lon
        who = who or ("east_inspector" if lon > BORDER[0] else "west_inspector")
        request = ReportRequest(
            category=category,
            description="垃圾堆在路边",
            source=Source.GRID_WORKER,
            lat=BORDER[1],
            lon=lon,
        )
        c = self.container
        reported = report_case(
            c.uow(), c.locators, c.rules, self.people[who], request, now=at, snap_tolerance_m=50
        )
        return reported.case

    def act(self, case_id: int, action: CaseAction, at: datetime, **args: object) -> Case:
        c = self.container
        principal = self.people["leader"]
        return act_on_case(c.uow(), c.rules, principal, case_id, action, now=at, args=args)

    def suspects(self, case_id: int) -> list[int]:
        c = self.container
        view = get_case(c.uow(), c.rules, self.people["leader"], case_id, now=T + timedelta(days=2))
        return view.suspected_duplicates

    def inbox(self, area_path: str) -> list[Notification]:
        with self.container.uow() as uow:
            return uow.notifications.inbox(0, [area_path], offset=0, limit=50).items


@pytest.fixture
def city(container: Container) -> City:
    import_areas(container.uow(), small_city(), english_name=container.english_name)
    return City(container, principals(container, add_people(container, GRANTS, now=T)))


def test_a_report_ten_metres_from_an_open_one_is_flagged_with_its_id(city: City) -> None:
    first = city.report(-5)
    second = city.report(5, at=T + timedelta(minutes=10))
    assert second.area_code == EAST != first.area_code
    assert city.suspects(second.id) == [first.id]
    assert city.suspects(first.id) == []
    with city.container.uow() as uow:
        note = uow.cases.events(second.id)[-1]
    assert note.type is EventType.NOTED
    assert note.actor == "system"
    assert note.data["suspected_duplicates"] == [first.id]


def test_the_nearest_earlier_report_is_named_first(city: City) -> None:
    far = city.report(-20)
    near = city.report(0, at=T + timedelta(minutes=1))
    latest = city.report(3, at=T + timedelta(minutes=2))
    assert city.suspects(latest.id) == [near.id, far.id]


@pytest.mark.parametrize(
    ("metres_east", "after", "category"),
    [
        (500, timedelta(minutes=10), GARBAGE),  # too far
        (5, timedelta(minutes=10), OVERFLOW),  # another category
        (5, timedelta(hours=24, minutes=1), GARBAGE),  # outside the 24 h window
    ],
    ids=["500-m-apart", "other-category", "outside-the-window"],
)
def test_a_report_far_away_of_another_category_or_later_is_not_flagged(
    city: City, metres_east: float, after: timedelta, category: str
) -> None:
    city.report(-5)
    later = city.report(metres_east, at=T + after, category=category)
    assert city.suspects(later.id) == []
    assert later.last_seq == 1


def test_a_void_case_is_not_suggested_as_an_original(city: City) -> None:
    first = city.report(-5)
    city.act(first.id, CaseAction.VOID, T + timedelta(minutes=1), reason="测试")
    assert city.suspects(city.report(5, at=T + timedelta(minutes=2)).id) == []


def test_merging_closes_the_duplicate_and_tells_both_areas_and_the_reporter(city: City) -> None:
    first = city.report(-5)
    second = city.report(5, at=T + timedelta(minutes=10))
    merged = city.act(
        second.id, CaseAction.MERGE_INTO, T + timedelta(minutes=20), other_case_id=first.id
    )
    assert merged.outcome is Outcome.DUPLICATE
    assert merged.merged_into == first.id
    assert merged.stage is Stage.EVALUATE
    for case in (first, second):
        told = [n for n in city.inbox(case.area_path) if n.kind == "case_merged"]
        assert [n.case_id for n in told] == [first.id]
        assert f"merged into case {first.id}" in told[0].message
        assert "信息收集 (collect)" in told[0].message
    reporter = [n for n in city.inbox(second.area_path) if n.kind == "case_merged_reporter"]
    assert [n.case_id for n in reporter] == [second.id]
    assert f"followed up as case {first.id}, now at 信息收集 (collect)" in reporter[0].message


def test_a_case_is_not_merged_into_a_void_one(city: City) -> None:
    first = city.report(-5)
    second = city.report(5, at=T + timedelta(minutes=1))
    city.act(first.id, CaseAction.VOID, T + timedelta(minutes=2), reason="测试")
    with pytest.raises(Conflict, match=f"case {first.id} is void"):
        city.act(second.id, CaseAction.MERGE_INTO, T + timedelta(minutes=3), other_case_id=first.id)
    assert city.inbox(second.area_path)[0].kind == "case_reported"  # nothing was sent


def test_a_case_is_not_merged_into_one_of_another_category(city: City) -> None:
    first = city.report(-5, category=OVERFLOW)
    second = city.report(5, at=T + timedelta(minutes=1))
    with pytest.raises(Conflict, match="only cases of the same category merge"):
        city.act(second.id, CaseAction.MERGE_INTO, T + timedelta(minutes=2), other_case_id=first.id)


def test_reporters_of_cases_merged_earlier_are_told_when_their_survivor_is_merged(
    city: City,
) -> None:
    first, second, third, fourth = (
        city.report(metres, at=T + timedelta(minutes=minutes))
        for metres, minutes in ((-5, 0), (5, 1), (-8, 2), (8, 3))
    )
    city.act(first.id, CaseAction.MERGE_INTO, T + timedelta(minutes=10), other_case_id=second.id)
    city.act(second.id, CaseAction.MERGE_INTO, T + timedelta(minutes=20), other_case_id=third.id)
    city.act(third.id, CaseAction.MERGE_INTO, T + timedelta(minutes=30), other_case_id=fourth.id)

    def told(case: Case) -> list[str]:
        inbox = city.inbox(case.area_path)
        mine = [n for n in inbox if n.kind == "case_merged_reporter" and n.case_id == case.id]
        return [n.message.split(": ", 1)[1].split(",")[0] for n in reversed(mine)]

    # first → second → third → fourth: each reporter hears of every case theirs ends in.
    def followed(*cases: Case) -> list[str]:
        return [f"your report is followed up as case {case.id}" for case in cases]

    assert told(first) == followed(second, third, fourth)
    assert told(second) == followed(third, fourth)
    assert told(third) == followed(fourth)
    assert told(fourth) == []
    with city.container.uow() as uow:
        assert uow.cases.cases_merged_into(fourth.id) == [third.id]
        assert uow.cases.cases_merged_into(third.id) == [second.id]
        assert uow.cases.cases_merged_into(first.id) == []
