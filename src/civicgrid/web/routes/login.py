"""/staff/login and /staff/logout: a password opens a session held in an HttpOnly cookie."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from starlette.responses import RedirectResponse, Response

from civicgrid.domain.errors import Unauthenticated
from civicgrid.services.web_sessions import sign_in, sign_out
from civicgrid.web.forms import Problem
from civicgrid.web.guard import form_token, keep_nonce, refuse_forgery, token_is_valid
from civicgrid.web.page import Page, PageDep
from civicgrid.web.staff import LOGIN_PATH, SESSION_COOKIE, STAFF_PREFIX, session_secret

router = APIRouter(include_in_schema=False)


def safe_next(target: str) -> str:
    """Only a path of our own staff pages: `next` must never send a person elsewhere."""
    if target.startswith(STAFF_PREFIX + "/") and not target.startswith("//") and "\\" not in target:
        return target
    return STAFF_PREFIX + "/"


def _login_page(
    page: Page,
    *,
    username: str = "",
    next_path: str = "",
    problems: list[Problem] | None = None,
    status: int = 200,
) -> Response:
    nonce, token = form_token(page)
    response = page.render(
        "staff/login.html",
        {
            "csrf_token": token,
            "username": username,
            "next_path": safe_next(next_path),
            "problems": problems or [],
            "switch_path": LOGIN_PATH,
        },
        status=status,
    )
    return keep_nonce(page, response, nonce)


@router.get(LOGIN_PATH)
def login_form(page: PageDep, next: str = "") -> Response:
    return _login_page(page, next_path=next[:500])


@router.post(LOGIN_PATH)
def log_in(
    page: PageDep,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    username: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    if not token_is_valid(page, csrf_token):
        return refuse_forgery(page)
    container = page.container
    try:
        opened = sign_in(
            container.uow(), container.hasher, username, password, now=container.clock()
        )
    except Unauthenticated:
        problem = Problem("username", page.gettext("The user name or the password is wrong."))
        return _login_page(page, username=username, next_path=next, problems=[problem], status=401)
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        opened.secret,
        max_age=int((opened.expires_at - container.clock()).total_seconds()),
        httponly=True,
        samesite="lax",
        secure=page.request.url.scheme == "https",
        path="/",
    )
    return response


@router.post(f"{STAFF_PREFIX}/logout")
def log_out(page: PageDep, csrf_token: Annotated[str, Form(max_length=200)] = "") -> Response:
    if not token_is_valid(page, csrf_token):
        return refuse_forgery(page)
    secret = session_secret(page.request)
    if secret is not None:
        container = page.container
        sign_out(container.uow(), secret, now=container.clock())
    response = RedirectResponse(LOGIN_PATH, status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
