"""Directives over HTTP on the small city: issue → receipts → sign → roll-up → feedback."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from civicgrid.bootstrap import Container
from civicgrid.domain.areas import Level
from tests.api.conftest import Accounts, assert_error, below, path_of
from tests.api.test_attachments_api import png
from tests.fixtures import Clock

DIRECTIVES = "/api/v1/directives"
DISTRICT = "410102"
MICRO = "41010200100100101"  # the grid worker's micro-grid
OTHER_MICRO = "41010200100100102"
START = datetime(2026, 7, 20, 0, 0, tzinfo=UTC)  # 08:00 in Zhengzhou


@pytest.fixture
def clock(city: Container) -> Clock:
    fixed = Clock(START)
    city.clock = fixed
    return fixed


FORM = [
    {"key": "points_checked", "type": "number", "label_zh": "检查积水点数", "label_en": "Points"},
    {"key": "standing_water", "type": "yes_no", "label_zh": "是否积水", "label_en": "Water?"},
    {"key": "photos", "type": "photo", "label_zh": "现场照片", "label_en": "Photos"},
]


def _issue(client: TestClient, accounts: Accounts, **selection: Any) -> dict[str, Any]:
    body = {
        "title_zh": "检查积水点",
        "title_en": "Check water-logging points",
        "body_zh": "18:00 前完成并上传照片",
        "sign_deadline_at": (START + timedelta(hours=2)).isoformat(),
        "complete_deadline_at": (START + timedelta(hours=10)).isoformat(),
        "form": FORM,
        "selection": selection or {"level": "micro-grid"},
    }
    response = client.post(DIRECTIVES, json=body, headers=accounts.headers("district_officer"))
    assert response.status_code == 201, response.text
    issued: dict[str, Any] = response.json()
    return issued


def test_a_directive_to_every_micro_grid_reaches_each_one_and_rolls_up_by_street(
    client: TestClient, accounts: Accounts, clock: Clock
) -> None:
    expected = below(DISTRICT, Level.MICRO_GRID)
    preview = client.post(
        f"{DIRECTIVES}/preview",
        json={"selection": {"level": "micro-grid"}},
        headers=accounts.headers("district_officer"),
    )
    assert preview.json() == {
        "issuer_code": DISTRICT,
        "total": len(expected),
        "by_level": {"micro-grid": len(expected)},
    }
    issued = _issue(client, accounts)
    assert (issued["target_count"], issued["by_level"]) == (len(expected), {"micro-grid": 16})

    inbox = client.get("/api/v1/notifications", headers=accounts.headers("grid_worker")).json()
    assert inbox["count"] == 1
    assert f"directive {issued['id']}" in inbox["data"][0]["message"]

    url = f"{DIRECTIVES}/{issued['id']}"
    signed = client.post(f"{url}/receipts/{MICRO}/sign", headers=accounts.headers("grid_worker"))
    assert signed.status_code == 200, signed.text
    assert (signed.json()["state"], signed.json()["signed_version"]) == ("signed", 1)
    again = client.post(f"{url}/receipts/{MICRO}/sign", headers=accounts.headers("grid_worker"))
    assert_error(again, 409, "conflict", "already")

    rollup = client.get(f"{url}/rollup", headers=accounts.headers("district_officer")).json()
    assert rollup["node"]["code"] == DISTRICT
    assert (rollup["node"]["targeted"], rollup["node"]["signed"]) == (16, 1)
    streets = {row["code"]: (row["targeted"], row["signed"]) for row in rollup["children"]}
    assert streets == {"410102001": (8, 1), "410102002": (8, 0)}

    laggards = client.get(
        f"{url}/receipts",
        params={"show": "unsigned", "within": "410102001"},
        headers=accounts.headers("district_officer"),
    ).json()
    unsigned = [c for c in below("410102001", Level.MICRO_GRID) if c != MICRO]
    assert [r["area_code"] for r in laggards["data"]] == sorted(unsigned, key=path_of)
    assert laggards["count"] == 7


def test_feedback_is_checked_against_the_form_and_photos_must_be_uploaded_first(
    client: TestClient, accounts: Accounts, clock: Clock
) -> None:
    url = f"{DIRECTIVES}/{_issue(client, accounts)['id']}/receipts/{MICRO}"
    worker = accounts.headers("grid_worker")
    early = client.post(f"{url}/feedback", json={"values": {}}, headers=worker)
    assert_error(early, 409, "conflict", "must sign")
    client.post(f"{url}/sign", headers=worker)

    missing = client.post(f"{url}/feedback", json={"values": {"points_checked": 3}}, headers=worker)
    assert_error(missing, 422, "invalid_input", "required", field="values.standing_water")
    wrong = {"points_checked": "three", "standing_water": False, "photos": ["x"]}
    typed = client.post(f"{url}/feedback", json={"values": wrong}, headers=worker)
    assert_error(typed, 422, "invalid_input", "number", field="values.points_checked")
    unknown = {"points_checked": 3, "standing_water": False, "photos": ["0" * 32]}
    not_uploaded = client.post(f"{url}/feedback", json={"values": unknown}, headers=worker)
    assert_error(not_uploaded, 422, "invalid_input", "upload it first", field="values")

    photo = client.post(
        "/api/v1/attachments", files={"file": ("p.png", png(), "image/png")}, headers=worker
    ).json()["id"]
    good = {"points_checked": 3, "standing_water": False, "photos": [photo]}
    done = client.post(f"{url}/feedback", json={"values": good, "note": "ok"}, headers=worker)
    assert done.status_code == 200, done.text
    assert done.json()["state"] == "done"
    assert done.json()["feedback"] == {**good, "points_checked": 3.0}

    officer = accounts.headers("district_officer")
    seen = client.get(f"{url}/photos/{photo}", headers=officer)
    assert (seen.status_code, seen.content) == (200, png())
    elsewhere = url.replace(MICRO, OTHER_MICRO)
    assert client.get(f"{elsewhere}/photos/{photo}", headers=officer).status_code == 404

    forbidden = client.post(f"{url}/rework", json={"reason": "blurry"}, headers=worker)
    assert_error(forbidden, 403, "forbidden", "officer")
    back = client.post(
        f"{url}/rework", json={"reason": "blurry"}, headers=accounts.headers("district_officer")
    )
    assert back.json()["state"] == "rework"
    detail = client.get(url, headers=worker).json()
    assert [e["type"] for e in detail["history"]] == ["signed", "completed", "rework"]


def test_selections_outside_the_subtree_or_matching_nothing_are_refused(
    client: TestClient, accounts: Accounts, clock: Clock
) -> None:
    officer = accounts.headers("district_officer")
    base = {"title_zh": "t", "form": []}
    outside = client.post(
        DIRECTIVES, json={**base, "selection": {"within": "410103"}}, headers=officer
    )
    assert_error(outside, 403, "forbidden", "410103", field="selection.within")
    foreign = client.post(
        DIRECTIVES, json={**base, "selection": {"codes": ["41010300100100101"]}}, headers=officer
    )
    assert_error(foreign, 403, "forbidden", "41010300100100101", field="selection.codes")
    nothing = client.post(
        DIRECTIVES, json={**base, "selection": {"tags": ["flood-risk"]}}, headers=officer
    )
    assert_error(nothing, 422, "invalid_input", "matches no unit", field="selection")
    worker = client.post(
        DIRECTIVES,
        json={**base, "selection": {"level": "micro-grid"}},
        headers=accounts.headers("grid_worker"),
    )
    assert worker.status_code == 422  # a grid worker holds no officer's role to issue from


def test_tags_select_units_and_a_material_revision_asks_for_a_new_signature(
    client: TestClient, accounts: Accounts, clock: Clock
) -> None:
    officer = accounts.headers("district_officer")
    for code in (MICRO, OTHER_MICRO):
        tagged = client.post(
            f"/api/v1/areas/{code}/tags", json={"add": ["flood-risk"]}, headers=officer
        )
        assert tagged.json()["tags"] == ["flood-risk"]
    issued = _issue(client, accounts, tags=["flood-risk"])
    assert issued["target_count"] == 2
    url = f"{DIRECTIVES}/{issued['id']}"
    worker = accounts.headers("grid_worker")
    client.post(f"{url}/receipts/{MICRO}/sign", headers=worker)

    later = client.patch(url, json={"priority": "high"}, headers=officer).json()
    assert (later["version"], later["material_version"]) == (2, 1)
    assert client.get(f"{url}/receipts/{MICRO}", headers=worker).json()["needs_signature"] is False
    changed = client.patch(url, json={"body_zh": "改为 17:00 前"}, headers=officer).json()
    assert (changed["version"], changed["material_version"]) == (3, 3)
    receipt = client.get(f"{url}/receipts/{MICRO}", headers=worker).json()
    assert receipt["needs_signature"] is True
    versions = client.get(f"{url}/versions", headers=worker).json()
    assert [(v["version"], v["material"]) for v in versions] == [(1, True), (2, False), (3, True)]
    assert set(versions[2]["changes"]) == {"body_zh"}
    resigned = client.post(f"{url}/receipts/{MICRO}/sign", headers=worker)
    assert resigned.json()["signed_version"] == 3

    revoked = client.post(f"{url}/revoke", json={"reason": "雨停"}, headers=officer)
    assert revoked.json()["status"] == "revoked"
    late = client.post(f"{url}/receipts/{OTHER_MICRO}/sign", headers=officer)
    assert_error(late, 409, "conflict", "revoked")


def test_an_officer_signs_for_every_unit_below_in_one_request_all_or_none(
    client: TestClient, accounts: Accounts, clock: Clock
) -> None:
    url = f"{DIRECTIVES}/{_issue(client, accounts)['id']}/receipts"
    street = accounts.headers("street_officer")
    mine = below("410102001", Level.MICRO_GRID)
    signed = client.post(f"{url}/sign", json={"codes": mine}, headers=street)
    assert signed.json() == {"signed": 8, "version": 1}
    theirs = below("410102002", Level.MICRO_GRID)[:2]
    outside = client.post(f"{url}/sign", json={"codes": theirs}, headers=street)
    assert_error(outside, 403, "forbidden", theirs[0])
    mixed = client.post(
        f"{url}/sign",
        json={"codes": [*theirs, mine[0]]},
        headers=accounts.headers("district_officer"),
    )
    assert_error(mixed, 409, "conflict", "already")
    unsigned = client.get(url, params={"show": "unsigned"}, headers=street).json()
    assert unsigned["count"] == 0  # in the street officer's own subtree
    district = client.get(
        url, params={"show": "unsigned"}, headers=accounts.headers("district_officer")
    ).json()
    assert district["count"] == 8  # the failed batch signed none of the other street's units
