"""The staff map in Debian's chromium: outlines drawn, a click drills into a district,
and the page fits a 390-px phone in both languages."""

from __future__ import annotations

import re

from playwright import sync_api

from tests.integration.citizen_world import CitizenWorld
from tests.web.browser import PHONE, Browsing, assert_accessible, assert_fits, browsing  # noqa: F401
from tests.web.map_world import MAYOR, furnish

OUTLINES = "#staff-map path.leaflet-interactive"


def test_a_leader_sees_the_districts_and_drills_into_one(
    browsing: Browsing,  # noqa: F811 - the fixture
    world: CitizenWorld,
) -> None:
    furnish(world)
    world.submit()
    page = browsing.signed_in(MAYOR)
    page.goto("/staff/map?lang=en")
    page.locator('#staff-map[data-ready="1"]').wait_for()
    sync_api.expect(page.locator(OUTLINES)).to_have_count(2)  # the two districts
    sync_api.expect(page.locator("#staff-map .area-count")).to_have_text("1")
    sync_api.expect(page.locator("#panel-indicators dt").first).to_have_text("Reported")
    assert_accessible(page)

    page.locator(OUTLINES).first.click(position={"x": 30, "y": 30})  # off the count badge
    sync_api.expect(page.locator("#panel-title")).to_have_text(re.compile(r"^district 4101"))
    assert re.search(r"\?area=4101\d\d$", page.url)
    sync_api.expect(page.locator(OUTLINES)).to_have_count(2)  # its two streets
    sync_api.expect(page.locator("#panel-children li")).to_have_count(2)

    page.locator("#panel-children a").first.click()  # by the list: keyboard users' way
    sync_api.expect(page.locator("#panel-title")).to_have_text(re.compile(r"^street 4101"))
    page.go_back()
    sync_api.expect(page.locator("#panel-title")).to_have_text(re.compile(r"^district 4101"))

    phone = browsing.signed_in(MAYOR, width=PHONE)
    phone.goto("/staff/map?lang=zh-CN")
    phone.locator('#staff-map[data-ready="1"]').wait_for()
    assert_fits(phone)
    sync_api.expect(phone.locator("#map-panel h3").first).to_have_text("在办案件")
    state = page.context.storage_state()
    browsing.screenshots("/staff/map", "map", state=state)
