"""A body too large (413) or a client too fast (429): a browser asking for a page gets a
page in its language naming the problem; the API and Open311 keep their error bodies."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from civicgrid.api.app import create_app
from tests.integration.citizen_world import CitizenWorld

HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"  # a browser's Accept
FORM = {"content-type": "application/x-www-form-urlencoded"}


def client_with(world: CitizenWorld, **settings: object) -> TestClient:
    changed = world.container.settings.model_copy(update=settings)
    return TestClient(create_app(container=replace(world.container, settings=changed)))


@pytest.fixture
def small(world: CitizenWorld) -> Iterator[TestClient]:
    """Forms take 2 KB, photos 1 MB."""
    with client_with(world, max_body_bytes=2048, attachment_max_bytes=1024 * 1024) as client:
        yield client


def test_a_photo_too_large_for_the_citizen_form_is_a_page_in_chinese(small: TestClient) -> None:
    answer = small.post(
        "/citizen/report?lang=zh-CN",
        content=b"x" * (3 * 1024 * 1024),
        headers={"accept": HTML, **FORM},
    )
    assert answer.status_code == 413
    assert answer.headers["content-type"].startswith("text/html")
    assert '<html lang="zh-CN">' in answer.text
    assert "照片超过 1 MB。" in answer.text
    assert 'href="/citizen/report"' in answer.text


def test_a_body_cut_off_while_streaming_is_the_same_page(small: TestClient) -> None:
    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit counts as it arrives
        for _ in range(64):
            yield b"x" * 65536

    answer = small.post(
        "/citizen/report?lang=en", content=chunks(), headers={"accept": HTML, **FORM}
    )
    assert answer.status_code == 413
    assert "The photo is larger than 1 MB." in answer.text


def test_a_staff_form_too_large_names_its_limit_in_english(small: TestClient) -> None:
    answer = small.post(
        "/staff/login?lang=en", content=b"x" * 5000, headers={"accept": HTML, **FORM}
    )
    assert answer.status_code == 413
    assert "What you sent is larger than 2 KB." in answer.text
    assert 'href="/staff/login"' in answer.text


def test_the_api_and_a_script_keep_the_json_413(small: TestClient) -> None:
    api = small.post("/api/v1/cases", content=b"x" * 5000, headers={"accept": HTML, **FORM})
    script = small.post("/citizen/report", content=b"x" * (3 * 1024 * 1024), headers=FORM)
    for answer in (api, script):
        assert answer.status_code == 413
        assert answer.json()["error"]["code"] == "body_too_large"


@pytest.fixture
def strict(world: CitizenWorld) -> Iterator[TestClient]:
    """Three requests at once, then one a minute."""
    with client_with(world, public_rate_per_minute=1.0, public_rate_burst=3) as client:
        yield client


def flood(client: TestClient, path: str, **headers: str) -> object:
    for _ in range(3):
        client.get(path, headers=headers)
    return client.get(path, headers=headers)


def test_a_flooding_browser_gets_a_page_with_the_time_to_wait(strict: TestClient) -> None:
    answer = flood(strict, "/citizen/report?lang=en", accept=HTML)
    assert answer.status_code == 429  # type: ignore[attr-defined]
    retry = int(answer.headers["retry-after"])  # type: ignore[attr-defined]
    assert retry >= 1
    assert answer.headers["content-type"].startswith("text/html")  # type: ignore[attr-defined]
    assert f"Please wait {retry} s and try again." in answer.text  # type: ignore[attr-defined]


def test_signing_in_too_often_is_told_in_chinese(strict: TestClient) -> None:
    answer = flood(strict, "/staff/login", accept=HTML, **{"accept-language": "zh-CN"})
    assert answer.status_code == 429  # type: ignore[attr-defined]
    assert '<html lang="zh-CN">' in answer.text  # type: ignore[attr-defined]
    assert "请等待" in answer.text  # type: ignore[attr-defined]


def test_open311_keeps_its_xml_and_json_429(strict: TestClient) -> None:
    xml = flood(strict, "/open311/v2/services.xml", accept=HTML)
    assert xml.status_code == 429  # type: ignore[attr-defined]
    assert xml.headers["content-type"].startswith("text/xml")  # type: ignore[attr-defined]
    assert "<errors>" in xml.text  # type: ignore[attr-defined]
    json_answer = strict.get("/open311/v2/services.json", headers={"accept": HTML})
    assert json_answer.status_code == 429
    assert json_answer.json()[0]["code"] == 429
