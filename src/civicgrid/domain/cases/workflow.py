"""The seven-stage workflow (GB/T 30428): one pure function per action.

Each takes the case, who acts (`actor`, `position`), `now`, and the action's own
arguments, and returns the next sealed `CaseEvent`, or raises `Forbidden` (this
position may not), `Conflict` (the case's state forbids it) or `InvalidInput` (bad
arguments). The caller appends the event and applies it: `case.apply(event)`.

A handler passes `actor_department`: they act only on cases dispatched to it. A
reporter acts only as the case's `reporter_ref`.

The main path is here; the first report is in `intake`, and returns, extensions,
holds, voiding, merging, escalation and notes are in `controls`; both are re-exported.
"""

from __future__ import annotations

from datetime import datetime

from civicgrid.domain.cases.actions import ALLOWED_ACTIONS, CaseAction
from civicgrid.domain.cases.case import Case
from civicgrid.domain.cases.controls import (
    decide_extension,
    decide_hold,
    escalate,
    merge_into,
    note,
    release_hold,
    request_extension,
    request_hold,
    return_to_previous,
    void,
)
from civicgrid.domain.cases.emit import emit
from civicgrid.domain.cases.events import CaseEvent, EventType
from civicgrid.domain.cases.guards import (
    DEFAULT_REOPEN_POLICY,
    ReopenPolicy,
    allowed_actions,
    check_attachments,
    check_may,
    position_label,
    require_text,
    stage_label,
)
from civicgrid.domain.cases.intake import report
from civicgrid.domain.cases.roles import Position
from civicgrid.domain.cases.stages import Outcome, Stage
from civicgrid.domain.errors import Conflict, Forbidden, InvalidInput

__all__ = [
    "ALLOWED_ACTIONS",
    "DEFAULT_REOPEN_POLICY",
    "CaseAction",
    "ReopenPolicy",
    "accept",
    "allowed_actions",
    "check",
    "close",
    "decide_extension",
    "decide_hold",
    "dispatch",
    "escalate",
    "file",
    "forward_feedback",
    "handle",
    "merge_into",
    "note",
    "rate",
    "release_hold",
    "reopen",
    "report",
    "request_extension",
    "request_hold",
    "return_to_previous",
    "verify",
    "void",
]


def accept(case: Case, actor: str, position: Position, now: datetime) -> CaseEvent:
    """受理: COLLECT → FILE."""
    now = check_may(case, CaseAction.ACCEPT, actor, position, now)
    return emit(case, EventType.ACCEPTED, actor, position, now, to_stage=Stage.FILE)


def check(
    case: Case,
    actor: str,
    position: Position,
    now: datetime,
    passed: bool,
    reason: str = "",
    attachments: tuple[str, ...] = (),
) -> CaseEvent:
    """核实 on site, inside FILE: required before filing a public report; a failure voids."""
    now = check_may(case, CaseAction.CHECK, actor, position, now)
    if not passed:
        reason = require_text(reason, "reason", "a failed on-site check voids the case")
    return emit(
        case,
        EventType.CHECKED,
        actor,
        position,
        now,
        to_stage=Stage.FILE if passed else Stage.EVALUATE,
        reason=reason.strip(),
        data={"passed": bool(passed)},
        attachments=check_attachments(attachments),
    )


def file(case: Case, actor: str, position: Position, now: datetime, note: str = "") -> CaseEvent:
    """立案: FILE → DISPATCH."""
    now = check_may(case, CaseAction.FILE, actor, position, now)
    kind = EventType.FILED
    return emit(case, kind, actor, position, now, to_stage=Stage.DISPATCH, reason=note.strip())


def dispatch(
    case: Case, actor: str, position: Position, now: datetime, department: str, note: str = ""
) -> CaseEvent:
    """派遣 to the department with code `department`: DISPATCH → HANDLE."""
    now = check_may(case, CaseAction.DISPATCH, actor, position, now)
    code = require_text(department, "department", "dispatch names the department")
    return emit(
        case,
        EventType.DISPATCHED,
        actor,
        position,
        now,
        to_stage=Stage.HANDLE,
        reason=note.strip(),
        data={"department": code},
    )


