"""/api/v1/enterprises over HTTP on both engines: registry, officials, requests, errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from tests.api.conftest import Accounts, assert_error

BASE = "/api/v1/enterprises"
USCC = "91350100M000100Y43"
OTHER = "91110000600037341L"
MICRO = "41010200100100101"


def _create(
    client: TestClient, accounts: Accounts, who: str = "city_admin", **fields: object
) -> dict[str, object]:
    body = {"uscc": USCC, "name": "郑州示例机械有限公司", "area_code": MICRO, **fields}
    response = client.post(BASE, json=body, headers=accounts.headers(who))
    assert response.status_code == 201, response.text
    created: dict[str, object] = response.json()
    return created


def test_an_enterprise_is_registered_and_read_back_with_its_history(
    client: TestClient, accounts: Accounts
) -> None:
    created = _create(client, accounts, "street_officer", contact_name="王经理")
    assert (created["uscc"], created["area_code"], created["located_level"]) == (
        USCC,
        MICRO,
        "micro-grid",
    )
    read = client.get(f"{BASE}/{USCC.lower()}", headers=accounts.headers("district_officer"))
    assert read.status_code == 200
    body = read.json()
    assert body["contact_name"] == "王经理"
    assert [(h["kind"], h["actor"]) for h in body["history"]] == [("registered", "street.officer")]
    assert body["history"][0]["kind_zh"] == "企业登记"
    assert body["requests"] == []


def test_a_bad_uscc_is_refused_naming_the_check_digit(
    client: TestClient, accounts: Accounts
) -> None:
    headers = accounts.headers("city_admin")
    body = {"uscc": "91350100M000100Y44", "name": "x", "area_code": MICRO}
    response = client.post(BASE, json=body, headers=headers)
    assert_error(response, 422, "invalid_input", "check digit", "the first 17 give 3", field="uscc")
    short = client.post(BASE, json={**body, "uscc": "9135"}, headers=headers)
    assert_error(short, 422, "invalid_input", "has 4 characters", field="uscc")
    in_path = client.get(f"{BASE}/91350100M000100Y44", headers=headers)
    assert_error(in_path, 422, "invalid_input", "check digit", field="uscc")


def test_outside_the_subtree_is_403_and_unknown_is_404(
    client: TestClient, accounts: Accounts
) -> None:
    outside = client.post(
        BASE,
        json={"uscc": OTHER, "name": "二七示例", "area_code": "410103001"},
        headers=accounts.headers("district_officer"),
    )
    assert_error(outside, 403, "forbidden", "outside their jurisdiction")
    _create(client, accounts, uscc=OTHER, area_code="410103001")
    hidden = client.get(f"{BASE}/{OTHER}", headers=accounts.headers("street_officer"))
    assert_error(hidden, 403, "forbidden", OTHER)
    unknown = client.get(f"{BASE}/{USCC}", headers=accounts.headers("city_admin"))
    assert_error(unknown, 404, "not_found", USCC, field="uscc")
    request = client.post(
        f"{BASE}/{USCC}/requests",
        json={"kind": "permit", "description": "办证"},
        headers=accounts.headers("city_admin"),
    )
    assert_error(request, 404, "not_found", USCC, field="uscc")
    again = client.post(
        BASE,
        json={"uscc": OTHER, "name": "重复", "area_code": "410103"},
        headers=accounts.headers("city_admin"),
    )
    assert_error(again, 409, "conflict", "registered already", field="uscc")
    assert client.get(BASE).status_code == 401


def test_a_listing_holds_only_the_callers_subtree(client: TestClient, accounts: Accounts) -> None:
    _create(client, accounts)
    _create(client, accounts, uscc=OTHER, name="二七示例食品厂", area_code="410103001")
    everyone = client.get(BASE, headers=accounts.headers("city_admin")).json()
    assert (everyone["count"], [x["uscc"] for x in everyone["data"]]) == (2, [USCC, OTHER])
    mine = client.get(BASE, headers=accounts.headers("street_officer")).json()
    assert [x["uscc"] for x in mine["data"]] == [USCC]
    named = client.get(BASE, params={"name": "食品"}, headers=accounts.headers("city_admin"))
    assert [x["uscc"] for x in named.json()["data"]] == [OTHER]
    foreign = client.get(
        BASE, params={"within": "410103"}, headers=accounts.headers("district_officer")
    )
    assert_error(foreign, 403, "forbidden", "410103")
    assert client.get(BASE, headers=accounts.headers("no_grants")).json()["count"] == 0


def test_an_official_is_assigned_who_can_see_the_enterprise(
    client: TestClient, accounts: Accounts
) -> None:
    _create(client, accounts)
    accounts.token("street_officer")  # creates the user
    accounts.token("leader")  # granted in 410103 only
    headers = accounts.headers("district_officer")
    url = f"{BASE}/{USCC}/official"
    far = client.put(url, json={"username": "leader"}, headers=headers)
    assert_error(far, 422, "invalid_input", "holds no grant covering", field="username")
    nobody = client.put(url, json={"username": "nobody"}, headers=headers)
    assert_error(nobody, 404, "not_found", "nobody", field="username")
    done = client.put(url, json={"username": "street.officer"}, headers=headers)
    assert done.status_code == 200, done.text
    assert done.json()["official"] == "street.officer"
    assert done.json()["history"][-1]["data"] == {"official": "street.officer"}
    worker = client.put(
        url, json={"username": "street.officer"}, headers=accounts.headers("grid_worker")
    )
    assert_error(worker, 403, "forbidden")


def test_a_request_becomes_a_timed_enterprise_case_listed_with_its_status(
    client: TestClient, accounts: Accounts
) -> None:
    _create(client, accounts)
    headers = {**accounts.headers("street_officer"), "Idempotency-Key": "req-1"}
    url = f"{BASE}/{USCC}/requests"
    body = {"kind": "electricity", "description": "新厂房需要增容用电"}
    first = client.post(url, json=body, headers=headers)
    assert first.status_code == 201, first.text
    case = first.json()
    assert (case["category"], case["source"], case["area_code"]) == (
        "event:1002",
        "enterprise",
        MICRO,
    )
    assert case["deadline_at"] is not None
    retry = client.post(url, json=body, headers=headers)
    assert (retry.status_code, retry.json()["id"]) == (200, case["id"])
    detail = client.get(f"{BASE}/{USCC}", headers=accounts.headers("community_officer")).json()
    assert [(r["case_id"], r["kind"], r["status"], r["stage"]) for r in detail["requests"]] == [
        (case["id"], "electricity", "open", "collect")
    ]
    assert detail["requests"][0]["kind_zh"] == "用电保障"
    assert detail["requests"][0]["responsible_department"] == "power_supply"
    bad_kind = client.post(url, json={**body, "kind": "bribe"}, headers=headers)
    assert_error(bad_kind, 422, "invalid_input", field="kind")
    long_key = {**headers, "Idempotency-Key": "k" * 101}
    too_long = client.post(url, json=body, headers=long_key)
    assert_error(too_long, 422, "invalid_input", field="idempotency-key")
    leader = client.post(url, json=body, headers=accounts.headers("leader"))
    assert_error(leader, 403, "forbidden")


def test_the_indicators_count_enterprise_requests_apart(
    client: TestClient, accounts: Accounts
) -> None:
    _create(client, accounts)
    headers = accounts.headers("city_admin")
    for kind in ("permit", "labour"):
        response = client.post(
            f"{BASE}/{USCC}/requests", json={"kind": kind, "description": "诉求"}, headers=headers
        )
        assert response.status_code == 201, response.text
    now = datetime.now(UTC)
    period = {
        "area": "410100",
        "from": (now - timedelta(days=1)).isoformat(),
        "to": (now + timedelta(days=1)).isoformat(),
    }
    url = "/api/v1/indicators/cases"
    only = client.get(url, params={**period, "enterprise": "true"}, headers=headers).json()
    others = client.get(url, params={**period, "enterprise": "false"}, headers=headers).json()
    assert only["enterprise"] is True
    assert (only["indicators"]["reported"], only["indicators"]["enterprise_requests"]) == (2, 2)
    assert (others["indicators"]["reported"], others["indicators"]["enterprise_requests"]) == (0, 0)
