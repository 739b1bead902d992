"""/staff/admin/users: adding users, granting and revoking roles, deactivating."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from civicgrid.services.users import authenticate_password
from tests.integration.citizen_world import CitizenWorld, PlainHasher
from tests.web.admin_world import OTHER_DISTRICT, add_admins, post_form
from tests.web.conftest import sign_in

USERS = "/staff/admin/users"
NEW = {
    "username": "newcomer",
    "display_name": "新同事",
    "password": "a long password",
    "password_again": "a long password",
}


@pytest.fixture
def admin_web(world: CitizenWorld, staff_web: TestClient) -> TestClient:
    add_admins(world)
    sign_in(staff_web, "admin")
    return staff_web


def test_the_user_list_shows_the_city_staff_and_never_a_password_hash(
    admin_web: TestClient,
) -> None:
    page = admin_web.get(USERS)
    assert page.status_code == 200
    assert "officer" in page.text
    assert "inspector" in page.text
    assert "far_worker" not in page.text  # granted in the other city only
    assert "plain$" not in page.text


def test_an_added_user_can_sign_in_with_the_password_given(
    admin_web: TestClient, world: CitizenWorld
) -> None:
    answer = post_form(admin_web, USERS, USERS, NEW)
    assert answer.status_code == 303
    assert answer.headers["location"] == f"{USERS}/newcomer"
    principal = authenticate_password(
        world.container.uow(), PlainHasher(), "newcomer", "a long password"
    )
    assert principal.grants == ()
    assert "新同事" in admin_web.get(f"{USERS}/newcomer").text


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"password": "short", "password_again": "short"}, "password", "at least 10"),
        ({"password_again": "another one!"}, "password_again", "two passwords differ"),
        ({"username": "x"}, "username", "3 to 64"),
        ({"username": "officer"}, "username", "taken already"),
    ],
)
def test_a_bad_new_user_is_refused_next_to_the_field(
    admin_web: TestClient, change: dict[str, str], field: str, words: str
) -> None:
    answer = post_form(admin_web, f"{USERS}?lang=en", USERS, NEW | change)
    assert answer.status_code == 422
    assert f'id="{field}-problem"' in answer.text
    assert words in answer.text


def test_a_role_granted_through_the_form_takes_effect(
    admin_web: TestClient, world: CitizenWorld
) -> None:
    post_form(admin_web, USERS, USERS, NEW)
    page = f"{USERS}/newcomer"
    answer = post_form(
        admin_web, page, f"{page}/grants", {"role": "street_officer", "area_code": "410102001"}
    )
    assert answer.status_code == 303
    principal = authenticate_password(
        world.container.uow(), PlainHasher(), "newcomer", "a long password"
    )
    assert [(g.role.value, g.area_code) for g in principal.grants] == [
        ("street_officer", "410102001")
    ]
    revoked = post_form(
        admin_web,
        page,
        f"{page}/revoke",
        {"role": "street_officer", "area_code": "410102001", "department": ""},
    )
    assert revoked.status_code == 303
    again = authenticate_password(
        world.container.uow(), PlainHasher(), "newcomer", "a long password"
    )
    assert again.grants == ()


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"role": "street_officer", "area_code": "410102"}, "area_code", "not granted at"),
        ({"role": "street_officer", "area_code": "999999"}, "area_code", "No area"),
        ({"role": "department_handler", "area_code": "410102"}, "department", "needs one"),
        ({"role": "emperor", "area_code": "410102"}, "role", "from the list"),
    ],
)
def test_a_bad_grant_is_refused_next_to_the_field(
    admin_web: TestClient, data: dict[str, str], field: str, words: str
) -> None:
    page = f"{USERS}/officer"
    answer = post_form(admin_web, f"{page}?lang=en", f"{page}/grants", data)
    assert answer.status_code == 422
    assert f'id="{field}-problem"' in answer.text
    assert words in answer.text


def test_an_admin_cannot_grant_outside_their_city(admin_web: TestClient) -> None:
    page = f"{USERS}/officer"
    answer = post_form(
        admin_web, page, f"{page}/grants", {"role": "district_officer", "area_code": OTHER_DISTRICT}
    )
    assert answer.status_code == 403


def test_an_admin_cannot_open_or_deactivate_a_user_of_another_city(
    admin_web: TestClient,
) -> None:
    assert admin_web.get(f"{USERS}/far_worker").status_code == 403
    answer = post_form(admin_web, USERS, f"{USERS}/far_worker/deactivate", {})
    assert answer.status_code == 403


def test_deactivating_ends_the_users_sessions(admin_web: TestClient, world: CitizenWorld) -> None:
    with TestClient(admin_web.app) as officer_web:
        sign_in(officer_web, "officer")
        assert officer_web.get("/staff/admin", follow_redirects=False).status_code == 403
        answer = post_form(admin_web, f"{USERS}/officer", f"{USERS}/officer/deactivate", {})
        assert answer.status_code == 303
        after = officer_web.get("/staff/admin", follow_redirects=False)
        assert after.status_code == 303
        assert "/staff/login" in after.headers["location"]
    assert "Deactivated" in admin_web.get(f"{USERS}/officer?lang=en").text


def test_a_form_without_its_token_changes_nothing(admin_web: TestClient) -> None:
    answer = admin_web.post(USERS, data={"csrf_token": "forged", **NEW}, follow_redirects=False)
    assert answer.status_code == 403
    assert "newcomer" not in admin_web.get(USERS).text


@pytest.mark.parametrize("path", ["/staff/admin", USERS, f"{USERS}/inspector"])
def test_a_district_officer_may_not_administer(
    staff_web: TestClient, world: CitizenWorld, path: str
) -> None:
    add_admins(world)
    sign_in(staff_web, "officer")
    assert staff_web.get(path).status_code == 403


def test_a_district_officer_cannot_grant_even_in_their_own_district(
    staff_web: TestClient, world: CitizenWorld
) -> None:
    add_admins(world)
    sign_in(staff_web, "officer")
    # The admin pages are refused, so the token comes from a page the officer may open.
    answer = post_form(
        staff_web,
        "/staff/login",
        f"{USERS}/inspector/grants",
        {"role": "street_officer", "area_code": "410102001"},
    )
    assert answer.status_code == 403


def test_problems_are_told_in_chinese_by_default(admin_web: TestClient) -> None:
    answer = post_form(admin_web, USERS, USERS, NEW | {"password_again": "another one!"})
    assert answer.status_code == 422
    assert "两次输入的密码不一致" in answer.text
