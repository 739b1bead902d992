"""The workbench pages in Debian's chromium: a grid worker reports on a 390-px phone with
camera and location; the case page draws its micro-grid, fits the phone and passes
axe-core; every page in both languages at both widths, as screenshots."""

from __future__ import annotations

from playwright import sync_api

from tests.integration.citizen_world import GARBAGE, CitizenWorld
from tests.web.browser import (  # noqa: F401 - the fixture
    PHONE,
    Browsing,
    assert_accessible,
    assert_fits,
    browsing,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_a_grid_worker_reports_on_a_phone_and_sees_the_case(
    world: CitizenWorld,
    browsing: Browsing,  # noqa: F811 - the fixture
) -> None:
    phone = browsing.signed_in(
        "inspector",
        width=PHONE,
        geolocation={"latitude": world.lat, "longitude": world.lon},
        permissions=["geolocation"],
    )
    phone.click("#report-problem")
    phone.select_option("#category", GARBAGE)
    phone.fill("#description", "Rubbish by the gate")
    phone.set_input_files(
        "#photo", files=[{"name": "gate.png", "mimeType": "image/png", "buffer": PNG}]
    )
    phone.locator("#map path").first.wait_for()
    phone.click("#locate")
    sync_api.expect(phone.locator("#place-name")).to_contain_text("41010200100100101")
    assert_fits(phone)
    assert_accessible(phone)
    phone.click("#send-case")

    sync_api.expect(phone.locator("#notice")).to_be_visible()
    phone.locator("#case-map path").first.wait_for()  # the micro-grid's outline
    sync_api.expect(phone.locator("#timeline li")).to_have_count(1)
    assert_fits(phone)
    assert_accessible(phone)
    case_path = phone.url.split("?")[0].removeprefix(browsing.base_url)
    state = phone.context.storage_state()
    browsing.screenshots(case_path, "case-page", state=state)
    browsing.screenshots("/staff/cases/new", "report-problem", state=state)
    browsing.screenshots("/staff/", "my-tasks", state=state)
    browsing.screenshots("/staff/cases", "case-list", state=state)
    phone.context.close()

    desk = browsing.signed_in("acceptor")  # the case waits for acceptance at the desk
    desk.goto("/staff/")
    desk.locator(f"#my-cases a[href='{case_path}']").click()
    assert_accessible(desk)
    desk.click("#do-accept")
    sync_api.expect(desk.locator("#notice")).to_contain_text("Accept")
    sync_api.expect(desk.locator("#timeline li[data-type=accepted]")).to_have_count(1)
    desk.screenshot(path=browsing.shots / "case-accepted-en-desktop.png", full_page=True)
    desk.context.close()
