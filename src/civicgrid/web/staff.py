"""Staff pages: the signed-in person behind a page, and how a staff page says no.

A staff route takes `StaffDep`: the page (language, rendering) and the principal of the
session cookie. Its router uses `StaffRoute`, so that the refusals of the use cases become
pages rather than JSON: no session → the sign-in page (and back afterwards), a place
outside one's subtree → 403, an unknown thing → 404, a bad value → 400.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Form
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from civicgrid.domain.access import Principal, Role
from civicgrid.domain.attachments import AttachmentTooLarge, UnsupportedType
from civicgrid.domain.errors import (
    Conflict,
    DomainError,
    Forbidden,
    NotFound,
    NotYourPosition,
    Unauthenticated,
)
from civicgrid.services.web_sessions import session_principal
from civicgrid.web.guard import form_token, keep_nonce, refuse_forgery, token_is_valid
from civicgrid.web.page import Page, get_page
from civicgrid.web.refusal_texts import invalid_value_text, refusal_text

SESSION_COOKIE = "cg_session"
STAFF_PREFIX = "/staff"
LOGIN_PATH = f"{STAFF_PREFIX}/login"

_STATUS: tuple[tuple[type[DomainError], int], ...] = (
    (Unauthenticated, 401),
    (Forbidden, 403),
    (NotFound, 404),
    (Conflict, 409),
    (AttachmentTooLarge, 413),
    (UnsupportedType, 415),
)


class SignInNeeded(Exception):
    """No live session: the person is sent to sign in, then back to where they were."""


@dataclass(frozen=True, slots=True)
class StaffPage:
    page: Page
    principal: Principal

    @property
    def roles(self) -> frozenset[Role]:
        return self.principal.roles

    def render(
        self, template: str, context: dict[str, Any] | None = None, *, status: int = 200
    ) -> Response:
        """`page.render` with `staff` (the menu, the user's name) and `csrf_token` (every
        form on a staff page, the sign-out button included) in the context."""
        nonce, token = form_token(self.page)
        response = self.page.render(
            template, {"staff": self, "csrf_token": token, **(context or {})}, status=status
        )
        return keep_nonce(self.page, response, nonce)

    def form_is_genuine(self, token: str) -> bool:
        """Every staff POST checks its form token before anything else."""
        return token_is_valid(self.page, token)


def session_secret(request: Request) -> str | None:
    secret = request.cookies.get(SESSION_COOKIE, "")
    return secret if 20 <= len(secret) <= 100 else None


def get_staff_page(request: Request) -> StaffPage:
    page = get_page(request)
    secret = session_secret(request)
    if secret is None:
        raise SignInNeeded
    container = page.container
    try:
        principal = session_principal(container.uow(), secret, now=container.clock())
    except Unauthenticated as exc:
        raise SignInNeeded from exc
    return StaffPage(page=page, principal=principal)


StaffDep = Annotated[StaffPage, Depends(get_staff_page)]


class ForgedForm(Exception):
    """A staff form posted without a genuine token: `StaffRoute` refuses it as a page."""


def get_staff_form(
    staff: StaffDep, csrf_token: Annotated[str, Form(max_length=200)] = ""
) -> StaffPage:
    """The staff page of a form post, its token checked before the route does anything."""
    if not staff.form_is_genuine(csrf_token):
        raise ForgedForm
    return staff


StaffFormDep = Annotated[StaffPage, Depends(get_staff_form)]
"""For a route that takes a posted form: `StaffDep` and the form's CSRF token, checked."""


def login_url(request: Request) -> str:
    """The sign-in page, with the way back to this page (GET only: a form post is not
    repeated after signing in)."""
    back = request.url.path if request.method == "GET" else STAFF_PREFIX + "/"
    if request.method == "GET" and request.url.query:
        back += "?" + request.url.query
    return f"{LOGIN_PATH}?next={quote(back, safe='')}"


def status_of(error: DomainError) -> int:
    for kind, status in _STATUS:
        if isinstance(error, kind):
            return status
    return 400


def refusal_page(request: Request, status: int, error: DomainError | None, detail: str) -> Response:
    """The error page in the person's language: the title says what kind of no, the
    message why (`error` None: a value the route's validation refused); the use case's
    own English words (`detail`) stay folded away beneath."""
    page = get_page(request)
    _ = page.gettext
    titles = {
        400: _("This request cannot be carried out"),
        401: _("Please sign in"),
        403: _("This is outside your area of responsibility"),
        404: _("Not found"),
        409: _("This has changed in the meantime"),
        413: _("What you sent is too large"),
        415: _("This kind of file is not accepted"),
    }
    title = titles.get(status, titles[400])
    if isinstance(error, NotYourPosition):  # a 403 inside one's area: the role is wrong
        title = _("This step is not yours to take")
    return page.render(
        "staff/error.html",
        {
            "title": title,
            "message": invalid_value_text(page) if error is None else refusal_text(page, error),
            "detail": detail,
            "back": STAFF_PREFIX + "/",
        },
        status=status,
    )


Handler = Callable[[Request], Coroutine[Any, Any, Response]]


class StaffRoute(APIRoute):
    """A route whose refusals are pages; see the module docstring."""

    def get_route_handler(self) -> Handler:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            try:
                return await handler(request)
            except SignInNeeded:
                return RedirectResponse(login_url(request), status_code=303)
            except ForgedForm:
                return refuse_forgery(get_page(request))
            except DomainError as error:
                return refusal_page(request, status_of(error), error, error.message)
            except RequestValidationError as error:
                first = error.errors()[0] if error.errors() else {}
                where = ".".join(
                    str(p) for p in first.get("loc", ()) if p not in ("query", "path", "body")
                )
                message = (
                    f"{where}: {first.get('msg', 'invalid value')}" if where else "invalid value"
                )
                return refusal_page(request, 400, None, message)

        return guarded
