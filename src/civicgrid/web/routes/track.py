"""/citizen/track: follow a report by its tracking code; rate it, or reopen it, once closed."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path
from starlette.responses import RedirectResponse, Response

from civicgrid.config import Settings
from civicgrid.domain.cases.guards import ReopenPolicy
from civicgrid.domain.citizens.tracking import display_code, normalize_code
from civicgrid.domain.errors import DomainError, InvalidInput, NotFound
from civicgrid.services.citizens import PublicCaseView, public_case_view, rate_case, reopen_case
from civicgrid.web.forms import Problem
from civicgrid.web.guard import form_token, keep_nonce, refuse_forgery, token_is_valid
from civicgrid.web.page import Page, PageDep
from civicgrid.web.problems import problem_of

router = APIRouter(prefix="/citizen/track", include_in_schema=False)

Code = Annotated[str, Path(max_length=40)]
MAX_REASON = 1000
NOTICES = ("rated", "reopened")


@router.get("")
def find_report(page: PageDep, code: str = "") -> Response:
    """The lookup form; with `?code=` it goes to that report's page."""
    if not code:
        return page.render("track_lookup.html", {"code": "", "problems": []})
    try:
        canonical = normalize_code(code[:40])
    except InvalidInput as error:
        problems = [problem_of(page, error)]
        return page.render(
            "track_lookup.html", {"code": code[:40], "problems": problems}, status=422
        )
    return RedirectResponse(f"/citizen/track/{display_code(canonical)}", status_code=303)


@router.get("/{code}")
def follow_report(page: PageDep, code: Code, done: str = "") -> Response:
    """The public timeline; the rating and reopening forms when they apply."""
    return _track_page(page, code, notice=done if done in NOTICES else "")


@router.post("/{code}/rating")
def rate_report(
    page: PageDep,
    code: Code,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    stars: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """The reporter's 1–5 stars on a closed case."""
    if not token_is_valid(page, csrf_token):
        return refuse_forgery(page)
    if stars not in {"1", "2", "3", "4", "5"}:
        problem = Problem("stars-1", page.gettext("Choose from 1 to 5 stars."))
        return _track_page(page, code, problems=[problem], status=422)
    container = page.container
    try:
        rate_case(
            container.uow(), container.rules, code, int(stars),
            now=container.clock(), feed=container.feed,
        )  # fmt: skip
    except DomainError as error:
        return _refused(page, code, error, page.gettext("This report cannot be rated now."))
    return RedirectResponse(f"/citizen/track/{code}?done=rated", status_code=303)


@router.post("/{code}/reopen")
def reopen_report(
    page: PageDep,
    code: Code,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    reason: Annotated[str, Form(max_length=10_000)] = "",
) -> Response:
    """Closed but not fixed: send it back, within the allowed days."""
    if not token_is_valid(page, csrf_token):
        return refuse_forgery(page)
    reason = reason.strip()
    if not reason or len(reason) > MAX_REASON:
        message = page.gettext(
            "Say in at most %(limit)d characters what is still wrong.", limit=MAX_REASON
        )
        return _track_page(page, code, problems=[Problem("reason", message)], status=422)
    container = page.container
    try:
        reopen_case(
            container.uow(), container.rules, code, reason, now=container.clock(),
            policy=reopen_policy(container.settings), feed=container.feed,
        )  # fmt: skip
    except DomainError as error:
        return _refused(page, code, error, page.gettext("This report cannot be reopened now."))
    return RedirectResponse(f"/citizen/track/{code}?done=reopened", status_code=303)


def reopen_policy(settings: Settings) -> ReopenPolicy:
    return ReopenPolicy(
        window_days=settings.citizen_reopen_days, max_reopens=settings.citizen_max_reopens
    )


def _refused(page: Page, code: str, error: DomainError, why_not: str) -> Response:
    """A refusal by the workflow (already rated, too late) is told, not a generic error."""
    if error.field in {"tracking_code", "score"} or isinstance(error, NotFound):
        problem = problem_of(page, error)
    else:
        problem = Problem("problems", why_not)
    return _track_page(page, code, problems=[problem], status=409)


def _view(page: Page, code: str) -> PublicCaseView:
    container = page.container
    return public_case_view(
        container.uow(),
        container.rules,
        tracking_code=code,
        now=container.clock(),
        policy=reopen_policy(container.settings),
    )


def _track_page(
    page: Page,
    code: str,
    *,
    notice: str = "",
    problems: list[Problem] | None = None,
    status: int = 200,
) -> Response:
    try:
        view = _view(page, code)
    except (NotFound, InvalidInput) as error:
        lookup = {"code": code, "problems": [problem_of(page, error)]}
        return page.render("track_lookup.html", lookup, status=404)
    nonce, token = form_token(page)
    context = {
        "view": view,
        "code": display_code(normalize_code(code)),
        "notice": notice,
        "problems": problems or [],
        "csrf_token": token,
        "max_reason": MAX_REASON,
    }
    return keep_nonce(page, page.render("track.html", context, status=status), nonce)
