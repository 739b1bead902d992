"""Members × enterprises in every part of the city: read and list only inside one's subtree.

The expectation is the rule written here (a grant's path is a prefix of the
enterprise's area path), not a call to the guard.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from civicgrid.domain.enterprises.uscc import check_character
from tests.api.conftest import MEMBERS, Accounts, within

BASE = "/api/v1/enterprises"
PLACES = [
    "410100",
    "410102",
    "410102001",
    "410102001001",
    "41010200100100101",
    "41010200100200202",
    "410102002",
    "410103",
    "410103001002",
    "41010300200200202",
]
MANAGERS = {"city_admin", "district_officer", "street_officer", "community_officer"}


def _uscc(n: int) -> str:
    body = f"91410100MA{n:07d}"
    return body + check_character(body)


USCCS = {place: _uscc(i) for i, place in enumerate(PLACES)}


@pytest.fixture(scope="module")
def registered(shared_client: TestClient, shared_accounts: Accounts) -> dict[str, str]:
    headers = shared_accounts.headers("city_admin")
    for place, uscc in USCCS.items():
        body = {"uscc": uscc, "name": f"企业{place}", "area_code": place}
        response = shared_client.post(BASE, json=body, headers=headers)
        assert response.status_code == 201, response.text
    return USCCS


def _sees(member: str, place: str) -> bool:
    grant = MEMBERS[member]
    return grant.role is not None and within(place, grant.area)


@pytest.mark.parametrize("member", sorted(MEMBERS))
@pytest.mark.parametrize("place", PLACES)
def test_an_enterprise_is_read_only_inside_the_callers_subtree(
    shared_client: TestClient,
    shared_accounts: Accounts,
    registered: dict[str, str],
    member: str,
    place: str,
) -> None:
    response = shared_client.get(
        f"{BASE}/{registered[place]}", headers=shared_accounts.headers(member)
    )
    assert response.status_code == (200 if _sees(member, place) else 403), response.text


@pytest.mark.parametrize("member", sorted(MEMBERS))
def test_a_listing_holds_exactly_the_callers_enterprises(
    shared_client: TestClient,
    shared_accounts: Accounts,
    registered: dict[str, str],
    member: str,
) -> None:
    response = shared_client.get(
        BASE, params={"page_size": 500}, headers=shared_accounts.headers(member)
    )
    listed = {item["uscc"] for item in response.json()["data"]}
    assert listed == {registered[p] for p in PLACES if _sees(member, p)}


@pytest.mark.parametrize("member", sorted(MEMBERS))
def test_only_area_managers_assign_officials_and_only_inside_their_subtree(
    shared_client: TestClient,
    shared_accounts: Accounts,
    registered: dict[str, str],
    member: str,
) -> None:
    shared_accounts.token("city_admin")  # the official assigned: sees everything
    for place in PLACES:
        response = shared_client.put(
            f"{BASE}/{registered[place]}/official",
            json={"username": "city.admin"},
            headers=shared_accounts.headers(member),
        )
        allowed = member in MANAGERS and _sees(member, place)
        assert response.status_code == (200 if allowed else 403), (place, response.text)
