"""三标 over HTTP: benchmarks and peer-derived standards, milestones checked as values
arrive or by hand, the conversion report, chains and projects."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from civicgrid.bootstrap import Container
from tests.api.conftest import Accounts, assert_error

RETAIL = "economy.retail_sales"


@pytest.fixture
def pinned(city: Container) -> Container:
    city.clock = lambda: datetime(2023, 6, 1, tzinfo=UTC)
    return city


def post(client: TestClient, accounts: Accounts, who: str, path: str, body: dict[str, Any]) -> Any:
    response = client.post(path, json=body, headers=accounts.headers(who))
    assert response.status_code in (200, 201), response.text
    return response.json()


def value(client: TestClient, accounts: Accounts, area: str, period: str, v: float) -> None:
    post(
        client,
        accounts,
        "city_admin",
        "/api/v1/indicators/values",
        {"indicator": RETAIL, "area": area, "period": period, "value": v, "source": "synthetic"},
    )


def test_peers_and_groups_feed_derived_standards(
    pinned: Container, client: TestClient, accounts: Accounts
) -> None:
    peers = {}
    for zh, en, kind, city in (
        ("苏州工业园区", "Suzhou Industrial Park", "park", "苏州"),
        ("宁波鄞州区", "Ningbo Yinzhou", "district", "宁波"),
        ("成都高新区", "Chengdu Hi-tech Zone", "park", "成都"),
    ):
        denied = client.post(
            "/api/v1/benchmarks/peers",
            headers=accounts.headers("leader"),
            json={"name_zh": zh, "name_en": en, "kind": kind, "city_zh": city, "city_en": city},
        )
        assert_error(denied, 403, "forbidden")
        peers[zh] = post(
            client,
            accounts,
            "city_admin",
            "/api/v1/benchmarks/peers",
            {"name_zh": zh, "name_en": en, "kind": kind, "city_zh": city, "city_en": city},
        )["id"]
    for zh, v in (("苏州工业园区", 1100.0), ("宁波鄞州区", 1500.0), ("成都高新区", 1000.0)):
        client.put(
            f"/api/v1/benchmarks/peers/{peers[zh]}/values",
            json={"indicator": RETAIL, "year": 2022, "value": v, "source": "synthetic"},
            headers=accounts.headers("city_admin"),
        )
    group = post(
        client,
        accounts,
        "city_admin",
        "/api/v1/benchmarks/groups",
        {
            "name_zh": "考察三城",
            "name_en": "The study-tour three",
            "peer_ids": [peers["苏州工业园区"], peers["成都高新区"]],
        },
    )
    officer = "district_officer"
    factor = post(
        client,
        accounts,
        officer,
        "/api/v1/standards",
        {
            "area": "410102",
            "indicator": RETAIL,
            "period": "2023",
            "rule": "peer_factor",
            "peer_id": peers["成都高新区"],
            "factor": 1.05,
        },
    )
    assert factor["target"] == pytest.approx(1050)
    assert factor["derivation"] == "= 成都高新区 2022 value × 1.05"
    best = post(
        client,
        accounts,
        officer,
        "/api/v1/standards",
        {
            "area": "410102",
            "indicator": RETAIL,
            "period": "2024",
            "rule": "best_peer",
            "group_id": group["id"],
        },
    )
    assert best["target"] == 1100
    assert best["derivation"] == "= 苏州工业园区 2022 value (best of 2)"
    median = post(
        client,
        accounts,
        officer,
        "/api/v1/standards",
        {"area": "410102", "indicator": RETAIL, "period": "2025", "rule": "peer_median"},
    )
    assert median["target"] == 1100
    listed = client.get(
        "/api/v1/benchmarks", params={"indicator": RETAIL}, headers=accounts.headers("grid_worker")
    ).json()
    assert len(listed["peers"]) == 3
    assert len(listed["values"]) == 3
    value(client, accounts, "410102", "2022", 950)
    gaps = client.get(
        "/api/v1/gaps",
        params={"area": "410102", "period": "2022"},
        headers=accounts.headers(officer),
    ).json()
    row = next(r for r in gaps["data"] if r["indicator"]["code"] == RETAIL)
    assert row["benchmark"]["peer_name"] == "宁波鄞州区"
    assert row["gap_to_benchmark"]["absolute"] == 550


def test_a_milestone_is_achieved_when_a_value_meets_it_and_otherwise_forecast(
    pinned: Container, client: TestClient, accounts: Accounts
) -> None:
    for year, v in (("2019", 800), ("2020", 850), ("2021", 900), ("2022", 950)):
        value(client, accounts, "410102", year, v)
    body = {
        "area": "410102",
        "title_zh": "社会消费品零售总额突破1100亿元",
        "title_en": "Retail sales above 110 bn yuan",
        "deadline": "2023-12-31",
        "condition": {"indicator": RETAIL, "comparison": ">=", "threshold": 1100},
        "provenance": "source document",
    }
    made = post(client, accounts, "district_officer", "/api/v1/milestones", body)
    # +50 a year reaches 1,000 by the end of 2023: the forecast says it is at risk.
    assert made["status"] == "at_risk"
    assert made["forecast"]["probability"] < 0.5
    assert made["forecast"]["slope_per_year"] == pytest.approx(50, rel=0.01)
    easy = post(
        client,
        accounts,
        "district_officer",
        "/api/v1/milestones",
        {**body, "title_zh": "突破1000亿元", "condition": {**body["condition"], "threshold": 990}},
    )
    assert easy["status"] == "on_track"
    value(client, accounts, "410102", "2023", 1120)
    listed = client.get(
        "/api/v1/milestones",
        params={"area": "410102"},
        headers=accounts.headers("district_officer"),
    ).json()
    assert {m["status"] for m in listed["data"]} == {"achieved"}
    assert listed["data"][0]["achieved_on"] == "2023-12-31"
    outside = client.get(
        "/api/v1/milestones", params={"area": "410102"}, headers=accounts.headers("leader")
    )
    assert_error(outside, 403, "forbidden")


def test_a_milestone_checked_by_hand_needs_evidence_then_an_approver(
    pinned: Container, client: TestClient, accounts: Accounts
) -> None:
    made = post(
        client,
        accounts,
        "district_officer",
        "/api/v1/milestones",
        {
            "area": "410102",
            "title_zh": "四个突破",
            "title_en": "Four breakthroughs",
            "deadline": "2023-12-31",
            "group": "四个突破、四个新增、三个提升",
        },
    )
    assert made["status"] == "not_started"
    early = client.post(
        f"/api/v1/milestones/{made['id']}/approval",
        json={"on": "2023-06-01"},
        headers=accounts.headers("district_officer"),
    )
    assert_error(early, 422, "invalid_input", "evidence", field="evidence")
    evidence = {"evidence": ["attachment:abc123", "report 2023-05"]}
    below = client.post(
        f"/api/v1/milestones/{made['id']}/evidence",
        json=evidence,
        headers=accounts.headers("grid_worker"),
    )
    assert_error(below, 403, "forbidden")  # a micro-grid's worker cannot speak for the district
    shown = post(
        client,
        accounts,
        "department_handler",
        f"/api/v1/milestones/{made['id']}/evidence",
        evidence,
    )
    assert shown["status"] == "on_track"
    denied = client.post(
        f"/api/v1/milestones/{made['id']}/approval",
        json={"on": "2023-06-01"},
        headers=accounts.headers("department_handler"),
    )
    assert_error(denied, 403, "forbidden")  # who shows the evidence does not approve it
    approved = post(
        client,
        accounts,
        "district_officer",
        f"/api/v1/milestones/{made['id']}/approval",
        {"on": "2023-06-01"},
    )
    assert (approved["status"], approved["approved_by"]) == ("achieved", "district.officer")


def test_projects_count_as_indicators_and_the_conversion_report_flags_gaps(
    pinned: Container, client: TestClient, accounts: Accounts
) -> None:
    officer = "district_officer"
    chain = post(
        client,
        accounts,
        officer,
        "/api/v1/chains",
        {
            "area": "410102",
            "name_zh": "铝加工",
            "name_en": "Aluminium processing",
            "leader": "副区长",
            "enterprises": ["甲公司", "乙公司"],
        },
    )
    for n, amount in enumerate((2.5, 4.0)):
        post(
            client,
            accounts,
            officer,
            "/api/v1/projects",
            {
                "area": "410102001",
                "chain_id": chain["id"],
                "name": f"项目{n}",
                "amount": amount,
                "stage": "signed",
                "stage_dates": {"negotiating": "2023-01-05", "signed": "2023-03-01"},
            },
        )
    bad = client.post(
        "/api/v1/projects",
        headers=accounts.headers(officer),
        json={
            "area": "410102",
            "name": "x",
            "amount": 1,
            "stage": "started",
            "stage_dates": {"signed": "2023-03-01"},
        },
    )
    assert_error(bad, 422, "invalid_input", "started", field="dates")
    listed = client.get(
        "/api/v1/projects", params={"area": "410102"}, headers=accounts.headers(officer)
    ).json()
    assert listed["totals"] == [
        {"chain_id": chain["id"], "stage": "signed", "count": 2, "amount": 6.5}
    ]
    moved = post(
        client,
        accounts,
        officer,
        f"/api/v1/projects/{listed['data'][0]['id']}/stage",
        {"stage": "started", "on": "2023-05-01"},
    )
    assert moved["stage"] == "started"
    gaps = client.get(
        "/api/v1/gaps",
        headers=accounts.headers(officer),
        params={
            "area": "410102",
            "period": "2023",
            "indicator": ["investment.signed_amount", "investment.started_count"],
        },
    ).json()
    got = {r["indicator"]["code"]: r["value"] for r in gaps["data"]}
    assert got == {"investment.signed_amount": 6.5, "investment.started_count": 1.0}
    goal = post(
        client,
        accounts,
        officer,
        "/api/v1/milestones",
        {
            "area": "410102",
            "title_zh": "新签约项目2个",
            "title_en": "Two projects signed",
            "deadline": "2023-12-31",
            "condition": {
                "indicator": "investment.signed_count",
                "comparison": ">=",
                "threshold": 2,
            },
        },
    )
    lesson = post(
        client,
        accounts,
        officer,
        "/api/v1/conversion/lessons",
        {
            "area": "410102",
            "title_zh": "链长制",
            "title_en": "Chain leaders",
            "source": "source document",
            "indicators": ["investment.signed_count"],
            "recorded_at": "2023-05-14T00:00:00+08:00",
        },
    )
    idle = post(
        client,
        accounts,
        officer,
        "/api/v1/conversion/lessons",
        {
            "area": "410102",
            "title_zh": "跟班挂职",
            "title_en": "Secondments",
            "source": "source document",
        },
    )
    post(
        client,
        accounts,
        officer,
        f"/api/v1/conversion/lessons/{lesson['id']}/actions",
        {"kind": "project", "title": "铝加工招商", "milestone_ids": [goal["id"]]},
    )
    post(
        client,
        accounts,
        officer,
        f"/api/v1/conversion/lessons/{lesson['id']}/actions",
        {"kind": "policy", "title": "惠企政策"},
    )
    report = client.get(
        "/api/v1/conversion", params={"area": "410102"}, headers=accounts.headers(officer)
    ).json()
    assert (report["lessons_without_action"], report["actions_without_result"]) == (1, 1)
    by_id = {r["lesson"]["id"]: r for r in report["data"]}
    assert by_id[idle["id"]]["without_action"] is True
    actions = by_id[lesson["id"]]["actions"]
    assert [a["measurable"] for a in actions] == [True, False]
    assert actions[0]["milestones"][0]["status"] == "achieved"
