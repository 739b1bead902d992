"""Roles × areas × endpoints: nobody reads or changes anything outside their subtree.

The expected answer comes from a rule written here, not from the guard: a user may
read an area when the path of their grant's area is a prefix of the area's path, and
may change it when, besides, their role is one that manages areas. /locate at an
area's centre is judged by the micro-grid that point falls in: for an area inside the
caller's subtree that is the same answer, but the centre of an area above the caller's
root may well fall inside their subtree, and then 200 is right.
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING, Any

import pytest
from shapely.geometry import Point

from civicgrid.domain.access import local_operator
from civicgrid.domain.areas import Level
from civicgrid.services.areas import get_area
from tests.api.conftest import (
    ALIASES,
    AREAS,
    MEMBERS,
    Accounts,
    assert_error,
    below,
    chain_of,
    path_of,
    within,
)
from tests.factories import centre_of

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

    from civicgrid.bootstrap import Container

BASE = "/api/v1/areas"
MANAGERS = {"city_admin", "district_officer", "street_officer", "community_officer"}
"""Members whose role may change areas; leaders, grid workers and departments only read."""


def _steps_off_the_first_line(code: str) -> int:
    """How many steps down `code`'s chain go to a child other than the parent's first."""
    steps = 0
    for parent, child in pairwise(chain_of(code)):
        siblings = sorted(c for c in AREAS if AREAS[c].parent_code == parent)
        steps += siblings.index(child) > 0
    return steps


SAMPLE = sorted((c for c in AREAS if _steps_off_the_first_line(c) <= 1), key=path_of)
"""The first-child line 410100 → 410102 → … → 41010200100100101, and every area one step off it:
a sibling at each level, and the first line under each of those siblings (21 areas)."""


def in_scope(member: str, code: str) -> bool:
    root = MEMBERS[member].area
    return bool(root) and within(code, root)


def side(member: str, code: str) -> str:
    return "inside" if in_scope(member, code) else "outside"


def located_micro_grid(code: str) -> str:
    """The micro-grid /locate answers for `code`'s centre.

    A centre of anything above a micro-grid lies on an edge its children share; the
    locator's documented rule gives such a point to the smallest covering code.
    """
    lat, lon = centre_of(AREAS[code])
    point = Point(lon, lat)
    return min(
        c
        for c, area in AREAS.items()
        if area.level is Level.MICRO_GRID
        and area.geometry is not None
        and area.geometry.covers(point)
    )


def call_endpoint(
    client: TestClient, endpoint: str, code: str, headers: dict[str, str], households: int
) -> Any:
    """One endpoint on `code`; a PATCH sets `households`, /locate uses the area's centre."""
    if endpoint == "PATCH":
        return client.patch(f"{BASE}/{code}", json={"households": households}, headers=headers)
    if endpoint == "GET locate":
        lat, lon = centre_of(AREAS[code])
        return client.get(f"{BASE}/locate", params={"lat": lat, "lon": lon}, headers=headers)
    suffix = endpoint.removeprefix("GET").strip()
    return client.get(f"{BASE}/{code}/{suffix}".rstrip("/"), headers=headers)


def marker_for(member: str, code: str, offset: int = 100_000) -> int:
    """A household count no other PATCH in this module sends, so a write is visible."""
    return offset + list(MEMBERS).index(member) * 1000 + list(AREAS).index(code)


def _households(city: Container, code: str) -> int | None:
    return get_area(city.uow(), local_operator(), code, with_geometry=False).households


LISTINGS = ["GET children", "GET subtree", "GET geojson"]


def listed_codes(response: Any, endpoint: str) -> list[str]:
    body = response.json()
    if endpoint == "GET geojson":
        return [feature["properties"]["code"] for feature in body["features"]]
    return [item["code"] for item in body["data"]]


ENDPOINTS = ["GET", "GET children", "GET subtree", "GET geojson", "PATCH", "GET locate"]
CASES = [
    pytest.param(member, code, endpoint, id=f"{member}-{side(member, code)}-{code}-{endpoint}")
    for member in MEMBERS
    for code in SAMPLE
    for endpoint in ENDPOINTS
]


def test_the_sample_has_areas_inside_and_outside_every_scope_at_every_level() -> None:
    for member in MEMBERS:
        for level in Level:
            at_level = [c for c in AREAS if AREAS[c].level is level]
            sampled = [c for c in SAMPLE if AREAS[c].level is level]
            for wanted in (True, False):
                if any(in_scope(member, c) is wanted for c in at_level):
                    assert any(in_scope(member, c) is wanted for c in sampled), (member, level)


