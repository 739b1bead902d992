"""/staff/admin/templates: report templates created through the form."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from civicgrid.services.reports.templates import find_template
from tests.integration.citizen_world import CitizenWorld
from tests.web.admin_world import OTHER_DISTRICT, add_admins, post_form
from tests.web.conftest import sign_in

PAGE = "/staff/admin/templates"
FORM = {
    "code": "litter-daily",
    "name_zh": "垃圾日报",
    "name_en": "Litter daily",
    "area_code": "410102",
    "level": "community",
    "schedule": "daily",
    "due_time": "17:30",
    "fields": "- {key: bags, type: number, label_zh: 袋数, aggregates: [sum]}\n",
}


@pytest.fixture
def admin_web(world: CitizenWorld, staff_web: TestClient) -> TestClient:
    add_admins(world)
    sign_in(staff_web, "admin")
    return staff_web


def test_a_template_created_through_the_form_is_stored_and_listed(
    admin_web: TestClient, world: CitizenWorld
) -> None:
    answer = post_form(admin_web, PAGE, PAGE, FORM)
    assert answer.status_code == 303
    officer = world.staff["officer"]
    stored = find_template(world.container.uow(), officer, "litter-daily")
    assert stored.draft.due_time.isoformat() == "17:30:00"
    assert [f.key for f in stored.draft.fields] == ["bags"]
    assert answer.headers["location"] == f"{PAGE}/{stored.id}"
    assert "袋数" in admin_web.get(answer.headers["location"]).text
    assert "litter-daily" in admin_web.get(PAGE).text


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"code": "Litter Daily"}, "code", "lower-case letters"),
        ({"name_zh": ""}, "name_zh", "Chinese name is required"),
        ({"due_time": "late"}, "due_time", "like 18:00"),
        ({"level": "planet"}, "level", "level from the list"),
        ({"fields": "- key: [unclosed"}, "fields", "not valid YAML"),
        ({"fields": "- {key: Bags, type: number, label_zh: 袋数}"}, "fields", "not right"),
        ({"area_code": "999999"}, "area_code", "No area"),
        ({"area_code": "41010200100100101", "level": "community"}, "level", "No unit"),
    ],
)
def test_a_bad_template_is_refused_next_to_its_field(
    admin_web: TestClient, change: dict[str, str], field: str, words: str
) -> None:
    answer = post_form(admin_web, f"{PAGE}?lang=en", PAGE, FORM | change)
    assert answer.status_code == 422
    assert f'id="{field}-problem"' in answer.text
    assert words in answer.text


def test_a_second_template_with_the_same_code_is_refused(admin_web: TestClient) -> None:
    post_form(admin_web, PAGE, PAGE, FORM)
    answer = post_form(admin_web, f"{PAGE}?lang=en", PAGE, FORM)
    assert answer.status_code == 422
    assert "exists already" in answer.text


def test_an_admin_cannot_create_a_template_in_another_city(admin_web: TestClient) -> None:
    answer = post_form(admin_web, PAGE, PAGE, FORM | {"area_code": OTHER_DISTRICT})
    assert answer.status_code == 403


def test_a_template_needs_its_form_token(admin_web: TestClient) -> None:
    answer = admin_web.post(PAGE, data={"csrf_token": "x", **FORM})
    assert answer.status_code == 403
    assert "litter-daily" not in admin_web.get(PAGE).text


def test_a_district_officer_may_not_use_the_admin_template_pages(
    staff_web: TestClient, world: CitizenWorld
) -> None:
    sign_in(staff_web, "officer")
    assert staff_web.get(PAGE).status_code == 403
    assert post_form(staff_web, "/staff/login", PAGE, FORM).status_code == 403
