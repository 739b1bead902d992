"""Accessibility of the pages test_browser_access.py leaves out, in a real browser:
axe-core's WCAG 2 A/AA rules on the report, alert, sensor, map, screen, directive, case
and tracking pages in both languages (the grid worker's pages at phone width), and two
more main flows by keyboard alone: a unit signs a directive, an officer acknowledges an
alert. Each form is also checked as it comes back with its problem list.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from civicgrid.domain.areas import Level
from civicgrid.domain.directives import Content, Selection
from civicgrid.services.alerts_lifecycle import acknowledge_alert
from civicgrid.services.directives.issuing import issue_directive
from tests.integration.citizen_world import MICRO, MONDAY_9AM, CitizenWorld
from tests.web.admin_world import add_admins
from tests.web.alerts_world import build_alerts_world
from tests.web.browser import (
    LANGUAGES,
    PHONE,
    Browsing,
    accessibility_problems,
    browsing,  # noqa: F401 - the fixture
    tab_to,
)
from tests.web.directive_world import STREET, add_daily_template


def a_directive(world: CitizenWorld) -> int:
    """The district officer's directive to one street's eight micro-grids, MICRO among them."""
    content = Content(title_zh="清扫积雪", body_zh="人行道", title_en="Clear the snow")
    issued = issue_directive(
        world.container.uow(),
        world.staff["officer"],
        content,
        Selection(within=STREET, level=Level.MICRO_GRID),
        now=MONDAY_9AM,
    )
    return issued.directive.id


def sent_empty(page: Page, forms: dict[str, str]) -> list[str]:
    """Each form (page → its submit button) sent with nothing filled in, the browser's own
    checks switched off: axe-core's findings on the page that comes back with its problems."""
    found = []
    for path, submit in forms.items():
        page.goto(path)
        page.evaluate("document.querySelectorAll('form').forEach(f => { f.noValidate = true; })")
        page.click(submit)
        page.wait_for_load_state()
        expect(page.locator("#problems, .problems").first).to_be_visible()
        found += accessibility_problems(page)
    return found


def assert_focus_shows(page: Page) -> None:
    """The focused control is drawn with a visible focus ring (an outline or a shadow)."""
    ring = page.evaluate(
        """() => {
            const s = getComputedStyle(document.activeElement);
            const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
            return outline || s.boxShadow !== 'none';
        }"""
    )
    assert ring, f"no visible focus on {page.url}"


def visit(page: Page, pages: dict[str, str | None], language: str) -> list[str]:
    found = []
    for path, ready in pages.items():
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == language, path
        if ready is not None:
            page.locator(ready).first.wait_for()
        found += accessibility_problems(page)
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_desk_pages_pass_axe_core(
    browsing: Browsing,  # noqa: F811 - the fixture
    world: CitizenWorld,
    language: str,
) -> None:
    alerts = build_alerts_world(world)
    template_id = add_daily_template(world)
    directive_id = a_directive(world)
    alert_id = alerts.alert_of("GAS-1").id
    desk: dict[str, str | None] = {
        "/staff/reports": None,
        f"/staff/reports/{template_id}": None,
        "/staff/reports/urgent": None,
        "/staff/alerts": None,
        f"/staff/alerts/{alert_id}": None,
        "/staff/sensors/WL-1": "#sensor-chart[data-drawn] canvas",
        "/staff/map": '#staff-map[data-ready="1"]',
        "/staff/screen": "#screen-overdue-chart[data-drawn=true] canvas",
        "/staff/directives": None,
        "/staff/directives/new": None,
        f"/staff/directives/{directive_id}/units/{MICRO}": None,
        "/staff/cases": None,
    }

    page = browsing.signed_in("officer", language=language)
    found = visit(page, desk, language)
    found += sent_empty(
        page,
        {"/staff/directives/new": "#issue-submit", "/staff/reports/urgent": "#urgent-submit"},
    )

    assert not found, "axe-core found:\n" + "\n".join(found)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_grid_workers_phone_pages_pass_axe_core(
    browsing: Browsing,  # noqa: F811 - the fixture
    world: CitizenWorld,
    language: str,
) -> None:
    template_id = add_daily_template(world)
    directive_id = a_directive(world)
    code = world.submit().tracking_code
    phone: dict[str, str | None] = {
        "/staff/": None,
        "/staff/reports": None,
        f"/staff/reports/{template_id}/units/{MICRO}": None,
        "/staff/directives": None,
        f"/staff/directives/{directive_id}/units/{MICRO}": None,
        "/staff/cases/new": "#map path",
        "/staff/cases": None,
    }

    page = browsing.signed_in("inspector", width=PHONE, language=language)
    found = visit(page, phone, language)
    found += sent_empty(
        page,
        {
            "/staff/cases/new": "#send-case",
            f"/staff/reports/{template_id}/units/{MICRO}": "#report-submit",
        },
    )
    citizen = browsing.page(width=PHONE, language=language)
    found += visit(citizen, {"/citizen/track": None, f"/citizen/track/{code}": None}, language)

    assert not found, "axe-core found:\n" + "\n".join(found)