@pytest.mark.parametrize(("member", "code", "endpoint"), CASES)
def test_an_endpoint_answers_only_inside_the_callers_subtree(
    shared_client: TestClient,
    shared_accounts: Accounts,
    shared_city: Container,
    member: str,
    code: str,
    endpoint: str,
) -> None:
    marker = marker_for(member, code)
    target = located_micro_grid(code) if endpoint == "GET locate" else code
    allowed = in_scope(member, target) and (endpoint != "PATCH" or member in MANAGERS)
    before = _households(shared_city, code) if endpoint == "PATCH" else None
    response = call_endpoint(shared_client, endpoint, code, shared_accounts.headers(member), marker)
    if allowed:
        assert response.status_code == 200, response.text
        if endpoint == "GET locate":
            assert response.json()["micro_grid"]["code"] == target
        elif endpoint in LISTINGS:
            assert all(in_scope(member, listed) for listed in listed_codes(response, endpoint))
        else:
            assert response.json()["code"] == code
    else:
        assert_error(response, 403, "forbidden", "outside their jurisdiction", f"area {target}")
    if endpoint == "PATCH":
        assert _households(shared_city, code) == (marker if allowed else before)


@pytest.mark.parametrize(
    ("member", "root", "endpoint"),
    [
        pytest.param(member, root, endpoint, id=f"{member}-{root}-{endpoint}")
        for member in MEMBERS
        for root in SAMPLE
        if in_scope(member, root)
        for endpoint in LISTINGS
    ],
)
def test_a_listing_of_an_allowed_root_holds_exactly_its_part_of_the_subtree(
    shared_client: TestClient, shared_accounts: Accounts, member: str, root: str, endpoint: str
) -> None:
    suffix = endpoint.removeprefix("GET ")
    response = shared_client.get(
        f"{BASE}/{root}/{suffix}?page_size=1000", headers=shared_accounts.headers(member)
    )
    assert response.status_code == 200
    listed = listed_codes(response, endpoint)
    assert all(in_scope(member, code) for code in listed)
    if endpoint == "GET children":
        expected = [c for c in below(root) if AREAS[c].parent_code == root]
    else:
        expected = below(root)
    assert listed == expected
    assert response.json()["count"] == len(expected)


@pytest.mark.parametrize("level", [level.slug for level in Level])
@pytest.mark.parametrize("member", [m for m in MEMBERS if m != "no_grants"])
def test_a_level_listing_from_the_callers_root_holds_only_their_areas(
    shared_client: TestClient, shared_accounts: Accounts, member: str, level: str
) -> None:
    root = MEMBERS[member].area
    response = shared_client.get(
        f"{BASE}/{root}/subtree?page_size=1000&level={level}",
        headers=shared_accounts.headers(member),
    )
    if Level.from_slug(level) < AREAS[root].level:
        assert_error(response, 422, "invalid_input", level, field="level")
        return
    assert listed_codes(response, "GET subtree") == below(root, Level.from_slug(level))


@pytest.mark.parametrize("member", list(MEMBERS))
def test_my_areas_lists_only_the_roots_of_my_grants(
    shared_client: TestClient, shared_accounts: Accounts, member: str
) -> None:
    response = shared_client.get(BASE, headers=shared_accounts.headers(member))
    assert response.status_code == 200
    expected = [MEMBERS[member].area] if MEMBERS[member].area else []
    assert listed_codes(response, "GET") == expected
    assert response.json()["count"] == len(expected)


@pytest.mark.parametrize(
    ("member", "canonical", "endpoint"),
    [
        pytest.param(
            member,
            canonical,
            endpoint,
            id=f"{member}-{side(member, canonical)}-alias {ALIASES[canonical]}-{endpoint}",
        )
        for member in MEMBERS
        for canonical in ALIASES
        for endpoint in ["GET", "GET children", "GET subtree", "GET geojson", "PATCH"]
    ],
)
def test_an_alias_code_is_judged_by_the_area_it_names(
    shared_client: TestClient,
    shared_accounts: Accounts,
    shared_city: Container,
    member: str,
    canonical: str,
    endpoint: str,
) -> None:
    alias = ALIASES[canonical]
    marker = marker_for(member, canonical, offset=200_000)
    before = _households(shared_city, canonical) if endpoint == "PATCH" else None
    headers = shared_accounts.headers(member)
    response = call_endpoint(shared_client, endpoint, alias, headers, marker)
    allowed = in_scope(member, canonical) and (endpoint != "PATCH" or member in MANAGERS)
    if not allowed:
        assert_error(response, 403, "forbidden", "outside their jurisdiction")
    elif endpoint in {"GET", "PATCH"}:
        assert response.status_code == 200
        assert response.json()["code"] == canonical
    else:
        assert response.status_code == 200
        listed = listed_codes(response, endpoint)
        assert listed
        assert all(in_scope(member, code) for code in listed)
    if endpoint == "PATCH":
        assert _households(shared_city, canonical) == (marker if allowed else before)
