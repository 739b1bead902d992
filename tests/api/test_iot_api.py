"""The IoT routes over HTTP: readings in with device tokens, alerts and silences out."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from civicgrid.bootstrap import Container
from civicgrid.domain.access import local_operator
from civicgrid.services.sensors import SensorDraft, issue_device_token, register_sensors
from tests.api.conftest import Accounts, assert_error
from tests.factories import centre_of, small_city
from tests.fixtures import MICRO, MONDAY_9AM

T0 = MONDAY_9AM
OTHER_DISTRICT_MICRO = "41010300100100101"


@pytest.fixture
def devices(city: Container) -> dict[str, str]:
    city.clock = lambda: T0 + timedelta(hours=1)
    lat, lon = centre_of(next(a for a in small_city() if a.code == MICRO))
    olat, olon = centre_of(next(a for a in small_city() if a.code == OTHER_DISTRICT_MICRO))
    drafts = [
        SensorDraft(
            "WL-1",
            "water_level_underpass",
            lon,
            lat,
            "water_affairs",
            gateway="GW-1",
            attributes={"closure_depth": 0.4},
        ),
        SensorDraft("WL-2", "water_level_underpass", olon, olat, "water_affairs"),
    ]
    register_sensors(
        city.iot_uow(), city.locators, local_operator(), drafts, now=T0, snap_tolerance_m=50
    )
    return {
        "gateway": issue_device_token(city.iot_uow(), "GW-1", "gateway", now=T0),
        "WL-2": issue_device_token(city.iot_uow(), "WL-2", "sensor", now=T0),
    }


def _rows(sensor: str, values: list[float], start: int = 0) -> list[dict[str, object]]:
    return [
        {"sensor": sensor, "ts": (T0 + timedelta(minutes=start + i)).isoformat(), "value": v}
        for i, v in enumerate(values)
    ]


def _post(client: TestClient, token: str, rows: object, *, ndjson: bool = False):  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {token}"}
    if ndjson:
        body = "\n".join(json.dumps(r) for r in rows)  # type: ignore[attr-defined]
        headers["Content-Type"] = "application/x-ndjson"
        return client.post("/api/v1/readings", content=body, headers=headers)
    return client.post("/api/v1/readings", json=rows, headers=headers)


def test_a_gateway_posts_a_batch_and_an_alert_opens_a_case(
    client: TestClient, devices: dict[str, str]
) -> None:
    answer = _post(client, devices["gateway"], _rows("WL-1", [0.3, 0.3, 0.3]))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["accepted"], body["duplicates"], body["rejected"]) == (3, [], [])
    assert [(a["kind"], a["sensor"], a["severity"]) for a in body["alerts"]] == [
        ("fire", "WL-1", "orange")
    ]


def test_ndjson_with_bad_lines_reports_each_and_keeps_the_rest(
    client: TestClient, devices: dict[str, str]
) -> None:
    rows: list[object] = [
        *_rows("WL-1", [0.0, 0.0]),
        {"sensor": "WL-1", "ts": "yesterday", "value": 1},
        {"sensor": "WL-1", "ts": "2026-11-23T01:05:00", "value": 1},
    ]
    body = _post(client, devices["gateway"], rows, ndjson=True).json()
    assert body["accepted"] == 2
    assert [r["row"] for r in body["rejected"]] == [2, 3]
    assert all("malformed reading" in r["reason"] for r in body["rejected"])
    again = _post(client, devices["gateway"], _rows("WL-1", [0.0, 0.0])).json()
    assert (again["accepted"], again["duplicates"]) == (0, [0, 1])


def test_a_json_array_with_one_bad_row_still_takes_the_others(
    client: TestClient, devices: dict[str, str]
) -> None:
    rows = [*_rows("WL-1", [0.0]), {"sensor": "WL-1", "value": "high"}]
    body = _post(client, devices["gateway"], rows).json()
    assert body["accepted"] == 1
    assert body["rejected"][0]["row"] == 1


def test_tokens_are_checked_and_scoped_to_their_devices(
    client: TestClient, devices: dict[str, str]
) -> None:
    assert_error(
        _post(client, "cgd_nope", _rows("WL-1", [0.0])), 401, "unauthenticated", "device token"
    )
    assert_error(client.post("/api/v1/readings", json=[]), 401, "unauthenticated", "Bearer")
    body = _post(client, devices["WL-2"], _rows("WL-1", [0.0])).json()
    assert body["rejected"] == [
        {"row": 0, "reason": "this sensor token may not send readings of WL-1"}
    ]


def test_a_body_that_is_not_an_array_is_refused_whole(
    client: TestClient, devices: dict[str, str]
) -> None:
    answer = client.post(
        "/api/v1/readings",
        content=b"{oops",
        headers={"Authorization": f"Bearer {devices['gateway']}"},
    )
    assert_error(answer, 422, "invalid_input", "not a JSON array", field="body")


def test_alerts_are_listed_within_the_subtree_and_worked_on(
    client: TestClient, devices: dict[str, str], accounts: Accounts
) -> None:
    _post(client, devices["gateway"], _rows("WL-1", [0.3, 0.3, 0.3]))
    _post(client, devices["WL-2"], _rows("WL-2", [0.3, 0.3, 0.3]))
    mine = client.get("/api/v1/alerts", headers=accounts.headers("district_officer")).json()
    assert [a["sensor_id"] for a in mine["data"]] == ["WL-1"]
    alert = mine["data"][0]
    assert alert["case_id"] is not None
    assert alert["severity_zh"] == "橙色预警"
    other = accounts.headers("leader")  # district 410103
    assert_error(
        client.post(f"/api/v1/alerts/{alert['id']}/acknowledge", headers=other), 403, "forbidden"
    )
    headers = accounts.headers("district_officer")
    acked = client.post(f"/api/v1/alerts/{alert['id']}/acknowledge", headers=headers).json()
    assert acked["acknowledged"]
    assert acked["acknowledged_by"] == "district.officer"
    accounts.token("grid_worker")
    assigned = client.post(
        f"/api/v1/alerts/{alert['id']}/assign", json={"assignee": "grid.worker"}, headers=headers
    ).json()
    assert assigned["assignee"] == "grid.worker"
    made = client.post(
        f"/api/v1/alerts/{alert['id']}/comments", json={"body": "已派人查看"}, headers=headers
    )
    assert made.status_code == 201
    listed = client.get(f"/api/v1/alerts/{alert['id']}/comments", headers=headers).json()
    assert [(c["author"], c["body"]) for c in listed] == [("district.officer", "已派人查看")]


def test_a_silence_mutes_alerts_so_they_open_no_case(
    client: TestClient, devices: dict[str, str], accounts: Accounts, city: Container
) -> None:
    headers = accounts.headers("district_officer")
    window = {
        "sensor_id": "WL-1",
        "starts_at": T0.isoformat(),
        "ends_at": (T0 + timedelta(hours=4)).isoformat(),
        "comment": "检修",
    }
    made = client.post("/api/v1/alert-silences", json=window, headers=headers)
    assert made.status_code == 201, made.text
    body = _post(client, devices["gateway"], _rows("WL-1", [0.3, 0.3, 0.3])).json()
    assert body["alerts"][0]["silenced"] is True
    [alert] = client.get("/api/v1/alerts", headers=headers).json()["data"]
    assert alert["silenced"]
    assert alert["case_id"] is None
    silences = client.get("/api/v1/alert-silences", headers=headers).json()
    assert [s["sensor_id"] for s in silences] == ["WL-1"]
    elsewhere = {**window, "sensor_id": "WL-2"}
    assert_error(
        client.post("/api/v1/alert-silences", json=elsewhere, headers=headers), 403, "forbidden"
    )
    gone = client.delete(f"/api/v1/alert-silences/{made.json()['id']}", headers=headers)
    assert gone.status_code == 204
    assert client.get("/api/v1/alert-silences", headers=headers).json() == []


def test_sensors_are_listed_within_the_subtree(
    client: TestClient, devices: dict[str, str], accounts: Accounts
) -> None:
    listed = client.get("/api/v1/sensors", headers=accounts.headers("district_officer")).json()
    assert [(s["id"], s["area_code"], s["type_en"]) for s in listed["data"]] == [
        ("WL-1", MICRO, "Underpass water level")
    ]


def test_video_detections_open_one_case_per_camera_and_type_within_the_window(
    client: TestClient, city: Container, devices: dict[str, str], accounts: Accounts
) -> None:
    lat, lon = centre_of(next(a for a in small_city() if a.code == MICRO))
    camera = SensorDraft("CAM-1", "camera", lon, lat, "city_management")
    register_sensors(
        city.iot_uow(), city.locators, local_operator(), [camera], now=T0, snap_tolerance_m=50
    )
    token = issue_device_token(city.iot_uow(), "CAM-1", "sensor", now=T0)
    at = T0 + timedelta(minutes=30)

    def seen(
        kind: str, confidence: float, minutes: int = 0, cam: str = "CAM-1"
    ) -> dict[str, object]:
        when = (at + timedelta(minutes=minutes)).isoformat()
        return {
            "camera": cam,
            "event_type": kind,
            "confidence": confidence,
            "at": when,
            "snapshot_url": "https://cctv.example/s/1.jpg",
        }

    body = [
        seen("illegal_parking", 0.5),
        seen("illegal_parking", 0.9),
        seen("illegal_parking", 0.95, 5),
        seen("unicorn", 0.99),
        seen("illegal_parking", 0.9, cam="WL-1"),
    ]
    answer = client.post(
        "/api/v1/detections", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status_code == 200, answer.text
    outcomes = [row["outcome"] for row in answer.json()]
    assert outcomes == ["low_confidence", "new", "repeat", "unknown_type", "rejected"]
    alerts = client.get("/api/v1/alerts", headers=accounts.headers("district_officer")).json()[
        "data"
    ]
    [alert] = [a for a in alerts if a["sensor_id"] == "CAM-1"]
    assert (alert["rule_id"], alert["hits"], alert["category"]) == (
        "video:illegal_parking",
        2,
        "event:0505",
    )
    with city.uow() as uow:
        case = uow.cases.get(alert["case_id"])
    assert case is not None
    assert case.source.value == "video"


def test_a_sensor_silence_is_seen_only_inside_the_sensors_subtree(
    client: TestClient, devices: dict[str, str], accounts: Accounts
) -> None:
    window = {
        "sensor_id": "WL-2",  # in district 410103
        "starts_at": T0.isoformat(),
        "ends_at": (T0 + timedelta(hours=4)).isoformat(),
        "comment": "检修 410103",
    }
    made = client.post(
        "/api/v1/alert-silences", json=window, headers=accounts.headers("city_admin")
    )
    assert made.status_code == 201, made.text

    seen_by_city = client.get("/api/v1/alert-silences", headers=accounts.headers("city_admin"))
    seen_next_door = client.get(
        "/api/v1/alert-silences", headers=accounts.headers("district_officer")
    )

    assert [s["sensor_id"] for s in seen_by_city.json()] == ["WL-2"]
    assert seen_next_door.json() == []
