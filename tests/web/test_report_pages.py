"""The report pages: today's report filled in by a grid worker, corrected as a new
version, and the aggregate with "N of M reported" and the missing list, per level."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from civicgrid.api.app import create_app
from tests.fixtures import PlainHasher
from tests.integration.citizen_world import CitizenWorld
from tests.web.conftest import csrf_token, sign_in
from tests.web.directive_world import MICRO, MICRO_2, STREET, add_daily_template, add_staff


@pytest.fixture
def pages(world: CitizenWorld) -> Iterator[TestClient]:
    add_staff(world)
    world.container.hasher = PlainHasher()
    with TestClient(create_app(container=world.container)) as client:
        client.headers["Accept-Language"] = "en"  # the assertions read the English texts
        yield client


def submit(client: TestClient, template_id: int, code: str, **values: str) -> str:
    form = client.get(f"/staff/reports/{template_id}/units/{code}")
    assert form.status_code == 200
    answer = client.post(
        "/staff/reports/submit",
        data={"csrf_token": csrf_token(form.text), "template_id": str(template_id), "unit": code,
              "period": "2026-11-23", **values},
        follow_redirects=False,
    )  # fmt: skip
    assert answer.status_code == 303, answer.text
    return str(answer.headers["location"])


def test_a_grid_worker_sees_todays_report_due_and_fills_it_in(
    pages: TestClient, world: CitizenWorld
) -> None:
    template_id = add_daily_template(world)
    sign_in(pages, "inspector")
    board = pages.get("/staff/reports")
    assert f'id="fill-{template_id}-{MICRO}"' in board.text
    assert "Not sent yet" in board.text
    form = pages.get(f"/staff/reports/{template_id}/units/{MICRO}")
    for name in ("f_patrols", "f_weather", "f_remarks", "f_spot_lat", "f_spot_lon", "f_photos"):
        assert f'id="{name}"' in form.text
    where = submit(
        pages,
        template_id,
        MICRO,
        f_patrols="3",
        f_weather="晴",
        f_spot_lat="34.1",
        f_spot_lon="113.0",
    )
    assert where.endswith("sent=1")
    assert 'id="sent-notice"' in pages.get(where).text
    assert "Sent (version 1)" in pages.get("/staff/reports").text


def test_a_correction_is_a_new_version_and_the_first_is_kept(
    pages: TestClient, world: CitizenWorld
) -> None:
    template_id = add_daily_template(world)
    sign_in(pages, "inspector")
    submit(pages, template_id, MICRO, f_patrols="3", f_weather="晴")
    form = pages.get(f"/staff/reports/{template_id}/units/{MICRO}")
    assert 'value="3"' in form.text  # the correction starts from what was sent
    submit(pages, template_id, MICRO, f_patrols="4", f_weather="雨")
    versions = pages.get(f"/staff/reports/{template_id}/units/{MICRO}").text
    assert "Version 2" in versions
    assert "Version 1" in versions


def test_a_bad_value_comes_back_next_to_its_field(pages: TestClient, world: CitizenWorld) -> None:
    template_id = add_daily_template(world)
    sign_in(pages, "inspector")
    form = pages.get(f"/staff/reports/{template_id}/units/{MICRO}")
    data = {"csrf_token": csrf_token(form.text), "template_id": str(template_id), "unit": MICRO}
    wrong = pages.post("/staff/reports/submit", data={**data, "f_patrols": "many"})
    assert wrong.status_code == 422
    assert 'href="#f_patrols"' in wrong.text
    missing = pages.post("/staff/reports/submit", data={**data, "f_patrols": "2"})
    assert missing.status_code == 422
    assert 'href="#f_weather"' in missing.text


def test_the_aggregate_says_n_of_m_per_level_and_lists_the_missing(
    pages: TestClient, world: CitizenWorld
) -> None:
    template_id = add_daily_template(world)
    sign_in(pages, "inspector")
    submit(pages, template_id, MICRO, f_patrols="3", f_weather="晴")
    pages.cookies.clear()
    sign_in(pages, "worker2")
    submit(pages, template_id, MICRO_2, f_patrols="5", f_weather="雨")
    pages.cookies.clear()
    sign_in(pages, "officer")
    board = pages.get("/staff/reports")
    assert "2 of 16 reported" in board.text
    district = pages.get(f"/staff/reports/{template_id}", params={"period": "2026-11-23"})
    assert district.status_code == 200
    assert "2 of 16 reported" in district.text
    assert re.search(r"Patrols:\s*sum 8, max 5", district.text)
    rows = dict(
        re.findall(r'<tr data-code="(\d+)">.*?data-label="Reported">([^<]+)<', district.text, re.S)
    )
    assert rows == {STREET: "2 of 8", "410102002": "0 of 8"}
    missing = re.findall(r'<li class="receipt-item" data-code="(\d+)">', district.text)
    assert len(missing) == 14
    assert MICRO not in missing
    street = pages.get(
        f"/staff/reports/{template_id}", params={"at": STREET, "period": "2026-11-23"}
    )
    assert "2 of 8 reported" in street.text
    assert len(re.findall(r'<li class="receipt-item" data-code="(\d+)">', street.text)) == 6


def test_report_pages_outside_ones_area_are_403(pages: TestClient, world: CitizenWorld) -> None:
    template_id = add_daily_template(world)
    sign_in(pages, "officer")
    assert pages.get(f"/staff/reports/{template_id}", params={"at": "410102"}).status_code == 200
    pages.cookies.clear()
    sign_in(pages, "inspector")
    assert pages.get(f"/staff/reports/{template_id}/units/{MICRO_2}").status_code == 403
    assert pages.get(f"/staff/reports/{template_id}", params={"at": STREET}).status_code == 403
    pages.cookies.clear()
    sign_in(pages, "other_officer")
    assert pages.get(f"/staff/reports/{template_id}").status_code == 403
    assert pages.get(f"/staff/reports/{template_id}/units/{MICRO}").status_code == 403
    assert pages.get(f"/staff/reports/{template_id}", params={"at": STREET}).status_code == 403
    assert pages.get("/staff/reports/999").status_code == 404


def test_the_office_reminds_the_missing_units_once_per_period(
    pages: TestClient, world: CitizenWorld
) -> None:
    template_id = add_daily_template(world)
    sign_in(pages, "inspector")
    submit(pages, template_id, MICRO, f_patrols="3", f_weather="晴")
    page = pages.get(f"/staff/reports/{template_id}")
    assert 'id="remind-form"' not in page.text  # a grid worker does not 催报
    pages.cookies.clear()
    sign_in(pages, "officer")
    page = pages.get(f"/staff/reports/{template_id}", params={"period": "2026-11-23"})
    data = {"csrf_token": csrf_token(page.text), "period": "2026-11-23"}
    first = pages.post(f"/staff/reports/{template_id}/remind", data=data)
    assert "15 units were reminded." in first.text
    again = pages.post(f"/staff/reports/{template_id}/remind", data=data)
    assert "reminded for this period already" in again.text


def test_an_urgent_report_reaches_every_level_above_and_shows_who_read_it(
    pages: TestClient,
) -> None:
    sign_in(pages, "inspector")
    form = pages.get("/staff/reports/urgent")
    assert f'<option value="{MICRO}"' in form.text
    empty = pages.post(
        "/staff/reports/urgent",
        data={"csrf_token": csrf_token(form.text), "unit": MICRO, "title": " "},
    )
    assert empty.status_code == 422
    assert 'href="#title"' in empty.text
    sent = pages.post(
        "/staff/reports/urgent",
        data={"csrf_token": csrf_token(form.text), "unit": MICRO, "title": "下穿通道积水",
              "body": "请求排水支援"},
        follow_redirects=False,
    )  # fmt: skip
    assert sent.status_code == 303
    shown = pages.get(sent.headers["location"])
    levels = re.findall(r'<li class="receipt-item" data-code="(\d+)">', shown.text)
    assert levels == ["410100", "410102", STREET, MICRO[:12], MICRO[:15]]
    assert shown.text.count("not read yet") == 5
    pages.cookies.clear()
    sign_in(pages, "other_officer")
    assert pages.get(sent.headers["location"]).status_code == 403
