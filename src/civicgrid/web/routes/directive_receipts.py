"""The unit's side of a directive: its receipt page, 签收, progress, and completing it with
the feedback form and photos; the issuer's 返工. Designed for a grid worker's phone."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from civicgrid.domain.directives.responding import needs_signature
from civicgrid.domain.errors import InvalidInput
from civicgrid.domain.forms import photo_ids
from civicgrid.services.areas import get_area
from civicgrid.services.directives.board import access_directive_page, may_direct
from civicgrid.services.directives.files import get_directive_file
from civicgrid.services.directives.queries import get_receipt
from civicgrid.services.directives.responding import (
    complete_receipt,
    report_receipt_progress,
    send_back_receipt,
    sign_receipt,
)
from civicgrid.web.downloads import download_response
from civicgrid.web.file_links import directive_files, file_links
from civicgrid.web.forms import Problem
from civicgrid.web.guard import refuse_forgery
from civicgrid.web.routes.directives import PREFIX
from civicgrid.web.staff import StaffDep, StaffFormDep, StaffPage, StaffRoute
from civicgrid.web.typed_answers import (
    Answer,
    Posted,
    problem_of_answer,
    read_posted,
    read_posted_answer,
)

FEEDBACK_PATH = f"{PREFIX}/feedback"  # takes photos: the app gives it the upload body limit

router = APIRouter(prefix=PREFIX, route_class=StaffRoute, include_in_schema=False)

DirectiveId = Annotated[int, Path(ge=1, le=2**31 - 1)]
UnitCode = Annotated[str, Path(min_length=6, max_length=17, pattern=r"^\d+$")]
AttachmentId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]
TextField = Annotated[str, Form(max_length=4000)]


def receipt_url(directive_id: int, code: str) -> str:
    return f"{PREFIX}/{directive_id}/units/{code}"


def _receipt_page(
    staff: StaffPage,
    directive_id: int,
    code: str,
    *,
    answer: Answer | None = None,
    problems: list[Problem] | None = None,
    status: int = 200,
) -> Response:
    container = staff.page.container
    access_directive_page(container.uow(), staff.principal, directive_id)
    directive, receipt, history = get_receipt(container.uow(), staff.principal, directive_id, code)
    area = get_area(container.uow(), staff.principal, code, with_geometry=False)
    photos = photo_ids(directive.content.form, receipt.feedback)
    photo_url = f"{receipt_url(directive_id, code)}/photos/"
    return staff.render(
        "staff/directives/receipt.html",
        {
            "directive": directive,
            "directive_files": directive_files(staff.page, directive),
            "feedback_files": file_links(staff.page, photos, lambda a: photo_url + a),
            "receipt": receipt,
            "area": area,
            "history": history,
            "needs_signature": needs_signature(directive, receipt),
            "may_direct": may_direct(staff.principal, directive),
            "answer": answer or Answer(),
            "problems": problems or [],
            "feedback_path": FEEDBACK_PATH,
        },
        status=status,
    )


@router.get("/{directive_id}/units/{code}")
def receipt_page(staff: StaffDep, directive_id: DirectiveId, code: UnitCode) -> Response:
    return _receipt_page(staff, directive_id, code)


@router.post("/{directive_id}/units/{code}/sign")
def sign(staff: StaffFormDep, directive_id: DirectiveId, code: UnitCode) -> Response:
    """签收."""
    container = staff.page.container
    sign_receipt(
        container.uow(),
        staff.principal,
        directive_id,
        code,
        now=container.clock(),
        feed=container.feed,
    )
    return RedirectResponse(receipt_url(directive_id, code), status_code=303)


@router.post("/{directive_id}/units/{code}/progress")
def progress(
    staff: StaffFormDep,
    directive_id: DirectiveId,
    code: UnitCode,
    percent: Annotated[str, Form(max_length=10)] = "",
    note: TextField = "",
) -> Response:
    _ = staff.page.gettext
    try:
        value = int(percent)
    except ValueError:
        value = -1
    if not 0 <= value <= 100:
        problem = Problem("percent", _("Progress is a whole number from 0 to 100."))
        return _receipt_page(staff, directive_id, code, problems=[problem], status=422)
    container = staff.page.container
    report_receipt_progress(
        container.uow(),
        staff.principal,
        directive_id,
        code,
        value,
        note,
        now=container.clock(),
        feed=container.feed,
    )
    return RedirectResponse(receipt_url(directive_id, code), status_code=303)


@router.post("/feedback")
async def feedback(request: Request, staff: StaffDep) -> Response:
    """Complete: the feedback form with its photos (one fixed path, for the body limit)."""
    posted = await read_posted(request)
    return await run_in_threadpool(_complete, staff, posted)


def _complete(staff: StaffPage, posted: Posted) -> Response:
    if not staff.form_is_genuine(posted.text("csrf_token", 200)):
        return refuse_forgery(staff.page)
    directive_text, code = posted.text("directive_id", 12), posted.text("unit", 20)
    if not directive_text.isdigit() or not code.isdigit():
        raise InvalidInput("the form names no directive and unit", field="unit")
    directive_id = int(directive_text)
    container = staff.page.container
    directive = access_directive_page(container.uow(), staff.principal, directive_id)
    form = directive.content.form
    answer = read_posted_answer(staff.page, staff.principal, form, posted)
    if answer.problems:
        return _receipt_page(
            staff, directive_id, code, answer=answer, problems=answer.problems, status=422
        )
    try:
        complete_receipt(
            container.uow(),
            staff.principal,
            directive_id,
            code,
            answer.values,
            posted.text("note", 4000),
            now=container.clock(),
            feed=container.feed,
        )
    except InvalidInput as error:
        problem = problem_of_answer(staff.page, form, error)
        return _receipt_page(
            staff, directive_id, code, answer=answer, problems=[problem], status=422
        )
    return RedirectResponse(receipt_url(directive_id, code), status_code=303)


@router.post("/{directive_id}/units/{code}/rework")
def rework(
    staff: StaffFormDep,
    directive_id: DirectiveId,
    code: UnitCode,
    reason: TextField = "",
) -> Response:
    """返工: the issuer sends the completion back, saying why."""
    if not reason.strip():
        problem = Problem("reason", staff.page.gettext("Say why the work goes back."))
        return _receipt_page(staff, directive_id, code, problems=[problem], status=422)
    container = staff.page.container
    send_back_receipt(
        container.uow(),
        staff.principal,
        directive_id,
        code,
        reason,
        now=container.clock(),
        feed=container.feed,
    )
    return RedirectResponse(receipt_url(directive_id, code), status_code=303)


@router.get("/{directive_id}/units/{code}/photos/{attachment_id}")
def receipt_photo(
    staff: StaffDep, directive_id: DirectiveId, code: UnitCode, attachment_id: AttachmentId
) -> Response:
    container = staff.page.container
    access_directive_page(container.uow(), staff.principal, directive_id)  # 403 outside
    return download_response(
        get_directive_file(
            container.uow(),
            container.attachment_store,
            staff.principal,
            directive_id,
            attachment_id,
            unit=code,
        )
    )
