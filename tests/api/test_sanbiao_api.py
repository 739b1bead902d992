"""三标 over HTTP: the catalogue, reported values with corrections, standards, cascades,
gaps and rankings, each inside the caller's jurisdiction."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import Accounts, assert_error

RETAIL = "economy.retail_sales"


def enter(
    client: TestClient,
    accounts: Accounts,
    who: str,
    area: str,
    period: str,
    value: float,
    reason: str = "",
) -> Any:
    body = {
        "indicator": RETAIL,
        "area": area,
        "period": period,
        "value": value,
        "source": "statistics bulletin (synthetic)",
        "reason": reason,
    }
    return client.post("/api/v1/indicators/values", json=body, headers=accounts.headers(who))


def test_the_catalogue_lists_built_in_indicators_and_takes_new_reported_ones(
    client: TestClient, accounts: Accounts
) -> None:
    listed = client.get("/api/v1/indicators/catalogue", headers=accounts.headers("grid_worker"))
    assert listed.status_code == 200
    by_code = {i["code"]: i for i in listed.json()["data"]}
    assert by_code[RETAIL]["name_zh"] == "社会消费品零售总额"
    assert by_code["cases.on_time_close_rate"]["kind"] == "computed"
    assert by_code["cases.on_time_close_rate"]["weight"] == "cases.due_to_close"
    assert by_code["directives.feedback_rate"]["source"] == "directives"
    new = {
        "code": "economy.tourists",
        "name_zh": "游客人次",
        "name_en": "Tourist visits",
        "unit": "万人次",
        "direction": "higher",
        "aggregation": "sum",
        "periodicity": "year",
        "theme": "recreation",
    }
    denied = client.post(
        "/api/v1/indicators/catalogue", json=new, headers=accounts.headers("district_officer")
    )
    assert_error(denied, 403, "forbidden", "administrators")
    created = client.post(
        "/api/v1/indicators/catalogue", json=new, headers=accounts.headers("city_admin")
    )
    assert created.status_code == 201, created.text
    again = client.post(
        "/api/v1/indicators/catalogue", json=new, headers=accounts.headers("city_admin")
    )
    assert_error(again, 409, "conflict", "economy.tourists", field="code")
    listed = client.get("/api/v1/indicators/catalogue", headers=accounts.headers("grid_worker"))
    assert "economy.tourists" in {i["code"] for i in listed.json()["data"]}


def test_a_correction_is_a_new_version_with_a_reason_and_history_keeps_the_old(
    client: TestClient, accounts: Accounts
) -> None:
    first = enter(client, accounts, "district_officer", "410102", "2022", 900)
    assert first.status_code == 201, first.text
    assert first.json()["version"] == 1
    no_reason = enter(client, accounts, "district_officer", "410102", "2022", 910)
    assert_error(no_reason, 422, "invalid_input", "reason", field="reason")
    fixed = enter(client, accounts, "district_officer", "410102", "2022", 910, "bureau revised")
    assert fixed.json()["version"] == 2
    history = client.get(
        "/api/v1/indicators/values",
        headers=accounts.headers("leader"),
        params={"indicator": RETAIL, "area": "410102", "period": "2022"},
    )
    # The leader's grant is on 410103: 410102's history is outside it.
    assert_error(history, 403, "forbidden")
    history = client.get(
        "/api/v1/indicators/values",
        headers=accounts.headers("district_officer"),
        params={"indicator": RETAIL, "area": "410102", "period": "2022"},
    )
    versions = history.json()["data"]
    assert [(v["version"], v["value"], v["reason"]) for v in versions] == [
        (1, 900.0, ""),
        (2, 910.0, "bureau revised"),
    ]
    assert versions[0]["entered_by"] == "district.officer"


@pytest.mark.parametrize(
    ("body", "status", "mention"),
    [
        ({"indicator": "cases.filed", "period": "2023-05"}, 422, "computed"),
        ({"period": "2023-05"}, 422, "by year"),
        ({"indicator": "no.such"}, 404, "no.such"),
        ({"area": "410103"}, 403, "jurisdiction"),
        ({"area": "4109999"}, 404, "4109999"),
    ],
)
def test_bad_values_are_refused_with_the_reason(
    client: TestClient, accounts: Accounts, body: dict[str, Any], status: int, mention: str
) -> None:
    sent = {
        "indicator": RETAIL,
        "area": "410102",
        "period": "2023",
        "value": 1.0,
        "source": "synthetic",
        **body,
    }
    response = client.post(
        "/api/v1/indicators/values", json=sent, headers=accounts.headers("district_officer")
    )
    assert response.status_code == status, response.text
    assert mention in response.json()["error"]["message"]


def test_gaps_show_the_standard_the_trend_and_the_rank_among_siblings(
    client: TestClient, accounts: Accounts
) -> None:
    for year, east, west in ((2020, 800, 700), (2021, 850, 760), (2022, 900, 950)):
        enter(client, accounts, "city_admin", "410102", str(year), east)
        enter(client, accounts, "city_admin", "410103", str(year), west)
    standard = client.post(
        "/api/v1/standards",
        json={
            "area": "410102",
            "indicator": RETAIL,
            "period": "2022",
            "rule": "manual",
            "target": 1000,
        },
        headers=accounts.headers("district_officer"),
    )
    assert standard.status_code == 201, standard.text
    assert "set by hand by district.officer" in standard.json()["derivation"]
    gaps = client.get(
        "/api/v1/gaps",
        params={"area": "410102", "period": "2022"},
        headers=accounts.headers("district_officer"),
    )
    assert gaps.status_code == 200, gaps.text
    row = next(r for r in gaps.json()["data"] if r["indicator"]["code"] == RETAIL)
    assert row["value"] == 900
    assert row["gap_to_standard"] == {"absolute": 100.0, "relative": 0.1}
    assert row["trend"] == "improving"
    assert row["slope_per_year"] == pytest.approx(50.0, rel=1e-3)  # per 365.25 days
    assert row["rank_among_siblings"] == {"rank": 2, "of": 2}
    ranking = client.get(
        "/api/v1/gaps/ranking",
        headers=accounts.headers("city_admin"),
        params={"indicator": RETAIL, "period": "2022", "areas": "410102,410103"},
    )
    rows = ranking.json()["data"]
    assert [(r["area"]["code"], r["rank"]["rank"], r["change"]) for r in rows] == [
        ("410103", 1, 1),
        ("410102", 2, -1),
    ]


def test_derived_standards_show_their_derivation(client: TestClient, accounts: Accounts) -> None:
    enter(client, accounts, "city_admin", "410102", "2021", 800)
    enter(client, accounts, "city_admin", "410103", "2023", 1200)
    enter(client, accounts, "city_admin", "410102", "2023", 1000)
    headers = accounts.headers("district_officer")
    improve = client.post(
        "/api/v1/standards",
        headers=headers,
        json={
            "area": "410102",
            "indicator": RETAIL,
            "period": "2023",
            "rule": "improve",
            "rate_percent": 10,
            "baseline_period": "2021",
        },
    )
    assert improve.status_code == 201, improve.text
    assert improve.json()["target"] == pytest.approx(800 * 1.1 ** (730 / 365.25))
    assert improve.json()["derivation"].startswith("= 2021 value 800 × 1.1^")
    top = client.post(
        "/api/v1/standards",
        headers=headers,
        json={
            "area": "410102",
            "indicator": RETAIL,
            "period": "2023",
            "rule": "top_siblings",
            "top_percent": 50,
        },
    )
    assert top.json()["target"] == 1200
    assert "top 50% of 2 siblings (2023)" in top.json()["derivation"]
    listed = client.get("/api/v1/standards", params={"area": "410102"}, headers=headers)
    assert listed.json()["count"] == 1  # one standard per (area, indicator, period): replaced


def test_a_cascade_splits_by_weights_and_refuses_parts_that_do_not_fit(
    client: TestClient, accounts: Accounts
) -> None:
    headers = accounts.headers("district_officer")
    whole = client.post(
        "/api/v1/standards",
        headers=headers,
        json={
            "area": "410102",
            "indicator": RETAIL,
            "period": "2023",
            "rule": "manual",
            "target": 1100,
        },
    )
    sid = whole.json()["id"]
    missing = client.post(
        f"/api/v1/standards/{sid}/cascade", headers=headers, json={"weights": {"410102001": 1}}
    )
    assert_error(missing, 422, "invalid_input", "410102002", field="weights")
    parts = client.post(
        f"/api/v1/standards/{sid}/cascade",
        headers=headers,
        json={"weights": {"410102001": 3, "410102002": 1}},
    )
    assert parts.status_code == 201, parts.text
    got = {p["area"]: p["target"] for p in parts.json()["data"]}
    assert got == {"410102001": 825.0, "410102002": 275.0}
    assert all(p["parent_id"] == sid and p["rule"] == "cascade" for p in parts.json()["data"])
    street = client.post(
        f"/api/v1/standards/{sid}/cascade",
        json={"weights": {"410102001": 1}},
        headers=accounts.headers("street_officer"),
    )
    assert_error(street, 403, "forbidden")


def test_a_cascade_in_proportion_to_a_base_indicator_names_missing_children(
    client: TestClient, accounts: Accounts
) -> None:
    headers = accounts.headers("district_officer")
    whole = client.post(
        "/api/v1/standards",
        headers=headers,
        json={
            "area": "410102",
            "indicator": RETAIL,
            "period": "2023",
            "rule": "manual",
            "target": 1000,
        },
    )
    sid = whole.json()["id"]
    body = {"base_indicator": RETAIL, "base_period": "2022"}
    enter(client, accounts, "district_officer", "410102001", "2022", 300)
    missing = client.post(f"/api/v1/standards/{sid}/cascade", headers=headers, json=body)
    assert_error(missing, 422, "invalid_input", "410102002", "2022", field="base_indicator")
    enter(client, accounts, "district_officer", "410102002", "2022", 100)
    parts = client.post(f"/api/v1/standards/{sid}/cascade", headers=headers, json=body)
    assert parts.status_code == 201, parts.text
    got = {p["area"]: (p["target"], p["derivation"]) for p in parts.json()["data"]}
    assert got["410102001"][0] == 750.0
    assert got["410102002"][0] == 250.0
    assert "share by 2022 economy.retail_sales" in got["410102002"][1]
    both = client.post(
        f"/api/v1/standards/{sid}/cascade",
        headers=headers,
        json={**body, "weights": {"410102001": 1}},
    )
    assert_error(both, 422, "invalid_input", "either", field="weights")
