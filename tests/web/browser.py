"""The shared harness of the browser tests: a live server, Debian's chromium, and helpers.

- `serve(app)`: uvicorn on a free loopback port in a thread of this process, so that a
  test can reach the container (its clock, its use cases) between browser steps.
- `launch()`: headless /usr/bin/chromium, background networking off; `Browsing` opens
  contexts at desktop and phone widths in either language and signs people in.
- `Browsing.screenshots`: one page in both languages at both widths, as PNG artifacts in
  $CIVICGRID_SCREENSHOTS or var/screenshots/<test name>/ (var/ is git-ignored).
- `assert_accessible`: axe-core (vendored in tests/web/vendor) with the WCAG 2 A and AA
  rules; serious or critical violations fail the test.
- `tab_to` / `type_by_keyboard`: reach a form's controls with Tab alone and submit with Enter.

Test modules use the fixtures at the bottom (`browsing`, with `world` from conftest.py)
and `needs_chromium` to skip visibly where no chromium is installed (CI installs it).
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import uvicorn
from fastapi import FastAPI
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from civicgrid.api.app import create_app
from tests.fixtures import PASSWORD, PlainHasher, service_missing

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
REPO = Path(__file__).resolve().parents[2]
AXE_ROUTE = "/__tests__/axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa"]
LANGUAGES = ("en", "zh-CN")
TIMEOUT_MS = 15_000


@dataclass(frozen=True)
class Width:
    name: str
    viewport: dict[str, int]
    mobile: bool


DESKTOP = Width("desktop", {"width": 1366, "height": 900}, mobile=False)
PHONE = Width("phone", {"width": 390, "height": 844}, mobile=True)
WIDTHS = (DESKTOP, PHONE)


def needs_chromium() -> None:
    """Skips (fails in CI) when Debian's chromium is not installed."""
    if not CHROMIUM.exists():
        service_missing(f"no chromium at {CHROMIUM} (apt-get install chromium)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def serve(app: FastAPI) -> Iterator[str]:
    """`app` served on a free loopback port for the duration; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive(), "the server stopped while starting"
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)


@contextmanager
def launch() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            yield browser
        finally:
            browser.close()


def launch_chromium(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM),
        headless=True,
        args=["--disable-background-networking", "--no-sandbox"],
    )


def screenshot_dir(test_name: str) -> Path:
    """$CIVICGRID_SCREENSHOTS/<test>, else var/screenshots/<test> in the checkout."""
    root = os.environ.get("CIVICGRID_SCREENSHOTS")
    base = Path(root) if root else REPO / "var" / "screenshots"
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", test_name).strip("-")
    return base / safe


@dataclass
class Browsing:
    """One browser against one live server, with the test's screenshot directory."""

    browser: Browser
    base_url: str
    shots: Path
    errors: list[str] = field(default_factory=list)  # uncaught script errors on any page

    def context(
        self, *, width: Width = DESKTOP, language: str = "en", **extra: Any
    ) -> BrowserContext:
        """A fresh context (no cookies) whose browser prefers `language`."""
        options: dict[str, Any] = {
            "viewport": width.viewport,
            "is_mobile": width.mobile,
            "has_touch": width.mobile,
            "device_scale_factor": 1,  # small artifacts; layout is what they show
            "base_url": self.base_url,
            "locale": language,
        }
        options.update(extra)
        context = self.browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        context.on("page", self._watch)
        return context

    def page(self, *, width: Width = DESKTOP, language: str = "en", **extra: Any) -> Page:
        """A page in a fresh context; closing the context is left to the test's end."""
        return self.context(width=width, language=language, **extra).new_page()

    def signed_in(
        self, username: str, *, width: Width = DESKTOP, language: str = "en", **extra: Any
    ) -> Page:
        """A page of a fresh context in which `username` has signed in."""
        page = self.page(width=width, language=language, **extra)
        sign_in(page, username)
        return page

    def screenshots(
        self, path: str, name: str, *, state: Any = None, ready: str | None = None
    ) -> list[Path]:
        """`path` in both languages at both widths, viewport-sized, as <name>-<lang>-<width>.png.

        `state` is a context's `storage_state()` (a signed-in session) or None for public
        pages; `ready` a selector to wait for (a chart drawn …) before each picture.
        """
        self.shots.mkdir(parents=True, exist_ok=True)
        taken = []
        separator = "&" if "?" in path else "?"
        for width in WIDTHS:
            context = self.context(width=width, storage_state=state)
            page = context.new_page()
            for language in LANGUAGES:
                page.goto(f"{path}{separator}lang={language}")
                assert page.locator("html").get_attribute("lang") == language
                if ready is not None:
                    page.locator(ready).first.wait_for()
                page.evaluate("document.fonts.ready.then(() => true)")
                assert_fits(page)
                target = self.shots / f"{name}-{language}-{width.name}.png"
                page.screenshot(path=target, animations="disabled")
                taken.append(target)
            context.close()
        return taken

    def _watch(self, page: Page) -> None:
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: {_top(error.stack)}"))


def _top(stack: str) -> str:
    """The message and the innermost frame: enough to find the line."""
    return " ".join(line.strip() for line in stack.splitlines()[:2])


def sign_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Signs in through the real form; the staff start page (or `next`) follows."""
    page.goto("/staff/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/staff/(?!login)"))


def assert_fits(page: Page) -> None:
    """No horizontal scrolling: the page is no wider than the window."""
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, f"{page.url} is {scroll} px wide in a {inner}-px window"


def assert_accessible(page: Page) -> None:
    """axe-core's WCAG 2 A/AA rules on the page as it stands; serious or critical fail."""
    found = accessibility_problems(page)
    assert not found, "axe-core found:\n" + "\n".join(found)


def accessibility_problems(page: Page) -> list[str]:
    """The page's serious and critical axe-core violations, one line each: the page, the
    rule and the elements it names."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Served as if from the page's own origin: the pages' CSP forbids inline scripts
        # (add_script_tag(path=…) inlines), and it stays enforced rather than bypassed.
        page.unroute(AXE_ROUTE)  # one handler, however many pages this tab has seen
        page.route(AXE_ROUTE, lambda route: route.fulfill(path=AXE))
        page.add_script_tag(url=AXE_ROUTE)
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact,
                targets: v.nodes.map(n => n.target.join(' ')),
            }));
        }""",
        AXE_TAGS,
    )
    url = urlsplit(page.url)
    path = f"{url.path}?{url.query}" if url.query else url.path
    return [
        f"{path}: {v['id']} ({v['impact']}): {', '.join(v['targets'][:5])}"
        for v in result
        if v["impact"] in ("serious", "critical")
    ]


def tab_to(page: Page, selector: str, *, presses: int = 60) -> None:
    """Presses Tab until the control `selector` has the focus; fails if Tab never gets there."""
    target = page.locator(selector)
    for _ in range(presses):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {selector} on {page.url}")


def type_by_keyboard(page: Page, fields: dict[str, str], *, submit: str | None = None) -> None:
    """Tabs to each field in order and types its value; then Enter on `submit` if given
    (else Enter in the last field). A select takes the start of an option's text, typed."""
    for selector, value in fields.items():
        tab_to(page, selector)
        page.keyboard.type(value)
    if submit is not None:
        tab_to(page, submit)
    page.keyboard.press("Enter")


@pytest.fixture
def browsing(world: Any, request: pytest.FixtureRequest) -> Iterator[Browsing]:
    """The citizen world's app (PlainHasher: staff sign in with PASSWORD) served live,
    with chromium; fails a test whose pages raised uncaught script errors."""
    needs_chromium()
    world.container.hasher = PlainHasher()
    with serve(create_app(container=world.container)) as base_url, launch() as browser:
        browsing = Browsing(browser, base_url, screenshot_dir(request.node.name))
        yield browsing
    assert browsing.errors == [], "scripts failed:\n" + "\n".join(browsing.errors)
