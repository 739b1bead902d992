"""A citizen on a 390-px phone reports, follows and rates, in Debian's chromium.

The server runs in this process (tests/web/browser.py) so that the test can close the
case through the staff use cases and move the clock between the steps. Screenshots of
each page go to the test's screenshot directory.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from playwright import sync_api

from civicgrid.services.citizens import public_case_view
from tests.integration.citizen_world import GARBAGE, CitizenWorld
from tests.web.browser import PHONE, Browsing, browsing  # noqa: F401 - the fixture

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def phone(browsing: Browsing, world: CitizenWorld) -> Iterator[sync_api.Page]:  # noqa: F811
    page = browsing.page(
        width=PHONE,
        geolocation={"latitude": world.lat, "longitude": world.lon},
        permissions=["geolocation"],
    )
    yield page
    page.context.close()


def test_a_citizen_reports_follows_and_rates_on_a_phone(
    phone: sync_api.Page,
    world: CitizenWorld,
    browsing: Browsing,  # noqa: F811 - the fixture
) -> None:
    shots = browsing.shots
    shots.mkdir(parents=True, exist_ok=True)
    world.submit()  # a neighbour reported the same spot earlier
    phone.goto("/citizen/report")
    phone.select_option("#category", GARBAGE)
    phone.fill("#description", "Rubbish piled at the gate for three days")
    limit = world.container.settings.attachment_max_bytes
    huge = {"name": "huge.png", "mimeType": "image/png", "buffer": PNG + bytes(limit)}
    phone.set_input_files("#photo", files=[huge])  # refused at once, not after a slow upload
    sync_api.expect(phone.locator("#photo-hint")).to_have_text("The photo is larger than 10 MB.")
    assert phone.input_value("#photo") == ""
    photo = {"name": "gate.png", "mimeType": "image/png", "buffer": PNG}
    phone.set_input_files("#photo", files=[photo])
    phone.locator("#map path").first.wait_for()
    phone.locator("#map path").first.click()  # the first district: zooms in, loads its streets
    phone.locator("#map path").nth(2).wait_for()
    phone.locator("#map").screenshot(path=shots / "map-streets.png")
    phone.locator("#map").click()  # a spot in the middle of the zoomed map
    sync_api.expect(phone.locator("#place-name")).to_contain_text("micro-grid")
    assert 34.0 < float(phone.input_value("#lat")) < 35.0
    phone.click("#locate")  # the device knows better: the pin moves to where the phone is
    sync_api.expect(phone.locator("#place-name")).to_contain_text("micro-grid 41010200100100101")
    assert float(phone.input_value("#lat")) == pytest.approx(world.lat, abs=1e-6)
    sync_api.expect(phone.locator('#map path[stroke="#b42318"]')).to_have_count(
        1
    )  # the neighbour's
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE.viewport["width"]
    phone.screenshot(path=shots / "report-form.png", full_page=True)

    phone.click("button[type=submit]")
    code = phone.locator("#tracking-code").inner_text()
    phone.screenshot(path=shots / "receipt.png", full_page=True)
    phone.click("text=Follow this report")
    sync_api.expect(phone.locator("#timeline")).to_contain_text("reported")

    c = world.container
    case_id = public_case_view(c.uow(), c.rules, tracking_code=code, now=c.clock()).case_id
    closed = world.close(case_id)
    c.clock.now = closed + timedelta(minutes=5)  # type: ignore[attr-defined]
    phone.reload()
    phone.check("#stars-5")
    phone.click("#rate button[type=submit]")

    sync_api.expect(phone.locator("#rating")).to_have_text("5 of 5")
    sync_api.expect(phone.locator("#status")).to_have_text("Closed")
    phone.screenshot(path=shots / "tracking.png", full_page=True)
