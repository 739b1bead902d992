"""A district officer opens the alert board and a sensor's readings chart in Debian's
chromium, at desk and phone widths; the chart is drawn on a canvas from the JSON data.

The server runs in this process (uvicorn on a free loopback port), as in
test_browser_report.py. Screenshots go to the test's temporary directory.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from civicgrid.api.app import create_app
from civicgrid.services.alerts_lifecycle import acknowledge_alert
from tests.fixtures import PlainHasher, service_missing
from tests.integration.citizen_world import CitizenWorld
from tests.web.alerts_world import AlertsWorld, build_alerts_world
from tests.web.conftest import STAFF_PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 900}

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")


@pytest.fixture(autouse=True)
def _chromium_installed() -> None:
    if not CHROMIUM.exists():
        service_missing(f"no chromium at {CHROMIUM} (apt-get install chromium)")


@pytest.fixture
def live_url(world: CitizenWorld) -> Iterator[str]:
    build_alerts_world(world)
    world.container.hasher = PlainHasher()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
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
def browser(live_url: str) -> Iterator[sync_api.Browser]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--disable-background-networking", "--no-sandbox"],
        )
        yield launched
        launched.close()


def _signed_in(browser: sync_api.Browser, live_url: str, viewport: dict[str, int]) -> sync_api.Page:
    context = browser.new_context(viewport=viewport, base_url=live_url, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/staff/login?next=/staff/alerts")
    page.fill("#username", "officer")
    page.fill("#password", STAFF_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/staff/alerts")
    return page


def test_the_sensor_chart_draws_its_readings_on_a_canvas(
    browser: sync_api.Browser, live_url: str, tmp_path: Path
) -> None:
    for name, viewport in (("desk", DESK), ("phone", PHONE)):
        page = _signed_in(browser, live_url, viewport)
        errors: list[str] = []
        page.on("pageerror", lambda error, into=errors: into.append(str(error)))
        sync_api.expect(page.locator("#severity-red")).to_contain_text("Red warning")
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        page.screenshot(path=tmp_path / f"alerts-{name}.png", full_page=True)

        page.click("text=WL-1 >> nth=0")
        page.wait_for_url("**/staff/sensors/WL-1")
        chart = page.locator("#sensor-chart")
        sync_api.expect(chart).to_have_attribute("data-drawn", "7")
        canvas = chart.locator("canvas")
        sync_api.expect(canvas).to_have_count(1)
        box = canvas.bounding_box()
        assert box is not None
        assert box["width"] > 300
        assert box["height"] > 200
        # something was painted: the canvas is not one flat colour
        painted = page.evaluate(
            """() => {
                const c = document.querySelector('#sensor-chart canvas');
                const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                const seen = new Set();
                for (let i = 0; i < d.length; i += 4 * 97) {
                    seen.add(d[i] + ',' + d[i + 1] + ',' + d[i + 2]);
                }
                return seen.size;
            }"""
        )
        assert painted > 5
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        page.screenshot(path=tmp_path / f"sensor-{name}.png", full_page=True)
        assert errors == []
        page.context.close()


def test_the_board_refreshes_itself_when_an_alert_is_acknowledged_elsewhere(
    browser: sync_api.Browser, live_url: str, world: CitizenWorld
) -> None:
    page = _signed_in(browser, live_url, DESK)
    page.clock.install()
    page.goto("/staff/alerts")
    card = page.locator("#severity-red ~ ul li").first
    sync_api.expect(card.locator(".state")).to_have_text("Firing")
    gas = AlertsWorld(world).alert_of("GAS-1")
    c = world.container
    acknowledge_alert(c.iot_uow(), world.staff["leader"], gas.id, now=c.clock())
    page.clock.run_for(16_000)  # past the board's 15 s refresh
    sync_api.expect(card.locator(".state")).to_have_text("Acknowledged")
    page.context.close()


def test_an_alert_page_works_on_a_phone_in_chinese(
    browser: sync_api.Browser, live_url: str, tmp_path: Path
) -> None:
    page = _signed_in(browser, live_url, PHONE)
    page.goto("/staff/alerts?lang=zh-CN")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=tmp_path / "alerts-phone-zh.png", full_page=True)
    page.click("#severity-red ~ ul a.alert-title")
    sync_api.expect(page.locator("h1")).to_contain_text("红色预警")
    page.fill("#assignee", "handler")
    page.keyboard.press("Enter")  # the assign form sends by keyboard
    sync_api.expect(page.locator(".notice")).to_have_text("指派已保存。")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=tmp_path / "alert-phone-zh.png", full_page=True)
    page.context.close()
