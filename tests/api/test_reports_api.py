"""Reports over HTTP on the small city: the flood daily report, corrections, aggregates,
missing units and reminders, and urgent reports with read receipts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from civicgrid.bootstrap import Container
from civicgrid.domain.areas import Level
from tests.api.conftest import Accounts, assert_error, below, chain_of
from tests.fixtures import Clock

REPORTS = "/api/v1/reports"
DISTRICT = "410102"
COMMUNITY = "410102001001"  # the community officer's
DAY = datetime(2026, 7, 20, 1, 0, tzinfo=UTC)  # 09:00 in Zhengzhou
GOOD = {"points_checked": 12, "points_flooded": 2, "on_duty": 6, "sandbags": 300}


@pytest.fixture
def clock(city: Container) -> Clock:
    fixed = Clock(DAY)
    city.clock = fixed
    return fixed


def _flood_template(client: TestClient, accounts: Accounts) -> dict[str, Any]:
    created = client.post(
        f"{REPORTS}/templates",
        json={"area_code": DISTRICT, "builtin": "flood-daily"},
        headers=accounts.headers("district_officer"),
    )
    assert created.status_code == 201, created.text
    template: dict[str, Any] = created.json()
    return template


def test_the_flood_daily_report_is_submitted_corrected_and_aggregated(
    client: TestClient, accounts: Accounts, clock: Clock
) -> None:
    template = _flood_template(client, accounts)
    assert (template["code"], template["submitter_level"], template["due_time"]) == (
        "flood-daily",
        "community",
        "18:00",
    )
    url = f"{REPORTS}/templates/{template['id']}"
    officer = accounts.headers("community_officer")
    first = client.post(
        f"{url}/submissions", json={"area_code": COMMUNITY, "values": GOOD}, headers=officer
    )
    assert first.status_code == 201, first.text
    assert (first.json()["period"], first.json()["version"], first.json()["late"]) == (
        "2026-07-20",
        1,
        False,
    )
    clock.now = DAY + timedelta(hours=10)  # 19:00, after the due time: a correction
    fixed = {**GOOD, "points_flooded": 3}
    second = client.post(
        f"{url}/submissions", json={"area_code": COMMUNITY, "values": fixed}, headers=officer
    )
    assert (second.json()["version"], second.json()["late"]) == (2, False)
    versions = client.get(
        f"{url}/submissions/{COMMUNITY}", params={"period": "2026-07-20"}, headers=officer
    ).json()
    assert [(v["version"], v["current"]) for v in versions] == [(1, False), (2, True)]
    assert versions[0]["values"]["points_flooded"] == 2  # the first version is kept

    neighbour = below("410102001", Level.COMMUNITY)[1]
    accounts_district = accounts.headers("district_officer")
    late = client.post(
        f"{url}/submissions",
        json={"area_code": neighbour, "values": {**GOOD, "sandbags": 100}},
        headers=accounts_district,
    )
    assert late.json()["late"] is True
    # Back before the due time, so that the server's own tick sends no reminder yet.
    clock.now = DAY + timedelta(hours=8)

    result = client.get(
        f"{url}/aggregate", params={"period": "2026-07-20"}, headers=accounts_district
    ).json()
    node = result["node"]
    communities = len(below(DISTRICT, Level.COMMUNITY))
    assert (node["expected"], node["reported"], node["late"]) == (communities, 2, 1)
    assert node["summary_en"] == f"2 of {communities} communities reported"
    assert node["summary_zh"] == f"2 / {communities} 个社区已报"
    assert node["values"]["sandbags"] == {"sum": 400.0, "min": 100.0}
    assert node["values"]["points_flooded"] == {"sum": 5.0, "max": 3.0}
    streets = {row["code"]: (row["expected"], row["reported"]) for row in result["children"]}
    per_street = len(below("410102001", Level.COMMUNITY))
    assert streets == {"410102001": (per_street, 2), "410102002": (per_street, 0)}

    missing = client.get(
        f"{url}/missing", params={"period": "2026-07-20"}, headers=accounts_district
    ).json()
    expected_missing = [
        c for c in below(DISTRICT, Level.COMMUNITY) if c not in (COMMUNITY, neighbour)
    ]
    assert [m["area_code"] for m in missing["data"]] == expected_missing
    reminded = client.post(
        f"{url}/remind", params={"period": "2026-07-20"}, headers=accounts_district
    ).json()
    assert reminded == {"period": "2026-07-20", "reminded": len(expected_missing)}
    again = client.post(f"{url}/remind", params={"period": "2026-07-20"}, headers=accounts_district)
    assert again.json()["reminded"] is None


def test_bad_submissions_get_a_4xx_naming_the_problem(
    client: TestClient, accounts: Accounts, clock: Clock
) -> None:
    url = f"{REPORTS}/templates/{_flood_template(client, accounts)['id']}/submissions"
    officer = accounts.headers("community_officer")
    missing = {k: v for k, v in GOOD.items() if k != "on_duty"}
    response = client.post(url, json={"area_code": COMMUNITY, "values": missing}, headers=officer)
    assert_error(response, 422, "invalid_input", "required", field="values.on_duty")
    typed = client.post(
        url, json={"area_code": COMMUNITY, "values": {**GOOD, "sandbags": "many"}}, headers=officer
    )
    assert_error(typed, 422, "invalid_input", "number", field="values.sandbags")
    elsewhere = client.post(
        url, json={"area_code": "410102001002", "values": GOOD}, headers=officer
    )
    assert_error(elsewhere, 403, "forbidden", "410102001002")
    wrong_level = client.post(
        url,
        json={"area_code": "410102001", "values": GOOD},
        headers=accounts.headers("street_officer"),
    )
    assert_error(wrong_level, 422, "invalid_input", "community", field="area_code")
    bad_period = client.post(
        url, json={"area_code": COMMUNITY, "period": "July", "values": GOOD}, headers=officer
    )
    assert_error(bad_period, 422, "invalid_input", "YYYY-MM-DD", field="period")


def test_an_urgent_report_reaches_every_level_above_at_once_with_read_receipts(
    client: TestClient, accounts: Accounts, clock: Clock
) -> None:
    micro = "41010200100100101"
    sent = client.post(
        f"{REPORTS}/urgent",
        json={"area_code": micro, "title": "下穿通道积水 40 cm", "body": "已封闭"},
        headers=accounts.headers("grid_worker"),
    )
    assert sent.status_code == 201, sent.text
    assert sent.json()["delivered_to"] == chain_of(micro)[:-1]
    district = accounts.headers("district_officer")
    inbox = client.get("/api/v1/notifications", headers=district).json()
    [note] = [n for n in inbox["data"] if "急报" in n["message"]]
    assert note["urgent"] is True
    read = client.post(f"/api/v1/notifications/{note['id']}/read", headers=district)
    assert read.status_code == 200, read.text
    view = client.get(f"{REPORTS}/urgent/{sent.json()['id']}", headers=district).json()
    assert [(r["area_code"], r["username"]) for r in view["read_by"]] == [
        (DISTRICT, "district.officer")
    ]
    outsider = client.get(
        f"{REPORTS}/urgent/{sent.json()['id']}", headers=accounts.headers("leader")
    )
    assert_error(outsider, 403, "forbidden")
