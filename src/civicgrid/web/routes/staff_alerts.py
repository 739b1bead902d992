"""/staff/alerts: the active board by severity, one alert with its actions, and silences.

Every form posts, is checked for its CSRF token first, and redirects back (303); the use
cases refuse what lies outside one's subtree, which StaffRoute turns into a 403 page.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path
from starlette.responses import RedirectResponse, Response

from civicgrid.domain.errors import InvalidInput, NotFound
from civicgrid.domain.sensors import SensorType
from civicgrid.services import alerts_lifecycle as lifecycle
from civicgrid.services.alert_board import (
    SilenceRequest,
    describe_alert,
    get_alert_board,
    list_visible_silences,
    silence_alerts,
)
from civicgrid.web.alert_labels import DURATIONS, SEVERITY_CLASS, AlertLabels
from civicgrid.web.forms import Problem
from civicgrid.web.staff import StaffDep, StaffFormDep, StaffPage, StaffRoute

BOARD = "/staff/alerts"
router = APIRouter(prefix=BOARD, route_class=StaffRoute, include_in_schema=False)

AlertId = Annotated[int, Path(ge=1, le=2**31 - 1)]
NOTICES = ("acknowledged", "assigned", "commented", "silenced", "ended")


@router.get("")
def alert_board(staff: StaffDep, done: str = "") -> Response:
    """The board, the silences in force, and the form to add one."""
    return _board_page(staff, notice=done if done in NOTICES else "")


@router.get("/board")
def alert_board_part(staff: StaffDep) -> Response:
    """Only the board: the page's script fetches it every 15 s to keep it current."""
    return staff.render("staff/_alert_board.html", _board_context(staff))


@router.get("/{alert_id}")
def alert_detail(staff: StaffDep, alert_id: AlertId, done: str = "") -> Response:
    return _detail_page(staff, alert_id, notice=done if done in NOTICES else "")