def test_a_grid_worker_signs_a_directive_with_the_keyboard_alone(
    browsing: Browsing,  # noqa: F811 - the fixture
    world: CitizenWorld,
) -> None:
    directive_id = a_directive(world)
    page = browsing.signed_in("inspector", width=PHONE)
    page.goto("/staff/")

    tab_to(page, f"#directives-to-sign a[href='/staff/directives/{directive_id}']")
    assert_focus_shows(page)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/staff/directives/{directive_id}/units/{MICRO}")
    tab_to(page, "#sign-button")
    assert_focus_shows(page)
    page.keyboard.press("Enter")

    expect(page.locator("#receipt-state")).to_have_text("Signed")
    expect(page.locator("#progress-form")).to_be_visible()
    found = accessibility_problems(page)  # the signed receipt: progress and feedback forms
    assert not found, "axe-core found:\n" + "\n".join(found)
    page.goto("/staff/")
    expect(page.locator("#directives-to-sign")).not_to_contain_text("Clear the snow")


def test_an_officer_acknowledges_an_alert_with_the_keyboard_alone(
    browsing: Browsing,  # noqa: F811 - the fixture
    world: CitizenWorld,
) -> None:
    alerts = build_alerts_world(world)
    gas = alerts.alert_of("GAS-1")
    page = browsing.signed_in("officer")
    page.clock.install()
    page.goto("/staff/alerts")
    card = page.locator(f"#alert-{gas.id}")
    expect(card.locator(".state")).to_have_text("Firing")
    button = f"#alert-{gas.id} form[action$='/acknowledge'] button"

    tab_to(page, button)
    assert_focus_shows(page)
    water = alerts.alert_of("WL-1")  # acknowledged elsewhere: a refresh would show it
    c = world.container
    acknowledge_alert(c.iot_uow(), world.staff["leader"], water.id, now=c.clock())
    page.clock.run_for(16_000)  # past the board's 15 s refresh, which waits for the user
    page.wait_for_timeout(500)
    assert page.locator(button).evaluate("e => e === document.activeElement")
    expect(page.locator(f"#alert-{water.id} .state")).to_have_text("Firing")
    page.keyboard.press("Enter")

    page.wait_for_url("**/staff/alerts?done=acknowledged")
    expect(page.locator("p.notice")).to_have_text("The alert is acknowledged.")
    expect(card.locator(".state")).to_have_text("Acknowledged")
    expect(card.locator("form[action$='/acknowledge']")).to_have_count(0)
    expect(page.locator(f"#alert-{water.id} .state")).to_have_text("Acknowledged")
    found = accessibility_problems(page)
    assert not found, "axe-core found:\n" + "\n".join(found)
    assert alerts.alert_of("GAS-1").acknowledged_by == "officer"


def test_a_grid_worker_sends_todays_report_with_the_keyboard_alone(
    browsing: Browsing,  # noqa: F811 - the fixture
    world: CitizenWorld,
) -> None:
    template_id = add_daily_template(world)
    page = browsing.signed_in("inspector", width=PHONE)
    page.goto("/staff/reports")

    tab_to(page, f"#fill-{template_id}-{MICRO}")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/staff/reports/{template_id}/units/{MICRO}?period=*")
    expect(page.locator("#report-form")).to_contain_text("Fields marked * must be filled in.")
    expect(page.locator("#f_patrols")).to_have_attribute("aria-required", "true")
    expect(page.locator("#f_remarks")).not_to_have_attribute("aria-required", "true")
    tab_to(page, "#f_patrols")
    page.keyboard.type("2")
    tab_to(page, "#f_weather")
    page.keyboard.press("ArrowDown")  # from "—" to the first choice
    tab_to(page, "#report-submit")
    assert_focus_shows(page)
    page.keyboard.press("Enter")

    expect(page.locator("#sent-notice")).to_have_text("Report sent (version 1).")
    expect(page.locator("#versions dl.feedback")).to_contain_text("晴")
    expect(page.locator("#versions dl.feedback")).to_contain_text("2")


def test_an_officer_issues_a_directive_with_the_keyboard_alone(
    browsing: Browsing,  # noqa: F811 - the fixture
    world: CitizenWorld,
) -> None:
    page = browsing.signed_in("officer")
    page.goto("/staff/directives")

    tab_to(page, "#issue-directive")
    page.keyboard.press("Enter")
    page.wait_for_url("**/staff/directives/new")
    for field, value in {"#title_zh": "检查积水点", "#within": STREET, "#level": "micro"}.items():
        tab_to(page, field)
        page.keyboard.type(value)  # a select takes the start of an option's text
    expect(page.locator("#preview-total")).to_have_text("8 units")  # the preview followed
    tab_to(page, "#issue-submit")
    assert_focus_shows(page)
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/staff/directives/\d+$"))
    expect(page.locator("#signed-count")).to_have_text("0 of 8 signed")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_template_edit_page_passes_axe_core(
    browsing: Browsing,  # noqa: F811 - the fixture
    world: CitizenWorld,
    language: str,
) -> None:
    add_admins(world)
    template_id = add_daily_template(world)
    edit = f"/staff/admin/templates/{template_id}/edit"
    page = browsing.signed_in("admin", language=language)

    found = visit(page, {edit: None}, language)
    page.fill("#fields", "- {key: patrols, type: text}")  # changes a field's type: refused
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#problems")).to_be_visible()
    found += accessibility_problems(page)

    assert not found, "axe-core found:\n" + "\n".join(found)
