"""Scenario 2: a street officer issues a directive to the street's micro-grids at a desk,
two grid workers sign it on their phones, and the progress tree shows 2 of 8 signed."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from tests.integration.citizen_world import CitizenWorld
from tests.web.browser import (
    PHONE,
    Browsing,
    assert_accessible,
    browsing,  # noqa: F401 - the fixture
)
from tests.web.directive_world import MICRO, MICRO_2, STREET, add_staff

COMMUNITY = MICRO[:12]
OTHER_COMMUNITY = STREET + "002"
TITLE = "Clear the snow from the footpaths"


def issue_to_the_micro_grids(page: Page) -> str:
    """The issue form filled in, its preview read, sent; the progress page's path."""
    page.goto("/staff/directives")
    page.click("#issue-directive")
    page.fill("#title_zh", "清扫人行道积雪")
    page.fill("#title_en", TITLE)
    page.fill("#body_zh", "今日 12 时前清扫完毕并反馈。")
    page.fill("#sign_by", "2026-11-23T12:00")
    page.fill("#due_by", "2026-11-24T18:00")
    page.fill("#within", STREET)
    page.check("#target_level")
    page.select_option("#level", "micro-grid")
    expect(page.locator("#preview-total")).to_contain_text("8")
    assert_accessible(page)
    page.click("#issue-submit")
    page.wait_for_url(re.compile(r"/staff/directives/\d+$"))
    return page.url.removeprefix(page.url.split("/staff/")[0])


def signed_cell(page: Page, code: str) -> Locator:
    return page.locator(f"#progress-tree tr[data-code='{code}'] td").nth(2)


def sign_on_a_phone(web: Browsing, worker: str, unit: str, *, via: str) -> Page:
    """`worker` opens the directive from `via` (My tasks or the directives list) and signs."""
    page = web.signed_in(worker, width=PHONE)
    if via == "tasks":
        page.goto("/staff/")
        page.locator("#directives-to-sign a", has_text=TITLE).click()
    else:
        page.goto("/staff/directives")
        page.locator(f"#received a[href$='/units/{unit}']", has_text=TITLE).click()
    expect(page.locator("#directive-title")).to_have_text(TITLE)
    page.click("#sign-button")
    expect(page.locator("#progress-form")).to_be_visible()  # signed: now it reports progress
    assert page.url.endswith(f"/units/{unit}")
    page.goto("/staff/")
    expect(page.locator("#directives-to-sign")).not_to_contain_text(TITLE)
    return page


def test_a_directive_to_a_streets_micro_grids_shows_two_of_eight_signed(
    browsing: Browsing,  # noqa: F811 - the fixture
    world: CitizenWorld,
) -> None:
    add_staff(world)
    officer = browsing.signed_in("street_officer")
    progress = issue_to_the_micro_grids(officer)
    expect(officer.locator("#signed-count")).to_have_text("0 of 8 signed")

    first = sign_on_a_phone(browsing, "inspector", MICRO, via="tasks")
    assert_accessible(first)
    unit_page = first.url.removeprefix(browsing.base_url)
    state = first.context.storage_state()
    sign_on_a_phone(browsing, "worker2", MICRO_2, via="list")
    officer.reload()

    expect(officer.locator("#signed-count")).to_have_text("2 of 8 signed")
    expect(officer.locator("#laggards li")).to_have_count(6)  # not signed yet
    rows = officer.locator("#progress-tree tr[data-code]")
    expect(rows).to_have_count(2)  # the street's two communities; both signers in the first
    expect(signed_cell(officer, COMMUNITY)).to_have_text("2")
    expect(signed_cell(officer, OTHER_COMMUNITY)).to_have_text("0")
    assert_accessible(officer)
    officer.locator(f"#progress-tree tr[data-code='{COMMUNITY}'] a").click()
    expect(officer.locator("#signed-count")).to_have_text("2 of 4 signed")
    desk = officer.context.storage_state()
    browsing.screenshots(progress, "directive-progress", state=desk)
    browsing.screenshots(unit_page, "directive-signed-unit", state=state)
