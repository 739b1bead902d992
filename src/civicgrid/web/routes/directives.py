"""/staff/directives: the list, issuing with a target preview (指令直达)."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from civicgrid.domain.directives import Priority
from civicgrid.domain.directives.issuing import ISSUING_ROLES
from civicgrid.domain.errors import DomainError, Forbidden, InvalidInput, NotFound
from civicgrid.services.area_tags import count_tags
from civicgrid.services.attachments import upload_attachment
from civicgrid.services.directives.board import list_directive_board, preview_named
from civicgrid.services.directives.issuing import issue_directive
from civicgrid.web.directive_form import (
    FEEDBACK_TYPES,
    FIELD_ROWS,
    TARGET_LEVELS,
    IssueForm,
    problem_of_issue,
    read_issue_form,
    read_selection,
)
from civicgrid.web.forms import Problem
from civicgrid.web.guard import refuse_forgery
from civicgrid.web.staff import StaffDep, StaffPage, StaffRoute
from civicgrid.web.typed_answers import Posted, read_posted

PREFIX = "/staff/directives"
ISSUE_PATH = f"{PREFIX}/new"  # takes attachments: the app gives it the upload body limit
MAX_ATTACHMENTS = 5

router = APIRouter(prefix=PREFIX, route_class=StaffRoute, include_in_schema=False)


@router.get("")
def directive_list(staff: StaffDep) -> Response:
    """Issued in my area, received by my units (receipts), and reaching my area from above."""
    board = list_directive_board(staff.page.container.uow(), staff.principal)
    return staff.render(
        "staff/directives/list.html",
        {"board": board, "may_issue": _issuing_areas(staff), "now": staff.page.container.clock()},
    )


def _issuing_areas(staff: StaffPage) -> list[tuple[str, str]]:
    """(code, path) of each area the person may issue from."""
    return sorted(
        {(g.area_code, g.area_path) for g in staff.principal.grants if g.role in ISSUING_ROLES}
    )


def _new_page(staff: StaffPage, form: IssueForm, *, status: int = 200) -> Response:
    areas = _issuing_areas(staff)
    first = areas[0][0] if areas else ""
    tags = count_tags(staff.page.container.uow(), staff.principal, first) if first else {}
    return staff.render(
        "staff/directives/new.html",
        {
            "form": form,
            "problems": form.problems,
            "issuing_areas": areas,
            "known_tags": sorted(tags.items()),
            "levels": TARGET_LEVELS,
            "priorities": list(Priority),
            "field_types": FEEDBACK_TYPES,
            "field_rows": range(1, FIELD_ROWS + 1),
            "max_attachments": MAX_ATTACHMENTS,
        },
        status=status,
    )


@router.get("/new")
def new_directive(staff: StaffDep) -> Response:
    if not _issuing_areas(staff):
        raise Forbidden(f"{staff.principal.username} holds no officer's role to issue from")
    return _new_page(staff, IssueForm(fields={"target": "level", "level": "micro-grid"}))


@router.get("/preview")
def preview(
    staff: StaffDep,
    target: Annotated[str, Query(max_length=10)] = "level",
    within: Annotated[str, Query(max_length=20)] = "",
    level: Annotated[str, Query(max_length=20)] = "",
    tag: Annotated[str, Query(max_length=60)] = "",
    codes: Annotated[str, Query(max_length=20_000)] = "",
    from_area: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """The htmx fragment "N units: …" for the selection as it stands; nothing is written."""
    fields = {"target": target, "within": within, "level": level, "tag": tag, "codes": codes}
    problems: list[Problem] = []
    selection = read_selection(staff.page, fields, problems)
    context: dict[str, object] = {"found": None, "refusal": None}
    if problems:
        context["refusal"] = problems[0].message
    else:
        try:
            context["found"] = preview_named(
                staff.page.container.uow(),
                staff.principal,
                selection,
                from_area=from_area or None,
            )
        except (InvalidInput, NotFound, Forbidden) as error:
            context["refusal"] = problem_of_issue(staff.page, _as_invalid(error)).message
    return staff.render("staff/directives/_preview.html", context)


def _as_invalid(error: DomainError) -> InvalidInput:
    return (
        error if isinstance(error, InvalidInput) else InvalidInput(error.message, field=error.field)
    )


@router.post("/new")
async def issue(request: Request, staff: StaffDep) -> Response:
    posted = await read_posted(request)
    return await run_in_threadpool(_issue, staff, posted)


def _issue(staff: StaffPage, posted: Posted) -> Response:
    if not staff.form_is_genuine(posted.text("csrf_token", 200)):
        return refuse_forgery(staff.page)
    form, content, selection = read_issue_form(staff.page, posted.fields)
    files = posted.files.get("attachments", [])
    if len(files) > MAX_ATTACHMENTS:
        form.problems.append(
            Problem(
                "attachments",
                staff.page.gettext("Attach at most %(n)s files.", n=MAX_ATTACHMENTS),
            )
        )
    if form.problems:
        return _new_page(staff, form, status=422)
    container = staff.page.container
    try:
        ids = tuple(
            upload_attachment(
                container.uow(),
                container.attachment_store,
                staff.principal,
                name,
                kind,
                data,
                now=container.clock(),
                max_bytes=container.settings.attachment_max_bytes,
            ).id
            for name, kind, data in files
        )
        issued = issue_directive(
            container.uow(),
            staff.principal,
            replace(content, attachments=ids),
            selection,
            now=container.clock(),
            from_area=posted.text("from_area", 20) or None,
            feed=container.feed,
        )
    except InvalidInput as error:
        form.problems.append(problem_of_issue(staff.page, error))
        return _new_page(staff, form, status=422)
    return RedirectResponse(f"{PREFIX}/{issued.directive.id}", status_code=303)
