"""The CSRF guard of the container's secret, and the checks a page's form makes with it."""

from __future__ import annotations

from starlette.responses import Response

from civicgrid.web.csrf import CsrfGuard
from civicgrid.web.page import Page


def csrf_guard(page: Page) -> CsrfGuard:
    return CsrfGuard(page.container.settings.secret_key)


def form_token(page: Page) -> tuple[str, str]:
    """(nonce, token) for a form on this page; `keep_nonce` sets the nonce's cookie."""
    guard = csrf_guard(page)
    nonce = guard.nonce(page.request)
    return nonce, guard.token(nonce, page.container.clock())


def keep_nonce(page: Page, response: Response, nonce: str) -> Response:
    csrf_guard(page).remember(response, nonce, secure=page.request.url.scheme == "https")
    return response


def token_is_valid(page: Page, token: str) -> bool:
    return csrf_guard(page).is_valid(page.request, token, page.container.clock())


def refuse_forgery(page: Page) -> Response:
    """The answer to a post without a valid token: nothing is done, the person is told why."""
    return page.render(
        "error.html",
        {
            "title": page.gettext("The form has expired"),
            "message": page.gettext(
                "For your safety the form could not be accepted. Open it again and resend it."
            ),
            "back": page.request.url.path,
        },
        status=403,
    )
