"""Actions beside the main path: 回退, 延时, 挂账, 作废, merging, escalation, notes.

Same contract as `workflow` (which re-exports these): the next sealed event, or
`Forbidden` / `Conflict` / `InvalidInput`.
"""

from __future__ import annotations

from datetime import datetime

from civicgrid.domain.cases.actions import CaseAction
from civicgrid.domain.cases.case import Case
from civicgrid.domain.cases.emit import emit
from civicgrid.domain.cases.events import CaseEvent, EventType
from civicgrid.domain.cases.guards import (
    MAX_ESCALATION,
    check_attachments,
    check_may,
    require_text,
)
from civicgrid.domain.cases.roles import Position
from civicgrid.domain.cases.stages import Stage
from civicgrid.domain.errors import Conflict, InvalidInput


def return_to_previous(
    case: Case,
    actor: str,
    position: Position,
    now: datetime,
    reason: str,
    *,
    actor_department: str | None = None,
) -> CaseEvent:
    """回退 to the previous stage, by the position acting at this one; reason required."""
    now = check_may(
        case, CaseAction.RETURN, actor, position, now, actor_department=actor_department
    )
    why = require_text(reason, "reason", "say why the case goes back")
    previous = case.stage.previous() or Stage.COLLECT  # COLLECT never gets this far
    return emit(case, EventType.RETURNED, actor, position, now, to_stage=previous, reason=why)


def request_extension(
    case: Case,
    actor: str,
    position: Position,
    now: datetime,
    working_seconds: int,
    reason: str,
    *,
    actor_department: str | None = None,
) -> CaseEvent:
    """延时: the handler asks for `working_seconds` more on this stage's limit."""
    now = check_may(
        case,
        CaseAction.REQUEST_EXTENSION,
        actor,
        position,
        now,
        actor_department=actor_department,
    )
    if type(working_seconds) is not int or working_seconds < 1:
        raise InvalidInput(
            f"an extension is a positive number of working seconds, not {working_seconds!r}",
            field="working_seconds",
        )
    why = require_text(reason, "reason", "say why more time is needed")
    data = {"working_seconds": working_seconds}
    return emit(case, EventType.EXTENSION_REQUESTED, actor, position, now, reason=why, data=data)


def decide_extension(
    case: Case, actor: str, position: Position, now: datetime, approved: bool, reason: str = ""
) -> CaseEvent:
    """The shift leader grants or refuses the pending extension; the event names them."""
    now = check_may(case, CaseAction.DECIDE_EXTENSION, actor, position, now)
    request = case.pending_extension
    if request is None:  # check_may has ruled this out; kept for the type checker
        raise Conflict(f"case {case.id} has no extension request")
    data = {
        "approved": bool(approved),
        "working_seconds": request.working_seconds,
        "requested_by": request.requested_by,
    }
    kind = EventType.EXTENSION_DECIDED
    return emit(case, kind, actor, position, now, reason=reason.strip(), data=data)


def request_hold(
    case: Case,
    actor: str,
    position: Position,
    now: datetime,
    reason: str,
    *,
    actor_department: str | None = None,
) -> CaseEvent:
    """挂账: the handler asks to stop the clock (e.g. waiting for a season or a permit)."""
    now = check_may(
        case, CaseAction.REQUEST_HOLD, actor, position, now, actor_department=actor_department
    )
    why = require_text(reason, "reason", "say why the work must wait")
    return emit(case, EventType.HOLD_REQUESTED, actor, position, now, reason=why)


def decide_hold(
    case: Case, actor: str, position: Position, now: datetime, approved: bool, reason: str = ""
) -> CaseEvent:
    """The shift leader approves (the hold starts now) or refuses the pending hold."""
    now = check_may(case, CaseAction.DECIDE_HOLD, actor, position, now)
    data = {"approved": bool(approved)}
    return emit(
        case, EventType.HOLD_DECIDED, actor, position, now, reason=reason.strip(), data=data
    )


def release_hold(
    case: Case,
    actor: str,
    position: Position,
    now: datetime,
    reason: str = "",
    *,
    actor_department: str | None = None,
) -> CaseEvent:
    """The hold ends now; its interval is left out of the stage's limit."""
    now = check_may(
        case, CaseAction.RELEASE_HOLD, actor, position, now, actor_department=actor_department
    )
    return emit(case, EventType.HOLD_RELEASED, actor, position, now, reason=reason.strip())


def void(case: Case, actor: str, position: Position, now: datetime, reason: str) -> CaseEvent:
    """作废 at any open stage, with a reason: ends the case as VOID."""
    now = check_may(case, CaseAction.VOID, actor, position, now)
    why = require_text(reason, "reason", "say why the case is void")
    return emit(case, EventType.VOIDED, actor, position, now, to_stage=Stage.EVALUATE, reason=why)


def merge_into(
    case: Case,
    actor: str,
    position: Position,
    now: datetime,
    other_case_id: int,
    reason: str = "",
) -> CaseEvent:
    """Close as a DUPLICATE of `other_case_id`, which carries the work on."""
    now = check_may(case, CaseAction.MERGE_INTO, actor, position, now)
    if type(other_case_id) is not int or other_case_id < 1 or other_case_id == case.id:
        raise InvalidInput(
            f"merge into another case's id, not {other_case_id!r}", field="other_case_id"
        )
    data = {"into": other_case_id}
    return emit(
        case,
        EventType.MERGED,
        actor,
        position,
        now,
        to_stage=Stage.EVALUATE,
        reason=reason.strip(),
        data=data,
    )


def escalate(
    case: Case, actor: str, position: Position, now: datetime, level: int, reason: str
) -> CaseEvent:
    """A limit ran out: the case is now watched `level` levels above its micro-grid."""
    now = check_may(case, CaseAction.ESCALATE, actor, position, now)
    if type(level) is not int or not 1 <= level <= MAX_ESCALATION:
        raise InvalidInput(
            f"an escalation level is 1 to {MAX_ESCALATION}, not {level!r}", field="level"
        )
    if level <= case.escalation_level:
        raise Conflict(f"case {case.id} is already escalated to level {case.escalation_level}")
    why = require_text(reason, "reason", "say which limit ran out")
    data = {"level": level}
    return emit(case, EventType.ESCALATED, actor, position, now, reason=why, data=data)


def note(
    case: Case,
    actor: str,
    position: Position,
    now: datetime,
    text: str,
    attachments: tuple[str, ...] = (),
    *,
    actor_department: str | None = None,
) -> CaseEvent:
    """A note or attachments from anyone involved, at any stage, even after closing."""
    now = check_may(case, CaseAction.NOTE, actor, position, now, actor_department=actor_department)
    files = check_attachments(attachments)
    body = text.strip()
    if not body and not files:
        raise InvalidInput("a note needs text or an attachment", field="text")
    data = {"text": body}
    return emit(case, EventType.NOTED, actor, position, now, data=data, attachments=files)
