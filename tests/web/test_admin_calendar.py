"""/staff/admin/calendar: holidays and 调休 workdays over the packaged calendar."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient

from civicgrid.adapters.case_rules import TreeCaseRules
from civicgrid.domain.calendar import WorkingCalendar
from tests.integration.citizen_world import CitizenWorld
from tests.web.admin_world import add_admins, post_form
from tests.web.conftest import sign_in

PAGE = "/staff/admin/calendar"
TUESDAY = date(2026, 11, 24)
SATURDAY = date(2026, 11, 28)


def calendar_of(world: CitizenWorld) -> WorkingCalendar:
    """The calendar the container's case rules count by now."""
    rules = world.container.rules
    assert isinstance(rules, TreeCaseRules)
    return rules.calendar


@pytest.fixture
def admin_web(world: CitizenWorld, staff_web: TestClient) -> TestClient:
    add_admins(world)
    sign_in(staff_web, "admin")
    return staff_web


def test_a_local_holiday_and_a_worked_saturday_take_effect_and_can_be_removed(
    admin_web: TestClient, world: CitizenWorld
) -> None:
    assert calendar_of(world).is_working_day(TUESDAY)
    assert not calendar_of(world).is_working_day(SATURDAY)
    for day, kind in ((TUESDAY, "holiday"), (SATURDAY, "workday")):
        answer = post_form(admin_web, PAGE, PAGE, {"day": day.isoformat(), "kind": kind})
        assert answer.status_code == 303
        assert answer.headers["location"] == f"{PAGE}?year=2026"
    assert not calendar_of(world).is_working_day(TUESDAY)
    assert calendar_of(world).is_working_day(SATURDAY)
    listed = admin_web.get(f"{PAGE}?year=2026").text
    assert "2026-11-24" in listed
    assert "2026-11-28" in listed
    assert "2026-11-24" not in admin_web.get(f"{PAGE}?year=2027").text
    removed = post_form(admin_web, PAGE, f"{PAGE}/remove", {"day": TUESDAY.isoformat()})
    assert removed.status_code == 303
    assert calendar_of(world).is_working_day(TUESDAY)


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"day": "24.11.2026", "kind": "holiday"}, "day", "like 2027-01-01"),
        ({"day": "1999-01-01", "kind": "holiday"}, "day", "between 2000 and 2100"),
        ({"day": "2026-11-24", "kind": "siesta"}, "kind", "holiday or working day"),
        ({"day": "2026-11-24", "kind": "holiday", "note": "x" * 201}, "note", "At most 200"),
    ],
)
def test_a_bad_correction_is_refused_next_to_its_field(
    admin_web: TestClient, world: CitizenWorld, data: dict[str, str], field: str, words: str
) -> None:
    answer = post_form(admin_web, f"{PAGE}?lang=en", PAGE, data)
    assert answer.status_code == 422
    assert f'id="{field}-problem"' in answer.text
    assert words in answer.text
    assert calendar_of(world).is_working_day(TUESDAY)


def test_removing_a_day_without_a_correction_is_not_found(admin_web: TestClient) -> None:
    answer = post_form(admin_web, PAGE, f"{PAGE}/remove", {"day": "2026-11-24"})
    assert answer.status_code == 404


def test_a_correction_needs_its_form_token(admin_web: TestClient, world: CitizenWorld) -> None:
    answer = admin_web.post(PAGE, data={"csrf_token": "x", "day": "2026-11-24", "kind": "holiday"})
    assert answer.status_code == 403
    assert calendar_of(world).is_working_day(TUESDAY)


def test_a_district_officer_may_not_change_the_calendar(
    staff_web: TestClient, world: CitizenWorld
) -> None:
    sign_in(staff_web, "officer")
    assert staff_web.get(PAGE).status_code == 403
    answer = post_form(staff_web, "/staff/login", PAGE, {"day": "2026-11-24", "kind": "holiday"})
    assert answer.status_code == 403
    assert calendar_of(world).is_working_day(TUESDAY)
