from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest

from civicgrid.bootstrap import Container
from civicgrid.domain.access import Principal, Role
from civicgrid.domain.cases.actions import CaseAction
from civicgrid.domain.cases.events import EventType, verify_chain
from civicgrid.domain.cases.stages import Outcome, Source, Stage, Urgency
from civicgrid.domain.errors import Forbidden, InvalidInput, NotFound
from civicgrid.services.area_import import import_areas
from civicgrid.services.case_ports import CaseFilter
from civicgrid.services.cases.acting import act_on_case
from civicgrid.services.cases.intake import ReportRequest, report_case
from civicgrid.services.cases.ticking import tick_cases
from tests.factories import centre_of, small_city
from tests.fixtures import CASE_WORKERS, MICRO, MONDAY_9AM, add_people, principals

OTHER_MICRO = "41010300100100101"
GARBAGE = "event:0101"  # 暴露垃圾, 2 working hours, city management


@dataclass
class World:
    container: Container
    people: dict[str, Principal]
    lat: float
    lon: float

    def act(self, who: str, case_id: int, action: CaseAction, at: datetime, **args: object):  # type: ignore[no-untyped-def]
        return act_on_case(
            self.container.uow(),
            self.container.rules,
            self.people[who],
            case_id,
            action,
            now=at,
            args=dict(args),
        )

    def report(self, who: str = "inspector", *, at: datetime = MONDAY_9AM, **kw: object):  # type: ignore[no-untyped-def]
        request = ReportRequest(
            category=str(kw.pop("category", GARBAGE)),
            description=str(kw.pop("description", "垃圾堆在路边")),
            source=kw.pop("source", Source.GRID_WORKER),  # type: ignore[arg-type]
            lat=kw.pop("lat", self.lat),  # type: ignore[arg-type]
            lon=kw.pop("lon", self.lon),  # type: ignore[arg-type]
            **kw,  # type: ignore[arg-type]
        )
        return report_case(
            self.container.uow(),
            self.container.locators,
            self.container.rules,
            self.people[who],
            request,
            now=at,
            snap_tolerance_m=50,
        )


GRANTS = CASE_WORKERS | {
    "far_inspector": (Role.GRID_WORKER, OTHER_MICRO, ""),
    "water_handler": (Role.DEPARTMENT_HANDLER, "410102", "water_affairs"),
    "officer": (Role.DISTRICT_OFFICER, "410102", ""),
}


@pytest.fixture
def world(container: Container) -> World:
    areas = small_city()
    import_areas(container.uow(), areas, english_name=container.english_name)
    people = principals(container, add_people(container, GRANTS))
    lat, lon = centre_of(next(a for a in areas if a.code == MICRO))
    return World(container, people, lat, lon)


def run_to_close(world: World) -> int:
    case = world.report().case
    t = MONDAY_9AM
    world.act("acceptor", case.id, CaseAction.ACCEPT, t + timedelta(minutes=5))
    world.act("leader", case.id, CaseAction.FILE, t + timedelta(minutes=10))
    world.act(
        "dispatcher",
        case.id,
        CaseAction.DISPATCH,
        t + timedelta(minutes=15),
        department="city_management",
    )
    world.act("handler", case.id, CaseAction.HANDLE, t + timedelta(minutes=60), result="已清运")
    world.act("dispatcher", case.id, CaseAction.FORWARD_FEEDBACK, t + timedelta(minutes=65))
    world.act("inspector", case.id, CaseAction.VERIFY, t + timedelta(minutes=80), passed=True)
    world.act("leader", case.id, CaseAction.CLOSE, t + timedelta(minutes=90), outcome=Outcome.FIXED)
    return case.id


def test_a_grid_workers_report_is_routed_to_its_micro_grid(world: World) -> None:
    reported = world.report()
    assert reported.created
    assert reported.case.area_code == MICRO
    assert reported.case.stage is Stage.COLLECT


