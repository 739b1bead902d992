"""The inbox over HTTP, and who may open the live feed."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient
from sqlalchemy import text

from civicgrid.bootstrap import Container
from tests.api.conftest import Accounts, assert_error

MICRO = "41010200100100101"
INBOX = "/api/v1/notifications"
ROUNDS = 8  # a race needs a few tries to show


def _report_urgent(client: TestClient, accounts: Accounts) -> int:
    body = {
        "category": "event:0101",
        "description": "燃气泄漏",
        "area_code": MICRO,
        "urgency": "urgent",
    }
    created = client.post("/api/v1/cases", json=body, headers=accounts.headers("grid_worker"))
    assert created.status_code == 201, created.text
    case_id: int = created.json()["id"]
    return case_id


def test_an_urgent_case_lands_in_the_inbox_of_every_level_above_it(
    client: TestClient, accounts: Accounts
) -> None:
    case_id = _report_urgent(client, accounts)
    for who, code in [("district_officer", "410102"), ("grid_worker", MICRO)]:
        page = client.get(INBOX, headers=accounts.headers(who)).json()
        assert page["count"] == 1
        assert (page["data"][0]["case_id"], page["data"][0]["area_code"]) == (case_id, code)
        assert page["data"][0]["urgent"] is True
        assert page["data"][0]["read"] is False
    assert client.get(INBOX, headers=accounts.headers("leader")).json()["count"] == 0


def test_reading_a_notification_marks_it_for_the_reader_only(
    client: TestClient, accounts: Accounts
) -> None:
    _report_urgent(client, accounts)
    officer = accounts.headers("district_officer")
    item = client.get(INBOX, headers=officer).json()["data"][0]
    marked = client.post(f"{INBOX}/{item['id']}/read", headers=officer)
    assert marked.status_code == 200, marked.text
    assert marked.json()["read"] is True
    assert client.get(INBOX, headers=officer).json()["data"][0]["read"] is True
    assert client.post(f"{INBOX}/{item['id']}/read", headers=officer).status_code == 200
    response = client.post(f"{INBOX}/{item['id']}/read", headers=accounts.headers("leader"))
    assert_error(response, 404, "not_found", "in your inbox", field="notification_id")


def test_the_inbox_pages(client: TestClient, accounts: Accounts) -> None:
    for _ in range(3):
        _report_urgent(client, accounts)
    page = client.get(
        INBOX, params={"page": 2, "page_size": 2}, headers=accounts.headers("grid_worker")
    ).json()
    assert (len(page["data"]), page["count"], page["page"]) == (1, 3, 2)


def test_the_feed_needs_a_token_and_a_grant(client: TestClient, accounts: Accounts) -> None:
    assert_error(client.get("/api/v1/feed"), 401, "unauthenticated")
    response = client.get("/api/v1/feed", headers=accounts.headers("no_grants"))
    assert_error(response, 403, "forbidden", "no grant")


def test_two_identical_read_requests_at_once_both_succeed_and_leave_one_receipt(
    client: TestClient, accounts: Accounts, city: Container
) -> None:
    for _ in range(ROUNDS):
        _report_urgent(client, accounts)
    officer = accounts.headers("district_officer")
    ids = [item["id"] for item in client.get(INBOX, headers=officer).json()["data"]]
    assert len(ids) == ROUNDS
    for notification_id in ids:
        start = threading.Barrier(2)

        def mark(notification_id: int = notification_id, start: threading.Barrier = start) -> int:
            start.wait()
            return client.post(f"{INBOX}/{notification_id}/read", headers=officer).status_code

        with ThreadPoolExecutor(max_workers=2) as pool:
            statuses = list(pool.map(lambda _: mark(), range(2)))
        assert statuses == [200, 200], notification_id
    with city.engine.connect() as connection:
        receipts = connection.execute(
            text("SELECT notification_id, count(*) FROM notification_reads GROUP BY 1")
        ).all()
    assert sorted(receipts) == [(notification_id, 1) for notification_id in sorted(ids)]
