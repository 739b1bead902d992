"""Scenario 1: a citizen's report through its whole life, each step by its own person in
a browser of their own, and the 三标 board's on-time closure rate before and after.

A citizen reports on a phone; the 受理员 accepts, the grid worker confirms the spot, the
值班长 files, the 派遣员 dispatches, the department handles, the 派遣员 passes the
feedback on, the grid worker verifies and the 值班长 closes. Each person signs in in a
fresh context and acts through the form on the case page; the clock moves a few minutes
between steps so that the timeline reads like a morning's work.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from playwright.sync_api import Page, expect

from civicgrid.services.citizens import public_case_view
from tests.fixtures import Clock
from tests.integration.citizen_world import GARBAGE, CitizenWorld
from tests.web.browser import (
    DESKTOP,
    PHONE,
    Browsing,
    assert_accessible,
    browsing,  # noqa: F401 - the fixture
)

BOARD = "/staff/sanbiao?area=410102"
LIFE = [
    "reported",
    "accepted",
    "checked",
    "filed",
    "dispatched",
    "handled",
    "feedback_forwarded",
    "verified",
    "closed",
]


def on_time_rate(web: Browsing) -> str:
    """The district's on-time closure rate this month, as the 三标 board gives it."""
    page = web.signed_in("officer")
    page.goto(BOARD)
    value = page.locator("#on-time-rate").get_attribute("data-value")
    page.context.close()
    assert value is not None, "the board shows no on-time closure rate"
    return value


def report_on_a_phone(web: Browsing, world: CitizenWorld) -> str:
    """The citizen's report through the phone-sized form; its tracking code."""
    page = web.page(width=PHONE)
    page.goto("/citizen/report")
    page.select_option("#category", GARBAGE)
    page.fill("#description", "Rubbish piled at the gate for three days")
    page.fill("#lat", str(world.lat))
    page.fill("#lon", str(world.lon))
    page.locator("main form button[type=submit]").click()
    code = page.locator("#tracking-code").inner_text()
    page.context.close()
    return code


def act(page: Page, case_id: int, action: str, **values: str) -> None:
    """Fills the case page's form for `action` and sends it; the page comes back with it done."""
    form = page.locator(f"form#action-{action}")
    for name, value in values.items():
        control = form.locator(f"[name='{name}']")
        kind = control.first.evaluate("e => e.type")
        if kind == "radio":
            form.locator(f"[name='{name}'][value='{value}']").check()
        elif kind.startswith("select"):
            control.select_option(value)
        else:
            control.fill(value)
    page.click(f"#do-{action}")
    page.wait_for_url(f"**/staff/cases/{case_id}?done={action}")
    expect(page.locator("#notice")).to_be_visible()


def open_from_my_tasks(page: Page, case_id: int) -> None:
    """The case as its person finds it: listed among the cases waiting at their stage."""
    page.goto("/staff/")
    page.locator(f"#my-cases a[href='/staff/cases/{case_id}']").click()
    page.wait_for_url(f"**/staff/cases/{case_id}")


def step(web: Browsing, clock: Clock, who: str, case_id: int, action: str, **values: Any) -> Page:
    """`who` signs in afresh (the grid worker on a phone), finds the case in their tasks
    and takes `action`."""
    clock.now += timedelta(minutes=5)
    page = web.signed_in(who, width=PHONE if who == "inspector" else DESKTOP)
    open_from_my_tasks(page, case_id)
    act(page, case_id, action, **values)
    return page


def test_a_citizens_report_lives_through_every_stage_to_its_close(
    browsing: Browsing,  # noqa: F811 - the fixture
    world: CitizenWorld,
) -> None:
    c = world.container
    clock = c.clock
    assert isinstance(clock, Clock)
    before = on_time_rate(browsing)

    browsing.screenshots("/citizen/report", "citizen-report")
    code = report_on_a_phone(browsing, world)
    case_id = public_case_view(c.uow(), c.rules, tracking_code=code, now=c.clock()).case_id
    acceptor = browsing.signed_in("acceptor")
    state = acceptor.context.storage_state()
    browsing.screenshots("/staff/", "my-tasks", state=state)
    open_from_my_tasks(acceptor, case_id)
    assert_accessible(acceptor)
    browsing.screenshots(f"/staff/cases/{case_id}", "case-to-accept", state=state)
    act(acceptor, case_id, "accept")
    step(browsing, clock, "inspector", case_id, "check", passed="yes")
    step(browsing, clock, "leader", case_id, "file")
    step(browsing, clock, "dispatcher", case_id, "dispatch", department="city_management")
    handler = step(browsing, clock, "handler", case_id, "handle", result="Cleared by noon")
    expect(handler.locator("main")).to_contain_text("Cleared by noon")
    step(browsing, clock, "dispatcher", case_id, "forward_feedback")
    step(browsing, clock, "inspector", case_id, "verify", passed="yes")
    closer = step(browsing, clock, "leader", case_id, "close", outcome="fixed")

    types = closer.locator("#timeline li").evaluate_all("items => items.map(i => i.dataset.type)")
    assert types == LIFE, types
    expect(closer.locator("#action-close")).to_have_count(0)  # closed once and for all
    assert_accessible(closer)
    browsing.screenshots(f"/staff/cases/{case_id}", "case-closed", state=state)
    citizen = browsing.page(width=PHONE)
    citizen.goto(f"/citizen/track/{code}")
    expect(citizen.locator("#status")).to_have_text("Closed")
    after = on_time_rate(browsing)
    assert (before, after) == ("", "100")
    officer = browsing.signed_in("officer").context.storage_state()
    browsing.screenshots(BOARD, "sanbiao-board", state=officer)