def test_a_case_runs_all_seven_stages_and_its_log_stays_intact(world: World) -> None:
    case_id = run_to_close(world)
    with world.container.uow() as uow:
        events = uow.cases.events(case_id)
        case = uow.cases.get(case_id)
    assert case is not None
    assert case.stage is Stage.EVALUATE
    assert case.outcome is Outcome.FIXED
    assert [e.type for e in events] == [
        EventType.REPORTED,
        EventType.ACCEPTED,
        EventType.FILED,
        EventType.DISPATCHED,
        EventType.HANDLED,
        EventType.FEEDBACK_FORWARDED,
        EventType.VERIFIED,
        EventType.CLOSED,
    ]
    assert [e.to_stage for e in events[:6]] == list(Stage)[:6]
    assert verify_chain(events) == []


def test_only_the_position_of_a_stage_may_act_there(world: World) -> None:
    case = world.report().case
    with pytest.raises(Forbidden, match="accept"):
        world.act("dispatcher", case.id, CaseAction.ACCEPT, MONDAY_9AM)
    with pytest.raises(Forbidden):
        world.act("officer", case.id, CaseAction.ACCEPT, MONDAY_9AM)


def test_a_handler_of_another_department_cannot_handle(world: World) -> None:
    case = world.report().case
    t = MONDAY_9AM
    world.act("acceptor", case.id, CaseAction.ACCEPT, t)
    world.act("leader", case.id, CaseAction.FILE, t)
    world.act("dispatcher", case.id, CaseAction.DISPATCH, t, department="city_management")
    with pytest.raises(Forbidden):
        world.act("water_handler", case.id, CaseAction.HANDLE, t, result="x")


def test_nobody_acts_on_a_case_outside_their_subtree(world: World) -> None:
    case = world.report().case
    with pytest.raises(Forbidden, match="outside their jurisdiction"):
        world.act("far_inspector", case.id, CaseAction.NOTE, MONDAY_9AM, text="看看")


def test_a_point_outside_the_city_is_refused_with_the_field(world: World) -> None:
    with pytest.raises(InvalidInput, match="outside the jurisdiction") as caught:
        world.report(lat=20.0, lon=100.0)
    assert caught.value.field == "lat"


def test_an_unknown_category_is_refused_by_name(world: World) -> None:
    with pytest.raises(NotFound, match="event:9999"):
        world.report(category="event:9999")


def test_retrying_with_the_same_idempotency_key_returns_the_first_case(world: World) -> None:
    first = world.report(idempotency_key="abc-1")
    again = world.report(idempotency_key="abc-1")
    assert again.case.id == first.case.id
    assert not again.created
    with world.container.uow() as uow:
        page = uow.cases.listing(["/"], CaseFilter(), offset=0, limit=10)
    assert page.count == 1


def test_an_urgent_case_reaches_every_level_at_once(world: World) -> None:
    case = world.report(urgency=Urgency.URGENT).case
    with world.container.uow() as uow:
        page = uow.notifications.inbox(0, _paths(case.area_path), offset=0, limit=20)
    assert page.count == 6  # city, district, street, community, grid, micro-grid
    assert {n.case_id for n in page.items} == {case.id}


def test_a_normal_case_notifies_its_own_micro_grid_only(world: World) -> None:
    case = world.report().case
    with world.container.uow() as uow:
        page = uow.notifications.inbox(0, _paths(case.area_path), offset=0, limit=20)
    assert [n.area_path for n in page.items] == [case.area_path]


def test_an_overdue_stage_escalates_once_however_often_the_tick_runs(world: World) -> None:
    case = world.report().case  # 受理 limit: 30 minutes
    later = MONDAY_9AM + timedelta(minutes=45)
    first = tick_cases(world.container.uow(), world.container.rules, now=later, holder="a")
    again = tick_cases(world.container.uow(), world.container.rules, now=later, holder="a")
    assert first.escalated == 1
    assert again.escalated == 0
    with world.container.uow() as uow:
        stored = uow.cases.get(case.id)
    assert stored is not None
    assert stored.escalation_level == 1


def test_a_second_scheduler_waits_while_the_first_holds_the_lease(world: World) -> None:
    world.report()
    later = MONDAY_9AM + timedelta(minutes=45)
    assert tick_cases(world.container.uow(), world.container.rules, now=later, holder="a").ran
    other = tick_cases(world.container.uow(), world.container.rules, now=later, holder="b")
    assert not other.ran


def _paths(path: str) -> list[str]:
    codes = [c for c in path.split("/") if c]
    return ["/" + "/".join(codes[: i + 1]) + "/" for i in range(len(codes))]
