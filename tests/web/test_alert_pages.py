"""The alert board, an alert's page and its forms, silences, and a sensor's page and
readings, as staff of district 410102 (officer) and 410103 (other_officer) see them."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from civicgrid.domain.alerts import Severity
from civicgrid.services.alert_board import get_alert_board
from civicgrid.services.alerts_lifecycle import get_alert_comments
from civicgrid.services.sensor_readings import access_sensor
from tests.integration.citizen_world import MONDAY_9AM, CitizenWorld
from tests.web.alerts_world import START, AlertsWorld, build_alerts_world
from tests.web.conftest import csrf_token, sign_in


@pytest.fixture
def alerts(world: CitizenWorld) -> AlertsWorld:
    return build_alerts_world(world)


@pytest.fixture
def officer(staff_web: TestClient, alerts: AlertsWorld) -> TestClient:
    sign_in(staff_web, "officer")
    return staff_web


def _stored(alerts: AlertsWorld, alert_id: int):  # type: ignore[no-untyped-def]
    with alerts.citizens.container.iot_uow() as uow:
        return uow.alerts.get(alert_id)


def _post(client: TestClient, path: str, page: str, **fields: str):  # type: ignore[no-untyped-def]
    """Posts a form with the token of the page the form is on."""
    token = csrf_token(client.get(page).text)
    return client.post(path, data={"csrf_token": token, **fields}, follow_redirects=False)


def test_the_board_lists_my_subtrees_alerts_red_first(
    officer: TestClient, alerts: AlertsWorld
) -> None:
    page = officer.get("/staff/alerts?lang=en")
    assert page.status_code == 200
    html = page.text
    assert "3 active alerts" in html
    assert html.index("Red warning") < html.index("Orange warning") < html.index("Blue warning")
    red = html[html.index('id="severity-red"') : html.index('id="severity-orange"')]
    assert "Combustible gas above limit" in red
    assert "GAS-1" in red
    orange = html[html.index('id="severity-orange"') : html.index('id="severity-yellow"')]
    assert "Underpass flooding" in orange
    assert "WL-1" in orange
    assert "WL-9" not in html  # another district's
    case_id = alerts.alert_of("GAS-1").case_id
    assert case_id is not None
    assert f'href="/staff/cases/{case_id}"' in red
    assert "Firing" in red
    assert "min ago" in red
    pending = html[html.index('id="pending-title"') :]
    assert "AQ-1" in pending
    assert "Poor air quality" in pending
    assert "Pending" in pending
    assert "Yellow warning" in pending
    assert "2026-11-23 08:50" in pending
    assert "AQ-9" not in html
    chinese = officer.get("/staff/alerts?lang=zh-CN").text
    assert "红色预警" in chinese
    assert "可燃气体浓度超限" in chinese


def test_the_board_part_refreshes_alone_and_the_other_district_sees_only_its_own(
    staff_web: TestClient, alerts: AlertsWorld
) -> None:
    sign_in(staff_web, "other_officer")
    part = staff_web.get("/staff/alerts/board?lang=en")
    assert part.status_code == 200
    assert 'id="alert-board"' in part.text
    assert "<html" not in part.text
    assert "WL-9" in part.text
    assert "AQ-9" in part.text
    assert "GAS-1" not in part.text
    assert "WL-1" not in part.text
    assert "AQ-1" not in part.text


def test_another_districts_alert_is_refused_to_look_at_and_to_acknowledge(
    officer: TestClient, alerts: AlertsWorld
) -> None:
    theirs = alerts.alert_of("WL-9")
    assert officer.get(f"/staff/alerts/{theirs.id}").status_code == 403
    answer = _post(officer, f"/staff/alerts/{theirs.id}/acknowledge", "/staff/alerts")
    assert answer.status_code == 403
    assert (
        "outside your area of responsibility"
        in officer.get(f"/staff/alerts/{theirs.id}?lang=en").text
    )
    assert _stored(alerts, theirs.id).acknowledged_at is None
    assert officer.get("/staff/alerts/999999").status_code == 404


def test_acknowledging_from_the_board_returns_to_it(
    officer: TestClient, alerts: AlertsWorld
) -> None:
    gas = alerts.alert_of("GAS-1")
    answer = _post(officer, f"/staff/alerts/{gas.id}/acknowledge", "/staff/alerts", back="board")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/staff/alerts?done=acknowledged"
    stored = _stored(alerts, gas.id)
    assert stored.acknowledged_by == "officer"
    assert stored.acknowledged_at == MONDAY_9AM
    board = officer.get("/staff/alerts?done=acknowledged&lang=en").text
    assert "The alert is acknowledged." in board
    card = board[board.index(f'id="alert-{gas.id}"') :]
    card = card[: card.index("</li>")]
    assert "Acknowledged" in card
    assert f"/staff/alerts/{gas.id}/acknowledge" not in card


def test_a_leader_sees_the_board_but_is_offered_no_actions(
    staff_web: TestClient, alerts: AlertsWorld
) -> None:
    sign_in(staff_web, "watcher")
    board = staff_web.get("/staff/alerts?lang=en").text
    assert "GAS-1" in board
    assert "/acknowledge" not in board
    gas = alerts.alert_of("GAS-1")
    detail = staff_web.get(f"/staff/alerts/{gas.id}?lang=en")
    assert detail.status_code == 200
    assert 'action="/staff/alerts/' not in detail.text  # no form of any kind
    refused = _post(staff_web, f"/staff/alerts/{gas.id}/acknowledge", "/staff/alerts")
    assert refused.status_code == 403
    assert _stored(alerts, gas.id).acknowledged_at is None


def test_assigning_and_commenting_on_the_alerts_page(
    officer: TestClient, alerts: AlertsWorld
) -> None:
    flood = alerts.alert_of("WL-1", "underpass_flooding")
    page = f"/staff/alerts/{flood.id}?lang=en"
    answer = _post(officer, f"/staff/alerts/{flood.id}/assign", page, assignee="handler")
    assert answer.status_code == 303
    assert _stored(alerts, flood.id).assignee == "handler"
    wrong = _post(officer, f"/staff/alerts/{flood.id}/assign", page, assignee="nobody-here")
    assert wrong.status_code == 422
    assert "There is no user with this name." in wrong.text
    assert 'value="nobody-here"' in wrong.text
    assert _stored(alerts, flood.id).assignee == "handler"

    said = _post(officer, f"/staff/alerts/{flood.id}/comment", page, body="Pump truck on its way")
    assert said.status_code == 303
    assert said.headers["location"] == f"/staff/alerts/{flood.id}?done=commented#comments"
    c = alerts.citizens.container
    comments = get_alert_comments(c.iot_uow(), alerts.citizens.staff["officer"], flood.id)
    assert [(x.author, x.body) for x in comments] == [("officer", "Pump truck on its way")]
    shown = officer.get(page).text
    assert "Pump truck on its way" in shown
    assert "handler" in shown
    empty = _post(officer, f"/staff/alerts/{flood.id}/comment", page, body="   ")
    assert empty.status_code == 422
    assert "Write a comment" in empty.text


def test_forms_without_a_genuine_token_change_nothing(
    officer: TestClient, alerts: AlertsWorld
) -> None:
    flood = alerts.alert_of("WL-1", "underpass_flooding")
    base = f"/staff/alerts/{flood.id}"
    for path, fields in [
        (f"{base}/acknowledge", {}),
        (f"{base}/assign", {"assignee": "handler"}),
        (f"{base}/comment", {"body": "forged"}),
        (f"{base}/silence", {"scope": "sensor", "duration": "1h", "reason": "forged"}),
        ("/staff/alerts/silences", {"sensor_id": "WL-1", "duration": "1h", "reason": "forged"}),
    ]:
        for token in ("", "1.forged"):
            answer = officer.post(
                path, data={"csrf_token": token, **fields}, follow_redirects=False
            )
            assert answer.status_code == 403, path
    stored = _stored(alerts, flood.id)
    assert (stored.acknowledged_at, stored.assignee) == (None, None)
    assert "forged" not in officer.get(f"{base}?lang=en").text
    assert "No silences in force." in officer.get("/staff/alerts?lang=en").text


def test_silencing_a_sensor_from_its_alert_then_ending_it(
    officer: TestClient, alerts: AlertsWorld
) -> None:
    flood = alerts.alert_of("WL-1", "underpass_flooding")
    page = f"/staff/alerts/{flood.id}?lang=en"
    missing = _post(officer, f"/staff/alerts/{flood.id}/silence", page, duration="2h", reason="")
    assert missing.status_code == 422
    assert "Say why the alerts are silenced." in missing.text
    answer = _post(
        officer,
        f"/staff/alerts/{flood.id}/silence",
        page,
        scope="sensor",
        duration="2h",
        reason="Pump maintenance",
    )
    assert answer.status_code == 303
    board = officer.get("/staff/alerts?lang=en").text
    silences = board[board.index('id="silences"') :]
    assert "Sensor WL-1" in silences
    assert "Pump maintenance" in silences
    assert "2026-11-23 11:00" in silences  # 09:00 in Shanghai + 2 h
    assert alerts.citizens.container.alert_pipeline.engine is not None
    assert len(alerts.citizens.container.alert_pipeline.engine.silences) == 1
    end = re.search(r'action="(/staff/alerts/silences/\d+/end)"', board)
    assert end is not None
    ended = _post(officer, end[1], "/staff/alerts")
    assert ended.status_code == 303
    assert "No silences in force." in officer.get("/staff/alerts?lang=en").text
    assert alerts.citizens.container.alert_pipeline.engine.silences == []


def test_a_maintenance_window_by_area_and_rule_within_my_subtree_only(
    officer: TestClient, alerts: AlertsWorld, world: CitizenWorld
) -> None:
    fields = {
        "area_code": "410102001",
        "rule_id": "underpass_flooding",
        "duration": "1d",
        "reason": "Street works",
    }
    answer = _post(officer, "/staff/alerts/silences", "/staff/alerts", **fields)
    assert answer.status_code == 303
    board = officer.get("/staff/alerts?lang=en").text
    assert "Rule underpass_flooding" in board
    assert "410102001" in board
    outside = _post(
        officer, "/staff/alerts/silences", "/staff/alerts", **{**fields, "area_code": "410103"}
    )
    assert outside.status_code == 403
    unknown = _post(
        officer, "/staff/alerts/silences", "/staff/alerts?lang=en", **{**fields, "area_code": "999"}
    )
    assert unknown.status_code == 422
    assert "No such sensor or area." in unknown.text
    nothing = _post(
        officer, "/staff/alerts/silences", "/staff/alerts?lang=en", duration="1h", reason="x"
    )
    assert nothing.status_code == 422
    assert "Name a sensor or an area code." in nothing.text
    sign_in(officer, "other_officer")
    assert "Street works" not in officer.get("/staff/alerts?lang=en").text


def test_the_readings_endpoint_gives_the_range_of_a_sensor_in_my_subtree(
    officer: TestClient, alerts: AlertsWorld
) -> None:
    data = officer.get("/staff/sensors/WL-1/readings?lang=en").json()
    assert data["unit"] == "m"
    assert data["stored"] == 7
    assert [v for _, v in data["points"]] == [0.02, 0.02, 0.3, 0.3, 0.3, 0.3, 0.3]
    assert data["points"][0][0] == round(START.timestamp() * 1000)
    assert data["end"] == round(MONDAY_9AM.timestamp() * 1000)
    flooding = [a for a in data["alerts"] if a["label"].endswith("Underpass flooding")]
    assert flooding
    assert flooding[0]["severity"] == "orange"
    assert flooding[0]["cleared"] is None
    assert {"value": 0.4, "severity": "red", "label": "Red warning"} in data["thresholds"]
    # a narrower window: only the three readings from minute 2 to minute 5
    start = (START + timedelta(minutes=2)).isoformat()
    end = (START + timedelta(minutes=5)).isoformat()
    narrow = officer.get("/staff/sensors/WL-1/readings", params={"start": start, "end": end})
    assert [v for _, v in narrow.json()["points"]] == [0.3, 0.3, 0.3]
    old = officer.get("/staff/sensors/WL-1/readings", params={"range": "6h"}).json()
    assert old["stored"] == 7
    assert officer.get("/staff/sensors/WL-9/readings").status_code == 403
    assert officer.get("/staff/sensors/NOPE/readings").status_code == 404
    assert officer.get("/staff/sensors/WL-1/readings?range=1y").status_code == 400
    naive = officer.get("/staff/sensors/WL-1/readings", params={"start": "2026-11-23T08:00"})
    assert naive.status_code == 400


def test_a_sensors_page_shows_its_registry_thresholds_and_chart_container(
    officer: TestClient, alerts: AlertsWorld
) -> None:
    page = officer.get("/staff/sensors/WL-1?lang=en&range=7d")
    assert page.status_code == 200
    html = page.text
    assert "Sensor WL-1" in html
    assert "Tunnel east" in html
    assert "water_affairs" in html
    assert "&gt; 0.27 m" in html
    assert "&gt; 0.4 m" in html
    assert 'data-src="/staff/sensors/WL-1/readings?range=7d&amp;lang=en"' in html
    assert '<script src="/static/js/staff-sensor-chart.js"' in html
    assert "<script>" not in html  # no inline script: the CSP would block it
    flooding = alerts.alert_of("WL-1", "underpass_flooding")
    assert f'<a href="/staff/alerts/{flooding.id}">Underpass' in html
    assert "still active" in html
    assert officer.get("/staff/sensors/WL-9").status_code == 403
    assert access_sensor(
        alerts.citizens.container.iot_uow(), alerts.citizens.staff["officer"], "WL-1"
    ).area_code.startswith("410102")


def test_signed_out_people_are_sent_to_sign_in(staff_web: TestClient, alerts: AlertsWorld) -> None:
    for path in ("/staff/alerts", "/staff/sensors/WL-1", "/staff/sensors/WL-1/readings"):
        answer = staff_web.get(path, follow_redirects=False)
        assert answer.status_code == 303
        assert answer.headers["location"].startswith("/staff/login?next=")


def test_a_board_cut_short_keeps_the_most_severe(alerts: AlertsWorld) -> None:
    c = alerts.citizens.container
    officer = alerts.citizens.staff["officer"]
    board = get_alert_board(c.iot_uow(), officer, c.alert_pipeline.rules, None, limit=1)
    assert (board.count, board.shown, board.cut_short) == (3, 1, True)
    assert [i.alert.sensor_id for i in board.groups[0].alerts] == ["GAS-1"]
    assert board.groups[0].severity is Severity.RED
    assert board.pending == []  # no engine asked
