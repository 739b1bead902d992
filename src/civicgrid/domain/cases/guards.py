"""The checks every workflow action passes before it makes an event, in one order:

1. `now` is an aware time, not before the case's last event      → InvalidInput
2. the case's status allows the action (closed, void, on hold)  → WrongStage (Conflict)
3. the position may take the action at the case's stage         → NotYourPosition (Forbidden)
   (no position may take it at this stage, only at others       → WrongStage)
4. a handler acts for the case's department, a reporter is the
   case's reporter                                               → Forbidden
5. the action's own precondition (already rated, none pending…) → Conflict

Arguments are checked by each action afterwards (→ InvalidInput). `allowed_actions`
applies 2, 3 and 5, so a UI offers only what would be accepted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from civicgrid.domain.cases.actions import (
    FINISHED_ACTIONS,
    ON_HOLD_ACTIONS,
    SENSOR_SOURCES,
    CaseAction,
    positions_for,
    stages_for,
)
from civicgrid.domain.cases.case import Case
from civicgrid.domain.cases.roles import Position
from civicgrid.domain.cases.stages import Outcome, Stage
from civicgrid.domain.errors import Conflict, Forbidden, InvalidInput, NotYourPosition, WrongStage

SATISFIED_FROM = 3
"""A fixed case rated this or better cannot be reopened: the reporter was satisfied."""

MAX_ESCALATION = 5
"""Levels above a micro-grid: grid, community, street, district, city."""


@dataclass(frozen=True, slots=True)
class ReopenPolicy:
    """How long after closing, and how often, a reporter may reopen a case."""

    window_days: int = 7  # calendar days from the latest close
    max_reopens: int = 1

    def __post_init__(self) -> None:
        if self.window_days < 0 or self.max_reopens < 0:
            raise ValueError(f"a reopen policy needs non-negative limits: {self!r}")


DEFAULT_REOPEN_POLICY = ReopenPolicy()


def check_now(case: Case | None, now: datetime) -> datetime:
    """`now` in UTC (so the hashed timestamp never depends on the caller's zone)."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise InvalidInput("now must be timezone-aware", field="now")
    now = now.astimezone(UTC)
    if case is not None and now < case.last_event_at:
        raise InvalidInput(
            f"now ({now.isoformat()}) is before case {case.id}'s last event "
            f"({case.last_event_at.isoformat()})",
            field="now",
        )
    return now


def require_text(value: str, field: str, why: str) -> str:
    text = value.strip()
    if not text:
        raise InvalidInput(f"{field} is required: {why}", field=field)
    return text


def check_attachments(attachments: tuple[str, ...]) -> tuple[str, ...]:
    if any(not item.strip() for item in attachments):
        raise InvalidInput("attachment ids must not be blank", field="attachments")
    return tuple(attachments)


def stage_label(stage: Stage) -> str:
    return f"{stage.name_zh} ({stage.value})"


def position_label(position: Position, article: bool = True) -> str:
    words = position.value.replace("_", " ")
    if position is Position.SYSTEM:
        return "the system"
    if not article:
        return f"the {words}"
    return f"{'an' if words[0] in 'aeiou' else 'a'} {words}"


def forbidden(
    position: Position, action: CaseAction, stage: Stage, allowed: frozenset[Position]
) -> NotYourPosition:
    who = " or ".join(
        position_label(p, article=False) for p in sorted(allowed, key=list(Position).index)
    )
    return NotYourPosition(
        f"{position_label(position)} cannot {action.verb} a case at {stage_label(stage)}; "
        f"{action.noun} is for {who}"
    )


def check_may(
    case: Case,
    action: CaseAction,
    actor: str,
    position: Position,
    now: datetime,
    *,
    actor_department: str | None = None,
    policy: ReopenPolicy = DEFAULT_REOPEN_POLICY,
) -> datetime:
    """Raise unless `actor` in `position` may take `action` now; return `now` in UTC."""
    now = check_now(case, now)
    require_text(actor, "actor", "every event names who acted")
    if problem := _status_problem(case, action):
        raise WrongStage(problem)
    allowed = positions_for(case.stage, action)
    if not allowed:
        where = ", ".join(stage_label(s) for s in stages_for(action))
        raise WrongStage(
            f"case {case.id} is at {stage_label(case.stage)}; {action.noun} happens at {where}"
        )
    if position not in allowed:
        raise forbidden(position, action, case.stage, allowed)
    _check_identity(case, action, actor, position, actor_department)
    if problem := _PRECONDITIONS.get(action, _nothing)(case, position, now, policy):
        raise Conflict(problem)
    return now


def allowed_actions(
    case: Case,
    position: Position,
    now: datetime | None = None,
    policy: ReopenPolicy = DEFAULT_REOPEN_POLICY,
) -> list[str]:
    """What `position` may do to `case` now, in workflow order (for menus and buttons).

    Without `now` the reopening window is not checked. Which department a handler
    is in, and which reporter is asking, are left to the action itself; but a
    handler has nothing to do before dispatch, nor a reporter on an unattributed case.
    """
    if (position is Position.HANDLER and case.department is None) or (
        position is Position.REPORTER and not case.reporter_ref
    ):
        return []
    return [
        action.value
        for action in CaseAction
        if action is not CaseAction.REPORT
        and position in positions_for(case.stage, action)
        and not _status_problem(case, action)
        and not _PRECONDITIONS.get(action, _nothing)(case, position, now, policy)
    ]


def _status_problem(case: Case, action: CaseAction) -> str | None:
    if case.finished and action not in FINISHED_ACTIONS:
        ended = "void" if case.outcome is Outcome.VOID else f"closed ({case.outcome})"
        return f"case {case.id} is {ended}; only rating, reopening and notes remain"
    if case.on_hold and action not in ON_HOLD_ACTIONS:
        since = case.holds[-1][0].isoformat()
        return f"case {case.id} is on hold since {since}; release the hold first"
    return None


def _check_identity(
    case: Case, action: CaseAction, actor: str, position: Position, department: str | None
) -> None:
    if position is Position.HANDLER and (case.department is None or department != case.department):
        dispatched = f"dispatched to {case.department}" if case.department else "not dispatched"
        raise Forbidden(
            f"a handler for {department or 'no department'} cannot {action.verb} case "
            f"{case.id}: it is {dispatched}"
        )
    if position is Position.REPORTER and (not case.reporter_ref or actor != case.reporter_ref):
        raise Forbidden(f"only the person who reported case {case.id} may {action.verb} it")


Precondition = Callable[[Case, Position, datetime | None, ReopenPolicy], str | None]


def _nothing(case: Case, position: Position, now: datetime | None, policy: ReopenPolicy) -> None:
    return None


def _may_reopen(
    case: Case, position: Position, now: datetime | None, policy: ReopenPolicy
) -> str | None:
    if case.outcome is Outcome.DUPLICATE:
        return f"case {case.id} was merged into case {case.merged_into}; follow that case"
    if case.department is None:
        return f"case {case.id} was never dispatched; report the problem again"
    if case.reopen_count >= policy.max_reopens:
        times = f"{case.reopen_count} time(s)"
        return f"case {case.id} was reopened {times}; the limit is {policy.max_reopens}"
    if case.outcome is Outcome.FIXED and case.rating is not None and case.rating >= SATISFIED_FROM:
        return f"case {case.id} was fixed and rated {case.rating}: satisfied"
    if now is not None and case.closed_at is not None:
        ends = case.closed_at + timedelta(days=policy.window_days)
        if now > ends:
            window = f"the {policy.window_days}-day window to reopen case {case.id}"
            return f"{window} ended at {ends.isoformat()}"
    return None


def _when(test: Callable[[Case], bool], message: str) -> Precondition:
    """A precondition that fails with `message` (formatted with the case) when `test` holds."""

    def check(
        case: Case, position: Position, now: datetime | None, policy: ReopenPolicy
    ) -> str | None:
        return message.format(case=case) if test(case) else None

    return check


def _may_close(
    case: Case, position: Position, now: datetime | None, policy: ReopenPolicy
) -> str | None:
    if position is Position.SYSTEM and case.source not in SENSOR_SOURCES:
        return (
            f"case {case.id} came from a {case.source} report; only sensor cases resolve by sensor"
        )
    return None


_PRECONDITIONS: dict[CaseAction, Precondition] = {
    CaseAction.CHECK: _when(lambda c: c.checked, "case {case.id} was already checked on site"),
    CaseAction.FILE: _when(
        lambda c: c.source.is_public and not c.checked,
        "case {case.id} came from a {case.source} report; "
        "it needs an on-site check (核实) before filing",
    ),
    CaseAction.VERIFY: _when(lambda c: c.verified, "case {case.id} is already verified"),
    CaseAction.CLOSE: _may_close,
    CaseAction.RATE: _when(
        lambda c: c.rating is not None, "case {case.id} is already rated {case.rating}"
    ),
    CaseAction.REOPEN: _may_reopen,
    CaseAction.REQUEST_EXTENSION: _when(
        lambda c: c.pending_extension is not None,
        "case {case.id} already has an extension request awaiting the shift leader",
    ),
    CaseAction.DECIDE_EXTENSION: _when(
        lambda c: c.pending_extension is None, "case {case.id} has no extension request"
    ),
    CaseAction.REQUEST_HOLD: _when(
        lambda c: c.hold_requested,
        "case {case.id} already has a hold request awaiting the shift leader",
    ),
    CaseAction.DECIDE_HOLD: _when(
        lambda c: not c.hold_requested, "case {case.id} has no hold request"
    ),
    CaseAction.RELEASE_HOLD: _when(lambda c: not c.on_hold, "case {case.id} is not on hold"),
    CaseAction.ESCALATE: _when(
        lambda c: c.escalation_level >= MAX_ESCALATION,
        "case {case.id} is already escalated to the top level",
    ),
}
