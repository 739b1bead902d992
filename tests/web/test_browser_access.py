"""Accessibility in a real browser: axe-core's WCAG 2 A/AA rules on the main pages in
both languages, and the main forms worked with the keyboard alone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from civicgrid.domain.areas import Level
from civicgrid.domain.cases.actions import CaseAction
from civicgrid.domain.directives import Content, Selection
from civicgrid.services.directives.issuing import issue_directive
from civicgrid.web.staff import SESSION_COOKIE
from tests.fixtures import Clock
from tests.integration.citizen_world import MONDAY_9AM, CitizenWorld
from tests.web.browser import (
    LANGUAGES,
    PHONE,
    Browsing,
    accessibility_problems,
    assert_accessible,
    browsing,  # noqa: F401 - the fixture
    tab_to,
    type_by_keyboard,
)

PUBLIC_PAGES = ["/staff/login", "/citizen/report"]
STREET = "410102001"


def a_directive(world: CitizenWorld) -> int:
    """The district officer's directive to one street's eight micro-grids."""
    content = Content(title_zh="清扫积雪", body_zh="人行道", title_en="Clear the snow")
    issued = issue_directive(
        world.container.uow(),
        world.staff["officer"],
        content,
        Selection(within=STREET, level=Level.MICRO_GRID),
        now=MONDAY_9AM,
    )
    return issued.directive.id


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_public_pages_pass_axe_core(
    browsing: Browsing,  # noqa: F811 - the fixture
    language: str,
) -> None:
    page = browsing.page(language=language)
    for path in PUBLIC_PAGES:
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == language
        assert_accessible(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_main_staff_pages_pass_axe_core(
    browsing: Browsing,  # noqa: F811 - the fixture
    world: CitizenWorld,
    language: str,
) -> None:
    case_id = world.submit().case_id
    directive_id = a_directive(world)
    page = browsing.signed_in("officer", language=language)
    found = []
    for path in [
        "/staff/",
        f"/staff/cases/{case_id}",
        f"/staff/directives/{directive_id}",
        "/staff/sanbiao?area=410102",
    ]:
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == language
        found += accessibility_problems(page)
    assert not found, "axe-core found:\n" + "\n".join(found)


def test_the_check_names_a_field_that_lost_its_label(browsing: Browsing) -> None:  # noqa: F811
    page = browsing.page()
    page.goto("/staff/login")
    page.evaluate("document.querySelector('label[for=username]').remove()")

    with pytest.raises(AssertionError, match=r"label \(critical\): #username"):
        assert_accessible(page)


def test_signing_in_works_with_the_keyboard_alone(browsing: Browsing) -> None:  # noqa: F811
    page = browsing.page(width=PHONE)
    page.goto("/staff/login")

    type_by_keyboard(page, {"#username": "officer", "#password": "long enough password"})

    page.wait_for_url("**/staff/")
    assert [c["name"] for c in page.context.cookies()].count(SESSION_COOKIE) == 1
    expect(page.locator(".signout .who")).to_have_text("officer")


def test_a_wrong_password_is_announced_and_the_problem_links_to_its_field(
    browsing: Browsing,  # noqa: F811 - the fixture
) -> None:
    page = browsing.page()
    page.goto("/staff/login")
    type_by_keyboard(
        page, {"#username": "officer", "#password": "guess"}, submit="main form button"
    )

    expect(page.locator("#problems")).to_contain_text("The user name or the password is wrong.")
    assert_accessible(page)  # the page with its problem list
    page.locator("#problems a").focus()
    page.keyboard.press("Enter")
    assert page.url.endswith("#username")


def test_a_citizen_reports_with_the_keyboard_alone(
    browsing: Browsing,  # noqa: F811 - the fixture
    world: CitizenWorld,
) -> None:
    page = browsing.page(width=PHONE)
    page.goto("/citizen/report")
    category = page.locator("#category option[value='event:0101']").inner_text()

    type_by_keyboard(
        page,
        {
            "#category": category,
            "#description": "Rubbish piled at the gate",
            "#lat": str(world.lat),
            "#lon": str(world.lon),
        },
        submit="main form button[type=submit]",
    )

    expect(page.locator("#tracking-code")).to_be_visible()


def test_a_grid_worker_checks_a_case_with_the_keyboard_alone(
    browsing: Browsing,  # noqa: F811 - the fixture
    world: CitizenWorld,
) -> None:
    case_id = world.submit().case_id
    clock = world.container.clock
    assert isinstance(clock, Clock)
    clock.now += timedelta(minutes=5)
    world.act("acceptor", case_id, CaseAction.ACCEPT, clock.now)
    page = browsing.signed_in("inspector", width=PHONE)
    page.goto(f"/staff/cases/{case_id}")

    tab_to(page, "#check-passed")
    page.keyboard.press("Space")  # a radio is chosen with the space bar
    tab_to(page, "#do-check")
    page.keyboard.press("Enter")

    page.wait_for_url(f"**/staff/cases/{case_id}?done=check")
    expect(page.locator("#timeline li[data-type='checked']")).to_contain_text("Passed")
