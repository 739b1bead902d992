"""/staff/map: outlines simplified per zoom, the level drawn per zoom, the subtree guard,
case and alert markers, the density layer and the area panel."""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

import pytest
import shapely
from fastapi.testclient import TestClient
from shapely.geometry import shape

from tests.integration.citizen_world import MICRO, CitizenWorld
from tests.web.conftest import sign_in
from tests.web.map_world import MAYOR, furnish

CITY_BOX = "112.9,33.9,114.1,35.1"


@pytest.fixture
def map_web(world: CitizenWorld, staff_web: TestClient) -> TestClient:
    furnish(world)
    return staff_web


def vertices(collection: dict[str, Any]) -> dict[str, int]:
    return {
        f["properties"]["code"]: int(shapely.get_num_coordinates(shape(f["geometry"])))
        for f in collection["features"]
    }


def get_json(client: TestClient, url: str) -> dict[str, Any]:
    answer = client.get(url)
    assert answer.status_code == 200, answer.text[:300]
    body: dict[str, Any] = answer.json()
    return body


def test_outlines_have_fewer_vertices_at_lower_zoom(map_web: TestClient) -> None:
    sign_in(map_web, MAYOR)
    far = map_web.get("/staff/map/areas.geojson?parent=410100&zoom=8")
    near = map_web.get("/staff/map/areas.geojson?parent=410100&zoom=14")
    coarse, fine = vertices(far.json()), vertices(near.json())
    assert set(coarse) == set(fine) == {"410102", "410103"}
    for code in coarse:
        assert coarse[code] < 20 < 500 < fine[code]
    assert len(far.content) * 20 < len(near.content)


def test_the_level_drawn_deepens_with_the_zoom(map_web: TestClient) -> None:
    sign_in(map_web, MAYOR)
    expected = {9: ("district", 2), 11: ("street", 4), 12: ("community", 8), 14: ("grid", 16)}
    expected[15] = ("micro-grid", 32)
    for zoom, (level, count) in expected.items():
        found = get_json(map_web, f"/staff/map/areas.geojson?bbox={CITY_BOX}&zoom={zoom}")
        assert found["level"] == level
        assert len(found["features"]) == count
        assert {f["properties"]["level"] for f in found["features"]} == {level}


def test_drilling_down_reaches_a_micro_grid(map_web: TestClient) -> None:
    sign_in(map_web, MAYOR)
    chain = ["410100", "410102", "410102001", "410102001001", "410102001001001", MICRO]
    for parent, child in itertools.pairwise(chain):
        found = get_json(map_web, f"/staff/map/areas.geojson?parent={parent}&zoom=12")
        assert child in {f["properties"]["code"] for f in found["features"]}
    leaf = get_json(map_web, f"/staff/map/areas.geojson?parent={MICRO}&zoom=17")
    assert [(f["properties"]["code"], f["properties"]["leaf"]) for f in leaf["features"]] == [
        (MICRO, True)
    ]


def test_an_officer_starts_at_their_district_and_is_refused_the_next(
    map_web: TestClient,
) -> None:
    sign_in(map_web, "officer")
    page = map_web.get("/staff/map?lang=en")
    assert page.status_code == 200
    assert 'data-focus="410102"' in page.text
    roots = get_json(map_web, "/staff/map/areas.geojson?zoom=9")
    assert [f["properties"]["code"] for f in roots["features"]] == ["410102"]
    in_view = get_json(map_web, f"/staff/map/areas.geojson?bbox={CITY_BOX}&zoom=11")
    assert {f["properties"]["code"][:6] for f in in_view["features"]} == {"410102"}
    for url in (
        "/staff/map?area=410103",
        "/staff/map?area=410100",
        "/staff/map/panel/410103",
        "/staff/map/indicators/410103",
        "/staff/map/areas.geojson?parent=410103&zoom=10",
        "/staff/map/cases.geojson?parent=410103&zoom=10",
        "/staff/map/alerts.geojson?parent=410103",
    ):
        assert map_web.get(url).status_code == 403, url
    refused = map_web.get("/staff/map?area=410103&lang=en")
    assert "This is outside your area of responsibility" in refused.text


