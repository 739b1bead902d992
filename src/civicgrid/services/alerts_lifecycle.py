"""Working on alerts: list, acknowledge, assign, comment; silences (maintenance windows)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from civicgrid.domain.access import Action, Principal, authorize, scopes_for
from civicgrid.domain.alerts import Silence
from civicgrid.domain.errors import InvalidInput, NotFound
from civicgrid.services.ports import Page
from civicgrid.services.sensor_ports import AlertComment, IotUnitOfWork, StoredAlert

MAX_COMMENT = 2000
MAX_SILENCE_DAYS = 90


def list_alerts(
    uow: IotUnitOfWork,
    principal: Principal,
    *,
    active: bool | None = None,
    offset: int = 0,
    limit: int = 100,
) -> Page[StoredAlert]:
    with uow:
        return uow.alerts.within(
            scopes_for(principal, Action.READ), active=active, offset=offset, limit=limit
        )


def access_alert(
    uow: IotUnitOfWork, principal: Principal, alert_id: int, action: Action
) -> StoredAlert:
    alert = uow.alerts.get(alert_id)
    if alert is None:
        raise NotFound(f"no alert {alert_id}", field="alert_id")
    authorize(principal, action, alert.area_path, f"alert {alert_id}")
    return alert


def acknowledge_alert(
    uow: IotUnitOfWork, principal: Principal, alert_id: int, *, now: datetime
) -> StoredAlert:
    with uow:
        alert = access_alert(uow, principal, alert_id, Action.OPERATE)
        if alert.acknowledged_at is None:
            uow.alerts.update(alert_id, acknowledged_at=now, acknowledged_by=principal.username)
            uow.commit()
            alert = replace(alert, acknowledged_at=now, acknowledged_by=principal.username)
    return alert


def assign_alert(
    uow: IotUnitOfWork, principal: Principal, alert_id: int, assignee: str | None
) -> StoredAlert:
    with uow:
        alert = access_alert(uow, principal, alert_id, Action.OPERATE)
        if assignee is not None and uow.users.get_by_username(assignee) is None:
            raise NotFound(f"no user {assignee}", field="assignee")
        uow.alerts.update(alert_id, assignee=assignee)
        uow.commit()
    return replace(alert, assignee=assignee)


def comment_on_alert(
    uow: IotUnitOfWork, principal: Principal, alert_id: int, body: str, *, now: datetime
) -> AlertComment:
    text = body.strip()
    if not text or len(text) > MAX_COMMENT:
        raise InvalidInput(f"a comment has 1 to {MAX_COMMENT} characters", field="body")
    comment = AlertComment(author=principal.username, body=text, at=now)
    with uow:
        access_alert(uow, principal, alert_id, Action.OPERATE)
        uow.alerts.add_comment(alert_id, comment)
        uow.commit()
    return comment


def get_alert_comments(
    uow: IotUnitOfWork, principal: Principal, alert_id: int
) -> list[AlertComment]:
    with uow:
        access_alert(uow, principal, alert_id, Action.READ)
        return uow.alerts.comments(alert_id)


def add_silence(
    uow: IotUnitOfWork, principal: Principal, silence: Silence, *, now: datetime
) -> Silence:
    """Silence alerts of a sensor, or of a type or rule within an area, for a time span.
    The silencer must operate where it applies (the sensor's area, or the area given)."""
    if silence.ends_s <= silence.starts_s:
        raise InvalidInput("a silence ends after it starts", field="ends_at")
    if silence.ends_s - silence.starts_s > MAX_SILENCE_DAYS * 86400:
        raise InvalidInput(f"a silence lasts at most {MAX_SILENCE_DAYS} days", field="ends_at")
    if silence.ends_s <= now.timestamp():
        raise InvalidInput("the silence would be over already", field="ends_at")
    with uow:
        area_path = silence.area_path
        if silence.sensor_id is not None:
            sensor = uow.sensors.get(silence.sensor_id)
            if sensor is None:
                raise NotFound(f"no sensor {silence.sensor_id}", field="sensor_id")
            area_path = area_path or sensor.area_path
        if area_path is None:
            raise InvalidInput("a silence names a sensor or an area", field="area_code")
        authorize(principal, Action.OPERATE, area_path, "a silence there")
        stored = replace(silence, area_path=silence.area_path)
        silence_id = uow.alerts.add_silence(stored, principal.username, now)
        uow.commit()
    return replace(stored, id=silence_id)


def list_silences(uow: IotUnitOfWork, principal: Principal, *, now: datetime) -> list[Silence]:
    """Silences in force that lie in one's subtree. A sensor's silence lies at its sensor,
    so nobody learns of sensors (or the reasons given for them) outside their subtree; a
    silence with neither place nor sensor covers the whole city and is seen by all."""
    scopes = scopes_for(principal, Action.READ)
    with uow:
        found = uow.alerts.silences(now)
        sensors = {s.sensor_id: uow.sensors.get(s.sensor_id) for s in found if s.sensor_id}
    visible = []
    for silence in found:
        place = silence.area_path
        if place is None and silence.sensor_id is not None:
            sensor = sensors.get(silence.sensor_id)
            place = sensor.area_path if sensor is not None else "?"
        if place is None or any(place.startswith(p) for p in scopes):
            visible.append(silence)
    return visible


def end_silence(
    uow: IotUnitOfWork, principal: Principal, silence_id: int, *, now: datetime
) -> None:
    with uow:
        silence = next((s for s in uow.alerts.silences(now) if s.id == silence_id), None)
        if silence is None:
            raise NotFound(f"no current silence {silence_id}", field="silence_id")
        where = silence.area_path
        if where is None and silence.sensor_id is not None:
            sensor = uow.sensors.get(silence.sensor_id)
            where = sensor.area_path if sensor else None
        authorize(principal, Action.OPERATE, where or "/", f"silence {silence_id}")
        uow.alerts.end_silence(silence_id, now)
        uow.commit()
