"""/staff/: my tasks — cases at my stage, directives to sign, reports due, alerts to
acknowledge, and the newest open cases in my area with their lights."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from civicgrid.domain.cases.positions import POSITION_OF_ROLE
from civicgrid.services.cases.tasks import list_my_cases, list_open_in_area
from civicgrid.services.workbench import (
    list_alerts_to_acknowledge,
    list_directives_to_sign,
    list_reports_due,
)
from civicgrid.web.case_page import labels_of
from civicgrid.web.staff import StaffDep, StaffRoute

router = APIRouter(prefix="/staff", route_class=StaffRoute, include_in_schema=False)


@router.get("/")
def my_tasks(staff: StaffDep) -> Response:
    container = staff.page.container
    principal = staff.principal
    now = container.clock()
    zone = container.settings.zone
    return staff.render(
        "staff/workbench.html",
        {
            "cases": list_my_cases(container.uow(), principal),
            "open_cases": list_open_in_area(container.uow(), principal),
            "directives": list_directives_to_sign(container.uow(), principal),
            "reports": list_reports_due(container.uow(), principal, now=now, zone=zone),
            "alerts": list_alerts_to_acknowledge(container.iot_uow(), principal),
            "may_report": any(g.role in POSITION_OF_ROLE for g in principal.grants),
            "labels": labels_of(staff),
            "now": now,
        },
    )
