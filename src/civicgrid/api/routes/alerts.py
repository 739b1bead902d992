"""/api/v1/alerts and /api/v1/alert-silences: the alert lifecycle."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from civicgrid.api.deps import ContainerDep, CurrentPrincipal
from civicgrid.api.errors import ERROR_RESPONSES
from civicgrid.api.schemas.iot import (
    AlertList,
    AlertPublic,
    AssignAlert,
    CommentCreate,
    CommentPublic,
    SilenceCreate,
    SilencePublic,
)
from civicgrid.services import alerts_lifecycle as lifecycle

router = APIRouter(prefix="/api/v1", tags=["alerts"], responses=ERROR_RESPONSES)

AlertId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("/alerts")
def get_alerts(
    container: ContainerDep,
    principal: CurrentPrincipal,
    active: bool | None = None,
    offset: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> AlertList:
    """Alerts in the caller's subtree, newest first."""
    page = lifecycle.list_alerts(
        container.iot_uow(), principal, active=active, offset=offset, limit=limit
    )
    return AlertList(data=[AlertPublic.of(a) for a in page.items], count=page.count)


@router.post("/alerts/{alert_id}/acknowledge")
def acknowledge(
    container: ContainerDep, principal: CurrentPrincipal, alert_id: AlertId
) -> AlertPublic:
    """Acknowledge (once; a second acknowledgement changes nothing)."""
    alert = lifecycle.acknowledge_alert(
        container.iot_uow(), principal, alert_id, now=container.clock()
    )
    return AlertPublic.of(alert)


@router.post("/alerts/{alert_id}/assign")
def assign(
    container: ContainerDep, principal: CurrentPrincipal, alert_id: AlertId, body: AssignAlert
) -> AlertPublic:
    """Assign to a user, or unassign with null."""
    return AlertPublic.of(
        lifecycle.assign_alert(container.iot_uow(), principal, alert_id, body.assignee)
    )


@router.post("/alerts/{alert_id}/comments", status_code=201)
def comment(
    container: ContainerDep, principal: CurrentPrincipal, alert_id: AlertId, body: CommentCreate
) -> CommentPublic:
    """Add a comment."""
    made = lifecycle.comment_on_alert(
        container.iot_uow(), principal, alert_id, body.body, now=container.clock()
    )
    return CommentPublic.of(made)


@router.get("/alerts/{alert_id}/comments")
def comments(
    container: ContainerDep, principal: CurrentPrincipal, alert_id: AlertId
) -> list[CommentPublic]:
    """The comments, oldest first."""
    found = lifecycle.get_alert_comments(container.iot_uow(), principal, alert_id)
    return [CommentPublic.of(c) for c in found]


@router.get("/alert-silences")
def get_silences(
    container: ContainerDep,
    principal: CurrentPrincipal,
    sensor_id: Annotated[str | None, Query(max_length=64)] = None,
) -> list[SilencePublic]:
    """Silences not yet over, within the caller's subtree (of one sensor, if given)."""
    found = lifecycle.list_silences(container.iot_uow(), principal, now=container.clock())
    return [SilencePublic.of(s) for s in found if sensor_id is None or s.sensor_id == sensor_id]


@router.post("/alert-silences", status_code=201)
def create_silence(
    container: ContainerDep, principal: CurrentPrincipal, body: SilenceCreate
) -> SilencePublic:
    """Silence a sensor, or a type or rule within an area, for a time span (maintenance)."""
    now = container.clock()
    made = lifecycle.add_silence(container.iot_uow(), principal, body.to_silence(), now=now)
    container.alert_pipeline.refresh_silences(now)
    return SilencePublic.of(made)


@router.delete("/alert-silences/{silence_id}", status_code=204)
def delete_silence(
    container: ContainerDep,
    principal: CurrentPrincipal,
    silence_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
) -> None:
    """End a silence now."""
    now = container.clock()
    lifecycle.end_silence(container.iot_uow(), principal, silence_id, now=now)
    container.alert_pipeline.refresh_silences(now)
