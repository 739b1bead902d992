"""The 三标 board and the leader screen in chromium: ECharts draws its canvases, the
screen refreshes itself from the live feed, both fit a phone, screenshots in both
languages at both widths."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.integration.citizen_world import CitizenWorld
from tests.web.browser import (
    Browsing,
    assert_accessible,
    assert_fits,
    browsing,  # noqa: F401 - the fixture
)
from tests.web.sanbiao_world import build_sanbiao

INK = """selector => {
    const canvas = document.querySelector(selector + ' canvas');
    if (!canvas || !canvas.width || !canvas.height) return 0;
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let inked = 0;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) inked++;
    return inked;
}"""


def inked_pixels(page: Page, selector: str) -> int:
    """How many pixels of the chart's canvas are painted: 0 for an empty or blank one."""
    expect(page.locator(f"{selector}[data-drawn=true] canvas").first).to_be_visible()
    count: int = page.evaluate(INK, selector)
    return count


def test_the_board_draws_its_charts_and_the_screen_follows_the_feed(
    browsing: Browsing,  # noqa: F811 - the fixture imported above
    world: CitizenWorld,
) -> None:
    sanbiao = build_sanbiao(world)
    sanbiao.close_on_time()
    page = browsing.signed_in("officer")
    page.goto("/staff/sanbiao?area=410102")
    expect(page.locator("#on-time-rate")).to_have_attribute("data-value", "100")
    assert inked_pixels(page, "#sanbiao-ranking") > 500
    assert inked_pixels(page, "#sanbiao-gaps") > 500
    assert inked_pixels(page, ".chart.forecast") > 500
    page.select_option("#ranking-indicator", "economy.retail_sales")
    expect(page.locator('.ranking-table[data-indicator="economy.retail_sales"]')).to_be_visible()
    expect(page.locator('.ranking-table[data-indicator="cases.on_time_close_rate"]')).to_be_hidden()
    assert_accessible(page)
    browsing.shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=browsing.shots / "sanbiao-board-en-desktop-full.png", full_page=True)
    state = page.context.storage_state()
    browsing.screenshots("/staff/sanbiao?area=410102", "sanbiao-board", state=state)

    page.goto("/staff/screen")
    expect(page.locator("#screen-closed-today")).to_have_text("1")
    assert inked_pixels(page, "#screen-overdue-chart") > 200
    expect(page.locator("#screen-live")).to_have_class("on")  # the feed is open
    waiting = sanbiao.citizens.submit(at=sanbiao.container.clock()).case_id
    sanbiao.accept(waiting)  # told on the feed: the panels come again, without a reload
    expect(page.locator("#screen-new-today")).to_have_text("2")
    assert inked_pixels(page, "#screen-overdue-chart") > 200  # drawn again after the swap
    assert_fits(page)
    assert_accessible(page)
    page.set_viewport_size({"width": 1920, "height": 1080})  # the wall it is made for
    page.screenshot(path=browsing.shots / "leader-screen-en-1920.png")
    browsing.screenshots("/staff/screen", "leader-screen", state=state)
