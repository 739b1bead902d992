"""The case page's context: the case, its timeline, its place and the caller's forms.

Shared by the page itself and by an action's post, which shows it again with the
problems of a form that could not be accepted.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from starlette.responses import Response

from civicgrid.domain.cases.actions import CaseAction
from civicgrid.domain.cases.events import CaseEvent
from civicgrid.domain.cases.sla import Light
from civicgrid.services.areas import get_area
from civicgrid.services.case_ports import CaseListing
from civicgrid.services.cases.queries import CaseView, get_case
from civicgrid.web.case_forms import CLOSING_OUTCOMES, ActionForm, action_form
from civicgrid.web.case_labels import CaseLabels
from civicgrid.web.file_links import file_links
from civicgrid.web.forms import Problem
from civicgrid.web.geo import feature_collection
from civicgrid.web.staff import StaffPage
from civicgrid.web.uploads import photo_limits

SHOWN_DATA = ("result", "text", "department", "outcome", "score", "level", "into")
"""The event data a timeline entry shows; the rest (locations, references) is not news."""


@dataclass(frozen=True, slots=True)
class Row:
    """A case in a list, every text ready: lists render many, so the work is done here
    once per distinct name rather than by template calls per row."""

    id: int
    category: str
    stage: str
    status: str  # empty while open
    light: str  # "green", "yellow", "red" or empty
    light_word: str
    deadline: str
    area_code: str
    reported: str


LIGHT_COLOURS = {Light.NORMAL: "green", Light.WARNING: "yellow", Light.OVERDUE: "red"}


def case_rows(labels: CaseLabels, items: Iterable[CaseListing], now: datetime) -> list[Row]:
    category = cache(labels.category)
    stage = cache(labels.stage)
    local_time = labels.page.local_time
    rows = []
    for item in items:
        light = item.light_at(now)
        rows.append(
            Row(
                id=item.id,
                category=category(item.category),
                stage=stage(item.stage),
                status="" if item.status == "open" else labels.status(item.status),
                light=LIGHT_COLOURS[light] if light else "",
                light_word=labels.light(light),
                deadline=local_time(item.deadline_at),
                area_code=item.area_code,
                reported=local_time(item.reported_at),
            )
        )
    return rows


@dataclass(frozen=True, slots=True)
class Entry:
    event: CaseEvent
    label: str
    details: list[str]


def case_url(case_id: int) -> str:
    return f"/staff/cases/{case_id}"


def file_url(case_id: int, attachment_id: str) -> str:
    return f"/staff/cases/{case_id}/files/{attachment_id}"


def labels_of(staff: StaffPage) -> CaseLabels:
    return CaseLabels(staff.page, staff.page.container.rules.tree)


def render_case(
    staff: StaffPage,
    case_id: int,
    *,
    problems: list[Problem] | None = None,
    failed: str = "",
    values: dict[str, str] | None = None,
    notice: str = "",
    status: int = 200,
) -> Response:
    """The case page; `failed` names the action whose form had `problems` (its `values`
    are shown again)."""
    container = staff.page.container
    view = get_case(
        container.uow(), container.rules, staff.principal, case_id, now=container.clock()
    )
    area = get_area(container.uow(), staff.principal, view.case.area_code, with_geometry=True)
    labels = labels_of(staff)
    named = [*view.case.attachments, *(i for e in view.events for i in e.attachments)]
    files = file_links(staff.page, named, lambda a: file_url(case_id, a))
    context: dict[str, Any] = {
        "view": view,
        "case": view.case,
        "labels": labels,
        "area": area,
        "timeline": [_entry(labels, event) for event in view.events],
        "files": [files[a] for a in dict.fromkeys(view.case.attachments)],
        "event_files": files,
        "forms": _forms(view),
        "departments": labels.departments(),
        "outcomes": CLOSING_OUTCOMES,
        "map_data": json.dumps(_map_data(staff, view, area)),
        "problems": problems or [],
        "failed": failed,
        "values": values or {},
        "notice": notice,
        **photo_limits(staff.page),
    }
    return staff.render("staff/case.html", context, status=status)


def _forms(view: CaseView) -> list[ActionForm]:
    order = list(CaseAction)
    allowed = sorted((CaseAction(a) for a in view.allowed), key=order.index)
    return [action_form(action) for action in allowed]


def _entry(labels: CaseLabels, event: CaseEvent) -> Entry:
    details = []
    for key in SHOWN_DATA:
        value = event.data.get(key)
        if value in (None, ""):
            continue
        if key == "department":
            value = labels.department(str(value))
        details.append(str(value))
    _ = labels.page.gettext
    if "passed" in event.data:
        details.append(_("Passed") if event.data["passed"] else _("Failed"))
    if "approved" in event.data:
        details.append(_("Approve") if event.data["approved"] else _("Refuse"))
    return Entry(event, labels.event(event.type), details)


def _map_data(staff: StaffPage, view: CaseView, area: Any) -> dict[str, Any]:
    name = staff.page.name
    outline = feature_collection([area], lambda a: name(a.name_zh, a.name_en))
    location = view.case.location
    point = [location[1], location[0]] if location else None
    return {"area": outline, "point": point}
