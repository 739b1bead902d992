"""The alert board: active alerts in one's subtree by severity, an alert with its context,
the silences one may see, and silencing by a matcher for a duration."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from civicgrid.domain.access import Action, Principal, scopes_for
from civicgrid.domain.alerts import AlertEngine, Rule, RuleSet, Severity, Silence
from civicgrid.domain.areas import Area
from civicgrid.domain.areas.area import is_within
from civicgrid.domain.errors import InvalidInput, NotFound
from civicgrid.domain.sensors import Sensor
from civicgrid.services import alerts_lifecycle as lifecycle
from civicgrid.services.sensor_ports import AlertComment, IotUnitOfWork, StoredAlert

BOARD_LIMIT = 200  # the most severe active alerts on one board; it says when there are more
MIN_SILENCE = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class BoardAlert:
    alert: StoredAlert
    sensor: Sensor | None  # None for a gateway's offline alert
    area: Area | None
    rule: Rule | None
    operable: bool  # whether the viewer may act on it (or only look)

    @property
    def severity(self) -> Severity:
        return Severity(self.alert.severity)

    @property
    def state(self) -> str:
        """What the board says of it: silenced, flapping, acknowledged or firing."""
        a = self.alert
        if not a.active:
            return "cleared"
        if a.silenced:
            return "silenced"
        if a.flapping:
            return "flapping"
        return "acknowledged" if a.acknowledged_at is not None else "firing"


@dataclass(frozen=True, slots=True)
class SeverityGroup:
    severity: Severity
    alerts: list[BoardAlert]


@dataclass(frozen=True, slots=True)
class PendingItem:
    """A condition that holds but has not yet lasted its rule's "for": no alert yet."""

    sensor: Sensor
    area: Area | None
    rule: Rule | None
    severity: Severity
    since: datetime


@dataclass(frozen=True, slots=True)
class AlertBoard:
    groups: list[SeverityGroup]  # red first; every level, empty ones too
    count: int  # active alerts in the subtree, shown or not
    cut_short: bool
    pending: list[PendingItem]

    @property
    def shown(self) -> int:
        return sum(len(g.alerts) for g in self.groups)


@dataclass(frozen=True, slots=True)
class AlertDetail:
    item: BoardAlert
    comments: list[AlertComment]


@dataclass(frozen=True, slots=True)
class SilenceView:
    silence: Silence
    sensor: Sensor | None
    area: Area | None
    operable: bool  # whether the viewer may end it

    @property
    def ends_at(self) -> datetime:
        return datetime.fromtimestamp(self.silence.ends_s, UTC)


@dataclass(frozen=True, slots=True)
class SilenceRequest:
    """What a person asks to silence: a sensor, or a type and/or rule within an area."""

    sensor_id: str = ""
    sensor_type: str = ""
    rule_id: str = ""
    area_code: str = ""
    duration: timedelta = timedelta(hours=1)
    reason: str = ""


def get_alert_board(
    uow: IotUnitOfWork,
    principal: Principal,
    rules: RuleSet,
    engine: AlertEngine | None,
    *,
    limit: int = BOARD_LIMIT,
) -> AlertBoard:
    """The most severe active alerts, by level (red first), the newest first within a
    level; and what
    `engine` sees building up. Only this process's engine is asked: where partition workers
    evaluate the readings, pass None and the board shows no pending conditions."""
    with uow:
        page = uow.alerts.most_severe(scopes_for(principal, Action.READ), limit)
        items = _context(uow, principal, page.items, rules)
        pending = _pending(uow, principal, rules, engine)
    groups = [
        SeverityGroup(
            level,
            sorted(
                (i for i in items if i.severity is level),
                key=lambda i: (i.alert.fired_at, i.alert.id),
                reverse=True,
            ),
        )
        for level in sorted(Severity, reverse=True)
    ]
    return AlertBoard(
        groups=groups, count=page.count, cut_short=page.count > len(items), pending=pending
    )


def describe_alert(
    uow: IotUnitOfWork, principal: Principal, rules: RuleSet, alert_id: int
) -> AlertDetail:
    """One alert with its sensor, place, rule and comments; outside one's subtree: Forbidden."""
    with uow:
        alert = lifecycle.access_alert(uow, principal, alert_id, Action.READ)
        (item,) = _context(uow, principal, [alert], rules)
        comments = uow.alerts.comments(alert_id)
    return AlertDetail(item=item, comments=comments)


