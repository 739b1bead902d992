"""The public map data: area outlines and names only, per language, drilled by parent."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from shapely.geometry import shape

from civicgrid.services.case_ports import Contact
from tests.factories import centre_of, small_city
from tests.integration.citizen_world import CitizenWorld

AREAS = {area.code: area for area in small_city()}


def test_the_first_view_is_the_districts_with_nothing_but_outline_and_name(
    reader: TestClient,
) -> None:
    answer = reader.get("/citizen/map/areas.geojson?lang=en")

    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/geo+json")
    features = answer.json()["features"]
    assert [f["properties"] for f in features] == [
        {"code": "410102", "level": "district", "name": "district 410102", "leaf": False},
        {"code": "410103", "level": "district", "name": "district 410103", "leaf": False},
    ]
    for feature in features:
        drawn = shape(feature["geometry"])
        original = AREAS[feature["properties"]["code"]].geometry
        assert original is not None
        assert drawn.symmetric_difference(original).area < 1e-6


def test_a_parent_gives_its_children_in_the_chosen_language(reader: TestClient) -> None:
    answer = reader.get("/citizen/map/areas.geojson", params={"parent": "410102001001001"})

    props = [f["properties"] for f in answer.json()["features"]]
    assert [(p["code"], p["name"], p["leaf"]) for p in props] == [
        ("41010200100100101", "微网格41010200100100101", True),
        ("41010200100100102", "微网格41010200100100102", True),
    ]


def test_a_micro_grid_has_no_children_to_draw(reader: TestClient) -> None:
    answer = reader.get("/citizen/map/areas.geojson", params={"parent": "41010200100100101"})

    assert answer.status_code == 200
    assert answer.json()["features"] == []


def test_an_unknown_or_malformed_parent_is_named(reader: TestClient) -> None:
    unknown = reader.get("/citizen/map/areas.geojson", params={"parent": "999999"})
    malformed = reader.get("/citizen/map/areas.geojson", params={"parent": "41x"})

    assert unknown.status_code == 404
    assert "999999" in unknown.json()["error"]["message"]
    assert malformed.status_code == 422
    assert malformed.json()["error"]["field"] == "parent"


def test_static_assets_are_served_from_the_package(reader: TestClient) -> None:
    for path in (
        "/static/vendor/leaflet/leaflet.js",
        "/static/vendor/leaflet/leaflet.css",
        "/static/vendor/htmx.org/htmx.min.js",
        "/static/js/report-map.js",
        "/static/css/site.css",
    ):
        assert reader.get(path).status_code == 200, path


def test_a_pin_is_named_from_district_to_micro_grid(reader: TestClient) -> None:
    lat, lon = centre_of(AREAS["41010200100100101"])

    chinese = reader.get("/citizen/map/locate", params={"lat": lat, "lon": lon})
    english = reader.get("/citizen/map/locate", params={"lat": lat, "lon": lon, "lang": "en"})

    assert chinese.json() == {
        "inside": True,
        "names": [
            "区410102",
            "街道410102001",
            "社区410102001001",
            "网格410102001001001",
            "微网格41010200100100101",
        ],
    }
    assert english.json()["names"][-1] == "micro-grid 41010200100100101"


def test_a_pin_outside_the_city_is_said_to_be_outside(reader: TestClient) -> None:
    answer = reader.get("/citizen/map/locate", params={"lat": 30.0, "lon": 120.0})

    assert answer.json() == {"inside": False, "names": []}


def test_a_pin_off_the_globe_is_refused(reader: TestClient) -> None:
    answer = reader.get("/citizen/map/locate", params={"lat": 91, "lon": 113})

    assert answer.status_code == 422


def test_open_reports_nearby_show_category_and_date_only(
    web: TestClient, world: CitizenWorld
) -> None:
    world.submit(contact=Contact(name="李四", phone="13700000000"))
    city = "113.0,34.0,114.0,35.0"

    english = web.get("/citizen/map/reports.geojson", params={"bbox": city, "lang": "en"})
    elsewhere = web.get("/citizen/map/reports.geojson", params={"bbox": "113.6,34.6,113.9,34.9"})

    assert english.status_code == 200
    [point] = english.json()["features"]
    assert point["properties"] == {"category": "Exposed garbage", "reported": "2026-11-23 09:00"}
    assert point["geometry"]["coordinates"] == pytest.approx([world.lon, world.lat])
    assert elsewhere.json()["features"] == []
    assert "李四" not in english.text
    assert "13700000000" not in english.text
    assert "垃圾堆" not in english.text  # descriptions stay on the tracking page


def test_closed_reports_are_not_drawn(web: TestClient, world: CitizenWorld) -> None:
    receipt = world.submit()
    world.close(receipt.case_id)

    answer = web.get("/citizen/map/reports.geojson", params={"bbox": "113,34,114,35"})

    assert answer.json()["features"] == []


@pytest.mark.parametrize("bbox", ["113,34,114", "a,b,c,d", "114,34,113,35", "nan,34,114,35"])
def test_a_malformed_bbox_is_named(reader: TestClient, bbox: str) -> None:
    answer = reader.get("/citizen/map/reports.geojson", params={"bbox": bbox})

    assert answer.status_code == 422
    assert answer.json()["error"]["field"] == "bbox"
