"""/staff/directives/{id}: the progress tree by level with the laggards; revise, revoke."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Form, Path, Query
from starlette.responses import RedirectResponse, Response

from civicgrid.domain.directives import Priority
from civicgrid.domain.errors import InvalidInput
from civicgrid.services.directives.board import (
    access_directive_page,
    find_own_receipt,
    get_progress,
    may_direct,
    may_sign_for,
)
from civicgrid.services.directives.files import get_directive_file
from civicgrid.services.directives.queries import Show
from civicgrid.services.directives.responding import sign_receipts
from civicgrid.services.directives.revising import revise_directive, revoke_directive
from civicgrid.web.directive_form import (
    IssueForm,
    deadline_value,
    problem_of_issue,
    read_content,
)
from civicgrid.web.downloads import download_response
from civicgrid.web.file_links import directive_files
from civicgrid.web.forms import Problem
from civicgrid.web.routes.directives import PREFIX
from civicgrid.web.staff import StaffDep, StaffFormDep, StaffPage, StaffRoute

router = APIRouter(prefix=PREFIX, route_class=StaffRoute, include_in_schema=False)

DirectiveId = Annotated[int, Path(ge=1, le=2**31 - 1)]
AtCode = Annotated[str | None, Query(min_length=6, max_length=17, pattern=r"^\d+$")]
AttachmentId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]
TextField = Annotated[str, Form(max_length=20_000)]
LAGGARD_VIEWS = (Show.UNSIGNED, Show.OVERDUE, Show.NOT_DONE, Show.DONE)
PAGE_SIZE = 50


@router.get("/{directive_id}")
def progress(
    staff: StaffDep,
    directive_id: DirectiveId,
    at: AtCode = None,
    show: Show = Show.UNSIGNED,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """The roll-up at `at` (the issuer's area by default) per child area, each a link one
    level down; below it the units `show` picks (not signed, overdue …)."""
    container = staff.page.container
    directive = access_directive_page(container.uow(), staff.principal, directive_id)
    if at is None and not may_sign_for(staff.principal):
        # A unit's worker has no tree to watch: their own receipt is the page to act on.
        own = find_own_receipt(container.uow(), staff.principal, directive)
        if own is not None:
            return RedirectResponse(f"{PREFIX}/{directive_id}/units/{own}", status_code=303)
    found = get_progress(
        container.uow(),
        staff.principal,
        directive.id,
        at=at,
        show=show,
        now=container.clock(),
        page=page,
        page_size=PAGE_SIZE,
    )
    return staff.render(
        "staff/directives/detail.html",
        {
            "directive": found.rollup.directive,
            "directive_files": directive_files(staff.page, found.rollup.directive),
            "progress": found,
            "show": show,
            "views": LAGGARD_VIEWS,
            "page_number": page,
            "page_size": PAGE_SIZE,
            "may_direct": may_direct(staff.principal, directive),
            "may_sign_for": may_sign_for(staff.principal),
        },
    )


@router.post("/{directive_id}/sign")
def sign_for_units(
    staff: StaffFormDep,
    directive_id: DirectiveId,
    codes: Annotated[list[str] | None, Form(max_length=20)] = None,
    at: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """签收 entered by an office for the units below it (taken by phone or on paper):
    all the ticked ones, or none."""
    container = staff.page.container
    if codes:
        sign_receipts(
            container.uow(),
            staff.principal,
            directive_id,
            codes,
            now=container.clock(),
            feed=container.feed,
        )
    back = f"{PREFIX}/{directive_id}" + (f"?at={at}" if at.isdigit() else "")
    return RedirectResponse(back, status_code=303)


@router.post("/{directive_id}/revoke")
def revoke(
    staff: StaffFormDep,
    directive_id: DirectiveId,
    reason: TextField = "",
) -> Response:
    container = staff.page.container
    revoke_directive(
        container.uow(),
        staff.principal,
        directive_id,
        reason,
        now=container.clock(),
        feed=container.feed,
    )
    return RedirectResponse(f"{PREFIX}/{directive_id}", status_code=303)


def _revise_page(
    staff: StaffPage, directive_id: int, form: IssueForm, *, status: int = 200
) -> Response:
    directive = access_directive_page(staff.page.container.uow(), staff.principal, directive_id)
    return staff.render(
        "staff/directives/revise.html",
        {
            "directive": directive,
            "form": form,
            "problems": form.problems,
            "priorities": list(Priority),
        },
        status=status,
    )


@router.get("/{directive_id}/revise")
def revise_form(staff: StaffDep, directive_id: DirectiveId) -> Response:
    directive = access_directive_page(staff.page.container.uow(), staff.principal, directive_id)
    content = directive.content
    fields = {
        "title_zh": content.title_zh,
        "title_en": content.title_en,
        "body_zh": content.body_zh,
        "body_en": content.body_en,
        "priority": content.priority.value,
        "sign_by": deadline_value(staff.page, content.sign_deadline_at),
        "due_by": deadline_value(staff.page, content.complete_deadline_at),
    }
    return _revise_page(staff, directive_id, IssueForm(fields=fields))


@router.post("/{directive_id}/revise")
def revise(
    staff: StaffFormDep,
    directive_id: DirectiveId,
    title_zh: TextField = "",
    title_en: TextField = "",
    body_zh: TextField = "",
    body_en: TextField = "",
    priority: TextField = "normal",
    sign_by: TextField = "",
    due_by: TextField = "",
) -> Response:
    """A new version of the texts, priority and deadlines; the form and files stay."""
    fields = {
        "title_zh": title_zh, "title_en": title_en, "body_zh": body_zh, "body_en": body_en,
        "priority": priority, "sign_by": sign_by, "due_by": due_by,
    }  # fmt: skip
    container = staff.page.container
    old = access_directive_page(container.uow(), staff.principal, directive_id)
    form = IssueForm(fields=fields)
    content = read_content(staff.page, fields, form.problems)
    if form.problems:
        return _revise_page(staff, directive_id, form, status=422)
    new = replace(content, form=old.content.form, attachments=old.content.attachments)
    try:
        revise_directive(
            container.uow(),
            staff.principal,
            directive_id,
            new,
            now=container.clock(),
            feed=container.feed,
        )
    except InvalidInput as error:
        form.problems.append(
            Problem("title_zh", staff.page.gettext("Change something to revise the directive."))
            if error.field == "body" and "nothing" in error.message
            else problem_of_issue(staff.page, error)
        )
        return _revise_page(staff, directive_id, form, status=422)
    return RedirectResponse(f"{PREFIX}/{directive_id}", status_code=303)


@router.get("/{directive_id}/files/{attachment_id}")
def directive_file(
    staff: StaffDep, directive_id: DirectiveId, attachment_id: AttachmentId
) -> Response:
    container = staff.page.container
    return download_response(
        get_directive_file(
            container.uow(),
            container.attachment_store,
            staff.principal,
            directive_id,
            attachment_id,
        )
    )
