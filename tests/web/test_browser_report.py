"""A citizen on a 390-px phone reports, follows and rates, in Debian's chromium.

The server runs in this process (uvicorn on a free loopback port) so that the test can
close the case through the staff use cases and move the clock between the steps.
Screenshots of each page go to the test's temporary directory.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import uvicorn

from civicgrid.api.app import create_app
from civicgrid.services.citizens import public_case_view
from tests.fixtures import service_missing
from tests.integration.citizen_world import GARBAGE, CitizenWorld

CHROMIUM = Path("/usr/bin/chromium")
PHONE = {"width": 390, "height": 844}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")


@pytest.fixture(autouse=True)
def _chromium_installed() -> None:
    """CI installs chromium (.ci/run); elsewhere its absence skips visibly."""
    if not CHROMIUM.exists():
        service_missing(f"no chromium at {CHROMIUM} (apt-get install chromium)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def live_url(world: CitizenWorld) -> Iterator[str]:
    port = free_port()
    config = uvicorn.Config(
        create_app(container=world.container), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=20)


@pytest.fixture
def phone(live_url: str, world: CitizenWorld) -> Iterator[sync_api.Page]:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--disable-background-networking", "--no-sandbox"],
        )
        context = browser.new_context(
            viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
            base_url=live_url, locale="en-US",
            geolocation={"latitude": world.lat, "longitude": world.lon},
            permissions=["geolocation"],
        )  # fmt: skip
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        context.close()
        browser.close()


def test_a_citizen_reports_follows_and_rates_on_a_phone(
    phone: sync_api.Page, world: CitizenWorld, tmp_path: Path
) -> None:
    errors: list[str] = []
    phone.on("pageerror", lambda error: errors.append(str(error)))
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
    phone.locator("#map").screenshot(path=tmp_path / "map-streets.png")
    phone.locator("#map").click()  # a spot in the middle of the zoomed map
    sync_api.expect(phone.locator("#place-name")).to_contain_text("micro-grid")
    assert 34.0 < float(phone.input_value("#lat")) < 35.0
    phone.click("#locate")  # the device knows better: the pin moves to where the phone is
    sync_api.expect(phone.locator("#place-name")).to_contain_text("micro-grid 41010200100100101")
    assert float(phone.input_value("#lat")) == pytest.approx(world.lat, abs=1e-6)
    sync_api.expect(phone.locator('#map path[stroke="#b42318"]')).to_have_count(
        1
    )  # the neighbour's
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.screenshot(path=tmp_path / "report-form.png", full_page=True)

    phone.click("button[type=submit]")
    code = phone.locator("#tracking-code").inner_text()
    phone.screenshot(path=tmp_path / "receipt.png", full_page=True)
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
    phone.screenshot(path=tmp_path / "tracking.png", full_page=True)
    assert errors == []
