"""Alerts become cases at the sensor's micro-grid, with no person in between.

A red warning is urgent (直报: every level is told at once). An alert that fires again
within the reuse window goes back to its open case; clearing adds a note, or closes the
case as resolved by sensor when the rule says so (kept apart from staff fixes).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from civicgrid.domain.alerts import RuleSet, Severity
from civicgrid.domain.cases import controls, workflow
from civicgrid.domain.cases.roles import Position
from civicgrid.domain.cases.stages import Outcome, Source, Urgency
from civicgrid.domain.errors import Conflict, DomainError
from civicgrid.domain.sensors import SensorType
from civicgrid.domain.sensors.reporter import SensorReporter
from civicgrid.services.alerts import CaseFollowUps
from civicgrid.services.area_chains import AreaChainProvider
from civicgrid.services.case_ports import CaseRules
from civicgrid.services.cases.intake import ReportRequest, report_case
from civicgrid.services.cases.ticking import schedule_for
from civicgrid.services.feed import FeedPublisher, publish_case_event
from civicgrid.services.ports import LocatorProvider
from civicgrid.services.sensor_ports import IotUnitOfWork, StoredAlert

BATCH = 200


def open_alert_cases(
    uow: IotUnitOfWork,
    locators: LocatorProvider,
    case_rules: CaseRules,
    alert_rules: RuleSet,
    *,
    now: datetime,
    feed: FeedPublisher | None = None,
    chains: AreaChainProvider | None = None,
    owns: Callable[[str], bool] | None = None,
) -> list[int]:
    """Open a case for each active alert that needs one; safe to repeat after a crash
    (the report's idempotency key is the alert's)."""
    with uow:
        waiting = [a for a in uow.alerts.needing_cases(BATCH) if owns is None or owns(a.sensor_id)]
        types = {a.sensor_id: _sensor_type(uow, a.sensor_id) for a in waiting}
    opened = []
    for alert in waiting:
        reporter, request = alert_report(alert, types[alert.sensor_id], alert_rules)
        try:
            reported = report_case(
                uow,
                locators,
                case_rules,
                reporter,
                request,
                now=now,
                snap_tolerance_m=0.0,
                feed=feed,
                chains=chains,
            )
        except Conflict:
            continue  # a twin worker reported it this instant; the next pass links it
        with uow:
            uow.alerts.update(alert.id, case_id=reported.case.id)
            uow.commit()
        opened.append(reported.case.id)
    return opened


def alert_report(
    alert: StoredAlert, sensor_type: SensorType | None, alert_rules: RuleSet
) -> tuple[SensorReporter, ReportRequest]:
    """Who reports an alert's case, and what; the idempotency key is the alert's."""
    source = Source.VIDEO if sensor_type is SensorType.CAMERA else Source.SENSOR
    request = ReportRequest(
        category=alert.category,
        description=describe(alert, alert_rules),
        source=source,
        area_code=alert.area_code,
        urgency=Urgency.URGENT if alert.severity >= Severity.RED else Urgency.NORMAL,
        idempotency_key=f"alert-{alert.id}-{alert.fires}",
    )
    return SensorReporter(f"{source.value}:{alert.sensor_id}"), request


def _sensor_type(uow: IotUnitOfWork, sensor_id: str) -> SensorType | None:
    sensor = uow.sensors.get(sensor_id)
    return sensor.type if sensor is not None else None


def describe(alert: StoredAlert, rules: RuleSet) -> str:
    rule = rules.rule(alert.rule_id)
    level = Severity(alert.severity)
    name_zh = rule.name_zh if rule else alert.rule_id
    name_en = rule.name_en if rule else alert.rule_id
    value = alert.last_value if alert.last_value is not None else float("nan")
    return (
        f"【{level.name_zh}】{name_zh}：传感器 {alert.sensor_id} 读数 {value:g}，"
        f"{alert.fired_at:%Y-%m-%d %H:%M} UTC 触发（告警 {alert.id}）。\n"
        f"[{level.name_en} warning] {name_en}: sensor {alert.sensor_id} read {value:g} "
        f"at {alert.fired_at:%Y-%m-%d %H:%M} UTC (alert {alert.id}). Evidence: {alert.evidence}"
    )


def follow_up_cases(
    uow: IotUnitOfWork,
    case_rules: CaseRules,
    alert_rules: RuleSet,
    follow: CaseFollowUps,
    *,
    now: datetime,
    feed: FeedPublisher | None = None,
) -> None:
    """Notes on the cases of alerts that fired again, escalated, flapped or cleared."""
    for case_id, alert_id in follow.refired:
        _note(uow, case_rules, case_id, alert_id, "告警再次触发 / the alert fired again", now, feed)
    for case_id, alert_id in follow.escalated:
        _note(uow, case_rules, case_id, alert_id, "告警升级 / the alert escalated", now, feed)
    for case_id, alert_id in follow.flapping:
        _note(
            uow,
            case_rules,
            case_id,
            alert_id,
            "告警反复波动，已抑制通知 / the alert is flapping; notices held back",
            now,
            feed,
        )
    for case_id, alert_id in follow.cleared:
        with uow:
            alert = uow.alerts.get(alert_id)
        rule = alert_rules.rule(alert.rule_id) if alert else None
        if rule is not None and rule.close_case_on_clear:
            _close(uow, case_rules, case_id, alert_id, now, feed)
        else:
            _note(uow, case_rules, case_id, alert_id, "告警已解除 / the alert cleared", now, feed)


def _note(
    uow: IotUnitOfWork,
    case_rules: CaseRules,
    case_id: int,
    alert_id: int,
    text: str,
    now: datetime,
    feed: FeedPublisher | None,
) -> None:
    with uow:
        case = uow.cases.get(case_id)
        if case is None:
            return
        event = controls.note(case, "system", Position.SYSTEM, now, f"{text} (alert {alert_id})")
        updated = case.apply(event)
        uow.cases.append(updated, event, schedule_for(case_rules, updated))
        uow.commit()
    publish_case_event(feed, updated, event)


def _close(
    uow: IotUnitOfWork,
    case_rules: CaseRules,
    case_id: int,
    alert_id: int,
    now: datetime,
    feed: FeedPublisher | None,
) -> None:
    with uow:
        case = uow.cases.get(case_id)
        if case is None:
            return
        if case.finished:
            return  # staff closed it already: their outcome stands
        try:
            event = workflow.close(
                case,
                "system",
                Position.SYSTEM,
                now,
                Outcome.RESOLVED_BY_SENSOR,
                f"传感器读数恢复正常 / the sensor reads normal again (alert {alert_id})",
            )
        except (Conflict, DomainError):
            return
        updated = case.apply(event)
        uow.cases.append(updated, event, schedule_for(case_rules, updated))
        uow.commit()
    publish_case_event(feed, updated, event)


def case_is_open(uow: IotUnitOfWork, case_id: int) -> bool:
    case = uow.cases.get(case_id)
    return case is not None and not case.finished
