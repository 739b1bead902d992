"""The administration pages in Debian's chromium: they fit a 390-px phone, pass axe-core's
WCAG A/AA rules, and a time limit is changed by keyboard alone."""

from __future__ import annotations

import pytest
from playwright import sync_api

from civicgrid.domain.calendar import LimitUnit, TimeLimit
from tests.integration.citizen_world import GARBAGE, CitizenWorld
from tests.web.admin_world import add_admins
from tests.web.browser import (
    Browsing,
    assert_accessible,
    browsing,  # noqa: F401 - the fixture
    type_by_keyboard,
)

PAGES = {
    "admin": "/staff/admin",
    "admin-users": "/staff/admin/users",
    "admin-user": "/staff/admin/users/officer",
    "admin-categories": "/staff/admin/categories",
    "admin-category": f"/staff/admin/categories/{GARBAGE}",
    "admin-calendar": "/staff/admin/calendar?year=2026",
    "admin-templates": "/staff/admin/templates",
    "admin-rules": "/staff/admin/rules",
}


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_admin_pages_fit_a_phone_and_pass_axe(
    browsing: Browsing,  # noqa: F811 - the fixture
    world: CitizenWorld,
) -> None:
    add_admins(world)
    page = browsing.signed_in("admin")
    for path in PAGES.values():
        page.goto(path)
        assert_accessible(page)
    state = page.context.storage_state()
    for name, path in PAGES.items():
        browsing.screenshots(path, name, state=state)  # asserts no horizontal scroll
    page.context.close()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_an_administrator_changes_a_time_limit_by_keyboard(
    browsing: Browsing,  # noqa: F811 - the fixture
    world: CitizenWorld,
) -> None:
    add_admins(world)
    page = browsing.signed_in("admin")
    page.goto(f"/staff/admin/categories/{GARBAGE}")
    page.fill("#limit_value", "")
    type_by_keyboard(
        page,
        {"#limit_value": "3", "#limit_unit": "working d"},
        submit="main form button[type=submit]",
    )
    sync_api.expect(page.locator("p.notice")).to_contain_text("Saved")
    assert world.container.rules.tree.minor(GARBAGE).limit == TimeLimit(3, LimitUnit.WORKING_DAYS)
    page.context.close()
