"""Signing in and out of the staff pages, and how a staff page refuses."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient
from starlette.responses import Response

from civicgrid.domain.errors import Forbidden, NotFound
from civicgrid.services.web_sessions import SESSION_LIFETIME
from civicgrid.web.routes.login import safe_next
from civicgrid.web.staff import SESSION_COOKIE, StaffDep, StaffRoute
from tests.fixtures import Clock
from tests.integration.citizen_world import CitizenWorld
from tests.web.conftest import csrf_token, sign_in

probe = APIRouter(prefix="/staff/probe", route_class=StaffRoute)


@probe.get("/who")
def who(staff: StaffDep) -> Response:
    return Response(staff.principal.username)


@probe.get("/refuse/{kind}")
def refuse(staff: StaffDep, kind: str, count: int = 0) -> Response:
    if kind == "forbidden":
        raise Forbidden("area 410103 is outside your subtree")
    raise NotFound("no case 99")


@pytest.fixture
def client(staff_web: TestClient) -> TestClient:
    staff_web.app.include_router(probe)  # type: ignore[attr-defined]
    return staff_web


def test_a_page_without_a_session_sends_the_person_to_sign_in_and_back(client: TestClient) -> None:
    answer = client.get("/staff/probe/who?x=1", follow_redirects=False)

    assert answer.status_code == 303
    assert answer.headers["location"] == "/staff/login?next=%2Fstaff%2Fprobe%2Fwho%3Fx%3D1"


def test_signing_in_opens_a_session_that_pages_recognise(client: TestClient) -> None:
    form = client.get("/staff/login?next=/staff/probe/who")
    answer = client.post(
        "/staff/login",
        data={
            "csrf_token": csrf_token(form.text),
            "username": "officer",
            "password": "long enough password",
            "next": "/staff/probe/who",
        },
        follow_redirects=False,
    )

    assert answer.status_code == 303
    assert answer.headers["location"] == "/staff/probe/who"
    cookie = answer.headers["set-cookie"]
    assert f"{SESSION_COOKIE}=" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert client.get("/staff/probe/who").text == "officer"


def test_a_wrong_password_is_refused_with_the_form_again(client: TestClient) -> None:
    form = client.get("/staff/login?lang=en")
    answer = client.post(
        "/staff/login",
        data={"csrf_token": csrf_token(form.text), "username": "officer", "password": "guess"},
    )

    assert answer.status_code == 401
    assert "The user name or the password is wrong." in answer.text
    assert 'value="officer"' in answer.text
    assert SESSION_COOKIE not in answer.headers.get("set-cookie", "")


def test_signing_in_without_the_form_token_is_refused(client: TestClient) -> None:
    answer = client.post(
        "/staff/login", data={"username": "officer", "password": "long enough password"}
    )

    assert answer.status_code == 403
    assert SESSION_COOKIE not in client.cookies


def test_signing_out_ends_the_session_even_for_a_kept_copy_of_the_cookie(
    client: TestClient,
) -> None:
    sign_in(client, "officer")
    kept = client.cookies[SESSION_COOKIE]
    page = client.get("/staff/login")

    client.post("/staff/logout", data={"csrf_token": csrf_token(page.text)})
    client.cookies.set(SESSION_COOKIE, kept)

    assert client.get("/staff/probe/who", follow_redirects=False).status_code == 303


def test_a_session_expires_after_its_lifetime(client: TestClient, world: CitizenWorld) -> None:
    clock = world.container.clock
    assert isinstance(clock, Clock)
    sign_in(client, "officer")
    clock.now += SESSION_LIFETIME - timedelta(minutes=1)
    assert client.get("/staff/probe/who").status_code == 200

    clock.now += timedelta(minutes=2)
    assert client.get("/staff/probe/who", follow_redirects=False).status_code == 303


def test_a_refusal_is_a_page_with_its_status_in_the_persons_language(client: TestClient) -> None:
    sign_in(client, "officer")

    forbidden = client.get("/staff/probe/refuse/forbidden?lang=en")
    missing = client.get("/staff/probe/refuse/missing?lang=zh-CN")
    bad = client.get("/staff/probe/refuse/forbidden?count=many")

    assert forbidden.status_code == 403
    assert "outside your area of responsibility" in forbidden.text
    assert "area 410103 is outside your subtree" in forbidden.text
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("text/html")
    assert bad.status_code == 400
    assert "count" in bad.text


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/staff/cases/7", "/staff/cases/7"),
        ("https://evil.example/", "/staff/"),
        ("//evil.example/staff/", "/staff/"),
        ("/staff/\\evil", "/staff/"),
        ("/citizen/report", "/staff/"),
        ("", "/staff/"),
    ],
)
def test_the_way_back_after_signing_in_stays_on_the_staff_pages(target: str, expected: str) -> None:
    assert safe_next(target) == expected
