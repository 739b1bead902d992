"""The scheduler's tick: escalate cases whose stage ran past its limit, once each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from civicgrid.domain.areas.area import path_codes
from civicgrid.domain.cases import controls
from civicgrid.domain.cases.case import Case
from civicgrid.domain.cases.roles import Position
from civicgrid.domain.errors import Conflict
from civicgrid.services.case_ports import CaseRules
from civicgrid.services.cases.notify import notify_escalation
from civicgrid.services.feed import FeedPublisher, publish_case_event
from civicgrid.services.ports import Schedule, UnitOfWork

TICK_LEASE = "case-escalation-tick"
WARNING_SHARE = 0.8  # the light turns yellow at 80 % of a stage's limit
BATCH = 500


@dataclass(frozen=True, slots=True)
class EscalationPolicy:
    """Level n+1 is reached when the stage has used `thresholds[n]` of its limit.

    The default climbs one level per further full limit overdue: micro-grid → grid →
    community → street → district → city.
    """

    thresholds: tuple[float, ...] = (1.0, 2.0, 3.0, 4.0, 5.0)

    def level_for(self, fraction: float) -> int:
        return sum(1 for threshold in self.thresholds if fraction >= threshold)


@dataclass(frozen=True, slots=True)
class TickReport:
    ran: bool  # False when another process holds the lease
    escalated: int = 0


def tick_cases(
    uow: UnitOfWork,
    rules: CaseRules,
    *,
    now: datetime,
    holder: str,
    policy: EscalationPolicy | None = None,
    lease_seconds: float = 60.0,
    feed: FeedPublisher | None = None,
) -> TickReport:
    """Escalate overdue cases. Running it again at the same moment changes nothing."""
    policy = policy or EscalationPolicy()
    with uow:
        # The lease runs on the database's clock: `now` may be a replay of another day.
        taken = uow.leases.try_acquire(TICK_LEASE, holder, lease_seconds)
        uow.commit()
    if not taken:
        return TickReport(ran=False)
    escalated = 0
    with uow:
        due = uow.cases.due_for_tick(now, BATCH)
    for case_id in due:
        with uow:
            case = uow.cases.get(case_id)
            if case is None or case.finished:
                continue
            fraction = rules.elapsed_fraction(case, now)
            if fraction is None:
                continue
            level = min(policy.level_for(fraction), len(path_codes(case.area_path)) - 1)
            if level <= case.escalation_level:
                continue
            reason = (
                f"{case.stage.name_zh} stage used {fraction:.0%} of its limit; "
                f"escalated {level} level(s) up"
            )
            event = controls.escalate(case, "system", Position.SYSTEM, now, level, reason)
            updated = case.apply(event)
            try:
                uow.cases.append(updated, event, schedule_for(rules, updated))
            except Conflict:  # someone acted on it meanwhile; the next tick looks again
                continue
            target_code = path_codes(case.area_path)[-1 - level]
            target = uow.areas.get(target_code, with_geometry=False)
            if target is not None:
                notify_escalation(uow, updated, target, now=now, reason=reason)
            uow.commit()
            publish_case_event(feed, updated, event)
            escalated += 1
    return TickReport(ran=True, escalated=escalated)


def schedule_for(rules: CaseRules, case: Case, policy: EscalationPolicy | None = None) -> Schedule:
    """The deadline of the case's stage and when the scheduler must look at it next."""
    policy = policy or EscalationPolicy()
    if case.finished or case.escalation_level >= len(policy.thresholds):
        next_share = None
    else:
        next_share = policy.thresholds[case.escalation_level]
    return Schedule(
        deadline_at=rules.stage_deadline(case),
        warning_at=rules.stage_deadline(case, WARNING_SHARE),
        next_check_at=None if next_share is None else rules.stage_deadline(case, next_share),
    )
