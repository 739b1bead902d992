"""/staff/cases: the subtree's cases with filters, one case's page, its files, its actions."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, Path, Query, UploadFile
from starlette.responses import RedirectResponse, Response

from civicgrid.domain.attachments import ID_PATTERN, AttachmentTooLarge, UnsupportedType
from civicgrid.domain.cases.actions import CaseAction
from civicgrid.domain.cases.stages import Stage
from civicgrid.domain.errors import InvalidInput
from civicgrid.services.case_ports import CaseFilter
from civicgrid.services.cases import queries
from civicgrid.services.cases.acting import ACTIONS, act_on_case
from civicgrid.services.cases.staff_files import get_case_attachment, store_photos
from civicgrid.web.case_forms import action_form, read_action
from civicgrid.web.case_page import case_rows, case_url, labels_of, render_case
from civicgrid.web.categories import category_groups
from civicgrid.web.downloads import download_response
from civicgrid.web.problems import problem_of
from civicgrid.web.staff import StaffDep, StaffFormDep, StaffRoute
from civicgrid.web.uploads import photos_of

router = APIRouter(prefix="/staff/cases", route_class=StaffRoute, include_in_schema=False)

PAGE_SIZE = 50
ACTION_PATH = "/staff/cases/actions"  # one path (case and action in the form): it takes photos
STATUSES = ("open", "on_hold", "closed", "void")
CaseId = Annotated[int, Path(ge=1, le=2**31 - 1)]
Text = Annotated[str, Form(max_length=10_000)]


@router.get("")
def list_cases(
    staff: StaffDep,
    stage: Stage | None = None,
    category: Annotated[str, Query(max_length=20, pattern=r"^([a-z]+:\d+)?$")] = "",
    status: Annotated[str, Query(pattern="^(open|on_hold|closed|void|all)$")] = "open",
    overdue: bool = False,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """Newest first, PAGE_SIZE a page, inside the person's jurisdiction."""
    container = staff.page.container
    now = container.clock()
    where = CaseFilter(
        status=None if status == "all" else status,
        stage=stage,
        category=category or None,
        overdue_at=now if overdue else None,
    )
    found = queries.list_cases(
        container.uow(), staff.principal, where, page=page, page_size=PAGE_SIZE
    )
    chosen = {"stage": stage.value if stage else "", "category": category, "status": status}
    if overdue:
        chosen["overdue"] = "true"
    last = max(1, -(-found.count // PAGE_SIZE))
    labels = labels_of(staff)

    def page_url(number: int) -> str:
        return "/staff/cases?" + urlencode(
            {**{k: v for k, v in chosen.items() if v}, "page": number}
        )

    return staff.render(
        "staff/cases.html",
        {
            "found": found,
            "rows": case_rows(labels, found.items, now),
            "labels": labels,
            "stages": list(Stage),
            "statuses": STATUSES,
            "categories": category_groups(container.rules.tree, staff.page.name),
            "chosen": chosen,
            "overdue": overdue,
            "page_number": page,
            "last_page": last,
            "previous_url": page_url(page - 1) if page > 1 else "",
            "next_url": page_url(page + 1) if page < last else "",
        },
    )


@router.get("/{case_id}")
def show_case(staff: StaffDep, case_id: CaseId, done: str = "") -> Response:
    """The timeline, photos, map, traffic light, and a form per action open to the person."""
    notice = done if done in {a.value for a in ACTIONS} | {"report"} else ""
    return render_case(staff, case_id, notice=notice)


@router.get("/{case_id}/files/{attachment_id}")
def case_file(
    staff: StaffDep,
    case_id: CaseId,
    attachment_id: Annotated[str, Path(pattern=ID_PATTERN)],
) -> Response:
    """A file the case names, for readers of the case: as the API serves it."""
    container = staff.page.container
    download = get_case_attachment(
        container.uow(), container.attachment_store, staff.principal, case_id, attachment_id
    )
    return download_response(download)


@router.post("/actions")
def act(
    staff: StaffFormDep,
    case_id: Annotated[int, Form(ge=1, le=2**31 - 1)],
    action: Annotated[CaseAction, Form()],
    reason: Text = "",
    note: Text = "",
    text: Text = "",
    result: Text = "",
    comment: Text = "",
    passed: Text = "",
    approved: Text = "",
    department: Text = "",
    outcome: Text = "",
    working_seconds: Text = "",
    other_case_id: Text = "",
    score: Text = "",
    photo: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """One action through the use case; its refusal re-renders the page (422) or is a
    page of its own (403 another's work, 409 changed meanwhile)."""
    if action not in ACTIONS:
        raise InvalidInput(f"{action.value} is not an action a person takes", field="action")
    container = staff.page.container
    form = action_form(action)
    values = {
        "reason": reason, "note": note, "text": text, "result": result, "comment": comment,
        "passed": passed, "approved": approved, "department": department, "outcome": outcome,
        "working_seconds": working_seconds, "other_case_id": other_case_id, "score": score,
    }  # fmt: skip
    departments = {d.code for d in container.rules.tree.departments}
    args, problems = read_action(staff.page, form, values, departments)
    now = container.clock()
    try:
        if not problems and form.has_photo and (photos := photos_of(staff.page, photo)):
            args["attachments"] = store_photos(
                container.uow(),
                container.attachment_store,
                staff.principal,
                photos,
                now=now,
                max_bytes=container.settings.attachment_max_bytes,
            )
        if not problems:
            act_on_case(
                container.uow(),
                container.rules,
                staff.principal,
                case_id,
                action,
                now=now,
                args=args,
                feed=container.feed,
            )
    except InvalidInput as error:
        problems.append(problem_of(staff.page, error))
    except (AttachmentTooLarge, UnsupportedType) as error:
        problems.append(problem_of(staff.page, error))
    if problems:
        shown = {k: v for k, v in values.items() if v}
        return render_case(
            staff, case_id, problems=problems, failed=action.value, values=shown, status=422
        )
    return RedirectResponse(f"{case_url(case_id)}?done={action.value}", status_code=303)
