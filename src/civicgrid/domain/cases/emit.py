"""Making the next event of a case: numbered, linked to the last one, sealed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from civicgrid.domain.cases.case import Case
from civicgrid.domain.cases.events import CaseEvent, EventType
from civicgrid.domain.cases.roles import Position
from civicgrid.domain.cases.stages import Stage


def emit(
    case: Case,
    kind: EventType,
    actor: str,
    position: Position,
    now: datetime,
    *,
    to_stage: Stage | None = None,
    reason: str = "",
    data: dict[str, Any] | None = None,
    attachments: tuple[str, ...] = (),
) -> CaseEvent:
    """The sealed event after `case`'s last one; `to_stage` None means it stays put."""
    event = CaseEvent(
        case_id=case.id,
        seq=case.last_seq + 1,
        type=kind,
        at=now,
        actor=actor,
        position=position,
        from_stage=case.stage,
        to_stage=to_stage or case.stage,
        reason=reason,
        data=data or {},
        attachments=attachments,
        prev_hash=case.last_hash,
    ).sealed()
    # The net under the workflow's checks: an event the case's history cannot take
    # is a bug here, and must never reach the log.
    case.apply(event)
    return event