def list_visible_silences(
    uow: IotUnitOfWork, principal: Principal, *, now: datetime
) -> list[SilenceView]:
    """Silences not yet over whose place lies in one's subtree; a sensor's silence is placed
    at its sensor, so nobody learns of sensors outside their own subtree."""
    scopes = scopes_for(principal, Action.READ)
    operating = scopes_for(principal, Action.OPERATE)
    found = lifecycle.list_silences(uow, principal, now=now)
    views = []
    with uow:
        for silence in found:
            sensor = uow.sensors.get(silence.sensor_id) if silence.sensor_id else None
            where = silence.area_path or (sensor.area_path if sensor else None)
            if where is None or not any(is_within(where, s) for s in scopes):
                continue
            area = None
            if sensor is not None:
                area = uow.areas.get(sensor.area_code, with_geometry=False)
            elif silence.area_path:
                code = silence.area_path.rstrip("/").rsplit("/", 1)[-1]
                area = uow.areas.get(code, with_geometry=False)
            operable = any(is_within(where, s) for s in operating)
            views.append(SilenceView(silence, sensor, area, operable))
    return views


def silence_alerts(
    uow: IotUnitOfWork, principal: Principal, request: SilenceRequest, *, now: datetime
) -> Silence:
    """From now for `duration`; the reason is required, since others will ask why."""
    reason = request.reason.strip()
    if not reason:
        raise InvalidInput("say why the alerts are silenced", field="reason")
    if request.duration < MIN_SILENCE:
        raise InvalidInput("a silence lasts at least five minutes", field="duration")
    area_path = None
    if request.area_code:
        with uow:
            area = uow.areas.get(request.area_code, with_geometry=False)
        if area is None:
            raise NotFound(f"no area {request.area_code}", field="area_code")
        area_path = area.path
    if not request.sensor_id and area_path is None:
        raise InvalidInput("a silence names a sensor or an area", field="area_code")
    silence = Silence(
        id=0,
        starts_s=now.timestamp(),
        ends_s=(now + request.duration).timestamp(),
        sensor_id=request.sensor_id or None,
        sensor_type=request.sensor_type or None,
        area_path=area_path,
        rule_id=request.rule_id or None,
        comment=reason,
    )
    return lifecycle.add_silence(uow, principal, silence, now=now)


def _pending(
    uow: IotUnitOfWork, principal: Principal, rules: RuleSet, engine: AlertEngine | None
) -> list[PendingItem]:
    if engine is None:
        return []
    scopes = scopes_for(principal, Action.READ)
    sensors = {s.id: s for s in engine.arrays.sensors}
    mine = [
        (sensors[p.sensor_id], p)
        for p in engine.pending_alerts()
        if p.sensor_id in sensors
        and any(is_within(sensors[p.sensor_id].area_path, s) for s in scopes)
    ]
    areas = uow.areas.get_many(sorted({sensor.area_code for sensor, _ in mine}))
    found = [
        PendingItem(
            sensor=sensor,
            area=areas.get(sensor.area_code),
            rule=rules.rule(p.rule_id),
            severity=p.severity,
            since=datetime.fromtimestamp(p.since_s, UTC),
        )
        for sensor, p in mine
    ]
    return sorted(found, key=lambda i: (-i.severity, i.since))


def _context(
    uow: IotUnitOfWork, principal: Principal, alerts: Sequence[StoredAlert], rules: RuleSet
) -> list[BoardAlert]:
    """Each alert with its sensor, micro-grid and rule, read once per distinct one, and
    whether the page should offer its actions (the use cases check again on posting)."""
    operating = scopes_for(principal, Action.OPERATE)
    areas = uow.areas.get_many(sorted({a.area_code for a in alerts}))
    sensors = uow.sensors.get_many(sorted({a.sensor_id for a in alerts}))
    return [
        BoardAlert(
            alert=a,
            sensor=sensors.get(a.sensor_id),
            area=areas.get(a.area_code),
            rule=rules.rule(a.rule_id),
            operable=any(is_within(a.area_path, s) for s in operating),
        )
        for a in alerts
    ]