def handle(
    case: Case,
    actor: str,
    position: Position,
    now: datetime,
    result: str,
    attachments: tuple[str, ...] = (),
    *,
    actor_department: str | None = None,
) -> CaseEvent:
    """The department's result: HANDLE → FEEDBACK."""
    now = check_may(
        case, CaseAction.HANDLE, actor, position, now, actor_department=actor_department
    )
    text = require_text(result, "result", "say what was done")
    return emit(
        case,
        EventType.HANDLED,
        actor,
        position,
        now,
        to_stage=Stage.FEEDBACK,
        data={"result": text},
        attachments=check_attachments(attachments),
    )


def forward_feedback(
    case: Case, actor: str, position: Position, now: datetime, note: str = ""
) -> CaseEvent:
    """The centre sends the result for verification: FEEDBACK → VERIFY_CLOSE."""
    now = check_may(case, CaseAction.FORWARD_FEEDBACK, actor, position, now)
    kind = EventType.FEEDBACK_FORWARDED
    return emit(case, kind, actor, position, now, to_stage=Stage.VERIFY_CLOSE, reason=note.strip())


def verify(
    case: Case,
    actor: str,
    position: Position,
    now: datetime,
    passed: bool,
    note: str = "",
    attachments: tuple[str, ...] = (),
) -> CaseEvent:
    """核查: passed → VERIFIED (stays); failed → REWORK back to HANDLE (note required)."""
    now = check_may(case, CaseAction.VERIFY, actor, position, now)
    files = check_attachments(attachments)
    if passed:
        kind = EventType.VERIFIED
        return emit(case, kind, actor, position, now, reason=note.strip(), attachments=files)
    why = require_text(note, "note", "say why the work is sent back")
    kind = EventType.REWORK
    return emit(
        case, kind, actor, position, now, to_stage=Stage.HANDLE, reason=why, attachments=files
    )


def close(
    case: Case, actor: str, position: Position, now: datetime, outcome: Outcome, reason: str = ""
) -> CaseEvent:
    """结案 with `outcome`: FIXED needs verification; any other outcome needs a reason.

    The shift leader closes after 核查; the system closes a sensor case at any open
    stage, and only as RESOLVED_BY_SENSOR, when its alert clears.
    """
    now = check_may(case, CaseAction.CLOSE, actor, position, now)
    if outcome in {Outcome.DUPLICATE, Outcome.VOID}:
        instead = "merge_into" if outcome is Outcome.DUPLICATE else "void"
        raise InvalidInput(f"a case ends as {outcome} through {instead}", field="outcome")
    if (position is Position.SYSTEM) != (outcome is Outcome.RESOLVED_BY_SENSOR):
        rule = (
            "the system closes only as resolved_by_sensor"
            if position is Position.SYSTEM
            else "resolved_by_sensor is for the system"
        )
        raise Forbidden(
            f"{position_label(position)} cannot close a case at {stage_label(case.stage)} "
            f"as {outcome}; {rule}"
        )
    if outcome is Outcome.FIXED:
        if not case.verified:
            raise Conflict(f"case {case.id} must pass verification (核查) to close as fixed")
        reason = reason.strip()
    else:
        reason = require_text(reason, "reason", f"say why the case closes as {outcome}")
    data = {"outcome": outcome.value}
    return emit(
        case,
        EventType.CLOSED,
        actor,
        position,
        now,
        to_stage=Stage.EVALUATE,
        reason=reason,
        data=data,
    )


def rate(
    case: Case, actor: str, position: Position, now: datetime, score: int, comment: str = ""
) -> CaseEvent:
    """综合评价: the reporter's satisfaction, 1 (worst) to 5, once per case."""
    now = check_may(case, CaseAction.RATE, actor, position, now)
    if type(score) is not int or not 1 <= score <= 5:
        raise InvalidInput(f"a rating is a whole number from 1 to 5, not {score!r}", field="score")
    data = {"score": score}
    return emit(case, EventType.RATED, actor, position, now, reason=comment.strip(), data=data)


def reopen(
    case: Case,
    actor: str,
    position: Position,
    now: datetime,
    reason: str,
    *,
    policy: ReopenPolicy = DEFAULT_REOPEN_POLICY,
) -> CaseEvent:
    """The reporter sends a closed case back to its department: EVALUATE → HANDLE.

    Only within `policy.window_days` of closing, at most `policy.max_reopens` times,
    and not when it was fixed and rated satisfied.
    """
    now = check_may(case, CaseAction.REOPEN, actor, position, now, policy=policy)
    why = require_text(reason, "reason", "say what is still wrong")
    kind = EventType.REOPENED
    return emit(case, kind, actor, position, now, to_stage=Stage.HANDLE, reason=why)
