"""The cases of the alerts waiting for one, opened together: one transaction reads every
alert's report (idempotency keys, area chains), writes all the cases with their first
events and notices, links each alert to its case, and commits once.

Linking in the same transaction as the case means a crash leaves either both or
neither. When the batch cannot be written (a twin process took a key this instant, a
category withdrawn), it rolls back whole and the caller opens the cases one by one
(`open_alert_cases`), where each gets the outcome it would get alone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from civicgrid.domain.alerts import RuleSet
from civicgrid.services.alert_cases import BATCH, alert_report
from civicgrid.services.cases.intake import (
    Opened,
    PlannedReport,
    Reported,
    check_report,
    idempotency_key,
    open_planned_all,
    plan_report,
)
from civicgrid.services.ingest.batch import CaseContext
from civicgrid.services.sensor_ports import IotUnitOfWork


def open_alert_cases_together(
    uow: IotUnitOfWork,
    context: CaseContext,
    alert_rules: RuleSet,
    *,
    now: datetime,
    owns: Callable[[str], bool] | None = None,
) -> list[int] | None:
    """The ids of the cases opened (at most BATCH alerts a call), or None when the batch
    was rolled back and nothing was written."""
    opened: list[Opened] = []
    with uow:
        waiting = [a for a in uow.alerts.needing_cases(BATCH) if owns is None or owns(a.sensor_id)]
        if not waiting:
            return []
        sensors = uow.sensors.get_many(sorted({a.sensor_id for a in waiting}))
        reports = []
        for alert in waiting:
            sensor = sensors.get(alert.sensor_id)
            reporter, request = alert_report(alert, sensor.type if sensor else None, alert_rules)
            reports.append((alert.id, reporter, request))
        keys = [idempotency_key(r.principal, q) for _, r, q in reports]
        try:
            keys_read = uow.cases.find_by_idempotency_keys({k for k in keys if k is not None})
            linked: dict[int, int] = {}
            plans: list[tuple[int, PlannedReport]] = []
            for alert_id, reporter, request in reports:
                check_report(context.case_rules, request, now=now)
                planned = plan_report(
                    uow, context.locators, context.case_rules, reporter, request, now=now,
                    snap_tolerance_m=0.0, chains=context.chains, keys_read=keys_read,
                )  # fmt: skip
                if isinstance(planned, Reported):
                    linked[alert_id] = planned.case.id  # opened before a crash: link it
                else:
                    plans.append((alert_id, planned))
            opened = open_planned_all(uow, context.case_rules, [p for _, p in plans])
            for (alert_id, _), done in zip(plans, opened, strict=True):
                linked[alert_id] = done.reported.case.id
            for alert_id, case_id in linked.items():
                uow.alerts.update(alert_id, case_id=case_id)
            uow.commit()
        except Exception:
            return None
    for done in opened:
        done.publish(context.feed)
    return [done.reported.case.id for done in opened]