@router.post("/{alert_id}/acknowledge")
def acknowledge(
    staff: StaffFormDep,
    alert_id: AlertId,
    back: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    c = staff.page.container
    lifecycle.acknowledge_alert(c.iot_uow(), staff.principal, alert_id, now=c.clock())
    target = BOARD if back == "board" else f"{BOARD}/{alert_id}"
    return RedirectResponse(f"{target}?done=acknowledged", status_code=303)


@router.post("/{alert_id}/assign")
def assign(
    staff: StaffFormDep,
    alert_id: AlertId,
    assignee: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """Assign to a user by name; an empty name takes the assignment back."""
    c = staff.page.container
    name = assignee.strip() or None
    try:
        lifecycle.assign_alert(c.iot_uow(), staff.principal, alert_id, name)
    except NotFound as error:
        if error.field != "assignee":
            raise
        problem = Problem("assignee", staff.page.gettext("There is no user with this name."))
        return _detail_page(staff, alert_id, problems=[problem], form={"assignee": assignee})
    return RedirectResponse(f"{BOARD}/{alert_id}?done=assigned", status_code=303)


@router.post("/{alert_id}/comment")
def comment(
    staff: StaffFormDep,
    alert_id: AlertId,
    body: Annotated[str, Form(max_length=lifecycle.MAX_COMMENT + 100)] = "",
) -> Response:
    c = staff.page.container
    try:
        lifecycle.comment_on_alert(c.iot_uow(), staff.principal, alert_id, body, now=c.clock())
    except InvalidInput:
        problem = Problem(
            "body",
            staff.page.gettext(
                "Write a comment of 1 to %(limit)d characters.", limit=lifecycle.MAX_COMMENT
            ),
        )
        return _detail_page(staff, alert_id, problems=[problem], form={"body": body})
    return RedirectResponse(f"{BOARD}/{alert_id}?done=commented#comments", status_code=303)


@router.post("/{alert_id}/silence")
def silence_alert(
    staff: StaffFormDep,
    alert_id: AlertId,
    scope: Annotated[str, Form(max_length=20)] = "sensor",
    duration: Annotated[str, Form(max_length=5)] = "",
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """Silence this alert's sensor, or its rule within its micro-grid."""
    c = staff.page.container
    detail = describe_alert(c.iot_uow(), staff.principal, c.alert_pipeline.rules, alert_id)
    alert = detail.item.alert
    if scope == "rule":
        matcher = SilenceRequest(rule_id=alert.rule_id, area_code=alert.area_code)
    else:
        matcher = SilenceRequest(sensor_id=alert.sensor_id)
    problems = _silence_problems(staff, duration, reason)
    if not problems:
        request = SilenceRequest(
            sensor_id=matcher.sensor_id,
            rule_id=matcher.rule_id,
            area_code=matcher.area_code,
            duration=DURATIONS[duration],
            reason=reason,
        )
        try:
            _silence(staff, request)
        except InvalidInput as error:
            problems = [Problem("reason", error.message)]
    if problems:
        form = {"scope": scope, "duration": duration, "reason": reason}
        return _detail_page(staff, alert_id, problems=problems, form=form)
    return RedirectResponse(f"{BOARD}/{alert_id}?done=silenced", status_code=303)


@router.post("/silences")
def add_silence(
    staff: StaffFormDep,
    sensor_id: Annotated[str, Form(max_length=64)] = "",
    sensor_type: Annotated[str, Form(max_length=32)] = "",
    rule_id: Annotated[str, Form(max_length=64)] = "",
    area_code: Annotated[str, Form(max_length=32)] = "",
    duration: Annotated[str, Form(max_length=5)] = "",
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """A maintenance window: a sensor, or a type and/or rule within an area."""
    form = {
        "sensor_id": sensor_id.strip(),
        "sensor_type": sensor_type,
        "rule_id": rule_id,
        "area_code": area_code.strip(),
        "duration": duration,
        "reason": reason,
    }
    _ = staff.page.gettext
    problems = _silence_problems(staff, duration, reason)
    if not form["sensor_id"] and not form["area_code"]:
        problems.append(Problem("silence-sensor", _("Name a sensor or an area code.")))
    if not problems:
        request = SilenceRequest(
            sensor_id=form["sensor_id"],
            sensor_type=sensor_type,
            rule_id=rule_id,
            area_code=form["area_code"],
            duration=DURATIONS[duration],
            reason=reason,
        )
        try:
            _silence(staff, request)
        except NotFound as error:
            where = "silence-area" if error.field == "area_code" else "silence-sensor"
            problems = [Problem(where, _("No such sensor or area."))]
    if problems:
        return _board_page(staff, problems=problems, form=form, status=422)
    return RedirectResponse(f"{BOARD}?done=silenced#silences", status_code=303)


@router.post("/silences/{silence_id}/end")
def end_silence(
    staff: StaffFormDep, silence_id: Annotated[int, Path(ge=1, le=2**31 - 1)]
) -> Response:
    c = staff.page.container
    now = c.clock()
    lifecycle.end_silence(c.iot_uow(), staff.principal, silence_id, now=now)
    c.alert_pipeline.refresh_silences(now)
    return RedirectResponse(f"{BOARD}?done=ended#silences", status_code=303)


def _silence(staff: StaffPage, request: SilenceRequest) -> None:
    c = staff.page.container
    now = c.clock()
    silence_alerts(c.iot_uow(), staff.principal, request, now=now)
    c.alert_pipeline.refresh_silences(now)  # the running engine hears of it at once


def _silence_problems(staff: StaffPage, duration: str, reason: str) -> list[Problem]:
    _ = staff.page.gettext
    problems = []
    if duration not in DURATIONS:
        problems.append(Problem("silence-duration", _("Choose how long to silence.")))
    if not reason.strip():
        problems.append(Problem("silence-reason", _("Say why the alerts are silenced.")))
    return problems


def _board_context(staff: StaffPage) -> dict[str, Any]:
    c = staff.page.container
    pipeline = c.alert_pipeline
    board = get_alert_board(c.iot_uow(), staff.principal, pipeline.rules, pipeline.engine)
    return {
        "board": board,
        "labels": AlertLabels(staff.page),
        "severity_class": SEVERITY_CLASS,
        "now": c.clock(),
    }


def _board_page(
    staff: StaffPage,
    *,
    notice: str = "",
    problems: list[Problem] | None = None,
    form: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    c = staff.page.container
    rules = c.alert_pipeline.rules
    context = _board_context(staff)
    context.update(
        silences=list_visible_silences(c.iot_uow(), staff.principal, now=c.clock()),
        notice=notice,
        problems=problems or [],
        form=form or {},
        durations=list(DURATIONS),
        sensor_types=[t.value for t in SensorType],
        rules=rules.rules,
    )
    return staff.render("staff/alerts.html", context, status=status)


def _detail_page(
    staff: StaffPage,
    alert_id: int,
    *,
    notice: str = "",
    problems: list[Problem] | None = None,
    form: dict[str, str] | None = None,
) -> Response:
    c = staff.page.container
    detail = describe_alert(c.iot_uow(), staff.principal, c.alert_pipeline.rules, alert_id)
    context = {
        "detail": detail,
        "item": detail.item,
        "labels": AlertLabels(staff.page),
        "severity_class": SEVERITY_CLASS,
        "now": c.clock(),
        "notice": notice,
        "problems": problems or [],
        "form": form or {},
        "durations": list(DURATIONS),
    }
    return staff.render("staff/alert.html", context, status=422 if problems else 200)
