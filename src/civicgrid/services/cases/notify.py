"""Who is told what: urgent cases reach every level at once, normal ones their own grid."""

from __future__ import annotations

from datetime import datetime

from civicgrid.domain.areas import Area
from civicgrid.domain.cases.case import Case
from civicgrid.domain.cases.stages import Urgency
from civicgrid.services.case_ports import NotificationDraft
from civicgrid.services.ports import UnitOfWork


def notify_new_case(uow: UnitOfWork, case: Case, chain: list[Area], *, now: datetime) -> None:
    """`chain` runs from the city down to the case's area."""
    notice = new_case_notice(case, chain, now=now)
    uow.notifications.add(
        notice.area_paths,
        case_id=notice.case_id,
        kind=notice.kind,
        urgent=notice.urgent,
        message=notice.message,
        now=now,
    )


def new_case_notice(case: Case, chain: list[Area], *, now: datetime) -> NotificationDraft:
    """Who is told of a new case, and what."""
    urgent = case.urgency is Urgency.URGENT
    # 信息直报: an urgent report goes to every ancestor in the same transaction, not
    # relayed upwards level by level.
    targets = chain if urgent else chain[-1:]
    return NotificationDraft(
        area_paths=tuple(area.path for area in targets),
        case_id=case.id,
        kind="case_reported",
        urgent=urgent,
        message=f"{'【急】' if urgent else ''}case {case.id} ({case.category}) at "
        f"{chain[-1].name_zh}: {case.description[:80]}",
        created_at=now,
    )


def notify_escalation(
    uow: UnitOfWork, case: Case, target: Area, *, now: datetime, reason: str
) -> None:
    uow.notifications.add(
        [target.path],
        case_id=case.id,
        kind="case_escalated",
        urgent=case.urgency is Urgency.URGENT,
        message=f"case {case.id} escalated to {target.name_zh}: {reason}",
        now=now,
    )
