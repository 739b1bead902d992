"""The areas API over HTTP: each endpoint's answers, and every error in the one error shape."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import anyio
import pytest

from civicgrid.api.app import create_app
from civicgrid.api.schemas.areas import LocateResult
from civicgrid.domain.areas import Level
from tests.api.conftest import AREAS, Accounts, assert_error, below, chain_of
from tests.factories import CITY_BOX, centre_of

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

    from civicgrid.bootstrap import Container

BASE = "/api/v1/areas"


def bounds_of(code: str) -> tuple[float, float, float, float]:
    geometry = AREAS[code].geometry
    assert geometry is not None
    return geometry.bounds


def codes(page: dict[str, Any]) -> list[str]:
    return [item["code"] for item in page["data"]]


# Tests that only read share one city per engine in this module (`shared_*`); tests that
# write, or prove a refused write changed nothing, get a database of their own.


@pytest.fixture
def shared_admin(shared_accounts: Accounts) -> dict[str, str]:
    return shared_accounts.headers("city_admin")


@pytest.fixture
def admin(accounts: Accounts) -> dict[str, str]:
    return accounts.headers("city_admin")


@pytest.fixture
def limit(city: Container) -> int:
    """The largest request body the app reads, in bytes."""
    return city.settings.max_body_bytes


# Reading one area


def test_an_area_comes_with_its_ancestors_from_the_city_down(
    shared_client: TestClient, shared_admin: dict[str, str]
) -> None:
    response = shared_client.get(f"{BASE}/410102001001", headers=shared_admin)
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "410102001001"
    assert (body["level"], body["level_zh"], body["parent_code"]) == (
        "community",
        "社区",
        "410102001",
    )
    assert (body["name_zh"], body["name_en"]) == ("社区410102001001", "community 410102001001")
    assert body["synthetic"] is True
    assert body["bbox"] == list(bounds_of("410102001001"))
    assert [a["code"] for a in body["ancestors"]] == ["410100", "410102", "410102001"]
    assert [a["level"] for a in body["ancestors"]] == ["city", "district", "street"]


def test_the_city_has_no_ancestors_and_a_surveyed_outline(
    shared_client: TestClient, shared_admin: dict[str, str]
) -> None:
    body = shared_client.get(f"{BASE}/410100", headers=shared_admin).json()
    assert (body["parent_code"], body["ancestors"], body["synthetic"]) == (None, [], False)
    assert body["bbox"] == list(CITY_BOX)


def test_a_micro_grid_reports_its_households(
    shared_client: TestClient, shared_admin: dict[str, str]
) -> None:
    body = shared_client.get(f"{BASE}/41010300200200202", headers=shared_admin).json()
    assert (body["level"], body["households"]) == ("micro-grid", 60)
    assert len(body["ancestors"]) == 5


def test_an_alias_code_answers_with_the_canonical_area(
    shared_client: TestClient, shared_admin: dict[str, str]
) -> None:
    body = shared_client.get(f"{BASE}/410102901", headers=shared_admin).json()
    assert (body["code"], body["aliases"]) == ("410102001", ["410102901"])


def test_my_areas_are_the_roots_of_my_grants(
    shared_client: TestClient, shared_accounts: Accounts
) -> None:
    body = shared_client.get(BASE, headers=shared_accounts.headers("street_officer")).json()
    assert codes(body) == ["410102001"]
    assert (body["count"], body["page"], body["page_size"]) == (1, 1, 1)


# Listing: children, subtree, GeoJSON


def test_children_are_the_direct_children_in_code_order(
    shared_client: TestClient, shared_admin: dict[str, str]
) -> None:
    body = shared_client.get(f"{BASE}/410102/children", headers=shared_admin).json()
    assert codes(body) == ["410102001", "410102002"]
    assert (body["count"], body["page"], body["page_size"]) == (2, 1, 100)
    assert all(item["parent_code"] == "410102" for item in body["data"])


def test_a_micro_grid_has_no_children(
    shared_client: TestClient, shared_admin: dict[str, str]
) -> None:
    body = shared_client.get(f"{BASE}/41010200100100101/children", headers=shared_admin).json()
    assert (body["data"], body["count"]) == ([], 0)


def test_children_page_like_any_list(
    shared_client: TestClient, shared_admin: dict[str, str]
) -> None:
    url = f"{BASE}/410100/children?page=2&page_size=1"
    body = shared_client.get(url, headers=shared_admin).json()
    assert (codes(body), body["count"], body["page"], body["page_size"]) == (["410103"], 2, 2, 1)


def test_a_subtree_is_its_root_and_every_descendant_in_path_order(
    shared_client: TestClient, shared_admin: dict[str, str]
) -> None:
    body = shared_client.get(f"{BASE}/410102/subtree?page_size=1000", headers=shared_admin).json()
    assert codes(body) == below("410102")
    assert body["count"] == 31  # 1 district, 2 streets, 4 communities, 8 grids, 16 micro-grids


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        ("grid", Level.GRID),
        ("micro-grid", Level.MICRO_GRID),
        ("网格", Level.GRID),
        ("3", Level.STREET),
        ("district", Level.DISTRICT),
    ],
)
def test_a_level_filter_keeps_one_level_of_the_subtree(
    shared_client: TestClient, shared_admin: dict[str, str], level: str, expected: Level
) -> None:
    body = shared_client.get(
        f"{BASE}/410102/subtree", params={"level": level}, headers=shared_admin
    ).json()
    assert codes(body) == below("410102", expected)
    assert body["count"] == len(below("410102", expected))


def test_subtree_pages_cover_the_level_without_gaps_or_overlap(
    shared_client: TestClient, shared_admin: dict[str, str]
) -> None:
    seen: list[str] = []
    for page in (1, 2, 3, 4):
        params = {"level": "micro-grid", "page": page, "page_size": 5}
        body = shared_client.get(
            f"{BASE}/410102/subtree", params=params, headers=shared_admin
        ).json()
        assert (body["count"], body["page"], body["page_size"]) == (16, page, 5)
        assert len(body["data"]) == (1 if page == 4 else 5)
        seen.extend(codes(body))
    assert seen == below("410102", Level.MICRO_GRID)


def test_a_page_past_the_end_is_empty_but_keeps_the_count(
    shared_client: TestClient, shared_admin: dict[str, str]
) -> None:
    body = shared_client.get(f"{BASE}/410102/subtree?page=99", headers=shared_admin).json()
    assert (body["data"], body["count"], body["page"]) == ([], 31, 99)


def test_geojson_is_a_feature_collection_that_flags_synthetic_polygons(
    shared_client: TestClient, shared_admin: dict[str, str]
) -> None:
    response = shared_client.get(f"{BASE}/410102001/geojson?page_size=1000", headers=shared_admin)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/geo+json"
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert body["count"] == 15
    features = {f["properties"]["code"]: f for f in body["features"]}
    assert list(features) == below("410102001")
    for code, feature in features.items():
        assert feature["type"] == "Feature"
        assert feature["properties"]["synthetic"] is AREAS[code].synthetic is True
        assert feature["properties"]["level"] == AREAS[code].level.slug
        ring = feature["geometry"]["coordinates"][0]
        lons, lats = [p[0] for p in ring], [p[1] for p in ring]
        assert (min(lons), min(lats), max(lons), max(lats)) == bounds_of(code)


def test_geojson_of_districts_says_their_outlines_are_not_synthetic(
    shared_client: TestClient, shared_admin: dict[str, str]
) -> None:
    body = shared_client.get(f"{BASE}/410100/geojson?level=district", headers=shared_admin).json()
    assert [f["properties"]["code"] for f in body["features"]] == ["410102", "410103"]
    assert [f["properties"]["synthetic"] for f in body["features"]] == [False, False]
    assert all(f["geometry"]["type"] == "Polygon" for f in body["features"])


def test_geojson_pages_like_the_subtree(
    shared_client: TestClient, shared_admin: dict[str, str]
) -> None:
    params = {"level": "grid", "page": 2, "page_size": 3}
    body = shared_client.get(f"{BASE}/410103/geojson", params=params, headers=shared_admin).json()
    assert [f["properties"]["code"] for f in body["features"]] == below("410103", Level.GRID)[3:6]
    assert body["count"] == 8


# Locating a point


def test_a_point_inside_a_micro_grid_is_located_with_its_chain(
    shared_client: TestClient, shared_admin: dict[str, str]
) -> None:
    lat, lon = centre_of(AREAS["41010300200200202"])
    response = shared_client.get(
        f"{BASE}/locate", params={"lat": lat, "lon": lon}, headers=shared_admin
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["distance_m"]) == ("inside", 0)
    assert body["micro_grid"]["code"] == "41010300200200202"
    assert [a["code"] for a in body["chain"]] == chain_of("41010300200200202")
    assert [a["level"] for a in body["chain"]] == [level.slug for level in Level]


def test_a_point_just_outside_the_city_snaps_to_the_nearest_micro_grid(
    shared_client: TestClient, shared_admin: dict[str, str]
) -> None:
    target = AREAS["41010200100100201"]  # on the city's western edge, lon 113.0
    lat, _ = centre_of(target)
    offset = 0.0001  # degrees of longitude west of the edge: about 9 m
    params = {"lat": lat, "lon": CITY_BOX[0] - offset}
    body = shared_client.get(f"{BASE}/locate", params=params, headers=shared_admin).json()
    expected_m = math.radians(offset) * 6_371_008.8 * math.cos(math.radians(lat))
    assert body["status"] == "snapped"
    assert body["distance_m"] == pytest.approx(expected_m, abs=0.01)
    assert body["micro_grid"]["code"] == target.code
    assert [a["code"] for a in body["chain"]] == chain_of(target.code)


def test_snap_m_zero_turns_snapping_off(
    shared_client: TestClient, shared_admin: dict[str, str]
) -> None:
    params = {"lat": 34.3, "lon": CITY_BOX[0] - 0.0001, "snap_m": 0}
    body = shared_client.get(f"{BASE}/locate", params=params, headers=shared_admin).json()
    assert (body["status"], body["micro_grid"], body["chain"]) == ("outside", None, [])


def test_a_point_far_away_is_outside_with_no_chain(
    shared_client: TestClient, shared_admin: dict[str, str]
) -> None:
    body = shared_client.get(f"{BASE}/locate?lat=10&lon=10", headers=shared_admin).json()
    assert (body["status"], body["micro_grid"], body["chain"]) == ("outside", None, [])
    assert body["distance_m"] is None  # no micro-grid, so no distance to one


@pytest.mark.parametrize(
    ("lat", "lon"),
    [
        pytest.param(34.1, 113.1, id="inside"),
        pytest.param(34.3, CITY_BOX[0] - 0.0001, id="snapped"),
        pytest.param(10.0, 10.0, id="outside"),
    ],
)
def test_a_located_point_reads_back_as_the_documented_model(
    shared_client: TestClient, shared_admin: dict[str, str], lat: float, lon: float
) -> None:
    response = shared_client.get(
        f"{BASE}/locate", params={"lat": lat, "lon": lon}, headers=shared_admin
    )
    LocateResult.model_validate_json(response.content)


# Editing


def test_patch_changes_names_and_households_and_a_read_shows_them(
    client: TestClient, accounts: Accounts
) -> None:
    officer = accounts.headers("community_officer")
    change = {"name_zh": "幸福社区", "name_en": "Xingfu Community", "households": 1234}
    response = client.patch(f"{BASE}/410102001001", json=change, headers=officer)
    assert response.status_code == 200
    assert {k: response.json()[k] for k in change} == change
    body = client.get(f"{BASE}/410102001001", headers=officer).json()
    assert {k: body[k] for k in change} == change


def test_patch_keeps_the_fields_it_leaves_out(client: TestClient, admin: dict[str, str]) -> None:
    client.patch(f"{BASE}/410103", json={"households": 5000}, headers=admin)
    body = client.patch(f"{BASE}/410103", json={"name_en": "Jinshui"}, headers=admin).json()
    assert (body["name_zh"], body["name_en"], body["households"]) == ("区410103", "Jinshui", 5000)


def test_patch_through_an_alias_changes_the_canonical_area(
    client: TestClient, admin: dict[str, str]
) -> None:
    body = client.patch(f"{BASE}/410103901", json={"households": 7}, headers=admin).json()
    assert (body["code"], body["households"]) == ("410103001", 7)


def test_an_empty_patch_changes_nothing(client: TestClient, admin: dict[str, str]) -> None:
    before = client.get(f"{BASE}/410102", headers=admin).json()
    response = client.patch(f"{BASE}/410102", json={}, headers=admin)
    assert response.status_code == 200
    assert response.json() == {k: v for k, v in before.items() if k != "ancestors"}


# The service itself


def test_healthz_needs_no_token_and_names_the_engine(
    shared_client: TestClient, shared_city: Container
) -> None:
    response = shared_client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": shared_city.engine.dialect.name}


def test_the_openapi_document_lists_every_endpoint(shared_client: TestClient) -> None:
    response = shared_client.get("/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    paths = document["paths"]
    assert set(paths) >= {
        "/healthz",
        BASE,
        f"{BASE}/locate",
        f"{BASE}/{{code}}",
        f"{BASE}/{{code}}/children",
        f"{BASE}/{{code}}/subtree",
        f"{BASE}/{{code}}/geojson",
    }
    assert set(paths[f"{BASE}/{{code}}"]) == {"get", "patch"}
    assert (
        "application/geo+json"
        in paths[f"{BASE}/{{code}}/geojson"]["get"]["responses"]["200"]["content"]
    )
    assert document["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    assert "ErrorResponse" in document["components"]["schemas"]
    assert shared_client.get("/docs").status_code == 200


# 401: no token, a bad one, a revoked one

ENDPOINTS = [
    ("GET", BASE),
    ("GET", f"{BASE}/410102"),
    ("GET", f"{BASE}/410102/children"),
    ("GET", f"{BASE}/410102/subtree"),
    ("GET", f"{BASE}/410102/geojson"),
    ("GET", f"{BASE}/locate?lat=34.1&lon=113.1"),
    ("PATCH", f"{BASE}/410102"),
]
ENDPOINT_IDS = [f"{method} {url.removeprefix(BASE) or '/'}" for method, url in ENDPOINTS]


def call(client: TestClient, method: str, url: str, headers: dict[str, str]) -> Any:
    body = {"households": 1} if method == "PATCH" else None
    return client.request(method, url, json=body, headers=headers)


@pytest.mark.parametrize(("method", "url"), ENDPOINTS, ids=ENDPOINT_IDS)
@pytest.mark.parametrize(
    ("authorization", "mention"),
    [
        pytest.param(None, "Bearer <token>", id="no token"),
        pytest.param("Bearer cg_not-a-real-token", "unknown or revoked", id="bad token"),
        pytest.param("Basic c3RyZWV0Lm9mZmljZXI6cHc=", "Bearer <token>", id="basic auth"),
        pytest.param("Bearer", "Bearer <token>", id="empty token"),
    ],
)
def test_without_a_valid_token_every_endpoint_is_401(
    shared_client: TestClient, method: str, url: str, authorization: str | None, mention: str
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    response = call(shared_client, method, url, headers)
    assert_error(response, 401, "unauthenticated", mention)
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(("method", "url"), ENDPOINTS, ids=ENDPOINT_IDS)
def test_a_revoked_token_is_401(
    client: TestClient, accounts: Accounts, method: str, url: str
) -> None:
    headers = accounts.headers("city_admin")
    assert call(client, method, url, headers).status_code == 200
    accounts.revoke("city_admin")
    response = call(client, method, url, headers)
    assert_error(response, 401, "unauthenticated", "unknown or revoked")
    assert response.headers["www-authenticate"] == "Bearer"


# 404


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", ""),
        ("GET", "/children"),
        ("GET", "/subtree"),
        ("GET", "/geojson"),
        ("PATCH", ""),
    ],
)
def test_an_unknown_area_is_404_naming_the_code(
    shared_client: TestClient, shared_admin: dict[str, str], method: str, path: str
) -> None:
    response = call(shared_client, method, f"{BASE}/410199{path}", shared_admin)
    assert_error(response, 404, "not_found", "410199", field="code")


def test_an_unknown_route_is_404_in_the_same_shape(
    shared_client: TestClient, shared_admin: dict[str, str]
) -> None:
    assert_error(
        shared_client.get("/api/v1/nowhere", headers=shared_admin), 404, "not_found", "Not Found"
    )


# 422: the field at fault is named


@pytest.mark.parametrize(
    ("url", "field", "mentions"),
    [
        (f"{BASE}/locate?lat=north&lon=113.1", "lat", ("lat", "number")),
        (f"{BASE}/locate?lat=91&lon=113.1", "lat", ("lat", "90")),
        (f"{BASE}/locate?lat=-90.5&lon=113.1", "lat", ("lat", "-90")),
        (f"{BASE}/locate?lat=nan&lon=113.1", "lat", ("lat",)),
        (f"{BASE}/locate?lat=inf&lon=113.1", "lat", ("lat",)),
        (f"{BASE}/locate?lon=113.1", "lat", ("lat", "required")),
        (f"{BASE}/locate?lat=34.1&lon=181", "lon", ("lon", "180")),
        (f"{BASE}/locate?lat=34.1&lon=113.1&snap_m=-1", "snap_m", ("snap_m",)),
        (f"{BASE}/locate?lat=34.1&lon=113.1&snap_m=5001", "snap_m", ("snap_m", "5000")),
        (f"{BASE}/410102/subtree?level=county", "level", ("county", "micro-grid")),
        (f"{BASE}/410102/geojson?level=county", "level", ("county",)),
        (f"{BASE}/410102/subtree?level=city", "level", ("city", "above", "410102")),
        (f"{BASE}/410102/subtree?page_size=0", "page_size", ("page_size", "1")),
        (f"{BASE}/410102/subtree?page_size=1001", "page_size", ("page_size", "1000")),
        (f"{BASE}/410102/subtree?page_size=ten", "page_size", ("page_size", "integer")),
        (f"{BASE}/410102/children?page_size=0", "page_size", ("page_size",)),
        (f"{BASE}/410102/geojson?page_size=1001", "page_size", ("page_size",)),
        (f"{BASE}/410102/subtree?page=0", "page", ("page", "1")),
        (f"{BASE}/{'4' * 21}", "code", ("code", "20")),
    ],
)
def test_a_bad_query_or_path_is_422_naming_the_field(
    shared_client: TestClient,
    shared_admin: dict[str, str],
    url: str,
    field: str,
    mentions: tuple[str, ...],
) -> None:
    assert_error(
        shared_client.get(url, headers=shared_admin), 422, "invalid_input", *mentions, field=field
    )


@pytest.mark.parametrize(
    ("body", "field", "mentions"),
    [
        ({"colour": "red"}, "colour", ("colour", "not permitted")),
        ({"households": -1}, "households", ("households", "0")),
        ({"households": "many"}, "households", ("households", "integer")),
        ({"households": 1.5}, "households", ("households", "integer")),
        ({"name_zh": ""}, "name_zh", ("name_zh",)),
        ({"name_zh": "   "}, "name_zh", ("name_zh", "blank")),
        ({"name_en": "x" * 301}, "name_en", ("name_en", "300")),
    ],
)
def test_a_bad_patch_is_422_naming_the_field_and_changes_nothing(
    client: TestClient,
    admin: dict[str, str],
    body: dict[str, Any],
    field: str,
    mentions: tuple[str, ...],
) -> None:
    before = client.get(f"{BASE}/410102", headers=admin).json()
    response = client.patch(f"{BASE}/410102", json=body, headers=admin)
    assert_error(response, 422, "invalid_input", *mentions, field=field)
    assert client.get(f"{BASE}/410102", headers=admin).json() == before


@pytest.mark.parametrize("character", ["%00", "%0A", "%7F"], ids=["NUL", "newline", "DEL"])
def test_a_control_character_in_a_code_is_422_not_a_database_error(
    shared_client: TestClient, shared_admin: dict[str, str], character: str
) -> None:
    response = shared_client.get(f"{BASE}/41{character}02", headers=shared_admin)
    assert_error(response, 422, "invalid_input", "code", field="code")


@pytest.mark.parametrize("field", ["name_zh", "name_en"])
def test_a_control_character_in_a_name_is_422(
    client: TestClient, admin: dict[str, str], field: str
) -> None:
    response = client.patch(f"{BASE}/410102", json={field: "a\x00b"}, headers=admin)
    assert_error(response, 422, "invalid_input", field, field=field)


def test_a_malformed_json_body_is_422_naming_the_body(
    client: TestClient, admin: dict[str, str]
) -> None:
    headers = {**admin, "Content-Type": "application/json"}
    response = client.patch(f"{BASE}/410102", content=b'{"name_zh": ', headers=headers)
    assert_error(response, 422, "invalid_input", "body", "JSON", field="body")


# 413 and 405


def test_a_body_over_the_limit_is_413_by_its_content_length(
    client: TestClient, admin: dict[str, str], limit: int
) -> None:
    headers = {**admin, "Content-Type": "application/json"}
    response = client.patch(f"{BASE}/410102", content=b" " * (limit + 1), headers=headers)
    assert response.request.headers["content-length"] == str(limit + 1)
    assert_error(response, 413, "body_too_large", "exceeds", str(limit))


def test_a_body_at_the_limit_is_read(client: TestClient, admin: dict[str, str], limit: int) -> None:
    body = b'{"households": 8}'
    headers = {**admin, "Content-Type": "application/json"}
    padded = body + b" " * (limit - len(body))
    response = client.patch(f"{BASE}/410102", content=padded, headers=headers)
    assert response.status_code == 200
    assert response.json()["households"] == 8


def test_a_chunked_body_over_the_limit_is_413(
    client: TestClient, admin: dict[str, str], limit: int
) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(limit // 65_536 + 1):
            yield b" " * 65_536

    headers = {**admin, "Content-Type": "application/json"}
    response = client.patch(f"{BASE}/410102", content=chunks(), headers=headers)
    assert "content-length" not in response.request.headers
    assert response.request.headers["transfer-encoding"] == "chunked"
    assert_error(response, 413, "body_too_large", "exceeds", str(limit))


def test_a_streamed_body_is_refused_once_it_passes_the_limit(
    city: Container, accounts: Accounts, limit: int
) -> None:
    """As a server sees a chunked upload: many body messages, no Content-Length."""
    app = create_app(container=city)
    chunk = 65_536
    total = 2 * limit // chunk
    token = accounts.token("city_admin")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "PATCH",
        "scheme": "http",
        "path": f"{BASE}/410102",
        "raw_path": f"{BASE}/410102".encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"testserver"),
            (b"content-type", b"application/json"),
            (b"transfer-encoding", b"chunked"),
            (b"authorization", f"Bearer {token}".encode()),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    sent: list[dict[str, Any]] = []
    taken = 0

    async def receive() -> dict[str, Any]:
        nonlocal taken
        if taken == total:
            return {"type": "http.disconnect"}
        taken += 1
        return {"type": "http.request", "body": b" " * chunk, "more_body": taken < total}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    anyio.run(app, scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    assert start["status"] == 413
    assert json.loads(body)["error"]["code"] == "body_too_large"
    assert taken <= limit // chunk + 1  # stopped reading once past the limit


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("DELETE", f"{BASE}/410102"),
        ("PUT", f"{BASE}/410102"),
        ("POST", f"{BASE}/410102"),
        ("POST", BASE),
        ("DELETE", f"{BASE}/410102/children"),
        ("POST", "/healthz"),
    ],
)
def test_an_unsupported_method_is_405_in_the_same_shape(
    shared_client: TestClient, shared_admin: dict[str, str], method: str, url: str
) -> None:
    response = shared_client.request(method, url, headers=shared_admin)
    assert_error(response, 405, "method_not_allowed", "Method Not Allowed")
    assert method not in response.headers["allow"]
