"""The citizen report form: rendering, submission, validation and CSRF, on both engines."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

from fastapi.testclient import TestClient

from civicgrid.api.app import create_app
from civicgrid.services.citizens import public_case_view
from civicgrid.services.ports import CaseFilter
from civicgrid.web.csrf import MAX_AGE_S
from tests.integration.citizen_world import GARBAGE, CitizenWorld
from tests.web.conftest import csrf_token, tracking_code

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
CODE_SHAPE = re.compile(r"[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}")


def fields(world: CitizenWorld, token: str, **changes: str) -> dict[str, str]:
    base = {
        "csrf_token": token,
        "category": GARBAGE,
        "description": "小区门口垃圾堆了三天",
        "lat": f"{world.lat:.6f}",
        "lon": f"{world.lon:.6f}",
    }
    return base | changes


def problems_of(html: str) -> list[str]:
    block = html.split('id="problems"', 1)
    assert len(block) == 2, "the page lists no problems"
    return re.findall(r'<li><a href="#([a-z_-]+)">([^<]+)</a></li>', block[1].split("</ul>")[0])


def test_the_form_lists_categories_in_the_chosen_language(web: TestClient) -> None:
    chinese = web.get("/citizen/report")
    english = web.get("/citizen/report?lang=en")

    assert chinese.status_code == english.status_code == 200
    assert '<option value="event:0101">暴露垃圾</option>' in chinese.text
    assert '<option value="event:0101">Exposed garbage</option>' in english.text
    assert '<html lang="en">' in english.text
    assert "frame-ancestors 'none'" in chinese.headers["content-security-policy"]


def test_a_report_with_a_photo_opens_a_case_and_shows_its_tracking_code(
    web: TestClient, world: CitizenWorld
) -> None:
    token = csrf_token(web.get("/citizen/report").text)
    answer = web.post(
        "/citizen/report",
        data=fields(world, token, name="张三", phone="13800138000"),
        files={"photo": ("door.png", PNG, "image/png")},
    )

    assert answer.status_code == 200, answer.text
    code = tracking_code(answer.text)
    assert CODE_SHAPE.fullmatch(code)
    assert f'href="/citizen/track/{code}"' in answer.text
    assert f">http://testserver/citizen/track/{code}</a>" in answer.text
    assert f'href="/citizen/track/{code}?lang=en"' in answer.text  # the switch: no re-post
    c = world.container
    view = public_case_view(c.uow(), c.rules, tracking_code=code, now=c.clock())
    assert (view.category, view.area_code, view.photo_count) == (GARBAGE, "41010200100100101", 1)
    assert view.description == "小区门口垃圾堆了三天"


def test_an_anonymous_report_needs_no_contact(web: TestClient, world: CitizenWorld) -> None:
    token = csrf_token(web.get("/citizen/report").text)

    answer = web.post("/citizen/report", data=fields(world, token))

    assert answer.status_code == 200
    assert CODE_SHAPE.fullmatch(tracking_code(answer.text))


def test_missing_fields_are_named_in_chinese_and_the_input_is_kept(
    web: TestClient, world: CitizenWorld
) -> None:
    token = csrf_token(web.get("/citizen/report").text)

    answer = web.post(
        "/citizen/report",
        data=fields(world, token, category="", lat="", lon="", description="还在", phone="abc"),
    )

    assert answer.status_code == 422
    assert problems_of(answer.text) == [
        ("category", "请选择问题类别。"),
        ("lat", "请在地图上标出问题位置，或使用您当前的位置。"),
        ("phone", "电话号码应为数字，例如 13800138000。"),
    ]
    assert ">还在</textarea>" in answer.text
    assert 'value="abc"' in answer.text
    assert "tracking-code" not in answer.text


def test_problems_are_named_in_english_when_english_is_chosen(
    web: TestClient, world: CitizenWorld
) -> None:
    web.get("/citizen/report?lang=en")  # remembered in a cookie from here on
    token = csrf_token(web.get("/citizen/report").text)

    answer = web.post(
        "/citizen/report",
        data=fields(world, token, description="", lat="95", category="event:9999"),
    )

    assert answer.status_code == 422
    assert problems_of(answer.text) == [
        ("category", "Choose a category from the list."),
        ("description", "Describe the problem."),
        ("lat", "Latitude must be a number between -90 and 90."),
    ]


def test_a_point_outside_the_city_is_refused_with_a_translated_reason(
    web: TestClient, world: CitizenWorld
) -> None:
    token = csrf_token(web.get("/citizen/report").text)

    answer = web.post("/citizen/report", data=fields(world, token, lat="30.0", lon="120.0"))

    assert answer.status_code == 422
    assert problems_of(answer.text) == [
        ("lat", "该位置不在本市辖区内，请在地图上已划定的区域内标出位置。")
    ]


def test_a_file_that_is_no_image_is_refused_and_nothing_is_filed(
    web: TestClient, world: CitizenWorld
) -> None:
    token = csrf_token(web.get("/citizen/report?lang=en").text)

    answer = web.post(
        "/citizen/report",
        data=fields(world, token),
        files={"photo": ("evil.png", b"<html><script>alert(1)</script>", "image/png")},
    )

    assert answer.status_code == 422
    assert problems_of(answer.text) == [
        ("photo", "The photo must be a JPEG, PNG, WebP or HEIC image.")
    ]
    assert _case_count(world) == 0


def test_a_post_without_the_form_token_is_refused(web: TestClient, world: CitizenWorld) -> None:
    web.get("/citizen/report")  # the browser holds a nonce cookie, but the post has no token

    answer = web.post("/citizen/report", data=fields(world, ""))

    assert answer.status_code == 403
    assert "表单已失效" in answer.text
    assert _case_count(world) == 0


def test_a_token_made_for_another_browser_is_refused(web: TestClient, world: CitizenWorld) -> None:
    token = csrf_token(web.get("/citizen/report").text)
    web.cookies.clear()  # a forging site's visitor: our token, but not our cookie
    web.get("/citizen/report")

    answer = web.post("/citizen/report", data=fields(world, token))

    assert answer.status_code == 403
    assert _case_count(world) == 0


def test_an_expired_token_is_refused(web: TestClient, world: CitizenWorld) -> None:
    token = csrf_token(web.get("/citizen/report").text)
    world.container.clock.now += timedelta(seconds=MAX_AGE_S + 1)  # type: ignore[attr-defined]

    answer = web.post("/citizen/report", data=fields(world, token))

    assert answer.status_code == 403
    assert _case_count(world) == 0


def _case_count(world: CitizenWorld) -> int:
    c = world.container
    with c.uow() as uow:
        return uow.cases.listing(["/"], CaseFilter(), offset=0, limit=10).count


def test_a_photo_over_the_limit_is_refused_with_the_limit_named(world: CitizenWorld) -> None:
    small = world.container.settings.model_copy(update={"attachment_max_bytes": 1_048_576})
    with TestClient(create_app(container=replace(world.container, settings=small))) as web:
        token = csrf_token(web.get("/citizen/report?lang=en").text)
        answer = web.post(
            "/citizen/report",
            data=fields(world, token),
            files={"photo": ("big.png", PNG + b"\x00" * 1_048_576, "image/png")},
        )

    assert answer.status_code == 422
    assert problems_of(answer.text) == [("photo", "The photo is larger than 1 MB.")]
    assert _case_count(world) == 0
