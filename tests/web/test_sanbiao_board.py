"""/staff/sanbiao: cards computed from the logs, standard and benchmark, ranking among
siblings, milestone statuses, the conversion report, and 403 outside the subtree."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from fastapi.testclient import TestClient

from tests.integration.citizen_world import CitizenWorld
from tests.web.conftest import sign_in
from tests.web.sanbiao_world import ON_TIME, RETAIL, SanbiaoWorld, build_sanbiao


@pytest.fixture
def sanbiao(world: CitizenWorld) -> SanbiaoWorld:
    return build_sanbiao(world)


def card(html: str, code: str) -> str:
    found = re.search(
        rf'<article class="sanbiao-card" data-indicator="{re.escape(code)}">(.*?)</article>',
        html,
        re.S,
    )
    assert found is not None, f"no card for {code}"
    return found[1]


def on_time_value(html: str) -> str:
    found = re.search(r'id="on-time-rate" value="([^"]*)"', html)
    assert found is not None, "the page shows no on-time rate"
    return found[1]


def test_closing_a_case_on_time_moves_the_on_time_rate(
    staff_web: TestClient, sanbiao: SanbiaoWorld
) -> None:
    sign_in(staff_web, "officer")
    before = staff_web.get("/staff/sanbiao", params={"lang": "en"})
    assert before.status_code == 200, before.text
    assert on_time_value(before.text) == ""  # nothing was due yet this month
    assert "2026-11 so far" in card(before.text, ON_TIME)

    sanbiao.close_on_time()
    after = staff_web.get("/staff/sanbiao")
    assert on_time_value(after.text) == "100"
    shown = card(after.text, ON_TIME)
    assert "100.0 %" in shown
    assert "90.0 %" in shown  # the standard set by hand for 2026-11
    assert "Suzhou Industrial Park" in shown
    assert "98.0 %" in shown
    assert "-10.0 %" in shown  # ten points ahead of the standard


def test_the_ranking_orders_the_siblings_best_first(
    staff_web: TestClient, sanbiao: SanbiaoWorld
) -> None:
    sign_in(staff_web, "officer")
    html = staff_web.get("/staff/sanbiao", params={"lang": "en"}).text
    retail = card(html, RETAIL)
    assert "130" in retail
    assert "2025" in retail
    assert "2 of 2" in retail  # the other district sells more
    assert "+270" in retail  # short of the peer's 400
    table = re.search(
        r'<table class="list ranking-table" data-indicator="economy.retail_sales">(.*?)</table>',
        html,
        re.S,
    )
    assert table is not None
    rows = re.findall(r"<tr( class=\"mine\")?><td>(\d)</td><td>([^<]+)</td>", table[1])
    assert [(r[1], r[2], bool(r[0])) for r in rows] == [
        ("1", "district 410103", False),
        ("2", "district 410102", True),
    ]
    chart = re.search(r"id=\"sanbiao-ranking\"[^>]*data-chart='([^']*)'", html)
    assert chart is not None
    data = json.loads(unescape(chart[1]))
    assert [r["value"] for r in data[RETAIL]["rows"]] == [180.0, 130.0]
    assert [r["mine"] for r in data[RETAIL]["rows"]] == [False, True]


def test_milestones_show_their_computed_status(
    staff_web: TestClient, sanbiao: SanbiaoWorld
) -> None:
    sign_in(staff_web, "officer")
    html = staff_web.get("/staff/sanbiao", params={"lang": "en"}).text
    statuses = {
        int(i): s for i, s in re.findall(r'data-milestone="(\d+)" data-status="([a-z_]+)"', html)
    }
    ids = sanbiao.milestone_ids
    assert statuses == {
        ids["Retail 125"]: "achieved",
        ids["Retail 150"]: "on_track",
        ids["Retail 400"]: "at_risk",
        ids["Plaza opened"]: "missed",
        ids["Park opened"]: "not_started",
    }
    assert ">late<" in html
    assert ">on track<" in html
    assert ">at risk<" in html
    charts = re.findall(r"class=\"chart small forecast\"[^>]*data-chart='([^']*)'", html)
    bands = [json.loads(unescape(c))["band"] for c in charts]
    assert len(bands) == 3  # the milestones checked on retail sales
    forecasts = [b for b in bands if b is not None]
    assert len(forecasts) == 2  # on track and at risk: the achieved one needs none
    for band in forecasts:
        assert band["low"] <= band["expected"] <= band["high"]
        assert band["expected"] > 130  # the trend of 10 a year goes on


def test_the_conversion_report_links_lessons_actions_and_milestones(
    staff_web: TestClient, sanbiao: SanbiaoWorld
) -> None:
    sign_in(staff_web, "officer")
    html = staff_web.get("/staff/sanbiao", params={"lang": "en"}).text
    section = html[html.index('id="conversion-title"') :]
    assert "Night economy" in section
    assert "Night market policy" in section
    assert '→ Retail 150: <span class="status-chip status-on_track">on track</span>' in section
    assert "No action taken on this lesson yet" in section  # Community governance
    assert "110" in section
    assert "130" in section


def test_the_board_speaks_chinese(staff_web: TestClient, sanbiao: SanbiaoWorld) -> None:
    sign_in(staff_web, "officer")
    html = staff_web.get("/staff/sanbiao", params={"lang": "zh-CN"}).text
    assert "按期结案率" in card(html, ON_TIME)
    assert "苏州工业园区" in html


def test_an_area_below_can_be_shown_and_one_outside_is_refused(
    staff_web: TestClient, sanbiao: SanbiaoWorld
) -> None:
    sign_in(staff_web, "officer")
    street = staff_web.get("/staff/sanbiao", params={"area": "410102001", "lang": "en"})
    assert street.status_code == 200
    assert "street 410102001" in street.text
    assert 'href="/staff/sanbiao?area=410102"' in street.text  # back up to the district
    refused = staff_web.get("/staff/sanbiao", params={"area": "410103", "lang": "en"})
    assert refused.status_code == 403
    assert "outside your area of responsibility" in refused.text


def test_signing_in_comes_first(staff_web: TestClient, sanbiao: SanbiaoWorld) -> None:
    answer = staff_web.get("/staff/sanbiao", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/staff/login")
