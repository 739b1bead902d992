"""/staff/screen: the panels' numbers match the data, the panels fragment, the live
feed of the area (server-sent events) and 403 outside the subtree."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from civicgrid.domain.areas import Level
from civicgrid.domain.directives import Content, Selection
from civicgrid.services.directives.issuing import issue_directive
from civicgrid.services.directives.responding import sign_receipts
from civicgrid.services.directives.revising import revoke_directive
from civicgrid.services.sensor_ports import StoredAlert
from civicgrid.web.routes import staff_screen
from tests.integration.citizen_world import MICRO, CitizenWorld
from tests.web.conftest import sign_in
from tests.web.sanbiao_world import SanbiaoWorld, build_sanbiao

STREET, OTHER_STREET = "410102001", "410102002"


@pytest.fixture
def sanbiao(world: CitizenWorld) -> SanbiaoWorld:
    return build_sanbiao(world)


def shown(html: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}"[^>]*>([^<]*)<', html)
    assert found is not None, f"no #{element_id}"
    return found[1].strip()


def add_alert(world: SanbiaoWorld, code: str, path: str, severity: int, *, active: bool) -> None:
    fired = world.container.clock() - timedelta(minutes=30)
    alert = StoredAlert(
        id=0,
        sensor_id=f"s-{code}-{severity}",
        rule_id="water_level_high",
        category="water_level",
        area_code=code,
        area_path=path,
        severity=severity,
        active=active,
        flapping=False,
        silenced=False,
        fired_at=fired,
        cleared_at=None if active else fired + timedelta(minutes=5),
        last_value=1.0,
        hits=1,
        fires=1,
        acknowledged_at=None,
        acknowledged_by=None,
        assignee=None,
        case_id=None,
    )
    with world.container.iot_uow() as uow:
        uow.alerts.add(alert)
        uow.commit()


def test_the_panels_count_what_happened_today(staff_web: TestClient, sanbiao: SanbiaoWorld) -> None:
    c = sanbiao.container
    sanbiao.citizens.submit(at=c.clock())  # never accepted: overdue after 30 minutes
    sanbiao.close_on_time()  # a second case, reported and closed within the hour
    micro_path = "/410100/410102/410102001/410102001001/410102001001001/" + MICRO + "/"
    add_alert(sanbiao, MICRO, micro_path, 3, active=True)
    add_alert(sanbiao, MICRO, micro_path, 1, active=False)  # cleared: not on the screen
    officer = sanbiao.citizens.staff["officer"]
    issued = issue_directive(
        c.uow(),
        officer,
        Content("清理积存垃圾", "请各街道清理", "Clear the rubbish", "Every street"),
        Selection(level=Level.STREET),
        now=c.clock(),
    )
    sign_receipts(c.uow(), officer, issued.directive.id, [STREET], now=c.clock())
    revoked = issue_directive(
        c.uow(),
        officer,
        Content("撤回的指令", "作废", "A revoked directive", "Void"),
        Selection(level=Level.STREET),
        now=c.clock(),
    )
    revoke_directive(c.uow(), officer, revoked.directive.id, "发错了", now=c.clock())

    sign_in(staff_web, "officer")
    html = staff_web.get("/staff/screen", params={"lang": "en"}).text
    assert shown(html, "screen-new-today") == "2"
    assert shown(html, "screen-closed-today") == "1"
    assert shown(html, "screen-on-time") == "100.0 %"
    assert shown(html, "screen-overdue") == "1"  # `waiting` waited past its 30 minutes
    assert shown(html, "screen-alerts-count") == "1"
    rows = re.findall(r'<tr data-area="(\d+)"><td><a [^>]+>[^<]+</a></td><td>(\d+)</td>', html)
    assert rows == [(STREET, "1"), (OTHER_STREET, "0")]  # most overdue first
    chart = re.search(r"id=\"screen-overdue-chart\"[^>]*data-chart='([^']*)'", html)
    assert chart is not None
    assert json.loads(chart[1].replace("&#39;", "'"))["counts"] == [1, 0]
    assert "Clear the rubbish" in html
    assert "signed 1 of 2 · done 0 of 2" in html
    assert "A revoked directive" not in html  # nothing left to follow
    milestones = dict(re.findall(r'data-status="([a-z_]+)"><span class="n">(\d+)</span>', html))
    assert milestones == {
        "not_started": "1",
        "on_track": "1",
        "at_risk": "1",
        "achieved": "1",
        "missed": "1",
    }


def test_the_panels_fragment_follows_the_data(staff_web: TestClient, sanbiao: SanbiaoWorld) -> None:
    sign_in(staff_web, "officer")
    before = staff_web.get("/staff/screen/panels", params={"area": "410102", "lang": "en"})
    assert before.status_code == 200
    assert "<html" not in before.text  # a fragment, for the page to swap in
    assert shown(before.text, "screen-closed-today") == "0"
    assert shown(before.text, "screen-on-time") == "—"
    sanbiao.close_on_time()
    after = staff_web.get("/staff/screen/panels", params={"area": "410102", "lang": "en"})
    assert shown(after.text, "screen-closed-today") == "1"
    assert shown(after.text, "screen-on-time") == "100.0 %"


def test_the_city_leader_sees_the_districts(staff_web: TestClient, sanbiao: SanbiaoWorld) -> None:
    sign_in(staff_web, "mayor")
    html = staff_web.get("/staff/screen", params={"lang": "zh-CN"}).text
    assert re.findall(r'<tr data-area="(\d+)">', html) == ["410102", "410103"]
    assert "今日案件" in html


@pytest.mark.parametrize("path", ["/staff/screen", "/staff/screen/panels", "/staff/screen/events"])
def test_another_district_is_refused(
    staff_web: TestClient, sanbiao: SanbiaoWorld, path: str
) -> None:
    sign_in(staff_web, "officer")
    refused = staff_web.get(path, params={"area": "410103", "lang": "en"})
    assert refused.status_code == 403
    assert "outside your area of responsibility" in refused.text


def test_the_event_stream_tells_of_a_case_that_changed(
    staff_web: TestClient, sanbiao: SanbiaoWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(staff_screen, "STREAM_SECONDS", 10.0)  # a bound if nothing comes
    case_id = sanbiao.citizens.submit(at=sanbiao.container.clock()).case_id
    sign_in(staff_web, "officer")
    seen: list[dict[str, object]] = []
    started = datetime.now().astimezone()
    with staff_web.stream("GET", "/staff/screen/events", params={"area": "410102"}) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        for line in response.iter_lines():
            if line == ": subscribed":
                sanbiao.accept(case_id)  # through the container's feed, after the commit
            elif line.startswith("data: "):
                seen.append(json.loads(line.removeprefix("data: ")))
                break
    assert seen == [
        {"kind": "accepted", "case_id": case_id, "at": sanbiao.container.clock().isoformat()}
    ]
    assert datetime.now().astimezone() - started < timedelta(seconds=10)


def test_the_event_stream_keeps_other_districts_out(
    staff_web: TestClient, sanbiao: SanbiaoWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(staff_screen, "STREAM_SECONDS", 1.0)
    case_id = sanbiao.citizens.submit(at=sanbiao.container.clock()).case_id
    sign_in(staff_web, "other_officer")
    lines = []
    with staff_web.stream("GET", "/staff/screen/events") as response:
        for line in response.iter_lines():
            if line == ": subscribed":
                sanbiao.accept(case_id)  # in 410102: not for 410103's screen
            lines.append(line)
    assert not [line for line in lines if line.startswith("data: ")]
