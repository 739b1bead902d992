"""Alert events become stored alerts: one active alert per (sensor, rule), deduplicated."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from civicgrid.domain.alerts import GATEWAY_RULE, AlertEvent, EventKind, RuleSet, Severity
from civicgrid.domain.sensors import Sensor
from civicgrid.services.sensor_ports import IotUnitOfWork, StoredAlert


@dataclass
class CaseFollowUps:
    """What the batch asks of cases, done after its commit (services.alert_cases)."""

    refired: list[tuple[int, int]] = field(default_factory=list)  # (case id, alert id)
    escalated: list[tuple[int, int]] = field(default_factory=list)
    cleared: list[tuple[int, int]] = field(default_factory=list)
    flapping: list[tuple[int, int]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.refired or self.escalated or self.cleared or self.flapping)


def record_alert_events(
    uow: IotUnitOfWork,
    events: Sequence[AlertEvent],
    rules: RuleSet,
    sensor_of: Callable[[str], Sensor | None],
    gateway_sensor: Callable[[str], Sensor | None],
    *,
    reuse_window: timedelta,
    case_is_open: Callable[[int], bool],
) -> CaseFollowUps:
    """Store the events of one batch inside the caller's transaction."""
    follow = CaseFollowUps()
    for event in events:
        current = uow.alerts.active(event.sensor_id, event.rule_id)
        if event.kind is EventKind.FIRE:
            if current is not None:  # already active (e.g. replayed after a restart)
                uow.alerts.update(current.id, hits=current.hits + 1)
                continue
            _fire(uow, event, rules, sensor_of, gateway_sensor, reuse_window, case_is_open, follow)
        elif current is None:
            continue  # nothing to change: the alert was never stored (or already cleared)
        elif event.kind is EventKind.ESCALATE:
            uow.alerts.update(
                current.id,
                severity=int(event.severity or 0),
                last_value=event.value,
                hits=event.hits,
            )
            if current.case_id is not None:
                follow.escalated.append((current.case_id, current.id))
        elif event.kind is EventKind.CLEAR:
            _clear(uow, current, event, follow)
        elif event.kind is EventKind.FLAPPING_START:
            uow.alerts.update(current.id, flapping=True)
            if current.case_id is not None:
                follow.flapping.append((current.case_id, current.id))
        elif event.kind is EventKind.FLAPPING_END:
            uow.alerts.update(current.id, flapping=False)
            if not event.active:
                _clear(uow, current, event, follow)
    return follow


def _fire(
    uow: IotUnitOfWork,
    event: AlertEvent,
    rules: RuleSet,
    sensor_of: Callable[[str], Sensor | None],
    gateway_sensor: Callable[[str], Sensor | None],
    reuse_window: timedelta,
    case_is_open: Callable[[int], bool],
    follow: CaseFollowUps,
) -> None:
    severity = int(event.severity or Severity.BLUE)
    earlier = uow.alerts.latest(event.sensor_id, event.rule_id)
    if (
        earlier is not None
        and earlier.cleared_at is not None
        and event.at - earlier.cleared_at <= reuse_window
        and earlier.case_id is not None
        and case_is_open(earlier.case_id)
    ):
        uow.alerts.update(
            earlier.id,
            active=True,
            cleared_at=None,
            severity=severity,
            fires=earlier.fires + 1,
            last_value=event.value,
            hits=event.hits,
        )
        follow.refired.append((earlier.case_id, earlier.id))
        return
    rule = rules.rule(event.rule_id)
    if event.rule_id == GATEWAY_RULE:
        sensor = gateway_sensor(event.sensor_id)
        category = ""
    else:
        sensor = sensor_of(event.sensor_id)
        category = rule.category if rule is not None else ""
    if sensor is None:
        return
    uow.alerts.add(
        StoredAlert(
            id=0,
            sensor_id=event.sensor_id,
            rule_id=event.rule_id,
            category=category,
            area_code=sensor.area_code,
            area_path=sensor.area_path,
            severity=severity,
            active=True,
            flapping=False,
            silenced=event.silenced,
            fired_at=event.at,
            cleared_at=None,
            last_value=event.value,
            hits=event.hits,
            fires=1,
            acknowledged_at=None,
            acknowledged_by=None,
            assignee=None,
            case_id=None,
            evidence=_evidence(event, sensor, rule.name_en if rule else event.rule_id),
        )
    )


def _clear(
    uow: IotUnitOfWork, current: StoredAlert, event: AlertEvent, follow: CaseFollowUps
) -> None:
    uow.alerts.update(
        current.id, active=False, cleared_at=event.at, hits=max(current.hits, event.hits)
    )
    if current.case_id is not None:
        follow.cleared.append((current.case_id, current.id))


def _evidence(event: AlertEvent, sensor: Sensor, rule_name: str) -> dict[str, object]:
    return {
        "rule": rule_name,
        "value": event.value,
        "at": event.at.isoformat(),
        "sensor": {
            "id": sensor.id,
            "type": str(sensor.type),
            "name": sensor.name,
            "lon": sensor.lon,
            "lat": sensor.lat,
            "synthetic": sensor.synthetic,
        },
    }
