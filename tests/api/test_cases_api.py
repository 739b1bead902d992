"""The case API end to end over HTTP, on both engines: every stage by its own role."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from civicgrid.bootstrap import Container
from civicgrid.domain.access import Role
from tests.fixtures import CASE_WORKERS, MICRO, CityClient, city_client

CASES = "/api/v1/cases"


class Api(CityClient):
    def post(self, who: str, path: str, body: object, **headers: str):  # type: ignore[no-untyped-def]
        self.clock.now += timedelta(minutes=5)
        return self.client.post(path, json=body, headers=self.as_(who) | headers)


PEOPLE = CASE_WORKERS | {"other_district": (Role.SHIFT_LEADER, "410103", "")}


@pytest.fixture
def api(container: Container) -> Iterator[Api]:
    with city_client(container, PEOPLE, Api) as api:
        yield api


def report(api: Api, **extra: object):  # type: ignore[no-untyped-def]
    body = {"category": "event:0101", "description": "路边暴露垃圾", "lat": api.lat, "lon": api.lon}
    return api.post("inspector", CASES, body | extra)


def test_a_case_goes_through_every_stage_over_http(api: Api) -> None:
    created = report(api)
    assert created.status_code == 201, created.text
    case_id = created.json()["id"]
    assert created.json()["area_code"] == MICRO
    assert created.json()["light"] == "normal"
    steps = [
        ("acceptor", "accept", {}, "file"),
        ("leader", "file", {}, "dispatch"),
        ("dispatcher", "dispatch", {"department": "city_management"}, "handle"),
        ("handler", "handle", {"result": "已清运"}, "feedback"),
        ("dispatcher", "feedback", {}, "verify_close"),
        ("inspector", "verify", {"passed": True}, "verify_close"),
        ("leader", "close", {"outcome": "fixed"}, "evaluate"),
    ]
    for who, action, body, stage in steps:
        response = api.post(who, f"{CASES}/{case_id}/{action}", body)
        assert response.status_code == 200, (action, response.text)
        assert response.json()["stage"] == stage
    detail = api.client.get(f"{CASES}/{case_id}", headers=api.as_("leader")).json()
    assert detail["outcome"] == "fixed"
    assert [e["type"] for e in detail["timeline"]][-1] == "closed"
    assert len(detail["timeline"]) == 8


def test_a_retried_create_with_the_same_idempotency_key_returns_the_same_case(api: Api) -> None:
    first = report(api, **{})
    key = {"Idempotency-Key": "phone-42"}
    one = api.post(
        "inspector",
        CASES,
        {"category": "event:0101", "description": "x", "lat": api.lat, "lon": api.lon},
        **key,
    )
    two = api.post(
        "inspector",
        CASES,
        {"category": "event:0101", "description": "x", "lat": api.lat, "lon": api.lon},
        **key,
    )
    assert (one.status_code, two.status_code) == (201, 200)
    assert one.json()["id"] == two.json()["id"] != first.json()["id"]


def test_the_wrong_role_gets_403_naming_who_may_act(api: Api) -> None:
    case_id = report(api).json()["id"]
    response = api.post("dispatcher", f"{CASES}/{case_id}/accept", {})
    assert response.status_code == 403
    assert "accept" in response.json()["error"]["message"]


def test_a_case_outside_the_callers_jurisdiction_is_403(api: Api) -> None:
    case_id = report(api).json()["id"]
    response = api.client.get(f"{CASES}/{case_id}", headers=api.as_("other_district"))
    assert response.status_code == 403
    listing = api.client.get(CASES, headers=api.as_("other_district")).json()
    assert listing["count"] == 0


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"category": "event:0101", "description": "x", "lat": 10.0, "lon": 10.0}, 422, "lat"),
        ({"category": "event:9999", "description": "x", "lat": 34.1, "lon": 113.1}, 404, None),
        (
            {"category": "event:0101", "description": "", "lat": 34.1, "lon": 113.1},
            422,
            "description",
        ),
        ({"category": "event:0101", "description": "x", "lat": 95, "lon": 113.1}, 422, "lat"),
        ({"category": "event:0101", "description": "x", "surprise": 1}, 422, "surprise"),
    ],
)
def test_bad_reports_get_a_4xx_naming_the_problem(
    api: Api, body: dict[str, object], status: int, field: str | None
) -> None:
    response = api.post("inspector", CASES, body)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["status"] == status
    if field:
        assert error["field"] == field


def test_malformed_json_is_422(api: Api) -> None:
    response = api.client.post(
        CASES,
        content=b"{not json",
        headers=api.as_("inspector") | {"Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "body"


def test_acting_on_a_closed_case_is_a_conflict(api: Api) -> None:
    case_id = report(api).json()["id"]
    assert api.post("leader", f"{CASES}/{case_id}/void", {"reason": "误报"}).status_code == 200
    response = api.post("acceptor", f"{CASES}/{case_id}/accept", {})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"


def test_the_list_shows_traffic_lights_that_turn_with_time(api: Api) -> None:
    report(api)
    lights = api.client.get(CASES, headers=api.as_("leader")).json()["data"]
    assert [c["light"] for c in lights] == ["normal"]
    api.clock.now += timedelta(minutes=26)  # 受理 within 30 minutes: 80 % passed
    assert api.client.get(CASES, headers=api.as_("leader")).json()["data"][0]["light"] == "warning"
    api.clock.now += timedelta(minutes=10)
    overdue = api.client.get(CASES, params={"overdue": True}, headers=api.as_("leader")).json()
    assert [c["light"] for c in overdue["data"]] == ["overdue"]


@pytest.mark.parametrize("field", ["description", "contact"])
def test_a_nul_character_in_text_is_422_not_a_server_error(api: Api, field: str) -> None:
    body: dict[str, object] = {
        "category": "event:0101",
        "description": "x",
        "lat": api.lat,
        "lon": api.lon,
    }
    body[field] = {"name": "a\x00b"} if field == "contact" else "a\x00b"
    response = api.post("inspector", CASES, body)
    assert response.status_code == 422
    assert "NUL" in response.json()["error"]["message"]
