"""The answers of the request limits (413 body too large, 429 rate limited) as pages.

The limits run before any route, for the API and the pages alike; a person's browser
asking for a page gets one in their language that names the problem, while the API and
Open311 keep their JSON or XML error bodies (see `wants_page`).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from civicgrid.domain.attachments import MIB
from civicgrid.web.file_links import file_size
from civicgrid.web.page import Page, get_page
from civicgrid.web.staff import LOGIN_PATH, STAFF_PREFIX

PAGE_PREFIXES = ("/citizen/", f"{STAFF_PREFIX}/")


def wants_page(request: Request) -> bool:
    """A browser's navigation or form post to a page: its Accept names HTML. The pages'
    own scripts fetch JSON (map data, the alert board) and keep the JSON error."""
    path = request.url.path
    on_pages = path.startswith(PAGE_PREFIXES) or path == STAFF_PREFIX
    return on_pages and "text/html" in request.headers.get("accept", "")


def too_large_page(request: Request, limit: int) -> Response:
    """413: the photo (on a form that takes one) or the form is larger than allowed."""
    page = get_page(request)
    _ = page.gettext
    settings = page.container.settings
    if limit > settings.max_body_bytes:  # a form with a photo: its limit is the photo's
        message = _(
            "The photo is larger than %(limit)g MB.", limit=settings.attachment_max_bytes / MIB
        )
        hint = _("Go back, choose a smaller photo, and send the form again.")
    else:
        message = _("What you sent is larger than %(limit)s.", limit=file_size(page, limit))
        hint = _("Go back, shorten what you typed, and send the form again.")
    return _render(page, 413, _("What you sent is too large"), message, hint)


def rate_limited_page(request: Request, retry_seconds: int) -> Response:
    """429: too many requests from this connection; says when to try again."""
    page = get_page(request)
    _ = page.gettext
    message = _("Too many requests came from your connection in a short time.")
    hint = _("Please wait %(seconds)d s and try again.", seconds=retry_seconds)
    response = _render(page, 429, _("Please slow down"), message, hint)
    response.headers["Retry-After"] = str(retry_seconds)
    return response


def _render(page: Page, status: int, title: str, message: str, hint: str) -> Response:
    path = page.request.url.path
    citizen_back = "/citizen/track" if path.startswith("/citizen/track") else "/citizen/report"
    context = {"title": title, "message": message, "hint": hint, "back": citizen_back}
    if path == LOGIN_PATH:
        context |= {"back": LOGIN_PATH, "back_label": page.gettext("Back to signing in")}
    elif path.startswith(STAFF_PREFIX):
        context["back"] = f"{STAFF_PREFIX}/"
    else:
        return page.render("error.html", context, status=status)
    return page.render("staff/error.html", context, status=status)
