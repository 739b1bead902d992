"""Following a report by its code: the public timeline, rating and reopening."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from civicgrid.domain.cases.stages import Outcome
from civicgrid.services.citizens import public_case_view
from tests.integration.citizen_world import CitizenWorld
from tests.web.conftest import csrf_token, tracking_code
from tests.web.test_report_form import fields

CONTACT = {"name": "王小明", "phone": "13912345678", "email": "wang@example.cn"}


def report(web: TestClient, world: CitizenWorld, **contact: str) -> str:
    token = csrf_token(web.get("/citizen/report").text)
    answer = web.post("/citizen/report", data=fields(world, token, **contact))
    assert answer.status_code == 200, answer.text
    return tracking_code(answer.text)


def close(world: CitizenWorld, code: str, outcome: Outcome) -> datetime:
    """Staff run the case to its close; the app's clock stands just after."""
    c = world.container
    case_id = public_case_view(c.uow(), c.rules, tracking_code=code, now=c.clock()).case_id
    closed = world.close(case_id, outcome=outcome)
    c.clock.now = closed + timedelta(minutes=5)  # type: ignore[attr-defined]
    return closed


def test_the_timeline_shows_progress_but_no_personal_data(
    web: TestClient, world: CitizenWorld
) -> None:
    code = report(web, world, **CONTACT)
    close(world, code, Outcome.FIXED)

    page = web.get(f"/citizen/track/{code}?lang=en")

    assert page.status_code == 200
    for label in ("reported", "accepted", "dispatched", "handled", "closed"):
        assert f"<strong>{label}</strong>" in page.text
    assert "City Management Bureau" in page.text
    for personal in (*CONTACT.values(), "inspector", "acceptor", "dispatcher", "handler"):
        assert personal not in page.text


def test_a_code_typed_loosely_finds_the_report(web: TestClient, world: CitizenWorld) -> None:
    code = report(web, world)
    typed = code.lower().replace("-", " ")

    found = web.get("/citizen/track", params={"code": typed}, follow_redirects=False)

    assert found.status_code == 303
    assert found.headers["location"] == f"/citizen/track/{code}"


@pytest.mark.parametrize("code", ["0000-0000-0000-0000", "not-a-code"])
def test_an_unknown_or_malformed_code_is_a_404_that_says_so(
    web: TestClient, world: CitizenWorld, code: str
) -> None:
    page = web.get(f"/citizen/track/{code}?lang=en")

    assert page.status_code == 404
    assert "tracking code" in page.text
    assert 'id="code"' in page.text  # the lookup form, to try again


def test_the_reporter_rates_a_closed_case_once(web: TestClient, world: CitizenWorld) -> None:
    code = report(web, world)
    open_page = web.get(f"/citizen/track/{code}")
    assert 'id="rate"' not in open_page.text  # nothing to rate while it is open
    close(world, code, Outcome.FIXED)
    page = web.get(f"/citizen/track/{code}")
    assert 'id="rate"' in page.text

    rated = web.post(
        f"/citizen/track/{code}/rating", data={"csrf_token": csrf_token(page.text), "stars": "4"}
    )

    assert rated.status_code == 200  # after the redirect to the tracking page
    assert "感谢您的评价。" in rated.text
    assert 'id="rating">4 分（满分 5 分）' in rated.text
    assert 'id="rate"' not in rated.text
    again = web.post(
        f"/citizen/track/{code}/rating", data={"csrf_token": csrf_token(page.text), "stars": "5"}
    )
    assert again.status_code == 409
    assert "此上报现在不能评价。" in again.text


def test_a_rating_outside_one_to_five_is_refused(web: TestClient, world: CitizenWorld) -> None:
    code = report(web, world)
    close(world, code, Outcome.FIXED)
    page = web.get(f"/citizen/track/{code}?lang=en")

    answer = web.post(
        f"/citizen/track/{code}/rating", data={"csrf_token": csrf_token(page.text), "stars": "9"}
    )

    assert answer.status_code == 422
    assert "Choose from 1 to 5 stars." in answer.text


def test_a_rating_without_the_form_token_is_refused(web: TestClient, world: CitizenWorld) -> None:
    code = report(web, world)
    close(world, code, Outcome.FIXED)

    answer = web.post(f"/citizen/track/{code}/rating", data={"stars": "1"})

    assert answer.status_code == 403
    page = web.get(f"/citizen/track/{code}")
    assert 'id="rate"' in page.text  # still unrated


def test_closed_but_not_fixed_can_be_reopened_within_the_window(
    web: TestClient, world: CitizenWorld
) -> None:
    code = report(web, world)
    closed = close(world, code, Outcome.CLOSED_NOT_FIXED)
    page = web.get(f"/citizen/track/{code}?lang=en")
    assert 'id="reopen"' in page.text
    until = (closed + timedelta(days=7)).astimezone(ZoneInfo("Asia/Shanghai"))
    assert f"You may reopen this report until {until:%Y-%m-%d %H:%M}." in page.text

    reopened = web.post(
        f"/citizen/track/{code}/reopen",
        data={"csrf_token": csrf_token(page.text), "reason": "垃圾还在"},
    )

    assert reopened.status_code == 200
    assert "Your report was reopened and sent back for handling." in reopened.text
    assert "<strong>reopened by the reporter</strong>" in reopened.text
    assert 'id="status">Open<' in reopened.text
    assert 'id="reopen"' not in reopened.text


def test_reopening_after_the_window_is_refused(web: TestClient, world: CitizenWorld) -> None:
    code = report(web, world)
    closed = close(world, code, Outcome.CLOSED_NOT_FIXED)
    assert 'id="reopen"' in web.get(f"/citizen/track/{code}").text
    days = world.container.settings.citizen_reopen_days
    world.container.clock.now = closed + timedelta(days=days, hours=1)  # type: ignore[attr-defined]

    late = web.get(f"/citizen/track/{code}")
    token = csrf_token(late.text)  # the rating form is still there
    refused = web.post(
        f"/citizen/track/{code}/reopen", data={"csrf_token": token, "reason": "还在"}
    )

    assert 'id="reopen"' not in late.text
    assert refused.status_code == 409
    assert "此上报现在不能申请重办。" in refused.text


def test_a_reopen_needs_a_reason(web: TestClient, world: CitizenWorld) -> None:
    code = report(web, world)
    close(world, code, Outcome.CLOSED_NOT_FIXED)
    page = web.get(f"/citizen/track/{code}")

    answer = web.post(
        f"/citizen/track/{code}/reopen", data={"csrf_token": csrf_token(page.text), "reason": " "}
    )

    assert answer.status_code == 422
    assert 'id="reopen"' in answer.text  # still allowed: nothing was done


def test_text_a_reporter_typed_is_shown_as_text_not_markup(
    web: TestClient, world: CitizenWorld
) -> None:
    token = csrf_token(web.get("/citizen/report").text)
    answer = web.post(
        "/citizen/report",
        data=fields(world, token, description='<script>alert("x")</script><img src=x>'),
    )
    code = tracking_code(answer.text)

    page = web.get(f"/citizen/track/{code}")

    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;img src=x&gt;" in page.text
    assert "<script>alert" not in page.text
    assert "<img src=x>" not in page.text
