"""PATCH /api/v1/reports/templates/{id}: a template revised only in ways that keep the
reports already sent readable and their aggregates true."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from civicgrid.bootstrap import Container
from tests.api.conftest import Accounts, assert_error
from tests.fixtures import Clock

REPORTS = "/api/v1/reports"
DISTRICT = "410102"
COMMUNITY = "410102001001"
DAY = datetime(2026, 7, 20, 1, 0, tzinfo=UTC)  # 09:00 in Zhengzhou
GOOD = {"points_checked": 12, "points_flooded": 2, "on_duty": 6, "sandbags": 300}


@pytest.fixture
def template(city: Container, client: TestClient, accounts: Accounts) -> dict[str, Any]:
    """防汛日报 for 410102, with one community's report for the day."""
    city.clock = Clock(DAY)
    created = client.post(
        f"{REPORTS}/templates",
        json={"area_code": DISTRICT, "builtin": "flood-daily"},
        headers=accounts.headers("district_officer"),
    )
    assert created.status_code == 201, created.text
    found: dict[str, Any] = created.json()
    sent = client.post(
        f"{REPORTS}/templates/{found['id']}/submissions",
        json={"area_code": COMMUNITY, "values": GOOD},
        headers=accounts.headers("community_officer"),
    )
    assert sent.status_code == 201, sent.text
    return found


def _patch(client: TestClient, accounts: Accounts, template_id: int, body: dict[str, Any]) -> Any:
    return client.patch(
        f"{REPORTS}/templates/{template_id}",
        json=body,
        headers=accounts.headers("district_officer"),
    )


def test_a_safe_revision_changes_only_what_is_sent_and_the_report_still_aggregates(
    client: TestClient, accounts: Accounts, template: dict[str, Any]
) -> None:
    fields = [{**f, "label_en": f["label_en"].upper()} for f in template["fields"]]
    fields[1]["aggregates"] = ["mean"]
    fields.append({"key": "pumps", "type": "number", "label_zh": "水泵数", "required": False})
    answer = _patch(client, accounts, template["id"], {"name_en": "Flood daily", "fields": fields})
    assert answer.status_code == 200, answer.text
    revised = answer.json()
    assert (revised["name_zh"], revised["name_en"], revised["due_time"]) == (
        "防汛日报",
        "Flood daily",
        "18:00",
    )
    assert revised["fields"][0]["label_en"] == "WATER-LOGGING POINTS CHECKED"
    assert revised["fields"][-1]["key"] == "pumps"
    again = client.get(
        f"{REPORTS}/templates/{template['id']}", headers=accounts.headers("district_officer")
    )
    assert again.json() == revised
    rollup = client.get(
        f"{REPORTS}/templates/{template['id']}/aggregate",
        params={"period": "2026-07-20"},
        headers=accounts.headers("district_officer"),
    )
    assert rollup.status_code == 200, rollup.text
    assert rollup.json()["node"]["values"]["points_flooded"] == {"mean": 2.0}


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"schedule": "weekly"}, "schedule", "stays daily"),
        ({"submitter_level": "grid"}, "submitter_level", "stays community"),
        ({"code": "flood-weekly"}, "code", "create a new template"),
    ],
)
def test_a_revision_changing_code_level_or_schedule_is_refused(
    client: TestClient,
    accounts: Accounts,
    template: dict[str, Any],
    change: dict[str, str],
    field: str,
    words: str,
) -> None:
    answer = _patch(client, accounts, template["id"], {"name_en": "Renamed", **change})
    assert_error(answer, 422, "revision_refused", words, field=field)
    kept = client.get(
        f"{REPORTS}/templates/{template['id']}", headers=accounts.headers("district_officer")
    )
    assert kept.json() == template


def test_removing_or_retyping_a_field_is_refused_naming_it(
    client: TestClient, accounts: Accounts, template: dict[str, Any]
) -> None:
    without = [f for f in template["fields"] if f["key"] != "sandbags"]
    removed = _patch(client, accounts, template["id"], {"fields": without})
    assert_error(removed, 422, "revision_refused", "sandbags", field="fields.sandbags")
    retyped = [
        {**f, "type": "text", "aggregates": []} if f["key"] == "on_duty" else f
        for f in template["fields"]
    ]
    answer = _patch(client, accounts, template["id"], {"fields": retyped})
    assert_error(answer, 422, "revision_refused", "on_duty", field="fields.on_duty")
    kept = client.get(
        f"{REPORTS}/templates/{template['id']}", headers=accounts.headers("district_officer")
    )
    assert kept.json() == template


@pytest.mark.parametrize("who", ["community_officer", "grid_worker", "no_grants"])
def test_only_an_officer_over_the_templates_area_revises_it(
    client: TestClient, accounts: Accounts, template: dict[str, Any], who: str
) -> None:
    answer = client.patch(
        f"{REPORTS}/templates/{template['id']}",
        json={"name_zh": "改名"},
        headers=accounts.headers(who),
    )
    assert answer.status_code == 403, answer.text
    kept = client.get(
        f"{REPORTS}/templates/{template['id']}", headers=accounts.headers("district_officer")
    )
    assert kept.json()["name_zh"] == "防汛日报"


def test_revising_a_template_that_does_not_exist_is_a_404(
    client: TestClient, accounts: Accounts
) -> None:
    answer = _patch(client, accounts, 999, {"name_zh": "改名"})
    assert_error(answer, 404, "not_found", "999", field="template_id")
