"""The directive and report pages in chromium: the htmx target preview answers as the
selection changes, and the unit's side fits a 390-px phone and passes axe-core."""

from __future__ import annotations

import pytest
from playwright import sync_api

from tests.integration.citizen_world import CitizenWorld
from tests.web.browser import (
    PHONE,
    Browsing,
    assert_accessible,
    assert_fits,
    browsing,  # noqa: F401 - the fixture
)
from tests.web.directive_world import MICRO, STREET, add_daily_template, add_staff

pytestmark = pytest.mark.usefixtures("world")


def test_issuing_previews_the_targets_and_a_grid_worker_signs_on_a_phone(
    browsing: Browsing,  # noqa: F811 - the fixture
    world: CitizenWorld,
) -> None:
    add_staff(world)
    desk = browsing.signed_in("officer")
    desk.goto("/staff/directives/new")
    desk.fill("#title_zh", "检查积水点")
    desk.fill("#within", STREET)
    desk.select_option("#level", "micro-grid")
    sync_api.expect(desk.locator("#preview-total")).to_have_text("8 units")
    desk.select_option("#level", "grid")
    sync_api.expect(desk.locator("#preview-total")).to_have_text("4 units")
    desk.check("#target_list")
    desk.fill("#codes", f"{MICRO}\n")
    desk.locator("#codes").press("Tab")
    sync_api.expect(desk.locator("#preview-total")).to_have_text("1 units")
    desk.check("#target_level")
    desk.select_option("#level", "micro-grid")
    desk.fill("#field_1_label_zh", "已排查点数")
    desk.select_option("#field_1_type", "number")
    assert_accessible(desk)
    desk.click("#issue-submit")
    desk.wait_for_url("**/staff/directives/*")
    sync_api.expect(desk.locator("#signed-count")).to_have_text("0 of 8 signed")
    directive_url = desk.url

    phone = browsing.signed_in("inspector", width=PHONE)
    phone.goto("/staff/directives")
    phone.locator("#received a").first.click()
    assert_fits(phone)
    assert_accessible(phone)
    phone.click("#sign-button")
    sync_api.expect(phone.locator("#receipt-state")).to_have_text("Signed")
    phone.fill("#f_field_1", "3")
    assert_fits(phone)
    phone.click("#complete-button")
    sync_api.expect(phone.locator("#receipt-state")).to_have_text("Done")
    assert_fits(phone)

    desk.goto(directive_url)
    sync_api.expect(desk.locator("#done-count")).to_have_text("1 of 8 done")
    assert_accessible(desk)
    # Both languages at both widths, none wider than its window; kept as artifacts.
    office = desk.context.storage_state()
    path = directive_url.removeprefix(browsing.base_url)
    browsing.screenshots("/staff/directives/new", "directive-new", state=office)
    browsing.screenshots(f"{path}?at={STREET}", "directive-progress-street", state=office)
    browsing.screenshots(f"{path}/units/{MICRO}", "directive-receipt-done", state=office)


def test_a_grid_worker_fills_in_todays_report_on_a_phone(
    browsing: Browsing,  # noqa: F811 - the fixture
    world: CitizenWorld,
) -> None:
    template_id = add_daily_template(world)
    phone = browsing.signed_in("inspector", width=PHONE)
    phone.goto("/staff/reports")
    phone.click(f"#fill-{template_id}-{MICRO}")
    assert_fits(phone)
    assert_accessible(phone)
    phone.fill("#f_patrols", "2")
    phone.select_option("#f_weather", "晴")
    phone.click("#report-submit")
    sync_api.expect(phone.locator("#sent-notice")).to_have_text("Report sent (version 1).")
    assert_fits(phone)
    officer = browsing.signed_in("officer")
    officer.goto(f"/staff/reports/{template_id}")
    sync_api.expect(officer.locator("#reported-summary strong")).to_have_text("1 of 16 reported")
    assert_fits(officer)
    assert_accessible(officer)
    office = officer.context.storage_state()
    browsing.screenshots(f"/staff/reports/{template_id}", "report-aggregate", state=office)
    worker = phone.context.storage_state()
    browsing.screenshots(f"/staff/reports/{template_id}/units/{MICRO}", "report-fill", state=worker)
