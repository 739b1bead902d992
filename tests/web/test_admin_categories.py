"""/staff/admin/categories: a minor class's rules edited through the form."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from civicgrid.adapters.case_rules import TreeCaseRules
from civicgrid.bootstrap import bootstrap
from civicgrid.domain.calendar import LimitUnit, TimeLimit
from civicgrid.domain.cases.actions import CaseAction
from civicgrid.services.case_ports import CaseFilter
from tests.integration.citizen_world import GARBAGE, MONDAY_9AM, CitizenWorld
from tests.web.admin_world import add_admins, post_form
from tests.web.conftest import sign_in

PAGE = f"/staff/admin/categories/{GARBAGE}"
FORM = {
    "limit_value": "3",
    "limit_unit": "working_days",
    "filing_zh": "垃圾暴露",
    "filing_en": "Exposed rubbish",
    "closing_zh": "已清运",
    "closing_en": "Removed",
    "department": "city_management",
    "duplicate_radius_m": "30",
    "duplicate_window_h": "24",
}


@pytest.fixture
def admin_web(world: CitizenWorld, staff_web: TestClient) -> TestClient:
    add_admins(world)
    sign_in(staff_web, "admin")
    return staff_web


def dispatched_deadline(world: CitizenWorld, at: datetime) -> tuple[datetime, datetime | None]:
    """A new garbage case taken to handling; (when it was dispatched, its deadline)."""
    case_id = world.submit(at=at).case_id
    world.act("acceptor", case_id, CaseAction.ACCEPT, at + timedelta(minutes=5))
    world.act("inspector", case_id, CaseAction.CHECK, at + timedelta(minutes=8), passed=True)
    world.act("leader", case_id, CaseAction.FILE, at + timedelta(minutes=10))
    dispatched = at + timedelta(minutes=15)
    world.act("dispatcher", case_id, CaseAction.DISPATCH, dispatched, department="city_management")
    with world.container.uow() as uow:
        listed = uow.cases.listing(["/"], CaseFilter(), offset=0, limit=100).items
    return dispatched, next(c for c in listed if c.id == case_id).deadline_at


def test_the_tree_lists_the_classes_with_their_limits(admin_web: TestClient) -> None:
    page = admin_web.get("/staff/admin/categories?lang=en")
    assert page.status_code == 200
    assert f'href="{PAGE}"' in page.text
    assert "2 working hours" in page.text


def test_a_changed_time_limit_gives_a_new_case_its_deadline(
    admin_web: TestClient, world: CitizenWorld
) -> None:
    _, before = dispatched_deadline(world, MONDAY_9AM)
    answer = post_form(admin_web, PAGE, PAGE, FORM)
    assert answer.status_code == 303
    dispatched, after = dispatched_deadline(world, MONDAY_9AM + timedelta(hours=1))
    rules = world.container.rules
    assert isinstance(rules, TreeCaseRules)
    calendar = rules.calendar
    assert after == calendar.deadline(dispatched, TimeLimit(3, LimitUnit.WORKING_DAYS))
    assert before is not None
    assert after is not None
    assert after - before > timedelta(days=1)
    shown = admin_web.get(PAGE).text
    assert 'value="3"' in shown
    assert "已清运" in shown


def test_an_edit_survives_a_new_process(admin_web: TestClient, world: CitizenWorld) -> None:
    post_form(admin_web, PAGE, PAGE, FORM)
    fresh = bootstrap(world.container.settings)
    try:
        minor = fresh.rules.tree.minor(GARBAGE)
        assert minor.limit == TimeLimit(3, LimitUnit.WORKING_DAYS)
        assert minor.closing_condition.zh == "已清运"
    finally:
        fresh.dispose()


def test_resetting_brings_the_files_values_back(admin_web: TestClient, world: CitizenWorld) -> None:
    post_form(admin_web, PAGE, PAGE, FORM)
    answer = post_form(admin_web, PAGE, f"{PAGE}/reset", {})
    assert answer.status_code == 303
    assert world.container.rules.tree.minor(GARBAGE).limit == TimeLimit(2, LimitUnit.WORKING_HOURS)


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"limit_value": "0"}, "limit_value", "from 1 to 99999"),
        ({"limit_value": "2.5"}, "limit_value", "whole number"),
        ({"limit_unit": "fortnights"}, "limit_unit", "unit from the list"),
        ({"closing_zh": ""}, "closing_zh", "required in Chinese"),
        ({"department": "ministry_of_magic"}, "department", "department from the list"),
        ({"duplicate_radius_m": "-5"}, "duplicate_radius_m", "from 0 to 10000"),
        ({"duplicate_window_h": "99999"}, "duplicate_window_h", "from 0 to 8784"),
    ],
)
def test_an_invalid_value_is_refused_next_to_its_field(
    admin_web: TestClient, world: CitizenWorld, change: dict[str, str], field: str, words: str
) -> None:
    answer = post_form(admin_web, f"{PAGE}?lang=en", PAGE, FORM | change)
    assert answer.status_code == 422
    assert f'id="{field}-problem"' in answer.text
    assert words in answer.text
    assert world.container.rules.tree.minor(GARBAGE).limit.value == 2  # nothing stored


def test_an_unknown_class_is_not_found(admin_web: TestClient) -> None:
    assert admin_web.get("/staff/admin/categories/event:9999").status_code == 404


def test_an_edit_needs_its_form_token(admin_web: TestClient, world: CitizenWorld) -> None:
    answer = admin_web.post(PAGE, data={"csrf_token": "x", **FORM}, follow_redirects=False)
    assert answer.status_code == 403
    assert world.container.rules.tree.minor(GARBAGE).limit.value == 2


@pytest.mark.parametrize("path", ["/staff/admin/categories", PAGE])
def test_a_district_officer_may_not_edit_categories(
    staff_web: TestClient, world: CitizenWorld, path: str
) -> None:
    sign_in(staff_web, "officer")
    assert staff_web.get(path).status_code == 403
    answer = post_form(staff_web, "/staff/login", PAGE, FORM)
    assert answer.status_code == 403
    assert world.container.rules.tree.minor(GARBAGE).limit.value == 2