def test_open_cases_are_counted_per_child_area_and_sent_one_by_one_when_near(
    map_web: TestClient, world: CitizenWorld
) -> None:
    ids = [world.submit().case_id for _ in range(3)]
    sign_in(map_web, MAYOR)
    by_district = get_json(map_web, "/staff/map/cases.geojson?parent=410100&zoom=9")
    counts = {f["properties"]["code"]: f["properties"]["open"] for f in by_district["features"]}
    assert counts == {"410102": 3}
    by_street = get_json(map_web, "/staff/map/cases.geojson?parent=410102&zoom=11")
    assert {f["properties"]["code"]: f["properties"]["open"] for f in by_street["features"]} == {
        "410102001": 3
    }
    near = get_json(map_web, f"/staff/map/cases.geojson?parent=410102&zoom=15&bbox={CITY_BOX}")
    assert sorted(f["properties"]["id"] for f in near["features"]) == sorted(ids)
    assert {f["properties"]["kind"] for f in near["features"]} == {"case"}
    heat = get_json(map_web, f"/staff/map/heat.json?bbox={CITY_BOX}&zoom=10")
    assert sum(n for _, _, n in heat["points"]) == 3
    assert heat["max"] == 3
    sign_in(map_web, "other_officer")
    theirs = get_json(map_web, "/staff/map/cases.geojson?parent=410103&zoom=9")
    assert theirs["features"] == []
    assert get_json(map_web, f"/staff/map/heat.json?bbox={CITY_BOX}&zoom=10")["points"] == []


def test_overdue_cases_turn_the_counts_red(map_web: TestClient, world: CitizenWorld) -> None:
    world.submit()
    clock: Any = world.container.clock
    clock.now += timedelta(days=30)
    sign_in(map_web, MAYOR)
    found = get_json(map_web, "/staff/map/cases.geojson?parent=410100&zoom=9")
    (marker,) = [f["properties"] for f in found["features"]]
    assert (marker["open"], marker["overdue"], marker["warning"]) == (1, 1, 0)
    panel = map_web.get("/staff/map/panel/410102?lang=en").text
    assert 'id="panel-overdue">1<' in panel


def test_active_alerts_stand_where_their_sensor_is(
    map_web: TestClient, world: CitizenWorld
) -> None:
    sign_in(map_web, "officer")
    found = get_json(map_web, "/staff/map/alerts.geojson?parent=410102")
    (alert,) = found["features"]
    lon, lat = alert["geometry"]["coordinates"]
    assert (lat, lon) == pytest.approx((world.lat, world.lon), abs=1e-6)
    assert alert["properties"]["severity"] == 2
    sign_in(map_web, "other_officer")
    assert get_json(map_web, "/staff/map/alerts.geojson?parent=410103")["features"] == []


def test_the_panel_shows_officers_open_cases_and_indicators(
    map_web: TestClient, world: CitizenWorld
) -> None:
    world.submit()
    world.submit()
    sign_in(map_web, MAYOR)
    panel = map_web.get("/staff/map/panel/410102?lang=en")
    assert panel.status_code == 200
    text = panel.text
    for username in ("acceptor", "dispatcher", "handler", "officer"):
        assert f'<span class="who">{username}</span>' in text
    assert '<span class="who">other_officer</span>' not in text
    assert "district officer" in text
    assert 'id="panel-open">2<' in text
    figures = map_web.get("/staff/map/indicators/410102?lang=en")
    assert "<dt>Reported</dt><dd>2</dd>" in figures.text
    assert map_web.get("/staff/map/indicators/410103").status_code == 200  # the mayor's city
    assert 'href="/staff/map?area=410102001"' in text  # the children, as links
    assert 'href="/staff/map?area=410100"' in text  # the trail up to the city
    chinese = map_web.get("/staff/map/panel/410102?lang=zh-CN").text
    assert "责任人员" in chinese
    assert "区干部" in chinese


def test_the_page_works_without_script_in_both_languages(map_web: TestClient) -> None:
    sign_in(map_web, MAYOR)
    english = map_web.get("/staff/map?area=410102&lang=en")
    assert english.status_code == 200
    assert 'data-focus="410102"' in english.text
    assert "Open cases" in english.text
    assert "Officers" in english.text
    chinese = map_web.get("/staff/map?area=410102&lang=zh-CN")
    assert "在办案件" in chinese.text
    assert "责任人员" in chinese.text
    assert map_web.get("/staff/map?area=999999").status_code == 404
    assert map_web.get("/staff/map/areas.geojson?zoom=99").status_code == 400
    assert map_web.get("/staff/map/heat.json?bbox=1,2,3&zoom=9").status_code == 400


def test_the_map_needs_a_signed_in_person(map_web: TestClient) -> None:
    answer = map_web.get("/staff/map/areas.geojson?zoom=9", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/staff/login")
